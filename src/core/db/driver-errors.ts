/**
 * Translates driver errors (pg SQLSTATEs, MySQL errnos, SQLite codes, socket errors)
 * into InspectorErrors whose messages tell the operator what happened and what to do.
 */
import { AppFailure } from '../../shared/errors.js';
import { ENGINE_LABELS, type Engine } from '../../shared/engines.js';
import { TLS_MODE_DESCRIPTIONS, type TlsMode } from '../../shared/tls.js';

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  reason?: string;
}

/** What a server connection knows beyond its description, for messages that say what to change. */
export interface ConnectionContext {
  /** host:port as connected to. */
  address?: string;
  connectTimeoutMs?: number;
  /** The limits on one statement (see queryTimeouts). */
  queryTimeouts?: { server: number; client: number };
  /** The TLS mode in force, and whether it was chosen (else the default for the host). */
  tlsMode?: TlsMode;
  tlsModeChosen?: boolean;
  /** This connection attempt used TLS. */
  encrypted?: boolean;
}

/** The driver's own error, kept on the translation (not shown): the core reads it (openWithTls). */
function withCause(failure: AppFailure, error: unknown): AppFailure {
  Object.defineProperty(failure, 'cause', { value: error, enumerable: false });
  return failure;
}

const TLS_UNTRUSTED = /unable to verify the first certificate|self[- ]signed certificate|unable to get (local )?issuer certificate|certificate signature failure|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT/i;
const TLS_WRONG_HOST = /does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID/i;
const TLS_EXPIRED = /certificate has expired|CERT_HAS_EXPIRED/i;
const TLS_NOT_YET_VALID = /certificate is not yet valid|CERT_NOT_YET_VALID/i;

