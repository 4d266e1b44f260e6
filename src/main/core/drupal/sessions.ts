/**
 * The `sessions` table: list a user's rows (by the uid index), and delete rows bound
 * to their user. A missing table (Drupal 10.3+ creates it lazily) holds no sessions.
 */
import type { SessionInfo, SessionState } from '../../../shared/domain.js';
import { placeholders, type Queryable } from '../db/database.js';
import type { DrupalSite } from '../site.js';
import { dialectFor } from './dialect.js';
import { readSessionData } from './session-data.js';

/** Core's "Who's online" window: a session used within 15 minutes is active. */
export const ACTIVE_WINDOW_SECONDS = 900;
/** services.yml's default session.storage.options.gc_maxlifetime. */
export const DEFAULT_GC_MAXLIFETIME = 200_000;

export function sessionState(timestamp: number, asOf: number, gcMaxlifetime: number): SessionState {
  const age = asOf - timestamp;
  if (age <= ACTIVE_WINDOW_SECONDS) return 'active';
  if (age > gcMaxlifetime) return 'stale';
  return 'idle';
}

interface SessionRow {
  sid: unknown;
  hostname: unknown;
  timestamp: unknown;
  session: unknown;
}

function blob(value: unknown): Uint8Array | string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Uint8Array ? value : String(value);
}

export async function listSessions(
  site: DrupalSite,
  uid: number,
  asOf: number,
  gcMaxlifetime: number,
): Promise<SessionInfo[]> {
  if (!site.tables.sessions) return [];
  const c = dialectFor(site.db.engine).column;
  const rows = await site.db.all<SessionRow>(
    `SELECT sid, hostname, ${c('timestamp')} AS timestamp, ${c('session')} AS session
     FROM ${site.tables.sessions} WHERE uid = ? ORDER BY ${c('timestamp')} DESC, sid`,
    [uid],
  );
  return rows.map((row) => {
    const timestamp = Number(row.timestamp);
    const facts = readSessionData(blob(row.session));
    return {
      sid: String(row.sid),
      hostname: String(row.hostname ?? ''),
      timestamp,
      created: facts.created,
      lifetime: facts.lifetime,
      state: sessionState(timestamp, asOf, gcMaxlifetime),
      masqueradeBy: facts.masqueradeBy,
      browser: facts.browser,
      passwordReset: facts.passwordReset,
      readable: facts.readable,
    };
  });
}

export interface SessionKey {
  sid: string;
  hostname: string;
}

/**
 * The rows of `uid` among `sids`, compared exactly: MySQL's ascii_general_ci would
 * otherwise match a sid typed in the wrong case. Locks them where the engine can.
 */
export async function findOwnSessions(
  tx: Queryable,
  site: DrupalSite,
  uid: number,
  sids: string[] | 'all',
): Promise<SessionKey[]> {
  if (!site.tables.sessions) return [];
  const d = dialectFor(site.db.engine);
  const bySid = sids === 'all' ? '' : ` AND sid IN (${placeholders(sids.length)})`;
  const rows = await tx.all<{ sid: unknown; hostname: unknown }>(
    `SELECT sid, hostname FROM ${site.tables.sessions} WHERE uid = ?${bySid}${d.forUpdate}`,
    sids === 'all' ? [uid] : [uid, ...sids],
  );
  const wanted = sids === 'all' ? null : new Set(sids);
  return rows
    .map((r) => ({ sid: String(r.sid), hostname: String(r.hostname ?? '') }))
    .filter((r) => wanted === null || wanted.has(r.sid));
}

/** Deletes one row, only where both uid and sid match. Returns whether it was there. */
export async function deleteSession(tx: Queryable, site: DrupalSite, uid: number, sid: string): Promise<boolean> {
  if (!site.tables.sessions) return false;
  return (await tx.run(`DELETE FROM ${site.tables.sessions} WHERE uid = ? AND sid = ?`, [uid, sid])) > 0;
}

/** Deletes every row of `uid`, as Drupal does on logout-everywhere, password change or block. */
export async function deleteAllSessions(tx: Queryable, site: DrupalSite, uid: number): Promise<number> {
  if (!site.tables.sessions) return 0;
  return tx.run(`DELETE FROM ${site.tables.sessions} WHERE uid = ?`, [uid]);
}
