/**
 * TLS to real servers: PostgreSQL 15 and MariaDB started here with certificates made by
 * openssl (test/support/tls-certs.ts), one of each requiring TLS and one of each with an
 * expired certificate; the suite's plain servers stand for a server without TLS. Each
 * mode, a wrong CA, a wrong host name, an expired certificate, a client certificate, a
 * URL's parameters and the CLI's flags.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/core/db/database.js';
import { parseTarget, type ServerTarget } from '../../src/core/db/target.js';
import { openMysql } from '../../src/core/engines/mysql/driver.js';
import { openPostgres } from '../../src/core/engines/pgsql/driver.js';
import { AppFailure } from '../../src/shared/errors.js';
import type { TlsSettings } from '../../src/shared/tls.js';
import { runCliCaptured } from '../support/cli.js';
import { mariadbAvailable, postgresAvailable, startMariadb, startPostgres, type RunningServer } from '../support/db-servers.js';
import { serverTarget, unavailable } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';
import { buildDataset, PASSWORDS } from '../support/dataset.js';
import { buildDrupalSite } from '../../src/core/site-builder/seed.js';
import { ConsoleService } from '../../src/main/services/console-service.js';
import { NO_SECRET_BOX } from '../../src/main/services/secret-box.js';
import { createTestSite } from '../support/engines.js';
import { makeTestCertificates, opensslAvailable, type TestCertificates } from '../support/tls-certs.js';
import { sshdAvailable, startSshServer, type SshServer } from '../support/ssh-server.js';
import type { SshTarget } from '../../src/core/ssh/tunnel.js';

const missing = !opensslAvailable()
  ? 'openssl is not installed'
  : !postgresAvailable()
    ? 'PostgreSQL 15 is not installed'
    : !mariadbAvailable()
      ? 'MariaDB is not installed'
      : null;
if (missing && process.env.CI === 'true') throw new Error(`${missing} (CI=true: the TLS tests may not be skipped)`);

type ServerEngine = 'pgsql' | 'mysql';
let certs: TestCertificates;
const servers: Record<ServerEngine, { tls: RunningServer; expired: RunningServer } | null> = { pgsql: null, mysql: null };
const tempDir = tempDirs();

beforeAll(async () => {
  if (missing) return;
  certs = makeTestCertificates();
  const valid = { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, required: true };
  const expired = { cert: certs.expiredCert, key: certs.serverKey.replace('server.key', 'expired.key'), ca: certs.ca };
  const [pgTls, pgExpired, myTls, myExpired] = await Promise.all([
    startPostgres({ tls: valid }),
    startPostgres({ tls: expired }),
    startMariadb({ tls: valid }),
    startMariadb({ tls: expired }),
  ]);
  servers.pgsql = { tls: pgTls, expired: pgExpired };
  servers.mysql = { tls: myTls, expired: myExpired };
  // A MariaDB account that must show a client certificate signed by the test CA.
  const admin = await openMysql({ ...target('mysql', 'tls'), tls: { mode: 'require' } } as ServerTarget<'mysql'>, { readOnly: false });
  await admin.run("CREATE USER 'certuser'@'127.0.0.1' IDENTIFIED BY 'cert-user-pw' REQUIRE X509");
  await admin.run("GRANT SELECT ON mysql.* TO 'certuser'@'127.0.0.1'");
  await admin.close();
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).flatMap((s) => (s ? [s.tls.stop(), s.expired.stop()] : [])));
  certs?.remove();
});

/** The admin account of one of this file's servers. */
function target(engine: ServerEngine, which: 'tls' | 'expired', tls?: TlsSettings, host = '127.0.0.1'): ServerTarget {
  const { info } = servers[engine]![which];
  return { engine, host, port: info.port, database: engine === 'pgsql' ? 'postgres' : 'mysql', user: info.user, password: info.password, ...(tls ? { tls } : {}) };
}

const open = (t: ServerTarget): Promise<Database> => (t.engine === 'pgsql' ? openPostgres(t as ServerTarget<'pgsql'>, { readOnly: true }) : openMysql(t as ServerTarget<'mysql'>, { readOnly: true }));

async function failure(promise: Promise<unknown>): Promise<AppFailure> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof AppFailure)) throw new Error(`expected an AppFailure, got ${String(error)}`);
  return error;
}

/** What the server itself says about this session's transport. */
async function serverSaysEncrypted(db: Database): Promise<boolean> {
  if (db.engine === 'pgsql') {
    const [row] = await db.all<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return row?.ssl === true;
  }
  const [row] = await db.all<{ Value: string }>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
  return (row?.Value ?? '') !== '';
}

