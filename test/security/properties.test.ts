/**
 * Property-based tests (fast-check) for the three promises the hardening issue names:
 * - the session-blob parser never throws, hangs or pollutes prototypes, whatever it reads;
 * - a revoke deletes exactly the targeted (uid, sid) rows and nothing else, on every
 *   engine, for random sets of users and sessions (and all-or-nothing when a sid is
 *   not the user's);
 * - no answer crossing IPC carries a secret, for random hostile rows.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/ipc/dispatcher.js';
import { phpassHash } from '../../src/core/auth/password.js';
import { drupalSessionData, randomSid, type SeedSession, type SeedUser } from '../../src/core/site-builder/seed.js';
import { createSqliteSite } from '../../src/core/site-builder/sqlite-site.js';
import { phpSerialize } from '../../src/core/drupal/php-serialize.js';
import { readSessionData } from '../../src/core/drupal/session-data.js';
import { ConsoleService } from '../../src/main/services/console-service.js';
import { NO_SECRET_BOX } from '../../src/main/services/secret-box.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { ENGINES } from '../support/engines.js';
import { inspectorFixture } from '../support/fixtures.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();
const REAL = '_sf2_attributes|a:1:{s:3:"uid";s:1:"1";}_sf2_meta|a:4:{s:1:"u";i:1531783486;s:1:"c";i:1530797167;s:1:"l";s:7:"2000000";s:1:"s";s:43:"5xz3vZ7xWVcSfs0pkkFpOGggAoKjpb-WL7YoQnIB4K8";}';

describe('the session-blob parser', () => {
  const prototypeKeys = () => [Object.getOwnPropertyNames(Object.prototype).sort(), Object.getOwnPropertyNames(Array.prototype).sort()];
  const before = prototypeKeys();
  const check = (input: string | Uint8Array) => {
    const started = Date.now();
    const facts = readSessionData(input);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(typeof facts.readable).toBe('boolean');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  };

  it('never throws or hangs on arbitrary text or bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), check), { numRuns: 2000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), check), { numRuns: 2000 });
  });

  it('never throws on mutations of a real blob (cut, spliced, lengths changed)', () => {
    const mutated = fc
      .tuple(fc.nat(REAL.length), fc.nat(REAL.length), fc.string({ maxLength: 12 }), fc.constantFrom('', 'O:8:"stdClass":0:{}', 'a:99999999:{', 's:-1:"', 'i:99999999999999999999;', '__proto__', 'a:1:{s:9:"__proto__";a:1:{s:8:"polluted";b:1;}}'))
      .map(([at, cut, noise, token]) => REAL.slice(0, Math.min(at, cut)) + noise + token + REAL.slice(Math.max(at, cut)));
    fc.assert(fc.property(mutated, check), { numRuns: 3000 });
  });

  it('never throws on deep or wide structures built from PHP\'s grammar', () => {
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 8 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'u', 'c', 's', 'uid', 'pass_reset_1', 'masquerading', 'x'), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('_sf2_attributes', '_sf2_meta', 'x'), value, { maxKeys: 3 }), (top) => {
        const blob = Object.entries(top).map(([key, v]) => `${key}|${phpSerialize(v as never)}`).join('');
        check(blob);
      }),
      { numRuns: 1000 },
    );
    check(`_sf2_meta|${'a:1:{i:0;'.repeat(5000)}`);
    expect(prototypeKeys()).toEqual(before);
  });
});

/** Random sessions of a few users, and a revoke request aimed at one of them. */
const scenario = fc
  .record({
    counts: fc.record({ member: fc.nat(5), zoe: fc.nat(5), support: fc.nat(3), quote: fc.nat(3) }),
    target: fc.constantFrom('member', 'zoe', 'support', 'quote'),
    mode: fc.constantFrom('all', 'some', 'some-plus-foreign'),
    picks: fc.array(fc.nat(20), { maxLength: 5 }),
  })
  .filter((s) => s.mode === 'all' || s.counts[s.target] > 0);

const USERS = { member: UID.member, zoe: UID.zoe, support: UID.support, quote: UID.quote } as const;

