/** MySQL and MariaDB through mysql2, with a small pool so a transaction owns its connection. */
import mysql from 'mysql2/promise';
import { DEFAULT_CONNECT_TIMEOUT_MS, type Database, type OpenOptions, type Queryable, type Row, type SqlValue } from './database.js';
import { translateDriverError } from './driver-errors.js';
import { describeTarget, type ServerTarget } from './target.js';

type Runner = Pick<mysql.Pool, 'query'>;

class MysqlDatabase implements Database {
  readonly engine = 'mysql' as const;

  constructor(
    private readonly pool: mysql.Pool,
    readonly readOnly: boolean,
    readonly description: string,
  ) {}

  private async on(runner: Runner, sql: string, params: readonly SqlValue[]): Promise<unknown> {
    try {
      // query() escapes values client-side; execute() mishandles LIMIT placeholders.
      const [result] = await runner.query(sql, params as unknown[]);
      return result;
    } catch (error) {
      throw translateDriverError('mysql', this.description, error);
    }
  }

  private queryable(runner: Runner): Queryable {
    return {
      all: async <T = Row>(sql: string, params: readonly SqlValue[] = []) => (await this.on(runner, sql, params)) as T[],
      run: async (sql: string, params: readonly SqlValue[] = []) =>
        ((await this.on(runner, sql, params)) as mysql.ResultSetHeader).affectedRows,
    };
  }

  all<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.queryable(this.pool).all<T>(sql, params);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.queryable(this.pool).run(sql, params);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    let connection: mysql.PoolConnection;
    try {
      connection = await this.pool.getConnection();
    } catch (error) {
      throw translateDriverError('mysql', this.description, error);
    }
    const tx = this.queryable(connection);
    try {
      await tx.run('START TRANSACTION');
      const result = await work(tx);
      await tx.run('COMMIT');
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

export async function openMysql(target: ServerTarget<'mysql'>, options: OpenOptions): Promise<Database> {
  const pool = mysql.createPool({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password ?? '',
    connectionLimit: 4,
    connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    charset: 'utf8mb4',
    supportBigNumbers: true,
    multipleStatements: false,
    enableKeepAlive: true,
  });
  // Every pooled connection is put in read-only mode before it runs anything of ours;
  // mysql2 runs commands on a connection in order, so this precedes the first query.
  pool.pool.on('connection', (connection) => {
    connection.on('error', () => undefined);
    if (options.readOnly) {
      // Should the server refuse read-only mode, this connection must not be used at all.
      connection.query('SET SESSION TRANSACTION READ ONLY', (error: unknown) => {
        if (error) connection.destroy();
      });
    }
  });
  const db = new MysqlDatabase(pool, options.readOnly, describeTarget(target));
  try {
    await db.all('SELECT 1');
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