async function opens(t: ServerTarget, encrypted = true): Promise<void> {
  const db = await open(t);
  try {
    expect(db.encrypted).toBe(encrypted);
    expect(await serverSaysEncrypted(db)).toBe(encrypted);
  } finally {
    await db.close();
  }
}

describe.skipIf(missing !== null).each(['pgsql', 'mysql'] as const)('TLS to %s', (engine) => {
  it('verify-full with the right CA: encrypted, as the server confirms', async () => {
    await opens(target(engine, 'tls', { mode: 'verify-full', ca: certs.ca }));
  });

  it('verify-ca checks the authority only: another host name for the same server passes', async () => {
    await opens(target(engine, 'tls', { mode: 'verify-ca', ca: certs.ca }, 'localhost'));
  });

  it('verify-full refuses a certificate that does not name the host, saying so', async () => {
    const error = await failure(open(target(engine, 'tls', { mode: 'verify-full', ca: certs.ca }, 'localhost')));
    expect(error.code).toBe('DATABASE');
    expect(error.message).toMatch(/TLS certificate of .* does not name that host name .*localhost.*verify-ca/);
  });

  it('a wrong CA, or none (the system authorities), is refused naming the certificate authority', async () => {
    for (const tls of [{ mode: 'verify-full', ca: certs.otherCa }, { mode: 'verify-ca' }] as const) {
      const error = await failure(open(target(engine, 'tls', tls)));
      expect(error.code).toBe('DATABASE');
      expect(error.message).toMatch(/not signed by a trusted certificate authority .*sslrootcert/);
    }
  });

  it('an expired certificate is refused as expired; require still encrypts without checking', async () => {
    const error = await failure(open(target(engine, 'expired', { mode: 'verify-full', ca: certs.ca })));
    expect(error.message).toMatch(/TLS certificate of .* has expired/);
    await opens(target(engine, 'expired', { mode: 'require' }));
  });

  it('require and prefer encrypt without a CA; require with a CA checks it (as libpq does)', async () => {
    await opens(target(engine, 'tls', { mode: 'require' }));
    await opens(target(engine, 'tls', { mode: 'prefer' }));
    await opens(target(engine, 'tls', {}));
    const error = await failure(open(target(engine, 'tls', { mode: 'require', ca: certs.otherCa })));
    expect(error.message).toMatch(/not signed by a trusted certificate authority/);
  });

  it('disable, where the server accepts only TLS, says to turn TLS on', async () => {
    const error = await failure(open(target(engine, 'tls', { mode: 'disable' })));
    expect(error.code).toBe('DATABASE');
    // MariaDB answers as for a wrong password; the message says that TLS may be why.
    expect(error.message).toMatch(
      engine === 'pgsql'
        ? /accepts only encrypted connections: set the TLS mode \(sslmode\) to require/
        : /refused the database user name or password\. .*not encrypted: a server that accepts only encrypted connections refuses it the same way, so also try the TLS mode \(sslmode\) require/,
    );
  });

  it.skipIf(unavailable(engine) !== null)('a server without TLS: prefer connects unencrypted, require and verify-full refuse saying how to opt out', async () => {
    const plain = (tls: TlsSettings) => ({ ...serverTarget(engine, engine === 'pgsql' ? 'postgres' : 'mysql'), tls });
    await opens(plain({ mode: 'prefer' }), false);
    await opens(plain({ mode: 'disable' }), false);
    for (const mode of ['require', 'verify-full'] as const) {
      const error = await failure(open(plain({ mode })));
      expect(error.code).toBe('DATABASE');
      expect(error.message).toMatch(new RegExp(`offers no TLS, and the TLS mode is ${mode}: nothing was sent to it\\. .*prefer or disable`));
    }
  });

  it('a client certificate signs in where the account requires one', async () => {
    const info = servers[engine]!.tls.info;
    const tls = { mode: 'verify-full', ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } as const;
    const certUser: ServerTarget =
      engine === 'pgsql'
        ? { engine, host: '127.0.0.1', port: info.port, database: 'postgres', user: 'certuser', tls }
        : { engine, host: '127.0.0.1', port: info.port, database: 'mysql', user: 'certuser', password: 'cert-user-pw', tls };
    if (engine === 'pgsql') {
      const admin = await openPostgres({ ...target('pgsql', 'tls', { mode: 'require' }) } as ServerTarget<'pgsql'>, { readOnly: false });
      await admin.run('CREATE ROLE certuser LOGIN');
      await admin.close();
    }
    await opens(certUser);
    const { cert: _c, key: _k, ...withoutCertificate } = tls;
    const error = await failure(open({ ...certUser, tls: withoutCertificate }));
    expect(error.code).toBe('DATABASE');
    if (engine === 'pgsql') expect(error.message).toMatch(/asks for a client certificate/);
  });

  it('certificate files that are missing or not PEM are named before anything connects', async () => {
    const dir = tempDir();
    const notPem = join(dir, 'ca.txt');
    writeFileSync(notPem, 'not a certificate');
    const gone = await failure(open(target(engine, 'tls', { mode: 'verify-full', ca: join(dir, 'missing.pem') })));
    expect(gone.code).toBe('USAGE');
    expect(gone.message).toMatch(/Cannot read the CA certificate file .*missing\.pem \(ENOENT\)/);
    const garbage = await failure(open(target(engine, 'tls', { mode: 'verify-full', ca: notPem })));
    expect(garbage.message).toMatch(/holds no readable PEM certificate/);
    const key = await failure(open(target(engine, 'tls', { mode: 'verify-full', ca: certs.ca, cert: certs.clientCert, key: notPem })));
    expect(key.message).toMatch(/client key file .* holds no readable PEM private key/);
  });

  it('URL parameters in libpq and MySQL spellings', async () => {
    const { info } = servers[engine]!.tls;
    const base = `${engine === 'pgsql' ? 'postgres' : 'mysql'}://${info.user}:${encodeURIComponent(info.password)}@127.0.0.1:${info.port}/${engine === 'pgsql' ? 'postgres' : 'mysql'}`;
    const libpq = parseTarget(`${base}?sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.ca)}`) as ServerTarget;
    expect(libpq.tls).toEqual({ mode: 'verify-full', ca: certs.ca });
    await opens(libpq);
    const mysqlStyle = parseTarget(`${base}?ssl-mode=VERIFY_IDENTITY&ssl-ca=${encodeURIComponent(certs.ca)}`) as ServerTarget;
    expect(mysqlStyle.tls).toEqual({ mode: 'verify-full', ca: certs.ca });
    await opens(mysqlStyle);
  });

  it('the CLI: --sslmode and --sslrootcert over the URL, a TLS failure exits 6 naming the part', async () => {
    const { info } = servers[engine]!.tls;
    const url = `${engine === 'pgsql' ? 'postgres' : 'mysql'}://${info.user}@127.0.0.1:${info.port}/${engine === 'pgsql' ? 'postgres' : 'mysql'}?sslmode=disable`;
    const home = tempDir();
    const env = { SESSION_INSPECTOR_DB_PASSWORD: info.password, SESSION_INSPECTOR_PASSWORD: 'x' };
    // Connected over TLS: the database is no Drupal site, which is the next thing said.
    const ok = await runCliCaptured(['--db', url, '--sslmode', 'verify-full', '--sslrootcert', certs.ca, '--as', 'admin', 'whoami'], { home, env });
    expect(ok.stderr).toMatch(/Drupal/);
    expect(ok.stderr).not.toMatch(/TLS|encrypted/);
    const wrongCa = await runCliCaptured(['--db', url, '--sslmode', 'verify-full', '--sslrootcert', certs.otherCa, '--as', 'admin', 'whoami'], { home, env });
    expect(wrongCa.code).toBe(6);
    expect(wrongCa.stderr).toMatch(/not signed by a trusted certificate authority/);
    const plain = await runCliCaptured(['--db', url, '--as', 'admin', 'whoami'], { home, env });
    expect(plain.code).toBe(6);
    expect(plain.stderr).toMatch(/accepts only encrypted connections/);
  });
});

