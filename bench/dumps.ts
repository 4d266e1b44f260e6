/**
 * The dump import, measured (part of `npm run bench`): a Drupal-shaped mysqldump of
 * BENCH_DUMP_MB MiB (default 2048: users, two sessions each, and the bulk of a real dump,
 * watchdog and render-cache rows the audit skips), plain and gzipped. Reported: import
 * speed next to its floor (reading the file, and gunzipping it, with nothing else), the
 * importing process's peak RSS (a child process of its own), and a second open.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { openInspector } from '../src/core/inspector/open-inspector.js';

export interface DumpRow {
  operation: string;
  value: string;
  floor: string;
}

const CHILD = join(import.meta.dirname, 'dump-import-child.ts');

/** Writes a mysqldump-shaped file of about `megabytes` MiB. */
export async function writeDump(file: string, megabytes: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) => new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  await write('-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)\n--\n-- Host: 127.0.0.1    Database: drupal\n\n');
  await write('/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n/*!40101 SET NAMES utf8mb4 */;\n\n');
  await write("CREATE TABLE `users_field_data` (\n  `uid` int(10) unsigned NOT NULL,\n  `langcode` varchar(12) CHARACTER SET ascii NOT NULL,\n  `name` varchar(60) NOT NULL,\n  `pass` varchar(255) DEFAULT NULL,\n  `mail` varchar(254) DEFAULT NULL,\n  `status` tinyint(4) DEFAULT NULL,\n  `created` int(11) NOT NULL,\n  `access` int(11) NOT NULL,\n  `login` int(11) DEFAULT NULL,\n  `default_langcode` tinyint(4) NOT NULL,\n  PRIMARY KEY (`uid`,`langcode`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\n");
  await write("CREATE TABLE `user__roles` (\n  `bundle` varchar(128) CHARACTER SET ascii NOT NULL DEFAULT '',\n  `deleted` tinyint(4) NOT NULL DEFAULT 0,\n  `entity_id` int(10) unsigned NOT NULL,\n  `revision_id` int(10) unsigned NOT NULL,\n  `langcode` varchar(32) CHARACTER SET ascii NOT NULL DEFAULT '',\n  `delta` int(10) unsigned NOT NULL,\n  `roles_target_id` varchar(255) CHARACTER SET ascii NOT NULL,\n  PRIMARY KEY (`entity_id`,`deleted`,`delta`,`langcode`)\n) ENGINE=InnoDB;\n\n");
  await write("CREATE TABLE `config` (\n  `collection` varchar(255) CHARACTER SET ascii NOT NULL DEFAULT '',\n  `name` varchar(255) CHARACTER SET ascii NOT NULL DEFAULT '',\n  `data` longblob DEFAULT NULL,\n  PRIMARY KEY (`collection`,`name`)\n) ENGINE=InnoDB;\n\n");
  await write("INSERT INTO `config` VALUES ('','user.role.support',_binary 'a:2:{s:5:\\\"label\\\";s:7:\\\"Support\\\";s:11:\\\"permissions\\\";a:1:{i:0;s:27:\\\"inspect other user sessions\\\";}}'),('','system.site',_binary 'a:1:{s:4:\\\"name\\\";s:4:\\\"Site\\\";}');\n");
  await write("CREATE TABLE `sessions` (\n  `uid` int(10) unsigned NOT NULL,\n  `sid` varchar(128) CHARACTER SET ascii NOT NULL,\n  `hostname` varchar(128) CHARACTER SET ascii NOT NULL DEFAULT '',\n  `timestamp` bigint(20) NOT NULL DEFAULT 0,\n  `session` longblob DEFAULT NULL,\n  PRIMARY KEY (`sid`),\n  KEY `timestamp` (`timestamp`),\n  KEY `uid` (`uid`)\n) ENGINE=InnoDB;\n\n");
  await write("CREATE TABLE `watchdog` (\n  `wid` bigint(20) NOT NULL AUTO_INCREMENT,\n  `uid` int(10) unsigned NOT NULL DEFAULT 0,\n  `type` varchar(64) CHARACTER SET ascii NOT NULL DEFAULT '',\n  `message` longtext NOT NULL,\n  `variables` longblob NOT NULL,\n  PRIMARY KEY (`wid`)\n) ENGINE=InnoDB;\n\n");
  await write("CREATE TABLE `cache_render` (\n  `cid` varchar(255) CHARACTER SET ascii NOT NULL DEFAULT '',\n  `data` longblob DEFAULT NULL,\n  PRIMARY KEY (`cid`)\n) ENGINE=InnoDB;\n\n");
  const target = megabytes * 1024 * 1024;
  let bytes = 0;
  let uid = 1;
  let wid = 1;
  const now = 1_790_000_000;
  while (bytes < target) {
    // Per round: 500 users with two sessions each, then the bulk the audit skips.
    const users: string[] = [];
    const roles: string[] = [];
    const sessions: string[] = [];
    for (let i = 0; i < 500; i++, uid++) {
      users.push(`(${uid},'en','user${uid}','$2y$10$abcdefghijklmnopqrstuuJ1m2n3o4p5q6r7s8t9u0v1w2x3y4z5A','user${uid}@example.com',1,${now - uid},${now - (uid % 86400)},${now - (uid % 86400)},1)`);
      if (uid % 50 === 0) roles.push(`('user',0,${uid},${uid},'en',0,'support')`);
      for (let s = 0; s < 2; s++) {
        const sid = `${uid.toString(36).padStart(8, '0')}${s}${'x'.repeat(34)}`;
        sessions.push(`(${uid},'${sid}','203.0.${uid % 256}.${s}',${now - (uid % 7200)},_binary '_sf2_attributes|a:1:{s:3:\\"uid\\";s:${String(uid).length}:\\"${uid}\\";}_sf2_meta|a:4:{s:1:\\"u\\";i:${now};s:1:\\"c\\";i:${now - 3600};s:1:\\"l\\";i:2000000;s:1:\\"s\\";s:43:\\"${sid.slice(0, 43)}\\";}')`);
      }
    }
    const logs: string[] = [];
    for (let i = 0; i < 2000; i++, wid++) {
      logs.push(`(${wid},${wid % 1000},'user','Session opened for %name.',_binary 'a:1:{s:5:\\"%name\\";s:${`user${wid % 1000}`.length}:\\"user${wid % 1000}\\";}')`);
    }
    const cache: string[] = [];
    for (let i = 0; i < 50; i++) cache.push(`('entity_view:node:${wid}:${i}',_binary '${'a:3:{s:7:\\"#markup\\";s:512:\\"'.padEnd(600, 'm')}\\";}')`);
    const text =
      `INSERT INTO \`users_field_data\` VALUES ${users.join(',')};\n` +
      (roles.length ? `INSERT INTO \`user__roles\` VALUES ${roles.join(',')};\n` : '') +
      `INSERT INTO \`sessions\` VALUES ${sessions.join(',')};\n` +
      `INSERT INTO \`watchdog\` VALUES ${logs.join(',')};\n` +
      `INSERT INTO \`cache_render\` VALUES ${cache.join(',')};\n`;
    bytes += Buffer.byteLength(text);
    await write(text);
  }
  await write('/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n\n-- Dump completed on 2026-11-20  9:30:00\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Imports in a child process of its own, for an honest peak RSS. */
function importInChild(file: string, home: string): { seconds: number; maxRssMiB: number; rows: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD, file, home], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; maxRssMiB: number; rows: number };
}

