/** Parses the `session-inspector` command line (the contract in the README). */
import { parseArgs } from 'node:util';
import { AppFailure } from '../shared/errors.js';
import type { SessionFilter, SessionState, UserRef, UserSort } from '../shared/domain.js';
import { isEmailAddress, uidReference } from '../shared/user-refs.js';
import { parseTlsMode, type TlsSettings } from '../shared/tls.js';
import { parseSshAddress, type SshSettings } from '../shared/ssh.js';
import { BOARD_PAGE_SIZE, LAST_UNIX_TIME, MAX_AUDIT_ENTRIES, MAX_BOARD_PAGE_SIZE, MAX_PAGE_SIZE, MAX_SESSION_PAGE_SIZE, SESSION_PAGE_SIZE } from '../shared/limits.js';

export const USAGE = `Usage: session-inspector --db <target> --as <drupal username> [options] <command> [args]

Audit and revoke the sessions of a Drupal 8-11 site, with Drupal's own access rules.

Connection:
  --profile <name>         a connection saved in the desktop app (its fields; the database
                           password from SESSION_INSPECTOR_DB_PASSWORD or a prompt)
  --db <target>            a SQLite file path or sqlite:<path>, or a plain dump (mysqldump,
                           mariadb-dump, pg_dump; .gz too): imported once into a read-only
                           snapshot, judged as of when it was made
                           postgres://user@host[:port]/db (or postgresql://)
                           mysql://user@host[:port]/db (or mariadb://)
                           A database password may be in the URL or in SESSION_INSPECTOR_DB_PASSWORD.
  --sslmode <mode>         TLS to the server: disable, prefer, require, verify-ca, verify-full
                           (default verify-full, or prefer for a server on this computer);
                           also sslmode=… in the URL (MySQL's ssl-mode=VERIFY_IDENTITY too)
  --sslrootcert <file>     the certificate authority to trust (PEM; default the system's)
  --sslcert <file>         a client certificate (PEM), with --sslkey <file> its key
  --ssh <user@host[:port]> reach the database through this SSH server (host and port in --db
                           are then as that server sees them)
  --ssh-key <file>         the private key to sign in with (else the agent: SSH_AUTH_SOCK,
                           or Windows' OpenSSH agent); its passphrase from
                           SESSION_INSPECTOR_SSH_PASSPHRASE or a prompt
  --ssh-accept-new         trust an SSH server never seen before (a changed key is always
                           refused); known keys: ~/.ssh/known_hosts and the data folder's
  --prefix <p>             the site's table prefix (settings.php 'prefix')
  --schema <s>             PostgreSQL schema (default public)
  --read-only              never write; SQLite files are opened immutable (snapshot audits)
  --as-of <time>           judge activity as of a unix time or ISO-8601 date (default now)
  --no-super-user          uid 1 gets no implicit permissions (security.enable_super_user: false)
  --gc-maxlifetime <s>     sessions idle longer than this are stale (default 200000)
  --geoip <file>           your own MaxMind City, Country or ASN database (.mmdb), for cities and
                           networks beside the shipped countries; repeatable (or SESSION_INSPECTOR_GEOIP)

Operator:
  --as <username>          your Drupal username
  --password-stdin         read your Drupal password from standard input
                           (else SESSION_INSPECTOR_PASSWORD, else a hidden prompt on a terminal)

Output:
  --json                   print one JSON object on stdout
  --format csv|json        for a listing (users, sessions, ips, anomalies, audit): RFC 4180
                           CSV, or the JSON with a "meta" object (site, as-of, operator, version)
  --wide                   tables with every column in full (user agents, flags); by default
                           they fit 100 columns
  --yes                    revoke without asking (required without a terminal or with --json)

Commands:
  demo [<file>]            create a demo Drupal site (SQLite, default ./demo-site.sqlite) with
                           users and sessions, and print its sign-ins; needs no --db or --as
  diff --against <target> [--against-prefix <p>] [--limit N]
                           what changed from the copy given with --against (older) to --db
                           (newer): sessions that appeared, disappeared or changed address;
                           accounts created, deleted, blocked, unblocked, with other roles or
                           a new password (yes/no only). Either side a database, a SQLite
                           file or a dump; you sign in on both (the same name and password)
  diff --against-profile <name> [--against-prefix <p>] [--limit N]
                           the same, the older copy a connection saved in the app (its TLS
                           settings and SSH server too)
  snapshots [--delete <id>] [--prune]
                           the snapshots kept of dumps opened with --db (a mysqldump, mariadb-dump
                           or pg_dump plain dump, gzipped or not); --delete removes one, --prune
                           those whose dump is gone or changed; needs no --db or --as
  whoami                   the operator, their roles, and what they may inspect
  users [<search>] [--contains] [--sort name|last-seen|sessions] [--limit N] [--offset N]
                           find users: uid:<n> or an e-mail address is an exact (indexed)
                           lookup; other text a substring of name or e-mail (--contains
                           forces a substring search)
  sessions <user> [--limit N] [--offset N]
                           a user's sessions, newest first, 500 a page (at most 1000),
                           with the count per state; <user> = uid:<n>, a username or an e-mail address
  revoke <user> <sid>...   revoke those sessions of that user
  revoke <user> --all [--block]
                           revoke all of that user's sessions (and remember-me tokens);
                           --block also blocks the account ("administer users")
  unblock <user>           unblock an account ("administer users")
  ips [filters] [--limit N] [--offset N]
                           the matching sessions grouped by address: accounts, sessions,
                           last use; addresses shared by the most accounts first
  audit [--user <user>] [--limit N] [--offset N]
                           this site's revokes made from this computer (the local audit log),
                           newest first, 50 a page (at most 1000)
  anomalies [--max-age <d>] [--max-idle <d>]
                           addresses shared by several accounts, sessions of blocked or
                           deleted accounts, and sessions older or idler than the policy
                           (default NIST SP 800-63B AAL2: --max-age 24h --max-idle 1h)
  sessions --site [filters] [--limit N] [--offset N]
                           every session on the site, last used first, 50 a page (at most
                           1000), with the count per state; needs "inspect other user sessions"
                           (with "inspect own" only, your own sessions). Filters combine:
    --ip <addr|cidr>       an address or range, IPv4 or IPv6 (203.0.113.0/24, 2001:db8::/32)
    --user <user>          uid:<n>, a username or an e-mail address
    --role <id>            accounts with this role (authenticated: every account)
    --state <list>         active, idle and/or stale, comma-separated
    --created-after <time>, --created-before <time>, --used-after <time>, --used-before <time>
                           unix times or ISO-8601 dates (after: at or after; before: earlier)
    --masquerade           only sessions an administrator is masquerading in
    --password-reset       only sessions holding a pending password reset
    --blocked              only sessions of blocked accounts
    --orphans              only sessions whose account no longer exists
    --anonymous            include anonymous visitors' sessions (uid 0)
  revoke --site [filters] --dry-run
                           list exactly the sessions a revoke by these filters would remove
  revoke --site [filters] --yes [--expect N]
                           revoke exactly the sessions the filters match now (at least one
                           filter; at most 100,000); with --expect, if they are not N,
                           nothing is revoked (exit 8)

Exit codes: 0 ok, 2 usage, 3 sign-in failed, 4 access denied, 5 not found,
            6 database problem, 7 refused because read-only, 8 --expect did not match,
            9 audit log unwritable.
`;

