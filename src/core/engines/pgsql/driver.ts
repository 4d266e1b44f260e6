/** PostgreSQL through node-postgres: a small pool under the shared PooledDatabase. */
import pg from 'pg';
import { DEFAULT_CONNECT_TIMEOUT_MS, type Database, type OpenOptions, type SqlValue } from '../../db/database.js';
import { translateDriverError } from '../../db/driver-errors.js';
import { PooledDatabase, type PoolConnection, type PoolDriver, type QueryResult } from '../../db/pooled-database.js';
import { describeTarget, type ServerTarget } from '../../db/target.js';

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

async function run(client: pg.Pool | pg.PoolClient, sql: string, params: readonly SqlValue[]): Promise<QueryResult> {
  const result = await client.query(numbered(sql), bind(params));
  return { rows: result.rows, changes: result.rowCount ?? 0 };
}

export async function openPostgres(target: ServerTarget<'pgsql'>, options: OpenOptions): Promise<Database> {
  const description = describeTarget(target);
  const pool = new pg.Pool({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password ?? '',
    max: 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
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

  const driver: PoolDriver = {
    engine: 'pgsql',
    begin: 'BEGIN',
    query: (sql, params) => run(pool, sql, params),
    acquire: async (): Promise<PoolConnection> => {
      const client = await pool.connect();
      return {
        query: (sql, params) => run(client, sql, params),
        onError: (listener) => {
          client.on('error', listener);
          return () => client.off('error', listener);
        },
        release: (broken) => client.release(broken),
      };
    },
    translate: (error) => translateDriverError('pgsql', description, error),
    end: () => pool.end(),
  };
  const db = new PooledDatabase(driver, options.readOnly, description);
  try {
    await db.all('SELECT 1');
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
