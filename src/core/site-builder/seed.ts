/**
 * Fills a Drupal database with roles, users and sessions written the way Drupal
 * writes them (role config blobs, one users_field_data row per translation, PHP
 * session data). Used by the demo site and by the integration tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable, SqlValue } from '../db/database.js';
import type { Engine } from '../db/target.js';
import { phpSerialize, type Serializable } from '../drupal/php-serialize.js';
import type { Namespace } from '../engines/dialect.js';
import { dialectFor, engineFor } from '../engines/index.js';
import { tableName } from '../engines/tables.js';

export interface SeedRole {
  id: string;
  label: string;
  isAdmin?: boolean;
  permissions: string[];
}

export interface SeedUser {
  uid: number;
  name: string;
  mail: string | null;
  /** A password hash as Drupal stores it (null = cannot sign in). */
  pass: string | null;
  status: 0 | 1;
  created: number;
  access: number;
  login: number;
  roles: string[];
  /** Extra translations of the account (rows with default_langcode = 0). */
  translations?: string[];
  /** The account's own language (default 'en'). */
  langcode?: string;
}

export interface SeedSession {
  uid: number;
  sid: string;
  hostname: string;
  timestamp: number;
  data: string | Uint8Array | null;
}

/** A "remember me" token of the persistent_login module: the cookie is `series:instance`. */
export interface SeedRememberMe {
  uid: number;
  series: string;
  instance: string;
  created: number;
  refreshed: number;
  /** 2147483647: never. */
  expires: number;
}

export interface SeedSite {
  roles: SeedRole[];
  users: SeedUser[];
  sessions: SeedSession[];
  /** Present: the persistent_login module is installed (its table exists) with these tokens. */
  rememberMe?: SeedRememberMe[];
  /** Present: Drupal's entity cache is in the database (cache_entity) with rows of these cids. */
  entityCache?: string[];
}

/** Drupal's Crypt::hashBase64: how a cookie's session id becomes a `sid`. */
export function hashBase64(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomSid(): string {
  return hashBase64(randomBytes(32));
}

export interface SessionDataOptions {
  uid: number;
  created: number;
  updated: number;
  /** Cookie lifetime; old sites wrote it as a string. */
  lifetime?: number | string;
  masquerading?: number;
  browser?: string;
  passwordReset?: boolean;
}

/** Session data as Drupal 9.3+ writes it, with the secrets a real one holds. */
export function drupalSessionData(options: SessionDataOptions): string {
  const attributes: Record<string, Serializable> = { uid: String(options.uid), check_logged_in: true };
  if (options.passwordReset) {
    attributes[`pass_reset_${options.uid}`] = randomBytes(55).toString('base64url').slice(0, 74);
  }
  if (options.masquerading !== undefined) attributes.masquerading = String(options.masquerading);
  if (options.browser !== undefined) attributes.session_inspector_browser = options.browser;
  const meta: Record<string, Serializable> = {
    u: options.updated,
    c: options.created,
    l: options.lifetime ?? 2000000,
    s: randomBytes(32).toString('base64url').slice(0, 43),
  };
  return `_sf2_attributes|${phpSerialize(attributes)}_sf2_flashes|a:0:{}_sf2_meta|${phpSerialize(meta)}`;
}

function roleConfig(role: SeedRole, weight: number): string {
  return phpSerialize({
    uuid: randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
    langcode: 'en',
    status: true,
    dependencies: {},
    id: role.id,
    label: role.label,
    weight,
    is_admin: role.isAdmin ?? false,
    permissions: role.permissions,
  });
}

/** Creates Drupal's tables in `namespace` as Drupal does, and fills them with `site`. */
export async function buildDrupalSite(db: Queryable, engine: Engine, namespace: Namespace, site: SeedSite): Promise<void> {
  for (const statement of engineFor(engine).drupalDdl(namespace)) await db.run(statement);
  if (site.rememberMe) for (const statement of engineFor(engine).persistentLoginDdl(namespace)) await db.run(statement);
  if (site.entityCache) for (const statement of engineFor(engine).cacheEntityDdl(namespace)) await db.run(statement);
  await seedDrupal(db, engine, namespace, site);
}

/** Inserts `site` into Drupal tables created by the engine's drupalDdl() in `namespace`. */
export async function seedDrupal(db: Queryable, engine: Engine, namespace: Namespace, site: SeedSite): Promise<void> {
  const t = (table: string) => tableName(engine, namespace, table);
  const blob = (text: string): SqlValue => dialectFor(engine).binary(text);
  const insert = (table: string, values: SqlValue[]) =>
    db.run(`INSERT INTO ${t(table)} VALUES (${values.map(() => '?').join(', ')})`, values);

  const builtIn: SeedRole[] = [
    { id: 'anonymous', label: 'Anonymous user', permissions: ['access content'] },
    { id: 'authenticated', label: 'Authenticated user', permissions: ['access content'] },
  ];
  const roles = [...builtIn, ...site.roles.filter((r) => !builtIn.some((b) => b.id === r.id))];
  for (const [weight, role] of roles.entries()) {
    const configured = site.roles.find((r) => r.id === role.id) ?? role;
    await insert('config', ['', `user.role.${role.id}`, blob(roleConfig(configured, weight))]);
  }
  const anonymous: SeedUser = { uid: 0, name: '', mail: null, pass: null, status: 0, created: 0, access: 0, login: 0, roles: [] };
  for (const user of [anonymous, ...site.users]) {
    const own = user.langcode ?? 'en';
    await insert('users', [user.uid, randomBytes(16).toString('hex'), own]);
    for (const [i, langcode] of [own, ...(user.translations ?? [])].entries()) {
      await insert('users_field_data', [
        user.uid, langcode, langcode, null, user.name, user.pass, user.mail, 'UTC', user.status,
        user.created, user.created, user.access, user.login, user.mail, i === 0 ? 1 : 0,
      ]);
    }
    for (const [delta, role] of user.roles.entries()) {
      await insert('user__roles', ['user', 0, user.uid, user.uid, 'en', delta, role]);
    }
  }
  for (const s of site.sessions) {
    const data = s.data === null ? null : typeof s.data === 'string' ? blob(s.data) : s.data;
    await insert('sessions', [s.uid, s.sid, s.hostname, s.timestamp, data]);
  }
  for (const cid of site.entityCache ?? []) {
    // As Drupal's database cache backend writes an entry: a serialized value, kept until invalidated.
    await insert('cache_entity', [cid, blob('a:0:{}'), -1, 1_700_000_000.123, 1, '', '0']);
  }
  for (const token of site.rememberMe ?? []) {
    await insert('persistent_login', [token.uid, token.series, token.instance, token.created, token.refreshed, token.expires]);
  }
}
