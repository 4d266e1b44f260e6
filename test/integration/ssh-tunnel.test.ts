/**
 * SSH tunnels through a real OpenSSH server (started here, test/support/ssh-server.ts)
 * to the suite's PostgreSQL and MariaDB servers: a key file, a key with a passphrase,
 * the agent; unknown, accepted and changed host keys; a refused key; a port the SSH
 * server cannot reach; a tunnel dropped mid-session that recovers; and the CLI's flags.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import type { ServerTarget } from '../../src/core/db/target.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite } from '../../src/core/site.js';
import { fingerprint, hostKeyFromBlob } from '../../src/core/ssh/known-hosts.js';
import type { SshTarget } from '../../src/core/ssh/tunnel.js';
import { AppFailure } from '../../src/shared/errors.js';
import { runCliCaptured } from '../support/cli.js';
import { buildDataset, NOW, PASSWORDS, UID, type Dataset } from '../support/dataset.js';
import { createTestSite, unavailable, type TestSite } from '../support/engines.js';
import { sshdAvailable, startSshServer, type SshServer } from '../support/ssh-server.js';
import { tempDirs } from '../support/temp.js';
import { ConsoleService } from '../../src/main/services/console-service.js';
import { ProfileStore } from '../../src/main/services/profiles.js';
import { NO_SECRET_BOX } from '../../src/main/services/secret-box.js';
import { toAppError } from '../../src/shared/errors.js';

const missing = sshdAvailable() ? null : 'OpenSSH server is not installed (/usr/sbin/sshd, package openssh-server)';
if (missing && process.env.CI === 'true') throw new Error(`${missing} (CI=true: the SSH tests may not be skipped)`);

const tempDir = tempDirs();
const runFile = promisify(execFile);
const BIN = join(process.cwd(), 'bin', 'session-inspector.js');
let sshd: SshServer;
let dataset: Dataset;

beforeAll(async () => {
  if (missing) return;
  sshd = await startSshServer();
  dataset = await buildDataset();
}, 60_000);

afterAll(async () => {
  sshd?.dropConnections();
  await sshd?.stop();
});

async function failure(promise: Promise<unknown>): Promise<AppFailure> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof AppFailure)) throw new Error(`expected an AppFailure, got ${String(error)}`);
  return error;
}

/** The tunnel's settings, with a known_hosts of this test's own. */
function tunnel(changes: Partial<SshTarget> = {}, known = true): SshTarget {
  const knownHostsFile = join(tempDir('si-ssh-home-'), 'known_hosts');
  if (known) writeFileSync(knownHostsFile, sshd.knownHostsLine);
  return { host: sshd.host, port: sshd.port, user: sshd.user, keyFile: sshd.clientKey, knownHostsFile, ...changes };
}

