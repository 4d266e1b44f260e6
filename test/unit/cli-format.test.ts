/** The CLI's human output: tables, pages, sessions, revokes, whoami. */
import { describe, expect, it } from 'vitest';
import { formatRevoked, formatSessions, formatUsers, formatWhoami, table, terminalSafe } from '../../src/cli/format.js';
import type { SessionInfo, UserSummary } from '../../src/shared/domain.js';

const NOW = 1_790_000_000;
const user: UserSummary = { uid: 7, name: 'zoe', mail: 'zoe@example.org', status: 'active', roles: ['member'], created: NOW - 86400, access: NOW - 180, login: NOW - 300, sessionCount: 2 };
const session = (extra: Partial<SessionInfo> = {}): SessionInfo => ({
  sid: 'A'.repeat(43), hostname: '2001:db8::5', timestamp: NOW - 120, created: NOW - 3600, lifetime: 2_000_000, state: 'active',
  masqueradeBy: null, browser: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0', client: 'Firefox 140 on Linux', passwordReset: false, readable: true, country: null, addressKind: 'documentation', ...extra,
});

describe('the CLI\'s formatting', () => {
  it('lays out aligned columns with a rule under the header', () => {
    expect(table(['A', 'LONGER'], [['xyz', '1'], ['x', '22']])).toBe('A    LONGER\n---  ------\nxyz  1\nx    22\n');
  });

  it('fits a table to a width: cuts the first-to-go column with "…", then leaves out a droppable one; never cuts the rest', () => {
    const rows = [['2001:db8:85a3::8a2e:370:7334', 'Firefox 140 on Linux', 'masquerade: admin', '2 hours ago']];
    const columns = ['IP', { header: 'BROWSER', min: 7, cutOrder: 1, dropOrder: 2 }, { header: 'FLAGS', min: 12, cutOrder: 2 }, { header: 'CREATED', dropOrder: 1 }];
    const natural = table(columns, rows);
    expect(natural.split('\n')[2]).toBe('2001:db8:85a3::8a2e:370:7334  Firefox 140 on Linux  masquerade: admin  2 hours ago');
    const cut = table(columns, rows, 80);
    expect(cut.split('\n')[2]).toBe('2001:db8:85a3::8a2e:370:7334  Firefox 140 on Li…  masquerade: admin  2 hours ago');
    expect(Math.max(...cut.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    // Cutting is not enough: CREATED is left out, and BROWSER gets its room back.
    const dropped = table(columns, rows, 60);
    expect(dropped.split('\n')[0]).toBe('IP                            BROWSER      FLAGS');
    expect(dropped.split('\n')[2]).toBe('2001:db8:85a3::8a2e:370:7334  Firefox 14…  masquerade: admin');
    // Nothing more may go: the address is whole, however narrow.
    expect(table(['IP'], [['2001:db8:85a3::8a2e:370:7334']], 10).split('\n')[2]).toBe('2001:db8:85a3::8a2e:370:7334');
    // Wide characters count twice, as a terminal shows them.
    expect(table([{ header: 'NAME', min: 4 }, 'X'], [['李小龙李小龙', 'x']], 10).split('\n')[2]).toBe('李小龙…  x');
  });

  it('pages users and says how to get the next page', () => {
    const text = formatUsers({ total: 30, totalIsExact: true, users: [user] }, 10, NOW);
    expect(text).toContain('zoe@example.org');
    expect(text).toContain('3 min ago');
    expect(text).toContain('Showing 11-11 of 30. Next page: --offset 11');
    expect(formatUsers({ total: 0, totalIsExact: true, users: [] }, 0, NOW)).toBe('No users match.\n');
    expect(formatUsers({ total: 5, totalIsExact: true, users: [] }, 10, NOW)).toMatch(/5 in all; lower --offset/);
  });

  it('shows sessions with state, times and flags, and says when there are none', () => {
    const text = formatSessions({
      asOf: NOW,
      user: { ...user, status: 'blocked' },
      sessions: [session(), session({ sid: 'B'.repeat(43), masqueradeBy: 1, passwordReset: true, readable: false, created: null, browser: null })],
      total: 700,
      offset: 0,
      byState: { active: 2, idle: 8, stale: 690 },
      rememberMe: [
        { seriesPrefix: 'AbCdEfGh', created: NOW - 3 * 86400, refreshed: NOW - 7200, expires: NOW + 20 * 86400 },
        { seriesPrefix: 'ZyXwVuTs', created: NOW - 86400, refreshed: null, expires: null },
      ],
    });
    expect(text).toContain('Remember-me tokens (persistent_login): 2; revoking all deletes them too.');
    expect(text).toMatch(/series AbCdEfGh… +created 3 days ago +used 2 hours ago +expires in 2 weeks/);
    expect(text).toMatch(/series ZyXwVuTs… +created 1 day ago +used never +never expires/);
    expect(text).toContain('Sessions of zoe (uid 7, blocked, roles: member)');
    expect(text).toContain('this account is blocked');
    expect(text).toContain('2 min ago (');
    expect(text).toContain('masquerade by uid 1; password reset pending; data unreadable');
    expect(text).toContain('Firefox 140 on Linux');
    expect(text).toContain('Showing 1-2 of 700 in all: 2 active, 8 idle, 690 stale. Next page: --offset 2');
    const none = formatSessions({ asOf: NOW, user, sessions: [], total: 0, offset: 0, byState: { active: 0, idle: 0, stale: 0 }, rememberMe: null });
    expect(none).toMatch(/No sessions\.\n/);
    expect(none).toMatch(/Remember-me tokens: none; this site has no persistent_login table\.\n$/);
    const tokensOnly = formatSessions({ asOf: NOW, user, sessions: [], total: 0, offset: 0, byState: { active: 0, idle: 0, stale: 0 }, rememberMe: [] });
    expect(tokensOnly).toMatch(/Remember-me tokens \(persistent_login\): none\.\n$/);
  });

  it('reports revokes and who the operator is', () => {
    expect(formatRevoked({ revoked: [] }, 'zoe')).toBe('zoe had no sessions; nothing was revoked.\n');
    expect(formatRevoked({ revoked: ['s1', 's2'] }, 'zoe')).toBe('Revoked 2 sessions of zoe:\n  s1\n  s2\n');
    expect(formatWhoami({ uid: 1, name: 'admin', roles: ['authenticated'], canInspectOwn: true, canInspectOther: false, canAdministerUsers: false })).toMatch(
      /Other users' sessions:\s+no access/,
    );
  });

  it('never lets output of its own drive the terminal', () => {
    expect(terminalSafe('ok\n\u001b[2Jx\u0007')).toBe('ok\n\ufffd[2Jx\ufffd');
  });
});

describe('the dump import progress line', () => {
  it('shows bytes of the total, rows, rate and time left, redrawn in place, and clears itself', async () => {
    const { progressBar } = await import('../../src/cli/snapshots.js');
    const written: string[] = [];
    const bar = progressBar({ write: (text: string) => written.push(text) } as never);
    bar.report({ fileBytes: 50 * 1024 * 1024, totalBytes: 100 * 1024 * 1024, rows: 123_456 });
    // eslint-disable-next-line no-control-regex
    expect(written[0]).toMatch(/^\r\u001b\[2KImporting the dump \[#{12}\.{12}\] 50% {2}50\.0 MiB of 100\.0 MiB {2}123,456 rows {2}[\d.]+ (KiB|MiB|GiB)\/s {2}\d+ s left$/);
    bar.done();
    expect(written[1]).toBe('\r\u001b[2K');
  });
});
