// Gets Electron ready on this machine: its binary (downloaded on first use) and a
// better-sqlite3 built for Electron's ABI in .native/electron-<abi>/, next to, never
// instead of, the Node build that the CLI and the tests use.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBindingDir, NATIVE_FOLDER } from '../src/main/app/native-binding-path.mjs';

const require = createRequire(import.meta.url);
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export class SetupError extends Error {}

/**
 * The desktop app needs the Node that Electron's own package asks for (its installer and
 * launcher use Node 22 APIs); the command line runs on Node 20.19 and later.
 */
export const APP_NODE_MAJOR = 22;
export function requireNodeForApp(version = process.versions.node) {
  const major = Number(version.split('.')[0]);
  if (!(major >= APP_NODE_MAJOR)) {
    throw new SetupError(`the desktop app needs Node ${APP_NODE_MAJOR} or later, because Electron does, and this is Node ${version}; install Node ${APP_NODE_MAJOR}+ (nodejs.org, or nvm install ${APP_NODE_MAJOR})`);
  }
}

function electronDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    throw new SetupError('the electron package is not installed (run npm install first)');
  }
}

/** Path of the Electron executable, downloading it first if needed. */
export function ensureElectronBinary({ quiet = false } = {}) {
  const ELECTRON_DIR = electronDir();
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  if (!electronBinaryInstalled()) {
    if (!quiet) console.log('Downloading Electron (first start only)…');
    const result = spawnSync(process.execPath, [join(ELECTRON_DIR, 'install.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    if (result.status !== 0 || !electronBinaryInstalled()) {
      const reason = `${result.stderr ?? ''}${result.stdout ?? ''}`.split('\n').find((l) => /error|failed|ENOTFOUND|ECONN/i.test(l))?.trim() ?? 'no details';
      throw new SetupError(`the Electron binary could not be downloaded (${reason})`);
    }
  }
  return join(ELECTRON_DIR, 'dist', readFileSync(pathFile, 'utf8'));
}

export function electronBinaryInstalled() {
  const ELECTRON_DIR = electronDir();
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  return existsSync(pathFile) && existsSync(join(ELECTRON_DIR, 'dist', readFileSync(pathFile, 'utf8')));
}

function electronAbi(electron) {
  const result = spawnSync(electron, ['-p', 'process.versions.modules'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  const abi = result.stdout?.trim();
  if (result.status !== 0 || !/^\d+$/.test(abi ?? '')) throw new SetupError(`cannot ask Electron for its ABI: ${result.stderr || result.error}`);
  return abi;
}

/** Loads the binding inside Electron (as Node) and opens a database: the real ABI check. */
function bindingWorks(electron, binding) {
  const script = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new D(':memory:', { nativeBinding: ${JSON.stringify(binding)} });
    db.prepare('select 1').get(); db.close();`;
  const result = spawnSync(electron, ['-e', script], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  return result.status === 0;
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return result.status === 0;
}

/** Builds (or fetches) better-sqlite3 for Electron's ABI; returns the .node path. */
export function ensureElectronSqlite(electron, { quiet = false } = {}) {
  const abi = electronAbi(electron);
  const folder = electronBindingDir(ROOT, abi);
  const binding = join(folder, 'better_sqlite3.node');
  const stamp = join(folder, 'abi');
  if (existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === abi && bindingWorks(electron, binding)) return binding;

  if (!quiet) console.log(`Building SQLite support for Electron (ABI ${abi}, once)…`);
  const version = require('electron/package.json').version;
  const work = join(ROOT, NATIVE_FOLDER, `build-${abi}`, 'better-sqlite3');
  rmSync(join(ROOT, NATIVE_FOLDER, `build-${abi}`), { recursive: true, force: true });
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  cpSync(source, work, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
  const target = [`--runtime=electron`, `--target=${version}`, `--arch=${process.arch}`];
  // prebuild-install is better-sqlite3's own dependency: resolve it from there.
  const fromSqlite = createRequire(require.resolve('better-sqlite3/package.json'));
  const prebuild = join(dirname(fromSqlite.resolve('prebuild-install/package.json')), 'bin.js');
  const built =
    run(process.execPath, [prebuild, ...target, `--platform=${process.platform}`], work) ||
    // node-gyp is our pinned devDependency, never whatever `npx` would download.
    run(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', ...target, '--dist-url=https://electronjs.org/headers'], work);
  const output = join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!built || !existsSync(output)) throw new SetupError('better-sqlite3 could not be built for Electron (no prebuilt binary and no C++ toolchain)');
  mkdirSync(folder, { recursive: true });
  cpSync(output, binding);
  writeFileSync(join(folder, 'abi'), `${abi}\n`);
  rmSync(join(ROOT, NATIVE_FOLDER, `build-${abi}`), { recursive: true, force: true });
  if (!bindingWorks(electron, binding)) {
    rmSync(folder, { recursive: true, force: true });
    throw new SetupError(`the better-sqlite3 built for Electron does not load in Electron (ABI ${abi})`);
  }
  return binding;
}
