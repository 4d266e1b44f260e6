/**
 * Private temporary copies of SQLite snapshots (see sqlite.ts). They hold session
 * secrets and password hashes, so none may outlive the process that made it:
 * - each lives in its own 0700 folder `session-inspector-snapshot-*` in the temp folder,
 *   with an `owner` file naming the process;
 * - they are removed when their connection closes, when the process exits, and on
 *   SIGINT/SIGTERM/SIGHUP (installCleanupOnSignals, called by the CLI and the app);
 * - a process killed outright (SIGKILL, power loss) leaves its folder behind: the next
 *   run removes folders whose owner is no longer running (sweepStaleCopies).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const COPY_FOLDER_PREFIX = 'session-inspector-snapshot-';
const OWNER_FILE = 'owner';
/** A folder this young without an owner file may still be being set up by its owner. */
const SETUP_GRACE_MS = 60_000;

const live = new Set<string>();

function removeAll(): void {
  for (const folder of live) rmSync(folder, { recursive: true, force: true });
  live.clear();
}

let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', removeAll);
}

/** A new private folder for a copy, and the function that removes it. */
export async function makeCopyFolder(): Promise<{ folder: string; remove: () => void }> {
  sweepStaleCopies();
  installExitHook();
  const folder = await mkdtemp(join(tmpdir(), COPY_FOLDER_PREFIX));
  live.add(folder);
  await writeFile(join(folder, OWNER_FILE), `${process.pid}\n`, { mode: 0o600 });
  return {
    folder,
    remove: () => {
      live.delete(folder);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes copies left by processes that no longer run. Returns how many it removed. */
export function sweepStaleCopies(folder = tmpdir()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.startsWith(COPY_FOLDER_PREFIX));
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(folder, name);
    if (live.has(path)) continue;
    try {
      let owner = 0;
      try {
        owner = Number(readFileSync(join(path, OWNER_FILE), 'utf8').trim());
      } catch {
        // No owner file yet: see below.
      }
      // No owner, or an owner file still being written: its process may be setting it up.
      const known = Number.isInteger(owner) && owner > 0;
      if (!known && Date.now() - statSync(path).mtimeMs < SETUP_GRACE_MS) continue;
      if (known && isRunning(owner)) continue;
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // Not ours to judge (another user's folder, a race with its owner): leave it.
    }
  }
  return removed;
}

let signalsInstalled = false;

/**
 * On SIGINT, SIGTERM and SIGHUP: remove the copies, then end as the signal would have
 * (exit code 128 + signal number). For processes that do not handle these signals
 * themselves: the CLI, and the app's main process.
 */
export function installCleanupOnSignals(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  const codes: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
  for (const [signal, number] of Object.entries(codes)) {
    process.once(signal as NodeJS.Signals, () => {
      removeAll();
      process.exit(128 + number);
    });
  }
}
