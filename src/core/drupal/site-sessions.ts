/**
 * The site-wide session board: every session that passes the filters, newest use first,
 * paged, with the total and the count per state. What SQL can decide (user, role,
 * times, owner status, an exact IPv4 address) it decides; the rest (CIDR ranges, IPv6,
 * creation time, masquerade, password resets) is decided here, row by row, over a
 * keyset scan of the candidates the database narrowed down.
 *
 * Indexes: Drupal's `sessions` has one on `timestamp` (the order, and the used/state
 * filters) and one on `uid` (a user filter). IP, role, owner and session-data filters
 * have no index and scan.
 */
import type { IpGroup, IpGroupPage, Location, SessionCounts, SessionFilter, SiteSession, SiteSessionPage } from '../../shared/domain.js';
import { ACTIVE_WINDOW_SECONDS } from '../../shared/domain.js';
import { AppFailure } from '../../shared/errors.js';
import type { SqlValue } from '../db/database.js';
import { placeholders } from '../db/database.js';
import { dialectFor } from '../engines/index.js';
import type { IpFilter } from '../net/ip-filter.js';
import { kindOnly, normalizeAddress, type Locate } from '../net/geo.js';
import type { DrupalSite } from '../site.js';
import { serializedColumn } from './php-serialize.js';
import { readSessionData, type SessionFacts } from './session-data.js';
import { sessionState, toSessionInfo, type SessionRow } from './sessions.js';

/** Past this many matches the board stops counting (as user searches do). */
export const BOARD_COUNT_LIMIT = 100_000;
/** Candidate rows per keyset batch when filters are decided per row. */
const SCAN_BATCH = 2000;

/** The filters with the user resolved to a uid and the IP parsed. */
export interface BoardCriteria extends Omit<SessionFilter, 'user' | 'ip'> {
  uid?: number;
  ip?: IpFilter;
}

export interface BoardQuery {
  asOf: number;
  gcMaxlifetime: number;
  /** Where addresses are (country, kind); default: the kind only. */
  locate?: Locate;
  limit: number;
  offset: number;
}

interface BoardRow extends SessionRow {
  uid: unknown;
  user_name: unknown;
  user_status: unknown;
}

const ROLE_ID = /^[a-z0-9_]{1,64}$/;

/** The WHERE clause the database can decide, and what is left to decide per row. */
function sqlConditions(site: DrupalSite, criteria: BoardCriteria, query: BoardQuery) {
  const d = dialectFor(site.db.engine);
  const ts = `s.${d.column('timestamp')}`;
  const sql: string[] = [];
  const params: SqlValue[] = [];
  const anonymousToo = (criteria.includeAnonymous === true || criteria.role === 'anonymous') && !criteria.orphan;
  if (!anonymousToo) sql.push('s.uid > 0');
  if (criteria.orphan) sql.push('u.uid IS NULL');
  // uid 0 has a row too (anonymous, status 0): it is neither blocked nor authenticated.
  if (criteria.ownerBlocked) sql.push('s.uid > 0 AND u.status = 0');
  if (criteria.uid !== undefined) {
    sql.push('s.uid = ?');
    params.push(criteria.uid);
  }
  if (criteria.role !== undefined) {
    if (!ROLE_ID.test(criteria.role)) throw new AppFailure('USAGE', `"${criteria.role}" is not a role id: role ids are lower-case letters, digits and underscores.`);
    if (criteria.role === 'anonymous') sql.push('s.uid = 0');
    else if (criteria.role === 'authenticated') sql.push('s.uid > 0 AND u.uid IS NOT NULL');
    else {
      sql.push(`s.uid IN (SELECT r.entity_id FROM ${site.tables.userRoles} r WHERE r.deleted = 0 AND r.roles_target_id = ?)`);
      params.push(criteria.role);
    }
  }
  const activeSince = query.asOf - ACTIVE_WINDOW_SECONDS;
  const staleBefore = query.asOf - query.gcMaxlifetime;
  if (criteria.states && criteria.states.length > 0 && criteria.states.length < 3) {
    const ranges = criteria.states.map((state) => {
      if (state === 'active') {
        params.push(activeSince);
        return `${ts} >= ?`;
      }
      if (state === 'stale') {
        params.push(staleBefore);
        return `${ts} < ?`;
      }
      params.push(activeSince, staleBefore);
      return `(${ts} < ? AND ${ts} >= ?)`;
    });
    sql.push(`(${ranges.join(' OR ')})`);
  }
  if (criteria.usedAfter !== undefined) {
    sql.push(`${ts} >= ?`);
    params.push(criteria.usedAfter);
  }
  if (criteria.usedBefore !== undefined) {
    sql.push(`${ts} < ?`);
    params.push(criteria.usedBefore);
  }
  // A session is used after it is created: "created after" narrows the last use too.
  if (criteria.createdAfter !== undefined) {
    sql.push(`${ts} >= ?`);
    params.push(criteria.createdAfter);
  }
  if (criteria.ip?.sqlEquals) {
    sql.push(`s.hostname IN (${placeholders(criteria.ip.sqlEquals.length)})`);
    params.push(...criteria.ip.sqlEquals);
  }
  // Narrowed in SQL by the key the data must hold, decided exactly once parsed.
  const data = `s.${d.column('session')}`;
  if (criteria.masquerade) {
    sql.push(`${data} LIKE ?`);
    params.push(d.binary('%masquerading%'));
  }
  if (criteria.passwordReset) {
    sql.push(`${data} LIKE ?`);
    params.push(d.binary('%pass_reset_%'));
  }
  const ip = criteria.ip && !criteria.ip.sqlEquals ? criteria.ip : null;
  const needsData = criteria.masquerade === true || criteria.passwordReset === true || criteria.createdAfter !== undefined || criteria.createdBefore !== undefined;
  const keep = (hostname: string, facts: SessionFacts | null): boolean => {
    if (ip && !ip.matches(hostname)) return false;
    if (!facts) return true;
    if (criteria.masquerade && facts.masqueradeBy === null) return false;
    if (criteria.passwordReset && !facts.passwordReset) return false;
    if (criteria.createdAfter !== undefined && (facts.created === null || facts.created < criteria.createdAfter)) return false;
    if (criteria.createdBefore !== undefined && (facts.created === null || facts.created >= criteria.createdBefore)) return false;
    return true;
  };
  return { sql, params, perRow: ip !== null || needsData, needsData, keep };
}

