/**
 * The app's Cancel on the server engines: a long statement is stopped on the server
 * (pg_cancel_backend, KILL QUERY, from a connection of its own), fails with CANCELLED,
 * and the same pool serves the next statement. A revoke's transaction is not touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/core/db/database.js';
import { AppFailure } from '../../src/shared/errors.js';
import { openServerAdmin } from '../support/fixtures.js';
import { createServerDatabase, serverTarget, unavailable } from '../support/engines.js';

const engines = [
  // pg_sleep runs until cancelled; MariaDB's SLEEP alone would just return 1 when killed.
  { server: 'pgsql' as const, long: 'SELECT pg_sleep(30) AS slept' },
  { server: 'mysql' as const, long: 'SELECT SLEEP(30) AS slept FROM (SELECT 1 UNION SELECT 2) AS two' },
];

describe.each(engines)('cancelling a statement on $server', ({ server, long }) => {
  const skip = unavailable(server);
  let db: Database;

  beforeAll(async () => {
    if (skip) return;
    const { name, db: admin } = await createServerDatabase(server);
    await admin.close();
    db = await openServerAdmin(serverTarget(server, name));
  });
  afterAll(async () => {
    await db?.close();
  });

  it.skipIf(skip !== null)('stops it on the server and keeps the connection usable', { timeout: 30_000 }, async () => {
    const started = Date.now();
    const running = db.all(long).then(() => null, (error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await db.interrupt();
    const error = await running;
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).code).toBe('CANCELLED');
    expect((error as AppFailure).message).toMatch(/cancelled/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await db.all('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it.skipIf(skip !== null)('leaves a transaction alone', { timeout: 30_000 }, async () => {
    const result = await db.transaction(async (tx) => {
      const slow = tx.all(long.replace('30', '1'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await db.interrupt();
      await slow;
      return 'committed';
    });
    expect(result).toBe('committed');
  });

  it.skipIf(skip !== null)('is a no-op with nothing running', async () => {
    await db.interrupt();
    expect(await db.all('SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });
});
