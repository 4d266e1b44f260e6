/** Parses the `session-inspector` command line (the contract in the README). */
import { parseArgs } from 'node:util';
import { AppFailure } from '../shared/errors.js';
import type { UserRef } from '../shared/domain.js';
import { isEmailAddress, uidReference } from '../shared/user-refs.js';
import { LAST_UNIX_TIME, MAX_PAGE_SIZE, MAX_SESSION_PAGE_SIZE, SESSION_PAGE_SIZE } from '../shared/limits.js';

export const USAGE = `Usage: session-inspector --db <target> --as <drupal username> [options] <command> [args]

Audit and revoke the sessions of a Drupal 8-11 site, with Drupal's own access rules.

Connection:
  --db <target>            a SQLite file path or sqlite:<path>
                           postgres://user@host[:port]/db (or postgresql://)
                           mysql://user@host[:port]/db (or mariadb://)
                           A database password may be in the URL or in SESSION_INSPECTOR_DB_PASSWORD.
  --prefix <p>             the site's table prefix (settings.php 'prefix')
  --schema <s>             PostgreSQL schema (default public)
  --read-only              never write; SQLite files are opened immutable (snapshot audits)
  --as-of <time>           judge activity as of a unix time or ISO-8601 date (default now)
  --no-super-user          uid 1 gets no implicit permissions (security.enable_super_user: false)
  --gc-maxlifetime <s>     sessions idle longer than this are stale (default 200000)

Operator:
  --as <username>          your Drupal username
  --password-stdin         read your Drupal password from standard input
                           (else SESSION_INSPECTOR_PASSWORD, else a hidden prompt on a terminal)

Output:
  --json                   print one JSON object on stdout
  --yes                    revoke without asking (required without a terminal or with --json)

Commands:
  whoami                   the operator, their roles, and what they may inspect
  users [<search>] [--contains] [--limit N] [--offset N]
                           find users: uid:<n> or an e-mail address is an exact (indexed)
                           lookup; other text a substring of name or e-mail (--contains
                           forces a substring search)
  sessions <user> [--limit N] [--offset N]
                           a user's sessions, newest first, 500 a page (at most 1000),
                           with the count per state; <user> = uid:<n>, a username or an e-mail address
  revoke <user> <sid>...   revoke those sessions of that user
  revoke <user> --all      revoke all of that user's sessions

Exit codes: 0 ok, 2 usage, 3 sign-in failed, 4 access denied, 5 not found,
            6 database problem, 7 refused because read-only.
`;

export type Command =
  | { name: 'whoami' }
  | { name: 'users'; search: string; limit: number; offset: number; contains: boolean }
  | { name: 'sessions'; user: UserRef; limit: number; offset: number }
  | { name: 'revoke'; user: UserRef; sids: string[] | 'all' };

export interface CliArgs {
  help: boolean;
  version: boolean;
  db: string;
  prefix: string;
  schema?: string;
  readOnly: boolean;
  asOf?: number;
  superUser: boolean;
  gcMaxlifetime?: number;
  as: string;
  json: boolean;
  yes: boolean;
  passwordStdin: boolean;
  command: Command | null;
}

const usage = (message: string) => new AppFailure('USAGE', message);

function integer(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw usage(`--${name} takes a whole number of at least ${min}.`);
  return Number(value);
}


/** A --limit: at least 1 and at most `max`; more is refused, never silently cut. */
function pageLimit(value: string | undefined, fallback: number, max: number, command: string): number {
  const limit = integer('limit', value, 1) ?? fallback;
  if (limit > max) throw usage(`--limit for ${command} is at most ${max}; page with --offset.`);
  return limit;
}

