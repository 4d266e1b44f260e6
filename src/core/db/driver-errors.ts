/**
 * Translates driver errors (pg SQLSTATEs, MySQL errnos, SQLite codes, socket errors)
 * into InspectorErrors whose messages tell the operator what happened and what to do.
 */
import { AppFailure } from '../../shared/errors.js';
import { ENGINE_LABELS, type Engine } from '../../shared/engines.js';

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEOUT']);
const LOST = new Set(['ECONNRESET', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', '57P01', '57P02', '57P03']);
const READ_ONLY = new Set(['25006', 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION', 'SQLITE_READONLY']);

/** A query the operator stopped (every engine says it the same way). */
export function cancelled(): AppFailure {
  return new AppFailure('CANCELLED', 'The query was cancelled; nothing was changed.');
}

export function translateDriverError(engine: Engine, where: string, error: unknown): AppFailure {
  if (error instanceof AppFailure) return error;
  const e = (error ?? {}) as DriverError;
  const code = e.code ?? '';
  const text = e.message ?? String(error);
  const server = `the ${ENGINE_LABELS[engine]} server at ${where}`;

  // Our own cancel (the app's Cancel button): pg_cancel_backend, KILL QUERY.
  if ((code === '57014' && /user request/i.test(text)) || code === 'ER_QUERY_INTERRUPTED' || e.errno === 1317) return cancelled();
  if (/Query read timeout|statement timeout|canceling statement/i.test(text) || code === '57014' || code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
    return new AppFailure('DATABASE', `The query took too long on ${server} and was stopped. Try again; if it keeps happening, check the server's load.`);
  }
  // Another kind of server on the port: PostgreSQL's client reads MySQL's greeting as
  // garbage ("Received unexpected copyData message from backend").
  if (engine === 'pgsql' && /unexpected .* message from backend|Received unexpected|invalid message format|Unknown message code/i.test(text)) {
    return new AppFailure(
      'DATABASE',
      `The server at ${where} does not speak the PostgreSQL protocol: another kind of server (MySQL or MariaDB?) listens on that port. Check the engine and the port.`,
    );
  }
  // Connection-phase timeouts: pg's "timeout exceeded when trying to connect" and
  // "Connection terminated due to connection timeout", mysql2's ETIMEDOUT.
  const timedOut = code === 'ETIMEDOUT' || code === 'ETIMEOUT' || /timeout exceeded when trying to connect|connection timeout|connect ETIMEDOUT/i.test(text);
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
    return new AppFailure('DATABASE', `${server} refused the database user name or password. Check the credentials.`);
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
