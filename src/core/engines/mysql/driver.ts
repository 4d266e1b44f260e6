/** MySQL and MariaDB through mysql2: a small pool under the shared PooledDatabase. */
import { connect, isIP, type Socket } from 'node:net';
import mysql from 'mysql2/promise';
import { IDLE_TIMEOUT_MS, type Database, type OpenOptions, type Row, type SqlValue } from '../../db/database.js';
import { openPooled, poolDriver, type QueryResult } from '../../db/pooled-database.js';
import { openServerConnection, type ServerSetup } from '../../db/server-connection.js';
import type { SshTunnel } from '../../ssh/tunnel.js';
import { describeTarget, serverAddress, type ServerTarget } from '../../db/target.js';
import type { TlsPlan } from '../../db/tls.js';
import { AppFailure } from '../../../shared/errors.js';
import { mysqlDialect } from './dialect.js';

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

/**
 * The server-side statement limit, whose variable differs: MariaDB's max_statement_time
 * (seconds, every statement), MySQL's max_execution_time (ms, SELECTs). Each server
 * refuses the other's, harmlessly; the client's own timeout covers a server with neither.
 */
function statementLimits(serverMs: number): string[] {
  return [`SET SESSION max_statement_time = ${serverMs / 1000}`, `SET SESSION max_execution_time = ${Math.trunc(serverMs)}`];
}

function runWithin(clientTimeoutMs: number) {
  return async (runner: Pick<mysql.Pool, 'query'>, sql: string, params: readonly SqlValue[]): Promise<QueryResult> => {
    // query() escapes values client-side (sound under the sql_mode above); execute()
    // mishandles LIMIT placeholders.
    const [result] = await runner.query({ sql, timeout: clientTimeoutMs }, params as unknown[]);
    return Array.isArray(result)
      ? { rows: result as Row[], changes: 0 }
      : { rows: [], changes: (result as mysql.ResultSetHeader).affectedRows };
  };
}

/** Stops the running queries of these threads (ours: same user), from a connection of its own. */
async function killQueries(target: ServerTarget<'mysql'>, ssl: mysql.SslOptions | undefined, tunnel: SshTunnel | null, connectTimeout: number, threadIds: number[]): Promise<void> {
  const connection = await mysql.createConnection({ ...serverAddress(target), ...transport(target, ssl, tunnel), connectTimeout });
  connection.on('error', () => undefined);
  try {
    // KILL takes no placeholder in the server's grammar; the ids are the driver's integers.
    for (const id of threadIds) await connection.query(`KILL QUERY ${Math.trunc(Number(id))}`);
  } finally {
    await connection.end().catch(() => undefined);
  }
}

/**
 * mysql2's TLS options for the plan. It verifies the name itself (verifyIdentity), against
 * the host it was given; a CA left out means Node's bundled authorities.
 */
function mysqlSsl(plan: TlsPlan): mysql.SslOptions {
  return {
    rejectUnauthorized: plan.verifyChain,
    verifyIdentity: plan.verifyHost,
    ...(plan.ca !== undefined ? { ca: plan.ca } : {}),
    ...(plan.cert !== undefined ? { cert: plan.cert, key: plan.key } : {}),
  } as mysql.SslOptions;
}

/**
 * The socket to the server, opened here rather than by mysql2 for one reason: with an IP
 * address for a host, mysql2 gives Node's TLS no name to check, and Node then checks the
 * certificate against "localhost" (a certificate for localhost would pass for any
 * address). Node falls back to the socket's `_host`, which it leaves empty for an IP
 * address; set here, verify-full checks the address the operator gave.
 */
function socketTo(host: string, port: number): () => Socket {
  return () => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    socket.on('connect', () => socket.setKeepAlive(true, 0));
    if (isIP(host) !== 0) (socket as unknown as { _host: string })._host = host;
    return socket;
  };
}

/**
 * How mysql2 reaches the server and what TLS it uses there. Through a tunnel, each
 * connection is a forwarded channel (whose `_host` is the database's host, for TLS).
 */
function transport(target: ServerTarget<'mysql'>, ssl: mysql.SslOptions | undefined, tunnel: SshTunnel | null): Pick<mysql.PoolOptions, 'ssl' | 'stream'> {
  const stream = tunnel
    ? { stream: () => tunnel.socket(target.host, target.port).connect() as unknown as Socket }
    : ssl?.verifyIdentity
      ? { stream: socketTo(target.host, target.port) }
      : {};
  return { ...(ssl ? { ssl } : {}), ...stream };
}

export function openMysql(target: ServerTarget<'mysql'>, options: OpenOptions): Promise<Database> {
  return openServerConnection(target, options, (setup, encrypted) => openPool(target, options, setup, encrypted));
}

async function openPool(target: ServerTarget<'mysql'>, options: OpenOptions, setup: ServerSetup, encrypted: boolean): Promise<Database> {
  const { tunnel, timeouts, context } = setup;
  const ssl = encrypted ? mysqlSsl(setup.plan) : undefined;
  const connectTimeout = setup.connectTimeoutMs;
  const description = describeTarget(target);
  const pool = mysql.createPool({
    ...serverAddress(target),
    ...transport(target, ssl, tunnel),
    connectionLimit: 4,
    connectTimeout,
    charset: 'utf8mb4',
    supportBigNumbers: true,
    multipleStatements: false,
    enableKeepAlive: true,
    idleTimeout: IDLE_TIMEOUT_MS,
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
    for (const command of statementLimits(timeouts.server)) connection.query(command, () => undefined);
  });

  const driver = poolDriver<mysql.Pool, mysql.PoolConnection>(mysqlDialect, pool, runWithin(timeouts.client), {
    checkOut: (p) => p.getConnection(),
    // A connection whose server failed mid-transaction is closed, not reused.
    release: (connection, broken) => (broken ? connection.destroy() : connection.release()),
    serverId: (connection) => connection.threadId,
    cancel: (threadIds) => killQueries(target, ssl, tunnel, connectTimeout, threadIds),
  });
  return openPooled(driver, options.readOnly, description, async (db) => {
    // Values are escaped on the client: refuse outright a session in which that escaping
    // would not hold (a server or proxy that ignored the sql_mode above).
    const [row] = await db.all<{ mode: unknown }>('SELECT @@SESSION.sql_mode AS mode');
    if (String(row?.mode ?? '').toUpperCase().includes('NO_BACKSLASH_ESCAPES')) {
      throw new AppFailure('DATABASE', `The MySQL session at ${description} kept NO_BACKSLASH_ESCAPES in its sql_mode; Session Inspector will not run queries there.`);
    }
  }, { ...context, encrypted: ssl !== undefined }, ssl !== undefined);
}
