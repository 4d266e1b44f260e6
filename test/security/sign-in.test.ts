/**
 * Hardening 4, 6, 7, 12 (decoy) and the suspected cost and flood problems: how a
 * password is checked, and what stops sign-in from being abused.
 */
import { describe, expect, it } from 'vitest';
import { bcrypt } from 'hash-wasm';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { decoyHashLike, excessiveHashCost, hashShape, phpassHash, verifyPassword } from '../../src/core/auth/password.js';
import { SignInFlood } from '../../src/core/auth/sign-in-flood.js';
import { createSqliteSite } from '../../src/core/site-builder/sqlite-site.js';
import { typicalHash } from '../../src/core/drupal/users.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite } from '../../src/core/site.js';
import { ConsoleService } from '../../src/main/services/console-service.js';
import { NO_SECRET_BOX } from '../../src/main/services/secret-box.js';
import { runCliCaptured } from '../support/cli.js';
import { buildDataset, NOW, PASSWORDS } from '../support/dataset.js';
import { tempDirs } from '../support/temp.js';
import { join } from 'node:path';
import type { SeedUser } from '../../src/core/site-builder/seed.js';

const tempDir = tempDirs();
const salt = new Uint8Array(16).fill(3);
const bcryptOf = async (password: string | Uint8Array, cost = 4) =>
  (await bcrypt({ password, salt, costFactor: cost, outputType: 'encoded' })).replace(/^\$2a\$/, '$2y$');

/** A SQLite site with extra accounts; returns an inspector on it. */
async function siteWith(users: Array<Partial<SeedUser> & { uid: number; name: string; pass: string | null }>, options: { flood?: SignInFlood } = {}) {
  const { site } = await buildDataset();
  const file = join(tempDir('si-signin-'), 'drupal.sqlite');
  const base = { mail: null, status: 1 as const, created: NOW - 86400, access: NOW - 60, login: NOW - 60, roles: [] };
  await createSqliteSite(file, { ...site, users: [...site.users, ...users.map((u) => ({ ...base, ...u }))] });
  const opened = await openDrupalSite({ target: { engine: 'sqlite', file }, readOnly: false });
  const auditLog = AuditLog.in(tempDir('si-signin-home-'));
  return { file, site: opened, inspector: new Inspector(opened, { asOf: NOW, auditLog, ...(options.flood ? { signInFlood: options.flood } : {}) }) };
}

const failure = (promise: Promise<unknown>) => promise.then(() => null, (e: { code: string; message: string }) => e);

describe('empty passwords', () => {
  it('never match, even a stored hash of ""', async () => {
    const emptyPhpass = phpassHash('', 'emptysal', 7);
    // crypt(3) of "" (libxcrypt, the same bcrypt as PHP's): hash-wasm refuses to make one.
    const emptyBcrypt = '$2y$04$abcdefghijklmnopqrstuubyCG3zY1GIXMyxfivm.ClDiInHzxjiq';
    expect(await verifyPassword('', emptyPhpass)).toBe(false);
    expect(await verifyPassword('', emptyBcrypt)).toBe(false);
    const { inspector, site, file } = await siteWith([{ uid: 30, name: 'nopass', pass: emptyPhpass }, { uid: 31, name: 'nopass2', pass: emptyBcrypt }]);
    try {
      expect((await failure(inspector.signIn('nopass', '')))?.code).toBe('SIGN_IN_FAILED');
      expect((await failure(inspector.signIn('nopass2', '')))?.code).toBe('SIGN_IN_FAILED');
      // The CLI, with the password on stdin: exit 3.
      const cli = await runCliCaptured(['--db', file, '--as', 'nopass', '--password-stdin', 'whoami'], { home: tempDir('si-signin-cli-'), stdin: '\n' });
      expect(cli.code).toBe(3);
    } finally {
      await site.db.close();
    }
  });

  it('are refused through IPC too', async () => {
    const service = new ConsoleService({ dataHome: tempDir('si-signin-ipc-'), secrets: NO_SECRET_BOX, chooseSqliteFile: async () => null });
    try {
      await service.openDemo();
      const handlers = service.handlers();
      expect((await failure(handlers['signIn']({ name: 'admin', password: '' })))?.code).toBe('SIGN_IN_FAILED');
      expect(service.signedIn).toBe(false);
    } finally {
      await service.dispose();
    }
  });
});

