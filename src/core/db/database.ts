/**
 * The one database interface the Drupal layer talks to. Each engine's driver
 * (better-sqlite3, pg, mysql2) implements it. SQL is written with `?` placeholders and
 * values go only through them: bound by better-sqlite3 and pg, escaped by mysql2's
 * client-side query formatting. No value is ever concatenated into SQL text.
 */
import type { Engine } from './target.js';

export type SqlValue = string | number | Uint8Array | null;
export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs a query and returns its rows. */
  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface Database extends Queryable {
  readonly engine: Engine;
  /** The connection itself refuses writes (immutable file / read-only transactions). */
  readonly readOnly: boolean;
  /** Where it points, without secrets: for messages and the audit log. */
  readonly description: string;
  /** A server connection: whether its traffic is encrypted (TLS). Absent for a local file. */
  readonly encrypted?: boolean;
  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Stops the statements of ours running now (a long search the operator cancelled);
   * each fails with CANCELLED, and the connection stays usable. Statements inside a
   * transaction are left alone: a revoke is never cut short.
   */
  interrupt(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  readOnly: boolean;
  /** Give up connecting after this long (default 10 s). */
  connectTimeoutMs?: number;
  /** Stop a statement that runs longer than this (default 60 s); see queryTimeouts. */
  queryTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 60_000;
/** A pooled server connection unused this long is closed; the next query opens another. */
export const IDLE_TIMEOUT_MS = 30_000;

/**
 * The two limits on one statement. The server stops it after `server` ms and says so,
 * leaving the connection usable; the client gives up `SILENCE_MARGIN_MS` later, for when
 * the server says nothing at all (a dead network, a frozen tunnel), and drops that
 * connection, whose answer might still come.
 */
export function queryTimeouts(options: Pick<OpenOptions, 'queryTimeoutMs'>): { server: number; client: number } {
  const server = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  return { server, client: server + SILENCE_MARGIN_MS };
}

export const SILENCE_MARGIN_MS = 5_000;

/** `?, ?, ?` for an IN list. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
