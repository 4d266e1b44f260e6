/** PostgreSQL through node-postgres: a small pool under the shared PooledDatabase. */
import type { Socket } from 'node:net';
import pg from 'pg';
import { IDLE_TIMEOUT_MS, type Database, type OpenOptions, type SqlValue } from '../../db/database.js';
import { openPooled, poolDriver, type QueryResult } from '../../db/pooled-database.js';
import { openServerConnection, type ServerSetup } from '../../db/server-connection.js';
import { describeTarget, serverAddress, type ServerTarget } from '../../db/target.js';
import type { TlsPlan } from '../../db/tls.js';
import { pgsqlDialect } from './dialect.js';

const INT8_OID = 20;

/** Drupal widens uid to bigint; node-postgres returns those as strings. Ours fit a number. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Our SQL uses `?`; PostgreSQL wants `$1, $2…`. No statement of ours has a literal `?`. */
export function numbered(sql: string): string {
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

/** Stops the running queries of these backends (ours: same user), from a connection of its own. */
async function cancelBackends(config: pg.ClientConfig, pids: number[]): Promise<void> {
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  await client.connect();
  try {
    for (const pid of pids) await client.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Node's TLS options for the plan: pg hands them to tls.connect with the host to verify. */
function pgSsl(plan: TlsPlan): pg.ClientConfig['ssl'] {
  return {
    rejectUnauthorized: plan.verifyChain,
    // verify-ca: the chain only. Node checks the name only when this returns an error.
    ...(plan.verifyChain && !plan.verifyHost ? { checkServerIdentity: () => undefined } : {}),
    ...(plan.ca !== undefined ? { ca: plan.ca } : {}),
    ...(plan.cert !== undefined ? { cert: plan.cert, key: plan.key } : {}),
  };
}

export function openPostgres(target: ServerTarget<'pgsql'>, options: OpenOptions): Promise<Database> {
  return openServerConnection(target, options, (setup, encrypted) => openPool(target, options, setup, encrypted));
}

async function openPool(target: ServerTarget<'pgsql'>, options: OpenOptions, setup: ServerSetup, encrypted: boolean): Promise<Database> {
  const { tunnel, timeouts, context } = setup;
  const ssl = encrypted ? pgSsl(setup.plan) : false;
  const connectionTimeoutMillis = setup.connectTimeoutMs;
  const description = describeTarget(target);
  // Through a tunnel, each connection is a forwarded channel to host:port as the SSH server sees them.
  const stream = tunnel ? { stream: () => tunnel.socket(target.host, target.port) as unknown as Socket } : {};
  const pool = new pg.Pool({
    ...serverAddress(target),
    ...stream,
    ssl,
    max: 4,
    connectionTimeoutMillis,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    // The client's own limit, for a server that says nothing at all (the server's is set below).
    query_timeout: timeouts.client,
    application_name: 'session-inspector',
    types,
    // Read-only is enforced by the server for every transaction of this session.
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    // Every client, idle or checked out, has a listener: an 'error' event with none would
    // be thrown as an uncaught exception. The failing query reports the loss.
    client.on('error', () => undefined);
    // The server stops a long statement (57014) and the connection stays usable. Set here
    // rather than as a startup parameter, which PgBouncer refuses unless configured to
    // ignore it; queued on the client, it runs before the first query.
    client.query(`SET statement_timeout = ${Math.trunc(timeouts.server)}`).catch(() => undefined);
  });

  const driver = poolDriver<pg.Pool, pg.PoolClient>(pgsqlDialect, pool, run, {
    checkOut: (p) => p.connect(),
    // A client released with an error is discarded by the pool.
    release: (client, broken) => client.release(broken),
    // node-postgres keeps the backend pid it was told at startup; its types omit it.
    serverId: (client) => (client as unknown as { processID: number | null }).processID,
    cancel: (pids) => cancelBackends({ ...serverAddress(target), ...stream, ssl, connectionTimeoutMillis, application_name: 'session-inspector' }, pids),
  });
  return openPooled(
    driver,
    options.readOnly,
    description,
    async (db) => {
      await db.all('SELECT 1');
    },
    { ...context, encrypted },
    encrypted,
  );
}
