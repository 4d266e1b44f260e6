/**
 * A database as the operator writes it (the CLI's `--db`, a URL pasted into the
 * connection form): a SQLite file or dump path, `sqlite:<path>`, or a server URL. One
 * parser for the CLI, the core and the form, so a URL means the same everywhere.
 */
import { AppFailure } from './errors.js';
import { DEFAULT_PORTS } from './engines.js';

export type ParsedDatabase =
  | { engine: 'sqlite'; file: string }
  | { engine: 'pgsql' | 'mysql'; host: string; port: number; database: string; user: string; password?: string };

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
export function parseDatabaseUrl(text: string, fallbackPassword?: string): ParsedDatabase {
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
  };
}

