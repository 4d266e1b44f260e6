/**
 * Blocking an account from the console, on every engine: only with "administer users",
 * never one's own; status 0 on every translation in the revoke-all's transaction, the
 * account's cached entity removed (other cache rows kept), logged and audited; a warning
 * when the entity cache is not in the database; unblocking the same way.
 */
import { describe, expect, it } from 'vitest';
import type { SeedSite } from '../../src/core/site-builder/seed.js';
import { AppFailure } from '../../src/shared/errors.js';
import { buildDataset, PASSWORDS, UID, type Dataset } from '../support/dataset.js';
import { inspectorFixture } from '../support/fixtures.js';
import { count, ENGINES } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

let dataset: Dataset;
const cached = async (): Promise<SeedSite> => {
  dataset ??= await buildDataset();
  return { ...dataset.site, entityCache: [`values:user:${UID.zoe}`, `values:user:${UID.member}`, `values:user:${UID.translated}`, 'values:node:1'] };
};
const uncached = async (): Promise<SeedSite> => {
  dataset ??= await buildDataset();
  return dataset.site;
};

async function failure(pending: Promise<unknown>): Promise<AppFailure> {
  const outcome = await pending.then(() => null, (error: unknown) => error);
  expect(outcome).toBeInstanceOf(AppFailure);
  return outcome as AppFailure;
}

describe.each(ENGINES)('blocking accounts on %s', (engine) => {
  const tempDir = tempDirs();
  const fixture = inspectorFixture(engine, cached, () => tempDir('si-block-'));
  const plain = inspectorFixture(engine, uncached, () => tempDir('si-block-'));
  const statuses = (uid: number) =>
    fixture.testSite.admin.all<{ status: unknown }>(`SELECT status FROM ${fixture.testSite.table('users_field_data')} WHERE uid = ? ORDER BY langcode`, [uid])
      .then((rows) => rows.map((r) => Number(r.status)));
  const cacheRows = () =>
    fixture.testSite.admin.all<{ cid: string }>(`SELECT cid FROM ${fixture.testSite.table('cache_entity')} ORDER BY cid`).then((rows) => rows.map((r) => String(r.cid)));

  describe.skipIf(fixture.skip !== null)('', () => {
    it('refuses without "administer users", and one\'s own account, changing nothing', async () => {
      const support = await fixture.inspector.signIn('support', PASSWORDS.support);
      const denied = await failure(fixture.inspector.revokeAll(support, { uid: UID.zoe }, { block: true }));
      expect(denied.code).toBe('ACCESS_DENIED');
      expect(denied.message).toMatch(/administer users/);
      expect(await count(fixture.testSite.admin, `SELECT COUNT(*) AS n FROM ${fixture.testSite.table('sessions')} WHERE uid = ?`, [UID.zoe])).toBe(5);
      expect(await statuses(UID.zoe)).toEqual([1]);
      expect((await failure(fixture.inspector.unblock(support, { uid: UID.blocked }))).code).toBe('ACCESS_DENIED');
      const admin = await fixture.inspector.signIn('siteadmin', PASSWORDS.siteadmin);
      expect((await failure(fixture.inspector.revokeAll(admin, { uid: UID.siteadmin }, { block: true }))).message).toMatch(/your own account/);
      expect((await fixture.inspector.whoami(admin)).canAdministerUsers).toBe(true);
      expect((await fixture.inspector.whoami(support)).canAdministerUsers).toBe(false);
    });

    it('blocks with revoke all: every translation, the cached entity, in one transaction, logged and audited', async () => {
      const admin = await fixture.inspector.signIn('siteadmin', PASSWORDS.siteadmin);
      const result = await fixture.inspector.revokeAll(admin, { uid: UID.zoe }, { block: true });
      expect(result).toMatchObject({ revoked: { length: 5 }, blocked: true, warnings: [] });
      expect(await statuses(UID.zoe)).toEqual([0]);
      expect(await cacheRows()).toEqual(['values:node:1', `values:user:${UID.member}`, `values:user:${UID.translated}`].sort());
      const log = await fixture.testSite.admin.all<{ message: string }>(`SELECT message FROM ${fixture.testSite.table('watchdog')} WHERE message LIKE ?`, ['Account %']);
      expect(log.map((r) => r.message)).toEqual(['Account %name blocked by %operator.']);
      const audit = await fixture.inspector.listAudit(admin, 5);
      expect(audit.entries[0]).toMatchObject({ action: 'revoke-all', accountStatus: 'blocked', target: { uid: UID.zoe } });

      // An account with translations and no session: every row blocked, and recorded.
      const translated = await fixture.inspector.revokeAll(admin, { uid: UID.translated }, { block: true });
      expect(translated).toMatchObject({ revoked: [], blocked: true });
      expect(await statuses(UID.translated)).toEqual([0, 0, 0]);
      expect((await fixture.inspector.listAudit(admin, 1)).entries[0]).toMatchObject({ target: { uid: UID.translated }, sidPrefix: '', accountStatus: 'blocked' });

      // A blocked operator is refused at sign-in.
      await fixture.inspector.revokeAll(admin, { uid: UID.member }, { block: true });
      expect((await failure(fixture.inspector.signIn('member', PASSWORDS.member))).message).toMatch(/blocked/);
    });

    it('unblocks the same way', async () => {
      const admin = await fixture.inspector.signIn('siteadmin', PASSWORDS.siteadmin);
      // By now no account is left in cache_entity: nothing says Drupal caches accounts here,
      // so the operator is told how to make sure Drupal sees the change.
      const result = await fixture.inspector.unblock(admin, { uid: UID.member });
      expect(result).toEqual({ unblocked: true, warnings: [expect.stringMatching(/No account is cached in cache_entity.*drush cr/)] });
      expect(await statuses(UID.member)).toEqual([1]);
      expect((await fixture.inspector.signIn('member', PASSWORDS.member)).uid).toBe(UID.member);
      expect((await fixture.inspector.listAudit(admin, 1)).entries[0]).toMatchObject({ action: 'unblock', accountStatus: 'active', target: { uid: UID.member } });
    });
  });

  describe.skipIf(plain.skip !== null)('without an entity cache in the database', () => {
    it('blocks, and says a cache rebuild is needed', async () => {
      const admin = await plain.inspector.signIn('siteadmin', PASSWORDS.siteadmin);
      const result = await plain.inspector.revokeAll(admin, { uid: UID.zoe }, { block: true });
      expect(result.blocked).toBe(true);
      expect(result.warnings).toEqual([expect.stringMatching(/no cache_entity table.*drush cr/)]);
    });
  });
});
