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
    [{ code: '57014', message: 'canceling statement due to statement timeout' }, 'DATABASE', /took too long/],
    [{ code: '40P01' }, 'DATABASE', /busy/],
  ])('%o → %s', (error, code, message) => {
    const translated = translate(error);
    expect(translated).toBeInstanceOf(AppFailure);
    expect(translated.code).toBe(code);
    expect(translated.message).toMatch(message);
  });

  it('names the engine and speaks of SQLite files as files', () => {
    expect(translate({ code: 'ER_ACCESS_DENIED_ERROR' }, 'mysql').message).toMatch(/MySQL\/MariaDB server .* refused/);
    expect(translate({ code: 'SQLITE_NOTADB' }, 'sqlite').message).toMatch(/is not a SQLite database/);
    expect(translate({ code: 'SQLITE_CORRUPT', message: 'malformed' }, 'sqlite').message).toMatch(/damaged SQLite database/);
    expect(translate({ code: 'SQLITE_CANTOPEN' }, 'sqlite').message).toMatch(/Cannot open/);
    expect(translate({ code: 'SQLITE_READONLY' }, 'sqlite').code).toBe('READ_ONLY');
  });

  it('passes an AppFailure through and keeps unknown errors\' own words', () => {
    const failure = new AppFailure('NOT_FOUND', 'gone');
    expect(translate(failure)).toBe(failure);
    expect(translate(new Error('something odd')).message).toBe(`Database error on ${where}: something odd`);
    expect(translate(null).code).toBe('DATABASE');
  });
});
