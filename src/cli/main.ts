/**
 * `session-inspector`: the CLI over the same core as the desktop app. `runCli` takes
 * its streams and environment as arguments so tests run it in-process.
 */
import { existsSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { describeUserRef } from '../shared/domain.js';
import { sidPrefix } from '../shared/limits.js';
import { exactUtc, relativeTime } from '../shared/time.js';
import { createRequire } from 'node:module';
import { AppFailure, toAppError, type ErrorCode } from '../shared/errors.js';
import type { Inspector, Operator } from '../core/inspector/inspector.js';
import { openInspector, type InspectorSetup } from '../core/inspector/open-inspector.js';
import { runDiff } from './diff.js';
import { resolveConnection, resolveSavedConnection } from './connection.js';
import { definedOnly } from '../shared/objects.js';
import { dataHome } from '../core/paths.js';
import { createDemoSite, DEMO_ACCOUNTS } from '../core/site-builder/demo-site.js';
import { installCleanupOnSignals } from '../core/engines/sqlite/private-copies.js';
import { commandHelp, COMMAND_NAMES, parseCli, USAGE, type CliArgs, type Command } from './args.js';
import { listingCsv, type Listing } from '../core/export/listings.js';
import { NARROW, WIDE, type Layout, formatAnomalies, formatAudit, formatIpGroups, formatRevoked, formatRevokePlan, formatSiteSessions, formatSessions, formatUsers, formatWhoami, terminalSafe, visible } from './format.js';
import { promptHidden, promptLine, readFirstLine, type TerminalInput } from './terminal.js';
import { progressBar, snapshotNote, snapshotsCommand, zoneWarning } from './snapshots.js';

export const EXIT_CODES: Record<ErrorCode, number> = {
  USAGE: 2,
  INVALID_REQUEST: 2,
  SIGN_IN_FAILED: 3,
  NOT_SIGNED_IN: 3,
  ACCESS_DENIED: 4,
  NOT_FOUND: 5,
  DATABASE: 6,
  SSH_HOST_KEY: 6,
  READ_ONLY: 7,
  CHANGED: 8,
  AUDIT_LOG: 9,
  CANCELLED: 130,
  INTERNAL: 1,
};

export interface CliIO {
  env: NodeJS.ProcessEnv;
  stdin: TerminalInput;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
}

/** The version in package.json, read once: the one place it is written. */
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

async function operatorPassword(args: CliArgs, io: CliIO): Promise<string> {
  if (args.passwordStdin) return readFirstLine(io.stdin);
  const fromEnv = io.env.SESSION_INSPECTOR_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (io.stdin.isTTY) {
    const typed = await promptHidden(io.stdin, io.stderr, `Drupal password for ${args.as}: `);
    if (typed === null) throw new AppFailure('USAGE', 'Cancelled.');
    return typed;
  }
  throw new AppFailure(
    'USAGE',
    'No operator password: set SESSION_INSPECTOR_PASSWORD, pipe it with --password-stdin, or run on a terminal.',
  );
}

/**
 * Asks before a revoke on a terminal. The preview runs the revoke's own checks
 * (access, read-only, every sid theirs) first, so a "yes" is never followed by a refusal.
 */
/** True to go ahead; false when the person at the terminal said no (not an error: exit 0). */
async function confirmRevoke(inspector: Inspector, operator: Operator, command: Extract<Command, { name: 'revoke' }>, args: CliArgs, io: CliIO): Promise<boolean> {
  const preview = await inspector.previewRevoke(operator, command.user, command.sids);
  if (args.yes) return true;
  if (args.json || !io.stdin.isTTY) {
    throw new AppFailure('USAGE', 'Revoking needs confirmation: add --yes (required without a terminal or with --json).');
  }
  const { user, sessions, asOf, total } = preview;
  if (total === 0 && !command.block) return true; // nothing to revoke: nothing to ask
  const lines = sessions.map((s) => `  ${visible(sidPrefix(s.sid))}…  ${s.hostname ? visible(s.hostname) : '-'}  last used ${relativeTime(s.timestamp, asOf)} (${exactUtc(s.timestamp)})`);
  const more = total > sessions.length ? `\n  … and ${total - sessions.length} more` : '';
  io.stderr.write(
    terminalSafe(
      `About to revoke ${command.sids === 'all' ? 'ALL ' : ''}${total} session(s) of ${visible(user.name)} (uid ${user.uid}):\n${lines.join('\n')}${more}\n`,
    ),
  );
  if (command.block) io.stderr.write(terminalSafe(`…and BLOCK the account ${visible(user.name)}: it cannot sign in until unblocked.\n`));
  const answer = await promptLine(io.stdin, io.stderr, command.block ? 'Revoke them and block the account? [y/N] ' : 'Revoke them? [y/N] ');
  return /^y(es)?$/i.test(answer.trim());
}

/**
 * `revoke --site [filters] --dry-run | --yes [--expect N]`: matches; --dry-run lists
 * exactly what would go; --expect compares the count (a mismatch revokes nothing: exit 8);
 * --yes deletes exactly the matched sessions that still exist. Across runs, --expect is
 * the guard: it is the count the operator saw in the dry run.
 */
async function revokeSite(inspector: Inspector, operator: Operator, command: Extract<Command, { name: 'revokeSite' }>, args: CliArgs, print: (text: string) => void, layout: Layout): Promise<unknown> {
  const plan = await inspector.planRevokeMatching(operator, command.filter);
  const matched = `${plan.total} session${plan.total === 1 ? '' : 's'} of ${plan.users} user${plan.users === 1 ? '' : 's'}`;
  if (command.expect !== undefined && plan.total !== command.expect) {
    throw new AppFailure('CHANGED', `The filters match ${matched}, not the ${command.expect} you expected (--expect ${command.expect}). Nothing was revoked; see them with --dry-run.`);
  }
  if (command.dryRun) {
    print(formatRevokePlan(plan, layout));
    return {
      dryRun: true,
      total: plan.total,
      sessions: plan.sessions.map(({ uid, sid, hostname, timestamp }) => ({ uid, sid, hostname, lastUsed: timestamp })),
      rememberMe: plan.rememberMe,
    };
  }
  if (!args.yes) {
    throw new AppFailure('USAGE', `The filters match ${matched}. To revoke them, add --yes, and --expect ${plan.total} as a guard that they still match what you saw (--dry-run lists them). Nothing was revoked.`);
  }
  const nothing = plan.total === 0 && !plan.rememberMe;
  const result = nothing
    ? { revoked: [], alreadyGone: 0, users: 0, rememberMeRevoked: plan.rememberMe }
    : await inspector.revokeMatching(operator, plan.sessions, { rememberMeOf: plan.rememberMeOf });
  const gone = result.alreadyGone > 0 ? ` (${result.alreadyGone} had ended meanwhile)` : '';
  const tokens = result.rememberMeRevoked ? ` and ${result.rememberMeRevoked} remember-me token${result.rememberMeRevoked === 1 ? '' : 's'}` : '';
  print(nothing ? 'No sessions match; nothing was revoked.\n' : `Revoked ${result.revoked.length} session${result.revoked.length === 1 ? '' : 's'}${tokens} of ${result.users} user${result.users === 1 ? '' : 's'}${gone}.\n`);
  return { revoked: result.revoked, total: plan.total, alreadyGone: result.alreadyGone, rememberMeRevoked: result.rememberMeRevoked };
}

/** Tables fit 100 columns, or a wider terminal; --wide shows every column in full. */
function tableLayout(args: CliArgs, io: CliIO): Layout {
  if (args.wide) return WIDE;
  const columns = io.stdout.isTTY ? (io.stdout as { columns?: number }).columns : undefined;
  return columns !== undefined && columns > NARROW.width ? { wide: false, width: columns } : NARROW;
}

/** What a command answered: its JSON, and for a listing the data --format csv writes. */
interface Answer {
  json: unknown;
  listing?: Listing;
}

async function execute(inspector: Inspector, args: CliArgs, io: CliIO, signedIn: (operator: Operator) => void): Promise<Answer> {
  const answer = await run(inspector, args, io, signedIn);
  return answer !== null && typeof answer === 'object' && 'json' in answer ? (answer as Answer) : { json: answer };
}

async function run(inspector: Inspector, args: CliArgs, io: CliIO, signedIn: (operator: Operator) => void): Promise<unknown> {
  const command = args.command!;
  const password = await operatorPassword(args, io);
  const operator = await inspector.signIn(args.as, password);
  signedIn(operator);
  const print = (text: string) => {
    if (!args.json && !args.format) io.stdout.write(terminalSafe(text));
  };
  const layout = tableLayout(args, io);
  // Warnings go to stderr (also with --json, whose object carries them as "warnings").
  const warn = (warnings: string[] | undefined) => {
    for (const warning of warnings ?? []) io.stderr.write(`Warning: ${visible(warning)}\n`);
  };
  switch (command.name) {
    case 'whoami': {
      const info = await inspector.whoami(operator);
      print(formatWhoami(info));
      return { operator: info };
    }
    case 'users': {
      const page = await inspector.searchUsers(operator, command.search, command);
      print(formatUsers(page, command.offset, inspector.asOf(), layout));
      return { json: page, listing: { kind: 'users', value: page } };
    }
    case 'sessions': {
      const result = await inspector.sessions(operator, command.user, command);
      print(formatSessions(result, layout));
      warn(result.warnings);
      return { json: result, listing: { kind: 'sessions', value: result } };
    }
    case 'audit': {
      const page = await inspector.listAudit(operator, command.limit, definedOnly({ offset: command.offset, user: command.user }));
      print(formatAudit(page, command.offset, layout));
      return { json: page, listing: { kind: 'audit', value: page } };
    }
    case 'siteSessions': {
      const page = await inspector.siteSessions(operator, command.filter, command);
      print(formatSiteSessions(page, layout));
      warn(page.warnings);
      // The JSON names a session's last use "lastUsed", as the site-wide contract says.
      const json = { ...page, sessions: page.sessions.map(({ timestamp, ...session }) => ({ ...session, lastUsed: timestamp })) };
      return { json, listing: { kind: 'siteSessions', value: page } };
    }
    case 'revokeSite':
      return revokeSite(inspector, operator, command, args, print, layout);
    case 'ips': {
      const page = await inspector.ipGroups(operator, command.filter, command);
      print(formatIpGroups(page, layout));
      return { json: page, listing: { kind: 'ips', value: page } };
    }
    case 'anomalies': {
      const report = await inspector.anomalies(operator, definedOnly({ maxAge: command.maxAge, maxIdle: command.maxIdle }));
      print(formatAnomalies(report));
      return { json: report, listing: { kind: 'anomalies', value: report } };
    }
    case 'revoke': {
      if (!(await confirmRevoke(inspector, operator, command, args, io))) {
        io.stderr.write('Nothing was revoked.\n');
        return { revoked: [] };
      }
      const result =
        command.sids === 'all'
          ? await inspector.revokeAll(operator, command.user, { block: command.block })
          : await inspector.revoke(operator, command.user, command.sids);
      print(formatRevoked(result, describeUserRef(command.user)));
      warn(result.warnings);
      return result;
    }
    case 'diff':
      return runDiff({
        after: inspector,
        operator,
        password,
        setup: siteSetup(args, io),
        command,
        savedConnection: (name, prefix) => resolveSavedConnection(name, prefix, args, io, dataHome(io.env)),
        env: io.env,
        format: args.format === 'csv' ? 'csv' : args.json ? 'json' : 'text',
        out: io.stdout,
        layout,
      });
    case 'unblock': {
      const user = await inspector.user(operator, command.user);
      if (!args.yes) {
        if (args.json || !io.stdin.isTTY) throw new AppFailure('USAGE', 'Unblocking needs confirmation: add --yes (required without a terminal or with --json).');
        const answer = await promptLine(io.stdin, io.stderr, terminalSafe(`Unblock the account ${visible(user.name)} (uid ${user.uid})? [y/N] `));
        if (!/^y(es)?$/i.test(answer.trim())) {
          io.stderr.write('Nothing was changed.\n');
          return { unblocked: false, warnings: [] };
        }
      }
      const result = await inspector.unblock(operator, command.user);
      print(`Unblocked ${visible(user.name)} (uid ${user.uid}): the account can sign in again.\n`);
      warn(result.warnings);
      return result;
    }
  }
}

/**
 * `demo [file]`: writes the demo site and says how to start with it. An existing file
 * is never replaced: it may be someone's database.
 */
async function demo(file: string, args: CliArgs, io: CliIO): Promise<void> {
  const path = resolve(file);
  if (existsSync(path)) throw new AppFailure('USAGE', `${path} already exists; demo writes a new site. Give another file name, or delete that file first.`);
  await createDemoSite(path);
  if (args.json) {
    io.stdout.write(JSON.stringify({ file: path, accounts: DEMO_ACCOUNTS }) + '\n');
    return;
  }
  const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.name.length));
  const accounts = DEMO_ACCOUNTS.map((a) => `  ${a.name.padEnd(width)}  password ${a.password.padEnd(12)}  ${a.role}`).join('\n');
  const db = /\s/.test(file) ? JSON.stringify(file) : file;
  io.stdout.write(
    terminalSafe(
      `Created a demo Drupal site: ${path}\n\nSign in as:\n${accounts}\n\nTry:\n` +
        `  session-inspector --db ${db} --as support users\n` +
        `  session-inspector --db ${db} --as support sessions --site\n` +
        `  session-inspector --db ${db} --as support sessions mrossi\n` +
        'The password is asked for on a terminal, or read from SESSION_INSPECTOR_PASSWORD.\n',
    ),
  );
}

