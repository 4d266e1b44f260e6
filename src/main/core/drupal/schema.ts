/**
 * Finds the Drupal tables behind a connection and decides whether this is a database
 * we can work with: Drupal 8+ goes on; Drupal 7, a non-Drupal database and a wrong
 * prefix are refused with a message that says what was looked for.
 */
import type { Database } from '../db/database.js';
import { quoteIdentifier } from '../db/identifiers.js';
import type { Engine } from '../db/target.js';
import { InspectorError } from '../errors.js';

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
}

const REQUIRED = ['users_field_data', 'user__roles', 'config'] as const;

export interface Namespace {
  /** Schema (SQLite attached db / PostgreSQL schema / MySQL database); null = current. */
  name: string | null;
  tablePrefix: string;
}

async function listTables(db: Database, namespace: Namespace): Promise<string[]> {
  let rows: Array<{ name: string }>;
  switch (db.engine) {
    case 'sqlite': {
      const schema = namespace.name ?? 'main';
      if (!(await attached(db, schema))) return [];
      rows = await db.all(`SELECT name FROM ${quoteIdentifier('sqlite', schema)}.sqlite_master WHERE type = 'table'`);
      break;
    }
    case 'pgsql':
      rows = await db.all(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'`,
        [namespace.name ?? 'public'],
      );
      break;
    case 'mysql':
      rows = await db.all(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE())`,
        [namespace.name],
      );
      break;
  }
  return rows.map((r) => String(r.name));
}

async function attached(db: Database, schema: string): Promise<boolean> {
  const rows = await db.all<{ name: string }>('SELECT name FROM pragma_database_list');
  return rows.some((row) => row.name === schema);
}

/** Finds `<prefix><base>`: exact spelling first, then case-insensitively (PostgreSQL
 * folds unquoted names to lower case, as Drupal 8's pgsql driver created them). */
function findTable(tables: string[], prefix: string, base: string): string | null {
  const wanted = prefix + base;
  return tables.find((t) => t === wanted) ?? tables.find((t) => t.toLowerCase() === wanted.toLowerCase()) ?? null;
}

function qualify(engine: Engine, namespace: Namespace, table: string): string {
  const name = quoteIdentifier(engine, table);
  if (engine === 'sqlite') return `${quoteIdentifier(engine, namespace.name ?? 'main')}.${name}`;
  if (engine === 'pgsql') return `${quoteIdentifier(engine, namespace.name ?? 'public')}.${name}`;
  return namespace.name ? `${quoteIdentifier(engine, namespace.name)}.${name}` : name;
}

async function hasColumn(db: Database, table: string, column: string): Promise<boolean> {
  try {
    await db.all(`SELECT ${quoteIdentifier(db.engine, column)} FROM ${table} WHERE 1 = 0`);
    return true;
  } catch {
    return false;
  }
}

function describeNamespace(db: Database, namespace: Namespace): string {
  if (db.engine === 'sqlite') return namespace.name ? `the attached file for prefix "${namespace.name}"` : db.description;
  if (db.engine === 'pgsql') return `schema "${namespace.name ?? 'public'}" of ${db.description}`;
  return namespace.name ? `database "${namespace.name}" on ${db.description}` : db.description;
}

/** Other prefixes under which Drupal 8+ tables exist, to suggest the right one. */
function otherPrefixes(tables: string[]): string[] {
  return tables
    .filter((t) => t.toLowerCase().endsWith('users_field_data'))
    .map((t) => t.slice(0, t.length - 'users_field_data'.length));
}

export async function detectDrupalTables(db: Database, namespace: Namespace): Promise<DrupalTables> {
  const tables = await listTables(db, namespace);
  const prefix = namespace.tablePrefix;
  const where = describeNamespace(db, namespace);
  const found = Object.fromEntries(REQUIRED.map((base) => [base, findTable(tables, prefix, base)]));
  const table = (base: string) => {
    const name = findTable(tables, prefix, base);
    return name === null ? null : qualify(db.engine, namespace, name);
  };

  if (db.engine === 'sqlite' && namespace.name !== null && !(await attached(db, namespace.name))) {
    // Drupal's SQLite driver keeps prefixed tables in a second file, <database>-<prefix>.
    const main = await listTables(db, { name: null, tablePrefix: '' });
    const hint = findTable(main, '', 'users_field_data') !== null ? ' The main file holds Drupal tables: connect without a prefix.' : '';
    throw new InspectorError(
      'DATABASE',
      `Wrong table prefix: with prefix "${namespace.name}" Drupal keeps its tables in the file ${db.description.replace(/^sqlite:/, '')}-${namespace.name}, which does not exist.${hint}`,
    );
  }
  if (found.users_field_data === null) {
    const users = table('users');
    const sessions = table('sessions');
    const evidence = [
      findTable(tables, prefix, 'system') !== null ? `a "${prefix}system" table` : null,
      sessions !== null && (await hasColumn(db, sessions, 'ssid')) ? `"${prefix}sessions" with an ssid column` : null,
    ].filter((e): e is string => e !== null);
    if (users !== null && evidence.length > 0) {
      throw new InspectorError(
        'DATABASE',
        `This is a Drupal 7 database (${where} has "${prefix}users" and ${evidence.join(' and ')}, but no "${prefix}users_field_data"). ` +
          'Session Inspector works with Drupal 8, 9, 10 and 11.',
      );
    }
    const looked = REQUIRED.map((base) => `"${prefix}${base}"`).join(', ');
    const others = otherPrefixes(tables).filter((p) => p !== prefix);
    if (others.length > 0) {
      const suggestion = others.map((p) => (p === '' ? 'no prefix' : `--prefix ${p}`)).join(' or ');
      throw new InspectorError(
        'DATABASE',
        `Wrong table prefix: looked for ${looked} in ${where} and found none, but there are Drupal tables with ${suggestion}.`,
      );
    }
    throw new InspectorError(
      'DATABASE',
      `Not a Drupal 8+ database${prefix ? ', or the wrong prefix' : ''}: looked for ${looked} in ${where} and found none.`,
    );
  }
  const missing = REQUIRED.filter((base) => found[base] === null);
  if (missing.length > 0) {
    throw new InspectorError(
      'DATABASE',
      `Incomplete Drupal database: ${where} has "${found.users_field_data}" but not ${missing.map((m) => `"${prefix}${m}"`).join(', ')}.`,
    );
  }
  return {
    usersFieldData: table('users_field_data')!,
    userRoles: table('user__roles')!,
    config: table('config')!,
    sessions: table('sessions'),
    watchdog: table('watchdog'),
    keyValue: table('key_value'),
  };
}
