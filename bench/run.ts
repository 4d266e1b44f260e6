/**
 * `npm run bench`: how fast the inspector answers on Drupal-shaped sites of 10k, 100k
 * and 1M users (two sessions each, a few with 300, one with 10,000), on each engine,
 * next to the floor: the same answer asked with hand-written queries through the same
 * driver (better-sqlite3, pg, mysql2), used directly. The gap is what the inspector
 * adds: the access check (operator, roles), summaries, data parsing.
 *
 * BENCH_SIZES (default "10000,100000,1000000") picks the sizes. PostgreSQL and MariaDB
 * run when installed, as throwaway servers, like the tests. BENCH_DUMP_MB (default 2048)
 * sizes the dump imported by bench/dumps.ts. Prints the tables at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { AuditLog } from '../src/core/audit/audit-log.js';
import type { ConnectionTarget, Engine, ServerTarget } from '../src/core/db/target.js';
import { describeTarget } from '../src/core/db/target.js';
import { openMysql } from '../src/core/engines/mysql/driver.js';
import { numbered, openPostgres } from '../src/core/engines/pgsql/driver.js';
import { loadBetterSqlite3 } from '../src/core/engines/sqlite/driver.js';
import { dialectFor } from '../src/core/engines/index.js';
import { Inspector } from '../src/core/inspector/inspector.js';
import { openDrupalSite } from '../src/core/site.js';
import { buildDrupalSite } from '../src/core/site-builder/seed.js';
import { createSqliteSite } from '../src/core/site-builder/sqlite-site.js';
import { mariadbAvailable, postgresAvailable, startMariadb, startPostgres, type RunningServer } from '../test/support/db-servers.js';
import { benchDumps } from './dumps.js';
import { ADMIN, BIG_SESSIONS, BIG_UID, bulkStatements, generateOnServer, heavySessions, MEDIUM_UIDS, NOW, seed, SMALL_UID } from './generate.js';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
/** The size of the dump imported by the dump benchmark, in MiB (0: skipped). */
const DUMP_MB = Number(process.env.BENCH_DUMP_MB ?? 2048);
const RUNS = 15;
const ROOT = join(import.meta.dirname, '..');

