// Where the better-sqlite3 binary built for Electron's ABI lives: written once, here, for
// both sides that need it. Plain JavaScript, because `npm start` (scripts/electron-setup.mjs)
// runs it in Node before anything is built; the app (native-sqlite.ts) imports it too.
import { join } from 'node:path';

/** The folder, beside the project, that holds native builds for Electron. */
export const NATIVE_FOLDER = '.native';

/** The folder for one Electron ABI: the binary and an `abi` stamp file. */
export function electronBindingDir(projectRoot, abi) {
  return join(projectRoot, NATIVE_FOLDER, `electron-${abi}`);
}