describe('bcrypt and long passwords', () => {
  it('matches PHP: only the first 72 bytes count', async () => {
    const long = 'correct horse battery staple '.repeat(4); // 116 bytes
    // Written by crypt(3) (libxcrypt), which like PHP's crypt() reads 72 bytes and no more.
    expect(await verifyPassword(long, '$2y$04$abcdefghijklmnopqrstuu6rixEKGOItKC5i1MvdHHlmR36LXX0vG')).toBe(true);
    expect(await verifyPassword('é'.repeat(40), '$2b$04$ABCDEFGHIJKLMNOPQRSTUOSgx8O5yU1J6GRybIyNxpEci.edLZYo.')).toBe(true);
    const first72 = Buffer.from(long).subarray(0, 72);
    const stored = await bcryptOf(first72);
    expect(await verifyPassword(long, stored)).toBe(true);
    expect(await verifyPassword(`${long}and more`, stored)).toBe(true);
    expect(await verifyPassword(`X${long.slice(1)}`, stored)).toBe(false);
    // Multi-byte characters are cut by bytes, as PHP's crypt() cuts them.
    const accents = 'é'.repeat(40); // 80 bytes
    expect(await verifyPassword(accents, await bcryptOf(Buffer.from(accents).subarray(0, 72)))).toBe(true);
  });
});

describe('hostile hash parameters', () => {
  const hostile = {
    phpass: `$S$S${'abcdefgh'}${'A'.repeat(43)}`, // 2^30 rounds
    bcrypt: `$2y$31$${'A'.repeat(53)}`,
    argon2: `$argon2id$v=19$m=1048576,t=3,p=1$c2FsdHNhbHQ$${'A'.repeat(43)}`,
  };

  it('are named and not computed', async () => {
    for (const hash of Object.values(hostile)) expect(excessiveHashCost(hash)).not.toBeNull();
    expect(excessiveHashCost(phpassHash('x', 'abcdefgh', 16))).toBeNull();
    const started = Date.now();
    for (const hash of Object.values(hostile)) expect(await verifyPassword('anything', hash)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000); // would be minutes if computed
  });

  it('refuse the account with a clear message, and never slow down unknown users', async () => {
    const { inspector, site } = await siteWith([
      { uid: 40, name: 'slowpoke', pass: hostile.argon2, access: NOW },
      { uid: 41, name: 'slowpoke2', pass: hostile.phpass, access: NOW },
      { uid: 42, name: 'slowpoke3', pass: hostile.bcrypt, access: NOW },
    ]);
    try {
      const error = await failure(inspector.signIn('slowpoke', 'x'));
      expect(error?.code).toBe('SIGN_IN_FAILED');
      expect(error?.message).toMatch(/argon2 hash with m=1048576/);
      // The typical hash of this site is hostile now: the decoy falls back to the default.
      expect(decoyHashLike(hostile.bcrypt)).not.toBe(hostile.bcrypt);
      expect(excessiveHashCost(decoyHashLike(hostile.argon2))).toBeNull();
      const started = Date.now();
      expect((await failure(inspector.signIn('nobody', 'x')))?.code).toBe('SIGN_IN_FAILED');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await site.db.close();
    }
  });
});

describe('the decoy checked for unknown users', () => {
  it('is shaped like the hashes of recently active accounts, not like uid 1\'s', async () => {
    const recent = await bcryptOf('x', 5);
    const { site } = await siteWith(
      Array.from({ length: 6 }, (_, i) => ({ uid: 50 + i, name: `active${i}`, pass: recent, access: NOW - i })),
    );
    try {
      // uid 1 (root) has a $S$ hash; the active majority has bcrypt cost 05.
      const typical = await typicalHash(site);
      expect(hashShape(typical!)).toBe('$2y$05$');
      expect(hashShape(decoyHashLike(typical))).toBe('$2y$05$');
    } finally {
      await site.db.close();
    }
  });
});

