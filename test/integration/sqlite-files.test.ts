/**
 * SQLite specifics: snapshots stay byte-for-byte untouched in read-only mode, files
 * that are not SQLite or are damaged get a clear refusal, and the fixture really has
 * Drupal's NOCASE_UTF8 trap.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { loadBetterSqlite3 } from '../../src/core/engines/sqlite/driver.js';
import { createSqliteSite } from '../../src/core/site-builder/sqlite-site.js';
import { AppFailure } from '../../src/shared/errors.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite } from '../../src/core/site.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { tempDirs } from '../support/temp.js';

/** Temporary folders of this file, removed when its tests are done. */
const tempDir = tempDirs();

function folderState(folder: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(folder).map((name) => {
      const path = join(folder, name);
      return [name, `${statSync(path).mtimeMs}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`];
    }),
  );
}

async function failure(promise: Promise<unknown>): Promise<AppFailure> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof AppFailure)) throw new Error(`expected an AppFailure, got ${String(error)}`);
  return error;
}

async function newSite(prefix = ''): Promise<string> {
  const file = join(tempDir('si-snap-'), 'drupal.sqlite');
  await createSqliteSite(file, (await buildDataset()).site, { prefix });
  return file;
}

describe('SQLite snapshots', () => {
  it.each(['', 'pre'])('reads a WAL-mode snapshot (prefix "%s") without changing a byte of it or its folder', async (prefix) => {
    const file = await newSite(prefix);
    const folder = dirname(file);
    const before = folderState(folder);
    expect(Object.keys(before).sort()).toEqual(prefix ? ['drupal.sqlite', 'drupal.sqlite-pre'] : ['drupal.sqlite']);

    const site = await openDrupalSite({ target: { engine: 'sqlite', file }, prefix, readOnly: true });
    const inspector = new Inspector(site, { asOf: NOW, auditLog: AuditLog.in(tempDir('si-a-')) });
    const admin = await inspector.signIn('siteadmin', PASSWORDS.siteadmin);
    expect((await inspector.sessions(admin, { uid: UID.zoe })).sessions).toHaveLength(5);
    expect((await inspector.searchUsers(admin, 'e', { limit: 50, offset: 0 })).total).toBeGreaterThan(3);
    expect((await failure(inspector.revokeAll(admin, { uid: UID.zoe }))).code).toBe('READ_ONLY');
    // No -wal or -shm appears while it is open, nor after.
    expect(folderState(folder)).toEqual(before);
    await site.db.close();
    expect(folderState(folder)).toEqual(before);
  });

  it('reads a snapshot taken with a pending -wal (a live site) as it was, still without touching it', async () => {
    const file = await newSite();
    const live = new (loadBetterSqlite3())(file);
    live.pragma('wal_autocheckpoint = 0');
    live.prepare('INSERT INTO sessions (uid, sid, hostname, timestamp, session) VALUES (?, ?, ?, ?, ?)').run(UID.zoe, 'only-in-the-wal', '192.0.2.200', NOW - 5, null);
    // Copy the database as a backup tool would, while the site is live: with its -wal.
    const snapshot = tempDir('si-walsnap-');
    copyFileSync(file, join(snapshot, 'drupal.sqlite'));
    copyFileSync(`${file}-wal`, join(snapshot, 'drupal.sqlite-wal'));
    live.close();
    const before = folderState(snapshot);

    const site = await openDrupalSite({ target: { engine: 'sqlite', file: join(snapshot, 'drupal.sqlite') }, readOnly: true });
    const inspector = new Inspector(site, { asOf: NOW, auditLog: AuditLog.in(tempDir('si-a-')) });
    const admin = await inspector.signIn('siteadmin', PASSWORDS.siteadmin);
    const sids = (await inspector.sessions(admin, { uid: UID.zoe })).sessions.map((s) => s.sid);
    expect(sids).toContain('only-in-the-wal');
    expect(sids).toHaveLength(6);
    await site.db.close();
    expect(folderState(snapshot)).toEqual(before);
  });

  it('has Drupal\'s NOCASE_UTF8 columns, which a plain client cannot compare', async () => {
    const file = await newSite();
    const db = new (loadBetterSqlite3())(file, { readonly: true });
    try {
      expect(() => db.prepare('SELECT uid FROM users_field_data WHERE name = ?').get('root')).toThrow(/no such collation sequence: NOCASE_UTF8/);
    } finally {
      db.close();
    }
    // …yet the inspector signs in and searches by name.
    const site = await openDrupalSite({ target: { engine: 'sqlite', file }, readOnly: true });
    const inspector = new Inspector(site, { asOf: NOW, auditLog: AuditLog.in(tempDir('si-a-')) });
    expect((await inspector.signIn('ROOT', PASSWORDS.root)).uid).toBe(UID.root);
    await site.db.close();
  });

  it('refuses a file that is not SQLite, a damaged one, a folder and a missing file', async () => {
    const folder = tempDir('si-bad-');
    const notSqlite = join(folder, 'notes.txt');
    writeFileSync(notSqlite, 'This is just some text, not a database.\n'.repeat(200));
    const error = await failure(openDrupalSite({ target: { engine: 'sqlite', file: notSqlite }, readOnly: true }));
    expect(error.code).toBe('DATABASE');
    expect(error.message).toMatch(/not a SQLite database/);

    const damaged = join(folder, 'damaged.sqlite');
    copyFileSync(await newSite(), damaged);
    const bytes = readFileSync(damaged);
    bytes.fill(0x5a, 4096, bytes.length); // keep the header, trash every page after the first
    writeFileSync(damaged, bytes);
    const broken = await failure(openDrupalSite({ target: { engine: 'sqlite', file: damaged }, readOnly: true }));
    expect(broken.code).toBe('DATABASE');
    expect(broken.message).toMatch(/damaged|not a SQLite database|malformed/);

    expect((await failure(openDrupalSite({ target: { engine: 'sqlite', file: folder }, readOnly: true }))).message).toMatch(/is a folder/);
    expect((await failure(openDrupalSite({ target: { engine: 'sqlite', file: join(folder, 'nope.sqlite') }, readOnly: true }))).message).toMatch(/No such SQLite file/);
  });
});
