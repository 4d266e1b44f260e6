/**
 * A SQLite Database whose statements run on a worker thread (worker-entry.ts), for the
 * desktop app: its main process must never block on a query. The CLI and the tests
 * open SQLite in process (driver.ts); both run the same connection code.
 *
 * Cancelling (`interrupt`) lets the worker go: better-sqlite3 cannot interrupt a running
 * statement, so the waiting requests fail with CANCELLED at once, a fresh thread opens
 * the file again for the next statement, and the old thread is told to close: it does
 * so when its statement returns (a scan finishes in the background, or a busy wait
 * times out). A thread is never terminated while inside better-sqlite3: a statement
 * that fails in a terminating thread aborts the whole process (V8 cannot throw there).
 */
import { Worker } from 'node:worker_threads';
import { AppFailure, ERROR_CODES } from '../../../shared/errors.js';
import type { Database, Queryable, Row, SqlValue } from '../../db/database.js';
import type { SqliteOpenOptions } from './driver.js';
import { cancelled } from '../../db/driver-errors.js';
import type { WorkerError, WorkerReply, WorkerRequest } from './worker-protocol.js';

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}


function fromWorker(error: WorkerError): Error {
  // INTERNAL is a bug on the worker's side: a plain Error, so it is reported as one.
  return ERROR_CODES.includes(error.code) && error.code !== 'INTERNAL' ? new AppFailure(error.code, error.message) : new Error(error.message);
}

/** BLOBs arrive as Uint8Array (structured clone drops Buffer); the Drupal layer expects Buffers. */
function withBuffers(rows: Row[]): Row[] {
  for (const row of rows) {
    for (const key in row) {
      const value = row[key];
      if (value instanceof Uint8Array && !Buffer.isBuffer(value)) row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return rows;
}

/** One worker thread and the requests waiting for its answers. */
class WorkerThread {
  readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private ended = false;

  constructor(entry: string, private readonly onEnd: (thread: WorkerThread) => void) {
    // better-sqlite3 reads SQLITE_USE_URI from the process environment when it loads;
    // a worker's process.env is a private copy, so it is set here, in the owner.
    process.env.SQLITE_USE_URI = '1';
    this.worker = new Worker(entry);
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', (error) => this.end(new AppFailure('DATABASE', `The SQLite worker failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.end(new AppFailure('DATABASE', `The SQLite worker stopped (exit code ${code}). Try again.`)));
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  request<T>(request: Request): Promise<T> {
    if (this.ended) return Promise.reject(new AppFailure('DATABASE', 'The SQLite worker has stopped. Try again.'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(fromWorker(reply.error));
  }

  /** Fails every waiting request with `error`; the thread is not used again. */
  end(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
    this.onEnd(this);
  }

  /**
   * Lets the thread go: its waiting requests fail with CANCELLED now; the thread closes
   * its connection and exits once the statement it runs (if any) returns. Nobody waits.
   */
  abandon(): void {
    this.end(cancelled());
    this.worker.postMessage({ id: 0, type: 'close' } satisfies WorkerRequest);
    this.worker.unref();
  }

  /** Closes the connection and waits for the thread to exit (it does once its port closes). */
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    await this.request({ type: 'close' }).catch(() => undefined);
    await exited;
  }
}

class WorkerSqliteDatabase implements Database {
  readonly engine = 'sqlite' as const;
  private thread: WorkerThread | null = null;
  /** The thread a worker-side transaction is open on, while one is. */
  private transactionThread: WorkerThread | null = null;
  private ready: Promise<WorkerThread> | null = null;
  private opened: { description: string };
  private closed = false;

  constructor(
    private readonly entry: string,
    private readonly file: string,
    private readonly options: SqliteOpenOptions,
  ) {
    this.opened = { description: `sqlite:${file}` };
  }

  get description(): string {
    return this.opened.description;
  }

  get readOnly(): boolean {
    return this.options.readOnly;
  }

  /** The open thread, or a fresh one that opens the file (first use, after a cancel or a crash). */
  current(): Promise<WorkerThread> {
    if (this.closed) return Promise.reject(new AppFailure('DATABASE', 'This SQLite connection is closed.'));
    if (!this.thread || !this.ready) {
      const thread = new WorkerThread(this.entry, (ended) => this.forget(ended));
      this.thread = thread;
      this.ready = thread.request<{ description: string }>({ type: 'open', file: this.file, options: this.options }).then(
        (opened) => {
          this.opened = opened;
          return thread;
        },
        (error: unknown) => {
          // Not waited for: a cancelled open may still be in SQLite's busy wait.
          this.forget(thread);
          thread.abandon();
          throw error;
        },
      );
    }
    return this.ready;
  }

  private forget(thread: WorkerThread): void {
    if (this.thread !== thread) return;
    this.thread = null;
    this.ready = null;
  }

  private async request<T>(request: Request): Promise<T> {
    return (await this.current()).request<T>(request);
  }

  async all<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return withBuffers(await this.request<Row[]>({ type: 'all', sql, params })) as T[];
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.request<number>({ type: 'run', sql, params });
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const thread = await this.current();
    const id = await thread.request<number>({ type: 'begin' });
    this.transactionThread = thread;
    const tx: Queryable = {
      all: async <R = Row>(sql: string, params: readonly SqlValue[] = []) =>
        withBuffers(await thread.request<Row[]>({ type: 'all', sql, params, tx: id })) as R[],
      run: (sql: string, params: readonly SqlValue[] = []) => thread.request<number>({ type: 'run', sql, params, tx: id }),
    };
    try {
      const result = await work(tx);
      await thread.request({ type: 'commit', tx: id });
      return result;
    } catch (error) {
      await thread.request({ type: 'rollback', tx: id }).catch(() => undefined);
      throw error;
    } finally {
      this.transactionThread = null;
    }
  }

  async interrupt(): Promise<void> {
    const thread = this.thread;
    // Nothing running, or a revoke's transaction (never cut short; it ends in moments).
    if (!thread?.busy || this.transactionThread === thread) return;
    this.forget(thread);
    thread.abandon();
  }

  async close(): Promise<void> {
    this.closed = true;
    const thread = this.thread;
    if (!thread) return;
    this.forget(thread);
    await thread.close();
  }
}

/**
 * Opens `file` on a worker thread started from `entry` (the built worker-entry.js).
 * Errors are those of the in-process open: a missing file, not SQLite, and so on.
 */
export async function openSqliteInWorker(entry: string, file: string, options: SqliteOpenOptions): Promise<Database> {
  const database = new WorkerSqliteDatabase(entry, file, options);
  await database.current();
  return database;
}
