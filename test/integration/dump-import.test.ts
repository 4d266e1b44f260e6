/**
 * Offline audits from dumps: the shared engine suite's site on PostgreSQL and MariaDB,
 * dumped by the real pg_dump and mariadb-dump in every form an auditor is handed (plain
 * and gzipped; COPY, --inserts, --column-inserts; extended and single-row INSERTs,
 * --hex-blob, --complete-insert; a table prefix), opened directly, give the same answers
 * as the live database they came from. The snapshot is read-only and reused.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { Inspector, type Operator } from '../../src/core/inspector/inspector.js';
import { openInspector } from '../../src/core/inspector/open-inspector.js';
import { listSnapshots } from '../../src/core/dumps/snapshot-store.js';
import { openDrupalSite } from '../../src/core/site.js';
import type { ServerTarget } from '../../src/core/db/target.js';
import { buildDataset, NOW, PASSWORDS, UID, VECTORS, type Dataset } from '../support/dataset.js';
import { runCliCaptured } from '../support/cli.js';
import { createTestSite, serverInfo, unavailable, type TestSite } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();

type Form = { name: string; args: string[]; gzip?: boolean };

const MYSQL_FORMS: Form[] = [
  { name: 'mariadb-dump', args: [] },
  { name: 'mariadb-dump --hex-blob', args: ['--hex-blob'] },
  { name: 'mariadb-dump --complete-insert --skip-extended-insert', args: ['--complete-insert', '--skip-extended-insert'] },
  { name: 'mariadb-dump | gzip', args: [], gzip: true },
];
const PG_FORMS: Form[] = [
  { name: 'pg_dump', args: [] },
  { name: 'pg_dump --inserts', args: ['--inserts'] },
  { name: 'pg_dump --column-inserts --rows-per-insert 3', args: ['--column-inserts', '--rows-per-insert', '3'] },
  { name: 'pg_dump | gzip', args: [], gzip: true },
];

function dump(engine: 'mysql' | 'pgsql', database: string, args: string[], file: string): void {
  const info = serverInfo(engine);
  const run =
    engine === 'mysql'
      ? spawnSync('mariadb-dump', ['--protocol=TCP', '-h', info.host, '-P', String(info.port), '-u', info.user, `-p${info.password}`, ...args, `--result-file=${file}`, database], { encoding: 'utf8' })
      : spawnSync('pg_dump', ['-h', info.host, '-p', String(info.port), '-U', info.user, '-d', database, ...args, '-f', file], {
          encoding: 'utf8',
          env: { ...process.env, PGPASSWORD: info.password },
        });
  if (run.status !== 0) throw new Error(`${engine} dump failed: ${run.stderr}`);
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Everything an operator sees, as data: to compare a dump's answers with the live site's. */
async function answers(inspector: Inspector, operator: Operator, dataset: Dataset) {
  const users = await inspector.searchUsers(operator, '', { limit: 200, offset: 0 });
  const sessions = [];
  for (const uid of Object.values(UID)) {
    sessions.push(await inspector.sessions(operator, { uid }).catch((error: Error) => error.message));
  }
  return {
    whoami: await inspector.whoami(operator),
    users,
    sessions,
    board: await inspector.siteSessions(operator, { includeAnonymous: true }, { limit: 1000 }),
    ips: await inspector.ipGroups(operator, {}, { limit: 1000 }),
    secretsSeen: dataset.secrets.length,
  };
}

