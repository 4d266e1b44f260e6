/**
 * Revoke by criteria on every engine: the plan lists exactly the matching (uid, sid)
 * rows; the revoke deletes exactly those that still exist, bound to their uid, nothing
 * that appeared after the plan, in all-or-nothing batches, with watchdog rows per user
 * and audit records per session; the access rule and read-only hold.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite } from '../../src/core/site.js';
import { drupalSessionData, randomSid, type SeedSite } from '../../src/core/site-builder/seed.js';
import { AppFailure } from '../../src/shared/errors.js';
import { buildDataset, NOW, PASSWORDS, UID, type Dataset } from '../support/dataset.js';
import { inspectorFixture } from '../support/fixtures.js';
import { count, ENGINES } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

let dataset: Dataset;
const seed = async (): Promise<SeedSite> => {
  dataset ??= await buildDataset();
  // 1,200 sessions of the member on 100.64.0.0/16 besides the shared data: three batches.
  const many = Array.from({ length: 1200 }, (_, i) => ({
    uid: UID.member,
    sid: randomSid(),
    hostname: `100.64.${Math.floor(i / 200)}.${i % 200}`,
    timestamp: NOW - 1000 - i,
    data: drupalSessionData({ uid: UID.member, created: NOW - 5000, updated: NOW - 1000 - i }),
  }));
  return { ...dataset.site, sessions: [...dataset.site.sessions, ...many] };
};

async function failure(pending: Promise<unknown>): Promise<AppFailure> {
  const outcome = await pending.then(() => null, (error: unknown) => error);
  expect(outcome).toBeInstanceOf(AppFailure);
  return outcome as AppFailure;
}

describe.each(ENGINES)('revoke by criteria on %s', (engine) => {
  const tempDir = tempDirs();
  let auditDir = '';
  const fixture = inspectorFixture(engine, seed, () => (auditDir = tempDir('si-revoke-matching-')));
  const table = (name: string) => fixture.testSite.table(name);
  const sessionsOn = (range: string) => count(fixture.testSite.admin, `SELECT COUNT(*) AS n FROM ${table('sessions')} WHERE hostname LIKE ?`, [range]);

  describe.skipIf(fixture.skip !== null)('', () => {
    it('deletes exactly what was matched and still exists, nothing that appeared since, in batches', { timeout: 120_000 }, async () => {
      const { inspector } = fixture;
      const support = await inspector.signIn('support', PASSWORDS.support);
      const plan = await inspector.planRevokeMatching(support, { ip: '100.64.0.0/16' });
      expect(plan.total).toBe(1200);
      expect(plan.users).toBe(1);
      expect(plan.sessions.every((s) => s.uid === UID.member && s.hostname.startsWith('100.64.'))).toBe(true);

      // Meanwhile: one matched session ends, and a new one on the same range appears.
      const ended = plan.sessions[700]!;
      await fixture.testSite.admin.run(`DELETE FROM ${table('sessions')} WHERE sid = ?`, [ended.sid]);
      const newcomer = randomSid();
      await fixture.testSite.admin.run(
        `INSERT INTO ${table('sessions')} (uid, sid, hostname, ${engine === 'mysql' ? '`timestamp`' : '"timestamp"'}, ${engine === 'mysql' ? '`session`' : '"session"'}) VALUES (?, ?, ?, ?, ?)`,
        [UID.zoe, newcomer, '100.64.9.250', NOW, engine === 'pgsql' ? Buffer.from('x') : 'x'],
      );

      const result = await inspector.revokeMatching(support, plan.sessions);
      expect({ ...result, revoked: result.revoked.length }).toEqual({ revoked: 1199, alreadyGone: 1, users: 1, rememberMeRevoked: null });
      expect(result.revoked.map((s) => s.sid)).not.toContain(ended.sid);
      expect(await sessionsOn('100.64.%')).toBe(1);
      expect(await count(fixture.testSite.admin, `SELECT COUNT(*) AS n FROM ${table('sessions')} WHERE sid = ?`, [newcomer])).toBe(1);
      // Everyone else's sessions are untouched.
      expect(await count(fixture.testSite.admin, `SELECT COUNT(*) AS n FROM ${table('sessions')} WHERE uid = ?`, [UID.zoe])).toBe(6);

      // Watchdog: one summary row per batch for the member (three batches of up to 500).
      const rows = await fixture.testSite.admin.all<{ message: string }>(`SELECT message FROM ${table('watchdog')} WHERE type = ?`, ['session_inspector']);
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.message === '%count sessions of %name revoked by %operator.')).toBe(true);
      const page = await inspector.listAudit(support, 1000);
      const mine = page.entries.filter((e) => e.action === 'revoke-matching');
      expect(mine).toHaveLength(1000);
      expect(mine[0]).toMatchObject({ operator: { uid: UID.support }, target: { uid: UID.member, name: 'member' } });
      expect(mine.every((e) => !e.unconfirmed)).toBe(true);
    });

    it('spans users, binds every delete to its uid, and writes a log row per user', async () => {
      const { inspector } = fixture;
      const support = await inspector.signIn('support', PASSWORDS.support);
      const plan = await inspector.planRevokeMatching(support, { ip: '198.51.100.0/24', states: ['active', 'idle'] });
      expect(plan.sessions.map((s) => s.sid).sort()).toEqual([dataset.sids.zoeActive, dataset.sids.zoeReset, dataset.sids.zoeGarbled].sort());
      // A key whose sid belongs to someone else is not matched: deletes are bound to the uid.
      const forged = { uid: UID.editor, sid: dataset.sids.supportOwn };
      const result = await inspector.revokeMatching(support, [...plan.sessions, forged, { uid: UID.blocked, sid: dataset.sids.blockedLeftover }]);
      expect({ ...result, revoked: result.revoked.length }).toEqual({ revoked: 4, alreadyGone: 1, users: 2, rememberMeRevoked: null });
      expect(result.revoked).toContainEqual({ uid: UID.blocked, sid: dataset.sids.blockedLeftover });
      expect(await count(fixture.testSite.admin, `SELECT COUNT(*) AS n FROM ${table('sessions')} WHERE sid = ?`, [dataset.sids.supportOwn])).toBe(1);
      const names = await fixture.testSite.admin.all<{ variables: unknown }>(`SELECT variables FROM ${table('watchdog')} WHERE type = ? AND message LIKE ?`, ['session_inspector', 'Session %']);
      const text = names.map((r) => Buffer.from(r.variables as Uint8Array).toString('utf8')).join(' ');
      expect(text).toContain('Zoë Ünal');
      expect(text).toContain('blocked');
    });

    it('keeps an inspect-own operator to their own sessions, and refuses anyone else\'s before deleting', async () => {
      const { inspector } = fixture;
      const member = await inspector.signIn('member', PASSWORDS.member);
      const plan = await inspector.planRevokeMatching(member, { states: ['active', 'idle', 'stale'] });
      expect(plan.sessions.every((s) => s.uid === UID.member)).toBe(true);
      const before = await count(fixture.testSite.admin, `SELECT COUNT(*) AS n FROM ${table('sessions')}`);
      const denied = await failure(inspector.revokeMatching(member, [...plan.sessions, { uid: UID.zoe, sid: dataset.sids.zoeStale }]));
      expect(denied.code).toBe('ACCESS_DENIED');
      expect(await count(fixture.testSite.admin, `SELECT COUNT(*) AS n FROM ${table('sessions')}`)).toBe(before);
      const editor = await inspector.signIn('editor', PASSWORDS.editor);
      expect((await failure(inspector.planRevokeMatching(editor, { ip: '10.0.0.0/8' }))).code).toBe('ACCESS_DENIED');
    });

    it('refuses on a read-only connection before matching anything', async () => {
      const site = await openDrupalSite({ target: fixture.testSite.target, readOnly: true });
      try {
        const readOnly = new Inspector(site, { asOf: NOW, auditLog: AuditLog.in(join(auditDir, 'ro')) });
        const support = await readOnly.signIn('support', PASSWORDS.support);
        expect((await failure(readOnly.planRevokeMatching(support, { ip: '10.0.0.5' }))).code).toBe('READ_ONLY');
        expect((await failure(readOnly.revokeMatching(support, [{ uid: UID.support, sid: dataset.sids.supportOwn }]))).code).toBe('READ_ONLY');
      } finally {
        await site.db.close();
      }
    });
  });
});
