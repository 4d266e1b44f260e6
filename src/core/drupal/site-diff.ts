/**
 * What changed between two copies of a site (a dump and the live site, two dumps of
 * different days): sessions that appeared, disappeared or moved to another address;
 * accounts created, deleted, blocked, unblocked, given other roles or a new password
 * (whether the hash changed, never the hash). Both sides are walked in uid order, a page
 * at a time, and merged: nothing is held beyond a page, whatever the size of the sites.
 * Uids order the same on every engine, unlike sids (collations differ), which is why
 * sessions are compared per user.
 */
import { SITE_DIFF_KINDS, type SiteDiff, type SiteDiffChange, type SiteDiffKind } from '../../shared/domain.js';
import { isoTime, type Cell } from '../export/csv.js';
import { placeholders } from '../db/database.js';
import type { DrupalSite } from '../site.js';
import { accountNames, rolesOf } from './users.js';

const ACCOUNT_PAGE = 1000;
const SESSION_USERS_PAGE = 500;

interface Account {
  uid: number;
  name: string;
  blocked: boolean;
  pass: string | null;
  roles: string[];
}

interface SessionRow {
  sid: string;
  hostname: string;
  timestamp: number;
}

/** Accounts in uid order (the default translation, never uid 0), a page at a time, with their roles. */
async function* accounts(site: DrupalSite): AsyncGenerator<Account> {
  let after = 0;
  for (;;) {
    const rows = await site.db.all<{ uid: unknown; name: unknown; status: unknown; pass: unknown }>(
      `SELECT u.uid, u.name, u.status, u.pass FROM ${site.tables.usersFieldData} u
       WHERE u.default_langcode = 1 AND u.uid > ? ORDER BY u.uid LIMIT ${ACCOUNT_PAGE}`,
      [after],
    );
    if (rows.length === 0) return;
    const roles = await rolesOf(site, rows.map((r) => Number(r.uid)));
    for (const row of rows) {
      const uid = Number(row.uid);
      yield { uid, name: String(row.name), blocked: Number(row.status) !== 1, pass: row.pass === null || row.pass === undefined ? null : String(row.pass), roles: roles.get(uid) ?? [] };
    }
    after = Number(rows.at(-1)!.uid);
  }
}

/** Each signed-in user's sessions, in uid order: the next users with sessions, then all of theirs. */
async function* sessionsByUser(site: DrupalSite): AsyncGenerator<{ uid: number; sessions: SessionRow[] }> {
  const table = site.tables.sessions;
  if (!table) return;
  let after = 0;
  for (;;) {
    const uids = (await site.db.all<{ uid: unknown }>(`SELECT DISTINCT uid FROM ${table} WHERE uid > ? ORDER BY uid LIMIT ${SESSION_USERS_PAGE}`, [after])).map((r) => Number(r.uid));
    if (uids.length === 0) return;
    const rows = await site.db.all<{ uid: unknown; sid: unknown; hostname: unknown; timestamp: unknown }>(
      `SELECT uid, sid, hostname, timestamp FROM ${table} WHERE uid IN (${placeholders(uids.length)})`,
      uids,
    );
    const byUser = new Map<number, SessionRow[]>(uids.map((uid) => [uid, []]));
    for (const row of rows) byUser.get(Number(row.uid))?.push({ sid: String(row.sid), hostname: String(row.hostname ?? ''), timestamp: Number(row.timestamp) });
    for (const uid of uids) yield { uid, sessions: byUser.get(uid)! };
    after = uids.at(-1)!;
  }
}

/** Two uid-ordered streams side by side: each uid once, with what either side has of it. */
async function* mergeByUid<T extends { uid: number }>(before: AsyncGenerator<T>, after: AsyncGenerator<T>): AsyncGenerator<[T | null, T | null]> {
  let a = await before.next();
  let b = await after.next();
  while (!a.done || !b.done) {
    if (b.done || (!a.done && a.value.uid < b.value.uid)) {
      yield [a.value as T, null];
      a = await before.next();
    } else if (a.done || b.value.uid < a.value.uid) {
      yield [null, b.value];
      b = await after.next();
    } else {
      yield [a.value, b.value];
      [a, b] = await Promise.all([before.next(), after.next()]);
    }
  }
}

