/**
 * The worker thread that owns one SQLite connection for the desktop app (see
 * worker-protocol.ts). It hosts the very same `openSqlite` connection the CLI uses in
 * process; a transaction stays open here while the owner sends its statements, and ends
 * when the owner says commit or rollback.
 */
import { parentPort } from 'node:worker_threads';
import type { Database, Queryable } from '../../db/database.js';
import { AppFailure } from '../../../shared/errors.js';
import { openSqlite } from './driver.js';
import type { WorkerError, WorkerReply, WorkerRequest } from './worker-protocol.js';

interface OpenTransaction {
  tx: Queryable;
  finish: (commit: boolean) => void;
  /** Settles when COMMIT or ROLLBACK has run. */
  done: Promise<void>;
}

let db: Database | null = null;
const transactions = new Map<number, OpenTransaction>();
let nextTx = 1;

function asWorkerError(error: unknown): WorkerError {
  if (error instanceof AppFailure) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

function connection(): Database {
  if (!db) throw new AppFailure('DATABASE', 'The SQLite connection is not open.');
  return db;
}

function transaction(id: number): OpenTransaction {
  const open = transactions.get(id);
  if (!open) throw new AppFailure('DATABASE', 'The transaction is no longer open.');
  return open;
}

/** Opens a transaction that stays open until `finish` is called; resolves with its id. */
function begin(): Promise<number> {
  const id = nextTx++;
  return new Promise<number>((started, failedToStart) => {
    let finish!: (commit: boolean) => void;
    const decided = new Promise<boolean>((resolve) => {
      finish = resolve;
    });
    const done = connection()
      .transaction(async (tx) => {
        transactions.set(id, { tx, finish, done });
        started(id);
        if (!(await decided)) throw new AppFailure('DATABASE', 'rolled back');
      })
      .finally(() => transactions.delete(id));
    // BEGIN itself failed (database busy): the owner learns it from `begin`.
    done.catch((error: unknown) => {
      if (!transactions.has(id)) failedToStart(error);
    });
  });
}

async function end(id: number, commit: boolean): Promise<null> {
  const open = transaction(id);
  open.finish(commit);
  try {
    await open.done;
  } catch (error) {
    if (commit) throw error;
  }
  return null;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.type) {
    case 'open':
      db = await openSqlite(request.file, request.options);
      return { description: db.description };
    case 'all':
      return (request.tx ? transaction(request.tx).tx : connection()).all(request.sql, request.params);
    case 'run':
      return (request.tx ? transaction(request.tx).tx : connection()).run(request.sql, request.params);
    case 'begin':
      return begin();
    case 'commit':
    case 'rollback':
      return end(request.tx, request.type === 'commit');
    case 'close':
      await db?.close();
      db = null;
      return null;
  }
}

const port = parentPort;
if (!port) throw new Error('worker-entry.ts runs only as a worker thread.');
port.on('message', (request: WorkerRequest) => {
  handle(request)
    .then(
      (value) => port.postMessage({ id: request.id, ok: true, value } satisfies WorkerReply),
      (error: unknown) => port.postMessage({ id: request.id, ok: false, error: asWorkerError(error) } satisfies WorkerReply),
    )
    .finally(() => {
      // Closed: with its port closed the thread has nothing left to do and exits by
      // itself (the owner never terminates a thread that may be inside better-sqlite3).
      if (request.type === 'close') port.close();
    });
});
