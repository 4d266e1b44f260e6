/** Servers that cannot be reached or refuse us: a clear DATABASE error, quickly, never a hang. */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../src/shared/errors.js';
import { openDrupalSite } from '../../src/core/site.js';
import { serverTarget, unavailable } from '../support/engines.js';

async function failure(promise: Promise<unknown>): Promise<AppFailure> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof AppFailure)) throw new Error(`expected an AppFailure, got ${String(error)}`);
  return error;
}

/** A port that accepts TCP connections and then says nothing: a server that hangs. */
let silent: Server;
let silentPort = 0;
let closedPort = 0;

beforeAll(async () => {
  silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as { port: number }).port;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
});

afterAll(() => {
  silent.close();
});

describe.each(['pgsql', 'mysql'] as const)('connecting to %s', (engine) => {
  const target = (changes: Record<string, unknown>) => ({ ...serverTarget(engine, 'x'), ...changes });

  it('reports a server that is not running, at once', async () => {
    const started = Date.now();
    const error = await failure(openDrupalSite({ target: { engine, host: '127.0.0.1', port: closedPort, database: 'd', user: 'u' }, readOnly: true }));
    expect(error.code).toBe('DATABASE');
    expect(error.message).toMatch(/Cannot reach .* at .*127\.0\.0\.1:\d+.*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up on a server that never answers within 10 s', { timeout: 20_000 }, async () => {
    const started = Date.now();
    const error = await failure(
      openDrupalSite({ target: { engine, host: '127.0.0.1', port: silentPort, database: 'd', user: 'u' }, readOnly: true }),
    );
    expect(error.code).toBe('DATABASE');
    expect(error.message).toMatch(/^No answer from 127\.0\.0\.1:\d+ after 10 s/);
    expect(Date.now() - started).toBeLessThan(10_500);
  });

  it.skipIf(unavailable(engine) !== null)('reports wrong credentials without echoing the password', async () => {
    const error = await failure(openDrupalSite({ target: target({ password: 'wrong-password-123' }), readOnly: true }));
    expect(error.code).toBe('DATABASE');
    expect(error.message).toMatch(/refused the database user name or password/);
    expect(error.message).not.toContain('wrong-password-123');
  });
});

describe('the wrong engine on a port', () => {
  const skip = unavailable('pgsql') ?? unavailable('mysql');
  it.skipIf(skip !== null)('says that the server there does not speak that protocol', { timeout: 30_000 }, async () => {
    const pg = serverTarget('pgsql', 'postgres');
    const maria = serverTarget('mysql', 'mysql');
    const asPostgres = await failure(openDrupalSite({ target: { ...pg, port: maria.port }, readOnly: true, connectTimeoutMs: 5000 }));
    expect(asPostgres.message).toMatch(/does not speak the PostgreSQL protocol: another kind of server \(MySQL or MariaDB\?\) listens on that port/);
    // PostgreSQL waits for the client to speak first: a MySQL client can only time out.
    const asMysql = await failure(openDrupalSite({ target: { ...maria, port: pg.port }, readOnly: true, connectTimeoutMs: 2000 }));
    expect(asMysql.message).toMatch(/No answer from .* after 2 s \(MySQL\/MariaDB\).*another kind of server may also listen there/);
  });
});