interface Row {
  engine: Engine;
  users: number;
  operation: string;
  project: number;
  floor: number;
}
const results: Row[] = [];

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(work: () => Promise<unknown>, runs = RUNS): Promise<number> {
  for (let i = 0; i < 2; i++) await work(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

type Raw = (sql: string, params?: unknown[]) => Promise<unknown>;

/** The floor's SQL for each engine, as a person would write it by hand. */
function floorSql(engine: Engine) {
  const q = dialectFor(engine).column;
  const contains = (column: string) =>
    engine === 'sqlite' ? `instr(lower(${column}), 'ann') > 0` : engine === 'pgsql' ? `strpos(lower(${column}), 'ann') > 0` : `LOCATE('ann', LOWER(${column})) > 0`;
  const order = engine === 'sqlite' ? 'name COLLATE NOCASE' : 'lower(name)';
  const person = 'default_langcode = 1 AND uid > 0';
  const columns = `uid, name, mail, status, created, ${q('access')}, login`;
  const exact = (column: string) => (engine === 'sqlite' ? `${column} COLLATE BINARY = ?` : `${column} = ?`);
  return {
    search: [
      `SELECT COUNT(*) FROM (SELECT 1 FROM users_field_data WHERE ${person} AND (${contains('name')} OR ${contains('mail')}) LIMIT 100001) c`,
      `SELECT ${columns} FROM users_field_data WHERE ${person} AND (${contains('name')} OR ${contains('mail')}) ORDER BY ${order} LIMIT 25`,
    ],
    byUid: `SELECT ${columns} FROM users_field_data WHERE ${person} AND uid = ?`,
    byMail: `SELECT ${columns} FROM users_field_data WHERE ${person} AND ${exact('mail')}`,
    byName: `SELECT uid FROM users_field_data WHERE ${person} AND ${exact('name')}`,
    sessions: `SELECT sid, hostname, ${q('timestamp')}, ${q('session')} FROM sessions WHERE uid = ? ORDER BY ${q('timestamp')} DESC LIMIT 500`,
    deleteAll: 'DELETE FROM sessions WHERE uid = ?',
  };
}

async function measure(engine: Engine, users: number, target: ConnectionTarget, raw: Raw, rawWrite: Raw, refill: () => Promise<void>) {
  const site = await openDrupalSite({ target, readOnly: false });
  const audit = mkdtempSync(join(tmpdir(), 'si-bench-audit-'));
  const add = (operation: string, project: number, floor: number) => results.push({ engine, users, operation, project, floor });
  try {
    const inspector = new Inspector(site, { auditLog: AuditLog.in(audit), asOf: NOW });
    const operator = await inspector.signIn(ADMIN.name, ADMIN.password);
    const sql = floorSql(engine);
    const small = `user${SMALL_UID}`;
    const mail = `u${SMALL_UID}@example.com`;
    const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
      ['users "ann" (substring, page of 25)', () => inspector.searchUsers(operator, 'ann', { limit: 25, offset: 0 }), async () => {
        await raw(sql.search[0]!);
        await raw(sql.search[1]!);
      }],
      ['users uid:<n>', () => inspector.searchUsers(operator, `uid:${SMALL_UID}`, { limit: 25, offset: 0 }), () => raw(sql.byUid, [SMALL_UID])],
      ['users <e-mail>', () => inspector.searchUsers(operator, mail, { limit: 25, offset: 0 }), () => raw(sql.byMail, [mail])],
      ['resolve a name (sessions <name>)', () => inspector.sessions(operator, { name: small }), async () => {
        await raw(sql.byName, [small]);
        await raw(sql.sessions, [SMALL_UID]);
      }],
      ['sessions of a user with 2', () => inspector.sessions(operator, { uid: SMALL_UID }), () => raw(sql.sessions, [SMALL_UID])],
      ['sessions of a user with 300', () => inspector.sessions(operator, { uid: MEDIUM_UIDS[0]! }), () => raw(sql.sessions, [MEDIUM_UIDS[0]])],
      [`first page of a user with ${BIG_SESSIONS}`, () => inspector.sessions(operator, { uid: BIG_UID }), () => raw(sql.sessions, [BIG_UID])],
    ];
    for (const [name, project, floor] of cases) add(name, await time(project), await time(floor));

    // Revoke all of 10,000 sessions (with their log rows and audit record) against a
    // bare DELETE of the same rows; the rows are put back between runs.
    const revokes: number[] = [];
    const deletes: number[] = [];
    for (let i = 0; i < 3; i++) {
      let start = process.hrtime.bigint();
      await inspector.revokeAll(operator, { uid: BIG_UID });
      revokes.push(Number(process.hrtime.bigint() - start) / 1e6);
      await refill();
      start = process.hrtime.bigint();
      await rawWrite(sql.deleteAll, [BIG_UID]);
      deletes.push(Number(process.hrtime.bigint() - start) / 1e6);
      await refill();
    }
    add(`revoke all ${BIG_SESSIONS} sessions`, median(revokes), median(deletes));

    // The CLI as a person runs it: a process per command, against a plain script.
    const env = {
      ...process.env,
      SESSION_INSPECTOR_PASSWORD: ADMIN.password,
      SESSION_INSPECTOR_HOME: audit,
      ...(target.engine === 'sqlite' ? {} : { SESSION_INSPECTOR_DB_PASSWORD: target.password ?? '' }),
    };
    const url = target.engine === 'sqlite' ? target.file : describeTarget(target);
    const cli = () => execFileSync(process.execPath, [join(ROOT, 'bin', 'session-inspector.js'), '--db', url, '--as', ADMIN.name, '--json', 'sessions', `uid:${SMALL_UID}`], { env });
    const plain = () => execFileSync(process.execPath, ['--input-type=module', '-e', plainScript(target)], { env, cwd: ROOT });
    add('CLI: one user\'s sessions (process)', await time(async () => cli(), 5), await time(async () => plain(), 5));
  } finally {
    await site.db.close();
    rmSync(audit, { recursive: true, force: true });
  }
}

/** The floor of a CLI run: a script that connects and selects, nothing else. */
function plainScript(target: ConnectionTarget): string {
  const select = `SELECT sid, hostname FROM sessions WHERE uid = ${SMALL_UID}`;
  if (target.engine === 'sqlite') {
    return `import D from 'better-sqlite3'; const db = new D(${JSON.stringify(target.file)}, { readonly: true }); console.log(JSON.stringify(db.prepare(${JSON.stringify(select)}).all())); db.close();`;
  }
  const options = JSON.stringify({ host: target.host, port: target.port, user: target.user, password: target.password, database: target.database });
  return target.engine === 'pgsql'
    ? `import pg from 'pg'; const c = new pg.Client(${options}); await c.connect(); console.log(JSON.stringify((await c.query(${JSON.stringify(select)})).rows)); await c.end();`
    : `import m from 'mysql2/promise'; const c = await m.createConnection(${options}); console.log(JSON.stringify((await c.query(${JSON.stringify(select)}))[0])); await c.end();`;
}

async function benchSqlite(users: number) {
  const folder = mkdtempSync(join(tmpdir(), 'si-bench-sqlite-'));
  try {
    const file = join(folder, 'bench.sqlite');
    const started = Date.now();
    await createSqliteSite(file, seed(), { bulk: (exec) => bulkStatements('sqlite', users).forEach(exec) });
    console.log(`sqlite  ${users} users generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const db = new (loadBetterSqlite3())(file);
    db.pragma('busy_timeout = 5000');
    const raw: Raw = async (sql, params = []) => db.prepare(sql).all(...params);
    const rawWrite: Raw = async (sql, params = []) => db.prepare(sql).run(...params);
    // Refilled through the raw connection, before Drupal's collation matters (sessions has none).
    const refill = async () => heavySessions('sqlite', BIG_UID, BIG_SESSIONS).forEach((s) => db.exec(s));
    await measure('sqlite', users, { engine: 'sqlite', file }, raw, rawWrite, refill);
    db.close();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function benchServer(engine: 'pgsql' | 'mysql', server: RunningServer, users: number) {
  const database = `bench_${users}`;
  const root = { engine, ...server.info, database: engine === 'pgsql' ? 'postgres' : 'mysql' } as ServerTarget;
  const admin = engine === 'pgsql' ? await openPostgres(root as ServerTarget<'pgsql'>, { readOnly: false }) : await openMysql(root as ServerTarget<'mysql'>, { readOnly: false });
  await admin.run(engine === 'pgsql' ? `CREATE DATABASE ${database}` : `CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  await admin.close();
  const target = { ...root, database } as ServerTarget;
  const db = engine === 'pgsql' ? await openPostgres(target as ServerTarget<'pgsql'>, { readOnly: false }) : await openMysql(target as ServerTarget<'mysql'>, { readOnly: false });
  const started = Date.now();
  await buildDrupalSite(db, engine, { name: null, tablePrefix: '' }, seed());
  await generateOnServer(db, engine, users);
  console.log(`${engine.padEnd(7)} ${users} users generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const refill = async () => {
    for (const statement of heavySessions(engine, BIG_UID, BIG_SESSIONS)) await db.run(statement);
  };
  try {
    if (engine === 'pgsql') {
      const client = new pg.Client({ ...server.info, database });
      client.on('error', () => undefined);
      await client.connect();
      const raw: Raw = (sql, params = []) => client.query(numbered(sql), params);
      await measure(engine, users, target, raw, raw, refill);
      await client.end();
    } else {
      const connection = await mysql.createConnection({ ...server.info, database });
      connection.on('error', () => undefined);
      const raw: Raw = (sql, params = []) => connection.query(sql, params);
      await measure(engine, users, target, raw, raw, refill);
      await connection.end();
    }
  } finally {
    await db.close();
  }
}

async function main() {
  const servers: Array<['pgsql' | 'mysql', RunningServer]> = [];
  if (postgresAvailable()) servers.push(['pgsql', await startPostgres()]);
  else console.log('pgsql: not installed, skipped');
  if (mariadbAvailable()) servers.push(['mysql', await startMariadb()]);
  else console.log('mysql: not installed, skipped');
  try {
    for (const users of SIZES) {
      await benchSqlite(users);
      for (const [engine, server] of servers) await benchServer(engine, server, users);
    }
  } finally {
    await Promise.all(servers.map(([, server]) => server.stop()));
  }
  const dumps = DUMP_MB > 0 ? await benchDumps(DUMP_MB) : [];
  console.log(`\nMedians in ms, ${RUNS} runs after warm-up (revoke: 3, CLI: 5). ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}.`);
  console.log(`Peak RSS of this process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB.\n`);
  console.log('| engine | users | operation | project | floor | ratio |');
  console.log('|---|---:|---|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.engine} | ${r.users.toLocaleString('en')} | ${r.operation} | ${r.project.toFixed(2)} | ${r.floor.toFixed(2)} | ${(r.project / r.floor).toFixed(2)}× |`);
  }
  if (dumps.length > 0) {
    console.log('\n| dump | project | floor |');
    console.log('|---|---:|---:|');
    for (const row of dumps) console.log(`| ${row.operation} | ${row.value} | ${row.floor} |`);
  }
}

await main();
