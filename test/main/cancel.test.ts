/**
 * The console's Cancel, as the app runs it: SQLite on a worker thread. A site whose file
 * another process holds locked makes a search wait (SQLite's busy timeout); meanwhile
 * the main thread stays responsive, Cancel ends the wait with CANCELLED, the next search
 * works, and a revoke under way cannot be cancelled.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import { loadBetterSqlite3 } from '../../src/core/engines/sqlite/driver.js';
import { createSqliteSite } from '../../src/core/site-builder/sqlite-site.js';
import { ConsoleService } from '../../src/main/services/console-service.js';
import { NO_SECRET_BOX } from '../../src/main/services/secret-box.js';
import type { Handlers } from '../../src/shared/ipc/contract.js';
import { buildDataset, PASSWORDS, UID, type Dataset } from '../support/dataset.js';
import { builtSqliteWorker } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function outcome(pending: Promise<unknown>): Promise<{ code: string; message: string } | 'done'> {
  return pending.then(() => 'done' as const, (error: { code: string; message: string }) => error);
}

describe('cancelling a slow read in the console', () => {
  let service: ConsoleService;
  let handlers: Handlers;
  let file: string;
  let dataset: Dataset;
  /** Another connection that holds the file locked, as a site busy writing would. */
  let locker: BetterSqlite3.Database;

  beforeAll(async () => {
    dataset = await buildDataset();
    file = join(tempDir('si-cancel-'), 'site.sqlite');
    await createSqliteSite(file, dataset.site);
    // A rollback-journal file: there a writer's EXCLUSIVE lock makes readers wait.
    const Sqlite = loadBetterSqlite3();
    const setup = new Sqlite(file);
    setup.pragma('journal_mode = DELETE');
    setup.close();
    locker = new Sqlite(file);

    service = new ConsoleService({ dataHome: tempDir('si-cancel-home-'), secrets: NO_SECRET_BOX, chooseSqliteFile: async () => null, sqliteWorker: builtSqliteWorker() });
    handlers = service.handlers();
    const profile = await service.profiles.save({ name: 'Busy site', engine: 'sqlite', file, prefix: '', readOnly: false, superUser: true });
    await handlers.connect({ profileId: profile.id });
    await handlers.signIn({ name: 'support', password: PASSWORDS.support });
  });

  afterAll(async () => {
    if (locker?.inTransaction) locker.exec('ROLLBACK');
    locker?.close();
    await service?.dispose();
  });

  it('keeps the main thread free while a search waits, stops it on Cancel, and searches again after', { timeout: 30_000 }, async () => {
    locker.exec('BEGIN EXCLUSIVE');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const search = outcome(handlers.searchUsers({ text: 'zoe', limit: 25, offset: 0 }));
    await sleep(500);
    clearInterval(timer);
    // In process, SQLite's busy wait would have frozen this thread: no tick at all.
    expect(ticks).toBeGreaterThan(20);

    await handlers.cancel();
    expect(await search).toMatchObject({ code: 'CANCELLED', message: expect.stringMatching(/cancelled/) });
    locker.exec('ROLLBACK');

    const page = await handlers.searchUsers({ text: 'zoe', limit: 25, offset: 0 });
    expect(page.users.map((u) => u.uid)).toContain(UID.zoe);
  });

  it('refuses to cancel a revoke under way, which then completes', { timeout: 30_000 }, async () => {
    locker.exec('BEGIN EXCLUSIVE');
    const revoke = handlers.revokeSessions({ uid: UID.zoe, sids: [dataset.sids.zoeStale] });
    await sleep(300);
    expect(await outcome(handlers.cancel())).toMatchObject({ code: 'USAGE', message: expect.stringMatching(/revoke is being written/) });
    locker.exec('ROLLBACK');
    expect((await revoke).revoked).toEqual([dataset.sids.zoeStale]);
  });

  it('is a no-op when nothing runs, and before any connection', async () => {
    await handlers.cancel();
    const idle = new ConsoleService({ dataHome: tempDir('si-cancel-home-'), secrets: NO_SECRET_BOX, chooseSqliteFile: async () => null });
    await idle.handlers().cancel();
    expect((await handlers.listSessions({ uid: UID.zoe })).total).toBeGreaterThan(0);
  });
});
