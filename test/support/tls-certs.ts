/**
 * Certificates for the TLS tests, made with the openssl command line in a temp folder:
 * a test authority, a server certificate it signs for 127.0.0.1 (and an expired one),
 * another authority that signed nothing of the server's, and a client certificate.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  /** The authority that signed the server and client certificates. */
  ca: string;
  /** An authority that signed nothing here (a wrong CA file). */
  otherCa: string;
  /** For IP 127.0.0.1 only: "localhost" is a wrong host name for it. */
  serverCert: string;
  serverKey: string;
  /** Signed by `ca` for 127.0.0.1, expired a day before it was made. */
  expiredCert: string;
  /** CN=certuser, signed by `ca`. */
  clientCert: string;
  clientKey: string;
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr || result.error}`);
}

export function opensslAvailable(): boolean {
  return spawnSync('openssl', ['version']).status === 0;
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'si-tls-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const authority = (name: string) => openssl(dir, ['req', '-x509', ...ec, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '3650', '-subj', `/CN=Session Inspector ${name}`]);
  authority('ca');
  authority('other-ca');
  const sign = (name: string, subject: string, ext: string, days: string, key = name) => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(dir, ['req', ...ec, '-keyout', `${key}.key`, '-out', `${name}.csr`, '-subj', subject]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', days, '-extfile', `${name}.ext`]);
  };
  const serverExt = 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n';
  sign('server', '/CN=db-server', serverExt, '365');
  // -days -1: not after the day before it was issued, as an expired certificate is.
  sign('expired', '/CN=db-server', serverExt, '-1');
  sign('client', '/CN=certuser', 'extendedKeyUsage=clientAuth\n', '365');
  for (const key of ['server.key', 'expired.key', 'client.key']) chmodSync(join(dir, key), 0o600);
  return {
    dir,
    ca: join(dir, 'ca.crt'),
    otherCa: join(dir, 'other-ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    expiredCert: join(dir, 'expired.crt'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
