/**
 * Starts the database servers once for the whole run. In CI (CI=true) a server that
 * cannot start fails the run; elsewhere its tests are skipped, saying why.
 */
import type { TestProject } from 'vitest/node';
import { HOSTILE_SQL_MODE, mariadbAvailable, postgresAvailable, startMariadb, startPostgres, type RunningServer } from './db-servers.js';

export default async function setup(project: TestProject) {
  const inCi = process.env.CI === 'true';
  const running: RunningServer[] = [];
  const skipped: Record<string, string> = {};
  const start = async (name: 'pgsql' | 'mysql' | 'mysqlStrict', available: boolean, starter: () => Promise<RunningServer>, missing: string) => {
    if (!available) {
      if (inCi) throw new Error(`${missing} (CI=true: integration tests may not be skipped)`);
      skipped[name] = missing;
      console.warn(`[test setup] ${name} tests skipped: ${missing}`);
      return null;
    }
    const server = await starter();
    running.push(server);
    return server.info;
  };
  const noMariadb = 'MariaDB is not installed (mariadbd, mariadb-install-db)';
  const [pgsql, mysql, mysqlStrict] = await Promise.all([
    start('pgsql', postgresAvailable(), startPostgres, 'PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin)'),
    start('mysql', mariadbAvailable(), () => startMariadb(), noMariadb),
    // A legal but hostile configuration: backslashes are not escapes in string literals.
    start('mysqlStrict', mariadbAvailable(), () => startMariadb({ sqlMode: HOSTILE_SQL_MODE }), noMariadb),
  ]);
  project.provide('servers', { pgsql, mysql, mysqlStrict, skipped });
  return async () => {
    await Promise.all(running.map((s) => s.stop()));
  };
}