/** A matching session's key, with what a revoke records of it. */
export interface MatchedSession {
  uid: number;
  sid: string;
  hostname: string;
  timestamp: number;
}

/**
 * Every session that passes the filters, newest use first, read in keyset batches of
 * SCAN_BATCH candidates (`timestamp`, then `sid`, both descending: ties cannot repeat or
 * skip a row). Session data is read only when a filter needs it.
 */
async function* scanMatches(site: DrupalSite, conditions: ReturnType<typeof sqlConditions>): AsyncGenerator<MatchedSession> {
  const d = dialectFor(site.db.engine);
  const ts = `s.${d.column('timestamp')}`;
  const columns = `s.uid, s.sid, s.hostname, ${ts} AS timestamp${conditions.needsData ? `, s.${d.column('session')} AS session` : ''}`;
  let after: { timestamp: number; sid: string } | null = null;
  for (;;) {
    const where = [...conditions.sql, ...(after ? [`(${ts} < ? OR (${ts} = ? AND s.sid < ?))`] : [])];
    const rows: Array<{ uid: unknown; sid: unknown; hostname: unknown; timestamp: unknown; session?: unknown }> = await site.db.all(
      `SELECT ${columns} ${boardFrom(site)} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${ts} DESC, s.sid DESC LIMIT ${SCAN_BATCH}`,
      [...conditions.params, ...(after ? [after.timestamp, after.timestamp, after.sid] : [])],
    );
    for (const row of rows) {
      const hostname = String(row.hostname ?? '');
      const facts = conditions.needsData ? readSessionData(serializedColumn(row.session)) : null;
      if (conditions.keep(hostname, facts)) yield { uid: Number(row.uid), sid: String(row.sid), hostname, timestamp: Number(row.timestamp) };
    }
    const last = rows[rows.length - 1];
    if (rows.length < SCAN_BATCH || !last) return;
    after = { timestamp: Number(last.timestamp), sid: String(last.sid) };
  }
}

/** The sessions joined with their owner's default-language account row (if any). */
function boardFrom(site: DrupalSite): string {
  return `FROM ${site.tables.sessions} s LEFT JOIN ${site.tables.usersFieldData} u ON u.uid = s.uid AND u.default_langcode = 1`;
}

/**
 * Every session that passes the filters, as keys, for a revoke by criteria: at most
 * `max`; `more` says there were more (the caller refuses rather than revoke a part).
 */
export async function matchSessions(site: DrupalSite, criteria: BoardCriteria, query: BoardQuery, max: number): Promise<{ sessions: MatchedSession[]; more: boolean }> {
  const sessions: MatchedSession[] = [];
  if (!site.tables.sessions) return { sessions, more: false };
  for await (const match of scanMatches(site, sqlConditions(site, criteria, query))) {
    if (sessions.length === max) return { sessions, more: true };
    sessions.push(match);
  }
  return { sessions, more: false };
}