for (const engine of ['mysql', 'pgsql'] as const) {
  describe.skipIf(unavailable(engine) !== null)(`dumps of a ${engine === 'mysql' ? 'MariaDB' : 'PostgreSQL'} site`, () => {
    let dataset: Dataset;
    const sites: TestSite[] = [];
    let home: string;
    let folder: string;

    beforeAll(async () => {
      dataset = await buildDataset();
      home = tempDir('si-dump-home-');
      folder = tempDir('si-dumps-');
    });

    afterAll(async () => {
      await Promise.all(sites.map((s) => s.close()));
    });

    const live = async (prefix: string) => {
      const site = await createTestSite(engine, dataset.site, { prefix });
      sites.push(site);
      const opened = await openDrupalSite({ target: site.target, prefix, readOnly: true });
      return { site, inspector: new Inspector(opened, { auditLog: AuditLog.in(home), asOf: NOW }) };
    };

    for (const form of engine === 'mysql' ? MYSQL_FORMS : PG_FORMS) {
      for (const prefix of form.name.endsWith('dump') ? ['', 'd8_'] : ['']) {
        it(`${form.name}${prefix ? ` (prefix ${prefix})` : ''}: the same users, sessions, session data, roles and permissions as the live site`, async () => {
          const { site, inspector: liveInspector } = await live(prefix);
          const plain = join(folder, `${form.name.replace(/\W+/g, '-')}${prefix}.sql`);
          dump(engine, (site.target as ServerTarget).database, form.args, plain);
          const file = form.gzip ? `${plain}.gz` : plain;
          if (form.gzip) writeFileSync(file, gzipSync(readFileSync(plain)));
          const before = sha256(file);

          const fromDump = await openInspector({ target: { engine: 'sqlite', file }, readOnly: false, dataHome: home, asOf: NOW });
          try {
            expect(fromDump.snapshot).toMatchObject({ dialect: engine, gzip: Boolean(form.gzip), prefixes: [prefix], sha256: before });
            expect(fromDump.readOnly).toBe(true);
            for (const name of ['support', 'member', 'siteadmin'] as const) {
              const [a, b] = [await liveInspector.signIn(name, PASSWORDS[name]), await fromDump.signIn(name, PASSWORDS[name])];
              expect(await answers(fromDump, b, dataset)).toEqual(await answers(liveInspector, a, dataset));
            }
            // Read-only by construction: a revoke is refused (exit 7 in the CLI), nothing changes.
            const support = await fromDump.signIn('support', PASSWORDS.support);
            await expect(fromDump.revokeAll(support, { uid: UID.zoe })).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringMatching(/snapshot of the dump .*nothing in it can be revoked/) });
          } finally {
            await fromDump.site.db.close();
          }
          expect(sha256(file)).toBe(before);
        });
      }
    }

    it('diff: what changed on the live site since its dump, as text, JSON and CSV; refused without "inspect other user sessions"', async () => {
      const { site } = await live('');
      const file = join(folder, 'before-changes.sql.gz');
      const plain = join(folder, 'before-changes.sql');
      dump(engine, (site.target as ServerTarget).database, [], plain);
      writeFileSync(file, gzipSync(readFileSync(plain)));
      // Since the dump: a session revoked, one moved, one new; an account blocked, one
      // unblocked, roles changed, a new password, an account created and one deleted.
      const t = site.table.bind(site);
      await site.admin.run(`DELETE FROM ${t('sessions')} WHERE sid = ?`, [dataset.sids.zoeActive]);
      await site.admin.run(`UPDATE ${t('sessions')} SET hostname = ? WHERE sid = ?`, ['198.51.100.250', dataset.sids.zoeReset]);
      await site.admin.run(`INSERT INTO ${t('sessions')} (uid, sid, hostname, timestamp, session) VALUES (?, ?, ?, ?, ?)`, [UID.member, 'N'.repeat(43), '192.0.2.44', NOW - 5, '']);
      await site.admin.run(`UPDATE ${t('users_field_data')} SET status = 0 WHERE uid = ?`, [UID.editor]);
      await site.admin.run(`UPDATE ${t('users_field_data')} SET status = 1 WHERE uid = ?`, [UID.blocked]);
      await site.admin.run(`UPDATE ${t('user__roles')} SET roles_target_id = ? WHERE entity_id = ?`, ['support', UID.member]);
      await site.admin.run(`UPDATE ${t('users_field_data')} SET pass = ? WHERE uid = ?`, [VECTORS.drupalA, UID.zoe]);
      await site.admin.run(`INSERT INTO ${t('users_field_data')} (uid, langcode, name, mail, status, created, access, login, default_langcode) VALUES (?, 'en', 'newcomer', 'new@example.org', 1, ?, 0, 0, 1)`, [90, NOW]);
      await site.admin.run(`DELETE FROM ${t('users_field_data')} WHERE uid = ?`, [UID.underscore]);
      const { host, port, user, password, database } = site.target as ServerTarget;
      const url = `${engine === 'mysql' ? 'mysql' : 'postgres'}://${user}:${encodeURIComponent(password ?? '')}@${host}:${port}/${database}`;
      const cli = (args: string[], who: keyof typeof PASSWORDS = 'support') =>
        runCliCaptured(['--db', url, '--as', who, '--as-of', String(NOW), ...args, 'diff', '--against', file], { home, env: { SESSION_INSPECTOR_PASSWORD: PASSWORDS[who] } });

      const json = await cli(['--json']);
      expect(json.code).toBe(0);
      const diff = json.json() as { counts: Record<string, number>; changes: Array<Record<string, unknown>>; complete: boolean; before: { site: string } };
      expect(diff.counts).toEqual({
        'session-appeared': 1, 'session-disappeared': 1, 'session-ip-changed': 1, 'account-created': 1, 'account-deleted': 1,
        'account-blocked': 1, 'account-unblocked': 1, 'roles-changed': 1, 'password-changed': 1,
      });
      expect(diff.complete).toBe(true);
      expect(diff.before.site).toBe(file);
      expect(diff.changes).toEqual(expect.arrayContaining([
        { kind: 'account-blocked', uid: UID.editor, name: 'editor' },
        { kind: 'account-unblocked', uid: UID.blocked, name: 'blocked' },
        { kind: 'roles-changed', uid: UID.member, name: 'member', before: ['member'], after: ['support'] },
        { kind: 'password-changed', uid: UID.zoe, name: 'Zoë Ünal' },
        { kind: 'account-created', uid: 90, name: 'newcomer' },
        { kind: 'account-deleted', uid: UID.underscore, name: 'under_score' },
        { kind: 'session-appeared', uid: UID.member, name: 'member', sid: 'N'.repeat(43), hostname: '192.0.2.44', lastUsed: NOW - 5 },
        expect.objectContaining({ kind: 'session-disappeared', uid: UID.zoe, sid: dataset.sids.zoeActive }),
        expect.objectContaining({ kind: 'session-ip-changed', uid: UID.zoe, sid: dataset.sids.zoeReset, after: '198.51.100.250' }),
      ]));
      // Never a hash, before or after.
      for (const hash of [VECTORS.drupalA, ...dataset.site.users.map((u) => u.pass).filter((p): p is string => p !== null)]) expect(json.stdout).not.toContain(hash);

      const text = await cli([]);
      expect(text.stdout).toMatch(/Sessions: 1 appeared, 1 gone, 1 moved to another address/);
      expect(text.stdout).toMatch(/Accounts: 1 created, 1 deleted, 1 blocked, 1 unblocked, 1 with other roles, 1 with a new password/);
      expect(text.stdout).toMatch(/roles changed +4 +member +- +member → support/);
      const csv = await cli(['--format', 'csv']);
      const lines = csv.stdout.split('\r\n').filter(Boolean);
      expect(lines[0]).toBe('kind,uid,name,sid,hostname,before,after,lastUsed');
      expect(lines).toHaveLength(10);
      expect(lines).toContain(`session-appeared,${UID.member},member,${'N'.repeat(43)},192.0.2.44,,,${new Date((NOW - 5) * 1000).toISOString()}`);

      const member = await cli(['--json'], 'member');
      expect(member.code).toBe(4);
      expect(member.json()).toMatchObject({ error: { code: 'ACCESS_DENIED', message: expect.stringMatching(/needs "inspect other user sessions"/) } });
    });

    it('opens the same dump again from its snapshot, judged as of when it was made unless told otherwise', async () => {
      const { site } = await live('');
      const file = join(folder, 'again.sql');
      dump(engine, (site.target as ServerTarget).database, [], file);
      const first = await openInspector({ target: { engine: 'sqlite', file }, readOnly: true, dataHome: home });
      await first.site.db.close();
      const count = listSnapshots(home).length;
      const second = await openInspector({ target: { engine: 'sqlite', file }, readOnly: true, dataHome: home });
      await second.site.db.close();
      expect(listSnapshots(home)).toHaveLength(count);
      expect(second.snapshot!.id).toBe(first.snapshot!.id);
      // mysqldump says when it finished (zone unknown); pg_dump without --verbose does not: the file's time.
      expect(second.snapshot!.asOfFrom).toBe(engine === 'mysql' ? 'dump' : 'file');
      expect(Math.abs(second.asOf() - Date.now() / 1000)).toBeLessThan(24 * 3600);
      if (engine === 'pgsql') expect(second.asOf()).toBe(Math.floor(statSync(file).mtimeMs / 1000));
      // Owner-only, in the data folder.
      expect(statSync(join(home, 'snapshots')).mode & 0o777).toBe(0o700);
      expect(statSync(join(home, 'snapshots', `${second.snapshot!.id}.sqlite`)).mode & 0o777).toBe(0o600);
    });
  });
}

