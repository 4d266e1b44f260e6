/**
 * Hardening 9 and 10: SQLite snapshots.
 * - A read-only run on a snapshot with a pending -wal reads a private copy (secrets and
 *   hashes inside). Killed with SIGINT/SIGTERM it removes the copy; killed outright
 *   (SIGKILL) it cannot, and the next run sweeps copies whose process is gone.
 * - A long-lived read-only connection to a live site's file sees what the site writes
 *   afterwards (checkpointed or still in its -wal), instead of the file as it was at open.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { COPY_FOLDER_PREFIX, sweepStaleCopies } from '../../src/core/engines/sqlite/private-copies.js';
import { loadBetterSqlite3 } from '../../src/core/engines/sqlite/driver.js';
import { createSqliteSite } from '../../src/core/site-builder/sqlite-site.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openDrupalSite } from '../../src/core/site.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();
const BIN = join(process.cwd(), 'bin', 'session-inspector.js');

async function newSite(): Promise<string> {
  const file = join(tempDir('si-snapfile-'), 'drupal.sqlite');
  await createSqliteSite(file, (await buildDataset()).site);
  return file;
}

/** A copy of a live site taken with its pending -wal, as a backup tool would. */
async function walSnapshot(): Promise<string> {
  const file = await newSite();
  const live = new (loadBetterSqlite3())(file);
  live.pragma('wal_autocheckpoint = 0');
  live.prepare('INSERT INTO sessions (uid, sid, hostname, timestamp, session) VALUES (?, ?, ?, ?, ?)').run(UID.zoe, 'in-the-wal', '192.0.2.9', NOW, null);
  const snapshot = join(tempDir('si-walcopy-'), 'drupal.sqlite');
  copyFileSync(file, snapshot);
  copyFileSync(`${file}-wal`, `${snapshot}-wal`);
  live.close();
  return snapshot;
}

const copiesIn = (folder: string) => readdirSync(folder).filter((name) => name.startsWith(COPY_FOLDER_PREFIX));

async function waitFor(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the CLI on the snapshot, waiting at its password read with the copy made. */
async function cliHoldingACopy(snapshot: string, tmp: string) {
  const child = spawn(process.execPath, [BIN, '--db', snapshot, '--read-only', '--as', 'siteadmin', '--password-stdin', 'whoami'], {
    env: { ...process.env, TMPDIR: tmp, SESSION_INSPECTOR_HOME: tempDir('si-snaphome-') },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // The copy is complete once the database file is in the folder beside its owner file.
  const copied = () => copiesIn(tmp).some((name) => existsSync(join(tmp, name, 'owner')) && existsSync(join(tmp, name, 'drupal.sqlite-wal')));
  await waitFor(copied, 'the private copy');
  return { child, exited };
}

describe('private copies of snapshots', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('are removed when the CLI is stopped with %s', { timeout: 60_000 }, async (signal) => {
    const tmp = tempDir('si-tmpdir-');
    const { child, exited } = await cliHoldingACopy(await walSnapshot(), tmp);
    child.kill(signal);
    const { code } = await exited;
    expect(code).toBe(signal === 'SIGTERM' ? 143 : 130);
    expect(copiesIn(tmp)).toEqual([]);
  });

  it('left by a killed process are swept by the next run', { timeout: 60_000 }, async () => {
    const tmp = tempDir('si-tmpdir-');
    const { child, exited } = await cliHoldingACopy(await walSnapshot(), tmp);
    child.kill('SIGKILL');
    await exited;
    expect(copiesIn(tmp)).toHaveLength(1);
    // A folder of a process that still runs (this one) is left alone.
    const mine = join(tmp, `${COPY_FOLDER_PREFIX}alive`);
    mkdirSync(mine);
    writeFileSync(join(mine, 'owner'), `${process.pid}\n`);
    expect(sweepStaleCopies(tmp)).toBe(1);
    expect(copiesIn(tmp)).toEqual([`${COPY_FOLDER_PREFIX}alive`]);
  });

  it('are removed when the connection closes', async () => {
    const snapshot = await walSnapshot();
    const tmp = tempDir('si-tmpdir-');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp; // os.tmpdir() reads it at each call
    try {
      const site = await openDrupalSite({ target: { engine: 'sqlite', file: snapshot }, readOnly: true });
      expect(copiesIn(tmp)).toHaveLength(1);
      await site.db.close();
      expect(copiesIn(tmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});

describe('a read-only connection to a live site', () => {
  it('sees what the site writes after it was opened', async () => {
    const file = await newSite();
    const site = await openDrupalSite({ target: { engine: 'sqlite', file }, readOnly: true });
    try {
      const inspector = new Inspector(site, { asOf: NOW, auditLog: AuditLog.in(tempDir('si-live-')) });
      const admin = await inspector.signIn('siteadmin', PASSWORDS.siteadmin);
      const sids = async () => (await inspector.sessions(admin, { uid: UID.zoe })).sessions.map((s) => s.sid);
      expect(await sids()).toHaveLength(5);

      const live = new (loadBetterSqlite3())(file);
      live.pragma('wal_autocheckpoint = 0');
      const insert = live.prepare('INSERT INTO sessions (uid, sid, hostname, timestamp, session) VALUES (?, ?, ?, ?, ?)');
      // Written and checkpointed into the main file.
      insert.run(UID.zoe, 'written-later', '192.0.2.10', NOW, null);
      live.pragma('wal_checkpoint(TRUNCATE)');
      expect(await sids()).toContain('written-later');
      // Written and still only in the -wal; seen after at most a second (re-opens are rate-limited).
      insert.run(UID.zoe, 'still-in-wal', '192.0.2.11', NOW, null);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await sids()).toContain('still-in-wal');
      live.close();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await sids()).toHaveLength(7);
    } finally {
      await site.db.close();
    }
  });
});
