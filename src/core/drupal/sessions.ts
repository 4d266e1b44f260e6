/**
 * The `sessions` table: list a user's rows (by the uid index), and delete rows bound
 * to their user. A missing table (Drupal 10.3+ creates it lazily) holds no sessions.
 */
import { ACTIVE_WINDOW_SECONDS, type SessionInfo, type SessionPage, type SessionState } from '../../shared/domain.js';
import { placeholders, type Queryable } from '../db/database.js';
import type { DrupalSite } from '../site.js';
import { dialectFor } from '../engines/index.js';
import { serializedColumn } from './php-serialize.js';
import { readSessionData } from './session-data.js';
import { kindOnly, type Locate } from '../net/geo.js';
import { describeClient } from '../net/user-agent.js';

/** services.yml's default session.storage.options.gc_maxlifetime. */
export const DEFAULT_GC_MAXLIFETIME = 200_000;

export function sessionState(timestamp: number, asOf: number, gcMaxlifetime: number): SessionState {
  const age = asOf - timestamp;
  if (age <= ACTIVE_WINDOW_SECONDS) return 'active';
  if (age > gcMaxlifetime) return 'stale';
  return 'idle';
}

export interface SessionRow {
  sid: unknown;
  hostname: unknown;
  timestamp: unknown;
  session: unknown;
}

export interface SessionQuery {
  asOf: number;
  gcMaxlifetime: number;
  /** Where addresses are (country, kind); default: the kind only. */
  locate?: Locate;
  limit: number;
  offset: number;
  /** Only these sids (a revoke preview); else all of the user's. */
  sids?: string[];
}

export function toSessionInfo(row: SessionRow, asOf: number, gcMaxlifetime: number, locate: Locate = kindOnly): SessionInfo {
  const timestamp = Number(row.timestamp);
  const facts = readSessionData(serializedColumn(row.session));
  const hostname = String(row.hostname ?? '');
  return {
    sid: String(row.sid),
    hostname,
    ...locate(hostname),
    timestamp,
    created: facts.created,
    lifetime: facts.lifetime,
    state: sessionState(timestamp, asOf, gcMaxlifetime),
    masqueradeBy: facts.masqueradeBy,
    browser: facts.browser,
    client: describeClient(facts.browser),
    passwordReset: facts.passwordReset,
    readable: facts.readable,
  };
}

/**
 * A page of a user's sessions, newest first, through the `uid` index; only that page's
 * session data is read and parsed. The total and the count per state come from one
 * aggregate over the same index, so a user with 10,000 sessions costs one page.
 */
export async function listSessions(site: DrupalSite, uid: number, query: SessionQuery): Promise<SessionPage> {
  const empty: SessionPage = { total: 0, byState: { active: 0, idle: 0, stale: 0 }, sessions: [] };
  if (!site.tables.sessions || query.sids?.length === 0) return empty;
  const c = dialectFor(site.db.engine).column;
  const bySid = query.sids ? ` AND sid IN (${placeholders(query.sids.length)})` : '';
  const params = [uid, ...(query.sids ?? [])];
  const activeSince = query.asOf - ACTIVE_WINDOW_SECONDS;
  const staleBefore = query.asOf - query.gcMaxlifetime;
  // `timestamp + 0`: an expression, so no planner walks the timestamp index backwards
  // looking for this uid (PostgreSQL did, 0.5 s at 2M rows); the uid index finds the
  // user's rows and a top-N sort orders them.
  const [counts, rows] = await Promise.all([
    site.db.all<{ total: unknown; active: unknown; stale: unknown }>(
      `SELECT COUNT(*) AS total,
         SUM(CASE WHEN ${c('timestamp')} >= ? THEN 1 ELSE 0 END) AS active,
         SUM(CASE WHEN ${c('timestamp')} < ? THEN 1 ELSE 0 END) AS stale
       FROM ${site.tables.sessions} WHERE uid = ?${bySid}`,
      [activeSince, staleBefore, ...params],
    ),
    site.db.all<SessionRow>(
      `SELECT sid, hostname, ${c('timestamp')} AS timestamp, ${c('session')} AS session
       FROM ${site.tables.sessions} WHERE uid = ?${bySid} ORDER BY ${c('timestamp')} + 0 DESC, sid LIMIT ? OFFSET ?`,
      [...params, query.limit, query.offset],
    ),
  ]);
  const total = Number(counts[0]?.total ?? 0);
  const active = Number(counts[0]?.active ?? 0);
  const stale = Number(counts[0]?.stale ?? 0);
  return {
    total,
    byState: { active, idle: total - active - stale, stale },
    sessions: rows.map((row) => toSessionInfo(row, query.asOf, query.gcMaxlifetime, query.locate)),
  };
}

/** Sids per DELETE on MySQL: about 45 KiB of SQL, far below any max_allowed_packet. */
const DELETE_BATCH = 1000;

export interface SessionKey {
  sid: string;
  hostname: string;
}

