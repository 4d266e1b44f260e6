/**
 * The Database of the server engines (PostgreSQL, MySQL/MariaDB), written once over a
 * minimal pool driver: run a statement, check a connection out, give it back. The
 * transaction logic lives here alone: BEGIN, the work, COMMIT, ROLLBACK on failure, and
 * a connection whose server went away during the transaction is discarded, not reused.
 */
import type { Database, Queryable, Row, SqlValue } from './database.js';
import type { AppFailure } from '../../shared/errors.js';
import { isSilentServer, translateDriverError, type ConnectionContext } from './driver-errors.js';
import type { Engine } from './target.js';


export interface QueryResult {
  rows: Row[];
  /** Rows changed by a write. */
  changes: number;
}

/** One connection checked out of the pool. */
export interface PoolConnection {
  query(sql: string, params: readonly SqlValue[]): Promise<QueryResult>;
  /**
   * Listens for the connection failing while it is checked out (the driver emits such
   * errors as events, besides failing the running query). Returns the unsubscriber.
   */
  onError(listener: (error: Error) => void): () => void;
  /** Gives it back; with an error, the connection is closed instead of reused. */
  release(broken?: Error): void;
  /** The server's id of this connection (PostgreSQL backend pid, MySQL thread id), to cancel its query. */
  readonly serverId: number | null;
}

/** The part of a driver's connection object that reports failures as events. */
interface EventSource {
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
}

/** Wraps a driver's checked-out connection as a PoolConnection. */
export function checkedOut<C extends EventSource>(
  connection: C,
  run: (connection: C, sql: string, params: readonly SqlValue[]) => Promise<QueryResult>,
  release: (broken?: Error) => void,
  serverId: number | null,
): PoolConnection {
  return {
    serverId,
    query: (sql, params) => run(connection, sql, params),
    onError: (listener) => {
      connection.on('error', listener);
      return () => connection.off('error', listener);
    },
    release,
  };
}

/** The PoolDriver of a pool whose connections run statements the same way the pool does. */
export function poolDriver<P extends { end(): Promise<void> }, C extends EventSource>(
  engine: { engine: Exclude<Engine, 'sqlite'>; beginTransaction: string },
  pool: P,
  run: (runner: P | C, sql: string, params: readonly SqlValue[]) => Promise<QueryResult>,
  connections: {
    checkOut: (pool: P) => Promise<C>;
    release: (connection: C, broken?: Error) => void;
    serverId: (connection: C) => number | null;
    /** Stops the queries running on these server connections, from a connection of its own. */
    cancel: (serverIds: number[]) => Promise<void>;
  },
): PoolDriver {
  return {
    engine: engine.engine,
    begin: engine.beginTransaction,
    query: (sql, params) => run(pool, sql, params),
    acquire: async () => {
      const connection = await connections.checkOut(pool);
      return checkedOut(connection, run, (broken) => connections.release(connection, broken), connections.serverId(connection));
    },
    cancel: connections.cancel,
    end: () => pool.end(),
  };
}

/** What an engine's driver provides; `PooledDatabase` does the rest. */
export interface PoolDriver {
  readonly engine: Exclude<Engine, 'sqlite'>;
  /** Runs one statement on any pooled connection. */
  query(sql: string, params: readonly SqlValue[]): Promise<QueryResult>;
  acquire(): Promise<PoolConnection>;
  /** Stops the queries running on these server connections (see PoolConnection.serverId). */
  cancel(serverIds: number[]): Promise<void>;
  /** The statement that opens a transaction in this engine's SQL. */
  readonly begin: string;
  end(): Promise<void>;
}

export class PooledDatabase implements Database {
  readonly engine: Exclude<Engine, 'sqlite'>;

  constructor(
    private readonly driver: PoolDriver,
    readonly readOnly: boolean,
    readonly description: string,
    private readonly context: ConnectionContext = {},
    readonly encrypted = false,
  ) {
    this.engine = driver.engine;
  }

  /** Turns a driver error into one that tells the operator what happened. */
  private translate(error: unknown): AppFailure {
    return translateDriverError(this.engine, this.description, error, this.context);
  }

  private async query(run: () => Promise<QueryResult>): Promise<QueryResult> {
    try {
      return await run();
    } catch (error) {
      throw this.translate(error);
    }
  }

  private queryable(run: (sql: string, params: readonly SqlValue[]) => Promise<QueryResult>): Queryable {
    return {
      all: async <T = Row>(sql: string, params: readonly SqlValue[] = []) => (await this.query(() => run(sql, params))).rows as T[],
      run: async (sql: string, params: readonly SqlValue[] = []) => (await this.query(() => run(sql, params))).changes,
    };
  }

  /** Connections running a statement outside a transaction: what `interrupt` may stop. */
  private readonly running = new Set<PoolConnection>();

  /**
   * One statement on a connection of its own, checked out for it (what the pool's own
   * query does), so that a cancel knows which server connection runs it.
   */
  private readonly pooled = this.queryable(async (sql, params) => {
    const connection = await this.driver.acquire();
    let broken: Error | undefined;
    const unsubscribe = connection.onError((error) => {
      broken = error;
    });
    this.running.add(connection);
    try {
      return await connection.query(sql, params);
    } catch (error) {
      // Its answer may still arrive and be read as the next query's: never reuse it.
      if (isSilentServer(error)) broken ??= error as Error;
      throw error;
    } finally {
      this.running.delete(connection);
      unsubscribe();
      connection.release(broken);
    }
  });

  all<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.pooled.all<T>(sql, params);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.pooled.run(sql, params);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    let connection: PoolConnection;
    try {
      connection = await this.driver.acquire();
    } catch (error) {
      throw this.translate(error);
    }
    let broken: Error | undefined;
    const unsubscribe = connection.onError((error) => {
      broken = error;
    });
    const tx = this.queryable((sql, params) =>
      connection.query(sql, params).catch((error: unknown) => {
        if (isSilentServer(error)) broken ??= error as Error;
        throw error;
      }),
    );
    try {
      await tx.run(this.driver.begin);
      const result = await work(tx);
      await tx.run('COMMIT');
      return result;
    } catch (error) {
      if (!broken) await connection.query('ROLLBACK', []).catch(() => undefined);
      throw error;
    } finally {
      unsubscribe();
      connection.release(broken);
    }
  }

  async interrupt(): Promise<void> {
    const ids = [...this.running].map((connection) => connection.serverId).filter((id): id is number => id !== null);
    if (ids.length === 0) return;
    try {
      await this.driver.cancel(ids);
    } catch (error) {
      throw this.translate(error);
    }
  }

  async close(): Promise<void> {
    await this.driver.end().catch(() => undefined);
  }
}

/**
 * The Database over `driver`, once `check` passed on it (a first query proves the
 * server is there and the session is as required); closed again if it did not.
 */
export async function openPooled(
  driver: PoolDriver,
  readOnly: boolean,
  description: string,
  check: (db: Database) => Promise<void>,
  context: ConnectionContext = {},
  encrypted = false,
): Promise<Database> {
  const db = new PooledDatabase(driver, readOnly, description, context, encrypted);
  try {
    await check(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** The database, closing `resource` after it (an SSH tunnel carrying its connections). */
export function closingAlso(db: Database, resource: { close(): Promise<void> }): Database {
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      try {
        await close();
      } finally {
        await resource.close();
      }
    },
  });
}
