/**
 * The demo site: a realistic Drupal SQLite database with users, sessions and sign-ins,
 * so a first start shows everything working without a real site. The app's "Open demo
 * site" makes it in the data folder; `session-inspector demo [file]` wherever asked.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { bcrypt, argon2id } from 'hash-wasm';
import { phpassHash } from '../auth/password.js';
import { drupalSessionData, randomSid, type SeedSession, type SeedUser } from './seed.js';
import { createSqliteSite } from './sqlite-site.js';

export const DEMO_ACCOUNTS = [
  { name: 'admin', password: 'demo-admin', role: 'Administrator: sees and revokes everyone' },
  { name: 'support', password: 'demo-support', role: 'Support: inspect other user sessions' },
  { name: 'jdoe', password: 'demo-jdoe', role: 'Member: inspect own user sessions only' },
];

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const SAFARI_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1';
const EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0';

const PEOPLE: Array<[string, string]> = [
  ['admin', 'webmaster@example.com'], ['support', 'support@example.com'], ['jdoe', 'jane.doe@example.com'],
  ['mrossi', 'marco.rossi@example.it'], ['akowalski', 'anna.kowalski@example.pl'], ['lchen', 'li.chen@example.cn'],
  ['sofia.garcia', 'sofia.garcia@example.es'], ['ohansen', 'ole.hansen@example.no'], ['Zoë Müller', 'zoe.mueller@example.de'],
  ['pnguyen', 'phuong.nguyen@example.vn'], ['editor.bot', 'bot@example.com'], ['kwilliams', 'k.williams@example.co.uk'],
  ['rpatel', 'raj.patel@example.in'], ['former.staff', 'former@example.com'], ['tdubois', 'thomas.dubois@example.fr'],
  ['ysato', 'yuki.sato@example.jp'], ['mjohnson', 'mike.johnson@example.com'], ['eivanova', 'elena.ivanova@example.bg'],
  ['dsilva', 'diego.silva@example.br'], ['hkim', 'hana.kim@example.kr'], ['guest.writer', 'guest@example.org'],
  ['nmensah', 'nana.mensah@example.gh'], ['cmartin', 'claire.martin@example.ca'], ['jschmidt', 'jonas.schmidt@example.at'],
];

export interface DemoSiteFiles {
  file: string;
  accounts: typeof DEMO_ACCOUNTS;
}

/** Writes a fresh demo database to `file` (replacing one there) and returns its sign-ins. */
export async function createDemoSite(file: string, options: { nativeBinding?: string; now?: number } = {}): Promise<DemoSiteFiles> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  mkdirSync(dirname(file), { recursive: true });
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  const salt = randomBytes(16);
  const passwords = {
    admin: phpassHash('demo-admin', randomBytes(6).toString('base64').replace(/\+/g, '.'), 15),
    support: (await bcrypt({ password: 'demo-support', salt, costFactor: 10, outputType: 'encoded' })).replace(/^\$2a\$/, '$2y$'),
    jdoe: await argon2id({ password: 'demo-jdoe', salt, iterations: 2, parallelism: 1, memorySize: 8192, hashLength: 32, outputType: 'encoded' }),
  };
  const day = 86400;
  const users: SeedUser[] = PEOPLE.map(([name, mail], i) => ({
    uid: i + 1,
    name,
    mail,
    pass: (passwords as Record<string, string>)[name] ?? null,
    status: name === 'former.staff' ? 0 : 1,
    created: now - (400 - i * 13) * day,
    access: now - (i * 7919) % (9 * day),
    login: now - (i * 7919) % (9 * day) - 600,
    roles:
      name === 'admin' ? ['administrator'] : name === 'support' ? ['support'] : name === 'editor.bot' || name === 'guest.writer' ? ['editor'] : ['member'],
  }));
  const uid = (name: string) => users.find((u) => u.name === name)!.uid;
  const session = (user: string, hostname: string, age: number, options: { browser?: string; masquerading?: number; passwordReset?: boolean; createdAgo?: number } = {}): SeedSession => ({
    uid: uid(user),
    sid: randomSid(),
    hostname,
    timestamp: now - age,
    data: drupalSessionData({
      uid: uid(user), created: now - (options.createdAgo ?? age + 3 * 3600), updated: now - age,
      ...(options.browser ? { browser: options.browser } : {}),
      ...(options.masquerading ? { masquerading: options.masquerading } : {}),
      ...(options.passwordReset ? { passwordReset: true } : {}),
    }),
  });
  const sessions: SeedSession[] = [
    session('admin', '192.0.2.10', 40, { browser: FIREFOX, createdAgo: 2 * day }),
    session('support', '198.51.100.23', 300, { browser: CHROME_MAC }),
    session('jdoe', '203.0.113.5', 120, { browser: FIREFOX, createdAgo: 5 * 3600 }),
    session('jdoe', '2001:db8:4:1::17', 2 * 3600, { browser: SAFARI_IOS, createdAgo: 3 * day }),
    session('jdoe', '203.0.113.77', 40 * 3600, { browser: EDGE, createdAgo: 6 * day }),
    session('jdoe', '198.51.100.200', 4 * day, { createdAgo: 9 * day }),
    // An administrator (admin, uid 1) is impersonating mrossi right now.
    session('mrossi', '192.0.2.10', 90, { browser: FIREFOX, masquerading: uid('admin'), createdAgo: 1200 }),
    session('mrossi', '2001:db8:85a3::8a2e:370:7334', 26 * 3600, { browser: CHROME_MAC }),
    // A one-time login link was used; the password has not been changed yet.
    session('akowalski', '203.0.113.41', 600, { passwordReset: true, browser: EDGE, createdAgo: 700 }),
    session('lchen', '::1', 3 * 3600, { browser: CHROME_MAC }),
    session('Zoë Müller', '2a02:db8:1234::1', 11 * 60, { browser: SAFARI_IOS }),
    session('Zoë Müller', '198.51.100.99', 3 * day, { browser: FIREFOX, createdAgo: 12 * day }),
    // Blocked since, but the row is still there.
    session('former.staff', '203.0.113.200', 20 * 3600, { browser: EDGE, createdAgo: 4 * day }),
    session('editor.bot', '10.20.30.40', 60, { createdAgo: 30 * day }),
    session('kwilliams', '198.51.100.14', 9 * 3600, { browser: SAFARI_IOS }),
    session('tdubois', '2001:db8::c0ff:ee', 45 * 60, { browser: FIREFOX }),
  ];
  // A user's last access is their latest request.
  for (const user of users) {
    const latest = Math.max(0, ...sessions.filter((s) => s.uid === user.uid).map((s) => s.timestamp));
    if (latest > 0) user.access = user.login = latest;
  }
  for (const user of users) user.login = Math.min(user.login, user.access);
  // The Persistent Login module ("remember me") is installed: these browsers would sign
  // their users back in after a revoke of the sessions alone.
  const token = (user: string, createdAgo: number, usedAgo: number, lifetime: number | null) => ({
    uid: uid(user), series: randomSid(), instance: randomSid(), created: now - createdAgo, refreshed: now - usedAgo,
    expires: lifetime === null ? 2147483647 : now - createdAgo + lifetime,
  });
  const rememberMe = [
    token('jdoe', 6 * day, 40 * 3600, 30 * day),
    token('jdoe', 9 * day, 4 * day, null),
    token('mrossi', 2 * day, 26 * 3600, 30 * day),
  ];
  await createSqliteSite(file, {
    roles: [
      { id: 'administrator', label: 'Administrator', isAdmin: true, permissions: [] },
      { id: 'support', label: 'Support', permissions: ['inspect other user sessions', 'access user profiles'] },
      { id: 'member', label: 'Member', permissions: ['inspect own user sessions'] },
      { id: 'editor', label: 'Editor', permissions: ['access content overview', 'create article content'] },
    ],
    users,
    sessions,
    rememberMe,
    // Drupal's default cache backend is the database: some accounts are cached, as after use.
    entityCache: ['admin', 'support', 'jdoe', 'mrossi'].map((name) => `values:user:${uid(name)}`),
  }, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  return { file, accounts: DEMO_ACCOUNTS };
}
