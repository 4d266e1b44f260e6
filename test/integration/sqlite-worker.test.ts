/**
 * SQLite on a worker thread, as the desktop app runs it: the owner's event loop keeps
 * turning while a long statement runs, a cancel stops waiting at once and the next
 * statement works on a fresh thread, transactions are never cut short, and errors,
 * BLOBs and read-only opens behave exactly as in process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/core/db/database.js';
import { openSqlite } from '../../src/core/engines/sqlite/driver.js';
import { openSqliteInWorker } from '../../src/core/engines/sqlite/worker-database.js';
import { AppFailure } from '../../src/shared/errors.js';
import { builtSqliteWorker } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

const worker = builtSqliteWorker();
const tempDir = tempDirs();
const opened: Database[] = [];
afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
});

/** A statement that keeps SQLite busy for a second or more, reading nothing. */
const LONG_QUERY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000) SELECT count(*) AS n FROM c';

async function freshFile(): Promise<string> {
  const file = join(tempDir('si-worker-'), 'site.sqlite');
  // The driver opens only files that exist (fileMustExist): an empty file is a new database.
  writeFileSync(file, '');
  const created = await openSqlite(file, { readOnly: false });
  await created.run('CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)');
  await created.run('INSERT INTO t (id, data) VALUES (1, ?)', [Buffer.from('a:1:{s:1:"x";i:1;}')]);
  await created.close();
  return file;
}

async function open(file: string, readOnly = false): Promise<Database> {
  const db = await openSqliteInWorker(worker, file, { readOnly });
  opened.push(db);
  return db;
}

/** The AppFailure `pending` rejects with (fails the test if it resolves). */
async function failure(pending: Promise<unknown>): Promise<AppFailure> {
  const outcome = await pending.then(() => null, (error: unknown) => error);
  expect(outcome).toBeInstanceOf(AppFailure);
  return outcome as AppFailure;
}

/** Counts how often a 10 ms timer fires while `work` runs: 0 means the thread was blocked. */
async function ticksDuring(work: Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    await work;
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('SQLite on a worker thread', () => {
  it('leaves the owner thread free while a long statement runs (in process, it is blocked)', { timeout: 60_000 }, async () => {
    const file = await freshFile();
    const inWorker = await open(file);
    expect(await ticksDuring(inWorker.all(LONG_QUERY))).toBeGreaterThan(20);

    // The control: the same statement in process blocks the thread, so the test can fail.
    const inProcess = await openSqlite(file, { readOnly: false });
    opened.push(inProcess);
    expect(await ticksDuring(inProcess.all(LONG_QUERY))).toBeLessThanOrEqual(1);
  });

  it('cancels a running statement at once, and the next one runs on a fresh thread', { timeout: 60_000 }, async () => {
    const db = await open(await freshFile());
    const started = Date.now();
    const running = failure(db.all(LONG_QUERY));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await db.interrupt();
    expect((await running).code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await db.all('SELECT id FROM t')).toEqual([{ id: 1 }]);
    // Nothing running: a cancel is a no-op and the connection stays as it was.
    await db.interrupt();
    expect(await db.run('UPDATE t SET id = 2 WHERE id = 1')).toBe(1);
  });

  it('never cuts a transaction short', { timeout: 60_000 }, async () => {
    const db = await open(await freshFile());
    const result = db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (id, data) VALUES (2, NULL)');
      await db.interrupt();
      await tx.all(LONG_QUERY.replace('5000000', '50000'));
      await tx.run('INSERT INTO t (id, data) VALUES (3, NULL)');
      return 'committed';
    });
    expect(await result).toBe('committed');
    expect(await db.all('SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('rolls a failed transaction back', async () => {
    const db = await open(await freshFile());
    const failed = await failure(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (id, data) VALUES (2, NULL)');
        throw new AppFailure('USAGE', 'changed my mind');
      }),
    );
    expect(failed.message).toBe('changed my mind');
    expect(await db.all('SELECT id FROM t')).toEqual([{ id: 1 }]);
  });

  it('returns BLOBs as Buffers, as in process', async () => {
    const db = await open(await freshFile());
    const [row] = await db.all<{ data: unknown }>('SELECT data FROM t');
    expect(Buffer.isBuffer(row?.data)).toBe(true);
    expect(String(row?.data)).toBe('a:1:{s:1:"x";i:1;}');
  });

  it('reports a file that is not SQLite, a missing file and a bad statement as in process', async () => {
    const notSqlite = join(tempDir('si-worker-'), 'notes.txt');
    writeFileSync(notSqlite, 'just some text, long enough to have a header of sorts '.repeat(20));
    const inWorker = await failure(openSqliteInWorker(worker, notSqlite, { readOnly: true }));
    const inProcess = await failure(openSqlite(notSqlite, { readOnly: true }));
    expect({ code: inWorker.code, message: inWorker.message }).toEqual({ code: inProcess.code, message: inProcess.message });

    const missing = await failure(openSqliteInWorker(worker, join(tempDir(), 'nope.sqlite'), { readOnly: true }));
    expect(missing.code).toBe('DATABASE');
    expect(missing.message).toMatch(/No such SQLite file/);

    const db = await open(await freshFile());
    const bad = await failure(db.all('SELECT nothing FROM nowhere'));
    expect(bad.code).toBe('DATABASE');
    expect(await db.all('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('opens read-only without changing a byte of the file, and refuses writes', async () => {
    const file = await freshFile();
    const before = readFileSync(file);
    const db = await open(file, true);
    expect(await db.all('SELECT id FROM t')).toEqual([{ id: 1 }]);
    const write = await failure(db.run('DELETE FROM t'));
    expect(write.code).toBe('READ_ONLY');
    await db.close();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses statements after close instead of opening the file again', async () => {
    const db = await openSqliteInWorker(worker, await freshFile(), { readOnly: false });
    await db.close();
    const error = await failure(db.all('SELECT 1'));
    expect(error.code).toBe('DATABASE');
    expect(error.message).toMatch(/closed/);
  });
});
