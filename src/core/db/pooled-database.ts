/**
 * The Database of the server engines (PostgreSQL, MySQL/MariaDB), written once over a
 * minimal pool driver: run a statement, check a connection out, give it back. The
 * transaction logic lives here alone: BEGIN, the work, COMMIT, ROLLBACK on failure, and
 * a connection whose server went away during the transaction is discarded, not reused.
 */
import type { Database, Queryable, Row, SqlValue } from './database.js';
import type { Engine } from './target.js';
import type { AppFailure } from '../../shared/errors.js';

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
}

/** What an engine's driver provides; `PooledDatabase` does the rest. */
export interface PoolDriver {
  readonly engine: Exclude<Engine, 'sqlite'>;
  /** Runs one statement on any pooled connection. */
  query(sql: string, params: readonly SqlValue[]): Promise<QueryResult>;
  acquire(): Promise<PoolConnection>;
  /** The statement that opens a transaction in this engine's SQL. */
  readonly begin: string;
  /** Turns a driver error into one that tells the operator what happened. */
  translate(error: unknown): AppFailure;
  end(): Promise<void>;
}

export class PooledDatabase implements Database {
  readonly engine: Exclude<Engine, 'sqlite'>;

  constructor(
    private readonly driver: PoolDriver,
    readonly readOnly: boolean,
    readonly description: string,
  ) {
    this.engine = driver.engine;
  }

  private async query(run: () => Promise<QueryResult>): Promise<QueryResult> {
    try {
      return await run();
    } catch (error) {
      throw this.driver.translate(error);
    }
  }

  private queryable(run: (sql: string, params: readonly SqlValue[]) => Promise<QueryResult>): Queryable {
    return {
      all: async <T = Row>(sql: string, params: readonly SqlValue[] = []) => (await this.query(() => run(sql, params))).rows as T[],
      run: async (sql: string, params: readonly SqlValue[] = []) => (await this.query(() => run(sql, params))).changes,
    };
  }

  private readonly pooled = this.queryable((sql, params) => this.driver.query(sql, params));

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
      throw this.driver.translate(error);
    }
    let broken: Error | undefined;
    const unsubscribe = connection.onError((error) => {
      broken = error;
    });
    const tx = this.queryable((sql, params) => connection.query(sql, params));
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

  async close(): Promise<void> {
    await this.driver.end().catch(() => undefined);
  }
}
