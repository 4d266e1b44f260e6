/**
 * The `session-inspector` contract: commands, JSON shapes, exit codes, confirmation.
 * Most cases run `runCli` in-process; a few spawn the real bin as a script would.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerTarget } from '../../src/core/db/target.js';
import { buildDataset, NOW, PASSWORDS, UID, type Dataset } from '../support/dataset.js';
import { drupalSessionData, randomSid } from '../../src/core/site-builder/seed.js';
import { ProfileStore } from '../../src/main/services/profiles.js';
import { NO_SECRET_BOX } from '../../src/main/services/secret-box.js';
import { count, createTestSite, unavailable, type TestSite } from '../support/engines.js';
import { runCliCaptured, type CliOptions, type CliRun } from '../support/cli.js';
import { tempDirs } from '../support/temp.js';

/** Temporary folders of this file, removed when its tests are done. */
const tempDir = tempDirs();

const run = promisify(execFile);
const BIN = join(process.cwd(), 'bin', 'session-inspector.js');

function cli(args: string[], options: Omit<CliOptions, 'home'> = {}): Promise<CliRun> {
  return runCliCaptured(args, { home, ...options });
}

let home: string;
let dataset: Dataset;
let site: TestSite;
let db: string[];
const as = (name: keyof typeof PASSWORDS) => ({ args: ['--as', name], env: { SESSION_INSPECTOR_PASSWORD: PASSWORDS[name] } });

beforeAll(async () => {
  home = tempDir('si-cli-home-');
  dataset = await buildDataset();
  site = await createTestSite('sqlite', dataset.site);
  db = ['--db', `sqlite:${(site.target as { file: string }).file}`, '--as-of', String(NOW)];
});

afterAll(async () => {
  await site?.close();
});

