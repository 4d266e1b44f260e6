/**
 * The real Drupal 8.5.6 dump in ../shared/fixtures (MySQL, prefix D8), loaded into
 * MariaDB as it is. Only the admin's password hash is replaced by one we know.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { openMysql } from '../../src/core/engines/mysql/driver.js';
import type { Database } from '../../src/core/db/database.js';
import type { ServerTarget } from '../../src/core/db/target.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite, type DrupalSite } from '../../src/core/site.js';
import { phpUnserialize, PhpArray } from '../../src/core/drupal/php-serialize.js';
import { serverInfo, serverTarget, unavailable } from '../support/engines.js';
import { openInspector } from '../../src/core/inspector/open-inspector.js';
import { VECTORS } from '../support/dataset.js';
import { tempDirs } from '../support/temp.js';

/** Temporary folders of this file, removed when its tests are done. */
const tempDir = tempDirs();

const FIXTURES = resolve(process.cwd(), '..', 'shared', 'fixtures', 'drupal8-mysql-prefixed');
const REAL_SID = '5c1f_VFfk3ODaaNVK1mIh1zWmEPAg4QTCXJwEJYcbIc';

describe.skipIf(unavailable('mysql') !== null)('the real Drupal 8.5.6 dump on MariaDB', () => {
  let admin: Database;
  const opened: DrupalSite[] = [];
  let target: ServerTarget<'mysql'>;
  let audit: string;

  beforeAll(async () => {
    if (!existsSync(FIXTURES)) throw new Error(`The fixture dump is missing: ${FIXTURES}`);
    const info = serverInfo('mysql');
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.sql')).sort()) {
      const result = spawnSync('mariadb', ['--protocol=TCP', '-h', info.host, '-P', String(info.port), '-u', info.user, `-p${info.password}`], {
        input: readFileSync(join(FIXTURES, file)),
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(`Loading ${file} failed: ${result.stderr}`);
    }
    target = serverTarget('mysql', 'drupal8') as ServerTarget<'mysql'>;
    admin = await openMysql(target, { readOnly: false });
    // The one change to the dump: a password we know for the admin account.
    await admin.run('UPDATE `D8users_field_data` SET pass = ? WHERE uid = 1', [VECTORS.drupalA]);
    audit = tempDir('si-dump-');
  });

  afterAll(async () => {
    await Promise.all(opened.map((s) => s.db.close()));
    await admin?.close();
  });

  const open = async (options: { readOnly: boolean; prefix?: string }) => {
    const site = await openDrupalSite({ target, prefix: options.prefix ?? 'D8', readOnly: options.readOnly });
    opened.push(site);
    return new Inspector(site, { auditLog: AuditLog.in(audit) });
  };

  it('is identified as Drupal 8+ with prefix D8, and refused without it', async () => {
    const inspector = await open({ readOnly: true });
    expect(inspector.site.tables.sessions).toBe('`D8sessions`');
    expect(inspector.site.tables.watchdog).toBe('`D8watchdog`');
    const error = await openDrupalSite({ target, readOnly: true }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/Wrong table prefix.*the table prefix "D8"/);
  });

  it('signs in the admin and resolves the administrator role from the real config', async () => {
    const inspector = await open({ readOnly: true });
    const operator = await inspector.signIn('Admin', 'drupal');
    expect(await inspector.whoami(operator)).toEqual({
      uid: 1, name: 'admin', roles: ['authenticated', 'administrator'], canInspectOwn: true, canInspectOther: true, canAdministerUsers: true,
    });
    const noSuperUser = new Inspector(inspector.site, { superUser: false, auditLog: AuditLog.in(audit) });
    expect((await noSuperUser.whoami(operator)).canInspectOther).toBe(true); // is_admin role
  });

  it('lists the one real session, reading its data', async () => {
    const inspector = await open({ readOnly: true });
    const operator = await inspector.signIn('admin', 'drupal');
    const users = await inspector.searchUsers(operator, '', { limit: 10, offset: 0 });
    expect(users).toEqual({
      total: 1,
      totalIsExact: true,
      users: [{ uid: 1, name: 'admin', mail: 'igalafate@emergya.com', status: 'active', roles: ['administrator'], created: 1530796915, access: 1531783486, login: 1530797161, sessionCount: 1 }],
    });
    const asOf = new Inspector(inspector.site, { asOf: 1531783486 + 60, auditLog: AuditLog.in(audit) });
    const { sessions } = await asOf.sessions(operator, { uid: 1 });
    expect(sessions).toEqual([{
      sid: REAL_SID, hostname: '::1', timestamp: 1531783486, created: 1530797167, lifetime: 2000000,
      state: 'active', masqueradeBy: null, browser: null, client: null, passwordReset: false, readable: true, country: null, addressKind: 'loopback',
    }]);
    // Judged from today, a 2018 session is stale.
    expect((await inspector.sessions(operator, { uid: 1 })).sessions[0]?.state).toBe('stale');
  });

  it('opened directly as a dump (its files concatenated), answers as the database it loads into', async () => {
    // The same one change as above, made in the dump's text: a password we know.
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.sql')).sort();
    const text = Buffer.concat(files.map((f) => readFileSync(join(FIXTURES, f)))).toString('latin1');
    const original = '$S$EcHiU9yL2EDiEVNfEEIoJ1s7d7R2OBJ1l/WxxZN7XXliYuzMCdx7';
    expect(text).toContain(original);
    const file = join(tempDir('si-real-dump-'), 'drupal8.sql');
    writeFileSync(file, Buffer.from(text.replace(original, VECTORS.drupalA), 'latin1'));
    const fromDump = await openInspector({ target: { engine: 'sqlite', file }, readOnly: false, dataHome: tempDir('si-real-dump-home-') });
    opened.push(fromDump.site);
    // The prefix is found in the table names; the time is mysqldump's "Dump completed on", zone unknown.
    expect(fromDump.snapshot).toMatchObject({ dialect: 'mysql', prefixes: ['D8'], asOfFrom: 'dump', dumpedAtZoneKnown: false, rows: { D8sessions: 1, D8users_field_data: 2, D8user__roles: 1 } });
    expect(fromDump.snapshot!.rows).not.toHaveProperty('D8watchdog');
    expect(fromDump.asOf()).toBe(Date.parse('2018-07-17T01:34:30Z') / 1000);
    const live = await open({ readOnly: true });
    const asOf = fromDump.asOf();
    const liveAsOf = new Inspector(live.site, { asOf, auditLog: AuditLog.in(audit) });
    const [a, b] = [await liveAsOf.signIn('admin', 'drupal'), await fromDump.signIn('admin', 'drupal')];
    expect(await fromDump.whoami(b)).toEqual(await liveAsOf.whoami(a));
    expect(await fromDump.searchUsers(b, '', { limit: 10, offset: 0 })).toEqual(await liveAsOf.searchUsers(a, '', { limit: 10, offset: 0 }));
    const sessions = await fromDump.sessions(b, { uid: 1 });
    expect(sessions).toEqual(await liveAsOf.sessions(a, { uid: 1 }));
    expect(sessions.sessions[0]).toMatchObject({ sid: REAL_SID, created: 1530797167, lifetime: 2000000, state: 'idle' });
    await expect(fromDump.revokeAll(b, { uid: 1 })).rejects.toMatchObject({ code: 'READ_ONLY' });
  });

  it('revokes it, writing a watchdog row shaped like Drupal\'s own', async () => {
    const readOnly = await open({ readOnly: true });
    const operator = await readOnly.signIn('admin', 'drupal');
    await expect(readOnly.revokeAll(operator, { uid: 1 })).rejects.toMatchObject({ code: 'READ_ONLY' });

    const inspector = await open({ readOnly: false });
    expect(await inspector.revoke(operator, { name: 'admin' }, [REAL_SID])).toEqual({ revoked: [REAL_SID] });
    expect(await admin.all('SELECT sid FROM `D8sessions`')).toEqual([]);
    const [row] = await admin.all<Record<string, unknown>>('SELECT * FROM `D8watchdog` WHERE type = ? ORDER BY wid DESC', ['session_inspector']);
    const [drupalRow] = await admin.all<Record<string, unknown>>('SELECT * FROM `D8watchdog` WHERE message = ? LIMIT 1', ['Session opened for %name.']);
    expect(Object.keys(row!).sort()).toEqual(Object.keys(drupalRow!).sort());
    expect(row).toMatchObject({ uid: 1, type: 'session_inspector', message: 'Session %sid of %name revoked by %operator.', severity: 5 });
    const variables = phpUnserialize(row!.variables as Buffer) as PhpArray;
    expect(variables.keys()).toEqual(['%sid', '%name', '%operator']);
    expect(variables.get('%sid')).toBe(REAL_SID.slice(0, 8));
    expect(Number(row!.wid)).toBeGreaterThan(360);
  });
});