describe('flood control', () => {
  it('stops a name after 5 failures in 6 hours, as Drupal does, and lets others in', async () => {
    let clock = NOW;
    const flood = new SignInFlood(join(tempDir('si-flood-'), 'sign-in-failures.json'), undefined, () => clock);
    const { inspector, site } = await siteWith([], { flood });
    try {
      for (let i = 0; i < 5; i++) expect((await failure(inspector.signIn('support', 'wrong')))?.message).toMatch(/Unrecognized/);
      const blocked = await failure(inspector.signIn('Support', PASSWORDS.support));
      expect(blocked?.code).toBe('SIGN_IN_FAILED');
      expect(blocked?.message).toMatch(/Too many failed sign-ins for "Support".*Try again after/);
      expect((await inspector.signIn('member', PASSWORDS.member)).name).toBe('member');
      clock += 6 * 3600 + 1;
      expect((await inspector.signIn('support', PASSWORDS.support)).name).toBe('Support');
    } finally {
      await site.db.close();
    }
  });

  it('stops the whole site after too many failures from this computer, and a success clears a name', async () => {
    const clock = NOW;
    const flood = new SignInFlood(join(tempDir('si-flood-'), 'f.json'), { perUser: { count: 3, windowSeconds: 3600 }, perSite: { count: 6, windowSeconds: 3600 } }, () => clock);
    const { inspector, site } = await siteWith([], { flood });
    try {
      await failure(inspector.signIn('support', 'wrong'));
      await failure(inspector.signIn('support', 'wrong'));
      await inspector.signIn('support', PASSWORDS.support); // clears support's count
      await failure(inspector.signIn('support', 'wrong'));
      await failure(inspector.signIn('support', 'wrong'));
      // 2 failures since the success: under the per-name limit of 3.
      expect((await inspector.signIn('support', PASSWORDS.support)).uid).toBeGreaterThan(0);
      await failure(inspector.signIn('nobody1', 'x'));
      await failure(inspector.signIn('nobody2', 'x'));
      // 6 failures on this site in the hour, successes or not in between.
      const error = await failure(inspector.signIn('member', PASSWORDS.member));
      expect(error?.message).toMatch(/Too many failed sign-ins on this site/);
    } finally {
      await site.db.close();
    }
  });

  it('keeps no typed name in its file, and survives a damaged file', async () => {
    const folder = tempDir('si-flood-');
    const flood = SignInFlood.in(folder);
    flood.recordFailure('sqlite:/srv/site.sqlite', 'my-secret-typed-into-the-name-field');
    const { readFileSync, writeFileSync } = await import('node:fs');
    expect(readFileSync(flood.file, 'utf8')).not.toContain('my-secret');
    writeFileSync(flood.file, '{not json');
    expect(() => flood.assertAllowed('sqlite:/srv/site.sqlite', 'x')).not.toThrow();
  });
});

describe('signing out while a sign-in is being checked', () => {
  it('wins: the pending sign-in does not sign anyone in', async () => {
    const service = new ConsoleService({ dataHome: tempDir('si-signout-'), secrets: NO_SECRET_BOX, chooseSqliteFile: async () => null });
    try {
      const demo = await service.openDemo();
      const handlers = service.handlers();
      const admin = demo.accounts.find((a) => a.name === 'support')!; // bcrypt cost 10: slow enough
      const pending = failure(handlers['signIn']({ name: admin.name, password: admin.password }));
      await handlers['signOut']();
      const error = await pending;
      expect(error?.code).toBe('NOT_SIGNED_IN');
      expect(service.signedIn).toBe(false);
      expect((await handlers['status']()).operator).toBeNull();
      // And a sign-in after that works as usual.
      expect((await handlers['signIn']({ name: admin.name, password: admin.password })).name).toBe('support');
    } finally {
      await service.dispose();
    }
  });
});
