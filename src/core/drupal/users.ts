/**
 * Reads accounts from `users_field_data` (default translation only, never uid 0) and
 * `user__roles`. Searches are filtered, counted and paged in SQL.
 */
import type { UserPage, UserSort, UserSummary } from '../../shared/domain.js';
import { isEmailAddress, uidReference } from '../../shared/user-refs.js';
import { placeholders, type SqlValue } from '../db/database.js';
import { dialectFor } from '../engines/index.js';
import { phpUnserialize, serializedColumn } from './php-serialize.js';
import type { DrupalSite } from '../site.js';
import { hashShape } from '../auth/password.js';
import { AppFailure } from '../../shared/errors.js';

interface UserRow {
  uid: unknown;
  name: unknown;
  mail: unknown;
  status: unknown;
  created: unknown;
  access: unknown;
  login: unknown;
  session_count: unknown;
}

export interface Credentials {
  uid: number;
  name: string;
  pass: string | null;
  status: number;
}

function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Timestamps of 0 mean "never" in Drupal. */
function time(value: unknown): number | null {
  const n = num(value);
  return n === null || n === 0 ? null : n;
}

const PERSON = 'u.default_langcode = 1 AND u.uid > 0';

/**
 * No name or e-mail can hold a NUL character (PostgreSQL text cannot store one, and
 * refuses it even as a parameter): text with one matches nothing, without asking.
 */
function storable(text: string): boolean {
  return !text.includes('\u0000');
}

function selectUsers(site: DrupalSite): string {
  const { tables } = site;
  const count = tables.sessions
    ? `(SELECT COUNT(*) FROM ${tables.sessions} s WHERE s.uid = u.uid)`
    : '0';
  return `SELECT u.uid, u.name, u.mail, u.status, u.created, u.access, u.login, ${count} AS session_count
    FROM ${tables.usersFieldData} u`;
}

/** Adds roles and key_value timestamps to a page of rows: two indexed queries per page. */
async function summarize(site: DrupalSite, rows: UserRow[]): Promise<UserSummary[]> {
  const uids = rows.map((r) => Number(r.uid));
  const [roles, lastSeen] = await Promise.all([rolesOf(site, uids), keyValueTimestamps(site, uids)]);
  return rows.map((r) => {
    const uid = Number(r.uid);
    const access = Math.max(time(r.access) ?? 0, lastSeen.access.get(uid) ?? 0);
    const login = Math.max(time(r.login) ?? 0, lastSeen.login.get(uid) ?? 0);
    return {
      uid,
      name: String(r.name ?? ''),
      mail: r.mail === null || r.mail === undefined || r.mail === '' ? null : String(r.mail),
      status: Number(r.status) === 1 ? 'active' : 'blocked',
      roles: roles.get(uid) ?? [],
      created: time(r.created),
      access: access || null,
      login: login || null,
      sessionCount: num(r.session_count) ?? 0,
    };
  });
}

export async function rolesOf(site: DrupalSite, uids: number[]): Promise<Map<number, string[]>> {
  const result = new Map<number, string[]>();
  if (uids.length === 0) return result;
  const rows = await site.db.all<{ uid: unknown; role: unknown }>(
    `SELECT entity_id AS uid, roles_target_id AS role FROM ${site.tables.userRoles}
     WHERE deleted = 0 AND entity_id IN (${placeholders(uids.length)}) ORDER BY entity_id, delta`,
    uids,
  );
  for (const row of rows) {
    const uid = Number(row.uid);
    result.set(uid, [...(result.get(uid) ?? []), String(row.role)]);
  }
  return result;
}

/**
 * Some recent cores keep access/login times in key_value (collections
 * user.timestamp.access / user.timestamp.login) instead of updating the user row.
 * Where those rows exist, the later of the two values wins.
 */