describe.skipIf(missing !== null)('TLS in the app and the CLI, on a Drupal site', () => {
  it('a saved connection keeps its TLS settings; the app says whether the connection is encrypted', { timeout: 60_000 }, async () => {
    const { site } = await buildDataset();
    // A Drupal site on the TLS-only PostgreSQL server.
    const root = await openPostgres(target('pgsql', 'tls', { mode: 'require' }) as ServerTarget<'pgsql'>, { readOnly: false });
    await root.run('CREATE DATABASE drupal_tls');
    await root.close();
    const siteDb = await openPostgres({ ...target('pgsql', 'tls', { mode: 'require' }), database: 'drupal_tls' } as ServerTarget<'pgsql'>, { readOnly: false });
    await buildDrupalSite(siteDb, 'pgsql', { name: null, tablePrefix: '' }, site);
    await siteDb.close();
    const plainSite = unavailable('pgsql') === null ? await createTestSite('pgsql', site) : null;

    const home = tempDir();
    const service = new ConsoleService({ dataHome: home, secrets: NO_SECRET_BOX, chooseSqliteFile: async () => null });
    const handlers = service.handlers();
    const { info } = servers.pgsql!.tls;
    const base = { engine: 'pgsql' as const, host: '127.0.0.1', port: info.port, database: 'drupal_tls', user: info.user, prefix: '', readOnly: true, superUser: true };
    try {
      const saved = await handlers.saveProfile({ ...base, name: 'Over TLS', tls: { mode: 'verify-full', ca: `  ${certs.ca}  `, cert: '', key: '' } });
      // Kept as given, trimmed, empty fields dropped; only paths, never what the files hold.
      expect(saved.tls).toEqual({ mode: 'verify-full', ca: certs.ca });
      expect(JSON.stringify(await handlers.listProfiles())).not.toContain('BEGIN CERTIFICATE');
      const connected = await handlers.connect({ profileId: saved.id, password: info.password });
      expect(connected.encrypted).toBe(true);
      await handlers.signIn({ name: 'siteadmin', password: PASSWORDS.siteadmin });
      await handlers.disconnect();

      const wrongCa = await handlers.saveProfile({ ...base, id: saved.id, name: 'Over TLS', tls: { mode: 'verify-full', ca: certs.otherCa } });
      await expect(handlers.testConnection({ profileId: wrongCa.id, password: info.password })).rejects.toThrow(/not signed by a trusted certificate authority/);

      if (plainSite) {
        const plain = plainSite.target as ServerTarget;
        const unencrypted = await handlers.saveProfile({ ...base, name: 'Plain', host: plain.host, port: plain.port, database: plain.database, user: plain.user, tls: { mode: 'prefer' } });
        expect((await handlers.connect({ profileId: unencrypted.id, password: plain.password! })).encrypted).toBe(false);
        await handlers.disconnect();
      }

      // The CLI over TLS, flags only: the whole way to a signed-in answer.
      const url = `postgres://${info.user}@127.0.0.1:${info.port}/drupal_tls`;
      const whoami = await runCliCaptured(['--db', url, '--sslmode', 'verify-full', '--sslrootcert', certs.ca, '--as', 'siteadmin', '--json', 'whoami'], {
        home,
        env: { SESSION_INSPECTOR_DB_PASSWORD: info.password, SESSION_INSPECTOR_PASSWORD: PASSWORDS.siteadmin },
      });
      expect(whoami.stderr).toBe('');
      expect(whoami.code).toBe(0);
      expect(whoami.json()).toMatchObject({ operator: { name: 'siteadmin' } });
    } finally {
      await service.handlers().disconnect().catch(() => undefined);
      await plainSite?.close();
    }
  });
});

