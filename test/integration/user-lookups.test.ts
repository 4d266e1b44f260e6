/**
 * How users are found: `uid:<n>` and e-mail addresses are exact lookups (Drupal's
 * indexes), other text a substring; a reference may be an e-mail address; counts stop at
 * 100,000 and say so. On every engine.
 */
import { describe, expect, it } from 'vitest';
import { EXACT_TOTAL_LIMIT, searchKind, searchUsers } from '../../src/core/drupal/users.js';
import { openDrupalSite } from '../../src/core/site.js';
import { runCliCaptured } from '../support/cli.js';
import { buildDataset, PASSWORDS, UID } from '../support/dataset.js';
import { createTestSite, ENGINES } from '../support/engines.js';
import { inspectorFixture } from '../support/fixtures.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();

describe('search kinds', () => {
  it('tells an exact lookup from a substring search', () => {
    expect(searchKind('uid:42')).toEqual({ kind: 'uid', uid: 42 });
    expect(searchKind(' zoe@example.org ')).toEqual({ kind: 'mail', mail: 'zoe@example.org' });
    expect(searchKind('zoe@example.org', true)).toEqual({ kind: 'substring', text: 'zoe@example.org' });
    expect(searchKind('example.org')).toEqual({ kind: 'substring', text: 'example.org' });
    // A partial address, as typed into the search box, is still a substring.
    expect(searchKind('zoe@')).toEqual({ kind: 'substring', text: 'zoe@' });
    expect(searchKind('uid:42', true)).toEqual({ kind: 'substring', text: 'uid:42' });
  });
});

describe.each(ENGINES)('finding users on %s', (engine) => {
  const f = inspectorFixture(engine, async () => (await buildDataset()).site, () => tempDir('si-lookup-'));

  it.skipIf(f.skip !== null)('looks up uid:<n> and e-mail addresses exactly, in any letter case', async () => {
    const admin = await f.inspector.signIn('siteadmin', PASSWORDS.siteadmin);
    const search = (text: string, contains = false) => f.inspector.searchUsers(admin, text, { limit: 50, offset: 0, contains });
    expect((await search(`uid:${UID.zoe}`)).users.map((u) => u.uid)).toEqual([UID.zoe]);
    expect((await search('zoe@example.org')).users.map((u) => u.uid)).toEqual([UID.zoe]);
    expect((await search('ZOE@Example.org')).users.map((u) => u.uid)).toEqual([UID.zoe]);
    // An exact lookup does not find substrings; --contains does.
    expect((await search('oe@example.org')).total).toBe(0);
    expect((await search('oe@example.org', true)).users.map((u) => u.uid)).toEqual([UID.zoe]);
    expect((await search('example.org')).totalIsExact).toBe(true);
  });

  it.skipIf(f.skip !== null)('resolves a user reference given as an e-mail address', async () => {
    const admin = await f.inspector.signIn('siteadmin', PASSWORDS.siteadmin);
    expect((await f.inspector.sessions(admin, { mail: 'ZOE@example.org' })).user.uid).toBe(UID.zoe);
    const missing = await f.inspector.sessions(admin, { mail: 'nobody@example.org' }).then(() => null, (e: { code: string; message: string }) => e);
    expect(missing?.code).toBe('NOT_FOUND');
    expect(missing?.message).toMatch(/e-mail address "nobody@example.org"/);
    // A bare number is most likely a uid: say how to write one.
    const number = await f.inspector.sessions(admin, { name: '2' }).then(() => null, (e: { message: string }) => e);
    expect(number?.message).toMatch(/No user named "2".*write uid:2/);
  });
});

describe('the CLI', () => {
  it('takes an e-mail address for a user, and --contains for a substring search', async () => {
    const site = await createTestSite('sqlite', (await buildDataset()).site);
    try {
      const base = ['--db', (site.target as { file: string }).file, '--as', 'siteadmin', '--json'];
      const options = { home: tempDir('si-lookup-cli-'), env: { SESSION_INSPECTOR_PASSWORD: PASSWORDS.siteadmin } };
      const sessions = await runCliCaptured([...base, 'sessions', 'zoe@example.org'], options);
      expect((sessions.json().user as { uid: number }).uid).toBe(UID.zoe);
      const exact = await runCliCaptured([...base, 'users', 'oe@example.org'], options);
      expect(exact.json()).toMatchObject({ total: 0, totalIsExact: true });
      const contains = await runCliCaptured([...base, 'users', '--contains', '@example.org'], options);
      expect((contains.json().total as number)).toBeGreaterThan(3);
    } finally {
      await site.close();
    }
  });
});

describe('counting', () => {
  it(`stops at ${EXACT_TOTAL_LIMIT.toLocaleString('en')} matches and says the total is a lower bound`, { timeout: 60_000 }, async () => {
    // Built by the site builder: rows cannot be added afterwards without Drupal's collation.
    const { site: seed } = await buildDataset();
    const bulk = Array.from({ length: EXACT_TOTAL_LIMIT + 5 }, (_, i) => ({
      uid: 1000 + i, name: `bulk${1000 + i}`, mail: `bulk${1000 + i}@example.com`, pass: null, status: 1 as const, created: 0, access: 0, login: 0, roles: [],
    }));
    const site = await createTestSite('sqlite', { ...seed, users: [...seed.users, ...bulk] });
    try {
      const opened = await openDrupalSite({ target: site.target, readOnly: true });
      try {
        const page = await searchUsers(opened, { text: 'bulk', limit: 5, offset: 0 });
        expect(page).toMatchObject({ total: EXACT_TOTAL_LIMIT, totalIsExact: false });
        expect(page.users).toHaveLength(5);
        expect((await searchUsers(opened, { text: 'bulk1234', limit: 5, offset: 0 })).totalIsExact).toBe(true);
      } finally {
        await opened.db.close();
      }
    } finally {
      await site.close();
    }
  });
});