describe.each(ENGINES)('a revoke on %s', (engine) => {
  const f = inspectorFixture(engine, async () => (await buildDataset()).site, () => tempDir('si-prop-'));
  const skip = f.skip;

  it.skipIf(skip !== null)('deletes exactly the targeted (uid, sid) rows, and nothing when one is not theirs', { timeout: 120_000 }, async () => {
    const operator = await f.inspector.signIn('support', PASSWORDS.support);
    const table = f.testSite.table('sessions');
    const rows = async () =>
      new Set((await f.testSite.admin.all<{ uid: unknown; sid: unknown }>(`SELECT uid, sid FROM ${table}`)).map((r) => `${Number(r.uid)}:${String(r.sid)}`));
    await fc.assert(
      fc.asyncProperty(scenario, async ({ counts, target, mode, picks }) => {
        await f.testSite.admin.run(`DELETE FROM ${table}`);
        const sessions = Object.entries(counts).flatMap(([name, n]) =>
          Array.from({ length: n }, () => ({ uid: USERS[name as keyof typeof USERS], sid: randomSid() })),
        );
        for (const s of sessions) {
          await f.testSite.admin.run(`INSERT INTO ${table} (uid, sid, hostname, timestamp, session) VALUES (?, ?, ?, ?, ?)`, [s.uid, s.sid, '192.0.2.1', NOW - 5, null]);
        }
        const before = await rows();
        const uid = USERS[target];
        const own = sessions.filter((s) => s.uid === uid);
        const others = sessions.filter((s) => s.uid !== uid);
        if (mode === 'all') {
          const result = await f.inspector.revokeAll(operator, { uid });
          expect(new Set(result.revoked)).toEqual(new Set(own.map((s) => s.sid)));
          expect(await rows()).toEqual(new Set([...before].filter((key) => !key.startsWith(`${uid}:`))));
          return;
        }
        const chosen = [...new Set(picks.map((i) => own[i % own.length]!.sid))];
        if (chosen.length === 0) chosen.push(own[0]!.sid);
        const foreign = mode === 'some-plus-foreign' ? [others[0]?.sid ?? randomSid()] : [];
        const attempt = f.inspector.revoke(operator, { uid }, [...chosen, ...foreign]);
        if (foreign.length > 0) {
          expect((await attempt.then(() => null, (e: { code: string }) => e))?.code).toBe('NOT_FOUND');
          expect(await rows()).toEqual(before);
          return;
        }
        expect(new Set((await attempt).revoked)).toEqual(new Set(chosen));
        expect(await rows()).toEqual(new Set([...before].filter((key) => !chosen.some((sid) => key === `${uid}:${sid}`))));
      }),
      { numRuns: engine === 'sqlite' ? 60 : 30 },
    );
  });
});

describe('answers crossing IPC', () => {
  const hostile = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
  const rowsArb = fc.array(
    fc.record({ name: hostile, host: hostile, browser: hostile, extraKey: fc.constantFrom('pass_reset_7', 'csrf_token', 'token', 'x'), reset: fc.boolean() }),
    { minLength: 1, maxLength: 4 },
  );

  it('never carry a CSRF seed, a reset token, a stored token or a password hash', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const { site: base } = await buildDataset();
        const secrets: string[] = [];
        const users: SeedUser[] = rows.map((r, i) => {
          const pass = phpassHash(`pw${i}`, `salt${String(i).padStart(4, '0')}`, 7);
          secrets.push(pass);
          return { uid: 100 + i, name: `${r.name.slice(0, 40)}#${i}`, mail: null, pass, status: 1, created: NOW - 99, access: NOW - 9, login: NOW - 9, roles: [] };
        });
        const sessions: SeedSession[] = rows.map((r, i) => {
          const token = `SECRET${i}${randomSid().slice(0, 20)}`;
          secrets.push(token);
          let data = drupalSessionData({ uid: 100 + i, created: NOW - 50, updated: NOW - 5, browser: r.browser, passwordReset: r.reset });
          data = data.replace('_sf2_attributes|a:', `${r.extraKey}|${phpSerialize(token)}_sf2_attributes|a:`);
          // The CSRF seed and a reset token, found by their keys as the dataset does.
          for (const found of data.matchAll(/(?:s:1:"s"|pass_reset_\d+");s:\d+:"([^"]+)"/g)) secrets.push(found[1]!);
          return { uid: 100 + i, sid: randomSid(), hostname: r.host.slice(0, 100), timestamp: NOW - 5, data };
        });
        for (const user of base.users) if (user.pass) secrets.push(user.pass);
        const file = join(tempDir('si-ipcprop-'), 'drupal.sqlite');
        await createSqliteSite(file, { ...base, users: [...base.users, ...users], sessions: [...base.sessions, ...sessions] });

        const service = new ConsoleService({ dataHome: tempDir('si-ipcprop-home-'), secrets: NO_SECRET_BOX, chooseSqliteFile: async () => null, now: () => NOW });
        const page = 'file:///app/index.html';
        const dispatch = createDispatcher(service.handlers(), { isTrustedSender: (url) => url === page, isSignedIn: () => service.signedIn });
        const call = (channel: string, payload?: unknown) => dispatch(channel, { senderFrame: { url: page } }, payload);
        const answers: unknown[] = [];
        try {
          const profile = (await call('saveProfile', { name: 'p', engine: 'sqlite', file, prefix: '', readOnly: false, superUser: true })) as { ok: true; value: { id: string } };
          answers.push(profile, await call('connect', { profileId: profile.value.id }));
          answers.push(await call('signIn', { name: 'siteadmin', password: PASSWORDS.siteadmin }));
          answers.push(await call('searchUsers', { text: '', limit: 200, offset: 0 }));
          for (const user of users) answers.push(await call('listSessions', { uid: user.uid }));
          answers.push(await call('revokeAllSessions', { uid: users[0]!.uid, confirmName: users[0]!.name }));
          answers.push(await call('listAudit', { limit: 100 }), await call('status'));
        } finally {
          await service.dispose();
        }
        const text = JSON.stringify(answers);
        expect(answers.every((a) => (a as { ok: boolean }).ok)).toBe(true);
        for (const secret of secrets) expect(text).not.toContain(secret);
      }),
      // No shrinking: each run builds a site, and a failure should be reported, not minimised for minutes.
      { numRuns: 12, endOnFailure: true },
    );
  });
});