async function keyValueTimestamps(site: DrupalSite, uids: number[]) {
  const access = new Map<number, number>();
  const login = new Map<number, number>();
  if (!site.tables.keyValue || uids.length === 0) return { access, login };
  const rows = await site.db.all<{ collection: unknown; name: unknown; value: unknown }>(
    `SELECT collection, name, value FROM ${site.tables.keyValue}
     WHERE collection IN (?, ?) AND name IN (${placeholders(uids.length)})`,
    ['user.timestamp.access', 'user.timestamp.login', ...uids.map(String)],
  );
  for (const row of rows) {
    try {
      const value = phpUnserialize(serializedColumn(row.value) ?? '');
      const n = num(value);
      if (n === null) continue;
      (row.collection === 'user.timestamp.access' ? access : login).set(Number(row.name), n);
    } catch {
      // A value we cannot read is ignored; the users_field_data column still stands.
    }
  }
  return { access, login };
}

export interface SearchQuery {
  text: string;
  limit: number;
  offset: number;
  /** Restrict to this uid (an operator who may only inspect their own sessions). */
  onlyUid?: number;
  /** A substring search even for `uid:<n>` or an e-mail address. */
  contains?: boolean;
  /** Default: by name. */
  sort?: UserSort;
}

/** Up to this many matches are counted exactly; past it, the total is a lower bound. */
export const EXACT_TOTAL_LIMIT = 100_000;

/**
 * What a search text asks for. `uid:<n>` and an e-mail address (name@domain) are exact
 * lookups through Drupal's indexes (primary key, `user_field__mail`); other text is a
 * substring of name or e-mail, which no index serves (it scans).
 */
export type SearchKind =
  | { kind: 'uid'; uid: number }
  | { kind: 'mail'; mail: string }
  /** The same address in any letter case (scans; only when the exact lookup found none). */
  | { kind: 'mailAnyCase'; mail: string }
  | { kind: 'substring'; text: string };

export function searchKind(text: string, contains = false): SearchKind {
  const trimmed = text.trim();
  if (contains) return { kind: 'substring', text: trimmed };
  const uid = uidReference(trimmed);
  if (uid !== null) return { kind: 'uid', uid };
  // A whole address; a partial one, as typed into the search box, stays a substring.
  return isEmailAddress(trimmed) ? { kind: 'mail', mail: trimmed } : { kind: 'substring', text: trimmed };
}

/** The WHERE conditions and parameters of a search, besides PERSON. */
function searchConditions(site: DrupalSite, search: SearchKind): { sql: string[]; params: SqlValue[] } {
  const d = dialectFor(site.db.engine);
  switch (search.kind) {
    case 'uid':
      return { sql: ['u.uid = ?'], params: [search.uid] };
    case 'mail':
      return { sql: [d.equalsIndexed('u.mail')], params: [search.mail] };
    case 'mailAnyCase':
      return { sql: [d.equalsFolded('u.mail')], params: [search.mail] };
    case 'substring': {
      if (search.text === '') return { sql: [], params: [] };
      const ascii = /^[ -~]*$/.test(search.text);
      const alternatives = [d.containsFolded('u.name', ascii), d.containsFolded('u.mail', ascii)];
      const params: SqlValue[] = [search.text, search.text];
      if (/^\d{1,15}$/.test(search.text)) {
        alternatives.push('u.uid = ?');
        params.push(Number(search.text));
      }
      return { sql: [`(${alternatives.join(' OR ')})`], params };
    }
  }
}

export async function searchUsers(site: DrupalSite, query: SearchQuery): Promise<UserPage> {
  if (!storable(query.text)) return { total: 0, totalIsExact: true, users: [] };
  const d = dialectFor(site.db.engine);
  const search = searchKind(query.text, query.contains);
  const page = await searchPage(site, query, search);
  // An address in another letter case: e-mail matching ignores case, as Drupal's does.
  if (search.kind === 'mail' && page.total === 0 && !d.indexedEqualsIgnoresCase) {
    return searchPage(site, query, { kind: 'mailAnyCase', mail: search.mail });
  }
  return page;
}

