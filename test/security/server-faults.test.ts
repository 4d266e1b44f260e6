/**
 * Hardening 2 and the fault-injection requirement: the database server is killed while
 * a revoke is in flight (its DELETE waits on a row lock held by another client, so the
 * transaction is open when the server dies). Then: a DATABASE error, no crash (an
 * unhandled 'error' event would fail this run), nothing half-done in the database, the
 * local audit log agreeing with the database, and the next call working again.
 * Each engine gets its own throwaway server, since this one is killed.
 */
import { describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import type { ServerTarget } from '../../src/core/db/target.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite } from '../../src/core/site.js';
import { openServerAdmin, seedServer } from '../support/fixtures.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { mariadbAvailable, postgresAvailable, startMariadb, startPostgres, type RunningServer } from '../support/db-servers.js';
import { count } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();
const inCi = process.env.CI === 'true';

/** Holds a row lock on `uid`'s sessions from another client until the server dies. */
async function lockSessions(engine: 'pgsql' | 'mysql', target: ServerTarget, uid: number): Promise<void> {
  if (engine === 'pgsql') {
    const client = new pg.Client({ host: target.host, port: target.port, user: target.user, password: target.password, database: target.database });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT sid FROM sessions WHERE uid = $1 FOR UPDATE', [uid]);
    return;
  }
  const connection = await mysql.createConnection({ host: target.host, port: target.port, user: target.user, password: target.password!, database: target.database });
  connection.on('error', () => undefined);
  await connection.query('START TRANSACTION');
  await connection.query('SELECT sid FROM sessions WHERE uid = ? FOR UPDATE', [uid]);
}

const engines = [
  { engine: 'pgsql' as const, available: postgresAvailable(), start: () => startPostgres({ durable: true }), database: 'postgres' },
  { engine: 'mysql' as const, available: mariadbAvailable(), start: () => startMariadb({ durable: true }), database: 'mysql' },
];

describe.each(engines)('killing the $engine server in the middle of a revoke', ({ engine, available, start, database }) => {
  if (!available && inCi) throw new Error(`${engine} server not installed (CI=true)`);

  it.skipIf(!available)('leaves nothing half-done, keeps the audit log true, and recovers', { timeout: 120_000 }, async () => {
    const server: RunningServer = await start();
    const target = { engine, ...server.info, database } as ServerTarget;
    try {
      await seedServer(target, (await buildDataset()).site);

      const auditLog = AuditLog.in(tempDir('si-fault-'));
      const site = await openDrupalSite({ target, readOnly: false });
      try {
        const inspector = new Inspector(site, { asOf: NOW, auditLog });
        const operator = await inspector.signIn('support', PASSWORDS.support);
        expect((await inspector.sessions(operator, { uid: UID.zoe })).sessions).toHaveLength(5);

        await lockSessions(engine, target, UID.zoe);
        const revoke = inspector.revokeAll(operator, { uid: UID.zoe }).then(() => null, (e: unknown) => e as { code: string; message: string });
        // Let the revoke open its transaction and block on the lock, then kill the server.
        await new Promise((resolve) => setTimeout(resolve, 700));
        await server.crash();
        const error = await revoke;
        expect(error?.code).toBe('DATABASE');
        expect(error?.message).toMatch(/Lost the connection|Cannot reach|terminat/i);

        await server.resume();
        // Nothing half-done: every session is still there, no log row was kept.
        const check = await openServerAdmin(target);
        expect(await count(check, 'SELECT COUNT(*) AS n FROM sessions WHERE uid = ?', [UID.zoe])).toBe(5);
        expect(await count(check, 'SELECT COUNT(*) AS n FROM watchdog WHERE type = ?', ['session_inspector'])).toBe(0);
        // The local record agrees: no revoke is claimed.
        expect((await auditLog.read(10)).entries).toEqual([]);

        // The same connection object recovers on the next call.
        expect((await inspector.sessions(operator, { uid: UID.zoe })).sessions).toHaveLength(5);
        expect((await inspector.revokeAll(operator, { uid: UID.zoe })).revoked).toHaveLength(5);
        expect(await count(check, 'SELECT COUNT(*) AS n FROM sessions WHERE uid = ?', [UID.zoe])).toBe(0);
        expect(await count(check, 'SELECT COUNT(*) AS n FROM watchdog WHERE type = ?', ['session_inspector'])).toBe(5);
        const page = await auditLog.read(10);
        expect(page.entries).toHaveLength(5);
        expect(page.entries.every((e) => !e.unconfirmed)).toBe(true);
        await check.close();
      } finally {
        await site.db.close();
      }
    } finally {
      await server.stop();
    }
  });
});
