/**
 * Opens a Drupal site: connects with the engine's driver, then identifies the
 * Drupal tables. One entry point for the app, the CLI and the tests.
 */
import type { Database } from './db/database.js';
import { parsePrefix, validateSchemaName } from './db/identifiers.js';
import { openMysql } from './db/mysql.js';
import { openPostgres } from './db/postgres.js';
import { openSqlite } from './db/sqlite.js';
import type { ConnectionTarget } from './db/target.js';
import { InspectorError } from './errors.js';
import { detectDrupalTables, type DrupalTables, type Namespace } from './drupal/schema.js';

export interface SiteOptions {
  target: ConnectionTarget;
  /** settings.php's `prefix`; '' for none. */
  prefix?: string;
  /** PostgreSQL's `schema` option (default public). */
  schema?: string;
  readOnly: boolean;
  connectTimeoutMs?: number;
  /** better-sqlite3 binary for Electron's ABI (see src/main/app/native-sqlite.ts). */
  sqliteNativeBinding?: string;
}

export interface DrupalSite {
  db: Database;
  tables: DrupalTables;
}

export async function openDrupalSite(options: SiteOptions): Promise<DrupalSite> {
  const { target } = options;
  const prefix = parsePrefix(options.prefix ?? '', target.engine);
  const schema = options.schema ? validateSchemaName(options.schema) : null;
  if (prefix.namespace !== null && schema !== null && prefix.namespace !== schema) {
    throw new InspectorError(
      'USAGE',
      `The prefix "${options.prefix}" names schema "${prefix.namespace}" but the schema option says "${schema}": give one of them.`,
    );
  }
  const connection = { readOnly: options.readOnly, connectTimeoutMs: options.connectTimeoutMs };
  let db: Database;
  let namespace: Namespace;
  switch (target.engine) {
    case 'sqlite':
      // Drupal's SQLite driver attaches `<file>-<prefix>` as schema <prefix>; names stay unprefixed.
      db = await openSqlite(target.file, {
        ...connection,
        ...(prefix.tablePrefix ? { attachPrefix: prefix.tablePrefix } : {}),
        ...(options.sqliteNativeBinding ? { nativeBinding: options.sqliteNativeBinding } : {}),
      });
      namespace = { name: prefix.tablePrefix || null, tablePrefix: '' };
      break;
    case 'pgsql':
      db = await openPostgres(target, connection);
      namespace = { name: prefix.namespace ?? schema ?? 'public', tablePrefix: prefix.tablePrefix };
      break;
    case 'mysql':
      db = await openMysql(target, connection);
      namespace = { name: prefix.namespace, tablePrefix: prefix.tablePrefix };
      break;
  }
  try {
    return { db, tables: await detectDrupalTables(db, namespace) };
  } catch (error) {
    await db.close();
    throw error;
  }
}
