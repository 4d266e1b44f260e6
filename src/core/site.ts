/**
 * Opens a Drupal site: connects with the engine's driver, then identifies the
 * Drupal tables. One entry point for the app, the CLI and the tests.
 */
import type { Database } from './db/database.js';
import { parsePrefix, validateSchemaName } from './db/identifiers.js';
import { engineFor } from './engines/index.js';
import type { ConnectionTarget } from './db/target.js';
import { AppFailure } from '../shared/errors.js';
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
  /** The built SQLite worker (see src/core/engines/sqlite/worker-database.ts); the app sets it. */
  sqliteWorker?: string;
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
    throw new AppFailure(
      'USAGE',
      `The prefix "${options.prefix}" names schema "${prefix.namespace}" but the schema option says "${schema}": give one of them.`,
    );
  }
  // Drupal's SQLite driver attaches `<file>-<prefix>` as schema <prefix>, names unprefixed;
  // PostgreSQL has a schema (the prefix's, the option's, or public); MySQL a database.
  const namespace: Namespace =
    target.engine === 'sqlite'
      ? target.tablePrefixed
        ? { name: null, tablePrefix: prefix.tablePrefix }
        : { name: prefix.tablePrefix || null, tablePrefix: '' }
      : { name: prefix.namespace ?? schema ?? (target.engine === 'pgsql' ? 'public' : null), tablePrefix: prefix.tablePrefix };
  const db = await engineFor(target.engine).open(target, {
    readOnly: options.readOnly,
    namespace,
    ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    ...(options.sqliteNativeBinding ? { sqliteNativeBinding: options.sqliteNativeBinding } : {}),
    ...(options.sqliteWorker ? { sqliteWorker: options.sqliteWorker } : {}),
  });
  try {
    return { db, tables: await detectDrupalTables(db, namespace) };
  } catch (error) {
    await db.close();
    throw error;
  }
}