function sameRoles(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((role, i) => role === [...b].sort()[i]);
}

/** Account changes from `before` to `after`, in uid order. */
export async function* accountChanges(before: DrupalSite, after: DrupalSite): AsyncGenerator<SiteDiffChange> {
  for await (const [old, now] of mergeByUid(accounts(before), accounts(after))) {
    if (!old) {
      yield { kind: 'account-created', uid: now!.uid, name: now!.name };
      continue;
    }
    if (!now) {
      yield { kind: 'account-deleted', uid: old.uid, name: old.name };
      continue;
    }
    const { uid, name } = now;
    if (old.blocked !== now.blocked) yield { kind: now.blocked ? 'account-blocked' : 'account-unblocked', uid, name };
    if (!sameRoles(old.roles, now.roles)) yield { kind: 'roles-changed', uid, name, before: old.roles, after: now.roles };
    // Only whether it changed: a hash is a secret, before and after.
    if (old.pass !== now.pass) yield { kind: 'password-changed', uid, name };
  }
}

/** Session changes from `before` to `after`, user by user in uid order. */
export async function* sessionChanges(before: DrupalSite, after: DrupalSite): AsyncGenerator<SiteDiffChange> {
  const pending: SiteDiffChange[] = [];
  const names = async (changes: SiteDiffChange[]) => {
    // Named from the newer side, else the older (an account deleted since).
    const uids = [...new Set(changes.map((c) => c.uid))];
    const [now, then] = await Promise.all([accountNames(after, uids), accountNames(before, uids)]);
    return changes.map((c) => ({ ...c, name: now.get(c.uid) ?? then.get(c.uid) ?? null }));
  };
  for await (const [old, now] of mergeByUid(sessionsByUser(before), sessionsByUser(after))) {
    const uid = (old ?? now)!.uid;
    const then = new Map((old?.sessions ?? []).map((s) => [s.sid, s]));
    const current = new Map((now?.sessions ?? []).map((s) => [s.sid, s]));
    for (const [sid, s] of current) {
      const was = then.get(sid);
      if (!was) pending.push({ kind: 'session-appeared', uid, name: null, sid, hostname: s.hostname, lastUsed: s.timestamp });
      else if (was.hostname !== s.hostname) pending.push({ kind: 'session-ip-changed', uid, name: null, sid, before: was.hostname, after: s.hostname, lastUsed: s.timestamp });
    }
    for (const [sid, s] of then) {
      if (!current.has(sid)) pending.push({ kind: 'session-disappeared', uid, name: null, sid, hostname: s.hostname, lastUsed: s.timestamp });
    }
    if (pending.length >= ACCOUNT_PAGE) yield* await names(pending.splice(0));
  }
  if (pending.length > 0) yield* await names(pending);
}

/** Counts every change and keeps the first `limit` of them. */
export async function summarizeDiff(
  changes: AsyncIterable<SiteDiffChange>,
  sides: Pick<SiteDiff, 'before' | 'after'>,
  limit: number,
): Promise<SiteDiff> {
  const counts = Object.fromEntries(SITE_DIFF_KINDS.map((kind) => [kind, 0])) as Record<SiteDiffKind, number>;
  const kept: SiteDiffChange[] = [];
  let total = 0;
  for await (const change of changes) {
    counts[change.kind]++;
    total++;
    if (kept.length < limit) kept.push(change);
  }
  return { ...sides, counts, changes: kept, complete: kept.length === total };
}

export const DIFF_CSV_COLUMNS = ['kind', 'uid', 'name', 'sid', 'hostname', 'before', 'after', 'lastUsed'] as const;

/** One change as a CSV row (roles joined with spaces, times in ISO-8601). */
export function diffCsvRow(change: SiteDiffChange): Cell[] {
  const list = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(' ') : value);
  return [change.kind, change.uid, change.name, change.sid, change.hostname, list(change.before), list(change.after), isoTime(change.lastUsed)];
}
