/**
 * Fixtures shared by the security tests: a seeded Drupal site on one engine with an
 * inspector on it (set up before a file's tests, closed after), and a whole throwaway
 * server seeded with the shared dataset.
 */
import { afterAll, beforeAll } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import type { Database } from '../../src/core/db/database.js';
import { openMysql } from '../../src/core/engines/mysql/driver.js';
import { openPostgres } from '../../src/core/engines/pgsql/driver.js';
import type { Engine, ServerTarget } from '../../src/core/db/target.js';
import { buildDrupalSite, type SeedSite } from '../../src/core/site-builder/seed.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite, type DrupalSite } from '../../src/core/site.js';
import { NOW } from './dataset.js';
import { createTestSite, unavailable, type ServerName, type TestSite } from './engines.js';

export interface InspectorFixture {
  /** Why this engine's server is missing here, or null. */
  readonly skip: string | null;
  testSite: TestSite;
  site: DrupalSite;
  inspector: Inspector;
}

/** A site seeded with `seed()` on `engine`, opened writable, with an inspector as of NOW. */
export function inspectorFixture(engine: Engine, seed: () => Promise<SeedSite>, auditDir: () => string, server?: ServerName): InspectorFixture {
  const fixture = { skip: unavailable(engine, server ?? (engine === 'sqlite' ? null : engine)) } as InspectorFixture;
  beforeAll(async () => {
    if (fixture.skip) return;
    fixture.testSite = await createTestSite(engine, await seed(), server ? { server } : {});
    fixture.site = await openDrupalSite({ target: fixture.testSite.target, readOnly: false });
    fixture.inspector = new Inspector(fixture.site, { asOf: NOW, auditLog: AuditLog.in(auditDir()) });
  });
  afterAll(async () => {
    await fixture.site?.db.close();
    await fixture.testSite?.close();
  });
  return fixture;
}

/** An admin connection to a server database (for arranging and checking). */
export function openServerAdmin(target: ServerTarget): Promise<Database> {
  return target.engine === 'pgsql'
    ? openPostgres(target as ServerTarget<'pgsql'>, { readOnly: false })
    : openMysql(target as ServerTarget<'mysql'>, { readOnly: false });
}

/** Creates Drupal's tables, unprefixed, in `target` and fills them with `seed`. */
export async function seedServer(target: ServerTarget, seed: SeedSite): Promise<void> {
  const admin = await openServerAdmin(target);
  try {
    await buildDrupalSite(admin, target.engine, { name: null, tablePrefix: '' }, seed);
  } finally {
    await admin.close();
  }
}
