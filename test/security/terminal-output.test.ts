/**
 * Hardening 11: database strings cannot forge the CLI's output. A newline or tab in a
 * hostname, a bidi override in a user agent, a control character in a name: each is
 * shown as a visible escape, so every table row is one row and reads as it is stored.
 */
import { describe, expect, it } from 'vitest';
import { formatSessions, formatUsers, visible } from '../../src/cli/format.js';
import type { SessionInfo, UserSummary } from '../../src/shared/domain.js';
import { drupalSessionData, randomSid } from '../../src/core/site-builder/seed.js';
import { runCliCaptured } from '../support/cli.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { createTestSite } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();
const FORGED_ROW = '198.51.100.1\nFAKEFAKEFAKE  active  203.0.113.1\tfine';
const BIDI = 'Firefox \u202Eexe.gpj\u202C on Linux';
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

const user: UserSummary = {
  uid: 7, name: 'eve\tadmin\u2066', mail: 'eve@example.org\r\n', status: 'active', roles: ['x\u202Ey'],
  created: NOW - 10, access: NOW - 5, login: NOW - 5, sessionCount: 1,
};
const session: SessionInfo = {
  sid: randomSid(), hostname: FORGED_ROW, timestamp: NOW - 5, created: NOW - 60, lifetime: 2_000_000, state: 'active',
  masqueradeBy: null, browser: BIDI, client: BIDI, passwordReset: false, readable: true, country: null, addressKind: null,
};

describe('visible()', () => {
  it('writes every invisible or layout character as an escape', () => {
    expect(visible('a\nb\tc\rd')).toBe('a\\nb\\tc\\rd');
    expect(visible('x\u202Ey\u200Bz\u0007')).toBe('x\\u{202E}y\\u{200B}z\\u{0007}');
    expect(visible('Zoë Ünal, 王小明, O\'Brien')).toBe('Zoë Ünal, 王小明, O\'Brien');
  });
});

describe('the CLI\'s tables', () => {
  it('keep one line per row, with nothing invisible in them', () => {
    const sessions = formatSessions({ asOf: NOW, user, sessions: [session], total: 1, offset: 0, byState: { active: 1, idle: 0, stale: 0 }, rememberMe: null });
    const users = formatUsers({ total: 1, totalIsExact: true, users: [user] }, 0, NOW);
    for (const text of [sessions, users]) {
      for (const line of text.split('\n')) expect(line).not.toMatch(INVISIBLE);
    }
    // Heading, blank, header, rule, one row, blank, the totals line, the remember-me line.
    expect(sessions.trimEnd().split('\n')).toHaveLength(8);
    expect(sessions).toContain('198.51.100.1\\nFAKEFAKEFAKE  active  203.0.113.1\\tfine');
    expect(sessions).toContain('\\u{202E}exe.gpj\\u{202C}');
    expect(users).toContain('eve\\tadmin\\u{2066}');
  });

  it('hold in a real run against a site with hostile rows', async () => {
    const dataset = await buildDataset();
    const site = await createTestSite('sqlite', dataset.site);
    try {
      await site.admin.run('INSERT INTO sessions (uid, sid, hostname, timestamp, session) VALUES (?, ?, ?, ?, ?)', [
        UID.zoe, randomSid(), FORGED_ROW, NOW - 5, drupalSessionData({ uid: UID.zoe, created: NOW - 50, updated: NOW - 5, browser: BIDI }),
      ]);
      const run = await runCliCaptured(['--db', (site.target as { file: string }).file, '--as', 'support', '--as-of', String(NOW), '--wide', 'sessions', `uid:${UID.zoe}`], {
        home: tempDir('si-term-'),
        env: { SESSION_INSPECTOR_PASSWORD: PASSWORDS.support },
      });
      expect(run.code).toBe(0);
      expect(run.stdout).not.toMatch(INVISIBLE);
      expect(run.stdout).toContain('FAKEFAKEFAKE');
      expect(run.stdout.split('\n').filter((line) => line.includes('FAKEFAKEFAKE'))).toHaveLength(1);
      // Six sessions, six rows: the forged one did not make a seventh.
      const rows = run.stdout.split('\n').filter((line) => /^\S{43}\s/.test(line) && !line.startsWith('---'));
      expect(rows).toHaveLength(6);
    } finally {
      await site.close();
    }
  });
});
