/**
 * Drupal-shaped benchmark sites of any size, generated inside the database: Drupal's own
 * tables and indexes (the site builder's DDL), a small seed (roles, the admin who signs
 * in), then the bulk in a few INSERT … SELECT statements over a number series
 * (PostgreSQL generate_series, MariaDB's SEQUENCE engine, a recursive CTE on SQLite).
 *
 * The shape: `users` accounts, two sessions each, every 7th name containing "ann",
 * every 10th account an editor; five users with 300 sessions and one with 10,000.
 */
import type { Database } from '../src/core/db/database.js';
import type { Engine } from '../src/core/db/target.js';
import { phpassHash } from '../src/core/auth/password.js';
import type { SeedSite } from '../src/core/site-builder/seed.js';
import { dialectFor } from '../src/core/engines/index.js';

export const NOW = 1_790_000_000;
export const ADMIN = { name: 'admin', password: 'bench' };
/** Users with 300 sessions each, and the one with 10,000. */
export const MEDIUM_UIDS = [3, 4, 5, 6, 7];
export const BIG_UID = 8;
export const BIG_SESSIONS = 10_000;
/** An ordinary account: one of its two sessions is the one looked up. */
export const SMALL_UID = 1234;

/** The seed every size starts from: roles, uid 0 and the admin (uid 1). */
export function seed(): SeedSite {
  return {
    roles: [
      { id: 'administrator', label: 'Administrator', isAdmin: true, permissions: [] },
      { id: 'editor', label: 'Editor', permissions: ['access content overview'] },
    ],
    users: [{
      uid: 1, name: ADMIN.name, mail: 'admin@example.com', pass: phpassHash(ADMIN.password, 'benchslt', 7), status: 1,
      created: NOW - 400 * 86400, access: NOW, login: NOW, roles: ['administrator'],
    }],
    sessions: [],
  };
}

/** A number series named `s` with a column `x`, from `lo` to `hi`, in each engine's SQL. */
function series(engine: Engine, lo: number, hi: number): { with: string; from: string } {
  switch (engine) {
    case 'pgsql':
      return { with: '', from: `generate_series(${lo}, ${hi}) AS s(x)` };
    case 'mysql':
      return { with: '', from: `(SELECT seq AS x FROM seq_${lo}_to_${hi}) s` };
    case 'sqlite':
      return { with: `WITH RECURSIVE s(x) AS (SELECT ${lo} UNION ALL SELECT x + 1 FROM s WHERE x < ${hi}) `, from: 's' };
  }
}

/** Session data as Drupal writes it, built in SQL around the uid (text; bytea on PostgreSQL). */
function sessionData(engine: Engine, uid: string, updated: string): string {
  const text = `'_sf2_attributes|a:2:{s:3:"uid";s:' || length(CAST(${uid} AS CHAR(20))) || ':"' || ${uid} || '";s:15:"check_logged_in";b:1;}_sf2_meta|a:4:{s:1:"u";i:' || (${updated}) || ';s:1:"c";i:${NOW - 90000};s:1:"l";i:2000000;s:1:"s";s:43:"Bench00000000000000000000000000000000000000";}'`;
  return engine === 'pgsql' ? `convert_to(${text.replace(/CAST\((.*?) AS CHAR\(20\)\)/, '$1::text')}, 'UTF8')` : text;
}

/** The INSERT … SELECT statements that make `users` accounts and their sessions. */
export function bulkStatements(engine: Engine, users: number): string[] {
  const q = dialectFor(engine).column;
  const all = series(engine, 2, users);
  const statements = [
    `${all.with}INSERT INTO users (uid, uuid, langcode) SELECT x, 'uuid-' || x, 'en' FROM ${all.from}`,
    `${all.with}INSERT INTO users_field_data (uid, langcode, preferred_langcode, preferred_admin_langcode, name, pass, mail, timezone, status, created, changed, ${q('access')}, login, init, default_langcode)
     SELECT x, 'en', 'en', NULL, 'user' || x || CASE WHEN x % 7 = 0 THEN 'ann' ELSE '' END, NULL, 'u' || x || '@example.com', 'UTC', 1,
       ${NOW - 400 * 86400} + x % 1000, ${NOW - 400 * 86400} + x % 1000, ${NOW} - x % 5000, ${NOW} - x % 5000, 'u' || x || '@example.com', 1
     FROM ${all.from}`,
    `${all.with}INSERT INTO user__roles (bundle, deleted, entity_id, revision_id, langcode, delta, roles_target_id)
     SELECT 'user', 0, x, x, 'en', 0, 'editor' FROM ${all.from} WHERE x % 10 = 0`,
  ];
  // Two sessions per account: one recent, one older (active, idle and stale all occur).
  for (const [tag, age] of [['a', 'x % 900'], ['b', '3600 + x % 400000']] as const) {
    statements.push(
      `${all.with}INSERT INTO sessions (uid, sid, hostname, ${q('timestamp')}, ${q('session')})
       SELECT x, '${tag}' || x || 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '203.0.113.' || (x % 250), ${NOW} - (${age}), ${sessionData(engine, 'x', `${NOW} - (${age})`)}
       FROM ${all.from}`,
    );
  }
  for (const uid of [...MEDIUM_UIDS, BIG_UID]) statements.push(...heavySessions(engine, uid, uid === BIG_UID ? BIG_SESSIONS : 300));
  return statements;
}

/** `count` more sessions of one user (also used to put the 10,000 back between revokes). */
export function heavySessions(engine: Engine, uid: number, count: number): string[] {
  const q = dialectFor(engine).column;
  const s = series(engine, 1, count);
  return [
    `${s.with}INSERT INTO sessions (uid, sid, hostname, ${q('timestamp')}, ${q('session')})
     SELECT ${uid}, 'h${uid}-' || x || 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '198.51.100.' || (x % 250), ${NOW} - x * 7, ${sessionData(engine, String(uid), `${NOW} - x * 7`)}
     FROM ${s.from}`,
  ];
}

/** Runs the bulk statements on a server database, then lets the planner see the new sizes. */
export async function generateOnServer(db: Database, engine: 'pgsql' | 'mysql', users: number): Promise<void> {
  for (const statement of bulkStatements(engine, users)) await db.run(statement);
  await db.run(engine === 'pgsql' ? 'ANALYZE' : 'ANALYZE TABLE users, users_field_data, sessions, user__roles');
}