export type Command =
  | { name: 'demo'; file: string }
  | { name: 'snapshots'; delete?: string; prune: boolean }
  | { name: 'diff'; against: string; againstProfile?: never; againstPrefix?: string; limit: number }
  | { name: 'diff'; against?: never; againstProfile: string; againstPrefix?: string; limit: number }
  | { name: 'whoami' }
  | { name: 'users'; search: string; limit: number; offset: number; contains: boolean; sort?: UserSort }
  | { name: 'sessions'; user: UserRef; limit: number; offset: number }
  | { name: 'revoke'; user: UserRef; sids: string[] | 'all'; block: boolean }
  | { name: 'unblock'; user: UserRef }
  | { name: 'ips'; filter: SessionFilter; limit: number; offset: number }
  | { name: 'anomalies'; maxAge?: number; maxIdle?: number }
  | { name: 'audit'; limit: number; offset: number; user?: UserRef }
  | { name: 'siteSessions'; filter: SessionFilter; limit: number; offset: number }
  | { name: 'revokeSite'; filter: SessionFilter; dryRun: boolean; expect?: number };

export interface CliArgs {
  help: boolean;
  /** `<command> --help` or `help <command>`: that command's part of the help. */
  helpFor?: string;
  version: boolean;
  db: string;
  /** --profile: a connection saved by the app, instead of --db. */
  profile?: string;
  prefix: string;
  /** --prefix was given (over a saved connection's own). */
  prefixGiven: boolean;
  schema?: string;
  readOnly: boolean;
  asOf?: number;
  superUser: boolean;
  gcMaxlifetime?: number;
  /** --geoip files. */
  geoip: string[];
  as: string;
  json: boolean;
  /** --wide: tables with every column in full, however wide. */
  wide: boolean;
  /** --format: csv or json for a listing (json = --json plus a "meta" object). */
  format?: 'csv' | 'json';
  yes: boolean;
  passwordStdin: boolean;
  /** --sslmode, --sslrootcert, --sslcert, --sslkey: over the URL's or the saved connection's. */
  tls?: TlsSettings;
  /** --ssh (over a saved connection's SSH server). */
  ssh?: SshSettings;
  /** --ssh-key (over the saved connection's). */
  sshKey?: string;
  /** --ssh-accept-new. */
  sshAcceptNew: boolean;
  command: Command | null;
}