describe('session-inspector (in-process)', () => {
  it('whoami → the operator, roles and permissions', async () => {
    const r = await cli([...db, ...as('member').args, '--json', 'whoami'], { env: as('member').env });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ operator: { uid: UID.member, name: 'member', roles: ['authenticated', 'member'], canInspectOwn: true, canInspectOther: false, canAdministerUsers: false } });
    const text = await cli([...db, ...as('member').args, 'whoami'], { env: as('member').env });
    expect(text.stdout).toMatch(/Operator: +member \(uid 4\)/);
  });

  it('users → total and users, paged; a readable table without --json', async () => {
    const r = await cli([...db, ...as('support').args, '--json', 'users', 'example.org', '--limit', '2', '--offset', '1'], { env: as('support').env });
    expect(r.code).toBe(0);
    const value = r.json() as { total: number; users: Array<Record<string, unknown>> };
    expect(value.total).toBe(5);
    expect(value.users).toHaveLength(2);
    expect(Object.keys(value.users[0]!).sort()).toEqual(['access', 'created', 'login', 'mail', 'name', 'roles', 'sessionCount', 'status', 'uid']);
    const table = await cli([...db, ...as('support').args, 'users', 'zo'], { env: as('support').env });
    expect(table.stdout).toMatch(/UID +NAME +MAIL/);
    expect(table.stdout).toMatch(/Zoë Ünal +zoe@example.org +active +member +5/);
    // Sorted by session count (most first) or last access (most recent first), as JSON and a table.
    const bySessions = await cli([...db, ...as('support').args, '--json', 'users', '--sort', 'sessions', '--limit', '3'], { env: as('support').env });
    const counts = (bySessions.json() as { users: Array<{ sessionCount: number; name: string }> }).users.map((u) => u.sessionCount);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    expect((bySessions.json() as { users: Array<{ name: string }> }).users[0]!.name).toBe('Zoë Ünal');
    const bySeen = await cli([...db, ...as('support').args, '--json', 'users', '--sort', 'last-seen'], { env: as('support').env });
    const seen = (bySeen.json() as { users: Array<{ access: number | null }> }).users.map((u) => u.access ?? 0);
    expect(seen).toEqual([...seen].sort((x, y) => y - x));
    expect((await cli([...db, ...as('support').args, 'users', '--sort', 'age'], { env: as('support').env })).stderr).toMatch(/--sort takes name, last-seen or sessions, not "age"/);
    // Drupal's 0: an account never used says "never", not "unknown".
    expect((await cli([...db, ...as('support').args, 'users', 'brien'], { env: as('support').env })).stdout).toMatch(/O'Brien +obrien@example\.org +active +- +0 +never/);
  });

  it('sessions → asOf, user and sessions, with times in unix seconds and no secrets', async () => {
    const r = await cli([...db, ...as('support').args, '--json', 'sessions', 'uid:7'], { env: as('support').env });
    expect(r.code).toBe(0);
    const value = r.json() as { asOf: number; user: { uid: number }; sessions: Array<Record<string, unknown>> };
    expect(value.asOf).toBe(NOW);
    expect(value.user.uid).toBe(UID.zoe);
    expect(value.sessions[0]).toMatchObject({ sid: dataset.sids.zoeMasquerade, hostname: '::1', timestamp: NOW - 30, state: 'active', masqueradeBy: UID.siteadmin, browser: null, passwordReset: false });
    for (const key of ['sid', 'hostname', 'timestamp', 'created', 'lifetime', 'state', 'masqueradeBy', 'browser', 'passwordReset']) {
      expect(value.sessions[0]).toHaveProperty(key);
    }
    for (const secret of dataset.secrets) expect(r.stdout).not.toContain(secret);
    // The masquerading account is named, in the JSON and in the tables.
    expect(value.sessions[0]).toMatchObject({ masqueradeByName: 'siteadmin' });
    const table = await cli([...db, ...as('support').args, 'sessions', 'Zoë Ünal'], { env: as('support').env });
    expect(table.stdout).toMatch(/masquerade: siteadmin/);
    expect(table.stdout).toMatch(/reset pending/);
    expect(table.stdout).toMatch(/unreadable/);
    const wide = await cli([...db, ...as('support').args, '--wide', 'sessions', 'Zoë Ünal'], { env: as('support').env });
    expect(wide.stdout).toMatch(/masquerade by siteadmin \(uid 2\)/);
    expect(wide.stdout).toMatch(/password reset pending/);
    expect(wide.stdout).toMatch(/data unreadable/);
  });

  it.each([
    { name: 'a usage error', args: ['whoami', '--frobnicate'], password: 'support', exit: 2, code: 'USAGE' },
    { name: 'a wrong password', args: ['whoami'], password: 'wrong', exit: 3, code: 'SIGN_IN_FAILED' },
    { name: 'an unknown operator', args: ['--as', 'ghost', 'whoami'], password: 'support', exit: 3, code: 'SIGN_IN_FAILED' },
    { name: 'a blocked operator', args: ['--as', 'blocked', 'whoami'], password: 'drupal', exit: 3, code: 'SIGN_IN_FAILED' },
    { name: 'an operator without the permission', args: ['--as', 'editor', 'sessions', 'editor'], password: PASSWORDS.editor, exit: 4, code: 'ACCESS_DENIED' },
    { name: 'inspect-own asking for someone else', args: ['--as', 'member', 'sessions', 'uid:7'], password: PASSWORDS.member, exit: 4, code: 'ACCESS_DENIED' },
    { name: 'an unknown user', args: ['sessions', 'nobody'], password: 'support', exit: 5, code: 'NOT_FOUND' },
    { name: 'revoking another user\'s sid', args: ['--yes', 'revoke', 'uid:7', 'SID_OF_MEMBER'], password: 'support', exit: 5, code: 'NOT_FOUND' },
    { name: 'a read-only revoke', args: ['--read-only', '--yes', 'revoke', 'uid:7', '--all'], password: 'support', exit: 7, code: 'READ_ONLY' },
  ])('$name → exit $exit and error code $code', async ({ args, password, exit, code }) => {
    const before = await count(site.admin, 'SELECT COUNT(*) AS n FROM sessions');
    const pass = password === 'support' ? PASSWORDS.support : password;
    const final = args.map((a) => (a === 'SID_OF_MEMBER' ? dataset.sids.memberActive : a));
    const r = await cli([...db, '--as', 'support', '--json', ...final], { env: { SESSION_INSPECTOR_PASSWORD: pass } });
    expect(r.code).toBe(exit);
    const error = (r.json() as { error: { code: string; message: string } }).error;
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
    expect(await count(site.admin, 'SELECT COUNT(*) AS n FROM sessions')).toBe(before);
  });

  it('sessions --site → the site\'s sessions with their owners, filtered, as JSON and as a table', async () => {
    const r = await cli([...db, ...as('support').args, '--json', 'sessions', '--site', '--ip', '198.51.100.0/24', '--state', 'active,idle'], { env: as('support').env });
    expect(r.code).toBe(0);
    const value = r.json() as { total: number; totalIsExact: boolean; byState: Record<string, number>; sessions: Array<Record<string, unknown>> };
    expect(value.total).toBe(3);
    expect(value.totalIsExact).toBe(true);
    expect(value.sessions.map((s) => s.sid).sort()).toEqual([dataset.sids.zoeActive, dataset.sids.zoeReset, dataset.sids.zoeGarbled].sort());
    expect(value.sessions[0]).toMatchObject({ uid: UID.zoe, name: 'Zoë Ünal', ownerStatus: 'active', lastUsed: NOW - 120 });
    expect(value.sessions[0]).not.toHaveProperty('timestamp');
    for (const secret of dataset.secrets) expect(r.stdout).not.toContain(secret);

    const table = await cli([...db, ...as('support').args, 'sessions', '--site', '--blocked'], { env: as('support').env });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/SID +UID +USER +STATE +IP/);
    expect(table.stdout).toMatch(/6 +blocked \(blocked\) +idle +203\.0\.113\.66/);
    expect(table.stdout).toMatch(/Showing 1-1 of 1 in all: 0 active, 1 idle, 0 stale\./);

    const own = await cli([...db, ...as('member').args, '--json', 'sessions', '--site'], { env: as('member').env });
    expect((own.json() as { sessions: Array<{ uid: number }> }).sessions.every((s) => s.uid === UID.member)).toBe(true);
  });

  it('sessions --site refuses what it cannot mean: a bad range, state or time, a filter of another command, too large a page', async () => {
    const env = as('support').env;
    const refused = async (args: string[], message: RegExp) => {
      const r = await cli([...db, ...as('support').args, ...args], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    };
    await refused(['sessions', '--site', '--ip', '10.0.0.0/40'], /prefix length must be between 0 and 32/);
    await refused(['sessions', '--site', '--state', 'asleep'], /--state takes active, idle and\/or stale/);
    await refused(['sessions', '--site', '--used-after', 'yesterday'], /--used-after takes a unix time or an ISO-8601 date/);
    await refused(['sessions', '--site', '--limit', '1001'], /--limit for sessions --site is at most 1000/);
    await refused(['sessions', 'uid:7', '--ip', '10.0.0.1'], /--ip does not go with "sessions"/);
    await refused(['sessions', '--site', 'zoe'], /sessions --site takes no user/);
  });

  it('revoke --site: needs a filter; --dry-run lists; --expect mismatch revokes nothing (exit 8, CHANGED); --yes revokes exactly the matches', async () => {
    const env = as('support').env;
    const base = [...db, ...as('support').args];
    const zoeCount = () => count(site.admin, `SELECT COUNT(*) AS n FROM ${site.table('sessions')} WHERE uid = ?`, [UID.zoe]);
    const before = await zoeCount();
    const range = ['--ip', '198.51.100.0/24'];

    const noFilter = await cli([...base, 'revoke', '--site', '--yes'], { env });
    expect(noFilter.code).toBe(2);
    expect(noFilter.stderr).toMatch(/needs a filter/);

    const dry = await cli([...base, '--json', 'revoke', '--site', ...range, '--dry-run'], { env });
    expect(dry.code).toBe(0);
    const plan = dry.json() as { dryRun: boolean; total: number; sessions: Array<{ uid: number; sid: string; lastUsed: number }> };
    expect(plan).toMatchObject({ dryRun: true, total: 3 });
    expect(plan.sessions.map((s) => s.sid).sort()).toEqual([dataset.sids.zoeActive, dataset.sids.zoeReset, dataset.sids.zoeGarbled].sort());
    const dryText = await cli([...base, 'revoke', '--site', ...range, '--dry-run'], { env });
    expect(dryText.stdout).toMatch(/Dry run: 3 sessions of 1 user would be revoked\. Revoke them with --yes --expect 3\./);
    expect(await zoeCount()).toBe(before);

    const noYes = await cli([...base, 'revoke', '--site', ...range], { env });
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/match 3 sessions of 1 user\. To revoke them, add --yes, and --expect 3/);

    const changed = await cli([...base, '--json', 'revoke', '--site', ...range, '--expect', '2', '--yes'], { env });
    expect(changed.code).toBe(8);
    expect(changed.json()).toMatchObject({ error: { code: 'CHANGED', message: expect.stringMatching(/not the 2 you expected/) } });
    expect(await zoeCount()).toBe(before);

    const done = await cli([...base, '--json', 'revoke', '--site', ...range, '--expect', '3', '--yes'], { env });
    expect(done.code).toBe(0);
    const result = done.json() as { revoked: Array<{ uid: number; sid: string }>; total: number };
    expect(result.total).toBe(3);
    expect(result.revoked.map((s) => s.sid).sort()).toEqual(plan.sessions.map((s) => s.sid).sort());
    expect(result.revoked.every((s) => s.uid === UID.zoe)).toBe(true);
    expect(await zoeCount()).toBe(before - 3);

    const nothing = await cli([...base, 'revoke', '--site', ...range, '--yes'], { env });
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toMatch(/No sessions match; nothing was revoked/);
  });

  it('revoke --all --block needs "administer users"; unblock puts the account back, both confirmed', async () => {
    const status = async () => (await site.admin.all<{ status: unknown }>(`SELECT status FROM ${site.table('users_field_data')} WHERE uid = ?`, [UID.editor]))[0]!.status;
    const denied = await cli([...db, ...as('support').args, '--json', '--yes', 'revoke', 'uid:5', '--all', '--block'], { env: as('support').env });
    expect(denied.code).toBe(4);
    expect(Number(await status())).toBe(1);
    expect((await cli([...db, ...as('siteadmin').args, 'revoke', 'uid:5', 'ABC', '--block'], { env: as('siteadmin').env })).stderr).toMatch(/--block goes with --all/);

    const blocked = await cli([...db, ...as('siteadmin').args, '--json', '--yes', 'revoke', 'uid:5', '--all', '--block'], { env: as('siteadmin').env });
    expect(blocked.code).toBe(0);
    expect(blocked.json()).toMatchObject({ blocked: true, warnings: [expect.stringMatching(/no cache_entity table.*drush cr/)] });
    expect(Number(await status())).toBe(0);
    const text = await cli([...db, ...as('siteadmin').args, '--yes', 'unblock', 'uid:5'], { env: as('siteadmin').env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Unblocked editor \(uid 5\): the account can sign in again\./);
    expect(text.stderr).toMatch(/^Warning: This site keeps no entity cache/m);
    expect(Number(await status())).toBe(1);
    expect((await cli([...db, ...as('siteadmin').args, '--json', 'unblock', 'uid:5'], { env: as('siteadmin').env })).code).toBe(2);
  });

  it('ips and anomalies → addresses with their accounts, and what stands out, as JSON and text', async () => {
    const env = as('support').env;
    const ips = await cli([...db, ...as('support').args, '--json', 'ips', '--ip', '203.0.113.0/24'], { env });
    expect(ips.code).toBe(0);
    expect(ips.json()).toMatchObject({ total: 2, ips: [{ ip: expect.stringMatching(/^203\.0\.113\./), accounts: 1, sessions: 1 }, {}] });
    const table = await cli([...db, ...as('support').args, 'ips'], { env });
    expect(table.stdout).toMatch(/IP +WHERE +ACCOUNTS +SESSIONS +LAST USED/);
    const anomalies = await cli([...db, ...as('support').args, '--json', 'anomalies', '--max-idle', '15m'], { env });
    expect(anomalies.code).toBe(0);
    expect(anomalies.json()).toMatchObject({ policy: { maxAge: 86400, maxIdle: 900 } });
    const text = await cli([...db, ...as('support').args, 'anomalies'], { env });
    expect(text.stdout).toMatch(/^Anomalies as of .* \(policy: sessions at most 1 day old, 1 h idle\)/);
    expect(text.stdout).toMatch(/- blocked-owner: 1 session of blocked accounts/);
    const bad = await cli([...db, ...as('support').args, 'anomalies', '--max-age', 'forever'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-age takes a duration such as 3600, 15m, 24h or 7d/);
  });

  it('--format csv and json export every listing, with a meta object and never a secret; audit lists the local log', async () => {
    const env = as('support').env;
    const base = [...db, ...as('support').args];
    const users = await cli([...base, '--format', 'csv', 'users', 'example.org'], { env });
    expect(users.code).toBe(0);
    const lines = users.stdout.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('uid,name,mail,status,roles,sessions,created,access,login');
    expect(lines).toHaveLength(6);
    expect(lines.some((l) => l.startsWith(`${UID.zoe},Zoë Ünal,zoe@example.org,active,member,`))).toBe(true);

    const site = await cli([...base, '--format', 'csv', 'sessions', '--site', '--anonymous'], { env });
    const siteLines = site.stdout.split('\r\n').filter(Boolean);
    expect(siteLines[0]).toBe('uid,name,ownerStatus,sid,hostname,country,addressKind,state,created,lastUsed,lifetime,masqueradeBy,passwordReset,client,browser,readable');
    expect(siteLines.length).toBeGreaterThan(3);
    for (const secret of dataset.secrets) expect(site.stdout).not.toContain(secret);

    const json = await cli([...base, '--format', 'json', 'sessions', 'uid:7'], { env });
    const value = json.json() as { sessions: unknown[]; meta: Record<string, unknown> };
    expect(value.meta).toEqual({ site: expect.stringMatching(/^sqlite:/), asOf: NOW, operator: { uid: UID.support, name: 'Support' }, tool: expect.stringMatching(/^session-inspector \d+\.\d+\.\d+$/) });
    expect(value.sessions.length).toBeGreaterThan(0);

    const audit = await cli([...base, '--json', 'audit', '--limit', '2'], { env });
    expect(audit.code).toBe(0);
    expect((audit.json() as { entries: unknown[] }).entries.length).toBeLessThanOrEqual(2);
    const auditCsv = await cli([...base, '--format', 'csv', 'audit', '--user', 'uid:7'], { env });
    expect(auditCsv.stdout.split('\r\n')[0]).toBe('time,operatorUid,operator,targetUid,target,action,sidPrefix,hostname,rememberMeTokens,accountStatus,unconfirmed');
    expect(auditCsv.stdout.split('\r\n').filter(Boolean).slice(1).every((l) => l.split(',')[3] === String(UID.zoe))).toBe(true);
    const auditText = await cli([...base, 'audit'], { env });
    expect(auditText.stdout).toMatch(/TIME +OPERATOR +USER +ACTION +SESSION +IP|No revokes of this site/);

    expect((await cli([...base, '--format', 'xml', 'users'], { env })).stderr).toMatch(/--format takes csv or json/);
    expect((await cli([...base, '--format', 'csv', 'whoami'], { env })).stderr).toMatch(/--format goes with a listing/);
  });

  it('--geoip adds cities and networks from the operator\'s own MaxMind files; a bad one is a usage error', async () => {
    const env = { ...as('support').env };
    const maxmind = (name: string) => join(process.cwd(), 'test', 'fixtures', 'maxmind', name);
    const run = await cli([...db, ...as('support').args, '--geoip', maxmind('GeoLite2-City-Test.mmdb'), '--json', 'ips'], { env });
    expect(run.code).toBe(0);
    const bad = await cli([...db, ...as('support').args, '--geoip', maxmind('LICENSE-MIT'), 'ips'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not a MaxMind database/);
    const fromEnv = await cli([...db, ...as('support').args, 'ips'], { env: { ...env, SESSION_INSPECTOR_GEOIP: maxmind('LICENSE-MIT') } });
    expect(fromEnv.code).toBe(2);
  });

  it('helps per command, and names the option a typo meant', async () => {
    const help = await cli(['sessions', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: session-inspector .* sessions …/);
    expect(help.stdout).toMatch(/sessions --site \[filters\]/);
    expect(help.stdout).not.toMatch(/revoke <user>/);
    expect((await cli(['help', 'revoke'])).stdout).toMatch(/revoke --site \[filters\] --dry-run/);
    const unknown = await cli(['help', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/There is no command "frobnicate"/);
    const typo = await cli([...db, '--as', 'support', '--readonly', 'whoami']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/Unknown option --readonly\. Did you mean --read-only\?/);
    expect((await cli([...db, '--as'])).stderr).toMatch(/--as needs a value/);
  });

  it('fits its tables in 100 columns with the longest values; --wide shows every column in full; a shown sid prefix revokes', async () => {
    const name = 'Maximiliane Alexandra Konstantinopoulou-Vandenberghe-Smithso';
    expect([...name]).toHaveLength(60);
    const ipv6 = '2001:0db8:85a3:0000:0000:8a2e:0370:7334';
    const agent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0';
    const sid = randomSid();
    const long = await createTestSite('sqlite', {
      ...dataset.site,
      users: [...dataset.site.users, { uid: 90, name, mail: 'maximiliane.konstantinopoulou@example.org', pass: null, status: 1, created: NOW - 86400, access: NOW - 60, login: NOW - 60, roles: dataset.site.roles.map((r) => r.id) }],
      sessions: [...dataset.site.sessions, { uid: 90, sid, hostname: ipv6, timestamp: NOW - 60, data: drupalSessionData({ uid: 90, created: NOW - 7200, updated: NOW - 60, browser: agent, masquerading: UID.siteadmin, passwordReset: true }) }],
    });
    try {
      const longDb = ['--db', (long.target as { file: string }).file, '--as-of', String(NOW), ...as('siteadmin').args];
      const env = as('siteadmin').env;
      const width = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));
      const widest = (text: string) => text.split('\n').reduce((a, b) => ([...b].length > [...a].length ? b : a), '');
      for (const command of [['users'], ['sessions', 'uid:90'], ['sessions', '--site'], ['ips'], ['revoke', '--site', '--ip', ipv6, '--dry-run']]) {
        const narrow = await cli([...longDb, ...command], { env });
        expect(narrow.code, command.join(' ')).toBe(0);
        expect(width(narrow.stdout), `${command.join(' ')}: ${widest(narrow.stdout)}`).toBeLessThanOrEqual(100);
        expect(narrow.stdout, command.join(' ')).toContain(ipv6.startsWith('2001') && command[0] === 'users' ? 'Maximiliane' : ipv6);
      }
      const narrow = await cli([...longDb, 'sessions', 'uid:90'], { env });
      // Never cut: the address, the masquerading account, the state (the browser gives way first).
      expect(narrow.stdout).toMatch(new RegExp(`${sid.slice(0, 8)}… +active +${ipv6} .*masquerade: siteadmin`));
      expect(narrow.stdout).not.toContain(sid);
      const wide = await cli([...longDb, '--wide', 'sessions', 'uid:90'], { env });
      expect(width(wide.stdout)).toBeGreaterThan(200);
      for (const full of [sid, agent, 'Edge 142 on Windows', 'masquerade by siteadmin (uid 2); password reset pending']) expect(wide.stdout).toContain(full);
      // The prefix as the table shows it, "…" and all, names the session.
      const revoked = await cli([...longDb, '--json', '--yes', 'revoke', 'uid:90', `${sid.slice(0, 8)}…`], { env });
      expect(revoked.json()).toMatchObject({ revoked: [sid] });
    } finally {
      await long.close();
    }
  });

  it('access denied names the missing permissions and who has them, or says the site has no session_inspector module', async () => {
    const editor = await cli([...db, '--as', 'editor', 'sessions', 'editor'], { env: { SESSION_INSPECTOR_PASSWORD: PASSWORDS.editor } });
    expect(editor.code).toBe(4);
    expect(editor.stderr).toMatch(/has neither "inspect own user sessions" nor "inspect other user sessions"\. Roles that have them: Member, Support; ask a site administrator for one\./);
    const who = await cli([...db, '--as', 'editor', '--json', 'whoami'], { env: { SESSION_INSPECTOR_PASSWORD: PASSWORDS.editor } });
    expect(who.json()).toMatchObject({ operator: { canInspectOwn: false, noAccess: expect.stringMatching(/Roles that have them: Member, Support/) } });
    // The same site without the module: no role has its permissions.
    const bare = await createTestSite('sqlite', {
      ...dataset.site,
      roles: dataset.site.roles.map((role) => ({ ...role, permissions: role.permissions.filter((p) => !p.startsWith('inspect ')) })),
    });
    try {
      const refused = await cli(['--db', (bare.target as { file: string }).file, '--as', 'support', 'sessions', 'uid:7'], { env: as('support').env });
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(/no role on this site has them: the session_inspector module is most likely not installed\. Sign in with an administrator account \(role: Administrator\)/);
      expect(refused.stderr).not.toMatch(/ask a site administrator/);
    } finally {
      await bare.close();
    }
  });

  it('--profile uses a connection saved in the app: its file, prefix, read-only and as-of; flags add to it', async () => {
    const store = new ProfileStore(home, NO_SECRET_BOX);
    store.save({ name: 'Suite snapshot', engine: 'sqlite', file: (site.target as { file: string }).file, prefix: '', readOnly: true, superUser: true, asOf: NOW - 60 });
    const saved = await cli(['--profile', 'suite SNAPSHOT', ...as('support').args, '--json', 'sessions', 'uid:7'], { env: as('support').env });
    expect(saved.code).toBe(0);
    expect(saved.json()).toMatchObject({ asOf: NOW - 60, user: { uid: UID.zoe } });
    // Read-only as saved: a revoke is refused (exit 7), whatever the command line says.
    expect((await cli(['--profile', 'Suite snapshot', ...as('support').args, '--json', '--yes', 'revoke', 'uid:7', '--all'], { env: as('support').env })).code).toBe(7);
    // A flag wins over the saved field.
    const now = await cli(['--profile', 'Suite snapshot', '--as-of', String(NOW), ...as('support').args, '--json', 'sessions', 'uid:7'], { env: as('support').env });
    expect(now.json()).toMatchObject({ asOf: NOW });
    const unknown = await cli(['--profile', 'Production', ...as('support').args, 'whoami'], { env: as('support').env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No saved connection is named "Production"\. Saved connections: "Suite snapshot"\./);
    expect((await cli(['--profile', 'Suite snapshot', '--db', 'x.sqlite', ...as('support').args, 'whoami'])).stderr).toMatch(/Give either --db or --profile, not both\./);
  });

  it('demo writes a demo site to start with, prints its sign-ins, and never replaces a file', async () => {
    const file = join(tempDir('si-demo-'), 'demo site.sqlite');
    const made = await cli(['demo', file]);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(`Created a demo Drupal site: ${file}`);
    expect(made.stdout).toMatch(/support +password demo-support +Support: inspect other user sessions/);
    expect(made.stdout).toContain(`session-inspector --db ${JSON.stringify(file)} --as support sessions --site`);
    const board = await cli(['--db', file, '--as', 'support', '--json', 'sessions', '--site'], { env: { SESSION_INSPECTOR_PASSWORD: 'demo-support' } });
    expect(board.code).toBe(0);
    expect((board.json() as { total: number }).total).toBeGreaterThan(10);
    const before = readFileSync(file);
    const again = await cli(['demo', file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; demo writes a new site/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect((await cli(['--json', 'demo', join(tempDir('si-demo-'), 'd.sqlite')])).json()).toMatchObject({ accounts: [{ name: 'admin' }, { name: 'support' }, { name: 'jdoe' }] });
  });

  it('warns when the as-of time is earlier than the data\'s own activity, on stderr and in the JSON', async () => {
    const early = ['--db', db[1]!, '--as-of', String(NOW - 3600), ...as('support').args];
    const text = await cli([...early, 'sessions', 'uid:7'], { env: as('support').env });
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/^Warning: \d+ sessions? (was|were) used or created after the as-of time .* not meaningful as of then/m);
    const json = await cli([...early, '--json', 'sessions', '--site'], { env: as('support').env });
    expect((json.json() as { warnings: string[] }).warnings).toEqual([expect.stringMatching(/after the as-of time/)]);
    // As of now, nothing to say.
    expect((await cli([...db, ...as('support').args, 'sessions', 'uid:7'], { env: as('support').env })).stderr).toBe('');
  });

  it('exit 6 for database problems: missing file, not SQLite, wrong prefix, hostile prefix refused as usage', async () => {
    const folder = tempDir('si-cli-bad-');
    writeFileSync(join(folder, 'x.txt'), 'hello '.repeat(1000));
    const env = as('support').env;
    for (const target of [join(folder, 'missing.sqlite'), join(folder, 'x.txt')]) {
      const r = await cli(['--db', target, ...as('support').args, 'whoami'], { env });
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/^session-inspector: /);
    }
    const wrongPrefix = await cli([...db, '--prefix', 'nope', ...as('support').args, '--json', 'whoami'], { env });
    expect(wrongPrefix.code).toBe(6);
    const hostile = await cli([...db, '--prefix', 'x; DROP TABLE users', ...as('support').args, '--json', 'whoami'], { env });
    expect(hostile.code).toBe(2);
    expect((hostile.json() as { error: { message: string } }).error.message).toMatch(/Invalid table prefix/);
  });

  it('revoke needs --yes without a terminal or with --json, and asks on a terminal', async () => {
    const env = as('siteadmin').env;
    const target = ['revoke', 'member', dataset.sids.memberIdle];
    const noTty = await cli([...db, ...as('siteadmin').args, ...target], { env });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/--yes/);
    const json = await cli([...db, ...as('siteadmin').args, '--json', ...target], { env });
    expect(json.code).toBe(2);
    // On a terminal: "n" cancels, nothing changes.
    const cancelled = await cli([...db, ...as('siteadmin').args, ...target], { env, tty: true, stdin: 'n\n' });
    // Saying no is not an error: exit 0, and it says so.
    expect(cancelled.code).toBe(0);
    expect(cancelled.stderr).toMatch(/Nothing was revoked\./);
    expect(cancelled.stderr).toMatch(/About to revoke 1 session\(s\) of member/);
    expect(cancelled.stderr).toMatch(/2001:db8::5/);
    expect(await count(site.admin, 'SELECT COUNT(*) AS n FROM sessions WHERE uid = ?', [UID.member])).toBe(2);
    // "y" revokes.
    const confirmed = await cli([...db, ...as('siteadmin').args, ...target], { env, tty: true, stdin: 'y\n' });
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toMatch(/Revoked 1 session of member/);
    expect(await count(site.admin, 'SELECT COUNT(*) AS n FROM sessions WHERE uid = ?', [UID.member])).toBe(1);
  });

  it('revoke --all --yes --json → {"revoked":[…]}, logged in the audit log under SESSION_INSPECTOR_HOME', async () => {
    const r = await cli([...db, ...as('support').args, '--json', '--yes', 'revoke', 'blocked', '--all'], { env: as('support').env });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ revoked: [dataset.sids.blockedLeftover], rememberMeRevoked: null });
    const log = readFileSync(join(home, 'audit.log'), 'utf8');
    expect(log).toContain('"action":"revoke-all"');
    expect(log).toContain(dataset.sids.blockedLeftover.slice(0, 8));
  });

  it('never writes control characters from the database to the terminal', async () => {
    const data = '_sf2_attributes|a:1:{s:25:"session_inspector_browser";s:14:"Evil\u001b[2J\u001b]0;x\u0007";}';
    await site.admin.run('INSERT INTO sessions (uid, sid, hostname, timestamp, session) VALUES (?, ?, ?, ?, ?)', [UID.quote, 'escape-test-sid', '203.0.113.1', NOW - 5, data]);
    const r = await cli([...db, ...as('support').args, 'sessions', 'uid:10'], { env: as('support').env });
    expect(r.code).toBe(0);
    // The table names the browser in words; the raw agent is in the JSON, escaped.
    expect(r.stdout).toContain('Unknown browser');
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u0007');
    const json = await cli([...db, ...as('support').args, '--json', 'sessions', 'uid:10'], { env: as('support').env });
    expect(json.stdout).not.toContain('\u001b'); // JSON escapes it
  });

  it('cancels at the password prompt on Ctrl-C', async () => {
    const r = await cli([...db, '--as', 'member', 'whoami'], { tty: true, stdin: 'mem\u0003' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cancelled/);
  });

  it('reads the operator password from stdin with --password-stdin, or asks on a terminal', async () => {
    const piped = await cli([...db, '--as', 'member', '--password-stdin', '--json', 'whoami'], { stdin: `${PASSWORDS.member}\n` });
    expect(piped.code).toBe(0);
    const prompted = await cli([...db, '--as', 'member', '--json', 'whoami'], { tty: true, stdin: `${PASSWORDS.member}\r` });
    expect(prompted.code).toBe(0);
    expect(prompted.stderr).toContain('Drupal password for member: ');
    expect(prompted.stderr).not.toContain(PASSWORDS.member);
    const none = await cli([...db, '--as', 'member', '--json', 'whoami']);
    expect(none.code).toBe(2);
    expect((none.json() as { error: { message: string } }).error.message).toMatch(/SESSION_INSPECTOR_PASSWORD/);
  });
});

