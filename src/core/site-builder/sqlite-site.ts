/**
 * Creates a SQLite Drupal database file as Drupal's SQLite driver leaves it: WAL
 * journal, NOCASE_UTF8 text columns, and for a prefix the tables in an attached
 * `<file>-<prefix>` database.
 */
import { existsSync } from 'node:fs';
import type { Queryable, SqlValue } from '../db/database.js';
import { loadBetterSqlite3 } from '../engines/sqlite/driver.js';
import { buildDrupalSite, type SeedSite } from './seed.js';

export interface SqliteSiteOptions {
  prefix?: string;
  nativeBinding?: string;
  /**
   * Runs more SQL after the seed and before Drupal's collation is put in (after it, no
   * client but Drupal can write the name and mail columns): the benchmark's bulk rows.
   */
  bulk?: (exec: (sql: string) => void) => void;
}

export async function createSqliteSite(file: string, site: SeedSite, options: SqliteSiteOptions = {}): Promise<void> {
  const prefix = options.prefix ?? '';
  if (existsSync(file) && prefix === '') throw new Error(`${file} already exists`);
  const Sqlite = loadBetterSqlite3();
  const db = new Sqlite(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    const schema = prefix || 'main';
    if (prefix) {
      db.prepare(`ATTACH DATABASE ? AS "${prefix}"`).run(`${file}-${prefix}`);
      db.pragma(`"${prefix}".journal_mode = WAL`);
    }
    const queryable: Queryable = {
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => db.prepare(sql).all(...params) as T[],
      run: async (sql: string, params: readonly SqlValue[] = []) => db.prepare(sql).run(...params).changes,
    };
    db.exec('BEGIN');
    await buildDrupalSite(queryable, 'sqlite', { name: schema, tablePrefix: '' }, site);
    if (options.bulk) options.bulk((sql) => db.exec(sql));
    db.exec('COMMIT');
    applyDrupalCollation(db, schema);
  } finally {
    db.close();
  }
}

/**
 * Turns the NOCASE columns into NOCASE_UTF8, the collation Drupal registers on its own
 * connections. The index order is unchanged for the ASCII data we write. Afterwards
 * any client without the collation fails on `WHERE name = ?`, as on a real site.
 */
function applyDrupalCollation(db: InstanceType<ReturnType<typeof loadBetterSqlite3>>, schema: string): void {
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  db.prepare(
    `UPDATE "${schema}".sqlite_master SET sql = replace(sql, 'COLLATE NOCASE ', 'COLLATE NOCASE_UTF8 ') WHERE type = 'table'`,
  ).run();
  db.pragma('writable_schema = OFF');
  db.unsafeMode(false);
}
