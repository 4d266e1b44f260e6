/**
 * The site the shared integration suite runs on: roles with and without the two
 * session_inspector permissions, accounts hashed with every algorithm Drupal uses,
 * awkward names, and sessions in every state.
 */
import { argon2id, bcrypt } from 'hash-wasm';
import { drupalSessionData, randomSid, type SeedSite, type SeedUser } from '../../src/core/site-builder/seed.js';

/** The fixed "now" of the suite: 2026-09-21T14:13:20Z. */
export const NOW = 1_790_000_000;

export const PASSWORDS = {
  root: 'drupal',
  siteadmin: 'drupal',
  support: 'support-pass',
  member: 'member-pass',
  editor: 'valid password',
  blocked: 'drupal',
};

/** Drupal core's own test vectors (docs/drupal-data-model.md, section 4). */
export const VECTORS = {
  drupalA: '$S$E4a4O.NdAXjqlYYciUSWTPJTsa2qODJPlosxyPHa4zG0BmcIPH.U',
  drupalB: '$S$EuRvs.uCgUvf2Y/KSQLXmm8WNxPcSt1SRPanz0RW6v33YrGtOFMa',
  validUpgraded: 'U$S$5vNHDQyLqCTvsYBLWBUWXJWhA0m3DTpBh04acFEOGB.bKBclhKgo',
};

export const UID = { root: 1, siteadmin: 2, support: 3, member: 4, editor: 5, blocked: 6, zoe: 7, percent: 8, underscore: 9, quote: 10, translated: 11 };

function makeSids() {
  return {
    memberActive: randomSid(),
    memberIdle: randomSid(),
    zoeActive: randomSid(),
    zoeMasquerade: randomSid(),
    zoeStale: randomSid(),
    zoeReset: randomSid(),
    zoeGarbled: randomSid(),
    blockedLeftover: randomSid(),
    supportOwn: randomSid(),
  };
}

export interface Dataset {
  site: SeedSite;
  sids: ReturnType<typeof makeSids>;
  /** A secret held in a session's data that must never come out. */
  secrets: string[];
}

const salt = new Uint8Array(16).fill(7);

export async function buildDataset(): Promise<Dataset> {
  // PHP's password_hash() writes $2y$; hash-wasm writes $2a$ for the same algorithm.
  const bcryptHash = (await bcrypt({ password: PASSWORDS.support, salt, costFactor: 4, outputType: 'encoded' })).replace(/^\$2a\$/, '$2y$');
  const argonHash = await argon2id({
    password: PASSWORDS.member, salt, iterations: 2, parallelism: 1, memorySize: 1024, hashLength: 32, outputType: 'encoded',
  });
  const user = (uid: number, name: string, mail: string | null, pass: string | null, roles: string[], extra: Partial<SeedUser> = {}): SeedUser => ({
    uid, name, mail, pass, roles, status: 1, created: NOW - 90 * 86400, access: NOW - 3600, login: NOW - 7200, ...extra,
  });
  const sids = makeSids();

  const data = (uid: number, age: number, extra: Parameters<typeof drupalSessionData>[0] extends infer O ? Partial<O> : never = {}) =>
    drupalSessionData({ uid, created: NOW - age - 600, updated: NOW - age, ...extra });
  const sessions = [
    { uid: UID.member, sid: sids.memberActive, hostname: '203.0.113.10', timestamp: NOW - 60, data: data(UID.member, 60, { browser: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' }) },
    { uid: UID.member, sid: sids.memberIdle, hostname: '2001:db8::5', timestamp: NOW - 5 * 3600, data: data(UID.member, 5 * 3600, { lifetime: '2000000' }) },
    { uid: UID.zoe, sid: sids.zoeActive, hostname: '198.51.100.7', timestamp: NOW - 120, data: data(UID.zoe, 120) },
    { uid: UID.zoe, sid: sids.zoeMasquerade, hostname: '::1', timestamp: NOW - 30, data: data(UID.zoe, 30, { masquerading: UID.siteadmin }) },
    { uid: UID.zoe, sid: sids.zoeStale, hostname: '192.0.2.44', timestamp: NOW - 300_000, data: data(UID.zoe, 300_000) },
    { uid: UID.zoe, sid: sids.zoeReset, hostname: '198.51.100.8', timestamp: NOW - 2000, data: data(UID.zoe, 2000, { passwordReset: true }) },
    { uid: UID.zoe, sid: sids.zoeGarbled, hostname: '198.51.100.9', timestamp: NOW - 4000, data: '_sf2_meta|a:4:{s:1:"u";i:12' },
    { uid: UID.blocked, sid: sids.blockedLeftover, hostname: '203.0.113.66', timestamp: NOW - 86400, data: data(UID.blocked, 86400) },
    { uid: UID.support, sid: sids.supportOwn, hostname: '10.0.0.5', timestamp: NOW - 10, data: data(UID.support, 10) },
  ];
  const secrets = sessions.flatMap((s) => {
    const seed = /s:1:"s";s:43:"([^"]+)"/.exec(String(s.data))?.[1];
    const reset = /pass_reset_\d+";s:\d+:"([^"]+)"/.exec(String(s.data))?.[1];
    return [seed, reset].filter((x): x is string => !!x);
  });
  return {
    sids,
    secrets,
    site: {
      roles: [
        { id: 'administrator', label: 'Administrator', isAdmin: true, permissions: [] },
        { id: 'support', label: 'Support', permissions: ['inspect other user sessions', 'access user profiles'] },
        { id: 'member', label: 'Member', permissions: ['inspect own user sessions'] },
        { id: 'editor', label: 'Editor', permissions: ['access content overview'] },
      ],
      users: [
        // uid 1 has no role: only the super-user rule gives it access.
        user(UID.root, 'root', 'root@example.com', VECTORS.drupalA, []),
        user(UID.siteadmin, 'siteadmin', 'siteadmin@example.com', VECTORS.drupalB, ['administrator']),
        user(UID.support, 'Support', 'support@example.com', bcryptHash, ['support']),
        user(UID.member, 'member', 'member@example.net', argonHash, ['member']),
        user(UID.editor, 'editor', 'editor@example.com', VECTORS.validUpgraded, ['editor']),
        user(UID.blocked, 'blocked', 'blocked@example.com', VECTORS.drupalA, ['support'], { status: 0 }),
        user(UID.zoe, 'Zoë Ünal', 'zoe@example.org', null, ['member']),
        user(UID.percent, '100%_sure', 'percent@example.org', null, []),
        user(UID.underscore, 'under_score', 'under@example.org', null, []),
        user(UID.quote, "O'Brien", 'obrien@example.org', null, [], { access: 0, login: 0 }),
        user(UID.translated, 'traduit', 'traduit@example.org', null, [], { translations: ['fr', 'de'] }),
      ],
      sessions,
    },
  };
}
