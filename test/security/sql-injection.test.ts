/**
 * Hardening 1: SQL injection. Values reach SQL only as parameters, and on MySQL/MariaDB
 * mysql2 escapes them on the client with backslashes: sound only while the session's
 * sql_mode lacks NO_BACKSLASH_ESCAPES. The `mysqlStrict` server has that mode globally
 * (a legal configuration); the connection must set its own sql_mode, as Drupal does.
 * (The whole shared suite also runs on that server: inspector-mysql-strict.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite, type DrupalSite } from '../../src/core/site.js';
import { drupalSessionData, randomSid } from '../../src/core/site-builder/seed.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { count, createTestSite, unavailable, type ServerName, type TestSite } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();

/** What an attacker with only "inspect own user sessions" typed into the search box. */
const PAYLOADS = [
  "'), 1) > 0 OR 1=1) #",
  "\\'), 1) > 0 OR 1=1) #",
  "\\') OR 1=1 -- ",
  "' OR '1'='1",
  "\\' OR (SELECT SUBSTR(pass, 1, 1) FROM users_field_data WHERE uid = 1) = '$' #",
  '\\\\\'), 1) > 0 OR 1=1) #',
  "%' OR 1=1 OR name LIKE '%",
  "\u0000' OR 1=1 #",
];

const targets: Array<{ engine: 'sqlite' | 'pgsql' | 'mysql'; server: ServerName | null }> = [
  { engine: 'sqlite', server: null },
  { engine: 'pgsql', server: 'pgsql' },
  { engine: 'mysql', server: 'mysql' },
  { engine: 'mysql', server: 'mysqlStrict' },
];

describe.each(targets)('SQL injection on $engine ($server)', ({ engine, server }) => {
  const skip = unavailable(engine, server);
  let testSite: TestSite;
  let site: DrupalSite;
  let inspector: Inspector;

  beforeAll(async () => {
    if (skip) return;
    const dataset = await buildDataset();
    testSite = await createTestSite(engine, dataset.site, server ? { server } : {});
    site = await openDrupalSite({ target: testSite.target, readOnly: false });
    inspector = new Inspector(site, { asOf: NOW, auditLog: AuditLog.in(tempDir('si-sqli-')) });
  });
  afterAll(async () => {
    await site?.db.close();
    await testSite?.close();
  });

  it.skipIf(skip !== null)('the connection runs in the sql_mode Drupal sets, whatever the server\'s', async () => {
    if (engine !== 'mysql') return;
    const [row] = await site.db.all<{ mode: string }>('SELECT @@SESSION.sql_mode AS mode');
    expect(row!.mode).not.toMatch(/NO_BACKSLASH_ESCAPES/);
    expect(row!.mode).toMatch(/ANSI_QUOTES/);
  });

  it.skipIf(skip !== null)('an inspect-own operator finds only themselves, whatever they type', async () => {
    const member = await inspector.signIn('member', PASSWORDS.member);
    for (const payload of PAYLOADS) {
      const page = await inspector.searchUsers(member, payload, { limit: 50, offset: 0 });
      expect(page.users.every((u) => u.uid === UID.member), payload).toBe(true);
      expect(page.total).toBeLessThanOrEqual(1);
    }
  });

  it.skipIf(skip !== null)('quotes and backslashes are data: O\'Brien is found, and a revoke of their session is logged', async () => {
    const sid = randomSid();
    await testSite.admin.run(`INSERT INTO ${testSite.table('sessions')} (uid, sid, hostname, timestamp, session) VALUES (?, ?, ?, ?, ?)`, [
      UID.quote, sid, "198.51.100.1\\'", NOW - 10, engine === 'pgsql' ? Buffer.from(drupalSessionData({ uid: UID.quote, created: NOW - 100, updated: NOW - 10 })) : drupalSessionData({ uid: UID.quote, created: NOW - 100, updated: NOW - 10 }),
    ]);
    const admin = await inspector.signIn('siteadmin', PASSWORDS.siteadmin);
    const page = await inspector.searchUsers(admin, "O'Brien", { limit: 10, offset: 0 });
    expect(page.users.map((u) => u.uid)).toEqual([UID.quote]);
    expect((await inspector.sessions(admin, { name: "o'brien" })).user.uid).toBe(UID.quote);
    expect((await inspector.searchUsers(admin, "\\'", { limit: 10, offset: 0 })).total).toBe(0);
    expect((await inspector.revokeAll(admin, { name: "O'Brien" })).revoked).toEqual([sid]);
    if (site.tables.watchdog) {
      expect(await count(testSite.admin, `SELECT COUNT(*) AS n FROM ${testSite.table('watchdog')} WHERE type = ?`, ['session_inspector'])).toBe(1);
    }
  });

  it.skipIf(skip !== null)('a hostile username at sign-in is only a name that does not exist', async () => {
    for (const payload of PAYLOADS) {
      const error = await inspector.signIn(payload, 'drupal').then(() => null, (e: { code: string }) => e);
      expect(error?.code, payload).toBe('SIGN_IN_FAILED');
    }
  });
});