function toSiteSession(row: BoardRow, query: BoardQuery): SiteSession {
  const uid = Number(row.uid);
  // Drupal keeps a row for uid 0 (anonymous, no name): it is no one's account.
  const account = uid > 0 && row.user_status !== null && row.user_status !== undefined;
  return {
    ...toSessionInfo(row, query.asOf, query.gcMaxlifetime, query.locate),
    uid,
    name: account ? String(row.user_name ?? '') : null,
    ownerStatus: account ? (Number(row.user_status) === 1 ? 'active' : 'blocked') : null,
  };
}

export async function listSiteSessions(site: DrupalSite, criteria: BoardCriteria, query: BoardQuery): Promise<SiteSessionPage> {
  const empty: SiteSessionPage = { asOf: query.asOf, offset: query.offset, total: 0, totalIsExact: true, byState: { active: 0, idle: 0, stale: 0 }, sessions: [] };
  if (!site.tables.sessions) return empty;
  const d = dialectFor(site.db.engine);
  const ts = `s.${d.column('timestamp')}`;
  const from = boardFrom(site);
  const conditions = sqlConditions(site, criteria, query);
  const where = conditions.sql.length > 0 ? `WHERE ${conditions.sql.join(' AND ')}` : '';
  const columns = `s.uid, s.sid, s.hostname, ${ts} AS timestamp, s.${d.column('session')} AS session, u.name AS user_name, u.status AS user_status`;
  const order = `ORDER BY ${ts} DESC, s.sid DESC`;

  if (!conditions.perRow) {
    // Everything decided in SQL: one aggregate for the counts, one page.
    const [counts, rows] = await Promise.all([
      site.db.all<{ total: unknown; active: unknown; stale: unknown }>(
        `SELECT COUNT(*) AS total, SUM(CASE WHEN ${ts} >= ? THEN 1 ELSE 0 END) AS active, SUM(CASE WHEN ${ts} < ? THEN 1 ELSE 0 END) AS stale ${from} ${where}`,
        [query.asOf - ACTIVE_WINDOW_SECONDS, query.asOf - query.gcMaxlifetime, ...conditions.params],
      ),
      site.db.all<BoardRow>(`SELECT ${columns} ${from} ${where} ${order} LIMIT ? OFFSET ?`, [...conditions.params, query.limit, query.offset]),
    ]);
    const total = Number(counts[0]?.total ?? 0);
    const active = Number(counts[0]?.active ?? 0);
    const stale = Number(counts[0]?.stale ?? 0);
    return { ...empty, total, byState: { active, idle: total - active - stale, stale }, sessions: rows.map((row) => toSiteSession(row, query)) };
  }

  // Decided per row: scan the candidates newest first, keep the page, count up to
  // BOARD_COUNT_LIMIT.
  const byState: SessionCounts = { active: 0, idle: 0, stale: 0 };
  const pageSids: string[] = [];
  let matched = 0;
  let exact = true;
  for await (const match of scanMatches(site, conditions)) {
    if (matched === BOARD_COUNT_LIMIT) {
      exact = false;
      break;
    }
    if (matched >= query.offset && pageSids.length < query.limit) pageSids.push(match.sid);
    matched++;
    byState[sessionState(match.timestamp, query.asOf, query.gcMaxlifetime)]++;
  }
  const page = pageSids.length === 0
    ? []
    : await site.db.all<BoardRow>(`SELECT ${columns} ${from} WHERE s.sid IN (${placeholders(pageSids.length)}) ${order}`, pageSids);
  // Compared exactly: MySQL's sid column ignores case.
  const wanted = new Set(pageSids);
  return {
    ...empty,
    total: matched,
    totalIsExact: exact,
    // Past the limit the counts are of the first 100,000 matches: lower bounds, as `total`.
    byState,
    sessions: page.filter((row) => wanted.has(String(row.sid))).map((row) => toSiteSession(row, query)),
  };
}

/** An address as it is grouped: IPv4-mapped IPv6 as the IPv4 address, IPv6 in lower case. */
const IP_KEY = (hostname: string): string => {
  const address = normalizeAddress(hostname);
  return address?.family === 'ipv4' ? address.ip : (address?.ip ?? hostname.trim()).toLowerCase();
};

/**
 * The matching sessions grouped by client address: per address the accounts, the
 * sessions and the last use; most accounts first. Aggregated in SQL when the database
 * decides every filter, else over the per-row scan (counting stops at BOARD_COUNT_LIMIT
 * sessions).
 */