// The bastion's usual companion: a managed database that requires TLS, behind an SSH
// server. TLS runs inside the forwarded channel, end to end, and checks the name of the
// database host as given (the SSH server's view of it), not the bastion's.
describe.skipIf(missing !== null || !sshdAvailable()).each(['pgsql', 'mysql'] as const)('TLS inside an SSH tunnel to %s', (engine) => {
  let sshd: SshServer;
  beforeAll(async () => {
    sshd = await startSshServer();
  }, 60_000);
  afterAll(async () => {
    sshd?.dropConnections();
    await sshd?.stop();
  });
  const through = (t: ServerTarget): ServerTarget => {
    const knownHostsFile = join(tempDir('si-tls-ssh-'), 'known_hosts');
    writeFileSync(knownHostsFile, sshd.knownHostsLine);
    const ssh: SshTarget = { host: sshd.host, port: sshd.port, user: sshd.user, keyFile: sshd.clientKey, knownHostsFile };
    return { ...t, ssh };
  };

  it('verify-full: encrypted end to end, the database host name checked', { timeout: 30_000 }, async () => {
    await opens(through(target(engine, 'tls', { mode: 'verify-full', ca: certs.ca })));
    const wrongName = await failure(open(through(target(engine, 'tls', { mode: 'verify-full', ca: certs.ca }, 'localhost'))));
    expect(wrongName.message).toMatch(/TLS certificate of .* does not name that host name/);
    const untrusted = await failure(open(through(target(engine, 'tls', { mode: 'verify-full' }))));
    expect(untrusted.message).toMatch(/not signed by a trusted certificate authority/);
  });
});