describe('dumps that cannot be audited get a clear error, and write nothing outside the snapshot folder', () => {
  const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'drupal8-mysql-prefixed');
  const fixture = () => Buffer.concat(readdirSync(FIXTURES).filter((f) => f.endsWith('.sql')).sort().map((f) => readFileSync(join(FIXTURES, f))));
  const HEADER = '-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: app\n\n';
  const TRAILER = '\n-- Dump completed on 2026-11-20  9:30:00\n';
  let folder: string;
  let home: string;
  beforeAll(() => {
    folder = tempDir('si-bad-dumps-');
    home = tempDir('si-bad-dumps-home-');
  });

  const attempt = async (name: string, content: Buffer | string, prefix?: string) => {
    const file = join(folder, name);
    writeFileSync(file, content);
    const error = await openInspector({ target: { engine: 'sqlite', file }, readOnly: true, dataHome: home, ...(prefix ? { prefix } : {}) }).then(
      async (inspector) => {
        await inspector.site.db.close();
        return null;
      },
      (e: unknown) => e as { code: string; message: string },
    );
    // A failed import leaves no snapshot, finished or not.
    expect(readdirSync(join(home, 'snapshots')).filter((f) => f.includes('.partial'))).toEqual([]);
    return error;
  };

  it('a truncated dump, cut inside a statement or between two', async () => {
    const whole = fixture();
    const inside = await attempt('cut-inside.sql', whole.subarray(0, Math.floor(whole.length / 2)));
    expect(inside).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/The dump ends early: .*"-- Dump completed" line is missing/) });
    const text = whole.toString('latin1');
    const between = await attempt('cut-between.sql', Buffer.from(text.slice(0, text.lastIndexOf('UNLOCK TABLES;') + 15).replace(/-- Dump completed[^\n]*\n/g, ''), 'latin1'));
    expect(between).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/ends early/) });
    const gz = await attempt('cut.sql.gz', gzipSync(whole).subarray(0, 5000));
    expect(gz).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/gzip file ends early/) });
  });

  it('a dump of another application, with statements that would attach or write files were they run', async () => {
    const outside = join(folder, 'attached.db');
    const error = await attempt(
      'wordpress.sql',
      HEADER +
        `ATTACH DATABASE '${outside}' AS evil;\nCREATE TABLE evil.x (a);\nSELECT load_extension('/tmp/x.so');\n` +
        "CREATE TABLE `wp_users` (`ID` bigint NOT NULL, `user_login` varchar(60) NOT NULL);\nINSERT INTO `wp_users` VALUES (1,'admin'),(2,'x\\');DROP TABLE wp_users;--');\n" +
        TRAILER,
    );
    expect(error).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/^Not a Drupal 8\+ database: looked for "users_field_data", "user__roles", "config" in the dump .*wordpress\.sql/) });
    expect(existsSync(outside)).toBe(false);
  });

  it('a Drupal 7 dump', async () => {
    const error = await attempt(
      'drupal7.sql',
      HEADER +
        'CREATE TABLE `users` (`uid` int unsigned NOT NULL, `name` varchar(60) NOT NULL, `pass` varchar(128) NOT NULL);\n' +
        "INSERT INTO `users` VALUES (1,'admin','$S$D…');\n" +
        'CREATE TABLE `system` (`filename` varchar(255) NOT NULL, `name` varchar(255) NOT NULL);\n' +
        'CREATE TABLE `sessions` (`uid` int unsigned NOT NULL, `sid` varchar(128) NOT NULL, `ssid` varchar(128) NOT NULL, `hostname` varchar(128) NOT NULL);\n' +
        TRAILER,
    );
    expect(error).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/^This is a Drupal 7 database .*Session Inspector works with Drupal 8, 9, 10 and 11\./) });
  });

  it('binary garbage, a 10 MB single line, a pg_dump archive: refused from their first bytes', async () => {
    const garbage = await attempt('garbage.bin', randomBytes(1024 * 1024));
    expect(garbage).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/is neither a SQLite database nor a plain dump .*first bytes are binary/) });
    const line = await attempt('line.sql', 'A'.repeat(10 * 1024 * 1024));
    expect(line).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/neither a SQLite database nor a plain dump .*begins with "-- MySQL dump"/) });
    const archive = await attempt('archive.dump', Buffer.concat([Buffer.from('PGDMP\x01\x0f\x00', 'latin1'), randomBytes(4096)]));
    expect(archive).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/pg_dump archive .*pg_restore -f dump\.sql <archive>/) });
  });

  it('a gzip bomb: a small file expanding far beyond any dump', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from(HEADER), Buffer.alloc(64 * 1024 * 1024, 0x20)]), { level: 9 });
    expect(bomb.length).toBeLessThan(256 * 1024);
    const error = await attempt('bomb.sql.gz', bomb);
    expect(error).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/expands more than 200 times its size.*gzip bomb/) });
  });

  it('a crafted dump declaring thousands of Drupal-like tables', async () => {
    const tables = Array.from({ length: 600 }, (_, i) => `CREATE TABLE \`t${i}_sessions\` (\`uid\` int);`).join('\n');
    const error = await attempt('many-tables.sql', `${HEADER}${tables}${TRAILER}`);
    expect(error).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/declares more than 500 tables named like Drupal's/) });
  });

  it('several databases or schemas in one dump: refused, naming them, never merged into one site', async () => {
    const d8 = fixture().toString('latin1');
    const twoDatabases = Buffer.from(d8 + d8.replace(/`drupal8`/g, '`drupal9`'), 'latin1');
    expect(await attempt('two-databases.sql', twoDatabases)).toMatchObject({
      code: 'DATABASE',
      message: expect.stringMatching(/several databases \("drupal8", "drupal9"\); a snapshot holds one site\. Dump one of them alone \(mysqldump/),
    });
    const table = (schema: string) => `CREATE TABLE ${schema}.users_field_data (\n    uid integer NOT NULL,\n    name character varying(60) NOT NULL\n);\n\n`;
    const twoSchemas = `--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n\n${table('public')}${table('site2')}--\n-- PostgreSQL database dump complete\n--\n\n`;
    expect(await attempt('two-schemas.sql', twoSchemas)).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/several schemas \("public", "site2"\).*pg_dump --schema=/) });
  });

  it('several Drupal sites in one dump: the prefixes are listed, and one is chosen', async () => {
    const d8 = fixture().toString('latin1');
    const both = Buffer.from(d8 + d8.replace(/`D8/g, '`D9'), 'latin1');
    const error = await attempt('two-sites.sql', both);
    expect(error).toMatchObject({ code: 'DATABASE', message: expect.stringMatching(/several Drupal sites, by table prefix: "D8", "D9"\. Choose one with the table prefix/) });
    expect(await attempt('two-sites.sql', both, 'D9')).toBeNull();
  });
});

