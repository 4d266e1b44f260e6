/**
 * A user's sessions come a page at a time (newest first, through the uid index), with
 * the total and the count per state of all of them: the same on every engine, in the
 * app (IPC) and the CLI.
 */
import { describe, expect, it } from 'vitest';
import { randomSid } from '../../src/core/site-builder/seed.js';
import { runCliCaptured } from '../support/cli.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { createTestSite, ENGINES } from '../support/engines.js';
import { inspectorFixture } from '../support/fixtures.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();
const MANY = 1200;

async function siteWithMany() {
  const { site } = await buildDataset();
  // 100 active (within 15 min), 300 stale (older than gc_maxlifetime), the rest idle.
  const many = Array.from({ length: MANY }, (_, i) => ({
    uid: UID.member,
    sid: randomSid(),
    hostname: `192.0.2.${i % 250}`,
    timestamp: i < 100 ? NOW - i : i < 400 ? NOW - 300_000 - i : NOW - 3600 - i,
    data: null,
  }));
  return { ...site, sessions: [...site.sessions.filter((s) => s.uid !== UID.member), ...many] };
}

describe.each(ENGINES)('pages of sessions on %s', (engine) => {
  const f = inspectorFixture(engine, siteWithMany, () => tempDir('si-pages-'));

  it.skipIf(f.skip !== null)('pages newest first and counts every state of all of them', async () => {
    const admin = await f.inspector.signIn('siteadmin', PASSWORDS.siteadmin);
    const first = await f.inspector.sessions(admin, { uid: UID.member });
    expect(first.sessions).toHaveLength(500);
    expect(first).toMatchObject({ total: MANY, offset: 0, byState: { active: 100, idle: 800, stale: 300 } });
    const timestamps = first.sessions.map((s) => s.timestamp);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => b - a));
    const last = await f.inspector.sessions(admin, { uid: UID.member }, { offset: 1000, limit: 500 });
    expect(last.sessions).toHaveLength(200);
    expect(last.byState).toEqual(first.byState);
    const sids = new Set([...first.sessions, ...(await f.inspector.sessions(admin, { uid: UID.member }, { offset: 500 })).sessions, ...last.sessions].map((s) => s.sid));
    expect(sids.size).toBe(MANY);
  });

  it.skipIf(f.skip !== null)('previews a revoke of all of them with the first few and the total', async () => {
    const admin = await f.inspector.signIn('siteadmin', PASSWORDS.siteadmin);
    const preview = await f.inspector.previewRevoke(admin, { uid: UID.member }, 'all');
    expect(preview.total).toBe(MANY);
    expect(preview.sessions.length).toBeLessThanOrEqual(50);
  });
});

describe('the CLI', () => {
  it('pages with --limit and --offset, refuses more than 1000 a page, and says what is left', async () => {
    const site = await createTestSite('sqlite', await siteWithMany());
    try {
      const base = ['--db', (site.target as { file: string }).file, '--as', 'siteadmin', '--as-of', String(NOW)];
      const options = { home: tempDir('si-pages-cli-'), env: { SESSION_INSPECTOR_PASSWORD: PASSWORDS.siteadmin } };
      const json = await runCliCaptured([...base, '--json', 'sessions', `uid:${UID.member}`, '--limit', '10', '--offset', '20'], options);
      expect(json.json()).toMatchObject({ total: MANY, offset: 20, byState: { active: 100, idle: 800, stale: 300 } });
      expect((json.json().sessions as unknown[]).length).toBe(10);
      const text = await runCliCaptured([...base, 'sessions', `uid:${UID.member}`, '--limit', '10'], options);
      expect(text.stdout).toContain('Showing 1-10 of 1200 in all: 100 active, 800 idle, 300 stale. Next page: --offset 10');
      const tooMany = await runCliCaptured([...base, 'sessions', `uid:${UID.member}`, '--limit', '5000'], options);
      expect(tooMany.code).toBe(2);
      expect(tooMany.stderr).toMatch(/at most 1000/);
    } finally {
      await site.close();
    }
  });
});
