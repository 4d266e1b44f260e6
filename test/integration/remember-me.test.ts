/**
 * Remember-me tokens (the persistent_login module) on every engine: listed beside a
 * user's sessions as series prefixes only, deleted with "revoke all" and with a revoke
 * by criteria for one user, in the same transaction (a failed audit write keeps them),
 * recorded in the site's log and the local audit log; a site without the module says so.
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { randomSid, type SeedRememberMe, type SeedSite } from '../../src/core/site-builder/seed.js';
import { AppFailure } from '../../src/shared/errors.js';
import { buildDataset, NOW, PASSWORDS, UID, type Dataset } from '../support/dataset.js';
import { inspectorFixture } from '../support/fixtures.js';
import { count, ENGINES } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

const NEVER = 2147483647;
let dataset: Dataset;
const tokens: SeedRememberMe[] = [
  { uid: UID.zoe, series: randomSid(), instance: randomSid(), created: NOW - 5 * 86400, refreshed: NOW - 3600, expires: NOW + 25 * 86400 },
  { uid: UID.zoe, series: randomSid(), instance: randomSid(), created: NOW - 86400, refreshed: NOW - 86400, expires: NEVER },
  { uid: UID.member, series: randomSid(), instance: randomSid(), created: NOW - 86400, refreshed: NOW - 600, expires: NOW + 86400 },
  // Tokens but no session: the browser is signed back in at its next visit.
  { uid: UID.editor, series: randomSid(), instance: randomSid(), created: NOW - 86400, refreshed: NOW - 600, expires: NOW + 86400 },
];
const withTokens = async (): Promise<SeedSite> => {
  dataset ??= await buildDataset();
  return { ...dataset.site, rememberMe: tokens };
};
const withoutModule = async (): Promise<SeedSite> => {
  dataset ??= await buildDataset();
  return dataset.site;
};

async function failure(pending: Promise<unknown>): Promise<AppFailure> {
  const outcome = await pending.then(() => null, (error: unknown) => error);
  expect(outcome).toBeInstanceOf(AppFailure);
  return outcome as AppFailure;
}

describe.each(ENGINES)('remember-me tokens on %s', (engine) => {
  const tempDir = tempDirs();
  const fixture = inspectorFixture(engine, withTokens, () => tempDir('si-remember-'));
  const plain = inspectorFixture(engine, withoutModule, () => tempDir('si-remember-'));
  const tokensOf = (uid: number) => count(fixture.testSite.admin, `SELECT COUNT(*) AS n FROM ${fixture.testSite.table('persistent_login')} WHERE uid = ?`, [uid]);

  describe.skipIf(fixture.skip !== null)('', () => {
    it('lists a user\'s tokens beside their sessions: series prefixes and times, never the token', async () => {
      const support = await fixture.inspector.signIn('support', PASSWORDS.support);
      const zoe = await fixture.inspector.sessions(support, { uid: UID.zoe });
      expect(zoe.rememberMe).toEqual([
        { seriesPrefix: tokens[0]!.series.slice(0, 8), created: NOW - 5 * 86400, refreshed: NOW - 3600, expires: NOW + 25 * 86400 },
        { seriesPrefix: tokens[1]!.series.slice(0, 8), created: NOW - 86400, refreshed: NOW - 86400, expires: null },
      ]);
      const text = JSON.stringify(zoe);
      for (const token of tokens) {
        expect(text).not.toContain(token.instance);
        expect(text).not.toContain(token.series);
      }
      expect((await fixture.inspector.sessions(support, { uid: UID.root })).rememberMe).toEqual([]);
    });

    it('keeps them when single sessions are revoked, and when the audit log cannot be written', async () => {
      const support = await fixture.inspector.signIn('support', PASSWORDS.support);
      await fixture.inspector.revoke(support, { uid: UID.zoe }, [dataset.sids.zoeStale]);
      expect(await tokensOf(UID.zoe)).toBe(2);
      const folder = tempDir('si-remember-full-');
      symlinkSync('/dev/full', join(folder, 'audit.log'));
      const full = new Inspector(fixture.site, { asOf: NOW, auditLog: AuditLog.in(folder) });
      const operator = await full.signIn('support', PASSWORDS.support);
      expect((await failure(full.revokeAll(operator, { uid: UID.zoe }))).code).toBe('AUDIT_LOG');
      expect(await tokensOf(UID.zoe)).toBe(2);
    });

    it('deletes them with "revoke all", in the same transaction, and records it', async () => {
      const support = await fixture.inspector.signIn('support', PASSWORDS.support);
      const preview = await fixture.inspector.previewRevoke(support, { uid: UID.zoe }, 'all');
      expect(preview.rememberMe).toHaveLength(2);
      const result = await fixture.inspector.revokeAll(support, { uid: UID.zoe });
      expect(result.rememberMeRevoked).toBe(2);
      expect(result.revoked).toHaveLength(4);
      expect(await tokensOf(UID.zoe)).toBe(0);
      expect(await tokensOf(UID.member)).toBe(1);
      const log = await fixture.testSite.admin.all<{ message: string }>(`SELECT message FROM ${fixture.testSite.table('watchdog')} WHERE message LIKE ?`, ['%remember-me%']);
      expect(log.map((r) => r.message)).toEqual(['%count remember-me tokens of %name revoked by %operator.']);
      const audit = await fixture.inspector.listAudit(support, 10);
      expect(audit.entries[0]).toMatchObject({ action: 'revoke-all', target: { uid: UID.zoe }, rememberMeTokens: 2 });

      // Only tokens, no session: still deleted, still recorded.
      const editor = await fixture.inspector.revokeAll(support, { uid: UID.editor });
      expect(editor).toEqual({ revoked: [], rememberMeRevoked: 1 });
      expect(await tokensOf(UID.editor)).toBe(0);
      expect((await fixture.inspector.listAudit(support, 1)).entries[0]).toMatchObject({ target: { uid: UID.editor }, sidPrefix: '', rememberMeTokens: 1 });
    });

    it('deletes them with a revoke by criteria for that user, not for a range', async () => {
      const support = await fixture.inspector.signIn('support', PASSWORDS.support);
      const range = await fixture.inspector.planRevokeMatching(support, { ip: '203.0.113.0/24' });
      expect(range.rememberMe).toBeNull();
      const plan = await fixture.inspector.planRevokeMatching(support, { user: { name: 'member' }, states: ['idle'] });
      expect(plan).toMatchObject({ total: 1, rememberMe: 1 });
      const result = await fixture.inspector.revokeMatching(support, plan.sessions, { rememberMeOf: plan.rememberMeOf });
      expect(result).toMatchObject({ alreadyGone: 0, users: 1, rememberMeRevoked: 1 });
      expect(await tokensOf(UID.member)).toBe(0);
    });
  });

  describe.skipIf(plain.skip !== null)('on a site without the module', () => {
    it('says there is no table, and revokes as before', async () => {
      const support = await plain.inspector.signIn('support', PASSWORDS.support);
      expect((await plain.inspector.sessions(support, { uid: UID.zoe })).rememberMe).toBeNull();
      expect((await plain.inspector.revokeAll(support, { uid: UID.zoe })).rememberMeRevoked).toBeNull();
    });
  });
});
