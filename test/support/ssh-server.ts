/**
 * A throwaway OpenSSH server (Debian's openssh-server) for the tunnel tests: its own
 * host key, an authorised test key (and one with a passphrase), on 127.0.0.1 and a free
 * port, started by the test and stopped by pid. `dropConnections` kills the per-
 * connection processes it forked, as a network drop would, and leaves it listening.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './db-servers.js';

const SSHD = '/usr/sbin/sshd';

export function sshdAvailable(): boolean {
  return existsSync(SSHD) && spawnSync('ssh-keygen', ['-?']).error === undefined;
}

export interface SshServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  /** As OpenSSH prints it: SHA256:… */
  hostKeyFingerprint: string;
  /** A known_hosts line for this server (its ed25519 key, the one clients prefer). */
  knownHostsLine: string;
  /** The line for its second host key, ECDSA: shown to a client that asks for that type. */
  ecdsaKnownHostsLine: string;
  clientKey: string;
  /** The same kind of key, protected by `passphrase`. */
  encryptedClientKey: string;
  passphrase: string;
  /** A key the server does not know. */
  strangerKey: string;
  /** Kills the processes serving the open connections (the tunnels drop); the server still listens. */
  dropConnections(): void;
  stop(): Promise<void>;
}

function keygen(dir: string, name: string, passphrase = '', type = 'ed25519'): string {
  const file = join(dir, name);
  const result = spawnSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', name, '-f', file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr}`);
  return file;
}


/** The pids whose parent is `pid` (sshd forks one process per connection). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // The parent pid is the 4th field, after the command name in parentheses.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

export async function startSshServer(): Promise<SshServer> {
  const dir = mkdtempSync(join(tmpdir(), 'si-sshd-'));
  const hostKey = keygen(dir, 'host_key');
  const ecdsaHostKey = keygen(dir, 'host_key_ecdsa', '', 'ecdsa');
  const clientKey = keygen(dir, 'client_key');
  const passphrase = 'correct horse battery staple';
  const encryptedClientKey = keygen(dir, 'client_key_encrypted', passphrase);
  const strangerKey = keygen(dir, 'stranger_key');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`, 'utf8') + readFileSync(`${encryptedClientKey}.pub`, 'utf8'), { mode: 0o600 });
  const port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey}`, `HostKey ${ecdsaHostKey}`, `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes', 'StrictModes no', 'UsePAM no', 'AllowTcpForwarding yes', 'PermitTTY no', 'X11Forwarding no',
      'LogLevel ERROR', '',
    ].join('\n'),
  );
  // As root, sshd insists on its privilege-separation folder, which Debian creates only
  // when it starts the system's own sshd.
  if (userInfo().uid === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
  const ecdsaPub = readFileSync(`${ecdsaHostKey}.pub`, 'utf8').trim().split(/\s+/);
  const print = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`], { encoding: 'utf8' }).stdout.split(/\s+/)[1]!;
  return {
    host: '127.0.0.1',
    port,
    user: userInfo().username,
    hostKeyFingerprint: print,
    knownHostsLine: `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}\n`,
    ecdsaKnownHostsLine: `[127.0.0.1]:${port} ${ecdsaPub[0]} ${ecdsaPub[1]}\n`,
    clientKey,
    encryptedClientKey,
    passphrase,
    strangerKey,
    dropConnections: () => {
      for (const pid of childrenOf(child.pid!)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
