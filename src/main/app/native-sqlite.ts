/**
 * better-sqlite3 for Electron. The package's own build targets Node (the CLI and the
 * tests use it); Electron has another ABI, so `npm start` builds or fetches a copy for
 * Electron into .native/electron-<abi>/ (scripts/electron-setup.mjs). The app loads
 * that copy through better-sqlite3's `nativeBinding` option, after checking that it was
 * built for the ABI it runs on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronBindingDir } from './native-binding-path.mjs';

export function electronBindingPath(projectRoot: string, abi = process.versions.modules): string {
  return join(electronBindingDir(projectRoot, abi), 'better_sqlite3.node');
}

/** The binding for this process' ABI, or an explanation of why there is none. */
export function findElectronBinding(projectRoot: string, abi = process.versions.modules): { path: string } | { problem: string } {
  const path = electronBindingPath(projectRoot, abi);
  if (!existsSync(path)) {
    return { problem: `SQLite support for this Electron (ABI ${abi}) is not built yet. Quit and start the app with "npm start", which builds it.` };
  }
  const stamp = join(path, '..', 'abi');
  const built = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
  if (built !== abi) {
    return { problem: `The SQLite module in ${path} was built for ABI ${built || 'unknown'}, not ${abi}. Run "npm start" again to rebuild it.` };
  }
  return { path };
}
