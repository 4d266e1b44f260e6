/**
 * Where a site's database is, as the operator writes it (`--db`, a saved profile),
 * parsed into a structured target. Passwords stay in the target object only; every
 * text shown to a person goes through `describeTarget`, which leaves them out.
 */
import { AppFailure } from '../../shared/errors.js';

import { DEFAULT_PORTS, type Engine } from '../../shared/engines.js';

export type { Engine };

export interface ServerTarget<E extends 'pgsql' | 'mysql' = 'pgsql' | 'mysql'> {
  engine: E;
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
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

const SCHEMES: Record<string, 'pgsql' | 'mysql'> = {
  'postgres:': 'pgsql',
  'postgresql:': 'pgsql',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/**
 * `path/to/site.sqlite`, `sqlite:<path>`, `postgres://user[:pw]@host[:port]/db`
 * (or postgresql://), `mysql://…` (or mariadb://). `fallbackPassword` comes from
 * SESSION_INSPECTOR_DB_PASSWORD and is used when the URL carries none.
 */
export function parseTarget(text: string, fallbackPassword?: string): ConnectionTarget {
  const value = text.trim();
  if (value === '') throw new AppFailure('USAGE', 'No database given: pass --db <file or URL>.');
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'sqlite:') {
    // sqlite:<path>, sqlite:///<absolute path> (URL style), or a bare path.
    const file = value.replace(/^sqlite:(\/\/(?=\/))?/i, '');
    if (file === '') throw new AppFailure('USAGE', 'sqlite: needs a file path, e.g. sqlite:/srv/site/db.sqlite');
    return { engine: 'sqlite', file };
  }
  const engine = SCHEMES[scheme];
  if (engine === undefined) {
    throw new AppFailure(
      'USAGE',
      `Unknown database URL scheme "${scheme}//": use a SQLite file path, postgres://, postgresql://, mysql:// or mariadb://.`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppFailure('USAGE', `Cannot read the database URL (expected ${scheme}//user@host[:port]/database).`);
  }
  const decode = (part: string, what: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new AppFailure('USAGE', `The ${what} in the database URL has a malformed %-escape; write a literal % as %25.`);
    }
  };
  const database = decode(url.pathname.replace(/^\//, ''), 'database name');
  if (!url.hostname || !database || !url.username) {
    throw new AppFailure(
      'USAGE',
      `The database URL needs a user, a host and a database name: ${scheme}//user@host[:port]/database.`,
    );
  }
  const password = url.password ? decode(url.password, 'password') : fallbackPassword;
  return {
    engine,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : DEFAULT_PORTS[engine],
    database,
    user: decode(url.username, 'user name'),
    ...(password ? { password } : {}),
  } as ConnectionTarget;
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
