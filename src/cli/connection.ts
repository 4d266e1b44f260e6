/**
 * Where the CLI connects: `--db <target>`, or `--profile <name>`, a connection saved by
 * the desktop app. A saved connection brings its fields (prefix, schema, read-only, super
 * user, gc_maxlifetime, as-of); flags given on the command line win over them, and
 * `--read-only` can only add. Its database password is asked for, or read from
 * SESSION_INSPECTOR_DB_PASSWORD: the app's sealed copy needs the OS keyring through Electron.
 */
import { parseTarget, type ConnectionTarget } from '../core/db/target.js';
import type { InspectorSetup } from '../core/inspector/open-inspector.js';
import { findSavedConnection } from '../core/profiles/saved-connections.js';
import { DEFAULT_PORTS } from '../shared/engines.js';
import { AppFailure } from '../shared/errors.js';
import { definedOnly } from '../shared/objects.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { knownHostsFile } from '../core/ssh/known-hosts.js';
import { agentSocket, keyNeedsPassphrase } from '../core/ssh/tunnel.js';
import type { TlsSettings } from '../shared/tls.js';
import type { SshSettings } from '../shared/ssh.js';
import type { CliArgs } from './args.js';
import { promptHidden, type TerminalInput } from './terminal.js';
import type { Writable } from 'node:stream';

export interface Connection {
  target: ConnectionTarget;
  prefix: string;
  /** What the saved connection says beside the target (empty for --db). */
  settings: Partial<Pick<InspectorSetup, 'readOnly' | 'superUser' | 'schema' | 'gcMaxlifetime' | 'asOf'>>;
}

/** The --ssl… flags over the TLS settings the URL or the saved connection has. */
function withTlsFlags(target: ConnectionTarget, flags: TlsSettings | undefined): ConnectionTarget {
  if (flags === undefined) return target;
  if (target.engine === 'sqlite') throw new AppFailure('USAGE', '--sslmode, --sslrootcert, --sslcert and --sslkey are for PostgreSQL and MySQL servers, not files.');
  return { ...target, tls: { ...target.tls, ...flags } };
}

/**
 * The --ssh tunnel: known hosts from ~/.ssh/known_hosts (read only) and the data folder's
 * own file (where --ssh-accept-new records a key). A key file's passphrase comes from
 * SESSION_INSPECTOR_SSH_PASSPHRASE, else a prompt when the key needs one.
 */
async function withSsh(
  target: ConnectionTarget,
  saved: SshSettings | undefined,
  args: CliArgs,
  io: { env: NodeJS.ProcessEnv; stdin: TerminalInput; stderr: Writable },
  dataHome: string,
): Promise<ConnectionTarget> {
  const address = args.ssh ?? saved;
  if (address === undefined) {
    if (args.sshKey !== undefined || args.sshAcceptNew) throw new AppFailure('USAGE', '--ssh-key and --ssh-accept-new go with --ssh user@host (or a saved connection through an SSH server).');
    return target;
  }
  if (target.engine === 'sqlite') throw new AppFailure('USAGE', '--ssh is for PostgreSQL and MySQL servers, not files.');
  const keyFile = args.sshKey ?? (args.ssh === undefined ? saved?.keyFile : undefined);
  const settings: SshSettings = { host: address.host, port: address.port, user: address.user, ...(keyFile !== undefined ? { keyFile } : {}) };
  let passphrase = io.env.SESSION_INSPECTOR_SSH_PASSPHRASE || undefined;
  if (passphrase === undefined && settings.keyFile !== undefined && io.stdin.isTTY && (await keyNeedsPassphrase(settings.keyFile))) {
    const typed = await promptHidden(io.stdin, io.stderr, `Passphrase for the SSH key ${settings.keyFile}: `);
    if (typed === null) throw new AppFailure('USAGE', 'Cancelled.');
    passphrase = typed;
  }
  const agent = agentSocket(io.env);
  return {
    ...target,
    ssh: {
      ...settings,
      acceptNewHostKey: args.sshAcceptNew,
      knownHostsFile: knownHostsFile(dataHome),
      userKnownHostsFile: join(homedir(), '.ssh', 'known_hosts'),
      ...(passphrase !== undefined ? { passphrase } : {}),
      ...(agent !== undefined ? { agentSocket: agent } : {}),
    },
  };
}

/**
 * A connection saved in the app, as diff's --against-profile names it: its own fields,
 * TLS settings and SSH server; none of the flags that go with --db apply to it, but
 * --ssh-accept-new does (it is about trusting SSH servers, whichever side they serve).
 */
export function resolveSavedConnection(
  name: string,
  prefix: string | undefined,
  args: CliArgs,
  io: { env: NodeJS.ProcessEnv; stdin: TerminalInput; stderr: Writable },
  dataHome: string,
): Promise<Connection> {
  const { ssh: _ssh, sshKey: _sshKey, tls: _tls, ...rest } = args;
  return resolveConnection({ ...rest, db: '', profile: name, prefix: prefix ?? '', prefixGiven: prefix !== undefined }, io, dataHome);
}

export async function resolveConnection(args: CliArgs, io: { env: NodeJS.ProcessEnv; stdin: TerminalInput; stderr: Writable }, dataHome: string): Promise<Connection> {
  const { savedSsh, ...connection } = await resolveTarget(args, io, dataHome);
  const target = await withSsh(withTlsFlags(connection.target, args.tls), savedSsh, args, io, dataHome);
  return { ...connection, target };
}

async function resolveTarget(args: CliArgs, io: { env: NodeJS.ProcessEnv; stdin: TerminalInput; stderr: Writable }, dataHome: string): Promise<Connection & { savedSsh?: SshSettings }> {
  if (args.profile === undefined) {
    return { target: parseTarget(args.db, io.env.SESSION_INSPECTOR_DB_PASSWORD), prefix: args.prefix, settings: {} };
  }
  const saved = findSavedConnection(dataHome, args.profile);
  const settings = {
    readOnly: args.readOnly || saved.readOnly,
    superUser: args.superUser && saved.superUser,
    ...definedOnly({
      schema: args.schema ?? saved.schema,
      gcMaxlifetime: args.gcMaxlifetime ?? saved.gcMaxlifetime,
      asOf: args.asOf ?? saved.asOf,
    }),
  };
  const prefix = args.prefixGiven ? args.prefix : saved.prefix;
  if (saved.engine === 'sqlite') {
    if (!saved.file) throw new AppFailure('USAGE', `The saved connection "${saved.name}" has no file.`);
    return { target: { engine: 'sqlite', file: saved.file }, prefix, settings };
  }
  let password = io.env.SESSION_INSPECTOR_DB_PASSWORD;
  if ((password === undefined || password === '') && io.stdin.isTTY) {
    const typed = await promptHidden(io.stdin, io.stderr, `Database password for ${saved.user}@${saved.host} ("${saved.name}"): `);
    if (typed === null) throw new AppFailure('USAGE', 'Cancelled.');
    password = typed;
  }
  const target = {
    engine: saved.engine,
    host: saved.host ?? '',
    port: saved.port ?? DEFAULT_PORTS[saved.engine],
    database: saved.database ?? '',
    user: saved.user ?? '',
    ...(password ? { password } : {}),
    ...(saved.tls ? { tls: saved.tls } : {}),
  } as ConnectionTarget;
  return { target, prefix, settings, ...(saved.ssh ? { savedSsh: saved.ssh } : {}) };
}