export function parseAsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,12}$/.test(value) && Number(value) <= LAST_UNIX_TIME) return Number(value);
  // ISO-8601 only: a date alone, or a date and time (with an offset or Z; without, UTC).
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(value)) {
    const withZone = /[T ]/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? `${value}Z` : value;
    const ms = Date.parse(withZone.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  throw usage(`--as-of takes a unix time or an ISO-8601 date such as 2026-11-20T09:30:00Z, not "${value}".`);
}

export function parseUserRef(text: string | undefined): UserRef {
  if (text === undefined || text.trim() === '') throw usage('Name a user: a username, an e-mail address, or uid:<n>.');
  const uid = uidReference(text);
  if (uid !== null) return { uid };
  if (/^uid:/i.test(text.trim())) throw usage(`"${text}" is not a valid uid: write uid:<number>, e.g. uid:42.`);
  // Tickets arrive with e-mail addresses; Drupal usernames may hold "@" too, but an
  // address is what an operator who types one means.
  if (isEmailAddress(text)) return { mail: text.trim() };
  return { name: text };
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  db: { type: 'string' },
  prefix: { type: 'string' },
  schema: { type: 'string' },
  'read-only': { type: 'boolean' },
  'as-of': { type: 'string' },
  'no-super-user': { type: 'boolean' },
  'gc-maxlifetime': { type: 'string' },
  as: { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  all: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  contains: { type: 'boolean' },
  limit: { type: 'string' },
  offset: { type: 'string' },
} as const;

/** A full sid: base64url of a SHA-256, 43 characters. */
const FULL_SID_LENGTH = 43;

/**
 * About 1 sid in 64 begins with "-", and would be read as a flag. After `revoke`, a
 * token of 8 or more base64url characters that begins with "-" and is not one of our
 * flags is taken as a session id: any single-dash token that long (we have only -h and
 * -y), and a double-dash one of a full sid's length. Others still need `--` before them.
 */
function sidLikeToken(token: string): boolean {
  if (!/^-[A-Za-z0-9_-]{7,}$/.test(token)) return false;
  if (!token.startsWith('--')) return true;
  return token.length === FULL_SID_LENGTH && !Object.hasOwn(OPTIONS, token.slice(2));
}

/** Moves sid-like tokens after `revoke` to the end, behind `--`, where they are positional. */
function protectDashedSids(argv: string[]): string[] {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  const after = end === -1 ? [] : argv.slice(end + 1);
  const revokeAt = options.indexOf('revoke');
  if (revokeAt === -1) return argv;
  const takesValue = (token: string | undefined) =>
    token !== undefined && token.startsWith('--') && OPTIONS[token.slice(2) as keyof typeof OPTIONS]?.type === 'string';
  // A token right after an option that takes a value is that value, not a sid.
  const sids = options.filter((token, i) => i > revokeAt && sidLikeToken(token) && !takesValue(options[i - 1]));
  if (sids.length === 0) return argv;
  return [...options.filter((token) => !sids.includes(token)), '--', ...after, ...sids];
}

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: protectDashedSids(argv), allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    throw usage(`${(error as Error).message}. Run session-inspector --help.`);
  }
  const { values: v, positionals } = parsed;
  const args: CliArgs = {
    help: v.help ?? false,
    version: v.version ?? false,
    db: v.db ?? '',
    prefix: v.prefix ?? '',
    readOnly: v['read-only'] ?? false,
    superUser: !(v['no-super-user'] ?? false),
    as: v.as ?? '',
    json: v.json ?? false,
    yes: v.yes ?? false,
    passwordStdin: v['password-stdin'] ?? false,
    command: null,
    ...(v.schema !== undefined ? { schema: v.schema } : {}),
  };
  if (args.help || args.version) return args;

  const asOf = parseAsOf(v['as-of']);
  if (asOf !== undefined) args.asOf = asOf;
  const gc = integer('gc-maxlifetime', v['gc-maxlifetime'], 1);
  if (gc !== undefined) args.gcMaxlifetime = gc;

  const [name, ...rest] = positionals;
  const only = (allowed: string[]) => {
    const stray = (['all', 'limit', 'offset', 'contains'] as const).filter((o) => v[o] !== undefined && !allowed.includes(o));
    if (stray.length > 0) throw usage(`--${stray[0]} does not go with "${name}".`);
  };
  switch (name) {
    case undefined:
      throw usage('No command given. Run session-inspector --help.');
    case 'whoami':
      only([]);
      if (rest.length > 0) throw usage('whoami takes no arguments.');
      args.command = { name };
      break;
    case 'users':
      only(['limit', 'offset', 'contains']);
      if (rest.length > 1) throw usage('users takes one search text; quote it if it has spaces.');
      args.command = {
        name,
        search: rest[0] ?? '',
        limit: pageLimit(v.limit, 50, MAX_PAGE_SIZE, 'users'),
        offset: integer('offset', v.offset, 0) ?? 0,
        contains: v.contains ?? false,
      };
      break;
    case 'sessions': {
      only(['limit', 'offset']);
      if (rest.length !== 1) throw usage('sessions takes one user: uid:<n>, a username or an e-mail address.');
      const limit = pageLimit(v.limit, SESSION_PAGE_SIZE, MAX_SESSION_PAGE_SIZE, 'sessions');
      args.command = { name, user: parseUserRef(rest[0]), limit, offset: integer('offset', v.offset, 0) ?? 0 };
      break;
    }
    case 'revoke': {
      only(['all']);
      const [user, ...sids] = rest;
      if (v.all && sids.length > 0) throw usage('Give either session ids or --all, not both.');
      if (!v.all && sids.length === 0) throw usage('revoke needs session ids, or --all: revoke <user> <sid>... | revoke <user> --all');
      args.command = { name, user: parseUserRef(user), sids: v.all ? 'all' : sids };
      break;
    }
    default:
      throw usage(`Unknown command "${name}". Commands: whoami, users, sessions, revoke.`);
  }
  if (!args.db) throw usage('--db is required: a SQLite file, postgres://… or mysql://… (see --help).');
  if (!args.as) throw usage('--as is required: your Drupal username.');
  return args;
}
