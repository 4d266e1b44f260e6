/**
 * Hardening 12 (second and third points):
 * - "revoke all" on MySQL deleted with one `IN (every sid)`, past max_allowed_packet for
 *   a user with hundreds of thousands of sessions. A server with a 1 MiB packet limit and
 *   a user with 30,000 sessions (about 1.4 MB of sids) reproduces it at test scale.
 * - About 1 sid in 64 begins with "-": `revoke <user> <sid>` must take it as a sid.
 */
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { openMysql } from '../../src/core/engines/mysql/driver.js';
import type { ServerTarget } from '../../src/core/db/target.js';
import { buildDrupalSite, randomSid } from '../../src/core/site-builder/seed.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { PhpArray, phpUnserialize } from '../../src/core/drupal/php-serialize.js';
import { openDrupalSite } from '../../src/core/site.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { mariadbAvailable, startMariadb } from '../support/db-servers.js';
import { count } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();
const inCi = process.env.CI === 'true';
const SESSIONS = 30_000;

describe('revoking all of a user\'s sessions on MySQL', () => {
  if (!mariadbAvailable() && inCi) throw new Error('MariaDB not installed (CI=true)');

  it.skipIf(!mariadbAvailable())(`works past max_allowed_packet (${SESSIONS} sessions, 1 MiB packets)`, { timeout: 180_000 }, async () => {
    const server = await startMariadb({ maxAllowedPacket: '1M' });
    try {
      const target = { engine: 'mysql', ...server.info, database: 'mysql' } as ServerTarget<'mysql'>;
      const admin = await openMysql(target, { readOnly: false });
      const dataset = await buildDataset();
      await buildDrupalSite(admin, 'mysql', { name: null, tablePrefix: '' }, dataset.site);
      for (let start = 0; start < SESSIONS; start += 2000) {
        const rows = Array.from({ length: 2000 }, () => [UID.zoe, randomSid(), '192.0.2.1', NOW - 60, null]);
        await admin.run(`INSERT INTO sessions (uid, sid, hostname, timestamp, session) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`, rows.flat());
      }
      const site = await openDrupalSite({ target, readOnly: false });
      try {
        const auditLog = AuditLog.in(tempDir('si-large-'));
        const inspector = new Inspector(site, { asOf: NOW, auditLog });
        const support = await inspector.signIn('support', PASSWORDS.support);
        const result = await inspector.revokeAll(support, { uid: UID.zoe });
        expect(result.revoked).toHaveLength(SESSIONS + 5);
        expect(await count(admin, 'SELECT COUNT(*) AS n FROM sessions WHERE uid = ?', [UID.zoe])).toBe(0);
        expect(await count(admin, 'SELECT COUNT(*) AS n FROM sessions WHERE uid <> ?', [UID.zoe])).toBe(4);
        // One summary row in Drupal's log, every sid prefix in its variables.
        const rows = await admin.all<{ message: string; variables: unknown }>('SELECT message, variables FROM watchdog WHERE type = ?', ['session_inspector']);
        expect(rows).toHaveLength(1);
        expect(rows[0]!.message).toBe('%count sessions of %name revoked by %operator.');
        const variables = phpUnserialize(String(rows[0]!.variables)) as PhpArray;
        expect(variables.get('%count')).toBe(String(SESSIONS + 5));
        // The first 1000 prefixes, and how many more: one row stays small.
        expect(String(variables.get('@sids'))).toMatch(new RegExp(`^(\\S{8} ){1000}… and ${SESSIONS + 5 - 1000} more$`));
        expect((await auditLog.read(SESSIONS + 10)).entries).toHaveLength(SESSIONS + 5);
      } finally {
        await site.db.close();
        await admin.close();
      }
    } finally {
      await server.stop();
    }
  });
});

describe('session ids that begin with "-"', () => {
  const base = ['--db', 'site.sqlite', '--as', 'admin'];
  const dashed = `-${randomSid().slice(1)}`;
  const doubleDashed = `--${randomSid().slice(2)}`;

  it('are taken as session ids after "revoke"', () => {
    expect(parseCli([...base, 'revoke', 'bob', dashed]).command).toEqual({ name: 'revoke', user: { name: 'bob' }, sids: [dashed], block: false });
    expect(parseCli([...base, 'revoke', 'bob', 'plainSid12', dashed, '--yes']).command).toMatchObject({ sids: ['plainSid12', dashed] });
    expect(parseCli([...base, 'revoke', 'bob', doubleDashed]).command).toMatchObject({ sids: [doubleDashed] });
    expect(parseCli([...base, 'revoke', 'bob', '--', dashed]).command).toMatchObject({ sids: [dashed] });
    // A prefix of 8 or more characters is a sid too.
    expect(parseCli([...base, 'revoke', 'bob', '-abcdefg']).command).toMatchObject({ sids: ['-abcdefg'] });
  });

  it('leave real flags, short tokens and option values alone', () => {
    expect(parseCli([...base, 'revoke', 'bob', '--all', '--yes']).command).toEqual({ name: 'revoke', user: { name: 'bob' }, sids: 'all', block: false });
    expect(() => parseCli([...base, 'revoke', 'bob', '-x'])).toThrow(/Unknown option/);
    expect(() => parseCli([...base, 'revoke', 'bob', '--read-onyl'])).toThrow(/Unknown option/);
    expect(parseCli(['--db', 'site.sqlite', 'revoke', 'bob', 'sid12345', '--as=-weird-name']).as).toBe('-weird-name');
    expect(() => parseCli([...base, 'sessions', dashed])).toThrow();
  });
});
