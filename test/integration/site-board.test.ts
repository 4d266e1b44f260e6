/**
 * The site-wide session board on every engine: each filter alone and combined, paging
 * in both paths (decided in SQL, decided per row over a keyset scan, with ties), the
 * access rule, and nothing secret in what it returns.
 */
import { describe, expect, it } from 'vitest';
import type { SessionFilter, SiteSessionPage } from '../../src/shared/domain.js';
import { AppFailure } from '../../src/shared/errors.js';
import { drupalSessionData, randomSid as sid, type SeedSite } from '../../src/core/site-builder/seed.js';
import { buildDataset, NOW, PASSWORDS, UID, type Dataset } from '../support/dataset.js';
import { inspectorFixture } from '../support/fixtures.js';
import { ENGINES } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';
const ORPHAN_UID = 99;
const extra = {
  anonymous: sid(),
  orphan: sid(),
  mapped: sid(),
  /** Support on the address Zoë used: one address, two accounts. */
  shared: sid(),
  /** Support at once in the United States and in Britain (public addresses). */
  inUs: sid(),
  inGb: sid(),
};

let dataset: Dataset;
async function boardSite(): Promise<SeedSite> {
  dataset ??= await buildDataset();
  const data = (uid: number, age: number) => drupalSessionData({ uid, created: NOW - age - 600, updated: NOW - age });
  return {
    ...dataset.site,
    sessions: [
      ...dataset.site.sessions,
      { uid: 0, sid: extra.anonymous, hostname: '203.0.113.70', timestamp: NOW - 40, data: '_sf2_attributes|a:0:{}' },
      { uid: ORPHAN_UID, sid: extra.orphan, hostname: '2001:db8:1::7', timestamp: NOW - 7200, data: data(ORPHAN_UID, 7200) },
      { uid: UID.member, sid: extra.mapped, hostname: '::ffff:203.0.113.77', timestamp: NOW - 500, data: data(UID.member, 500) },
      { uid: UID.support, sid: extra.shared, hostname: '198.51.100.7', timestamp: NOW - 5000, data: data(UID.support, 5000) },
      { uid: UID.support, sid: extra.inUs, hostname: '8.8.8.8', timestamp: NOW - 3000, data: data(UID.support, 3000) },
      { uid: UID.support, sid: extra.inGb, hostname: '81.2.69.160', timestamp: NOW - 3100, data: data(UID.support, 3100) },
    ],
  };
}

/** A user with 4,500 sessions whose last-use times tie in runs of 7: keyset paging must see each once. */
async function crowdedSite(): Promise<SeedSite> {
  dataset ??= await buildDataset();
  const sessions = Array.from({ length: 4500 }, (_, i) => ({
    uid: UID.zoe,
    sid: sid(),
    hostname: i % 3 === 0 ? `2001:db8::${(i % 4096).toString(16)}` : `198.51.100.${i % 250}`,
    timestamp: NOW - 100 - Math.floor(i / 7),
    data: drupalSessionData({ uid: UID.zoe, created: NOW - 100_000, updated: NOW - 100 }),
  }));
  return { ...dataset.site, sessions };
}

async function failure(pending: Promise<unknown>): Promise<AppFailure> {
  const outcome = await pending.then(() => null, (error: unknown) => error);
  expect(outcome).toBeInstanceOf(AppFailure);
  return outcome as AppFailure;
}