/** The commands, in the order the help lists them. */
export const COMMAND_NAMES = ['demo', 'snapshots', 'diff', 'whoami', 'users', 'sessions', 'revoke', 'unblock', 'ips', 'anomalies', 'audit'] as const;

/** A diff lists this many changes at most (text and JSON; --format csv writes them all). */
export const MAX_DIFF_LISTED = 10_000;

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

export function parseAsOf(value: string | undefined, option = 'as-of'): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,12}$/.test(value) && Number(value) <= LAST_UNIX_TIME) return Number(value);
  // ISO-8601 only: a date alone, or a date and time (with an offset or Z; without, UTC).
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(value)) {
    const withZone = /[T ]/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? `${value}Z` : value;
    const ms = Date.parse(withZone.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  throw usage(`--${option} takes a unix time or an ISO-8601 date such as 2026-11-20T09:30:00Z, not "${value}".`);
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
  profile: { type: 'string' },
  prefix: { type: 'string' },
  schema: { type: 'string' },
  sslmode: { type: 'string' },
  sslrootcert: { type: 'string' },
  sslcert: { type: 'string' },
  sslkey: { type: 'string' },
  ssh: { type: 'string' },
  'ssh-key': { type: 'string' },
  'ssh-accept-new': { type: 'boolean' },
  'read-only': { type: 'boolean' },
  'as-of': { type: 'string' },
  'no-super-user': { type: 'boolean' },
  'gc-maxlifetime': { type: 'string' },
  geoip: { type: 'string', multiple: true },
  as: { type: 'string' },
  json: { type: 'boolean' },
  wide: { type: 'boolean' },
  format: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  all: { type: 'boolean' },
  block: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  contains: { type: 'boolean' },
  limit: { type: 'string' },
  offset: { type: 'string' },
  // The site-wide filters (sessions --site, revoke --site).
  site: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  ip: { type: 'string' },
  user: { type: 'string' },
  role: { type: 'string' },
  state: { type: 'string' },
  'created-after': { type: 'string' },
  'created-before': { type: 'string' },
  'used-after': { type: 'string' },
  'used-before': { type: 'string' },
  masquerade: { type: 'boolean' },
  'password-reset': { type: 'boolean' },
  blocked: { type: 'boolean' },
  orphans: { type: 'boolean' },
  anonymous: { type: 'boolean' },
  expect: { type: 'string' },
  'max-age': { type: 'string' },
  'max-idle': { type: 'string' },
  delete: { type: 'string' },
  prune: { type: 'boolean' },
  against: { type: 'string' },
  sort: { type: 'string' },
  'against-prefix': { type: 'string' },
  'against-profile': { type: 'string' },
} as const;

/** Options that belong to one command or another (the rest go with every command). */
const COMMAND_OPTIONS = [
  'all', 'block', 'limit', 'offset', 'contains', 'site', 'dry-run', 'expect', 'ip', 'user', 'role', 'state', 'created-after',
  'created-before', 'used-after', 'used-before', 'masquerade', 'password-reset', 'blocked', 'orphans', 'anonymous',
  'max-age', 'max-idle', 'delete', 'prune', 'against', 'against-prefix', 'against-profile', 'sort',
] as const;
const SITE_FILTERS = COMMAND_OPTIONS.filter(
  (o) => !['all', 'block', 'limit', 'offset', 'contains', 'site', 'dry-run', 'expect', 'max-age', 'max-idle', 'delete', 'prune', 'against', 'against-prefix', 'against-profile', 'sort'].includes(o),
);

/** --sort for users: name (default), last-seen, sessions. */
function userSort(value: string): UserSort {
  const sorts: Record<string, UserSort> = { 'name': 'name', 'last-seen': 'lastSeen', 'sessions': 'sessions' };
  const sort = sorts[value.trim().toLowerCase()];
  if (!sort) throw usage(`--sort takes name, last-seen or sessions, not "${value}".`);
  return sort;
}

/** A duration: seconds, or a number with s, m, h or d (24h, 15m). */
function duration(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{1,9})\s*(s|m|h|d)?$/i.exec(value.trim());
  if (!match || Number(match[1]) === 0) throw usage(`--${option} takes a duration such as 3600, 15m, 24h or 7d, not "${value}".`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(match[2] ?? 's').toLowerCase() as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

const STATES: readonly SessionState[] = ['active', 'idle', 'stale'];

function parseStates(value: string | undefined): SessionState[] | undefined {
  if (value === undefined) return undefined;
  const states = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = states.find((s) => !STATES.includes(s as SessionState));
  if (unknown !== undefined || states.length === 0) {
    throw usage(`--state takes active, idle and/or stale, comma-separated${unknown ? `, not "${unknown}"` : ''}.`);
  }
  return [...new Set(states)] as SessionState[];
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

function siteFilter(v: Values): SessionFilter {
  const filter: SessionFilter = {};
  if (v.ip !== undefined) filter.ip = v.ip;
  if (v.user !== undefined) filter.user = parseUserRef(v.user);
  if (v.role !== undefined) filter.role = v.role.trim();
  const states = parseStates(v.state);
  if (states) filter.states = states;
  const times = [
    ['created-after', 'createdAfter'], ['created-before', 'createdBefore'], ['used-after', 'usedAfter'], ['used-before', 'usedBefore'],
  ] as const;
  for (const [option, key] of times) {
    const time = parseAsOf(v[option], option);
    if (time !== undefined) filter[key] = time;
  }
  if (v.masquerade) filter.masquerade = true;
  if (v['password-reset']) filter.passwordReset = true;
  if (v.blocked) filter.ownerBlocked = true;
  if (v.orphans) filter.orphan = true;
  if (v.anonymous) filter.includeAnonymous = true;
  return filter;
}

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

/**
 * One command's part of USAGE: its lines under "Commands:" (a command starts at two
 * spaces; its details are indented further), with the usage line. Null: no such command.
 */
export function commandHelp(name: string): string | null {
  const lines = USAGE.slice(USAGE.indexOf('Commands:')).split('\n');
  const picked: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (/^ {2}\S/.test(line)) inside = line.slice(2).split(/\s/)[0] === name;
    else if (!/^ {3,}/.test(line)) inside = false;
    if (inside) picked.push(line);
  }
  if (picked.length === 0) return null;
  return `Usage: session-inspector --db <target> --as <drupal username> [options] ${name} …\n\n${picked.join('\n')}\n\n` +
    'Connection, operator and output options: session-inspector --help.\n';
}

/** Edit distance, for "did you mean": small strings only. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** What node's parser reported, said plainly: the option, and the one probably meant. */
function parseFailure(error: { code?: string; message: string }): AppFailure {
  const option = /'(-{1,2}[^' <]+)/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = option.replace(/^-+/, '');
    const [closest] = Object.keys(OPTIONS)
      .map((known) => ({ known, d: distance(name.toLowerCase(), known) }))
      .filter(({ known, d }) => d <= Math.max(2, Math.floor(known.length / 3)) || known.replace(/-/g, '') === name.replace(/-/g, '').toLowerCase())
      .sort((a, b) => a.d - b.d);
    const hint = closest ? ` Did you mean --${closest.known}?` : '';
    return usage(`Unknown option ${option}.${hint} Run session-inspector --help for the options.`);
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take an argument/.test(error.message)
      ? usage(`${option} takes no value. Run session-inspector --help.`)
      : usage(`${option} needs a value. Run session-inspector --help.`);
  }
  return usage(`${error.message}. Run session-inspector --help.`);
}

