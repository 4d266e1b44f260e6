// `npm start`: makes sure Electron and its SQLite module are there, builds the app, opens it.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureElectronBinary, ensureElectronSqlite, requireNodeForApp, ROOT, SetupError } from './electron-setup.mjs';

try {
  requireNodeForApp();
  const electron = ensureElectronBinary();
  ensureElectronSqlite(electron);
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const app = spawn(electron, ['.', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  app.on('exit', (code) => process.exit(code ?? 0));
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(`Session Inspector cannot open its window here: ${error.message}. The command line works: npx session-inspector --help`);
  process.exit(1);
}
