/**
 * The shared suite: every behaviour of the inspector, run on SQLite, PostgreSQL 15 and
 * MariaDB (one test file each, so they run in parallel), each with and without a table
 * prefix, on schemas built as Drupal builds them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { AppFailure } from '../../src/shared/errors.js';
import { Inspector, type InspectorOptions, type Operator } from '../../src/core/inspector/inspector.js';
import { phpUnserialize, PhpArray } from '../../src/core/drupal/php-serialize.js';
import { openDrupalSite, type DrupalSite } from '../../src/core/site.js';
import { buildDataset, NOW, PASSWORDS, UID, type Dataset } from './dataset.js';
import type { Engine } from '../../src/core/db/target.js';
import { count, createTestSite, unavailable, type ServerName, type TestSite } from './engines.js';
import { tempDirs } from './temp.js';

async function rejection(promise: Promise<unknown>): Promise<AppFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppFailure) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** Defines the whole suite for one engine, with and without a table prefix. */
export function inspectorSuite(engine: Engine, suite: { server?: ServerName; sqliteWorker?: string } = {}): void {
  // Removed after the file's tests: audit logs of test revokes.
  const tempDir = tempDirs();
  const server = suite.server ?? (engine === 'sqlite' ? null : engine);
  const runtime = suite.sqliteWorker ? 'worker thread' : 'in process';
  const variants = [
    { engine, prefix: '', server: server ?? `file, ${runtime}` },
    { engine, prefix: engine === 'sqlite' ? 'pre' : 'D8', server: server ?? `file, ${runtime}` },
  ];
  describe.each(variants)('inspector on $engine, $server server (prefix "$prefix")', ({ engine, prefix }) => {
    const skip = unavailable(engine, server);
    if (skip) console.warn(`skipping ${engine}: ${skip}`);

    describe.skipIf(skip !== null)('', () => {
      let dataset: Dataset;
      let testSite: TestSite;
      const opened: DrupalSite[] = [];
      let auditDir: string;

      const open = async (options: { readOnly?: boolean } = {}) => {
        const site = await openDrupalSite({
          target: testSite.target,
          prefix,
          readOnly: options.readOnly ?? false,
          ...(suite.sqliteWorker ? { sqliteWorker: suite.sqliteWorker } : {}),
        });
        opened.push(site);
        return site;
      };
      const inspector = async (options: Partial<InspectorOptions> & { readOnly?: boolean } = {}) => {
        const { readOnly, ...rest } = options;
        return new Inspector(await open({ readOnly: readOnly ?? false }), {
          asOf: NOW,
          auditLog: AuditLog.in(auditDir),
          now: () => NOW + 5,
          ...rest,
        });
      };
      const signIn = async (i: Inspector, name: keyof typeof PASSWORDS): Promise<Operator> => i.signIn(name, PASSWORDS[name]);
      const sessionCount = (uid: number) => count(testSite.admin, `SELECT COUNT(*) AS n FROM ${testSite.table('sessions')} WHERE uid = ?`, [uid]);

      beforeAll(async () => {
        dataset = await buildDataset();
        testSite = await createTestSite(engine, dataset.site, { prefix, ...(server ? { server } : {}) });
        auditDir = tempDir('si-audit-');
      });

      afterAll(async () => {
        await Promise.all(opened.map((s) => s.db.close()));
        await testSite?.close();
      });

      describe('sign-in', () => {
        it('accepts every password algorithm, with the username in any case', async () => {
          const i = await inspector();
          expect(await i.signIn('ROOT', 'drupal')).toEqual({ uid: UID.root, name: 'root' }); // $S$
          expect((await i.signIn('siteadmin', 'drupal')).uid).toBe(UID.siteadmin); // $S$
          expect((await i.signIn('support', PASSWORDS.support)).name).toBe('Support'); // bcrypt $2y$
          expect((await i.signIn('Member', PASSWORDS.member)).uid).toBe(UID.member); // argon2id
          expect((await i.signIn('editor', PASSWORDS.editor)).uid).toBe(UID.editor); // U$S$
        });

        it('gives a wrong password and an unknown user the same message', async () => {
          const i = await inspector();
          const wrong = await rejection(i.signIn('root', 'not the password'));
          const unknown = await rejection(i.signIn('nobody-here', 'drupal'));
          expect(wrong.code).toBe('SIGN_IN_FAILED');
          expect(unknown.code).toBe('SIGN_IN_FAILED');
          expect(wrong.message).toBe(unknown.message);
        });

        it('refuses a blocked account, and accounts without a password', async () => {
          const i = await inspector();
          const blocked = await rejection(i.signIn('blocked', 'drupal'));
          expect(blocked.code).toBe('SIGN_IN_FAILED');
          expect(blocked.message).toMatch(/blocked/);
          expect((await rejection(i.signIn('O\'Brien', ''))).code).toBe('SIGN_IN_FAILED');
          expect((await rejection(i.signIn('', 'drupal'))).code).toBe('SIGN_IN_FAILED');
        });
      });

      describe('permissions', () => {
        it('resolves them from roles as Drupal does', async () => {
          const i = await inspector();
          const who = async (name: keyof typeof PASSWORDS) => i.whoami(await signIn(i, name));
          expect(await who('root')).toMatchObject({ uid: 1, roles: ['authenticated'], canInspectOwn: true, canInspectOther: true });
          expect(await who('siteadmin')).toMatchObject({ roles: ['authenticated', 'administrator'], canInspectOther: true });
          expect(await who('support')).toMatchObject({ canInspectOwn: true, canInspectOther: true });
          expect(await who('member')).toMatchObject({ canInspectOwn: true, canInspectOther: false });
          expect(await who('editor')).toMatchObject({ canInspectOwn: false, canInspectOther: false });
        });

        it('drops the uid 1 super user when the site turned it off', async () => {
          const i = await inspector({ superUser: false });
          const root = await signIn(i, 'root');
          expect(await i.whoami(root)).toMatchObject({ canInspectOwn: false, canInspectOther: false });
          expect((await rejection(i.sessions(root, { uid: UID.zoe }))).code).toBe('ACCESS_DENIED');
        });

        it('lets an inspect-own operator see only their own sessions, without revealing who exists', async () => {
          const i = await inspector();
          const member = await signIn(i, 'member');
          expect((await i.sessions(member, { name: 'MEMBER' })).sessions).toHaveLength(2);
          expect((await rejection(i.sessions(member, { uid: UID.zoe }))).code).toBe('ACCESS_DENIED');
          expect((await rejection(i.sessions(member, { name: 'no-such-user' }))).code).toBe('ACCESS_DENIED');
          expect((await rejection(i.revoke(member, { uid: UID.zoe }, [dataset.sids.zoeActive]))).code).toBe('ACCESS_DENIED');
          const page = await i.searchUsers(member, '', { limit: 50, offset: 0 });
          expect(page.users.map((u) => u.uid)).toEqual([UID.member]);
          expect(await sessionCount(UID.zoe)).toBe(5);
        });

        it('refuses an operator without either permission', async () => {
          const i = await inspector();
          const editor = await signIn(i, 'editor');
          expect((await rejection(i.sessions(editor, { uid: UID.editor }))).code).toBe('ACCESS_DENIED');
          expect((await rejection(i.searchUsers(editor, '', { limit: 5, offset: 0 }))).code).toBe('ACCESS_DENIED');
        });

        it('rechecks status and roles in the database on every call', async () => {
          const i = await inspector();
          const support = await signIn(i, 'support');
          await i.sessions(support, { uid: UID.zoe });
          const fieldData = testSite.table('users_field_data');
          const roles = testSite.table('user__roles');
          await testSite.admin.run(`UPDATE ${fieldData} SET status = 0 WHERE uid = ?`, [UID.support]);
          try {
            const blocked = await rejection(i.sessions(support, { uid: UID.zoe }));
            expect(blocked.code).toBe('ACCESS_DENIED');
            expect(blocked.message).toMatch(/blocked/);
          } finally {
            await testSite.admin.run(`UPDATE ${fieldData} SET status = 1 WHERE uid = ?`, [UID.support]);
          }
          await testSite.admin.run(`UPDATE ${roles} SET roles_target_id = ? WHERE entity_id = ?`, ['editor', UID.support]);
          try {
            expect((await rejection(i.sessions(support, { uid: UID.zoe }))).code).toBe('ACCESS_DENIED');
            expect((await rejection(i.revokeAll(support, { uid: UID.zoe }))).code).toBe('ACCESS_DENIED');
          } finally {
            await testSite.admin.run(`UPDATE ${roles} SET roles_target_id = ? WHERE entity_id = ?`, ['support', UID.support]);
          }
          expect(await sessionCount(UID.zoe)).toBe(5);
          await i.sessions(support, { uid: UID.zoe });
        });
      });

      describe('permissions, changed between calls', () => {
        it('applies a role whose permissions changed since the last call, at the next call', async () => {
          const i = await inspector();
          const support = await signIn(i, 'support');
          // Two calls: the second is served by the check's guesses (same roles, may see others).
          expect((await i.searchUsers(support, 'zo', { limit: 25, offset: 0 })).total).toBeGreaterThan(0);
          expect((await i.searchUsers(support, 'zo', { limit: 25, offset: 0 })).total).toBeGreaterThan(0);
          const config = testSite.table('config');
          const blob = async (role: string) =>
            (await testSite.admin.all<{ data: Uint8Array }>(`SELECT data FROM ${config} WHERE collection = '' AND name = ?`, [`user.role.${role}`]))[0]!.data;
          const supportRole = await blob('support');
          // The support role keeps its id but now grants only "inspect own user sessions".
          await testSite.admin.run(`UPDATE ${config} SET data = ? WHERE collection = '' AND name = ?`, [await blob('member'), 'user.role.support']);
          try {
            const own = await i.searchUsers(support, '', { limit: 25, offset: 0 });
            expect(own.users.map((u) => u.uid)).toEqual([UID.support]);
            expect((await rejection(i.sessions(support, { uid: UID.zoe }))).code).toBe('ACCESS_DENIED');
            // And with nothing at all: refused.
            await testSite.admin.run(`UPDATE ${config} SET data = ? WHERE collection = '' AND name = ?`, [await blob('editor'), 'user.role.support']);
            expect((await rejection(i.searchUsers(support, 'zo', { limit: 25, offset: 0 }))).code).toBe('ACCESS_DENIED');
          } finally {
            await testSite.admin.run(`UPDATE ${config} SET data = ? WHERE collection = '' AND name = ?`, [supportRole, 'user.role.support']);
          }
          expect((await i.searchUsers(support, 'zo', { limit: 25, offset: 0 })).total).toBeGreaterThan(0);
        });
      });

      describe('user search', () => {
        const search = async (text: string, page = { limit: 50, offset: 0 }) => {
          const i = await inspector();
          return i.searchUsers(await signIn(i, 'siteadmin'), text, page);
        };
        const names = async (text: string) => (await search(text)).users.map((u) => u.name);

        it('lists people only: no uid 0, one row per account whatever its translations', async () => {
          const all = await search('');
          expect(all.total).toBe(11);
          expect(all.users.map((u) => u.uid)).not.toContain(0);
          expect(all.users.filter((u) => u.name === 'traduit')).toHaveLength(1);
        });

        it('matches substrings of name and mail in any case, including non-ASCII', async () => {
          expect(await names('EXAMPLE.NET')).toEqual(['member']);
          expect(await names('zoË')).toEqual(['Zoë Ünal']);
          expect(await names('ünal')).toEqual(['Zoë Ünal']);
          expect(await names('PORT')).toEqual(['Support']);
        });

        it('takes LIKE wildcards and quotes literally', async () => {
          expect(await names('%')).toEqual(['100%_sure']);
          expect((await names('_')).sort()).toEqual(['100%_sure', 'under_score']);
          expect(await names("o'b")).toEqual(["O'Brien"]);
          expect(await names('"; DROP TABLE users; --')).toEqual([]);
        });

        it('finds an exact uid', async () => {
          expect((await search(String(UID.zoe))).users.map((u) => u.uid)).toContain(UID.zoe);
        });

        it('returns the whole summary of each user', async () => {
          const [zoe] = (await search('zoe@')).users;
          expect(zoe).toEqual({
            uid: UID.zoe, name: 'Zoë Ünal', mail: 'zoe@example.org', status: 'active', roles: ['member'],
            created: NOW - 90 * 86400, access: NOW - 3600, login: NOW - 7200, sessionCount: 5,
          });
          const [obrien] = (await search("O'Brien")).users;
          expect(obrien).toMatchObject({ access: null, login: null, sessionCount: 0 });
          const [blocked] = (await search('blocked')).users;
          expect(blocked).toMatchObject({ status: 'blocked', sessionCount: 1 });
        });

        it('pages in SQL with a stable order and a total', async () => {
          const first = await search('', { limit: 4, offset: 0 });
          const second = await search('', { limit: 4, offset: 4 });
          const third = await search('', { limit: 4, offset: 8 });
          expect(first.total).toBe(11);
          expect(first.users).toHaveLength(4);
          expect(third.users).toHaveLength(3);
          const uids = [...first.users, ...second.users, ...third.users].map((u) => u.uid);
          expect(new Set(uids).size).toBe(11);
        });
      });

      describe('sessions of a user', () => {
        it('lists every row newest first, with state, flags and what the data tells', async () => {
          const i = await inspector();
          const result = await i.sessions(await signIn(i, 'support'), { name: 'zoë ünal' });
          expect(result.asOf).toBe(NOW);
          expect(result.user.uid).toBe(UID.zoe);
          expect(result.sessions.map((s) => s.sid)).toEqual([
            dataset.sids.zoeMasquerade, dataset.sids.zoeActive, dataset.sids.zoeReset, dataset.sids.zoeGarbled, dataset.sids.zoeStale,
          ]);
          const [masquerade, active, reset, garbled, stale] = result.sessions;
          expect(masquerade).toMatchObject({ hostname: '::1', state: 'active', masqueradeBy: UID.siteadmin, timestamp: NOW - 30, readable: true });
          expect(active).toMatchObject({ state: 'active', masqueradeBy: null, passwordReset: false, created: NOW - 720, lifetime: 2000000 });
          expect(reset).toMatchObject({ state: 'idle', passwordReset: true });
          expect(garbled).toMatchObject({ readable: false, created: null, lifetime: null, state: 'idle' });
          expect(stale).toMatchObject({ state: 'stale', hostname: '192.0.2.44' });
        });

        it('reads the browser and string lifetimes', async () => {
          const i = await inspector();
          const { sessions } = await i.sessions(await signIn(i, 'member'), { uid: UID.member });
          expect(sessions[0]).toMatchObject({ browser: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0', hostname: '203.0.113.10' });
          expect(sessions[1]).toMatchObject({ lifetime: 2000000, hostname: '2001:db8::5', state: 'idle' });
        });

        it('never returns the secrets held in session data', async () => {
          const i = await inspector();
          const support = await signIn(i, 'support');
          const text = JSON.stringify([
            await i.sessions(support, { uid: UID.zoe }),
            await i.sessions(support, { uid: UID.member }),
            await i.searchUsers(support, '', { limit: 50, offset: 0 }),
          ]);
          expect(dataset.secrets.length).toBeGreaterThan(5);
          for (const secret of dataset.secrets) expect(text).not.toContain(secret);
          expect(text).not.toMatch(/\$S\$|\$2y\$|argon2/);
        });

        it('judges states against the as-of time', async () => {
          const i = await inspector({ asOf: NOW - 299_000 });
          const { sessions } = await i.sessions(await signIn(i, 'support'), { uid: UID.zoe });
          expect(sessions.find((s) => s.sid === dataset.sids.zoeStale)?.state).toBe('idle');
          const custom = await inspector({ gcMaxlifetime: 1000 });
          const reset = (await custom.sessions(await signIn(custom, 'support'), { uid: UID.zoe })).sessions.find((s) => s.sid === dataset.sids.zoeReset);
          expect(reset?.state).toBe('stale');
        });

        it('lists a 10 MB blob, a PHP object and binary noise as unreadable, without failing', async () => {
          const sessions = testSite.table('sessions');
          const rows: Array<[string, Buffer]> = [
            ['huge-blob', Buffer.concat([Buffer.from('_sf2_meta|s:20000000:"'), Buffer.alloc(10 * 1024 * 1024, 0x41)])],
            ['php-object', Buffer.from('_sf2_meta|O:8:"stdClass":1:{s:1:"c";i:5;}')],
            ['binary-noise', Buffer.from([0x00, 0xff, 0x7c, 0xfe, 0x80, 0x3a])],
          ];
          for (const [sid, data] of rows) {
            await testSite.admin.run(`INSERT INTO ${sessions} (uid, sid, hostname, ${engine === 'mysql' ? '`timestamp`' : '"timestamp"'}, session) VALUES (?, ?, ?, ?, ?)`, [
              UID.quote, sid, '192.0.2.1', NOW - 100, data,
            ]);
          }
          try {
            const i = await inspector();
            const { sessions: listed } = await i.sessions(await signIn(i, 'support'), { uid: UID.quote });
            expect(listed.map((s) => [s.sid, s.readable, s.created])).toEqual(
              expect.arrayContaining([['huge-blob', false, null], ['php-object', false, null], ['binary-noise', false, null]]),
            );
          } finally {
            await testSite.admin.run(`DELETE FROM ${sessions} WHERE uid = ?`, [UID.quote]);
          }
        });

        it('says "not found" for an unknown user', async () => {
          const i = await inspector();
          const support = await signIn(i, 'support');
          expect((await rejection(i.sessions(support, { name: 'ghost' }))).code).toBe('NOT_FOUND');
          expect((await rejection(i.sessions(support, { uid: 0 }))).code).toBe('NOT_FOUND');
          expect((await rejection(i.sessions(support, { uid: 99999 }))).code).toBe('NOT_FOUND');
        });
      });

      describe('revoking', () => {
        it('deletes one session only where uid and sid both match, and records it twice', async () => {
          const i = await inspector();
          const admin = await signIn(i, 'siteadmin');
          const before = await count(testSite.admin, `SELECT COUNT(*) AS n FROM ${testSite.table('sessions')}`);
          // Another user's sid through this user: not found, nothing deleted.
          const foreign = await rejection(i.revoke(admin, { uid: UID.zoe }, [dataset.sids.memberActive]));
          expect(foreign.code).toBe('NOT_FOUND');
          // A good sid together with a bad one: all or nothing.
          expect((await rejection(i.revoke(admin, { uid: UID.zoe }, [dataset.sids.zoeActive, 'gone']))).code).toBe('NOT_FOUND');
          // The right sid in the wrong case is a different sid.
          expect((await rejection(i.revoke(admin, { uid: UID.zoe }, [dataset.sids.zoeActive.toLowerCase()]))).code).toBe('NOT_FOUND');
          expect(await count(testSite.admin, `SELECT COUNT(*) AS n FROM ${testSite.table('sessions')}`)).toBe(before);

          expect(await i.revoke(admin, { uid: UID.zoe }, [dataset.sids.zoeActive])).toEqual({ revoked: [dataset.sids.zoeActive] });
          expect(await sessionCount(UID.zoe)).toBe(4);
          expect(await count(testSite.admin, `SELECT COUNT(*) AS n FROM ${testSite.table('sessions')}`)).toBe(before - 1);
          // Gone now: not found.
          expect((await rejection(i.revoke(admin, { uid: UID.zoe }, [dataset.sids.zoeActive]))).code).toBe('NOT_FOUND');

          const rows = await testSite.admin.all<Record<string, unknown>>(
            `SELECT uid, type, message, variables, severity, location FROM ${testSite.table('watchdog')} WHERE type = ?`,
            ['session_inspector'],
          );
          expect(rows).toHaveLength(1);
          expect(Number(rows[0]!.uid)).toBe(UID.siteadmin);
          expect(rows[0]!.message).toBe('Session %sid of %name revoked by %operator.');
          expect(Number(rows[0]!.severity)).toBe(5);
          const variables = phpUnserialize(rows[0]!.variables instanceof Uint8Array ? rows[0]!.variables : String(rows[0]!.variables));
          expect(variables).toBeInstanceOf(PhpArray);
          expect((variables as PhpArray).get('%name')).toBe('Zoë Ünal');
          expect((variables as PhpArray).get('%operator')).toBe('siteadmin');
          expect((variables as PhpArray).get('%sid')).toBe(dataset.sids.zoeActive.slice(0, 8));

          const log = readFileSync(join(auditDir, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
          // The intent, fsync'ed before the commit, then its outcome after it.
          const [entry, outcome] = log.slice(-2);
          expect(entry).toMatchObject({
            operator: { uid: UID.siteadmin, name: 'siteadmin' },
            target: { uid: UID.zoe, name: 'Zoë Ünal' },
            sessions: [{ sidPrefix: dataset.sids.zoeActive.slice(0, 8), hostname: '198.51.100.7' }],
            action: 'revoke',
            time: new Date((NOW + 5) * 1000).toISOString(),
            state: 'intent',
          });
          expect(outcome).toEqual({ id: entry.id, outcome: 'committed' });
          expect(JSON.stringify(log)).not.toContain(dataset.sids.zoeActive);
        });

        it('revokes all of one user\'s sessions and no one else\'s', async () => {
          const i = await inspector();
          const support = await signIn(i, 'support');
          const others = await count(testSite.admin, `SELECT COUNT(*) AS n FROM ${testSite.table('sessions')} WHERE uid <> ?`, [UID.blocked]);
          const result = await i.revokeAll(support, { name: 'blocked' });
          expect(result.revoked).toEqual([dataset.sids.blockedLeftover]);
          expect(await sessionCount(UID.blocked)).toBe(0);
          expect(await count(testSite.admin, `SELECT COUNT(*) AS n FROM ${testSite.table('sessions')}`)).toBe(others);
          expect(await i.revokeAll(support, { name: 'blocked' })).toEqual({ revoked: [], rememberMeRevoked: null });
        });

        it('refuses any revoke on a read-only connection, which itself refuses writes', async () => {
          const i = await inspector({ readOnly: true });
          const admin = await signIn(i, 'siteadmin');
          expect((await rejection(i.revoke(admin, { uid: UID.member }, [dataset.sids.memberIdle]))).code).toBe('READ_ONLY');
          expect((await rejection(i.revokeAll(admin, { uid: UID.member }))).code).toBe('READ_ONLY');
          const direct = await rejection(i.site.db.run(`DELETE FROM ${i.site.tables.sessions} WHERE uid = ?`, [UID.member]));
          expect(direct.code).toBe('READ_ONLY');
          expect(await sessionCount(UID.member)).toBe(2);
          // Reading still works.
          expect((await i.sessions(admin, { uid: UID.member })).sessions).toHaveLength(2);
        });
      });

      describe('what the database is', () => {
        it('refuses a wrong prefix, saying which tables were looked for', async () => {
          const wrong = engine === 'sqlite' ? 'nope' : 'nope_';
          const error = await rejection(openDrupalSite({ target: testSite.target, prefix: wrong, readOnly: true }));
          expect(error.code).toBe('DATABASE');
          if (engine === 'sqlite') {
            expect(error.message).toMatch(/drupal\.sqlite-nope, which does not exist/);
            if (!prefix) expect(error.message).toMatch(/connect without a prefix/);
          } else {
            expect(error.message).toMatch(/users_field_data/);
            expect(error.message).toContain(`${wrong}users_field_data`);
            expect(error.message).toMatch(prefix ? /the table prefix "D8"/ : /no prefix/);
          }
        });

        it('refuses a hostile prefix before it reaches SQL', async () => {
          const error = await rejection(openDrupalSite({ target: testSite.target, prefix: 'x; DROP TABLE users', readOnly: false }));
          expect(error.code).toBe('USAGE');
          expect(error.message).toMatch(/Invalid table prefix/);
          expect(await count(testSite.admin, `SELECT COUNT(*) AS n FROM ${testSite.table('users_field_data')}`)).toBeGreaterThan(0);
        });
      });
    });
  });
}