function tlsFlags(v: { sslmode?: string; sslrootcert?: string; sslcert?: string; sslkey?: string }): TlsSettings | undefined {
  const tls: TlsSettings = {};
  if (v.sslmode !== undefined) tls.mode = parseTlsMode(v.sslmode, '--sslmode');
  for (const [flag, field] of [['sslrootcert', 'ca'], ['sslcert', 'cert'], ['sslkey', 'key']] as const) {
    const value = v[flag];
    if (value === undefined) continue;
    if (value.trim() === '') throw usage(`--${flag} needs a file path.`);
    tls[field] = value;
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw usage('A client certificate needs its key: give both --sslcert and --sslkey.');
  return Object.keys(tls).length > 0 ? tls : undefined;
}

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: protectDashedSids(argv), allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    throw parseFailure(error as { code?: string; message: string });
  }
  const { values: v, positionals } = parsed;
  const args: CliArgs = {
    help: v.help ?? false,
    version: v.version ?? false,
    db: v.db ?? '',
    prefix: v.prefix ?? '',
    prefixGiven: v.prefix !== undefined,
    readOnly: v['read-only'] ?? false,
    superUser: !(v['no-super-user'] ?? false),
    geoip: v.geoip ?? [],
    as: v.as ?? '',
    json: v.json ?? false,
    wide: v.wide ?? false,
    yes: v.yes ?? false,
    passwordStdin: v['password-stdin'] ?? false,
    sshAcceptNew: v['ssh-accept-new'] ?? false,
    command: null,
    ...(v.schema !== undefined ? { schema: v.schema } : {}),
  };
  const [first, second] = parsed.positionals;
  if (first === 'help') {
    args.help = true;
    if (second !== undefined) args.helpFor = second;
  } else if (args.help && first !== undefined) {
    args.helpFor = first;
  }
  if (args.help || args.version) return args;
  if (v.format !== undefined) {
    if (v.format !== 'csv' && v.format !== 'json') throw usage(`--format takes csv or json, not "${v.format}".`);
    if (args.json && v.format === 'csv') throw usage('Give either --json or --format csv, not both.');
    args.format = v.format;
    if (v.format === 'json') args.json = true;
  }

  const tls = tlsFlags(v);
  if (tls) args.tls = tls;
  if (v.ssh !== undefined) args.ssh = parseSshAddress(v.ssh);
  if (v['ssh-key'] !== undefined) args.sshKey = v['ssh-key'];
  const asOf = parseAsOf(v['as-of']);
  if (asOf !== undefined) args.asOf = asOf;
  const gc = integer('gc-maxlifetime', v['gc-maxlifetime'], 1);
  if (gc !== undefined) args.gcMaxlifetime = gc;

  const [name, ...rest] = positionals;
  const only = (allowed: readonly string[]) => {
    const stray = COMMAND_OPTIONS.filter((o) => v[o] !== undefined && !allowed.includes(o));
    if (stray.length > 0) throw usage(`--${stray[0]} does not go with "${name}".`);
  };
  switch (name) {
    case undefined:
      throw usage('No command given. Run session-inspector --help.');
    case 'demo':
      only([]);
      if (rest.length > 1) throw usage('demo takes one file name at most: session-inspector demo [<file>].');
      args.command = { name, file: rest[0] ?? 'demo-site.sqlite' };
      // The demo site is made here, not opened: no connection, no operator.
      return args;
    case 'snapshots':
      only(['delete', 'prune']);
      if (rest.length > 0) throw usage('snapshots takes no arguments: --delete <id> or --prune.');
      if (v.delete !== undefined && v.prune) throw usage('Give either --delete <id> or --prune, not both.');
      args.command = { name, prune: v.prune ?? false, ...(v.delete !== undefined ? { delete: v.delete.trim() } : {}) };
      return args;
    case 'whoami':
      only([]);
      if (rest.length > 0) throw usage('whoami takes no arguments.');
      args.command = { name };
      break;
    case 'users':
      only(['limit', 'offset', 'contains', 'sort']);
      if (rest.length > 1) throw usage('users takes one search text; quote it if it has spaces.');
      args.command = {
        name,
        search: rest[0] ?? '',
        limit: pageLimit(v.limit, 50, MAX_PAGE_SIZE, 'users'),
        offset: integer('offset', v.offset, 0) ?? 0,
        contains: v.contains ?? false,
        ...(v.sort !== undefined ? { sort: userSort(v.sort) } : {}),
      };
      break;
    case 'sessions': {
      if (v.site) {
        only(['site', 'limit', 'offset', ...SITE_FILTERS]);
        if (rest.length > 0) throw usage('sessions --site takes no user: filter with --user instead (see --help).');
        args.command = {
          name: 'siteSessions',
          filter: siteFilter(v),
          limit: pageLimit(v.limit, BOARD_PAGE_SIZE, MAX_BOARD_PAGE_SIZE, 'sessions --site'),
          offset: integer('offset', v.offset, 0) ?? 0,
        };
        break;
      }
      only(['limit', 'offset']);
      if (rest.length !== 1) throw usage('sessions takes one user: uid:<n>, a username or an e-mail address (or --site for every session).');
      const limit = pageLimit(v.limit, SESSION_PAGE_SIZE, MAX_SESSION_PAGE_SIZE, 'sessions');
      args.command = { name, user: parseUserRef(rest[0]), limit, offset: integer('offset', v.offset, 0) ?? 0 };
      break;
    }
    case 'revoke': {
      if (v.site) {
        only(['site', 'dry-run', 'expect', ...SITE_FILTERS]);
        if (rest.length > 0) throw usage('revoke --site takes no user or session ids: filter with --user, --ip and the like (see --help).');
        const filter = siteFilter(v);
        if (Object.keys(filter).every((key) => key === 'includeAnonymous')) {
          throw usage('revoke --site needs a filter such as --ip or --role. To sign out everyone, say so: --state active,idle,stale.');
        }
        if (v['dry-run'] && v.yes) throw usage('Give either --dry-run or --yes, not both.');
        const expect = integer('expect', v.expect, 0);
        args.command = { name: 'revokeSite', filter, dryRun: v['dry-run'] ?? false, ...(expect !== undefined ? { expect } : {}) };
        break;
      }
      only(['all', 'block']);
      const [user, ...sids] = rest;
      if (v.all && sids.length > 0) throw usage('Give either session ids or --all, not both.');
      if (!v.all && sids.length === 0) throw usage('revoke needs session ids, or --all: revoke <user> <sid>... | revoke <user> --all');
      if (v.block && !v.all) throw usage('--block goes with --all: an account is blocked together with revoking all of its sessions.');
      // A prefix copied from a table comes with its "…": it is still that prefix.
      args.command = { name, user: parseUserRef(user), sids: v.all ? 'all' : sids.map((sid) => sid.replace(/(…|\.\.\.)$/, '')), block: v.block ?? false };
      break;
    }
    case 'ips':
      only(['limit', 'offset', ...SITE_FILTERS]);
      if (rest.length > 0) throw usage('ips takes no arguments, only filters such as --ip or --role (see --help).');
      args.command = {
        name,
        filter: siteFilter(v),
        limit: pageLimit(v.limit, BOARD_PAGE_SIZE, MAX_BOARD_PAGE_SIZE, 'ips'),
        offset: integer('offset', v.offset, 0) ?? 0,
      };
      break;
    case 'anomalies': {
      only(['max-age', 'max-idle']);
      if (rest.length > 0) throw usage('anomalies takes no arguments.');
      const maxAge = duration('max-age', v['max-age']);
      const maxIdle = duration('max-idle', v['max-idle']);
      args.command = { name, ...(maxAge !== undefined ? { maxAge } : {}), ...(maxIdle !== undefined ? { maxIdle } : {}) };
      break;
    }
    case 'audit': {
      only(['limit', 'offset', 'user']);
      if (rest.length > 0) throw usage('audit takes no arguments: filter with --user.');
      args.command = {
        name,
        limit: pageLimit(v.limit, 50, MAX_AUDIT_ENTRIES, 'audit'),
        offset: integer('offset', v.offset, 0) ?? 0,
        ...(v.user !== undefined ? { user: parseUserRef(v.user) } : {}),
      };
      break;
    }
    case 'diff': {
      only(['against', 'against-prefix', 'against-profile', 'limit']);
      if (rest.length > 0) throw usage('diff takes no arguments: diff --against <older copy>.');
      const profile = v['against-profile'];
      if (v.against !== undefined && profile !== undefined) throw usage('Give either --against or --against-profile, not both.');
      if (v.against === undefined && profile === undefined) {
        throw usage('diff needs --against <target>: the older copy (a database URL, a SQLite file or a dump) to compare --db with; or --against-profile <name> of a connection saved in the app.');
      }
      args.command = {
        name,
        ...(profile !== undefined ? { againstProfile: profile } : { against: v.against! }),
        limit: pageLimit(v.limit, 200, MAX_DIFF_LISTED, 'diff'),
        ...(v['against-prefix'] !== undefined ? { againstPrefix: v['against-prefix'] } : {}),
      };
      break;
    }
    case 'unblock':
      only([]);
      if (rest.length !== 1) throw usage('unblock takes one user: uid:<n>, a username or an e-mail address.');
      args.command = { name, user: parseUserRef(rest[0]) };
      break;
    default:
      throw usage(`Unknown command "${name}". Commands: ${COMMAND_NAMES.join(', ')}.`);
  }
  const listings = ['users', 'sessions', 'siteSessions', 'ips', 'anomalies', 'audit', 'diff'];
  if (args.format && !listings.includes(args.command!.name)) throw usage(`--format goes with a listing (${listings.filter((l) => l !== 'siteSessions').join(', ')}), not "${name}".`);
  if (v.profile !== undefined) {
    if (args.db) throw usage('Give either --db or --profile, not both.');
    args.profile = v.profile;
  } else if (!args.db) {
    throw usage('--db is required: a SQLite file, a dump, postgres://… or mysql://… (or --profile <name> of a connection saved in the app; see --help).');
  }
  if (!args.as) throw usage('--as is required: your Drupal username.');
  return args;
}