/**
 * Deletes the rows of `uid` among `sids` (or all of them) and returns what was deleted.
 * Every delete is bound to the user: a sid of someone else is simply not matched.
 *
 * PostgreSQL and SQLite use DELETE … RETURNING, which needs no row lock (a lock would
 * need UPDATE privilege on PostgreSQL). MySQL has no RETURNING: the rows are locked
 * with SELECT … FOR UPDATE (allowed with DELETE privilege) and compared exactly,
 * because its ascii_general_ci sid column would match a sid typed in the wrong case.
 */
export async function deleteSessions(tx: Queryable, site: DrupalSite, uid: number, sids: string[] | 'all'): Promise<SessionKey[]> {
  const table = site.tables.sessions;
  if (!table) return [];
  const bySid = sids === 'all' ? '' : ` AND sid IN (${placeholders(sids.length)})`;
  const params = sids === 'all' ? [uid] : [uid, ...sids];
  const keys = (rows: Array<{ sid: unknown; hostname: unknown }>) =>
    rows.map((r) => ({ sid: String(r.sid), hostname: String(r.hostname ?? '') }));
  if (dialectFor(site.db.engine).supportsReturning) {
    return keys(await tx.all(`DELETE FROM ${table} WHERE uid = ?${bySid} RETURNING sid, hostname`, params));
  }
  const wanted = sids === 'all' ? null : new Set(sids);
  const found = keys(await tx.all(`SELECT sid, hostname FROM ${table} WHERE uid = ?${bySid} FOR UPDATE`, params)).filter(
    (row) => wanted === null || wanted.has(row.sid),
  );
  // In batches: one IN list of every sid of a user with 350k sessions would pass
  // max_allowed_packet. The rows are locked already, so the batches change nothing else.
  for (let start = 0; start < found.length; start += DELETE_BATCH) {
    const batch = found.slice(start, start + DELETE_BATCH).map((r) => r.sid);
    await tx.run(`DELETE FROM ${table} WHERE uid = ? AND sid IN (${placeholders(batch.length)})`, [uid, ...batch]);
  }
  return found;
}

/** A session named by its owner and its id: a revoke by criteria deletes exactly these. */
export interface OwnedSession extends SessionKey {
  uid: number;
}

/**
 * Deletes the sessions named by (uid, sid), those that still exist, and returns them.
 * Each is bound to its uid: a sid whose row belongs to someone else is not matched.
 * For a batch across many users (a revoke by criteria); at most a few hundred keys.
 */
export async function deleteSessionKeys(tx: Queryable, site: DrupalSite, keys: Array<{ uid: number; sid: string }>): Promise<OwnedSession[]> {
  const table = site.tables.sessions;
  if (!table || keys.length === 0) return [];
  const pairs = keys.map(() => '(uid = ? AND sid = ?)').join(' OR ');
  const params = keys.flatMap((k) => [k.uid, k.sid]);
  const owned = (rows: Array<{ uid: unknown; sid: unknown; hostname: unknown }>) =>
    rows.map((r) => ({ uid: Number(r.uid), sid: String(r.sid), hostname: String(r.hostname ?? '') }));
  if (dialectFor(site.db.engine).supportsReturning) {
    return owned(await tx.all(`DELETE FROM ${table} WHERE ${pairs} RETURNING uid, sid, hostname`, params));
  }
  // MySQL: lock, compare exactly (its sid column ignores case), delete what matched.
  const wanted = new Set(keys.map((k) => `${k.uid}:${k.sid}`));
  const found = owned(await tx.all(`SELECT uid, sid, hostname FROM ${table} WHERE ${pairs} FOR UPDATE`, params)).filter((r) => wanted.has(`${r.uid}:${r.sid}`));
  if (found.length > 0) {
    await tx.run(`DELETE FROM ${table} WHERE ${found.map(() => '(uid = ? AND sid = ?)').join(' OR ')}`, found.flatMap((r) => [r.uid, r.sid]));
  }
  return found;
}

/** A sid as Drupal writes it: base64url of a SHA-256, 43 characters. */
export const FULL_SID_LENGTH = 43;

/**
 * The sids of `uid` that begin with `prefix` (what the app shows and an operator copies
 * from a ticket): at most `limit`, compared exactly (MySQL's sid column ignores case).
 * LIKE's wildcards in the prefix (base64url has "_") are escaped.
 */
export async function sidsWithPrefix(site: DrupalSite, uid: number, prefix: string, limit = 10): Promise<string[]> {
  if (!site.tables.sessions) return [];
  const pattern = prefix.replace(/[!%_]/g, (c) => `!${c}`) + '%';
  const rows = await site.db.all<{ sid: unknown }>(
    `SELECT sid FROM ${site.tables.sessions} WHERE uid = ? AND sid LIKE ? ESCAPE '!' ORDER BY sid LIMIT ${limit + 1}`,
    [uid, pattern],
  );
  return rows.map((r) => String(r.sid)).filter((sid) => sid.startsWith(prefix));
}