describe.each(ENGINES)('the site-wide board on %s', (engine) => {
  const tempDir = tempDirs();
  const fixture = inspectorFixture(engine, boardSite, () => tempDir('si-board-'));
  const crowded = inspectorFixture(engine, crowdedSite, () => tempDir('si-board-'));

  const board = async (filter: SessionFilter = {}, page: { limit?: number; offset?: number } = {}, as: keyof typeof PASSWORDS = 'support'): Promise<SiteSessionPage> => {
    const operator = await fixture.inspector.signIn(as, PASSWORDS[as]);
    return fixture.inspector.siteSessions(operator, filter, { limit: 1000, ...page });
  };
  const sids = (page: SiteSessionPage) => page.sessions.map((s) => s.sid).sort();
  const sorted = (...list: string[]) => [...list].sort();
  const all = () => [...dataset.site.sessions.map((s) => s.sid), extra.orphan, extra.mapped, extra.shared, extra.inUs, extra.inGb];

  describe.skipIf(fixture.skip !== null)('', () => {
    it('lists every session but anonymous ones, last used first, with owners and counts per state', async () => {
      const page = await board();
      expect(sids(page)).toEqual(sorted(...all()));
      expect(page.total).toBe(all().length);
      expect(page.totalIsExact).toBe(true);
      const times = page.sessions.map((s) => s.timestamp);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(page.byState.active + page.byState.idle + page.byState.stale).toBe(page.total);
      expect(page.byState.stale).toBe(1);
      const orphan = page.sessions.find((s) => s.sid === extra.orphan)!;
      expect(orphan).toMatchObject({ uid: ORPHAN_UID, name: null, ownerStatus: null });
      const blocked = page.sessions.find((s) => s.sid === dataset.sids.blockedLeftover)!;
      expect(blocked).toMatchObject({ uid: UID.blocked, name: 'blocked', ownerStatus: 'blocked' });
      expect(page.sessions.find((s) => s.sid === dataset.sids.zoeMasquerade)).toMatchObject({ name: 'Zoë Ünal', masqueradeBy: UID.siteadmin });
    });

    it('includes anonymous visitors only when asked', async () => {
      const page = await board({ includeAnonymous: true });
      expect(page.total).toBe(all().length + 1);
      expect(page.sessions.find((s) => s.sid === extra.anonymous)).toMatchObject({ uid: 0, name: null });
    });

    it('filters by address and by range, IPv4 (mapped too) and IPv6', async () => {
      expect(sids(await board({ ip: '203.0.113.77' }))).toEqual([extra.mapped]);
      expect(sids(await board({ ip: '203.0.113.10' }))).toEqual([dataset.sids.memberActive]);
      expect(sids(await board({ ip: '203.0.113.0/24' }))).toEqual(sorted(dataset.sids.memberActive, dataset.sids.blockedLeftover, extra.mapped));
      expect(sids(await board({ ip: '203.0.113.0/24', includeAnonymous: true }))).toContain(extra.anonymous);
      expect(sids(await board({ ip: '2001:db8::/32' }))).toEqual(sorted(dataset.sids.memberIdle, extra.orphan));
      expect(sids(await board({ ip: '2001:DB8:0:0::5' }))).toEqual([dataset.sids.memberIdle]);
      expect(sids(await board({ ip: '::1' }))).toEqual([dataset.sids.zoeMasquerade]);
      const bad = await failure(board({ ip: '203.0.113.0/33' }));
      expect(bad.code).toBe('USAGE');
      expect(bad.message).toMatch(/prefix length/);
    });

    it('filters by user, by role, by state and by times', async () => {
      const zoe = [dataset.sids.zoeActive, dataset.sids.zoeMasquerade, dataset.sids.zoeStale, dataset.sids.zoeReset, dataset.sids.zoeGarbled];
      expect(sids(await board({ user: { name: 'zoë ünal' } }))).toEqual(sorted(...zoe));
      expect(sids(await board({ user: { mail: 'zoe@example.org' } }))).toEqual(sorted(...zoe));
      expect(sids(await board({ user: { uid: ORPHAN_UID } }))).toEqual([extra.orphan]);
      expect((await failure(board({ user: { name: 'nobody' } }))).code).toBe('NOT_FOUND');
      expect(sids(await board({ role: 'member' }))).toEqual(sorted(dataset.sids.memberActive, dataset.sids.memberIdle, extra.mapped, ...zoe));
      expect(sids(await board({ role: 'authenticated' }))).not.toContain(extra.orphan);
      expect((await board({ role: 'authenticated' })).total).toBe(all().length - 1);
      expect((await failure(board({ role: 'Not A Role' }))).code).toBe('USAGE');
      expect(sids(await board({ states: ['stale'] }))).toEqual([dataset.sids.zoeStale]);
      const active = await board({ states: ['active'] });
      expect(active.sessions.every((s) => s.state === 'active')).toBe(true);
      expect(active.total).toBe(active.byState.active);
      expect((await board({ states: ['active', 'idle', 'stale'] })).total).toBe(all().length);
      expect(sids(await board({ usedAfter: NOW - 60 }))).toEqual(sorted(dataset.sids.memberActive, dataset.sids.zoeMasquerade, dataset.sids.supportOwn));
      expect(sids(await board({ usedBefore: NOW - 86400 + 1 }))).toEqual(sorted(dataset.sids.blockedLeftover, dataset.sids.zoeStale));
      // Created = last use - 600 s in this data; the garbled session has no known creation time.
      expect(sids(await board({ createdAfter: NOW - 700 }))).toEqual(sorted(dataset.sids.memberActive, dataset.sids.zoeMasquerade, dataset.sids.supportOwn));
      expect(sids(await board({ createdBefore: NOW - 86400 }))).toEqual(sorted(dataset.sids.blockedLeftover, dataset.sids.zoeStale));
    });

    it('finds masquerades, pending password resets, blocked owners and orphans', async () => {
      expect(sids(await board({ masquerade: true }))).toEqual([dataset.sids.zoeMasquerade]);
      expect(sids(await board({ passwordReset: true }))).toEqual([dataset.sids.zoeReset]);
      expect(sids(await board({ ownerBlocked: true }))).toEqual([dataset.sids.blockedLeftover]);
      expect(sids(await board({ orphan: true }))).toEqual([extra.orphan]);
      expect(sids(await board({ orphan: true, includeAnonymous: true }))).toEqual([extra.orphan]);
      // Drupal's uid 0 row has status 0: anonymous visitors are not "blocked accounts".
      expect(sids(await board({ ownerBlocked: true, includeAnonymous: true }))).toEqual([dataset.sids.blockedLeftover]);
      expect(sids(await board({ role: 'authenticated', includeAnonymous: true }))).not.toContain(extra.anonymous);
      expect(sids(await board({ role: 'anonymous', includeAnonymous: true }))).toEqual([extra.anonymous]);
    });

    it('combines filters', async () => {
      expect(sids(await board({ role: 'member', ip: '203.0.113.0/24' }))).toEqual(sorted(dataset.sids.memberActive, extra.mapped));
      expect(sids(await board({ user: { uid: UID.zoe }, states: ['active'], masquerade: true }))).toEqual([dataset.sids.zoeMasquerade]);
      expect((await board({ role: 'editor', ip: '10.0.0.0/8' })).total).toBe(0);
    });

    it('pages the same list in SQL and row by row', async () => {
      for (const filter of [{}, { ip: '0.0.0.0/0' }] as SessionFilter[]) {
        const whole = (await board(filter)).sessions;
        expect(whole.length).toBeGreaterThan(5);
        const pages: string[] = [];
        for (let offset = 0; offset < whole.length; offset += 3) {
          const page = await board(filter, { limit: 3, offset });
          expect(page.offset).toBe(offset);
          pages.push(...page.sessions.map((s) => s.sid));
        }
        expect(pages).toEqual(whole.map((s) => s.sid));
      }
    });

    it('shows an inspect-own operator only their own sessions, and refuses one with neither permission', async () => {
      const own = await board({}, {}, 'member');
      expect(sids(own)).toEqual(sorted(dataset.sids.memberActive, dataset.sids.memberIdle, extra.mapped));
      expect((await board({ includeAnonymous: true, ip: '0.0.0.0/0' }, {}, 'member')).sessions.every((s) => s.uid === UID.member)).toBe(true);
      expect((await board({ orphan: true }, {}, 'member')).total).toBe(0);
      expect((await failure(board({ user: { uid: UID.zoe } }, {}, 'member'))).code).toBe('ACCESS_DENIED');
      // A name that does not exist is refused the same way: nothing tells whether it does.
      expect((await failure(board({ user: { name: 'nobody' } }, {}, 'member'))).code).toBe('ACCESS_DENIED');
      expect((await failure(board({}, {}, 'editor'))).code).toBe('ACCESS_DENIED');
    });

    it('groups sessions by address, most accounts first, IPv4-mapped as IPv4, in SQL and row by row', async () => {
      const support = await fixture.inspector.signIn('support', PASSWORDS.support);
      const all = await fixture.inspector.ipGroups(support, {}, { limit: 100 });
      expect(all.ips[0]).toEqual({ ip: '198.51.100.7', country: null, addressKind: 'documentation', accounts: 2, sessions: 2, lastUsed: NOW - 120 });
      expect(all.ips.map((g) => g.ip)).toContain('203.0.113.77');
      expect(all.ips.map((g) => g.ip)).not.toContain('::ffff:203.0.113.77');
      expect(all.total).toBe(all.ips.length);
      expect(all.ips.reduce((n, g) => n + g.sessions, 0)).toBe((await board()).total);
      const v4 = await fixture.inspector.ipGroups(support, { ip: '0.0.0.0/0' }, { limit: 100 });
      expect(v4.ips[0]).toEqual(all.ips[0]);
      expect(v4.ips.map((g) => g.ip).sort()).toEqual(all.ips.map((g) => g.ip).filter((ip) => !ip.includes(':')).sort());
      const paged = await fixture.inspector.ipGroups(support, {}, { limit: 2, offset: 2 });
      expect(paged.ips).toEqual(all.ips.slice(2, 4));
      // An inspect-own operator sees only their own addresses.
      const member = await fixture.inspector.signIn('member', PASSWORDS.member);
      expect((await fixture.inspector.ipGroups(member, {})).ips.map((g) => g.ip).sort()).toEqual(['2001:db8::5', '203.0.113.10', '203.0.113.77']);
    });

    it('reports shared addresses, blocked and deleted owners, and sessions beyond the policy', async () => {
      const support = await fixture.inspector.signIn('support', PASSWORDS.support);
      const report = await fixture.inspector.anomalies(support);
      expect(report.policy).toEqual({ maxAge: 86400, maxIdle: 3600 });
      const byKind = (kind: string) => report.anomalies.filter((a) => a.kind === kind);
      expect(byKind('shared-ip')).toEqual([
        expect.objectContaining({ count: 2, sids: expect.arrayContaining([dataset.sids.zoeActive, extra.shared]), detail: expect.stringMatching(/^198\.51\.100\.7 is used by 2 accounts/) }),
      ]);
      expect(byKind('shared-ip')[0]!.uids.sort()).toEqual([UID.support, UID.zoe].sort());
      expect(byKind('multi-country')).toEqual([
        expect.objectContaining({ uids: [UID.support], count: 2, detail: `uid ${UID.support} has live sessions from 2 countries at once (GB, US).` }),
      ]);
      expect(byKind('multi-country')[0]!.sids.sort()).toEqual([extra.inUs, extra.inGb].sort());
      expect(byKind('blocked-owner')[0]).toMatchObject({ count: 1, uids: [UID.blocked], sids: [dataset.sids.blockedLeftover] });
      expect(byKind('orphan')[0]).toMatchObject({ count: 1, uids: [ORPHAN_UID], sids: [extra.orphan] });
      expect(byKind('absolute-age')[0]!.count).toBe((await board({ createdBefore: NOW - 86400 })).total);
      expect(byKind('idle')[0]!.count).toBe((await board({ usedBefore: NOW - 3600 })).total);
      expect(byKind('idle')[0]!.detail).toMatch(/idle for more than 1 h \(policy: at most 1 h idle\)/);
      const strict = await fixture.inspector.anomalies(support, { maxAge: 600, maxIdle: 60 });
      expect(strict.anomalies.find((a) => a.kind === 'idle')!.count).toBe((await board({ usedBefore: NOW - 60 })).total);
      const editor = await fixture.inspector.signIn('editor', PASSWORDS.editor);
      expect((await failure(fixture.inspector.anomalies(editor))).code).toBe('ACCESS_DENIED');
    });

    it('returns no secret held in session data', async () => {
      const text = JSON.stringify(await board({ includeAnonymous: true }));
      for (const secret of dataset.secrets) expect(text).not.toContain(secret);
    });
  });

  describe.skipIf(crowded.skip !== null)('with 4,500 sessions whose times tie', () => {
    it('counts and pages a per-row filter exactly across keyset batches', { timeout: 120_000 }, async () => {
      const operator = await crowded.inspector.signIn('support', PASSWORDS.support);
      const v4 = await crowded.inspector.siteSessions(operator, { ip: '198.51.100.0/24' }, { limit: 1000 });
      expect(v4.total).toBe(3000);
      expect(v4.totalIsExact).toBe(true);
      const seen = new Set<string>();
      for (let offset = 0; offset < v4.total; offset += 1000) {
        const page = await crowded.inspector.siteSessions(operator, { ip: '198.51.100.0/24' }, { limit: 1000, offset });
        for (const s of page.sessions) {
          expect(s.hostname.startsWith('198.51.100.')).toBe(true);
          seen.add(s.sid);
        }
      }
      expect(seen.size).toBe(3000);
      const v6 = await crowded.inspector.siteSessions(operator, { ip: '2001:db8::/32' }, { limit: 10 });
      expect(v6.total).toBe(1500);
      expect(v6.byState.active + v6.byState.idle).toBe(1500);
    });
  });
});