/** How a site is opened from the command line, beside its target and prefix (--db and diff's --against alike). */
function siteSetup(args: CliArgs, io: CliIO): Omit<InspectorSetup, 'target' | 'prefix'> {
  return {
    readOnly: args.readOnly,
    dataHome: dataHome(io.env),
    superUser: args.superUser,
    geoip: args.geoip.length > 0 ? args.geoip : geoipFromEnv(io.env),
    ...definedOnly({ schema: args.schema, gcMaxlifetime: args.gcMaxlifetime, asOf: args.asOf }),
  };
}

/** SESSION_INSPECTOR_GEOIP: MaxMind files, separated as PATH is. */
function geoipFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env.SESSION_INSPECTOR_GEOIP ?? '').split(delimiter).filter(Boolean);
}

/** Runs one command; returns the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let json = argv.includes('--json');
  let inspector: Inspector | undefined;
  try {
    const args = parseCli(argv);
    json = args.json;
    if (args.help) {
      if (args.helpFor !== undefined) {
        const help = commandHelp(args.helpFor);
        if (help === null) throw new AppFailure('USAGE', `There is no command "${args.helpFor}". Commands: ${COMMAND_NAMES.join(', ')}.`);
        io.stdout.write(help);
        return 0;
      }
      io.stdout.write(USAGE);
      return 0;
    }
    if (args.version) {
      io.stdout.write(`session-inspector ${VERSION}\n`);
      return 0;
    }
    if (args.command?.name === 'demo') {
      await demo(args.command.file, args, io);
      return 0;
    }
    if (args.command?.name === 'snapshots') {
      await snapshotsCommand(dataHome(io.env), args.command, args.json, io.stdout);
      return 0;
    }
    // A dump is imported first: a progress line on a terminal, nothing otherwise.
    const progress = (io.stderr as { isTTY?: boolean }).isTTY && !json ? progressBar(io.stderr) : null;
    const connection = await resolveConnection(args, io, dataHome(io.env));
    inspector = await openInspector({
      ...siteSetup(args, io),
      ...connection.settings,
      target: connection.target,
      prefix: connection.prefix,
      ...(progress ? { onImportProgress: progress.report } : {}),
    }).finally(() => progress?.done());
    const snapshot = inspector.snapshot;
    const zone = snapshot && args.asOf === undefined ? zoneWarning(snapshot) : null;
    if (snapshot && !json) io.stderr.write(snapshotNote(snapshot));
    // The note says it in words; with --json, stderr and the "warnings" say it.
    if (zone && json) io.stderr.write(`Warning: ${visible(zone)}\n`);
    let operator: Operator | null = null;
    const answer = await execute(inspector, args, io, (signedIn) => (operator = signedIn));
    if (zone && answer.json !== null && typeof answer.json === 'object') {
      const value = answer.json as { warnings?: string[] };
      answer.json = { ...value, warnings: [zone, ...(value.warnings ?? [])] };
    }
    if (args.format === 'csv' && answer.listing) {
      io.stdout.write(listingCsv(answer.listing));
    } else if (args.format === 'json') {
      const who = operator as Operator | null;
      const dump = snapshot ? { dump: { path: snapshot.source.path, sha256: snapshot.sha256, madeAt: snapshot.asOf, madeAtFrom: snapshot.asOfFrom, zoneKnown: snapshot.dumpedAtZoneKnown } } : {};
      const meta = { site: inspector.site.db.description, ...dump, asOf: inspector.asOf(), operator: who ? { uid: who.uid, name: who.name } : null, tool: `session-inspector ${VERSION}` };
      io.stdout.write(JSON.stringify({ ...(answer.json as object), meta }) + '\n');
    } else if (json) {
      io.stdout.write(JSON.stringify(answer.json) + '\n');
    }
    return 0;
  } catch (error) {
    const appError = toAppError(error);
    if (json) io.stdout.write(JSON.stringify({ error: appError }) + '\n');
    // Messages may quote database values (a name): one visible line, whatever they hold.
    else io.stderr.write(`session-inspector: ${visible(appError.message)}\n`);
    return EXIT_CODES[appError.code];
  } finally {
    await inspector?.site.db.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  // Ctrl-C or a kill must not leave a private snapshot copy (secrets) in the temp folder.
  installCleanupOnSignals();
  return runCli(argv, { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
}