async function searchPage(site: DrupalSite, query: SearchQuery, search: SearchKind): Promise<UserPage> {
  const d = dialectFor(site.db.engine);
  const found = searchConditions(site, search);
  const conditions = [PERSON, ...found.sql];
  const params = [...found.params];
  if (query.onlyUid !== undefined) {
    conditions.push('u.uid = ?');
    params.push(query.onlyUid);
  }
  const where = conditions.join(' AND ');
  // By last access: Drupal's `access` index; by session count: counted per matching account (scans on big sites).
  const byName = `${d.orderFolded('u.name')}, u.uid`;
  const order = `ORDER BY ${query.sort === 'lastSeen' ? 'u.access DESC, u.uid' : query.sort === 'sessions' ? `session_count DESC, ${byName}` : byName}`;
  if (search.kind !== 'substring') {
    // An exact lookup finds an account or a few: one indexed query, counted as it comes.
    const rows = await site.db.all<UserRow>(`${selectUsers(site)} WHERE ${where} ${order} LIMIT ${MAX_CANDIDATES}`, params);
    return { total: rows.length, totalIsExact: true, users: await summarize(site, rows.slice(query.offset, query.offset + query.limit)) };
  }
  // Counting stops past EXACT_TOTAL_LIMIT: a million-row count is not worth its seconds.
  const [[countRow], rows] = await Promise.all([
    site.db.all<{ total: unknown }>(
      `SELECT COUNT(*) AS total FROM (SELECT 1 FROM ${site.tables.usersFieldData} u WHERE ${where} LIMIT ${EXACT_TOTAL_LIMIT + 1}) counted`,
      params,
    ),
    site.db.all<UserRow>(`${selectUsers(site)} WHERE ${where} ${order} LIMIT ? OFFSET ?`, [...params, query.limit, query.offset]),
  ]);
  const counted = num(countRow?.total) ?? 0;
  return { total: Math.min(counted, EXACT_TOTAL_LIMIT), totalIsExact: counted <= EXACT_TOTAL_LIMIT, users: await summarize(site, rows) };
}

export async function getUser(site: DrupalSite, uid: number): Promise<UserSummary | null> {
  if (!Number.isSafeInteger(uid) || uid <= 0) return null;
  const rows = await site.db.all<UserRow>(`${selectUsers(site)} WHERE ${PERSON} AND u.uid = ?`, [uid]);
  const [user] = await summarize(site, rows);
  return user ?? null;
}

export type NameMatch =
  | { kind: 'one'; uid: number }
  | { kind: 'none' }
  /** Several accounts whose names differ only in letter case, none spelt exactly so. */
  | { kind: 'several'; accounts: Array<{ uid: number; name: string }> };

const MAX_CANDIDATES = 20;

/**
 * Resolves a username the way an operator means it. The exact spelling first, through
 * the (name, langcode) index; only when no account is spelt exactly so, letter case is
 * ignored, as Drupal's login does. Drupal's form keeps names unique ignoring case, but
 * accounts made by code or migrations, and PostgreSQL's case-sensitive column, allow
 * `bob` and `Bob` side by side: then an exact match wins, and a case-insensitive match
 * of several accounts is refused rather than guessed.
 */
export function matchUserName(site: DrupalSite, name: string): Promise<NameMatch> {
  return matchUser(site, 'name', name);
}

/** The same rule for an e-mail address (`user_field__mail` index), as tickets give them. */
export function matchUserMail(site: DrupalSite, mail: string): Promise<NameMatch> {
  return matchUser(site, 'mail', mail);
}

async function matchUser(site: DrupalSite, column: 'name' | 'mail', value: string): Promise<NameMatch> {
  if (!storable(value)) return { kind: 'none' };
  const d = dialectFor(site.db.engine);
  const table = site.tables.usersFieldData;
  const candidates = async (condition: string) =>
    (
      await site.db.all<{ uid: unknown; name: unknown; value: unknown }>(
        `SELECT u.uid, u.name, u.${column} AS value FROM ${table} u WHERE ${PERSON} AND ${condition} ORDER BY u.uid LIMIT ${MAX_CANDIDATES}`,
        [value],
      )
    ).map((r) => ({ uid: Number(r.uid), name: String(r.name), value: String(r.value ?? '') }));
  const indexed = await candidates(d.equalsIndexed(`u.${column}`));
  const decide = (accounts: Array<{ uid: number; name: string }>): NameMatch =>
    accounts.length === 0
      ? { kind: 'none' }
      : accounts.length === 1
        ? { kind: 'one', uid: accounts[0]!.uid }
        : { kind: 'several', accounts: accounts.map(({ uid, name }) => ({ uid, name })) };
  const exact = indexed.filter((a) => a.value === value);
  if (exact.length > 0) return decide(exact);
  const folded = value.toLowerCase();
  // MySQL's indexed comparison already ignored case (and accents): keep the case matches.
  if (d.indexedEqualsIgnoresCase) return decide(indexed.filter((a) => a.value.toLowerCase() === folded));
  return decide(await candidates(d.equalsFolded(`u.${column}`)));
}