describe('the CLI on a dump', () => {
  const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'drupal8-mysql-prefixed');
  let home: string;
  let file: string;
  beforeAll(() => {
    home = tempDir('si-cli-dump-home-');
    // The real dump, with a password we know for its admin (as real-dump.test.ts does on the server).
    const text = Buffer.concat(readdirSync(FIXTURES).filter((f) => f.endsWith('.sql')).sort().map((f) => readFileSync(join(FIXTURES, f)))).toString('latin1');
    file = join(tempDir('si-cli-dump-'), 'drupal8.sql.gz');
    writeFileSync(file, gzipSync(Buffer.from(text.replace('$S$EcHiU9yL2EDiEVNfEEIoJ1s7d7R2OBJ1l/WxxZN7XXliYuzMCdx7', VECTORS.drupalA), 'latin1')));
  });
  const cli = (args: string[]) => runCliCaptured(args, { home, env: { SESSION_INSPECTOR_PASSWORD: 'drupal' } });

  it('audits it read-only, as of when it was made, says so, and keeps its snapshot until told', async () => {
    const before = sha256(file);
    const sessions = await cli(['--db', file, '--as', 'admin', 'sessions', 'admin']);
    expect(sessions.code).toBe(0);
    expect(sessions.stdout).toMatch(/^Sessions of admin \(uid 1, active, roles: administrator\) as of 2018-07-17 01:34:30 UTC/);
    expect(sessions.stdout).toMatch(/5c1f_VFf… +idle +::1/);
    expect(sessions.stderr).toMatch(/^Auditing a read-only snapshot of the dump .*drupal8\.sql\.gz, as of when it was made: 2018-07-17 01:34:30 \(time zone unknown, read as UTC\)/);
    const revoke = await cli(['--db', file, '--as', 'admin', '--yes', 'revoke', 'admin', '--all']);
    expect(revoke.code).toBe(7);
    expect(revoke.stderr).toMatch(/nothing in it can be revoked/);
    const json = await cli(['--db', file, '--as', 'admin', '--format', 'json', 'users']);
    expect(json.json()).toMatchObject({
      total: 1,
      warnings: [expect.stringMatching(/local time, without a time zone: 2018-07-17 01:34:30/)],
      meta: { dump: { path: file, sha256: before, madeAt: Date.parse('2018-07-17T01:34:30Z') / 1000, madeAtFrom: 'dump', zoneKnown: false } },
    });
    // --as-of overrides the dump's time, and the warning goes.
    const asOf = await cli(['--db', file, '--as', 'admin', '--as-of', '2018-07-16T23:30:00Z', '--json', 'sessions', 'admin']);
    expect(asOf.json()).toMatchObject({ asOf: Date.parse('2018-07-16T23:30:00Z') / 1000, sessions: [{ state: 'active' }] });
    expect(asOf.json()).not.toHaveProperty('warnings');
    expect(sha256(file)).toBe(before);

    const list = await cli(['--json', 'snapshots']);
    const [record] = (list.json() as { snapshots: Array<{ id: string; source: { path: string } }> }).snapshots;
    expect(record).toMatchObject({ source: { path: file } });
    expect((await cli(['snapshots'])).stdout).toMatch(new RegExp(`${record!.id} +.*drupal8\\.sql\\.gz +MySQL, gzip +2018-07-17 01:34:30 \\(time zone unknown`));
    expect((await cli(['snapshots', '--prune'])).stdout).toBe('No snapshot is out of date.\n');
    expect((await cli(['snapshots', '--delete', record!.id])).stdout).toBe(`Deleted snapshot ${record!.id}.\n`);
    expect((await cli(['snapshots', '--delete', record!.id])).code).toBe(5);
    expect((await cli(['snapshots'])).stdout).toMatch(/^No snapshots\./);
  });

  it('exits 6 with the reason for a dump it cannot audit', async () => {
    const cut = join(tempDir('si-cli-dump-'), 'cut.sql');
    writeFileSync(cut, readFileSync(join(FIXTURES, 'drupal8_D8config.sql')).subarray(0, 100_000));
    const run = await cli(['--db', cut, '--as', 'admin', 'whoami']);
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/^session-inspector: The dump ends early/);
  });
});