describe('session-inspector on database servers', () => {
  it.each(['pgsql', 'mysql'] as const)('%s: takes a URL, the password from SESSION_INSPECTOR_DB_PASSWORD, and the prefix', async (engine) => {
    if (unavailable(engine)) return;
    const server = await createTestSite(engine, (await buildDataset()).site, { prefix: 'D8' });
    try {
      const t = server.target as ServerTarget;
      const scheme = engine === 'pgsql' ? 'postgresql' : 'mariadb';
      const url = `${scheme}://${t.user}@${t.host}:${t.port}/${t.database}`;
      const r = await cli(['--db', url, '--prefix', 'D8', ...as('support').args, '--json', 'sessions', 'uid:7'], {
        env: { ...as('support').env, SESSION_INSPECTOR_DB_PASSWORD: t.password! },
      });
      expect(r.code).toBe(0);
      expect((r.json() as { sessions: unknown[] }).sessions).toHaveLength(5);
      const denied = await cli(['--db', url, ...as('support').args, '--json', 'whoami'], { env: { ...as('support').env, SESSION_INSPECTOR_DB_PASSWORD: 'nope' } });
      expect(denied.code).toBe(6);
    } finally {
      await server.close();
    }
  });
});

describe('the installed bin', () => {
  it('prints help and the contract, exit 0', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help']);
    expect(stdout).toMatch(/Usage: session-inspector --db <target>/);
    expect(stdout).toMatch(/revoke <user> --all/);
  });

  it('runs a command and exits with the contract\'s codes', async () => {
    const env = { ...process.env, SESSION_INSPECTOR_HOME: home, SESSION_INSPECTOR_PASSWORD: PASSWORDS.support };
    const { stdout } = await run(process.execPath, [BIN, ...db, '--as', 'support', '--json', 'users', 'zoë'], { env });
    expect(JSON.parse(stdout)).toMatchObject({ total: 1, users: [{ uid: UID.zoe }] });
    const failed = await run(process.execPath, [BIN, ...db, '--as', 'support', '--json', 'sessions', 'ghost'], { env }).catch((e: { code: number; stdout: string }) => e);
    expect((failed as { code: number }).code).toBe(5);
    expect(JSON.parse((failed as { stdout: string }).stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
