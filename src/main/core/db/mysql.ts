/** MySQL and MariaDB through mysql2, with a small pool so a transaction owns its connection. */
import mysql from 'mysql2/promise';
import { DEFAULT_CONNECT_TIMEOUT_MS, type Database, type OpenOptions, type Queryable, type Row, type SqlValue } from './database.js';
import { InspectorError } from '../errors.js';
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

/**
 * Drupal's own connection setting (core/modules/mysql Connection::open). It matters for
 * safety: mysql2 escapes values on the client with backslashes, which is only sound
 * while the session's sql_mode lacks NO_BACKSLASH_ESCAPES. A server whose global
 * sql_mode has it would otherwise read `\'` as the end of a string (SQL injection).
 */
export const DRUPAL_SQL_MODE = "SET SESSION sql_mode = 'ANSI,TRADITIONAL'";

function sessionSetup(readOnly: boolean): string[] {
  return [DRUPAL_SQL_MODE, ...(readOnly ? ['SET SESSION TRANSACTION READ ONLY'] : [])];
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
  // Every pooled connection is set up before it runs anything of ours; mysql2 runs
  // commands on a connection in order, so these precede the first query. Should the
  // server refuse one, the connection must not be used at all.
  pool.pool.on('connection', (connection) => {
    connection.on('error', () => undefined);
    for (const command of sessionSetup(options.readOnly)) {
      connection.query(command, (error: unknown) => {
        if (error) connection.destroy();
      });
    }
  });
  const db = new MysqlDatabase(pool, options.readOnly, describeTarget(target));
  try {
    // Values are escaped on the client: refuse outright a session in which that escaping
    // would not hold (a server or proxy that ignored the sql_mode above).
    const [row] = await db.all<{ mode: unknown }>('SELECT @@SESSION.sql_mode AS mode');
    if (String(row?.mode ?? '').toUpperCase().includes('NO_BACKSLASH_ESCAPES')) {
      throw new InspectorError('DATABASE', `The MySQL session at ${db.description} kept NO_BACKSLASH_ESCAPES in its sql_mode; Session Inspector will not run queries there.`);
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
