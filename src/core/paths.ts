/**
 * The per-user data folder shared by the desktop app and the CLI (audit log, saved
 * connections, demo site). It is the folder Electron would use as userData for an
 * app named "Session Inspector", and the app sets userData to it, so both agree.
 * SESSION_INSPECTOR_HOME overrides it (tests, portable installs).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Session Inspector';

export function dataHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SESSION_INSPECTOR_HOME) return env.SESSION_INSPECTOR_HOME;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}
