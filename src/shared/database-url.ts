/**
 * A database as the operator writes it (the CLI's `--db`, a URL pasted into the
 * connection form): a SQLite file or dump path, `sqlite:<path>`, or a server URL. One
 * parser for the CLI, the core and the form, so a URL means the same everywhere.
 */
import { AppFailure } from './errors.js';
import { DEFAULT_PORTS } from './engines.js';
import { parseTlsMode, type TlsSettings } from './tls.js';

export type ParsedDatabase =
  | { engine: 'sqlite'; file: string }
  | { engine: 'pgsql' | 'mysql'; host: string; port: number; database: string; user: string; password?: string; tls?: TlsSettings };

/**
 * URL parameters: libpq's names, and the MySQL clients' (`ssl-mode=VERIFY_IDENTITY`,
 * `ssl-ca`, …), on either engine, so a URL copied from a provider's console works as
 * it is. Anything else is refused rather than silently ignored.
 */
const TLS_PARAMETERS: Record<string, keyof TlsSettings> = {
  sslmode: 'mode',
  'ssl-mode': 'mode',
  ssl_mode: 'mode',
  sslrootcert: 'ca',
  'ssl-ca': 'ca',
  ssl_ca: 'ca',
  sslcert: 'cert',
  'ssl-cert': 'cert',
  ssl_cert: 'cert',
  sslkey: 'key',
  'ssl-key': 'key',
  ssl_key: 'key',
};

function tlsParameters(url: URL): TlsSettings | undefined {
  const tls: TlsSettings = {};
  for (const [name, value] of url.searchParams) {
    const field = TLS_PARAMETERS[name.toLowerCase()];
    if (field === undefined) {
      throw new AppFailure(
        'USAGE',
        `The database URL has a parameter Session Inspector does not know ("${name}"): it reads sslmode, sslrootcert, sslcert and sslkey (or ssl-mode, ssl-ca, ssl-cert, ssl-key).`,
      );
    }
    if (value.trim() === '') throw new AppFailure('USAGE', `The database URL's parameter "${name}" is empty.`);
    if (field === 'mode') tls.mode = parseTlsMode(value, `the database URL's "${name}"`);
    else tls[field] = value;
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new AppFailure('USAGE', 'A client certificate needs its key: give both sslcert and sslkey (ssl-cert and ssl-key).');
  }
  return Object.keys(tls).length > 0 ? tls : undefined;
}

const SCHEMES: Record<string, 'pgsql' | 'mysql'> = {
  'postgres:': 'pgsql',
  'postgresql:': 'pgsql',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/**
 * `path/to/site.sqlite`, `sqlite:<path>`, `postgres://user[:pw]@host[:port]/db`
 * (or postgresql://), `mysql://…` (or mariadb://), with TLS parameters
 * (`?sslmode=verify-full&sslrootcert=ca.pem`). `fallbackPassword` comes from
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
  const tls = tlsParameters(url);
  return {
    engine,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : DEFAULT_PORTS[engine],
    database,
    user: decode(url.username, 'user name'),
    ...(password ? { password } : {}),
    ...(tls ? { tls } : {}),
  };
}

