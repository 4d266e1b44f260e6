/**
 * Where a site's database is, as the operator writes it (`--db`, a saved profile),
 * parsed into a structured target. Passwords stay in the target object only; every
 * text shown to a person goes through `describeTarget`, which leaves them out.
 */
import type { Engine } from '../../shared/engines.js';
import { parseDatabaseUrl } from '../../shared/database-url.js';
import type { TlsSettings } from '../../shared/tls.js';
import type { SshTarget } from '../ssh/tunnel.js';

export type { Engine };

export interface ServerTarget<E extends 'pgsql' | 'mysql' = 'pgsql' | 'mysql'> {
  engine: E;
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /** How the connection is encrypted and verified (absent: the default for the host). */
  tls?: TlsSettings;
  /** Reached through an SSH server: host and port are then as that server sees them. */
  ssh?: SshTarget;
}

export interface SqliteTarget {
  engine: 'sqlite';
  file: string;
  /**
   * A snapshot imported from a dump: the tables keep the server's prefixed names in the
   * one file, rather than Drupal's SQLite way (a prefix attaches `<file>-<prefix>`).
   */
  tablePrefixed?: boolean;
}

export type ConnectionTarget = SqliteTarget | ServerTarget<'pgsql'> | ServerTarget<'mysql'>;

/**
 * `path/to/site.sqlite`, `sqlite:<path>`, `postgres://user[:pw]@host[:port]/db`
 * (or postgresql://), `mysql://…` (or mariadb://). `fallbackPassword` comes from
 * SESSION_INSPECTOR_DB_PASSWORD and is used when the URL carries none.
 */
export function parseTarget(text: string, fallbackPassword?: string): ConnectionTarget {
  return parseDatabaseUrl(text, fallbackPassword) as ConnectionTarget;
}

/** What a driver needs to reach a server, in the field names pg and mysql2 share. */
export function serverAddress(target: ServerTarget): { host: string; port: number; database: string; user: string; password: string } {
  return { host: target.host, port: target.port, database: target.database, user: target.user, password: target.password ?? '' };
}

/** The site a description names, whichever database account reached it (audit matching). */
export function siteKey(description: string): string {
  return description.replace(/^([a-z]+:\/\/)[^@/]*@/, '$1');
}

/** A description safe for logs, audit entries and screens: never the password. */
export function describeTarget(target: ConnectionTarget): string {
  if (target.engine === 'sqlite') return `sqlite:${target.file}`;
  const scheme = target.engine === 'pgsql' ? 'postgres' : 'mysql';
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${scheme}://${encodeURIComponent(target.user)}@${host}:${target.port}/${encodeURIComponent(target.database)}`;
}
