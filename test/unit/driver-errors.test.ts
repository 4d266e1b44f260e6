/** Driver errors become messages that say what happened and what to do. */
import { describe, expect, it } from 'vitest';
import { translateDriverError } from '../../src/core/db/driver-errors.js';
import { AppFailure } from '../../src/shared/errors.js';

const where = 'postgres://inspector@db:5432/drupal';
const translate = (error: unknown, engine: 'sqlite' | 'pgsql' | 'mysql' = 'pgsql') => translateDriverError(engine, where, error);

describe('translateDriverError', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, 'DATABASE', /Cannot reach the PostgreSQL server .* \(ECONNREFUSED\).*running/],
    [{ message: 'timeout exceeded when trying to connect' }, 'DATABASE', /Cannot reach .*\(timed out\)/],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, 'DATABASE', /Lost the connection/],
    [{ code: '28P01' }, 'DATABASE', /refused the database user name or password/],
    [{ code: '3D000' }, 'DATABASE', /does not exist on that server/],
    [{ code: '25006' }, 'READ_ONLY', /read-only/],
    [{ code: '42501', message: 'permission denied for table sessions' }, 'DATABASE', /lacks a privilege .*least-privilege/],
    [{ code: '57014', message: 'canceling statement due to statement timeout' }, 'DATABASE', /ran too long on the PostgreSQL server .* and was stopped/],
    [{ code: '57014', message: 'canceling statement due to user request' }, 'CANCELLED', /cancelled; nothing was changed/],
    [{ message: 'Query read timeout' }, 'DATABASE', /^No answer from the PostgreSQL server .* to a query: .*stopped responding/],
    [{ code: '40P01' }, 'DATABASE', /busy/],
  ])('%o → %s', (error, code, message) => {
    const translated = translate(error);
    expect(translated).toBeInstanceOf(AppFailure);
    expect(translated.code).toBe(code);
    expect(translated.message).toMatch(message);
  });

  it('names the limit a statement ran into, and the address of a server gone silent', () => {
    const context = { address: 'db:3306', queryTimeouts: { server: 60_000, client: 65_000 } };
    const limit = (error: unknown) => translateDriverError('mysql', where, error, context).message;
    expect(limit({ errno: 1969, message: 'Query execution was interrupted (max_statement_time exceeded)' })).toMatch(/^The query ran for more than 60 s on the MySQL\/MariaDB server/);
    expect(limit({ errno: 3024, message: 'Query execution was interrupted, maximum statement execution time exceeded' })).toMatch(/ran for more than 60 s/);
    expect(limit({ code: 'PROTOCOL_SEQUENCE_TIMEOUT', message: 'Query inactivity timeout' })).toMatch(/^No answer from db:3306 to a query after 65 s/);
  });

  it('names the engine and speaks of SQLite files as files', () => {
    expect(translate({ code: 'ER_ACCESS_DENIED_ERROR' }, 'mysql').message).toMatch(/MySQL\/MariaDB server .* refused/);
    expect(translate({ code: 'SQLITE_NOTADB' }, 'sqlite').message).toMatch(/is not a SQLite database/);
    expect(translate({ code: 'SQLITE_CORRUPT', message: 'malformed' }, 'sqlite').message).toMatch(/damaged SQLite database/);
    expect(translate({ code: 'SQLITE_CANTOPEN' }, 'sqlite').message).toMatch(/Cannot open/);
    expect(translate({ code: 'SQLITE_READONLY' }, 'sqlite').code).toBe('READ_ONLY');
  });

  it('says which part of TLS failed and what to change', () => {
    const tls = (error: unknown, engine: 'pgsql' | 'mysql' = 'pgsql', context = {}) => translateDriverError(engine, where, error, context).message;
    // Node's own codes (pg), and mysql2's HANDSHAKE_SSL_ERROR that keeps only Node's words.
    expect(tls({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify the first certificate' })).toMatch(/not signed by a trusted certificate authority .*sslrootcert/);
    expect(tls({ code: 'HANDSHAKE_SSL_ERROR', message: 'self-signed certificate in certificate chain' }, 'mysql')).toMatch(/not signed by a trusted certificate authority/);
    expect(tls({ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' })).toMatch(/has expired: renew it/);
    expect(tls({ code: 'HANDSHAKE_SSL_ERROR', message: 'certificate is not yet valid' }, 'mysql')).toMatch(/not valid yet \(check this computer's clock\)/);
    expect(tls({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames: Host: db. is not in the cert's altnames: DNS:other" })).toMatch(
      /does not name that host name \(Host: db\. is not in the cert's altnames: DNS:other\)\. .*verify-ca/,
    );
    // The default for a host elsewhere is verify-full: the message says it was not chosen, and how to opt out.
    expect(tls(new Error('The server does not support SSL connections'), 'pgsql', { tlsMode: 'verify-full', tlsModeChosen: false })).toMatch(
      /offers no TLS, and the TLS mode is verify-full, the default for a server on another computer: nothing was sent to it\. .*prefer or disable/,
    );
    expect(tls({ code: 'HANDSHAKE_NO_SSL_SUPPORT', message: 'Server does not support secure connection' }, 'mysql', { tlsMode: 'require', tlsModeChosen: true })).toMatch(/offers no TLS, and the TLS mode is require:/);
    expect(tls({ code: '28000', message: 'no pg_hba.conf entry for host "10.0.0.1", user "u", database "d", no encryption' })).toMatch(/accepts only encrypted connections/);
    expect(tls({ code: '28000', message: 'connection requires a valid client certificate' })).toMatch(/asks for a client certificate/);
    expect(tls({ message: 'timeout exceeded when trying to connect' }, 'pgsql', { address: 'db.example.com:5432', connectTimeoutMs: 10_000 })).toMatch(/^No answer from db\.example\.com:5432 after 10 s/);
  });

  it('passes an AppFailure through and keeps unknown errors\' own words', () => {
    const failure = new AppFailure('NOT_FOUND', 'gone');
    expect(translate(failure)).toBe(failure);
    expect(translate(new Error('something odd')).message).toBe(`Database error on ${where}: something odd`);
    expect(translate(null).code).toBe('DATABASE');
  });
});
