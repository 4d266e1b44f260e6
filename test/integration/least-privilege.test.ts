/**
 * The README's "least-privilege database account" statements, run as written (with the
 * database and account names substituted), are enough for everything the console does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import type { ServerTarget } from '../../src/core/db/target.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite } from '../../src/core/site.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { randomSid } from '../../src/core/site-builder/seed.js';
import { count, createTestSite, unavailable } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

/** Temporary folders of this file, removed when its tests are done. */
const tempDir = tempDirs();

function readmeGrants(engine: 'pgsql' | 'mysql'): string[] {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A least-privilege database account'));
  const blocks = [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  // The account's grants, then the optional blocking and Persistent Login ones.
  const chosen = engine === 'mysql' ? [blocks[0]!, blocks[2]!, blocks[4]!] : [blocks[1]!, blocks[3]!, blocks[5]!];
  return chosen.flatMap((block) => block.split(';').map((s) => s.trim()).filter(Boolean));
}

describe.each(['pgsql', 'mysql'] as const)('the README grants on %s', (engine) => {
  it.skipIf(unavailable(engine) !== null)('let the console read, revoke and log, and nothing more', async () => {
    const dataset = await buildDataset();
    // With the Persistent Login module: "revoke all" deletes the member's token too.
    const token = { uid: UID.member, series: randomSid(), instance: randomSid(), created: NOW - 60, refreshed: NOW - 60, expires: NOW + 86400 };
    const site = await createTestSite(engine, { ...dataset.site, rememberMe: [token], entityCache: [`values:user:${UID.editor}`] });
    const target = site.target as ServerTarget;
    const account = `si_${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
    const password = 'least-privilege-pw';
    try {
      const statements = readmeGrants(engine).map((s) =>
        s.replaceAll('session_inspector', account).replaceAll('change-me', password).replaceAll('drupal.', `${target.database}.`),
      );
      expect(statements.length).toBeGreaterThanOrEqual(5);
      for (const statement of statements) await site.admin.run(statement);

      const limited = await openDrupalSite({ target: { ...target, user: account, password }, readOnly: false });
      try {
        const inspector = new Inspector(limited, { asOf: NOW, auditLog: AuditLog.in(tempDir('si-lp-')) });
        const operator = await inspector.signIn('support', PASSWORDS.support);
        expect((await inspector.searchUsers(operator, 'zo', { limit: 5, offset: 0 })).users[0]?.sessionCount).toBe(5);
        expect((await inspector.sessions(operator, { uid: UID.zoe })).sessions).toHaveLength(5);
        expect(await inspector.revoke(operator, { uid: UID.zoe }, [dataset.sids.zoeStale])).toEqual({ revoked: [dataset.sids.zoeStale] });
        expect(await inspector.revokeAll(operator, { uid: UID.member })).toMatchObject({ revoked: { length: 2 }, rememberMeRevoked: 1 });
        expect(await count(site.admin, `SELECT COUNT(*) AS n FROM ${site.table('watchdog')} WHERE type = ?`, ['session_inspector'])).toBe(4); // 1 + 2 sessions, and the token row
        // With "administer users", the operator blocks and unblocks through this account.
        const admin = await inspector.signIn('siteadmin', PASSWORDS.siteadmin);
        expect(await inspector.revokeAll(admin, { uid: UID.editor }, { block: true })).toMatchObject({ blocked: true, warnings: [] });
        expect(await count(site.admin, `SELECT COUNT(*) AS n FROM ${site.table('users_field_data')} WHERE uid = ? AND status = 0`, [UID.editor])).toBe(1);
        expect(await count(site.admin, `SELECT COUNT(*) AS n FROM ${site.table('cache_entity')}`)).toBe(0);
        expect((await inspector.unblock(admin, { uid: UID.editor })).unblocked).toBe(true);
        // The account can change nothing of a user but the status.
        await expect(limited.db.run(`UPDATE ${limited.tables.usersFieldData} SET name = 'x' WHERE uid = ?`, [UID.editor])).rejects.toMatchObject({ code: 'DATABASE' });
      } finally {
        await limited.db.close();
      }
    } finally {
      if (engine === 'pgsql') await site.admin.run(`DROP OWNED BY ${account}`).catch(() => undefined);
      await site.admin.run(engine === 'mysql' ? `DROP USER '${account}'@'%'` : `DROP ROLE ${account}`).catch(() => undefined);
      await site.close();
    }
  });
});
