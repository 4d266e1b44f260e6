/**
 * What the console does with databases that are not a plain Drupal 8+ site: Drupal 7,
 * not Drupal at all, a site without its lazily created sessions table. All engines.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/core/db/database.js';
import { loadBetterSqlite3 } from '../../src/core/engines/sqlite/driver.js';
import type { ConnectionTarget, Engine } from '../../src/core/db/target.js';
import { AppFailure } from '../../src/shared/errors.js';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite } from '../../src/core/site.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { createServerDatabase, createTestSite, ENGINES, serverTarget, unavailable } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

/** Temporary folders of this file, removed when its tests are done. */
const tempDir = tempDirs();

async function failure(promise: Promise<unknown>): Promise<AppFailure> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof AppFailure)) throw new Error(`expected an AppFailure, got ${String(error)}`);
  return error;
}

/** A database holding `statements`, on any engine. */
async function databaseWith(engine: Engine, statements: string[]): Promise<{ target: ConnectionTarget; db?: Database }> {
  if (engine === 'sqlite') {
    const file = join(tempDir('si-id-'), 'site.sqlite');
    const db = new (loadBetterSqlite3())(file);
    for (const s of statements) db.exec(s);
    db.close();
    return { target: { engine, file } };
  }
  const { name, db } = await createServerDatabase(engine);
  for (const s of statements) await db.run(s);
  return { target: serverTarget(engine, name), db };
}

const DRUPAL7 = [
  'CREATE TABLE users (uid INT NOT NULL PRIMARY KEY, name VARCHAR(60) NOT NULL, pass VARCHAR(128) NOT NULL, mail VARCHAR(254))',
  'CREATE TABLE system (filename VARCHAR(255) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL)',
  'CREATE TABLE sessions (uid INT NOT NULL, sid VARCHAR(128) NOT NULL, ssid VARCHAR(128) NOT NULL, hostname VARCHAR(128), timestamp INT, cache INT, session TEXT, PRIMARY KEY (sid, ssid))',
];

describe.each(ENGINES)('database identity on %s', (engine) => {
  const skip = unavailable(engine);
  const opened: Array<Pick<Database, 'close'>> = [];
  afterAll(async () => {
    // In order: the site's own admin connection (and folder) last.
    for (const d of opened) await d.close();
  });

  it.skipIf(skip !== null)('refuses a Drupal 7 database, naming Drupal 7', async () => {
    const { target, db } = await databaseWith(engine, DRUPAL7);
    if (db) opened.push(db);
    const error = await failure(openDrupalSite({ target, readOnly: true }));
    expect(error.code).toBe('DATABASE');
    expect(error.message).toMatch(/Drupal 7/);
  });

  it.skipIf(skip !== null)('refuses a database that is not Drupal', async () => {
    const { target, db } = await databaseWith(engine, ['CREATE TABLE invoices (id INT PRIMARY KEY, total INT)']);
    if (db) opened.push(db);
    const error = await failure(openDrupalSite({ target, readOnly: true }));
    expect(error.code).toBe('DATABASE');
    expect(error.message).toMatch(/Not a Drupal 8\+ database/);
    expect(error.message).toMatch(/users_field_data/);
  });

  it.skipIf(skip !== null)('treats a missing sessions table (Drupal 10.3+, no session yet) as no sessions', async () => {
    const dataset = await buildDataset();
    const site = await createTestSite(engine, { ...dataset.site, sessions: [] });
    // Closed (and its folder removed) with the file's other connections.
    opened.push({ close: () => site.close() });
    await site.admin.run(`DROP TABLE ${site.table('sessions')}`);
    const drupal = await openDrupalSite({ target: site.target, readOnly: false });
    opened.unshift(drupal.db);
    expect(drupal.tables.sessions).toBeNull();
    const inspector = new Inspector(drupal, { asOf: NOW, auditLog: AuditLog.in(tempDir('si-a-')) });
    const admin = await inspector.signIn('siteadmin', PASSWORDS.siteadmin);
    expect((await inspector.sessions(admin, { uid: UID.zoe })).sessions).toEqual([]);
    expect((await inspector.searchUsers(admin, 'zo', { limit: 5, offset: 0 })).users[0]?.sessionCount).toBe(0);
    expect(await inspector.revokeAll(admin, { uid: UID.zoe })).toEqual({ revoked: [], rememberMeRevoked: null });
    expect((await failure(inspector.revoke(admin, { uid: UID.zoe }, ['abc']))).code).toBe('NOT_FOUND');
  });
});
