/**
 * Creates Drupal site databases for tests on each engine: the schema exactly as
 * Drupal creates it (buildDrupalSite), with or without a prefix.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { Database, Queryable } from '../../src/core/db/database.js';
import { openMysql } from '../../src/core/engines/mysql/driver.js';
import { openPostgres } from '../../src/core/engines/pgsql/driver.js';
import { openSqlite } from '../../src/core/engines/sqlite/driver.js';
import type { ConnectionTarget, Engine, ServerTarget } from '../../src/core/db/target.js';
import { tableName } from '../../src/core/engines/tables.js';
import { buildDrupalSite, type SeedSite } from '../../src/core/site-builder/seed.js';
import { createSqliteSite } from '../../src/core/site-builder/sqlite-site.js';
import type { ServerInfo } from './db-servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    servers: { pgsql: ServerInfo | null; mysql: ServerInfo | null; mysqlStrict: ServerInfo | null; skipped: Record<string, string> };
  }
}

export { ENGINES } from '../../src/shared/engines.js';

/**
 * The test servers: PostgreSQL, MariaDB, and a second MariaDB whose global sql_mode
 * has NO_BACKSLASH_ESCAPES (a hostile but legal server configuration).
 */
export type ServerName = 'pgsql' | 'mysql' | 'mysqlStrict';

const engineOf = (server: ServerName): 'pgsql' | 'mysql' => (server === 'pgsql' ? 'pgsql' : 'mysql');

/** Why an engine's server is not available here (never in CI: the setup fails there). */
export function unavailable(engine: Engine, server: ServerName | null = engine === 'sqlite' ? null : engine): string | null {
  if (engine === 'sqlite' || server === null) return null;
  const servers = inject('servers');
  return servers[server] ? null : (servers.skipped[server] ?? `${server} server not started`);
}

export interface TestSite {
  engine: Engine;
  target: ConnectionTarget;
  prefix: string;
  /** A direct connection for arranging and asserting, bypassing the inspector. */
  admin: Database;
  /** Quoted table name for `admin` queries. */
  table(name: string): string;
  close(): Promise<void>;
}

let counter = 0;
const uniqueName = () => `si_${process.pid}_${Date.now().toString(36)}_${counter++}`;

export function serverInfo(server: ServerName): ServerInfo {
  const info = inject('servers')[server];
  if (!info) throw new Error(`${server} is not available`);
  return info;
}

export function serverTarget(server: ServerName, database: string): ServerTarget {
  const info = serverInfo(server);
  return { engine: engineOf(server), host: info.host, port: info.port, database, user: info.user, password: info.password } as ServerTarget;
}

/** Creates an empty database on a server and returns an admin connection to it. */
export async function createServerDatabase(server: ServerName, name = uniqueName()): Promise<{ name: string; db: Database }> {
  if (server === 'pgsql') {
    const root = await openPostgres(serverTarget('pgsql', 'postgres') as ServerTarget<'pgsql'>, { readOnly: false });
    await root.run(`CREATE DATABASE "${name}"`);
    await root.close();
    return { name, db: await openPostgres(serverTarget('pgsql', name) as ServerTarget<'pgsql'>, { readOnly: false }) };
  }
  const root = await openMysql(serverTarget(server, 'mysql') as ServerTarget<'mysql'>, { readOnly: false });
  await root.run(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  await root.close();
  return { name, db: await openMysql(serverTarget(server, name) as ServerTarget<'mysql'>, { readOnly: false }) };
}

export async function createTestSite(engine: Engine, seed: SeedSite, options: { prefix?: string; server?: ServerName } = {}): Promise<TestSite> {
  const prefix = options.prefix ?? '';
  if (engine === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'si-sqlite-'));
    const file = join(folder, 'drupal.sqlite');
    await createSqliteSite(file, seed, { prefix });
    const admin = await openSqlite(file, { readOnly: false, ...(prefix ? { attachPrefix: prefix } : {}) });
    return {
      engine,
      target: { engine, file },
      prefix,
      admin,
      table: (name) => tableName('sqlite', { name: prefix || null, tablePrefix: '' }, name),
      // The site's folder goes with it: a test site holds hashes and session secrets.
      close: async () => {
        await admin.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
  const server = options.server ?? engine;
  const { name, db } = await createServerDatabase(server);
  const place = { name: null, tablePrefix: prefix };
  await buildDrupalSite(db, engine, place, seed);
  return {
    engine,
    target: serverTarget(server, name),
    prefix,
    admin: db,
    table: (table) => tableName(engine, place, table),
    close: () => db.close(),
  };
}

export async function count(db: Queryable, sql: string, params: Array<string | number> = []): Promise<number> {
  const rows = await db.all<{ n: unknown }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

/**
 * The SQLite worker as the app ships it (built by `npm run build`, which `npm test` runs
 * first): the worker tests run the very file the Electron main process starts.
 */
/** The built dump-import worker (out/main/dump-import-worker.js), as the app runs it. */
export function builtDumpWorker(): string {
  const file = fileURLToPath(new URL('../../out/main/dump-import-worker.js', import.meta.url));
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does).`);
  return file;
}

export function builtSqliteWorker(): string {
  const file = fileURLToPath(new URL('../../out/main/sqlite-worker.js', import.meta.url));
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does).`);
  return file;
}
