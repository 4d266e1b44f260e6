/// <reference lib="dom" />
// Callbacks given to page.evaluate() run in the browser: this file alone sees DOM types.
/**
 * The real app in Electron, driven by Playwright's _electron: window security, the
 * demo site, sign-in and a revoke. It needs the Electron binary, which is downloaded
 * from GitHub on first launch; where that cannot happen the suite says so and is skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronBinaryInstalled, ensureElectronBinary, ensureElectronSqlite } from '../../scripts/electron-setup.mjs';

const reason = electronBinaryInstalled()
  ? null
  : 'the Electron binary is not installed (node_modules/electron/dist); it is downloaded from GitHub at the first "npm start", which this machine cannot reach';
if (reason) console.warn(`Skipping the Electron app suite: ${reason}.`);

describe.skipIf(reason !== null)('the app in Electron', () => {
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    const binary = ensureElectronBinary({ quiet: true }) as string;
    ensureElectronSqlite(binary, { quiet: true });
    const build = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(build.stderr);
    app = await electron.launch({
      executablePath: binary,
      args: ['.'],
      env: { ...process.env, SESSION_INSPECTOR_HOME: mkdtempSync(join(tmpdir(), 'si-electron-')) } as Record<string, string>,
    });
    page = await app.firstWindow();
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('gives the page no Node, no ipcRenderer, only the bridge', async () => {
    const globals = await page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      bridge: Object.keys((window as unknown as { sessionInspector: object }).sessionInspector).length,
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', bridge: 16 });
    const url = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.getURL());
    expect(url).toMatch(/^file:.*index\.html$/);
  });

  it('blocks navigation and new windows', async () => {
    const before = page.url();
    await page.evaluate(() => {
      window.open('https://example.com');
      window.location.href = 'https://example.com';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    expect(app.windows()).toHaveLength(1);
  });

  it('opens the demo site, signs in and revokes a session', async () => {
    await page.getByRole('button', { name: 'Open demo site' }).click();
    await page.getByRole('row', { name: /^admin / }).getByRole('button', { name: 'Use' }).click();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('searchbox', { name: 'Search users' }).fill('jdoe');
    await page.locator('.search-meta', { hasText: '1 user' }).waitFor();
    await page.getByRole('option').first().click();
    await expect(page.locator('.sessions-table tbody tr').count()).resolves.toBe(4);
    await page.locator('.sessions-table tbody tr').first().getByRole('button', { name: /^Revoke session/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke 1 session' }).click();
    await page.getByText('Revoked 1 session of jdoe.').waitFor();
  });
});
