/**
 * `npm run bench`: how fast the inspector answers on a large site, on each engine,
 * next to the floor: the same question asked with one hand-written query through the
 * same driver (better-sqlite3, pg, mysql2), used directly. The gap is what the
 * inspector adds: the access check (operator, roles), counts, roles and data parsing.
 *
 * BENCH_USERS (default 20000) sets the size. PostgreSQL and MariaDB run when installed,
 * as throwaway servers, like the tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { AuditLog } from '../src/core/audit/audit-log.js';
import { phpassHash } from '../src/core/auth/password.js';
import type { Database } from '../src/core/db/database.js';
import { openMysql } from '../src/core/engines/mysql/driver.js';
import { openPostgres } from '../src/core/engines/pgsql/driver.js';
import { loadBetterSqlite3 } from '../src/core/engines/sqlite/driver.js';
import type { ConnectionTarget, Engine, ServerTarget } from '../src/core/db/target.js';
import { buildDrupalSite, drupalSessionData, randomSid, type SeedSite } from '../src/core/site-builder/seed.js';
import { createSqliteSite } from '../src/core/site-builder/sqlite-site.js';
import { Inspector } from '../src/core/inspector/inspector.js';
import { openDrupalSite } from '../src/core/site.js';
import { mariadbAvailable, postgresAvailable, startMariadb, startPostgres, type RunningServer } from '../test/support/db-servers.js';

const USERS = Number(process.env.BENCH_USERS ?? 20_000);
const HEAVY_UID = 2;
const HEAVY_SESSIONS = 300;
const RUNS = 30;
const NOW = Math.floor(Date.now() / 1000);

function site(): SeedSite {
  const pass = phpassHash('bench', 'benchslt', 7);
  const users = Array.from({ length: USERS }, (_, i) => ({
    uid: i + 1,
    name: i === 0 ? 'admin' : `user${String(i).padStart(6, '0')}${i % 7 === 0 ? 'ann' : ''}`,
    mail: `u${i}@example.${i % 3 === 0 ? 'org' : 'com'}`,
    pass: i === 0 ? pass : null,
    status: 1 as const,
    created: NOW - 400 * 86400 + i,
    access: NOW - (i % 5000),
    login: NOW - (i % 5000),
    roles: i === 0 ? ['administrator'] : i % 10 === 0 ? ['editor'] : [],
  }));
  const sessions = [];
  for (let uid = 1; uid <= USERS; uid += 3) {
    sessions.push({ uid, sid: randomSid(), hostname: '203.0.113.9', timestamp: NOW - (uid % 9000), data: drupalSessionData({ uid, created: NOW - 9000, updated: NOW - (uid % 9000) }) });
  }
  for (let i = 0; i < HEAVY_SESSIONS; i++) {
    sessions.push({ uid: HEAVY_UID, sid: randomSid(), hostname: `198.51.100.${i % 250}`, timestamp: NOW - i * 60, data: drupalSessionData({ uid: HEAVY_UID, created: NOW - 86400, updated: NOW - i * 60, browser: 'Firefox' }) });
  }
  return {
    roles: [
      { id: 'administrator', label: 'Administrator', isAdmin: true, permissions: [] },
      { id: 'editor', label: 'Editor', permissions: ['access content overview'] },
    ],
    users,
    sessions,
  };
}

interface Case {
  name: string;
  inspector: () => Promise<unknown>;
  floor: () => Promise<unknown>;
}

async function time(work: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < 3; i++) await work(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(RUNS / 2)]!, p95: samples[Math.floor(RUNS * 0.95)]! };
}

/** The floor: the plain queries, through the driver used directly. */
function floors(engine: Engine, raw: (sql: string, params: unknown[]) => Promise<unknown>) {
  const q = (name: string) => (engine === 'mysql' ? `\`${name}\`` : `"${name}"`);
  const has = (column: string) =>
    engine === 'sqlite' ? `instr(lower(${column}), 'ann') > 0` : engine === 'pgsql' ? `strpos(lower(${column}), 'ann') > 0` : `LOCATE('ann', LOWER(${column})) > 0`;
  const contains = `(${has('name')} OR ${has('mail')})`;
  const order = engine === 'sqlite' ? 'name COLLATE NOCASE' : 'lower(name)';
  return {
    search: async () => {
      await raw(`SELECT COUNT(*) FROM users_field_data WHERE default_langcode = 1 AND uid > 0 AND ${contains}`, []);
      await raw(`SELECT uid, name, mail, status, created, ${q('access')}, login FROM users_field_data WHERE default_langcode = 1 AND uid > 0 AND ${contains} ORDER BY ${order} LIMIT 25`, []);
    },
    firstPage: async () => {
      await raw('SELECT COUNT(*) FROM users_field_data WHERE default_langcode = 1 AND uid > 0', []);
      await raw(`SELECT uid, name, mail FROM users_field_data WHERE default_langcode = 1 AND uid > 0 ORDER BY ${order} LIMIT 25`, []);
    },
    sessions: () => raw(`SELECT sid, hostname, ${q('timestamp')}, ${q('session')} FROM sessions WHERE uid = ${HEAVY_UID} ORDER BY ${q('timestamp')} DESC`, []),
  };
}

