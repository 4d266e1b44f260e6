/**
 * Hardening 5 and 8: the local audit log. A revoke that cannot be recorded does not
 * happen (disk full: the intent is written and fsync'ed before COMMIT, and a failure
 * rolls back); a revoke that happened is recorded. Reading is asynchronous, bounded
 * per line, rotated at 10 MB with five files kept, and reports damage.
 */
import { appendFileSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_KEEP_FILES, AuditLog } from '../../src/core/audit/audit-log.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite, type DrupalSite } from '../../src/core/site.js';
import type { AuditEntry } from '../../src/shared/domain.js';
import { runCliCaptured } from '../support/cli.js';
import { buildDataset, NOW, PASSWORDS, UID, type Dataset } from '../support/dataset.js';
import { count, createTestSite, ENGINES, unavailable, type TestSite } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();
const fullDisk = existsSync('/dev/full');

const entry = (i: number, site = 'sqlite:/srv/site.sqlite'): AuditEntry => ({
  time: new Date(Date.UTC(2026, 10, 1, 0, 0, i % 60, i % 1000)).toISOString(),
  operator: { uid: 1, name: 'admin' },
  site,
  target: { uid: 7, name: `user ${i}` },
  sidPrefix: `s${i}`.padEnd(8, 'x').slice(0, 8),
  hostname: '192.0.2.1',
  action: 'revoke',
});

/** An audit log whose file is /dev/full: it opens, and every write fails with ENOSPC. */
function diskFullLog(): AuditLog {
  const folder = tempDir('si-full-');
  symlinkSync('/dev/full', join(folder, 'audit.log'));
  return AuditLog.in(folder);
}

describe.each(ENGINES)('a full disk during a revoke, on %s', (engine) => {
  const skip = unavailable(engine) ?? (fullDisk ? null : 'no /dev/full on this system');
  let dataset: Dataset;
  let testSite: TestSite;
  let site: DrupalSite;

  beforeAll(async () => {
    if (skip) return;
    dataset = await buildDataset();
    testSite = await createTestSite(engine, dataset.site);
    site = await openDrupalSite({ target: testSite.target, readOnly: false });
  });
  afterAll(async () => {
    await site?.db.close();
    await testSite?.close();
  });

  it.skipIf(skip !== null)('revokes nothing, logs nothing on the site, and says why', async () => {
    const inspector = new Inspector(site, { asOf: NOW, auditLog: diskFullLog() });
    const support = await inspector.signIn('support', PASSWORDS.support);
    // One at a time: a second revoke started before the first is awaited would reject unobserved.
    for (const attempt of [() => inspector.revokeAll(support, { uid: UID.zoe }), () => inspector.revoke(support, { uid: UID.zoe }, [dataset.sids.zoeActive])]) {
      const error = await attempt().then(() => null, (e: { code: string; message: string }) => e);
      expect(error?.code).toBe('AUDIT_LOG');
      expect(error?.message).toMatch(/Nothing was revoked.*ENOSPC/);
    }
    expect(await count(testSite.admin, `SELECT COUNT(*) AS n FROM ${testSite.table('sessions')} WHERE uid = ?`, [UID.zoe])).toBe(5);
    expect(await count(testSite.admin, `SELECT COUNT(*) AS n FROM ${testSite.table('watchdog')} WHERE type = ?`, ['session_inspector'])).toBe(0);
    // The connection is still usable: the same revoke with a working log goes through.
    const working = new Inspector(site, { asOf: NOW, auditLog: AuditLog.in(tempDir('si-ok-')) });
    expect((await working.revoke(await working.signIn('support', PASSWORDS.support), { uid: UID.zoe }, [dataset.sids.zoeActive])).revoked).toHaveLength(1);
  });
});

describe('the CLI on a full disk', () => {
  it.skipIf(!fullDisk)('exits with the documented code 9, nothing revoked', async () => {
    const dataset = await buildDataset();
    const testSite = await createTestSite('sqlite', dataset.site);
    try {
      const home = tempDir('si-full-cli-');
      symlinkSync('/dev/full', join(home, 'audit.log'));
      const run = await runCliCaptured(['--db', (testSite.target as { file: string }).file, '--as', 'support', '--json', '--yes', 'revoke', `uid:${UID.zoe}`, '--all'], {
        home,
        env: { SESSION_INSPECTOR_PASSWORD: PASSWORDS.support },
      });
      expect(run.code).toBe(9);
      expect(run.json()).toMatchObject({ error: { code: 'AUDIT_LOG' } });
      expect(await count(testSite.admin, 'SELECT COUNT(*) AS n FROM sessions WHERE uid = ?', [UID.zoe])).toBe(5);
    } finally {
      await testSite.close();
    }
  });
});

describe('intents and outcomes', () => {
  it('shows an intent without an outcome as unconfirmed, and hides an aborted one', async () => {
    const log = AuditLog.in(tempDir('si-intent-'));
    log.prepare([entry(1)]).settle('committed');
    log.prepare([entry(2)]); // the process died here
    log.prepare([entry(3)]).settle('aborted');
    const { entries } = await log.read(10);
    expect(entries.map((e) => [e.target.name, e.unconfirmed ?? false])).toEqual([
      ['user 2', true],
      ['user 1', false],
    ]);
  });

  it('reads logs written before intents existed as settled entries', async () => {
    const folder = tempDir('si-legacy-');
    writeFileSync(join(folder, 'audit.log'), `${JSON.stringify(entry(1))}\n`);
    expect((await AuditLog.in(folder).read(10)).entries).toEqual([entry(1)]);
  });
});

