/**
 * Hardening 3: a name that several accounts share apart from letter case. Drupal's form
 * prevents `bob` and `Bob`, but accounts made by code or migrations do not go through
 * it; on PostgreSQL the column is case-sensitive, and on MySQL the unique index is per
 * langcode. The exact spelling wins; a case-insensitive match of several is refused
 * (exit 5) naming the uids. The same in the inspector (IPC's sign-in too) and the CLI.
 */
import { describe, expect, it } from 'vitest';
import { phpassHash } from '../../src/core/auth/password.js';
import { randomSid, type SeedSite } from '../../src/core/site-builder/seed.js';
import { runCliCaptured } from '../support/cli.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { count, ENGINES } from '../support/engines.js';
import { inspectorFixture } from '../support/fixtures.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();
const BOB = 20;
const BIG_BOB = 21;

async function twoBobs(): Promise<SeedSite> {
  const { site } = await buildDataset();
  const base = { mail: null, status: 1 as const, created: NOW - 86400, access: NOW - 60, login: NOW - 60, roles: [] };
  return {
    ...site,
    users: [
      ...site.users,
      { ...base, uid: BOB, name: 'bob', pass: phpassHash('bob-password', 'bobsalt1', 7) },
      // Another langcode, so MySQL's case-insensitive unique (name, langcode) allows it.
      { ...base, uid: BIG_BOB, name: 'Bob', pass: phpassHash('Bob-password', 'bobsalt2', 7), langcode: 'fr' },
    ],
    sessions: [
      ...site.sessions,
      ...[BOB, BOB, BIG_BOB].map((uid, i) => ({ uid, sid: randomSid(), hostname: `192.0.2.${i + 1}`, timestamp: NOW - 100, data: null })),
    ],
  };
}

describe.each(ENGINES)('names that differ only in case, on %s', (engine) => {
  const f = inspectorFixture(engine, twoBobs, () => tempDir('si-names-'));
  const skip = f.skip;
  const sessionsOf = (uid: number) => count(f.testSite.admin, `SELECT COUNT(*) AS n FROM ${f.testSite.table('sessions')} WHERE uid = ?`, [uid]);

  it.skipIf(skip !== null)('takes the exact spelling first, and refuses a case-insensitive match of several', async () => {
    const admin = await f.inspector.signIn('siteadmin', PASSWORDS.siteadmin);
    expect((await f.inspector.sessions(admin, { name: 'bob' })).user.uid).toBe(BOB);
    expect((await f.inspector.sessions(admin, { name: 'Bob' })).user.uid).toBe(BIG_BOB);
    expect((await f.inspector.sessions(admin, { name: ' Bob ' })).user.uid).toBe(BIG_BOB);
    const error = await f.inspector.sessions(admin, { name: 'BOB' }).then(() => null, (e: { code: string; message: string }) => e);
    expect(error?.code).toBe('NOT_FOUND');
    expect(error?.message).toContain(`uid ${BOB} (bob)`);
    expect(error?.message).toContain(`uid ${BIG_BOB} (Bob)`);
    expect(error?.message).toContain('uid:');
    // A single case-insensitive match still resolves, as Drupal's login does.
    expect((await f.inspector.sessions(admin, { name: 'SUPPORT' })).user.uid).toBe(UID.support);
  });

  it.skipIf(skip !== null)('"revoke Bob --all" revokes Bob\'s sessions, never bob\'s', async () => {
    const admin = await f.inspector.signIn('siteadmin', PASSWORDS.siteadmin);
    expect((await f.inspector.revokeAll(admin, { name: 'Bob' })).revoked).toHaveLength(1);
    expect(await sessionsOf(BIG_BOB)).toBe(0);
    expect(await sessionsOf(BOB)).toBe(2);
    expect((await f.inspector.revokeAll(admin, { name: 'BOB' }).then(() => null, (e: { code: string }) => e))?.code).toBe('NOT_FOUND');
    expect(await sessionsOf(BOB)).toBe(2);
  });

  it.skipIf(skip !== null)('signs each in by their exact name, and refuses the ambiguous spelling', async () => {
    expect((await f.inspector.signIn('bob', 'bob-password')).uid).toBe(BOB);
    expect((await f.inspector.signIn('Bob', 'Bob-password')).uid).toBe(BIG_BOB);
    expect((await f.inspector.signIn('bob', 'Bob-password').then(() => null, (e: { code: string }) => e))?.code).toBe('SIGN_IN_FAILED');
    const error = await f.inspector.signIn('BOB', 'bob-password').then(() => null, (e: { code: string; message: string }) => e);
    expect(error?.code).toBe('SIGN_IN_FAILED');
    expect(error?.message).toMatch(/exactly as it is spelt/);
  });

  it.skipIf(skip !== null)('tells an inspect-own operator nothing about whether such accounts exist', async () => {
    const member = await f.inspector.signIn('member', PASSWORDS.member);
    expect((await f.inspector.sessions(member, { name: 'BOB' }).then(() => null, (e: { code: string }) => e))?.code).toBe('ACCESS_DENIED');
  });

  it.skipIf(skip !== null || engine !== 'sqlite')('the CLI: exit 5 with the uids for an ambiguous name, exact names work', async () => {
    const home = tempDir('si-names-cli-');
    const db = ['--db', `sqlite:${(f.testSite.target as { file: string }).file}`, '--as', 'siteadmin'];
    const env = { SESSION_INSPECTOR_PASSWORD: PASSWORDS.siteadmin };
    const ambiguous = await runCliCaptured([...db, 'sessions', 'BOB'], { home, env });
    expect(ambiguous.code).toBe(5);
    expect(ambiguous.stderr).toContain(`uid:${BOB}`);
    const exact = await runCliCaptured([...db, '--json', 'sessions', 'bob'], { home, env });
    expect(exact.code).toBe(0);
    expect((exact.json().user as { uid: number }).uid).toBe(BOB);
    const revoke = await runCliCaptured([...db, '--json', '--yes', 'revoke', 'BOB', '--all'], { home, env });
    expect(revoke.code).toBe(5);
    expect(await sessionsOf(BOB)).toBe(2);
  });
});
