/** PostgreSQL through node-postgres, with a small pool so a transaction owns its client. */
import pg from 'pg';
import { DEFAULT_CONNECT_TIMEOUT_MS, type Database, type OpenOptions, type Queryable, type Row, type SqlValue } from './database.js';
import { translateDriverError } from './driver-errors.js';
import { describeTarget, type ServerTarget } from './target.js';


const INT8_OID = 20;

/** Drupal widens uid to bigint; node-postgres returns those as strings. Ours fit a number. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Our SQL uses `?`; PostgreSQL wants `$1, $2…`. No statement of ours has a literal `?`. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function bind(params: readonly SqlValue[]): unknown[] {
  return params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p) : p));
}

class PostgresDatabase implements Database {
  readonly engine = 'pgsql' as const;

  constructor(
    private readonly pool: pg.Pool,
    readonly readOnly: boolean,
    readonly description: string,
  ) {}

  private async on<T>(client: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlValue[]): Promise<pg.QueryResult & { rows: T[] }> {
    try {
      return (await client.query(numbered(sql), bind(params))) as pg.QueryResult & { rows: T[] };
    } catch (error) {
      throw translateDriverError('pgsql', this.description, error);
    }
  }

  private queryable(client: pg.Pool | pg.PoolClient): Queryable {
    return {
      all: async <T = Row>(sql: string, params: readonly SqlValue[] = []) => (await this.on<T>(client, sql, params)).rows,
      run: async (sql: string, params: readonly SqlValue[] = []) => (await this.on(client, sql, params)).rowCount ?? 0,
    };
  }

  all<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.queryable(this.pool).all<T>(sql, params);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.queryable(this.pool).run(sql, params);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translateDriverError('pgsql', this.description, error);
    }
    // A checked-out client has no 'error' listener of the pool's: without one, a server
    // that dies mid-transaction would emit an unhandled 'error' and crash the process.
    // The failure still reaches the caller, through the query that was running.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    const tx = this.queryable(client);
    try {
      await tx.run('BEGIN');
      const result = await work(tx);
      await tx.run('COMMIT');
      return result;
    } catch (error) {
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      // A client whose connection failed is discarded, not returned to the pool.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

export async function openPostgres(target: ServerTarget<'pgsql'>, options: OpenOptions): Promise<Database> {
  const timeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const pool = new pg.Pool({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password ?? '',
    max: 4,
    connectionTimeoutMillis: timeout,
    idleTimeoutMillis: 30_000,
    query_timeout: 60_000,
    application_name: 'session-inspector',
    types,
    // Read-only is enforced by the server for every transaction of this session.
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Every client, idle or checked out, has a listener: an 'error' event with none would
  // be thrown as an uncaught exception. The failing query reports the loss.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new PostgresDatabase(pool, options.readOnly, describeTarget(target));
  try {
    await db.all('SELECT 1');
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