export async function listIpGroups(site: DrupalSite, criteria: BoardCriteria, query: BoardQuery): Promise<IpGroupPage> {
  const empty: IpGroupPage = { asOf: query.asOf, offset: query.offset, total: 0, totalIsExact: true, ips: [] };
  if (!site.tables.sessions) return empty;
  const d = dialectFor(site.db.engine);
  const ts = `s.${d.column('timestamp')}`;
  const conditions = sqlConditions(site, criteria, query);
  const locate = query.locate ?? kindOnly;
  const order = (a: Omit<IpGroup, keyof Location>, b: Omit<IpGroup, keyof Location>) => b.accounts - a.accounts || b.sessions - a.sessions || b.lastUsed - a.lastUsed || a.ip.localeCompare(b.ip);
  if (!conditions.perRow) {
    const where = conditions.sql.length > 0 ? `WHERE ${conditions.sql.join(' AND ')}` : '';
    // IPv4 seen through an IPv6 socket (::ffff:a.b.c.d) is the IPv4 address.
    const key = `CASE WHEN LOWER(s.hostname) LIKE '::ffff:%.%' THEN SUBSTR(s.hostname, 8) ELSE LOWER(s.hostname) END`;
    const grouped = `SELECT ${key} AS ip, COUNT(DISTINCT s.uid) AS accounts, COUNT(*) AS sessions, MAX(${ts}) AS last_used ${boardFrom(site)} ${where} GROUP BY ${key}`;
    const [counted, rows] = await Promise.all([
      site.db.all<{ total: unknown }>(`SELECT COUNT(*) AS total FROM (${grouped}) g`, conditions.params),
      site.db.all<{ ip: unknown; accounts: unknown; sessions: unknown; last_used: unknown }>(
        `${grouped} ORDER BY accounts DESC, sessions DESC, last_used DESC, ip LIMIT ? OFFSET ?`,
        [...conditions.params, query.limit, query.offset],
      ),
    ]);
    return {
      ...empty,
      total: Number(counted[0]?.total ?? 0),
      ips: rows.map((r) => {
        const ip = String(r.ip ?? '');
        return { ip, ...locate(ip), accounts: Number(r.accounts), sessions: Number(r.sessions), lastUsed: Number(r.last_used) };
      }),
    };
  }
  const groups = new Map<string, { uids: Set<number>; sessions: number; lastUsed: number }>();
  let scanned = 0;
  let exact = true;
  for await (const match of scanMatches(site, conditions)) {
    if (scanned === BOARD_COUNT_LIMIT) {
      exact = false;
      break;
    }
    scanned++;
    const ip = IP_KEY(match.hostname);
    const group = groups.get(ip) ?? { uids: new Set<number>(), sessions: 0, lastUsed: 0 };
    group.uids.add(match.uid);
    group.sessions++;
    group.lastUsed = Math.max(group.lastUsed, match.timestamp);
    groups.set(ip, group);
  }
  const all = [...groups].map(([ip, g]) => ({ ip, accounts: g.uids.size, sessions: g.sessions, lastUsed: g.lastUsed })).sort(order);
  return {
    ...empty,
    total: all.length,
    totalIsExact: exact,
    ips: all.slice(query.offset, query.offset + query.limit).map((group) => ({ ...group, ...locate(group.ip) })),
  };
}

/**
 * Accounts whose live sessions (active or idle as of the as-of time) come from several
 * countries, or several networks (with the operator's ASN database), at once: the
 * sessions newest first, up to BOARD_COUNT_LIMIT scanned, each address located once.
 */
export async function accountsInSeveralPlaces(
  site: DrupalSite,
  criteria: BoardCriteria,
  query: BoardQuery & { locate: Locate },
): Promise<Array<{ uid: number; by: 'country' | 'network'; places: string[]; sids: string[] }>> {
  if (!site.tables.sessions) return [];
  const live: BoardCriteria = { ...criteria, states: ['active', 'idle'] };
  const places = { country: new Map<number, Map<string, string[]>>(), network: new Map<number, Map<string, string[]>>() };
  const located = new Map<string, Location>();
  let scanned = 0;
  for await (const match of scanMatches(site, sqlConditions(site, live, query))) {
    if (scanned++ === BOARD_COUNT_LIMIT) break;
    if (!located.has(match.hostname)) located.set(match.hostname, query.locate(match.hostname));
    const where = located.get(match.hostname)!;
    for (const by of ['country', 'network'] as const) {
      const place = where[by];
      if (!place) continue;
      const ofUser = places[by].get(match.uid) ?? new Map<string, string[]>();
      const sids = ofUser.get(place);
      if (sids) sids.push(match.sid);
      else ofUser.set(place, [match.sid]);
      places[by].set(match.uid, ofUser);
    }
  }
  return (['country', 'network'] as const).flatMap((by) =>
    [...places[by]]
      .filter(([, seen]) => seen.size > 1)
      .map(([uid, seen]) => ({ uid, by, places: [...seen.keys()].sort(), sids: [...seen.values()].flat() })),
  );
}