/** The refusal for a name that matches several accounts apart from letter case. */
export function ambiguousName(name: string, accounts: Array<{ uid: number; name: string }>): AppFailure {
  const list = accounts.map((a) => `uid ${a.uid} (${a.name})`).join(', ');
  return new AppFailure(
    'NOT_FOUND',
    `"${name}" matches ${accounts.length} accounts: ${list}. ` +
      `Type it exactly as it is spelt, or name the account by uid, e.g. uid:${accounts[0]!.uid}.`,
  );
}

/** How many recently active accounts the decoy hash is modelled on. */
const HASH_SAMPLE = 50;

/**
 * A stored hash of the shape most common among recently active accounts (through the
 * access index). Active accounts were re-hashed by Drupal at their last login, so their
 * shape is what a real sign-in costs; an unknown user's decoy check then takes as long
 * as most real ones, whatever hash uid 1 still has.
 */
export async function typicalHash(site: DrupalSite): Promise<string | null> {
  const rows = await site.db.all<{ pass: unknown }>(
    `SELECT u.pass FROM ${site.tables.usersFieldData} u WHERE ${PERSON} AND u.pass IS NOT NULL ORDER BY u.access DESC LIMIT ${HASH_SAMPLE}`,
  );
  const byShape = new Map<string, { sample: string; count: number }>();
  for (const row of rows) {
    const pass = String(row.pass);
    const shape = hashShape(pass);
    if (shape === 'unknown') continue;
    const seen = byShape.get(shape) ?? { sample: pass, count: 0 };
    seen.count++;
    byShape.set(shape, seen);
  }
  let best: { sample: string; count: number } | null = null;
  for (const candidate of byShape.values()) if (!best || candidate.count > best.count) best = candidate;
  return best?.sample ?? null;
}

/** An account's standing for the access check: name, status and stored roles, in one query. */
export interface AccountState {
  uid: number;
  name: string;
  status: number;
  /** Stored roles (never "authenticated"), in Drupal's order. */
  roles: string[];
}

export async function getAccountState(site: DrupalSite, uid: number): Promise<AccountState | null> {
  const rows = await site.db.all<{ name: unknown; status: unknown; role: unknown }>(
    `SELECT u.name, u.status, r.roles_target_id AS role FROM ${site.tables.usersFieldData} u
     LEFT JOIN ${site.tables.userRoles} r ON r.entity_id = u.uid AND r.deleted = 0
     WHERE ${PERSON} AND u.uid = ? ORDER BY r.delta`,
    [uid],
  );
  const [first] = rows;
  if (!first) return null;
  return {
    uid,
    name: String(first.name),
    status: Number(first.status),
    roles: rows.filter((r) => r.role !== null && r.role !== undefined).map((r) => String(r.role)),
  };
}

/** The names of these accounts (uids without one are absent), read in chunks. */
export async function accountNames(site: DrupalSite, uids: number[]): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  const wanted = [...new Set(uids)].filter((uid) => uid > 0);
  for (let start = 0; start < wanted.length; start += 1000) {
    const chunk = wanted.slice(start, start + 1000);
    const rows = await site.db.all<{ uid: unknown; name: unknown }>(
      `SELECT u.uid, u.name FROM ${site.tables.usersFieldData} u WHERE ${PERSON} AND u.uid IN (${placeholders(chunk.length)})`,
      chunk,
    );
    for (const row of rows) names.set(Number(row.uid), String(row.name));
  }
  return names;
}

export async function getCredentials(site: DrupalSite, uid: number): Promise<Credentials | null> {
  const rows = await site.db.all<{ uid: unknown; name: unknown; pass: unknown; status: unknown }>(
    `SELECT u.uid, u.name, u.pass, u.status FROM ${site.tables.usersFieldData} u WHERE ${PERSON} AND u.uid = ?`,
    [uid],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    uid: Number(row.uid),
    name: String(row.name),
    pass: row.pass === null || row.pass === undefined ? null : String(row.pass),
    status: Number(row.status),
  };
}
