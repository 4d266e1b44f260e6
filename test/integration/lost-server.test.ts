/**
 * A database server that goes away while the console is connected: every call then
 * fails with a DATABASE error that says what to do, nothing crashes, and once the
 * server is back the same connection works again. Each engine gets its own server.
 */
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import type { ServerTarget } from '../../src/core/db/target.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite } from '../../src/core/site.js';
import { seedServer } from '../support/fixtures.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { mariadbAvailable, postgresAvailable, startMariadb, startPostgres, type RunningServer } from '../support/db-servers.js';
import { tempDirs } from '../support/temp.js';

/** Temporary folders of this file, removed when its tests are done. */
const tempDir = tempDirs();

const engines = [
  { engine: 'pgsql' as const, available: postgresAvailable(), start: startPostgres, database: 'postgres' },
  { engine: 'mysql' as const, available: mariadbAvailable(), start: startMariadb, database: 'mysql' },
];

describe.each(engines)('losing the $engine server', ({ engine, available, start, database }) => {
  it.skipIf(!available)('reports it, survives it, and recovers when the server is back', { timeout: 90_000 }, async () => {
    const server: RunningServer = await start();
    const target = { engine, ...server.info, database } as ServerTarget;
    const dataset = await buildDataset();
    await seedServer(target, dataset.site);

    const site = await openDrupalSite({ target, readOnly: false });
    try {
      const inspector = new Inspector(site, { asOf: NOW, auditLog: AuditLog.in(tempDir('si-lost-')) });
      const operator = await inspector.signIn('support', PASSWORDS.support);
      expect((await inspector.sessions(operator, { uid: UID.zoe })).sessions).toHaveLength(5);

      await server.pause();
      const error = await inspector.sessions(operator, { uid: UID.zoe }).then(() => null, (e: unknown) => e as { code: string; message: string });
      expect(error?.code).toBe('DATABASE');
      expect(error?.message).toMatch(/Lost the connection|Cannot reach/);
      expect(error?.message).toMatch(/running/);
      const revoke = await inspector.revokeAll(operator, { uid: UID.zoe }).then(() => null, (e: unknown) => e as { code: string });
      expect(revoke?.code).toBe('DATABASE');

      // Back again: the same connection object works, with nothing lost.
      await server.resume();
      expect((await inspector.sessions(operator, { uid: UID.zoe })).sessions).toHaveLength(5);
      expect((await inspector.revoke(operator, { uid: UID.zoe }, [dataset.sids.zoeStale])).revoked).toEqual([dataset.sids.zoeStale]);
    } finally {
      await site.db.close();
      await server.stop();
    }
  });
});