async function measure(engine: Engine, target: ConnectionTarget, raw: (sql: string, params: unknown[]) => Promise<unknown>) {
  const drupal = await openDrupalSite({ target, readOnly: true });
  const audit = mkdtempSync(join(tmpdir(), 'si-bench-'));
  try {
    const inspector = new Inspector(drupal, { auditLog: AuditLog.in(audit) });
    const operator = await inspector.signIn('admin', 'bench');
    const floor = floors(engine, raw);
    const cases: Case[] = [
      { name: `search "ann" (${USERS} users), page of 25`, inspector: () => inspector.searchUsers(operator, 'ann', { limit: 25, offset: 0 }), floor: floor.search },
      { name: 'first page of all users', inspector: () => inspector.searchUsers(operator, '', { limit: 25, offset: 0 }), floor: floor.firstPage },
      { name: `sessions of a user with ${HEAVY_SESSIONS}`, inspector: () => inspector.sessions(operator, { uid: HEAVY_UID }), floor: floor.sessions },
    ];
    for (const c of cases) {
      const a = await time(c.inspector);
      const b = await time(c.floor);
      console.log(
        `${engine.padEnd(7)} ${c.name.padEnd(44)} inspector ${a.median.toFixed(2).padStart(8)} ms (p95 ${a.p95.toFixed(2)})   floor ${b.median.toFixed(2).padStart(8)} ms (p95 ${b.p95.toFixed(2)})   ×${(a.median / b.median).toFixed(1)}`,
      );
    }
  } finally {
    await drupal.db.close();
    rmSync(audit, { recursive: true, force: true });
  }
}

async function seedServer(db: Database, engine: 'pgsql' | 'mysql', data: SeedSite) {
  await db.transaction((tx) => buildDrupalSite(tx, engine, { name: null, tablePrefix: '' }, data));
  await db.run(engine === 'pgsql' ? 'ANALYZE' : 'ANALYZE TABLE users_field_data, sessions, user__roles');
}

async function main() {
  console.log(`Seeding ${USERS} users and ${Math.ceil(USERS / 3) + HEAVY_SESSIONS} sessions per engine…\n`);
  const data = site();

  const folder = mkdtempSync(join(tmpdir(), 'si-bench-sqlite-'));
  const file = join(folder, 'bench.sqlite');
  await createSqliteSite(file, data);
  const sqlite = new (loadBetterSqlite3())(file, { readonly: true });
  await measure('sqlite', { engine: 'sqlite', file }, async (sql) => sqlite.prepare(sql).all());
  sqlite.close();
  rmSync(folder, { recursive: true, force: true });

  const servers: Array<['pgsql' | 'mysql', boolean, () => Promise<RunningServer>]> = [
    ['pgsql', postgresAvailable(), startPostgres],
    ['mysql', mariadbAvailable(), startMariadb],
  ];
  for (const [engine, available, start] of servers) {
    if (!available) {
      console.log(`${engine}: not installed, skipped`);
      continue;
    }
    const server = await start();
    try {
      const target = { engine, ...server.info, database: engine === 'pgsql' ? 'postgres' : 'mysql' } as ServerTarget;
      const admin = engine === 'pgsql' ? await openPostgres(target as ServerTarget<'pgsql'>, { readOnly: false }) : await openMysql(target as ServerTarget<'mysql'>, { readOnly: false });
      if (engine === 'mysql') await admin.run('CREATE DATABASE bench CHARACTER SET utf8mb4');
      await admin.close();
      const siteTarget = engine === 'mysql' ? { ...target, database: 'bench' } : target;
      const db = engine === 'pgsql' ? await openPostgres(siteTarget as ServerTarget<'pgsql'>, { readOnly: false }) : await openMysql(siteTarget as ServerTarget<'mysql'>, { readOnly: false });
      await seedServer(db, engine, data);
      await db.close();
      if (engine === 'pgsql') {
        const client = new pg.Client({ ...server.info, database: 'postgres' });
        await client.connect();
        await measure(engine, siteTarget, (sql) => client.query(sql));
        await client.end();
      } else {
        const connection = await mysql.createConnection({ ...server.info, database: 'bench' });
        await measure(engine, siteTarget, (sql) => connection.query(sql));
        await connection.end();
      }
    } finally {
      await server.stop();
    }
  }
}

await main();
