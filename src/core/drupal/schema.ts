/**
 * Finds the Drupal tables behind a connection and decides whether this is a database
 * we can work with: Drupal 8+ goes on; Drupal 7, a non-Drupal database and a wrong
 * prefix are refused with a message that says what was looked for.
 */
import type { Database } from '../db/database.js';
import type { Namespace } from '../engines/dialect.js';
import { dialectFor } from '../engines/index.js';

export type { Namespace };
import { AppFailure } from '../../shared/errors.js';

/** Quoted, schema-qualified table names, ready to be put into SQL. */
export interface DrupalTables {
  usersFieldData: string;
  userRoles: string;
  config: string;
  /** Missing on a Drupal 10.3+ site that has had no session yet: no sessions. */
  sessions: string | null;
  /** Present only when the dblog module is enabled. */
  watchdog: string | null;
  /** Used for the access/login timestamps some recent cores keep in key_value. */
  keyValue: string | null;
  /** The persistent_login contrib module's "remember me" tokens, when it is installed. */
  persistentLogin: string | null;
  /** Drupal's entity cache bin, when the site caches entities in the database. */
  cacheEntity: string | null;
}

const REQUIRED = ['users_field_data', 'user__roles', 'config'] as const;

/** Finds `<prefix><base>`: exact spelling first, then case-insensitively (PostgreSQL
 * folds unquoted names to lower case, as Drupal 8's pgsql driver created them). */
function findTable(tables: string[], prefix: string, base: string): string | null {
  const wanted = prefix + base;
  return tables.find((t) => t === wanted) ?? tables.find((t) => t.toLowerCase() === wanted.toLowerCase()) ?? null;
}

async function hasColumn(db: Database, table: string, column: string): Promise<boolean> {
  try {
    await db.all(`SELECT ${dialectFor(db.engine).quote(column)} FROM ${table} WHERE 1 = 0`);
    return true;
  } catch {
    return false;
  }
}

/** Other prefixes under which Drupal 8+ tables exist, to suggest the right one. */
function otherPrefixes(tables: string[]): string[] {
  return tables
    .filter((t) => t.toLowerCase().endsWith('users_field_data'))
    .map((t) => t.slice(0, t.length - 'users_field_data'.length));
}

export async function detectDrupalTables(db: Database, namespace: Namespace): Promise<DrupalTables> {
  const dialect = dialectFor(db.engine);
  const tables = await dialect.listTables(db, namespace);
  const prefix = namespace.tablePrefix;
  const where = dialect.describeNamespace(db.description, namespace);
  const found = Object.fromEntries(REQUIRED.map((base) => [base, findTable(tables, prefix, base)]));
  const table = (base: string) => {
    const name = findTable(tables, prefix, base);
    return name === null ? null : dialect.qualify(namespace, name);
  };

  const missing = await dialect.missingNamespace(db, namespace);
  if (missing !== null) {
    const main = await dialect.listTables(db, { name: null, tablePrefix: '' });
    const hint = findTable(main, '', 'users_field_data') !== null ? ' The main file holds Drupal tables: connect without a prefix.' : '';
    throw new AppFailure('DATABASE', `Wrong table prefix: ${missing}${hint}`);
  }
  if (found.users_field_data === null) {
    const users = table('users');
    const sessions = table('sessions');
    const evidence = [
      findTable(tables, prefix, 'system') !== null ? `a "${prefix}system" table` : null,
      sessions !== null && (await hasColumn(db, sessions, 'ssid')) ? `"${prefix}sessions" with an ssid column` : null,
    ].filter((e): e is string => e !== null);
    if (users !== null && evidence.length > 0) {
      throw new AppFailure(
        'DATABASE',
        `This is a Drupal 7 database (${where} has "${prefix}users" and ${evidence.join(' and ')}, but no "${prefix}users_field_data"). ` +
          'Session Inspector works with Drupal 8, 9, 10 and 11.',
      );
    }
    const looked = REQUIRED.map((base) => `"${prefix}${base}"`).join(', ');
    const others = otherPrefixes(tables).filter((p) => p !== prefix);
    if (others.length > 0) {
      const suggestion = others.map((p) => (p === '' ? 'no prefix' : `the table prefix "${p}"`)).join(' or ');
      throw new AppFailure(
        'DATABASE',
        `Wrong table prefix: looked for ${looked} in ${where} and found none, but there are Drupal tables with ${suggestion}.`,
      );
    }
    throw new AppFailure(
      'DATABASE',
      `Not a Drupal 8+ database${prefix ? ', or the wrong prefix' : ''}: looked for ${looked} in ${where} and found none.`,
    );
  }
  const absent = REQUIRED.filter((base) => found[base] === null);
  if (absent.length > 0) {
    throw new AppFailure(
      'DATABASE',
      `Incomplete Drupal database: ${where} has "${found.users_field_data}" but not ${absent.map((m) => `"${prefix}${m}"`).join(', ')}.`,
    );
  }
  return {
    usersFieldData: table('users_field_data')!,
    userRoles: table('user__roles')!,
    config: table('config')!,
    sessions: table('sessions'),
    watchdog: table('watchdog'),
    keyValue: table('key_value'),
    persistentLogin: table('persistent_login'),
    cacheEntity: table('cache_entity'),
  };
}