export async function benchDumps(megabytes: number): Promise<DumpRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'si-bench-dump-'));
  try {
    const plain = join(folder, 'drupal.sql');
    const gz = `${plain}.gz`;
    console.log(`dumps: writing a ${megabytes} MiB mysqldump-shaped dump…`);
    await writeDump(plain, megabytes);
    await pipeline(createReadStream(plain), createGzip({ level: 1 }), createWriteStream(gz));
    const size = statSync(plain).size;
    const gzSize = statSync(gz).size;
    const mb = (bytes: number, s: number) => `${(bytes / 1024 / 1024 / s).toFixed(0)} MB/s`;
    const readFloor = await seconds(() => pipeline(createReadStream(plain, { highWaterMark: 1024 * 1024 }), async function* (source) {
      for await (const _ of source) yield* [];
    }));
    const gunzipFloor = await seconds(() => pipeline(createReadStream(gz), createGunzip(), async function* (source) {
      for await (const _ of source) yield* [];
    }));
    const rows: DumpRow[] = [];
    for (const [label, file, bytes, floor] of [['plain', plain, size, readFloor], ['gzip', gz, size, gunzipFloor]] as const) {
      const home = join(folder, `home-${label}`);
      const first = importInChild(file, home);
      rows.push({ operation: `import ${label} (${(size / 1024 / 1024).toFixed(0)} MiB of SQL${label === 'gzip' ? `, ${(gzSize / 1024 / 1024).toFixed(0)} MiB gzipped` : ''}; ${first.rows.toLocaleString('en')} rows kept)`, value: mb(bytes, first.seconds), floor: `${mb(bytes, floor)} (${label === 'plain' ? 'read' : 'gunzip'} only)` });
      rows.push({ operation: `import ${label}: peak RSS of the importing process`, value: `${first.maxRssMiB} MiB`, floor: '-' });
      const again = await seconds(async () => {
        const inspector = await openInspector({ target: { engine: 'sqlite', file }, readOnly: true, dataHome: home });
        await inspector.site.db.close();
      });
      rows.push({ operation: `open ${label} again (snapshot reused)`, value: `${(again * 1000).toFixed(0)} ms`, floor: '-' });
    }
    return rows;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
