/**
 * The three engines, each one folder with the same files: `driver.ts` (connect, run,
 * transactions), `dialect.ts` (the SQL that differs) and `drupal-ddl.ts` (Drupal's
 * tables as Drupal creates them there). A new engine is a new folder and a line here.
 * Drivers are imported when a site of their engine is opened: a SQLite run never loads
 * pg or mysql2 (the CLI starts faster).
 */
import type { Database, OpenOptions } from '../db/database.js';
import type { ConnectionTarget, Engine } from '../db/target.js';
import type { Dialect, Namespace } from './dialect.js';
import { mysqlDialect } from './mysql/dialect.js';
import { cacheEntityDdl as mysqlCacheEntity, drupalDdl as mysqlDdl, persistentLoginDdl as mysqlPersistentLogin } from './mysql/drupal-ddl.js';
import { pgsqlDialect } from './pgsql/dialect.js';
import { cacheEntityDdl as pgsqlCacheEntity, drupalDdl as pgsqlDdl, persistentLoginDdl as pgsqlPersistentLogin } from './pgsql/drupal-ddl.js';
import { sqliteDialect } from './sqlite/dialect.js';
import { cacheEntityDdl as sqliteCacheEntity, drupalDdl as sqliteDdl, persistentLoginDdl as sqlitePersistentLogin } from './sqlite/drupal-ddl.js';

export interface EngineOpenOptions extends OpenOptions {
  /** Where the Drupal tables are (SQLite: a prefix attaches `<file>-<prefix>`). */
  namespace: Namespace;
  /** better-sqlite3 binary for Electron's ABI (see src/main/app/native-sqlite.ts). */
  sqliteNativeBinding?: string;
  /** The built worker-entry.js: SQLite then runs on a worker thread (the app's main process). */
  sqliteWorker?: string;
}

export interface EngineAdapter {
  dialect: Dialect;
  open(target: ConnectionTarget, options: EngineOpenOptions): Promise<Database>;
  /** CREATE statements for Drupal's tables in `namespace`. */
  drupalDdl(namespace: Namespace): string[];
  /** CREATE statements for the persistent_login contrib module's table. */
  persistentLoginDdl(namespace: Namespace): string[];
  /** CREATE statements for Drupal's entity cache bin (cache_entity). */
  cacheEntityDdl(namespace: Namespace): string[];
}

const adapters: Record<Engine, EngineAdapter> = {
  sqlite: {
    dialect: sqliteDialect,
    open: async (target, options) => {
      const { file } = target as Extract<ConnectionTarget, { engine: 'sqlite' }>;
      const sqliteOptions = {
        readOnly: options.readOnly,
        ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
        // Drupal's SQLite driver attaches `<file>-<prefix>` as schema <prefix>; names stay unprefixed.
        ...(options.namespace.name ? { attachPrefix: options.namespace.name } : {}),
        ...(options.sqliteNativeBinding ? { nativeBinding: options.sqliteNativeBinding } : {}),
      };
      return options.sqliteWorker
        ? (await import('./sqlite/worker-database.js')).openSqliteInWorker(options.sqliteWorker, file, sqliteOptions)
        : (await import('./sqlite/driver.js')).openSqlite(file, sqliteOptions);
    },
    drupalDdl: sqliteDdl,
    persistentLoginDdl: sqlitePersistentLogin,
    cacheEntityDdl: sqliteCacheEntity,
  },
  pgsql: {
    dialect: pgsqlDialect,
    open: async (target, options) => (await import('./pgsql/driver.js')).openPostgres(target as Extract<ConnectionTarget, { engine: 'pgsql' }>, options),
    drupalDdl: pgsqlDdl,
    persistentLoginDdl: pgsqlPersistentLogin,
    cacheEntityDdl: pgsqlCacheEntity,
  },
  mysql: {
    dialect: mysqlDialect,
    open: async (target, options) => (await import('./mysql/driver.js')).openMysql(target as Extract<ConnectionTarget, { engine: 'mysql' }>, options),
    drupalDdl: mysqlDdl,
    persistentLoginDdl: mysqlPersistentLogin,
    cacheEntityDdl: mysqlCacheEntity,
  },
};

export function engineFor(engine: Engine): EngineAdapter {
  return adapters[engine];
}

export function dialectFor(engine: Engine): Dialect {
  return adapters[engine].dialect;
}
