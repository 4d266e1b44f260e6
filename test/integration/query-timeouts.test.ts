/**
 * The limits on one statement, on real servers. A statement that runs too long is stopped
 * by the server (statement_timeout, max_statement_time) with a message naming the limit,
 * and the connection serves the next one. A server that goes silent mid-query (here: a
 * proxy that stops passing bytes, as a dead network or a frozen tunnel would) is given up
 * on a little later, with the address in the message; that connection is dropped and a
 * fresh one serves the next statement once the network is back.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SILENCE_MARGIN_MS, type Database } from '../../src/core/db/database.js';
import type { ServerTarget } from '../../src/core/db/target.js';
import { openMysql } from '../../src/core/engines/mysql/driver.js';
import { openPostgres } from '../../src/core/engines/pgsql/driver.js';
import { AppFailure } from '../../src/shared/errors.js';
import { serverTarget, unavailable } from '../support/engines.js';

/** A TCP proxy to a server that can stop passing bytes both ways, and start again. */
async function freezableProxy(port: number): Promise<{ port: number; freeze(): void; thaw(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let frozen = false;
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port });
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on('data', (chunk) => {
        if (!frozen) to.write(chunk);
      });
      from.on('error', () => to.destroy());
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    freeze: () => (frozen = true),
    thaw: () => (frozen = false),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<AppFailure> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof AppFailure)) throw new Error(`expected an AppFailure, got ${String(error)}`);
  return error;
}

const engines = [
  { server: 'pgsql' as const, open: openPostgres as (t: ServerTarget, o: { readOnly: boolean; queryTimeoutMs: number }) => Promise<Database>, database: 'postgres', label: 'PostgreSQL', long: 'SELECT pg_sleep(5) AS slept' },
  // SLEEP alone returns 1 when stopped; over two rows MariaDB reports the interruption.
  { server: 'mysql' as const, open: openMysql as (t: ServerTarget, o: { readOnly: boolean; queryTimeoutMs: number }) => Promise<Database>, database: 'mysql', label: 'MySQL/MariaDB', long: 'SELECT SLEEP(5) AS slept FROM (SELECT 1 UNION SELECT 2) AS two' },
];

describe.each(engines)('statement limits on $server', ({ server, open, database, label, long }) => {
  const skip = unavailable(server);
  let proxy: Awaited<ReturnType<typeof freezableProxy>>;
  let db: Database;

  beforeAll(async () => {
    if (skip) return;
    const target = serverTarget(server, database);
    proxy = await freezableProxy(target.port);
    db = await open({ ...target, port: proxy.port, tls: { mode: 'disable' } } as ServerTarget, { readOnly: true, queryTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await db?.close();
    await proxy?.close();
  });

  it.skipIf(skip !== null)('stops a statement that runs longer than the limit, on the server, and goes on', { timeout: 30_000 }, async () => {
    const started = Date.now();
    const error = await failure(db.all(long));
    expect(error.code).toBe('DATABASE');
    expect(error.message).toMatch(new RegExp(`^The query ran for more than 1 s on the ${label} server at .* and was stopped; nothing was changed`));
    // The server stopped it: well before the client's own limit.
    expect(Date.now() - started).toBeLessThan(1000 + SILENCE_MARGIN_MS);
    await expect(db.all<{ one: number }>('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });

  it.skipIf(skip !== null)('gives up on a server gone silent mid-query, naming it, and recovers when it answers again', { timeout: 30_000 }, async () => {
    proxy.freeze();
    const error = await failure(db.all('SELECT 1 AS one'));
    expect(error.code).toBe('DATABASE');
    expect(error.message).toMatch(/^No answer from 127\.0\.0\.1:\d+ to a query after 6 s: the network, an SSH tunnel or the server itself stopped responding/);
    proxy.thaw();
    await expect(db.all<{ one: number }>('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });
});
