/**
 * The Electron main process: lifecycle, the window, and IPC registration. Everything
 * else (the Drupal core, access checks, handlers) is plain Node and lives elsewhere.
 */
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session } from 'electron';
import { dataHome } from '../core/paths.js';
import { resolveAppPage } from './app/app-page.js';
import { appUrlMatcher, guardNavigation } from './app/navigation-guard.js';
import { findElectronBinding } from './app/native-sqlite.js';
import { registerIpc } from './app/register-ipc.js';
import { createMainWindow, type AppPage } from './app/window.js';
import { createDispatcher } from './ipc/dispatcher.js';
import { ConsoleService } from './services/console-service.js';
import { installCleanupOnSignals, sweepStaleCopies } from '../core/engines/sqlite/private-copies.js';
import type { SecretBox } from './services/secret-box.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = join(here, '..', '..');
// import.meta.env.DEV is replaced at build time: false in every build but `npm run dev`,
// so a production bundle holds no path to a renderer URL at all.
const page: AppPage = import.meta.env.DEV
  ? resolveAppPage({ development: !app.isPackaged, rendererUrl: process.env.ELECTRON_RENDERER_URL, builtFile: join(here, '..', 'renderer', 'index.html') })
  : { file: join(here, '..', 'renderer', 'index.html') };
const isAppUrl = appUrlMatcher(page);

// The app and the CLI share one data folder (audit log, profiles).
app.setName('Session Inspector');
app.setPath('userData', dataHome());

/** safeStorage, except where Linux has no keyring ("basic_text"): then nothing is stored. */
const keyring: SecretBox = {
  available: () =>
    safeStorage.isEncryptionAvailable() &&
    (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (sealed) => safeStorage.decryptString(sealed),
};

let mainWindow: BrowserWindow | null = null;

function start(): void {
  // Snapshot copies left by a run that was killed outright hold secrets: remove them.
  sweepStaleCopies();
  const binding = findElectronBinding(projectRoot);
  const service = new ConsoleService({
    dataHome: dataHome(),
    secrets: keyring,
    // SQLite is synchronous: it runs on a worker thread so that no query freezes the window.
    sqliteWorker: join(here, 'sqlite-worker.js'),
    dumpWorker: join(here, 'dump-import-worker.js'),
    ...('path' in binding ? { sqliteNativeBinding: binding.path } : { sqliteUnavailable: binding.problem }),
    version: app.getVersion(),
    geoip: (process.env.SESSION_INSPECTOR_GEOIP ?? '').split(delimiter).filter(Boolean),
    chooseExportFile: async (suggestedName) => {
      const options = {
        title: 'Export as CSV',
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: [{ name: 'CSV', extensions: ['csv'] }],
      };
      const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    chooseSqliteFile: async () => {
      const options = {
        title: 'Choose a Drupal SQLite database or a dump',
        properties: ['openFile' as const],
        filters: [
          { name: 'SQLite databases and dumps', extensions: ['sqlite', 'sqlite3', 'db', 'sql', 'gz', 'dump'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    chooseCredentialFile: async (kind) => {
      const titles = {
        ca: 'Choose the certificate authority (PEM)',
        cert: 'Choose the client certificate (PEM)',
        key: 'Choose the client key (PEM)',
        sshKey: 'Choose your SSH private key',
      } as const;
      const extensions = { ca: ['pem', 'crt', 'cer'], cert: ['pem', 'crt', 'cer'], key: ['pem', 'key'], sshKey: ['*'] } as const;
      const options = {
        title: titles[kind],
        properties: ['openFile' as const, ...(kind === 'sshKey' ? (['showHiddenFiles'] as const) : [])],
        filters: [
          { name: kind === 'sshKey' ? 'SSH keys' : 'PEM files', extensions: [...extensions[kind]] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });

  registerIpc(
    ipcMain,
    createDispatcher(service.handlers(), {
      isTrustedSender: isAppUrl,
      isSignedIn: () => service.signedIn,
      logError: (channel, error) => console.error(`[ipc ${channel}]`, error instanceof Error ? error.message : error),
    }),
  );

  // No permission (camera, notifications, …) is granted to the page but writing to the
  // clipboard, for "copy the full session id", and only from the app's own page.
  const allowed = (permission: string, url: string) => permission === 'clipboard-sanitized-write' && isAppUrl(url);
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => callback(allowed(permission, contents.getURL())));
  session.defaultSession.setPermissionCheckHandler((_contents, permission, origin) => allowed(permission, origin));

  mainWindow = createMainWindow(page, join(here, '..', 'preload'));
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  app.on('before-quit', () => void service.dispose());
}

// A kill (SIGTERM, Ctrl-C in the terminal) must not leave a private snapshot copy behind.
installCleanupOnSignals();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  // Every webContents, whatever creates it, gets the same navigation guard.
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, isAppUrl));
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(start);
}