describe.skipIf(missing !== null).each(['pgsql', 'mysql'] as const)('through an SSH tunnel to %s', (engine) => {
  let site: TestSite;
  beforeAll(async () => {
    if (unavailable(engine) === null) site = await createTestSite(engine, dataset.site);
  });
  afterAll(async () => {
    await site?.close();
  });
  const through = (ssh: SshTarget): ServerTarget => ({ ...(site.target as ServerTarget), ssh });

  it.skipIf(unavailable(engine) !== null)('answers as the direct connection does, and recovers when the tunnel drops', { timeout: 60_000 }, async () => {
    const opened = await openDrupalSite({ target: through(tunnel()), readOnly: false });
    try {
      const inspector = new Inspector(opened, { asOf: NOW, auditLog: AuditLog.in(tempDir('si-ssh-audit-')) });
      const operator = await inspector.signIn('support', PASSWORDS.support);
      expect((await inspector.sessions(operator, { uid: UID.zoe })).sessions).toHaveLength(5);
      expect(opened.db.description).not.toContain(String(sshd.port));

      // The SSH server's processes for our connections die: the calls in flight fail as
      // for a lost server, and the next ones reopen the tunnel.
      sshd.dropConnections();
      const during = await inspector.sessions(operator, { uid: UID.zoe }).then(() => null, (e: unknown) => e as AppFailure);
      if (during) {
        expect(during.code).toBe('DATABASE');
        expect(during.message).toMatch(/Lost the connection|tunnel/);
      }
      await expect.poll(async () => (await inspector.sessions(operator, { uid: UID.zoe }).catch(() => null))?.sessions.length, { timeout: 15_000 }).toBe(5);
      expect((await inspector.revoke(operator, { uid: UID.zoe }, [dataset.sids.zoeStale])).revoked).toEqual([dataset.sids.zoeStale]);
    } finally {
      await opened.db.close();
    }
  });

  it.skipIf(unavailable(engine) !== null)('refuses an unknown host key with its fingerprint, trusts it when told, refuses a changed one always', async () => {
    const unknown = tunnel({}, false);
    const refused = await failure(openDrupalSite({ target: through(unknown), readOnly: true }));
    expect(refused.code).toBe('SSH_HOST_KEY');
    expect(refused.message).toContain(sshd.hostKeyFingerprint);
    expect(refused.message).toMatch(/is not known yet: its host key is ssh-ed25519 SHA256:.*--ssh-accept-new/);
    expect(existsSync(unknown.knownHostsFile)).toBe(false);

    const accepted = await openDrupalSite({ target: through({ ...unknown, acceptNewHostKey: true }), readOnly: true });
    await accepted.db.close();
    expect(readFileSync(unknown.knownHostsFile, 'utf8')).toBe(sshd.knownHostsLine);
    (await openDrupalSite({ target: through({ ...unknown, acceptNewHostKey: false }), readOnly: true })).db.close();

    // Another key recorded for that host and port: an impostor, whatever --ssh-accept-new says.
    const impostor = tunnel({ acceptNewHostKey: true }, false);
    const strangerPub = readFileSync(`${sshd.strangerKey}.pub`, 'utf8').split(/\s+/);
    writeFileSync(impostor.knownHostsFile, `[127.0.0.1]:${sshd.port} ${strangerPub[0]} ${strangerPub[1]}\n`);
    const changed = await failure(openDrupalSite({ target: through(impostor), readOnly: true }));
    expect(changed.code).toBe('SSH_HOST_KEY');
    expect(changed.message).toMatch(/is not the one recorded for it \(.*known_hosts, line 1\): someone may be intercepting/);
    // Only its ECDSA key recorded: the server is asked for that type, and shows it.
    const ecdsa = tunnel({}, false);
    writeFileSync(ecdsa.knownHostsFile, sshd.ecdsaKnownHostsLine);
    (await openDrupalSite({ target: through(ecdsa), readOnly: true })).db.close();
    // Another ECDSA key recorded: refused as changed, though the server also has an ed25519
    // key never recorded (an impostor may not pass as a new server by showing another type).
    const otherType = tunnel({ acceptNewHostKey: true }, false);
    writeFileSync(otherType.knownHostsFile, `[127.0.0.1]:${sshd.port} ecdsa-sha2-nistp256 ${strangerPub[1]}\n`);
    expect((await failure(openDrupalSite({ target: through(otherType), readOnly: true }))).message).toMatch(/is not the one recorded for it/);
    // Only a type the server does not have: refused, naming the recorded key.
    const rsaOnly = tunnel({ acceptNewHostKey: true }, false);
    writeFileSync(rsaOnly.knownHostsFile, `[127.0.0.1]:${sshd.port} ssh-rsa ${strangerPub[1]}\n`);
    const noSuchType = await failure(openDrupalSite({ target: through(rsaOnly), readOnly: true }));
    expect(noSuchType.code).toBe('SSH_HOST_KEY');
    expect(noSuchType.message).toMatch(/offers no host key of the type recorded for it \(ssh-rsa, .*known_hosts, line 1\)/);
    expect(readFileSync(rsaOnly.knownHostsFile, 'utf8')).not.toContain('ed25519');
    // A hashed entry (ssh-keygen -H) is read as well as a plain one.
    const hashed = tunnel({}, true);
    spawnSync('ssh-keygen', ['-H', '-f', hashed.knownHostsFile]);
    expect(readFileSync(hashed.knownHostsFile, 'utf8')).toMatch(/^\|1\|/);
    (await openDrupalSite({ target: through(hashed), readOnly: true })).db.close();
  });

  it.skipIf(unavailable(engine) !== null)('signs in with a key and its passphrase, or the agent; says which part failed', { timeout: 30_000 }, async () => {
    const noPassphrase = await failure(openDrupalSite({ target: through(tunnel({ keyFile: sshd.encryptedClientKey })), readOnly: true }));
    expect(noPassphrase.message).toMatch(/is protected by a passphrase: give it \(the app: SSH key passphrase; the command line: SESSION_INSPECTOR_SSH_PASSPHRASE/);
    const wrong = await failure(openDrupalSite({ target: through(tunnel({ keyFile: sshd.encryptedClientKey, passphrase: 'nope' })), readOnly: true }));
    expect(wrong.message).toMatch(/The passphrase for the SSH key .* is wrong/);
    (await openDrupalSite({ target: through(tunnel({ keyFile: sshd.encryptedClientKey, passphrase: sshd.passphrase })), readOnly: true })).db.close();

    const stranger = await failure(openDrupalSite({ target: through(tunnel({ keyFile: sshd.strangerKey })), readOnly: true }));
    expect(stranger.code).toBe('DATABASE');
    expect(stranger.message).toMatch(new RegExp(`SSH server .* refused the key .*stranger_key for the account "${sshd.user}"`));

    // The agent, holding the key (no key file given).
    const agentDir = tempDir('si-ssh-agent-');
    const socket = join(agentDir, 'agent.sock');
    const agent = spawnSync('ssh-agent', ['-a', socket], { encoding: 'utf8' });
    const agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(agent.stdout)?.[1]);
    try {
      spawnSync('ssh-add', [sshd.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      const { keyFile: _keyFile, ...withoutKey } = tunnel();
      (await openDrupalSite({ target: through({ ...withoutKey, agentSocket: socket }), readOnly: true })).db.close();
      const neither = await failure(openDrupalSite({ target: through(withoutKey), readOnly: true }));
      expect(neither.message).toMatch(/give a key file \(the app: SSH key file; the command line: --ssh-key\), or start an SSH agent/);
    } finally {
      if (agentPid) process.kill(agentPid);
    }

    // The SSH server is up but cannot reach the database port it is asked for.
    const closed = await failure(openDrupalSite({ target: { ...(site.target as ServerTarget), port: 1, ssh: tunnel() }, readOnly: true }));
    expect(closed.message).toMatch(/Cannot open a tunnel through .* to 127\.0\.0\.1:1: the SSH server could not reach it/);
    const noServer = await failure(openDrupalSite({ target: through(tunnel({ port: 1 })), readOnly: true }));
    expect(noServer.message).toMatch(/Cannot reach the SSH server .*:1 \(ECONNREFUSED\)/);
  });

  it.skipIf(unavailable(engine) !== null)('the app: a saved connection through SSH, the first-use question answered with the fingerprint', { timeout: 30_000 }, async () => {
    const home = tempDir('si-ssh-app-');
    const service = new ConsoleService({ dataHome: home, secrets: NO_SECRET_BOX, chooseSqliteFile: async () => null, userKnownHostsFile: join(home, 'none') });
    const handlers = service.handlers();
    const target = site.target as ServerTarget;
    try {
      const profile = await handlers.saveProfile({
        name: 'Behind the bastion', engine, host: target.host, port: target.port, database: target.database, user: target.user, prefix: '', readOnly: true, superUser: true,
        ssh: { host: sshd.host, port: sshd.port, user: ` ${sshd.user} `, keyFile: sshd.encryptedClientKey },
        sshPassphrase: sshd.passphrase,
      });
      // No keyring here: the passphrase is not kept, and is asked for when connecting.
      expect(profile).toMatchObject({ ssh: { user: sshd.user }, hasSshPassphrase: false });
      expect(readFileSync(join(home, 'profiles.json'), 'utf8')).not.toContain(sshd.passphrase);
      const request = { profileId: profile.id, password: target.password!, sshPassphrase: sshd.passphrase };
      const refused = toAppError(await handlers.connect(request).catch((e: unknown) => e));
      expect(refused).toMatchObject({ code: 'SSH_HOST_KEY', hostKey: { host: sshd.host, port: sshd.port, type: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint, status: 'unknown' } });
      // Only the key the server presented, for that server.
      await expect(handlers.trustSshHostKey({ host: sshd.host, port: sshd.port + 1, fingerprint: sshd.hostKeyFingerprint })).rejects.toThrow(/not the one the server presented/);
      await expect(handlers.trustSshHostKey({ host: sshd.host, port: sshd.port, fingerprint: `SHA256:${'A'.repeat(43)}` })).rejects.toThrow(/not the one/);
      await handlers.trustSshHostKey({ host: sshd.host, port: sshd.port, fingerprint: sshd.hostKeyFingerprint });
      expect(readFileSync(join(home, 'known_hosts'), 'utf8')).toBe(sshd.knownHostsLine);
      const info = await handlers.connect(request);
      // No TLS, but the database is on the SSH server itself: only SSH crosses the network.
      expect(info).toMatchObject({ encrypted: true, readOnly: true });
      await handlers.signIn({ name: 'support', password: PASSWORDS.support });
    } finally {
      await handlers.disconnect().catch(() => undefined);
    }
  });

  it.skipIf(unavailable(engine) !== null)('the CLI: --ssh, --ssh-key, --ssh-accept-new, the passphrase from the environment', { timeout: 30_000 }, async () => {
    const target = site.target as ServerTarget;
    const scheme = engine === 'pgsql' ? 'postgres' : 'mysql';
    const url = `${scheme}://${target.user}@${target.host}:${target.port}/${target.database}`;
    const home = tempDir('si-ssh-cli-');
    const env = { SESSION_INSPECTOR_DB_PASSWORD: target.password!, SESSION_INSPECTOR_PASSWORD: PASSWORDS.support };
    const ssh = ['--ssh', `${sshd.user}@127.0.0.1:${sshd.port}`];
    const unknown = await runCliCaptured(['--db', url, ...ssh, '--ssh-key', sshd.clientKey, '--as', 'support', '--json', 'whoami'], { home, env });
    expect(unknown.code).toBe(6);
    expect(unknown.json()).toMatchObject({ error: { code: 'SSH_HOST_KEY' } });
    expect(JSON.stringify(unknown.json())).toContain(sshd.hostKeyFingerprint);
    const accepted = await runCliCaptured(['--db', url, ...ssh, '--ssh-key', sshd.encryptedClientKey, '--ssh-accept-new', '--as', 'support', '--json', 'whoami'], {
      home,
      env: { ...env, SESSION_INSPECTOR_SSH_PASSPHRASE: sshd.passphrase },
    });
    expect(accepted.stderr).toBe('');
    expect(accepted.json()).toMatchObject({ operator: { uid: UID.support } });
    // Recorded in the data folder: the next run needs no --ssh-accept-new.
    expect(readFileSync(join(home, 'known_hosts'), 'utf8')).toContain(`[127.0.0.1]:${sshd.port} ssh-ed25519 `);
    const again = await runCliCaptured(['--db', url, ...ssh, '--ssh-key', sshd.clientKey, '--as', 'support', 'whoami'], { home, env });
    expect(again.code).toBe(0);
    const bad = await runCliCaptured(['--db', url, '--ssh', 'nobody', '--as', 'support', 'whoami'], { home, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--ssh takes user@host or user@host:port/);

    // diff against a connection saved in the app, through its SSH server: the same site,
    // so nothing changed; --db's own --ssh does not leak to the other side.
    const direct = runCliCaptured(['--db', url, '--as', 'support', '--json', 'diff', '--against-profile', 'Behind the bastion'], { home, env });
    expect((await direct).code).toBe(2);
    new ProfileStore(home, NO_SECRET_BOX).save({
      name: 'Behind the bastion', engine, host: target.host, port: target.port, database: target.database, user: target.user, prefix: '', readOnly: false, superUser: true,
      ssh: { host: '127.0.0.1', port: sshd.port, user: sshd.user, keyFile: sshd.clientKey },
    });
    const diff = await runCliCaptured(['--db', url, '--as', 'support', '--json', 'diff', '--against-profile', 'Behind the bastion'], { home, env });
    expect(diff.stderr).toBe('');
    expect(diff.json()).toMatchObject({ changes: [], complete: true });
    const both = await runCliCaptured(['--db', url, '--as', 'support', 'diff', '--against', url, '--against-profile', 'Behind the bastion'], { home, env });
    expect(both.stderr).toMatch(/Give either --against or --against-profile, not both/);
  });

  it.skipIf(unavailable(engine) !== null)('the built CLI (ESM loading CommonJS ssh2): a key file and its passphrase', { timeout: 30_000 }, async () => {
    const target = site.target as ServerTarget;
    const url = `${engine === 'pgsql' ? 'postgres' : 'mysql'}://${target.user}@${target.host}:${target.port}/${target.database}`;
    const home = tempDir('si-ssh-bin-');
    writeFileSync(join(home, 'known_hosts'), sshd.knownHostsLine);
    const env = {
      ...process.env,
      SESSION_INSPECTOR_HOME: home,
      SESSION_INSPECTOR_DB_PASSWORD: target.password!,
      SESSION_INSPECTOR_PASSWORD: PASSWORDS.support,
      SESSION_INSPECTOR_SSH_PASSPHRASE: sshd.passphrase,
    };
    const args = ['--db', url, '--ssh', `${sshd.user}@127.0.0.1:${sshd.port}`, '--ssh-key', sshd.encryptedClientKey, '--as', 'support', '--json', 'whoami'];
    const { stdout } = await runFile(process.execPath, [BIN, ...args], { env });
    expect(JSON.parse(stdout)).toMatchObject({ operator: { uid: UID.support } });
  });
});

describe.skipIf(missing !== null)('an SSH server that misbehaves', () => {
  it('garbles its answer and resets while signing in: one clear error, nothing thrown after it', async () => {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('SSH-2.0-OpenSSH_9.2\r\n');
      socket.write(Buffer.alloc(64, 0xff));
      setTimeout(() => socket.resetAndDestroy(), 50);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const target = { engine: 'pgsql', host: '127.0.0.1', port: 5432, database: 'd', user: 'u', ssh: tunnel({ port }) } as ServerTarget;
      const error = await failure(openDrupalSite({ target, readOnly: true }));
      expect(error.code).toBe('DATABASE');
      expect(error.message).toMatch(/The SSH connection to .*:\d+ failed/);
      // A second error from the same client would surface here as an uncaught exception.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('host key fingerprints', () => {
  it('are printed as OpenSSH prints them', () => {
    // The wire format of an ed25519 key: "ssh-ed25519" and 32 bytes, each length-prefixed.
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 1)]);
    const key = hostKeyFromBlob(blob);
    expect(key.type).toBe('ssh-ed25519');
    expect(fingerprint(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