describe('rotation', () => {
  it('rotates at the size limit, keeps five old files, and reads across them newest first', async () => {
    const folder = tempDir('si-rotate-');
    const log = new AuditLog(join(folder, 'audit.log'), 2000);
    const written: AuditEntry[] = [];
    for (let i = 0; i < 200; i++) {
      const e = entry(i);
      written.push(e);
      log.prepare([e]).settle('committed');
    }
    expect(existsSync(join(folder, `audit.log.${AUDIT_KEEP_FILES}`))).toBe(true);
    expect(existsSync(join(folder, `audit.log.${AUDIT_KEEP_FILES + 1}`))).toBe(false);
    const { entries, damagedLines } = await log.read(1000);
    expect(damagedLines).toBe(0);
    // The newest survive, in order; the oldest went with the sixth file.
    expect(entries[0]).toEqual(written[199]);
    expect(entries.map((e) => e.target.name)).toEqual(written.slice(-entries.length).reverse().map((e) => e.target.name));
    expect(entries.length).toBeLessThan(200);
    expect(entries.length).toBeGreaterThan(20);
  });
});

describe('damaged and enormous logs', () => {
  it('skips a 32 MiB single line without blocking the process, and counts it', async () => {
    const folder = tempDir('si-huge-');
    const file = join(folder, 'audit.log');
    appendFileSync(file, `${JSON.stringify(entry(1))}\n`);
    appendFileSync(file, Buffer.alloc(32 * 1024 * 1024, 'x'));
    appendFileSync(file, `\n${JSON.stringify(entry(2))}\n{"broken":\n`);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const page = await AuditLog.in(folder).read(10);
    clearInterval(timer);
    expect(page.entries.map((e) => e.target.name)).toEqual(['user 2', 'user 1']);
    expect(page.damagedLines).toBe(2);
    // Other work ran while it read: the read never held the event loop for long.
    expect(ticks).toBeGreaterThan(0);
  });

  it('keeps no full sid and no session data', async () => {
    const dataset = await buildDataset();
    const testSite = await createTestSite('sqlite', dataset.site);
    const site = await openDrupalSite({ target: testSite.target, readOnly: false });
    try {
      const folder = tempDir('si-nosid-');
      const inspector = new Inspector(site, { asOf: NOW, auditLog: AuditLog.in(folder) });
      await inspector.revokeAll(await inspector.signIn('support', PASSWORDS.support), { uid: UID.zoe });
      const text = readFileSync(join(folder, 'audit.log'), 'utf8');
      for (const sid of Object.values(dataset.sids)) expect(text).not.toContain(sid);
      for (const secret of dataset.secrets) expect(text).not.toContain(secret);
    } finally {
      await site.db.close();
      await testSite.close();
    }
  });
});

describe('one record per revoke', () => {
  it('writes a revoke of many sessions in one go, in bounded lines, and reads every session back', async () => {
    const folder = tempDir('si-one-');
    const log = AuditLog.in(folder);
    const sessions = Array.from({ length: 1000 }, (_, i) => ({ ...entry(0), sidPrefix: `p${i}`.padEnd(8, 'x'), hostname: `2001:db8::${i}`.padEnd(120, '0') }));
    log.prepare(sessions).settle('committed');
    const lines = readFileSync(join(folder, 'audit.log'), 'utf8').trim().split('\n');
    // Intent lines of at most 250 sessions (each far below the 64 KiB line limit), one outcome.
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.length).toBeLessThan(20);
    expect(lines.every((line) => line.length < 64 * 1024)).toBe(true);
    const { entries, damagedLines } = await log.read(2000);
    expect(damagedLines).toBe(0);
    expect(entries).toHaveLength(1000);
    expect(new Set(entries.map((e) => e.sidPrefix)).size).toBe(1000);
    expect(entries[0]!.sidPrefix).toBe('p999xxxx');
  });
});

describe('writes that crashes or odd hosts could spoil', () => {
  it('ends a line torn by a crash before appending, so the next record stays readable', async () => {
    const folder = tempDir('si-torn-');
    const log = AuditLog.in(folder);
    log.prepare([entry(1)]).settle('committed');
    appendFileSync(join(folder, 'audit.log'), '{"id":"x","state":"intent","time":"2026-11-01T00:00:0'); // killed mid-write
    log.prepare([entry(2)]).settle('committed');
    const page = await log.read(10);
    expect(page.entries.map((e) => e.target.name)).toEqual(['user 2', 'user 1']);
    expect(page.damagedLines).toBe(1);
  });

  it('keeps every line under the read limit even with long, non-ASCII hostnames', async () => {
    const folder = tempDir('si-wide-');
    const log = AuditLog.in(folder);
    const sessions = Array.from({ length: 600 }, (_, i) => ({ ...entry(0), sidPrefix: `w${i}`.padEnd(8, 'x'), hostname: `ホスト${i}`.repeat(60) }));
    log.prepare(sessions).settle('committed');
    const lines = readFileSync(join(folder, 'audit.log'), 'utf8').trim().split('\n');
    expect(lines.every((line) => Buffer.byteLength(line) < 64 * 1024)).toBe(true);
    const page = await log.read(1000);
    expect(page.damagedLines).toBe(0);
    expect(page.entries).toHaveLength(600);
  });
});
