/**
 * Sessions named by the prefix the app shows (8 characters or more): a unique prefix of
 * one of the user's sessions is that session, an ambiguous one is refused with its
 * matches, and a prefix never reaches another user's session. On every engine.
 */
import { describe, expect, it } from 'vitest';
import type { SeedSite } from '../../src/core/site-builder/seed.js';
import { AppFailure } from '../../src/shared/errors.js';
import { buildDataset, NOW, PASSWORDS, UID, type Dataset } from '../support/dataset.js';
import { inspectorFixture } from '../support/fixtures.js';
import { count, ENGINES } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

// Two of Zoë's sessions share their first 10 characters; "_" is a LIKE wildcard, so it is in there.
const twinA = 'Tw1n_Pref1xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const twinB = 'Tw1n_Pref1xBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
const othersOnly = 'Zq9_OnlyForMemberCCCCCCCCCCCCCCCCCCCCCCCCCC';
let dataset: Dataset;
const seed = async (): Promise<SeedSite> => {
  dataset ??= await buildDataset();
  const row = (uid: number, sid: string) => ({ uid, sid, hostname: '192.0.2.9', timestamp: NOW - 50, data: null });
  return { ...dataset.site, sessions: [...dataset.site.sessions, row(UID.zoe, twinA), row(UID.zoe, twinB), row(UID.member, othersOnly)] };
};

async function failure(pending: Promise<unknown>): Promise<AppFailure> {
  const outcome = await pending.then(() => null, (error: unknown) => error);
  expect(outcome).toBeInstanceOf(AppFailure);
  return outcome as AppFailure;
}

describe.each(ENGINES)('session id prefixes on %s', (engine) => {
  const tempDir = tempDirs();
  const fixture = inspectorFixture(engine, seed, () => tempDir('si-prefix-'));
  const exists = (sid: string) => count(fixture.testSite.admin, `SELECT COUNT(*) AS n FROM ${fixture.testSite.table('sessions')} WHERE sid = ?`, [sid]);

  describe.skipIf(fixture.skip !== null)('', () => {
    it('revokes by a unique prefix, refuses an ambiguous one, never reaches another user', async () => {
      const support = await fixture.inspector.signIn('support', PASSWORDS.support);
      const ambiguous = await failure(fixture.inspector.revoke(support, { uid: UID.zoe }, ['Tw1n_Pref1x']));
      expect(ambiguous.code).toBe('USAGE');
      expect(ambiguous.message).toMatch(/matches 2 of this user's sessions \(Tw1n_Pref1xA…, Tw1n_Pref1xB…\)/);
      // "_" is a character here, not a wildcard.
      expect((await failure(fixture.inspector.revoke(support, { uid: UID.zoe }, ['Tw1nXPref1xA']))).code).toBe('NOT_FOUND');
      // Letter case counts, whatever the column's collation.
      expect((await failure(fixture.inspector.revoke(support, { uid: UID.zoe }, ['tw1n_pref1xa']))).code).toBe('NOT_FOUND');
      expect((await failure(fixture.inspector.revoke(support, { uid: UID.zoe }, [othersOnly.slice(0, 12)]))).code).toBe('NOT_FOUND');
      expect(await exists(othersOnly)).toBe(1);

      const preview = await fixture.inspector.previewRevoke(support, { uid: UID.zoe }, ['Tw1n_Pref1xA']);
      expect(preview.sessions.map((s) => s.sid)).toEqual([twinA]);
      expect(await fixture.inspector.revoke(support, { uid: UID.zoe }, ['Tw1n_Pref1xA'])).toEqual({ revoked: [twinA] });
      expect(await exists(twinA)).toBe(0);
      expect(await exists(twinB)).toBe(1);
      // Now unique.
      expect(await fixture.inspector.revoke(support, { uid: UID.zoe }, [twinB.slice(0, 8)])).toEqual({ revoked: [twinB] });
      const full = dataset.sids.zoeStale;
      expect(await fixture.inspector.revoke(support, { uid: UID.zoe }, [full.slice(0, 8)])).toEqual({ revoked: [full] });
    });
  });
});