/** TLS failures, each naming the failing part and what to change. Null: not a TLS failure. */
function tlsFailure(server: string, e: DriverError, context: ConnectionContext): AppFailure | null {
  const code = e.code ?? '';
  const text = `${code} ${e.message ?? ''}`;
  const mode = context.tlsMode;
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT' || /server does not support SSL/i.test(text)) {
    const why = mode === undefined ? '' : context.tlsModeChosen ? `, and the TLS mode is ${mode}` : `, and the TLS mode is ${mode}, the default for a server on another computer`;
    return new AppFailure(
      'DATABASE',
      `${server} offers no TLS${why}: nothing was sent to it. Enable TLS on the server, or opt out by setting the TLS mode (sslmode) to prefer or disable; the password and the session data then cross the network unencrypted.`,
    );
  }
  if (TLS_WRONG_HOST.test(text)) {
    const detail = (e.reason ?? e.message ?? '').replace(/^Hostname\/IP does not match certificate's altnames: /, '');
    return new AppFailure(
      'DATABASE',
      `The TLS certificate of ${server} does not name that host name (${detail}). Connect with a name the certificate lists, or set the TLS mode to verify-ca to check only the certificate authority.`,
    );
  }
  if (TLS_EXPIRED.test(text) || TLS_NOT_YET_VALID.test(text)) {
    const state = TLS_EXPIRED.test(text) ? 'has expired' : 'is not valid yet (check this computer\'s clock)';
    return new AppFailure(
      'DATABASE',
      `The TLS certificate of ${server} ${state}: renew it on the server. The TLS mode require encrypts without checking the certificate, if you must connect meanwhile.`,
    );
  }
  if (TLS_UNTRUSTED.test(text)) {
    return new AppFailure(
      'DATABASE',
      `The TLS certificate of ${server} is not signed by a trusted certificate authority (${e.message ?? code}). Give the certificate of the authority that signed it as the CA file (sslrootcert), or set the TLS mode to require to encrypt without checking.`,
    );
  }
  // The server takes only encrypted connections: pg_hba.conf's hostssl, MySQL's require_secure_transport.
  if ((code === '28000' && /no encryption/i.test(text)) || code === 'ER_SECURE_TRANSPORT_REQUIRED' || e.errno === 3159 || /insecure transport are prohibited/i.test(text)) {
    return new AppFailure('DATABASE', `${server} accepts only encrypted connections: set the TLS mode (sslmode) to require, verify-ca or verify-full.`);
  }
  if (/requires a valid client certificate/i.test(text)) {
    return new AppFailure('DATABASE', `${server} asks for a client certificate: give a client certificate and its key (sslcert and sslkey).`);
  }
  if (/ssl|tls/i.test(code) || /^ERR_SSL|EPROTO/.test(code)) {
    return new AppFailure('DATABASE', `The TLS connection to ${server} failed (${e.message ?? code}). The TLS mode is ${mode ?? 'unknown'} (${mode ? TLS_MODE_DESCRIPTIONS[mode] : ''}).`);
  }
  return null;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEOUT']);
const LOST = new Set(['ECONNRESET', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', '57P01', '57P02', '57P03']);
const READ_ONLY = new Set(['25006', 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION', 'SQLITE_READONLY']);

/** The client's own query timeout fired (pg's query_timeout, mysql2's per-query timeout). */
export function isSilentServer(error: unknown): boolean {
  const e = (error ?? {}) as DriverError;
  return e.code === 'PROTOCOL_SEQUENCE_TIMEOUT' || e.message === 'Query read timeout';
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** A query the operator stopped (every engine says it the same way). */
export function cancelled(): AppFailure {
  return new AppFailure('CANCELLED', 'The query was cancelled; nothing was changed.');
}

export function translateDriverError(engine: Engine, where: string, error: unknown, context: ConnectionContext = {}): AppFailure {
  if (error instanceof AppFailure) return error;
  return withCause(translate(engine, where, error, context), error);
}

function translate(engine: Engine, where: string, error: unknown, context: ConnectionContext): AppFailure {
  const e = (error ?? {}) as DriverError;
  const code = e.code ?? '';
  const text = e.message ?? String(error);
  const server = `the ${ENGINE_LABELS[engine]} server at ${where}`;

  // Our own cancel (the app's Cancel button): pg_cancel_backend, KILL QUERY.
  if ((code === '57014' && /user request/i.test(text)) || code === 'ER_QUERY_INTERRUPTED' || e.errno === 1317) return cancelled();
  // The client gave up: the server said nothing at all (see queryTimeouts).
  if (isSilentServer(error)) {
    const after = context.queryTimeouts ? ` after ${seconds(context.queryTimeouts.client)}` : '';
    return new AppFailure(
      'DATABASE',
      `No answer from ${context.address ?? server} to a query${after}: the network, an SSH tunnel or the server itself stopped responding (or the server ran one statement that long, past its own limit). Check that the server is up and reachable, then try again.`,
    );
  }
  // The server stopped it: PostgreSQL's statement_timeout, MariaDB's max_statement_time
  // (1969), MySQL's max_execution_time (3024).
  if (/statement timeout|canceling statement|max_statement_time|maximum statement execution time/i.test(text) || code === '57014' || e.errno === 1969 || e.errno === 3024) {
    const limit = context.queryTimeouts ? ` for more than ${seconds(context.queryTimeouts.server)}` : ' too long';
    return new AppFailure('DATABASE', `The query ran${limit} on ${server} and was stopped; nothing was changed. Try again; if it keeps happening, check the server's load.`);
  }
  // Another kind of server on the port: PostgreSQL's client reads MySQL's greeting as
  // garbage ("Received unexpected copyData message from backend").
  // With TLS, the greeting arrives where the answer to pg's TLS request should.
  if (engine === 'pgsql' && /unexpected .* message from backend|Received unexpected|invalid message format|Unknown message code|error establishing an SSL connection/i.test(text)) {
    return new AppFailure(
      'DATABASE',
      `The server at ${where} does not speak the PostgreSQL protocol: another kind of server (MySQL or MariaDB?) listens on that port. Check the engine and the port.`,
    );
  }
  const tls = tlsFailure(server, e, context);
  if (tls) return tls;
  // Connection-phase timeouts: pg's "timeout exceeded when trying to connect" and
  // "Connection terminated due to connection timeout", mysql2's ETIMEDOUT.
  const timedOut = code === 'ETIMEDOUT' || code === 'ETIMEOUT' || /timeout exceeded when trying to connect|connection timeout|connect ETIMEDOUT/i.test(text);
  if (timedOut && context.address !== undefined && context.connectTimeoutMs !== undefined) {
    return new AppFailure(
      'DATABASE',
      `No answer from ${context.address} after ${seconds(context.connectTimeoutMs)} (${ENGINE_LABELS[engine]}). Check that the server is running, that the host and port are right and that no firewall drops the traffic; another kind of server may also listen there and say nothing.`,
    );
  }
  if (UNREACHABLE.has(code) || timedOut) {
    // A MySQL client waits for a greeting that a PostgreSQL server never sends.
    const silent = timedOut ? `, or that it is a ${ENGINE_LABELS[engine]} server (another kind of server may listen there and say nothing)` : '';
    return new AppFailure(
      'DATABASE',
      `Cannot reach ${server} (${code || 'timed out'}). Check that the server is running and that the host and port are right${silent}.`,
    );
  }
  if (LOST.has(code) || /Connection terminated|connection is in closed state|closed state/i.test(text)) {
    return new AppFailure('DATABASE', `Lost the connection to ${server}. Check that it is running, then try again.`);
  }
  if (['28P01', '28000', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR'].includes(code)) {
    // MariaDB answers an unencrypted connection under require_secure_transport (or to an
    // account that REQUIREs SSL) with this same error.
    const plain =
      engine === 'mysql' && context.encrypted === false
        ? ' The connection was not encrypted: a server that accepts only encrypted connections refuses it the same way, so also try the TLS mode (sslmode) require.'
        : '';
    return new AppFailure('DATABASE', `${server} refused the database user name or password. Check the credentials.${plain}`);
  }
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR') {
    return new AppFailure('DATABASE', `The database named in ${where} does not exist on that server.`);
  }
  if (READ_ONLY.has(code)) {
    return new AppFailure('READ_ONLY', 'This connection is read-only: nothing can be changed through it.');
  }
  if (code === '42501' || code === 'ER_TABLEACCESS_DENIED_ERROR' || code === 'ER_COLUMNACCESS_DENIED_ERROR') {
    return new AppFailure(
      'DATABASE',
      `The database account lacks a privilege (${text}). See "A least-privilege database account" in the README.`,
    );
  }
  if (code === 'SQLITE_NOTADB') {
    return new AppFailure('DATABASE', `${where} is not a SQLite database (or it is encrypted).`);
  }
  if (code === 'SQLITE_CORRUPT') {
    return new AppFailure('DATABASE', `${where} is a damaged SQLite database: ${text}.`);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new AppFailure('DATABASE', `Cannot open ${where}: check that the file exists and can be read.`);
  }
  if (code.startsWith('SQLITE_BUSY') || code === '40P01' || code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT') {
    return new AppFailure('DATABASE', `The database is busy (${text}). Try again in a moment.`);
  }
  return new AppFailure('DATABASE', `Database error on ${where}: ${text}`);
}
