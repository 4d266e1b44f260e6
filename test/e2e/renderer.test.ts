/// <reference lib="dom" />
// Callbacks given to page.evaluate() run in the browser: this file alone sees DOM types.
/**
 * The renderer end to end: the built page in Debian's Chromium, every bridge call going
 * through the real IPC dispatcher and handlers on a real SQLite Drupal database.
 * Screenshots of every screen land in test-results/screenshots/.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBetterSqlite3, openSqlite } from '../../src/core/engines/sqlite/driver.js';
import { createSqliteSite } from '../../src/core/site-builder/sqlite-site.js';
import { drupalSessionData, randomSid } from '../../src/core/site-builder/seed.js';
import { buildDataset, NOW, PASSWORDS, VECTORS } from '../support/dataset.js';
import { writeDump } from '../../bench/dumps.js';
import { tempDirs } from '../support/temp.js';
import { createTestSite, unavailable } from '../support/engines.js';
import { sshdAvailable, startSshServer } from '../support/ssh-server.js';
import { launchChromium, openApp, rendererMissing, SCREENSHOT_DIR, serveRenderer, type AppUnderTest } from '../support/renderer-harness.js';
import { STAND_IN_KEYRING } from '../support/keyring.js';

const missing = rendererMissing();
if (missing && process.env.CI === 'true') throw new Error(`End-to-end tests cannot run in CI: ${missing}`);
if (missing) console.warn(`Skipping the renderer end-to-end tests: ${missing}`);

const JDOE = 3;
const tempDir = tempDirs();

async function countSessions(app: AppUnderTest, uid: number): Promise<number> {
  const db = await openSqlite(join(app.dataHome, 'demo-site.sqlite'), { readOnly: false });
  try {
    const [row] = await db.all<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE uid = ?', [uid]);
    return Number(row?.n);
  } finally {
    await db.close();
  }
}

async function deleteSession(app: AppUnderTest, uid: number, hostname: string): Promise<void> {
  const db = await openSqlite(join(app.dataHome, 'demo-site.sqlite'), { readOnly: false });
  try {
    await db.run('DELETE FROM sessions WHERE uid = ? AND hostname = ?', [uid, hostname]);
  } finally {
    await db.close();
  }
}

async function openDemoAndSignIn(app: AppUnderTest, account: 'admin' | 'support' | 'jdoe', shoot = false) {
  const { page } = app;
  await page.getByRole('button', { name: 'Open demo site' }).click();
  await page.getByRole('heading', { name: 'Demo site accounts' }).waitFor();
  if (shoot) await app.screenshot('2-sign-in');
  await page.getByRole('row', { name: new RegExp(`^${account} `) }).getByRole('button', { name: 'Use' }).click();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('listbox', { name: 'Users' }).getByRole('option').first().waitFor();
}

const sessionRows = (page: Page) => page.locator('.sessions-table:not(.tokens-table) tbody tr');

// Each screen shot is taken and scanned (axe) in both themes: on a busy 2-core machine a test takes a while.
describe.skipIf(missing !== null)('the desktop console in Chromium', { timeout: 120_000 }, () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveRenderer>>;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    server = await serveRenderer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('connects to the demo site, signs in, finds a user, revokes one (after a cancel) and then all', async () => {
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await page.getByRole('heading', { name: 'Connect to a Drupal site' }).waitFor();
      await page.getByText('No saved connections yet.').waitFor();
      await app.screenshot('1-connect');

      await openDemoAndSignIn(app, 'admin', true);
      await expect(page.locator('.operator').innerText()).resolves.toContain('admin');
      await app.screenshot('3-users');

      // Search as you type; keyboard from the search box into the list.
      const search = page.getByRole('searchbox', { name: 'Search users' });
      await search.fill('jdoe');
      await page.locator('.search-meta', { hasText: '1 user' }).waitFor();
      await search.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'jdoe' }).waitFor();
      await expect.poll(() => sessionRows(page).count()).toBe(4);
      await expect(page.locator('.legend').innerText()).resolves.toMatch(/used in the last 15 minutes/);
      await app.screenshot('4-sessions');

      // Revoke one: Escape and Cancel leave it in place.
      const firstRevoke = () => sessionRows(page).first().getByRole('button', { name: /^Revoke session from/ });
      await firstRevoke().click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await expect(dialog.innerText()).resolves.toMatch(/Revoke this session of jdoe\?[\s\S]*203\.0\.113\.5[\s\S]*last used/);
      await app.screenshot('5-confirm-revoke');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await firstRevoke().click();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await countSessions(app, JDOE)).toBe(4);
      await expect.poll(() => sessionRows(page).count()).toBe(4);

      // The session ends on its own while the dialog is open: "not found", and the list catches up.
      await firstRevoke().click();
      await deleteSession(app, JDOE, '203.0.113.5');
      await dialog.getByRole('button', { name: 'Revoke 1 session' }).click();
      await page.getByText('Those sessions had already ended: nothing left to revoke.').waitFor();
      await expect.poll(() => sessionRows(page).count()).toBe(3);

      await firstRevoke().click();
      await dialog.getByRole('button', { name: 'Revoke 1 session' }).click();
      await page.getByText('Revoked 1 session of jdoe.').waitFor();
      await expect.poll(() => sessionRows(page).count()).toBe(2);
      expect(await countSessions(app, JDOE)).toBe(2);
      // Focus lands on the user's heading, not on the vanished button.
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('sessions-title');

      // Sort by IP, select two, and look at what "Revoke selected" would do.
      await page.getByRole('button', { name: 'IP address' }).click();
      await expect(page.locator('th[aria-sort="ascending"]').innerText()).resolves.toMatch(/IP address/);
      await sessionRows(page).nth(0).getByRole('checkbox').check();
      await sessionRows(page).nth(1).getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Revoke selected (2)' }).click();
      await expect(dialog.getByRole('button', { name: 'Revoke 2 sessions' }).isVisible()).resolves.toBe(true);
      await page.keyboard.press('Escape');

      // Revoke all: the username must be typed; the remember-me tokens go too.
      await page.getByRole('heading', { name: /Remember-me tokens 2/ }).waitFor();
      await page.getByRole('button', { name: 'Revoke all…' }).click();
      await dialog.getByText(/Their 2 remember-me tokens are deleted too/).waitFor();
      const confirmAll = dialog.getByRole('button', { name: 'Revoke all 2 sessions' });
      await expect(confirmAll.isDisabled()).resolves.toBe(true);
      await dialog.getByRole('textbox').fill('jdo');
      await expect(confirmAll.isDisabled()).resolves.toBe(true);
      await dialog.getByRole('textbox').fill('jdoe');
      await app.screenshot('6-confirm-revoke-all');
      await confirmAll.click();
      await page.getByText('Revoked 2 sessions and 2 remember-me tokens of jdoe.').waitFor();
      await page.getByText('No sessions.').waitFor();
      await page.getByText(/None: no browser can sign this user back in/).waitFor();
      expect(await countSessions(app, JDOE)).toBe(0);
      await app.screenshot('7-no-sessions');

      await page.getByRole('tab', { name: 'Audit log' }).click();
      await page.getByRole('heading', { name: 'Revocations on this site, made from this computer' }).waitFor();
      // The log is read asynchronously: wait for its rows before counting them.
      await page.locator('.audit-pane tbody tr').nth(2).waitFor();
      await expect(page.locator('.audit-pane tbody tr').count()).resolves.toBe(3);
      await app.screenshot('8-audit-log');
      // Only one user's entries.
      await page.getByLabel('Only this user').fill('mrossi');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByText('No entries for that user.').waitFor();
      await page.getByLabel('Only this user').fill('uid:3');
      await page.getByRole('button', { name: 'Filter' }).click();
      await expect.poll(() => page.locator('.audit-pane tbody tr').count()).toBe(3);
    } finally {
      await app.close();
    }
  });

  it('keeps an inspect-own operator to their own sessions, in the UI and behind it', async () => {
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await openDemoAndSignIn(app, 'jdoe');
      await page.getByText('You may inspect only your own sessions.').waitFor();
      const options = page.getByRole('listbox', { name: 'Users' }).getByRole('option');
      await expect(options.count()).resolves.toBe(1);
      await options.first().click();
      await expect.poll(() => sessionRows(page).count()).toBe(4);
      await app.screenshot('9-own-sessions');
      // Past the UI, straight at the bridge: the main process refuses.
      const other = (await app.callBridge('listSessions', { uid: 1 })) as { ok: boolean; error: { code: string } };
      expect(other).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
      const revoke = (await app.callBridge('revokeAllSessions', { uid: 4, confirmName: 'mrossi' })) as { ok: boolean; error: { code: string } };
      expect(revoke).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
      const search = (await app.callBridge('searchUsers', { text: '', limit: 50, offset: 0 })) as { ok: boolean; value: { total: number } };
      expect(search).toMatchObject({ ok: true, value: { total: 1 } });
      // No site-wide board for them; through the bridge, only their own sessions.
      await expect(page.getByRole('tab', { name: 'All sessions' }).count()).resolves.toBe(0);
      const board = (await app.callBridge('listSiteSessions', { filter: { includeAnonymous: true }, limit: 100, offset: 0 })) as { ok: boolean; value: { sessions: Array<{ uid: number }> } };
      expect(board.ok).toBe(true);
      expect(board.value.sessions.every((s) => s.uid === JDOE)).toBe(true);
      const plan = (await app.callBridge('previewRevokeMatching', { filter: { ip: '0.0.0.0/0' } })) as { ok: boolean; value: { total: number } };
      expect(plan).toMatchObject({ ok: true, value: { total: 3 } });
    } finally {
      await app.close();
    }
  });

  it('tests a new connection before saving it, and never saves it twice', async () => {
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await page.getByRole('button', { name: 'Open demo site' }).click();
      await page.getByRole('heading', { name: 'Demo site accounts' }).waitFor();
      await page.getByRole('button', { name: 'Disconnect' }).click();
      await page.getByRole('button', { name: 'New connection' }).click();
      await page.getByLabel('Name').fill('Demo copy');
      await page.getByLabel('SQLite database file').fill(join(app.dataHome, 'no-such.sqlite'));
      await page.getByRole('button', { name: 'Test and save' }).click();
      await page.getByText(/No such SQLite file/).waitFor();
      await expect(page.locator('.profile-card').count()).resolves.toBe(0);
      await page.getByLabel('SQLite database file').fill(join(app.dataHome, 'demo-site.sqlite'));
      await page.getByRole('button', { name: 'Test and save' }).click();
      await page.locator('.profile-card', { hasText: 'Demo copy' }).waitFor();
      await expect(page.locator('.profile-card').count()).resolves.toBe(1);
    } finally {
      await app.close();
    }
  });

  it('hides revoking on a read-only connection and says why', async () => {
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await page.getByRole('button', { name: 'Open demo site' }).click();
      await page.getByRole('heading', { name: 'Demo site accounts' }).waitFor();
      await page.getByRole('button', { name: 'Disconnect' }).click();

      await page.getByRole('button', { name: 'New connection' }).click();
      await page.getByLabel('Name').fill('Snapshot of the demo');
      await page.getByLabel('SQLite database file').fill(join(app.dataHome, 'demo-site.sqlite'));
      await page.getByLabel(/^Read-only/).check();
      await app.screenshot('10-new-connection');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const card = page.locator('.profile-card', { hasText: 'Snapshot of the demo' });
      await card.waitFor();
      await expect(card.getByText('Read-only').isVisible()).resolves.toBe(true);
      await app.screenshot('11-saved-connections');

      await card.getByRole('button', { name: 'Connect' }).click();
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill('demo-admin');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('searchbox', { name: 'Search users' }).fill('mrossi');
      await page.locator('.search-meta', { hasText: '1 user' }).waitFor();
      await page.getByRole('listbox', { name: 'Users' }).getByRole('option').first().click();
      await page.getByRole('heading', { name: 'mrossi' }).waitFor();
      await expect.poll(() => sessionRows(page).count()).toBe(2);
      await page.getByText(/Read-only connection: this is an audit of a snapshot/).waitFor();
      await expect(page.getByRole('button', { name: /Revoke/ }).count()).resolves.toBe(0);
      await expect(page.locator('.flag-masquerade').innerText()).resolves.toMatch(/^Masquerade by admin$/);
      await app.screenshot('12-read-only');
      const attempt = (await app.callBridge('revokeAllSessions', { uid: 4, confirmName: 'mrossi' })) as { ok: boolean; error: { code: string } };
      expect(attempt).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    } finally {
      await app.close();
    }
  });

  it('shows a clear access-denied screen when the operator is blocked while signed in', async () => {
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await openDemoAndSignIn(app, 'support');
      await page.getByRole('listbox', { name: 'Users' }).getByRole('option').first().click();
      const db = await openSqlite(join(app.dataHome, 'demo-site.sqlite'), { readOnly: false });
      await db.run('UPDATE users_field_data SET status = 0 WHERE uid = 2');
      await db.close();
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('heading', { name: 'Access denied' }).waitFor();
      await expect(page.getByRole('alert').innerText()).resolves.toMatch(/has been blocked/);
      // The whole console gives way: there is nothing left this operator may do.
      await expect(page.getByRole('listbox', { name: 'Users' }).count()).resolves.toBe(0);
      await app.screenshot('13-access-denied');
      await page.getByRole('button', { name: 'Sign in as someone else' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    } finally {
      await app.close();
    }
  });

  it('shows a slow search as it runs, and stops it on Cancel', { timeout: 120_000 }, async () => {
    // A site whose file another connection holds locked (a site busy writing): the search
    // waits on SQLite's busy timeout, on the worker thread, while the window stays live.
    const dataset = await buildDataset();
    const file = join(tempDir('si-e2e-busy-'), 'site.sqlite');
    await createSqliteSite(file, dataset.site);
    const Sqlite = loadBetterSqlite3();
    const setup = new Sqlite(file);
    setup.pragma('journal_mode = DELETE');
    setup.close();
    const locker = new Sqlite(file);
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await app.service.profiles.save({ name: 'Busy site', engine: 'sqlite', file, prefix: '', readOnly: false, superUser: true });
      await page.reload();
      await page.locator('.profile-card', { hasText: 'Busy site' }).getByRole('button', { name: 'Connect' }).click();
      await page.getByLabel('Username').fill('support');
      await page.getByLabel('Password').fill(PASSWORDS.support);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('listbox', { name: 'Users' }).getByRole('option').first().waitFor();

      locker.exec('BEGIN EXCLUSIVE');
      await page.getByRole('searchbox', { name: 'Search users' }).fill('zoe');
      const progress = page.locator('.slow-progress', { hasText: 'Searching users' });
      await progress.waitFor();
      await expect(progress.innerText()).resolves.toMatch(/Searching users… \d+ s/);
      await app.screenshot('15-slow-search');
      await progress.getByRole('button', { name: 'Cancel' }).click();
      await page.getByText(/Stopped\. The query was cancelled/).waitFor();
      await expect(progress.count()).resolves.toBe(0);
      await app.screenshot('16-search-cancelled');

      // Esc in the search field cancels too.
      await page.getByRole('searchbox', { name: 'Search users' }).fill('zo');
      await progress.waitFor();
      await page.getByRole('searchbox', { name: 'Search users' }).press('Escape');
      await page.getByText(/The query was cancelled/).waitFor();
      await expect(page.getByRole('searchbox', { name: 'Search users' }).inputValue()).resolves.toBe('zo');

      locker.exec('ROLLBACK');
      const resumed = Date.now();
      await page.getByRole('button', { name: 'Search again' }).click();
      await page.locator('.search-meta', { hasText: /^\d+ users?$/ }).waitFor();
      // The abandoned threads' waits do not hold up the next search.
      expect(Date.now() - resumed).toBeLessThan(3000);
      await expect(page.getByRole('option', { name: /zoe/i }).count()).resolves.toBeGreaterThan(0);
    } finally {
      if (locker.inTransaction) locker.exec('ROLLBACK');
      locker.close();
      await app.close();
    }
  });

  it('shows every session of the site, filters it, and revokes what matches once the count is typed', { timeout: 120_000 }, async () => {
    const app = await openApp(browser, server.url);
    const { page } = app;
    const boardRows = page.locator('.board-table tbody tr:not(.spacer)');
    try {
      await openDemoAndSignIn(app, 'support');
      await page.getByRole('tab', { name: 'All sessions' }).click();
      await page.getByText(/^16 sessions: /).waitFor();
      await expect.poll(() => boardRows.count()).toBe(16);
      await app.screenshot('17-board');
      // Export: every row as CSV, and what it is beside it; no secret in either.
      await page.getByRole('button', { name: 'Export CSV' }).click();
      const exported = page.getByText(/^Exported 16 rows to /);
      await exported.waitFor();
      const file = (await exported.innerText()).replace(/^Exported 16 rows to /, '').replace(/ \(with its \.meta\.json\)\.$/, '');
      const csv = readFileSync(file, 'utf8');
      expect(csv.split('\r\n')[0]).toBe('uid,name,ownerStatus,sid,hostname,country,addressKind,state,created,lastUsed,lifetime,masqueradeBy,passwordReset,client,browser,readable');
      expect(csv.split('\r\n').filter(Boolean)).toHaveLength(17);
      expect(csv).not.toMatch(/_sf2_meta|pass_reset|\$2y\$|\$S\$/);
      const meta = JSON.parse(readFileSync(file.replace(/\.csv$/, '.meta.json'), 'utf8')) as Record<string, unknown>;
      expect(meta).toMatchObject({ kind: 'siteSessions', filter: {}, rows: 16, operator: { name: 'support' }, tool: 'Session Inspector 0.0.0-test' });

      await page.getByLabel('IP address or range').fill('203.0.113.0/24');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByText(/^4 sessions: /).waitFor();
      await expect.poll(() => boardRows.count()).toBe(4);
      // A range that is no range: the main process says what is wrong.
      await page.getByLabel('IP address or range').fill('203.0.113.0/33');
      await page.getByLabel('IP address or range').press('Enter');
      await page.getByText(/prefix length must be between 0 and 32/).waitFor();
      await page.getByLabel('IP address or range').fill('203.0.113.0/24');
      await page.getByLabel('IP address or range').press('Enter');
      await page.getByText(/^4 sessions: /).waitFor();

      await page.getByRole('button', { name: 'Revoke all 4 matching…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Revoke 4 sessions of 3 users?' });
      await dialog.waitFor();
      const confirm = dialog.getByRole('button', { name: 'Revoke 4 sessions' });
      await expect(confirm.isDisabled()).resolves.toBe(true);
      await dialog.getByLabel(/Type 4 to confirm/).fill('3');
      await expect(confirm.isDisabled()).resolves.toBe(true);
      await dialog.getByLabel(/Type 4 to confirm/).fill('4');
      await app.screenshot('18-revoke-matching');
      await confirm.click();
      await page.getByText('Revoked 4 sessions of 3 users.').waitFor();
      await page.getByText('No session matches these filters.').waitFor();
      const db = await openSqlite(join(app.dataHome, 'demo-site.sqlite'), { readOnly: false });
      try {
        expect(await db.all('SELECT COUNT(*) AS n FROM sessions WHERE hostname LIKE ?', ['203.0.113.%'])).toEqual([{ n: 0 }]);
        expect(await db.all('SELECT COUNT(*) AS n FROM sessions')).toEqual([{ n: 12 }]);
      } finally {
        await db.close();
      }
      await page.getByRole('tab', { name: 'Audit log' }).click();
      await expect.poll(() => page.getByText('Revoke matching').count()).toBe(4);

      // From a row to that user's sessions.
      await page.getByRole('tab', { name: 'All sessions' }).click();
      await page.getByRole('button', { name: 'Clear' }).click();
      await page.getByText(/^12 sessions: /).waitFor();

      // Grouped by address: admin and mrossi share one.
      await page.getByRole('button', { name: 'By address' }).click();
      const ipRows = page.locator('.ip-table tbody tr');
      await expect.poll(() => ipRows.count()).toBeGreaterThan(5);
      await expect(ipRows.first().innerText()).resolves.toMatch(/192\.0\.2\.10\s+2\s*shared\s+2/);
      await page.getByRole('button', { name: 'Check the site' }).click();
      await page.getByText(/^192\.0\.2\.10 is used by 2 accounts \(2 sessions\)/).waitFor();
      await app.screenshot('20-by-address-and-anomalies');
      await page.locator('.anomaly-shared-ip').getByRole('button', { name: 'Show them' }).click();
      await page.getByText(/^2 sessions: /).waitFor();
      await expect(page.getByLabel('IP address or range').inputValue()).resolves.toBe('192.0.2.10');
      await page.getByRole('button', { name: 'Clear' }).click();
      await page.getByText(/^12 sessions: /).waitFor();
      await page.getByRole('button', { name: 'mrossi' }).first().click();
      await page.getByRole('heading', { name: 'mrossi' }).waitFor();
    } finally {
      await app.close();
    }
  });

  it('revokes all and blocks an account, then unblocks it, for an administrator', { timeout: 120_000 }, async () => {
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await openDemoAndSignIn(app, 'admin');
      await page.getByRole('searchbox', { name: 'Search users' }).fill('mrossi');
      await page.locator('.search-meta', { hasText: '1 user' }).waitFor();
      await page.getByRole('listbox', { name: 'Users' }).getByRole('option').first().click();
      await page.getByRole('heading', { name: 'mrossi' }).waitFor();
      // The session column copies the full id (what the CLI takes).
      await sessionRows(page).first().getByRole('button', { name: /copy the session id$/ }).click();
      await page.getByText('Copied').first().waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const db0 = await openSqlite(join(app.dataHome, 'demo-site.sqlite'), { readOnly: false });
      try {
        expect(await db0.all('SELECT uid FROM sessions WHERE sid = ?', [copied])).toEqual([{ uid: 4 }]);
      } finally {
        await db0.close();
      }
      // A full IPv6 address does not push the Revoke buttons out of view.
      await expect.poll(() => sessionRows(page).count()).toBe(2);
      const sideways = await page.locator('.sessions-pane > .table-wrap').evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(sideways).toBeLessThanOrEqual(0);
      await page.getByRole('button', { name: 'Revoke all…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('textbox').fill('mrossi');
      await dialog.getByRole('checkbox', { name: /Also block this account/ }).check();
      await app.screenshot('19-revoke-all-and-block');
      await dialog.getByRole('button', { name: 'Revoke all 2 sessions and block' }).click();
      await page.getByText('Revoked 2 sessions and 1 remember-me token of mrossi. The account is blocked.').waitFor();
      await page.getByText('This account is blocked.').waitFor();
      const db = await openSqlite(join(app.dataHome, 'demo-site.sqlite'), { readOnly: false });
      try {
        expect(await db.all('SELECT status FROM users_field_data WHERE uid = 4')).toEqual([{ status: 0 }]);
        expect(await db.all("SELECT COUNT(*) AS n FROM cache_entity WHERE cid = 'values:user:4'")).toEqual([{ n: 0 }]);
      } finally {
        await db.close();
      }
      await page.getByRole('button', { name: 'Unblock…' }).click();
      await page.getByRole('dialog', { name: 'Unblock mrossi?' }).getByRole('button', { name: 'Unblock the account' }).click();
      await page.getByText('Unblocked mrossi: it can sign in again.').waitFor();
      await expect.poll(() => page.getByText('This account is blocked.').count()).toBe(0);
      // A support engineer without "administer users" is not offered the block.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Username').fill('support');
      await page.getByLabel('Password').fill('demo-support');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('searchbox', { name: 'Search users' }).fill('jdoe');
      await page.locator('.search-meta', { hasText: '1 user' }).waitFor();
      await page.getByRole('listbox', { name: 'Users' }).getByRole('option').first().click();
      await page.getByRole('button', { name: 'Revoke all…' }).click();
      await expect(page.getByRole('dialog').getByRole('checkbox').count()).resolves.toBe(0);
      const attempt = (await app.callBridge('revokeAllSessions', { uid: 3, confirmName: 'jdoe', block: true })) as { ok: boolean; error: { code: string } };
      expect(attempt).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    } finally {
      await app.close();
    }
  });

  it('opens a dump: shows the import going, cancels it, then audits the real Drupal 8.5.6 dump read-only, as of when it was made', { timeout: 120_000 }, async () => {
    let chosen: string | null = null;
    const app = await openApp(browser, server.url, undefined, { chooseSqliteFile: async () => chosen });
    const { page } = app;
    try {
      const addConnection = async (name: string, file: string) => {
        await page.getByRole('button', { name: 'New connection' }).click();
        await page.getByLabel('Name').fill(name);
        await page.getByLabel('SQLite database file, or a dump').fill(file);
        await page.getByRole('button', { name: 'Save', exact: true }).click();
        const card = page.locator('.profile-card', { hasText: name });
        await card.waitFor();
        return card;
      };
      const big = join(app.dataHome, 'big-site.sql');
      await writeDump(big, 96);
      await (await addConnection('A big dump', big)).getByRole('button', { name: 'Connect' }).click();
      const progress = page.getByRole('status').filter({ hasText: 'Importing the dump…' });
      await progress.getByText(/\d+% · \d+ MB of \d+ MB read · [\d,]+ rows kept/).waitFor();
      await app.screenshot('22-import-progress');
      await progress.getByRole('button', { name: 'Cancel' }).click();
      await page.getByText('The import of the dump was cancelled.').waitFor();
      await expect(progress.count()).resolves.toBe(0);

      // The real dump, its files concatenated, with a password we know for its admin.
      const fixtures = join(process.cwd(), '..', 'shared', 'fixtures', 'drupal8-mysql-prefixed');
      const text = Buffer.concat(readdirSync(fixtures).filter((f) => f.endsWith('.sql')).sort().map((f) => readFileSync(join(fixtures, f)))).toString('latin1');
      const real = join(app.dataHome, 'drupal8.sql.gz');
      writeFileSync(real, gzipSync(Buffer.from(text.replace('$S$EcHiU9yL2EDiEVNfEEIoJ1s7d7R2OBJ1l/WxxZN7XXliYuzMCdx7', VECTORS.drupalA), 'latin1')));
      // "Open a dump or file…": the file dialog's answer becomes a read-only connection, opened at once.
      chosen = real;
      await page.getByRole('button', { name: 'Open a dump or file…' }).click();
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill('drupal');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('searchbox', { name: 'Search users' }).fill('admin');
      await page.getByRole('listbox', { name: 'Users' }).getByRole('option').first().click();
      await page.getByRole('heading', { name: 'admin' }).waitFor();
      await expect.poll(() => sessionRows(page).count()).toBe(1);
      const topbar = page.locator('.topbar');
      await expect(topbar.getByText('MySQL dump', { exact: true }).isVisible()).resolves.toBe(true);
      await expect(topbar.getByText('as of 2018-07-17 01:34:30 (zone unknown)').isVisible()).resolves.toBe(true);
      await expect(page.getByRole('button', { name: /Revoke/ }).count()).resolves.toBe(0);
      await app.screenshot('23-dump-audit');

      // Back on the connect screen: the snapshot kept of it (not of the cancelled one), which can be deleted.
      await page.getByRole('button', { name: 'Disconnect' }).click();
      const snapshots = page.getByRole('region', { name: 'Dump snapshots' });
      await snapshots.getByText(real).waitFor();
      await expect(snapshots.getByRole('listitem').count()).resolves.toBe(1);
      await expect(snapshots.getByText(/MySQL dump, gzipped · made 2018-07-17 01:34:30 \(zone unknown\)/).isVisible()).resolves.toBe(true);
      await app.screenshot('25-snapshots');
      await snapshots.getByRole('button', { name: `Delete the snapshot of ${real}` }).click();
      await expect.poll(() => snapshots.count()).toBe(0);
      await expect(app.callBridge('listSnapshots')).resolves.toEqual({ ok: true, value: [] });
    } finally {
      await app.close();
    }
  });

  it('is driven from the keyboard: arrows between tabs, / to search, F5 to refresh, a warning before revoking one\'s own sessions', { timeout: 120_000 }, async () => {
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await openDemoAndSignIn(app, 'admin');
      // The work area comes first: the search box has the focus.
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('user-search');
      const tab = (name: string) => page.getByRole('tab', { name, exact: true });
      await tab('Users and sessions').focus();
      for (const [key, name] of [['ArrowRight', 'All sessions'], ['ArrowRight', 'Audit log'], ['End', 'Compare'], ['ArrowRight', 'Users and sessions'], ['ArrowLeft', 'Compare'], ['Home', 'Users and sessions']] as const) {
        await page.keyboard.press(key);
        await expect.poll(() => tab(name).getAttribute('aria-selected')).toBe('true');
        await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(name);
      }
      // Only the selected tab is in the Tab order.
      await expect(page.locator('[role="tab"][tabindex="0"]').count()).resolves.toBe(1);
      await page.keyboard.press('/');
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('user-search');
      await page.keyboard.type('jdoe');
      await page.locator('.search-meta', { hasText: '1 user' }).waitFor();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'jdoe' }).waitFor();
      await expect.poll(() => sessionRows(page).count()).toBe(4);
      await deleteSession(app, JDOE, '198.51.100.200');
      await page.keyboard.press('F5');
      await expect.poll(() => sessionRows(page).count()).toBe(3);
      await page.keyboard.press('Control+r');
      await expect.poll(() => sessionRows(page).count()).toBe(3);

      // One's own sessions: said so before the revoke.
      await page.getByRole('searchbox', { name: 'Search users' }).fill('webmaster@example.com');
      await page.getByRole('option', { name: /^admin/ }).click();
      await page.getByRole('heading', { name: 'admin' }).waitFor();
      await page.getByRole('button', { name: 'Revoke all…' }).click();
      await page.getByText('These are your own sessions.').waitFor();
      await app.screenshot('26-own-sessions-warning');
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    } finally {
      await app.close();
    }
  });

  it('shows exact times in UTC or local time (remembered per operator), filters a user\'s sessions, and refreshes itself every 30 s when asked', { timeout: 120_000 }, async () => {
    const app = await openApp(browser, server.url, undefined, { timezoneId: 'Europe/Rome' });
    const { page } = app;
    try {
      await openDemoAndSignIn(app, 'admin');
      await page.getByRole('searchbox', { name: 'Search users' }).fill('jdoe');
      await page.getByRole('option', { name: /^jdoe/ }).click();
      await expect.poll(() => sessionRows(page).count()).toBe(4);
      const lastUsed = () => sessionRows(page).first().locator('time').nth(1).getAttribute('title');
      await expect(lastUsed()).resolves.toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
      const times = page.getByRole('group', { name: 'Show exact times in' });
      await times.getByRole('button', { name: 'Local' }).click();
      await expect(lastUsed()).resolves.toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} GMT\+1$/);
      await app.screenshot('27-local-times');
      // Remembered for this operator.
      await page.reload();
      await expect.poll(() => times.getByRole('button', { name: 'Local' }).getAttribute('aria-pressed')).toBe('true');
      await times.getByRole('button', { name: 'UTC' }).click();

      // Auto-refresh: off by default; on, the view is read again every 30 s.
      await page.getByRole('searchbox', { name: 'Search users' }).fill('jdoe');
      await page.getByRole('option', { name: /^jdoe/ }).click();
      await expect.poll(() => sessionRows(page).count()).toBe(4);
      // The filter box narrows the page on screen: by address, country, browser, state.
      const filter = page.getByRole('searchbox', { name: 'Filter these sessions' });
      await filter.fill('safari');
      await expect.poll(() => sessionRows(page).count()).toBe(1);
      await page.getByText('1 of 4 on this page').waitFor();
      await filter.fill('idle');
      await expect.poll(() => sessionRows(page).count()).toBe(2);
      await filter.fill('nothing like it');
      await page.getByText('No session on this page matches “nothing like it”.').waitFor();
      await filter.fill('');
      await expect.poll(() => sessionRows(page).count()).toBe(4);

      const auto = page.getByRole('checkbox', { name: 'Auto-refresh' });
      await expect(auto.isChecked()).resolves.toBe(false);
      await page.clock.install();
      await auto.check();
      await deleteSession(app, JDOE, '198.51.100.200');
      await page.clock.runFor(29_000);
      await expect(sessionRows(page).count()).resolves.toBe(4);
      await page.clock.runFor(2_000);
      await expect.poll(() => sessionRows(page).count()).toBe(3);
    } finally {
      await app.close();
    }
  });

  it('sorts the users by name, last seen or session count, and jumps to a page by its number', { timeout: 120_000 }, async () => {
    const dataset = await buildDataset();
    const extra = Array.from({ length: 340 }, (_, i) => ({
      uid: 1000 + i, name: `user${String(i).padStart(3, '0')}`, mail: `user${i}@example.net`, pass: null, status: 1 as const,
      created: NOW - 86400, access: NOW - 10 * i, login: NOW - 10 * i, roles: [],
    }));
    const file = join(tempDir('si-e2e-many-'), 'site.sqlite');
    await createSqliteSite(file, { ...dataset.site, users: [...dataset.site.users, ...extra] });
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await app.service.profiles.save({ name: 'Many users', engine: 'sqlite', file, prefix: '', readOnly: false, superUser: true });
      await app.callBridge('connect', { profileId: app.service.profiles.list()[0]!.id });
      await app.callBridge('signIn', { name: 'support', password: PASSWORDS.support });
      await page.reload();
      const options = page.getByRole('listbox', { name: 'Users' }).getByRole('option');
      await options.first().waitFor();
      const total = dataset.site.users.length + extra.length;
      await page.locator('.search-meta', { hasText: `${total} users` }).waitFor();
      const jump = page.getByRole('textbox', { name: /^Page number, 1 to 4/ });
      await expect(jump.inputValue()).resolves.toBe('1');
      await jump.fill('3');
      await jump.press('Enter');
      await page.getByText(`201–300 of ${total}`).waitFor();
      await expect(jump.inputValue()).resolves.toBe('3');
      await app.screenshot('28-page-jump');

      const sort = page.getByRole('combobox', { name: 'Sort users by' });
      await sort.selectOption('sessions');
      await page.getByText(`1–100 of ${total}`).waitFor();
      await expect.poll(() => options.first().innerText()).toMatch(/^Zoë Ünal/);
      await sort.selectOption('lastSeen');
      // user000 was seen last (NOW), the dataset's accounts earlier.
      await expect.poll(() => options.first().innerText()).toMatch(/^user000/);
      await sort.selectOption('name');
      await expect.poll(() => options.first().innerText()).toMatch(/^100%_sure/);
    } finally {
      await app.close();
    }
  });

  it('fills a connection from a pasted URL, and marks a production site in red, read-only from the start', async () => {
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await page.getByRole('button', { name: 'Open demo site' }).click();
      await page.getByRole('heading', { name: 'Demo site accounts' }).waitFor();
      await page.getByRole('button', { name: 'Disconnect' }).click();
      await page.getByRole('button', { name: 'New connection' }).click();
      const url = page.getByLabel(/^Connection URL/);
      await url.fill('postgres://audit:s%3Acret@db.example.com:6432/drupal');
      await page.getByText('Filled from the URL, password included.').waitFor();
      await expect(page.getByLabel('Host', { exact: true }).inputValue()).resolves.toBe('db.example.com');
      await expect(page.getByLabel('Port', { exact: true }).inputValue()).resolves.toBe('6432');
      await expect(page.getByLabel('Database', { exact: true }).inputValue()).resolves.toBe('drupal');
      await expect(page.getByLabel('User', { exact: true }).inputValue()).resolves.toBe('audit');
      await expect(page.locator('.profile-form input[type="password"]').inputValue()).resolves.toBe('s:cret');
      await url.fill('ftp://nowhere');
      await page.getByText(/Unknown database URL scheme "ftp:\/\/"/).waitFor();
      // A SQLite file works the same way; production makes a new connection read-only.
      await url.fill(join(app.dataHome, 'demo-site.sqlite'));
      await page.getByLabel('Name').fill('Live site');
      await page.getByLabel(/^Production site/).check();
      await expect(page.getByLabel(/^Read-only/).isChecked()).resolves.toBe(true);
      await app.screenshot('29-production-connection');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const card = page.locator('.profile-card', { hasText: 'Live site' });
      await expect(card.locator('.pill-production').innerText()).resolves.toBe('Production');
      await card.getByRole('button', { name: 'Connect' }).click();
      await page.getByLabel('Username').waitFor();
      await expect(page.locator('.topbar.topbar-production .pill-production').innerText()).resolves.toBe('Production');
      await expect(page.locator('.topbar .pill-warn').innerText()).resolves.toBe('Read-only');
      await app.screenshot('30-production-sign-in');
    } finally {
      await app.close();
    }
  });

  it('keeps a password and an SSH key passphrase in the keyring, and forgets them when told', { timeout: 60_000 }, async () => {
    const app = await openApp(browser, server.url, undefined, { secrets: STAND_IN_KEYRING });
    const { page } = app;
    try {
      await page.getByRole('button', { name: 'New connection' }).click();
      await page.getByLabel('Name').fill('Kept secrets');
      await page.getByLabel(/^Connection URL/).fill('postgres://audit@db.example.com:5432/drupal');
      await page.locator('.profile-form input[type="password"]').first().fill('db-secret-1');
      await page.getByLabel(/^Connect through an SSH server/).check();
      await page.getByLabel('SSH server', { exact: true }).fill('deploy@bastion.example.com');
      await page.getByLabel('SSH key file', { exact: true }).fill('/home/me/.ssh/id_ed25519');
      await page.getByLabel('Key passphrase').fill('key-secret-2');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const card = page.locator('.profile-card', { hasText: 'Kept secrets' });
      await card.waitFor();
      // Both stored: the card asks for neither.
      await expect(card.locator('input[type="password"]').count()).resolves.toBe(0);
      const [saved] = app.service.profiles.list();
      expect(app.service.profiles.password(saved!.id)).toBe('db-secret-1');
      expect(app.service.profiles.sshPassphrase(saved!.id)).toBe('key-secret-2');

      await card.getByRole('button', { name: 'Edit' }).click();
      await expect(page.locator('.profile-form input[type="password"]').first().getAttribute('placeholder')).resolves.toBe('Stored (leave empty to keep it)');
      await page.getByLabel('Forget the stored password').check();
      await page.getByLabel('Forget the stored passphrase').check();
      await expect(page.getByLabel('Key passphrase').isDisabled()).resolves.toBe(true);
      await app.screenshot('35-forget-stored-secrets');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await card.getByLabel('Database password for Kept secrets').waitFor();
      await card.getByLabel('SSH key passphrase for Kept secrets').waitFor();
      expect(app.service.profiles.password(saved!.id)).toBeUndefined();
      expect(app.service.profiles.sshPassphrase(saved!.id)).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('takes TLS settings from a pasted URL or the form, and marks a connection that may cross the network unencrypted', async () => {
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await page.getByRole('button', { name: 'New connection' }).click();
      await page.getByLabel(/^Connection URL/).fill('postgres://audit@db.example.com/drupal?sslmode=verify-ca&sslrootcert=%2Fetc%2Fssl%2Fdb-ca.pem');
      await page.getByText('Filled from the URL, TLS settings included.').waitFor();
      const mode = page.getByLabel('TLS mode');
      await expect(mode.inputValue()).resolves.toBe('verify-ca');
      await expect(page.getByLabel('Certificate authority (CA) file', { exact: true }).inputValue()).resolves.toBe('/etc/ssl/db-ca.pem');
      // The default for a server elsewhere is to verify it in full.
      await mode.selectOption('');
      await expect(page.locator('#tls-mode-note').innerText()).resolves.toMatch(/^verify-full: encrypt, and check the authority and that the certificate names this host/);
      await mode.selectOption('disable');
      await expect(page.locator('#tls-mode-note').innerText()).resolves.toMatch(/^Not encrypted: the database password and the session data may cross the network readable/);
      await expect(page.getByLabel('Certificate authority (CA) file', { exact: true }).count()).resolves.toBe(0);
      await page.getByLabel('Name').fill('Remote, plain');
      await app.screenshot('31-tls-settings');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const card = page.locator('.profile-card', { hasText: 'Remote, plain' });
      await expect(card.locator('.pill-unencrypted').innerText()).resolves.toBe('Not encrypted');
      expect(await app.callBridge('listProfiles')).toMatchObject({ ok: true, value: [{ tls: { mode: 'disable', ca: '/etc/ssl/db-ca.pem' } }] });
    } finally {
      await app.close();
    }
  });

  it.skipIf(!sshdAvailable() || unavailable('pgsql') !== null)('connects through an SSH server: asks to trust its host key, showing the fingerprint', { timeout: 120_000 }, async () => {
    const sshd = await startSshServer();
    const site = await createTestSite('pgsql', (await buildDataset()).site);
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      const target = site.target as { host: string; port: number; database: string; user: string; password: string };
      await page.getByRole('button', { name: 'New connection' }).click();
      await page.getByLabel('Name').fill('Behind the bastion');
      await page.getByLabel(/^Connection URL/).fill(`postgres://${target.user}@${target.host}:${target.port}/${target.database}`);
      await page.getByLabel(/^Connect through an SSH server/).check();
      const address = page.getByLabel('SSH server', { exact: true });
      await address.fill('bastion-without-user');
      await page.getByText(/The SSH server takes user@host or user@host:port/).waitFor();
      await expect(page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).resolves.toBe(true);
      await address.fill(`${sshd.user}@127.0.0.1:${sshd.port}`);
      await page.getByLabel('SSH key file', { exact: true }).fill(sshd.encryptedClientKey);
      await page.getByLabel('Key passphrase').fill(sshd.passphrase);
      await page.locator('.profile-form input[type="password"]').first().fill(target.password);
      await app.screenshot('32-ssh-tunnel-settings');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const card = page.locator('.profile-card', { hasText: 'Behind the bastion' });
      await expect(card.locator('.profile-where').innerText()).resolves.toContain(`via ${sshd.user}@127.0.0.1:${sshd.port}`);
      // No keyring in the test: the secrets are asked for on the card.
      await card.getByLabel('Database password for Behind the bastion').fill(target.password);
      await card.getByLabel('SSH key passphrase for Behind the bastion').fill(sshd.passphrase);
      await card.getByRole('button', { name: 'Connect' }).click();
      const dialog = page.getByRole('dialog', { name: 'Trust this SSH server?' });
      await dialog.waitFor();
      await expect(dialog.locator('.host-key-fingerprint').innerText()).resolves.toBe(sshd.hostKeyFingerprint);
      // Cancel is where focus starts: Enter does not trust by accident.
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Cancel');
      await app.screenshot('33-ssh-host-key');
      await dialog.getByRole('button', { name: 'Trust and connect' }).click();
      await page.getByLabel('Username').waitFor();
      expect(readFileSync(join(app.dataHome, 'known_hosts'), 'utf8')).toBe(sshd.knownHostsLine);

      // Another key recorded for that server since: refused with the reason, nothing to trust.
      await page.getByRole('button', { name: 'Disconnect' }).click();
      const stranger = readFileSync(`${sshd.strangerKey}.pub`, 'utf8').split(/\s+/);
      writeFileSync(join(app.dataHome, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${stranger[0]} ${stranger[1]}\n`);
      await card.getByLabel('Database password for Behind the bastion').fill(target.password);
      await card.getByLabel('SSH key passphrase for Behind the bastion').fill(sshd.passphrase);
      await card.getByRole('button', { name: 'Connect' }).click();
      await page.getByText(/is not the one recorded for it .*someone may be intercepting the connection/).waitFor();
      await expect(page.getByRole('dialog').count()).resolves.toBe(0);
      await app.screenshot('34-ssh-host-key-changed');
    } finally {
      await app.close();
      await site.close();
      sshd.dropConnections();
      await sshd.stop();
    }
  });

  it('compares the site with an older copy: counts, changes, and the export of every one', { timeout: 120_000 }, async () => {
    const app = await openApp(browser, server.url);
    const { page } = app;
    try {
      await openDemoAndSignIn(app, 'admin');
      // Yesterday's copy of the site, saved as a connection; today jdoe is signed out everywhere and blocked.
      const copy = join(app.dataHome, 'yesterday.sqlite');
      copyFileSync(join(app.dataHome, 'demo-site.sqlite'), copy);
      await app.callBridge('saveProfile', { name: "Yesterday's copy", engine: 'sqlite', file: copy, prefix: '', readOnly: true, superUser: true });
      expect(await app.callBridge('revokeAllSessions', { uid: JDOE, confirmName: 'jdoe', block: true })).toMatchObject({ ok: true });
      await page.reload();
      await page.getByRole('tab', { name: 'Compare' }).click();
      await page.getByLabel('Older copy', { exact: true }).selectOption({ label: "Yesterday's copy" });
      await page.getByLabel('Your Drupal password there').fill('demo-admin');
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      const counts = page.getByRole('list', { name: 'Changes by kind' });
      await counts.getByText('Sessions gone').waitFor();
      await expect(counts.locator('.diff-count.has').allInnerTexts()).resolves.toEqual(['4 Sessions gone', '1 Blocked']);
      await expect(page.locator('.diff-table tbody tr').count()).resolves.toBe(5);
      await expect(page.locator('.diff-table tbody tr').first().innerText()).resolves.toMatch(/^Account blocked\s+jdoe uid 3/);
      await app.screenshot('24-compare');
      await page.getByRole('button', { name: 'Export CSV' }).click();
      await page.getByText(/Exported 5 rows/).waitFor();
      const exported = readdirSync(app.dataHome).find((f) => /^changes-.*\.csv$/.test(f))!;
      const lines = readFileSync(join(app.dataHome, exported), 'utf8').split('\r\n').filter(Boolean);
      expect(lines[0]).toBe('kind,uid,name,sid,hostname,before,after,lastUsed');
      expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(['account-blocked', ...Array(4).fill('session-disappeared')]);
      // A wrong password on the other copy is refused there, with its own message.
      await page.getByLabel('Your Drupal password there').fill('wrong');
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await page.getByText('Unrecognized username or password.').waitFor();
    } finally {
      await app.close();
    }
  });

  it('fits long names, long role lists and full IPv6 addresses into 1024×700', { timeout: 120_000 }, async () => {
    const dataset = await buildDataset();
    const longName = 'Maximiliane-Konstanze von Hohenzollern-Sigmaringen-Württemb'.slice(0, 60);
    const roles = ['content_editor_for_the_european_region', 'support_escalation_tier_two', 'newsletter_manager', 'member'];
    const site = {
      ...dataset.site,
      roles: [...dataset.site.roles, ...roles.slice(0, 3).map((id) => ({ id, label: id, permissions: [] }))],
      users: [...dataset.site.users, { ...dataset.site.users[3]!, uid: 40, name: longName, mail: 'a.very.long.address.for.testing@subdomain.example.org', roles }],
      sessions: [
        ...dataset.site.sessions,
        ...['2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'fe80:0000:0000:0000:0202:b3ff:fe1e:8329', '203.0.113.254'].map((hostname, i) => ({
          uid: 40, sid: randomSid(), hostname, timestamp: NOW - 100 * (i + 1),
          data: drupalSessionData({ uid: 40, created: NOW - 5000, updated: NOW - 100, masquerading: 1, passwordReset: true, browser: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0' }),
        })),
      ],
    };
    const file = join(tempDir('si-e2e-long-'), 'site.sqlite');
    await createSqliteSite(file, site);
    const app = await openApp(browser, server.url, { width: 1024, height: 700 });
    const { page } = app;
    try {
      await app.service.profiles.save({ name: 'Long names', engine: 'sqlite', file, prefix: '', readOnly: false, superUser: true });
      await page.reload();
      await page.locator('.profile-card', { hasText: 'Long names' }).getByRole('button', { name: 'Connect' }).click();
      await page.getByLabel('Username').fill('support');
      await page.getByLabel('Password').fill(PASSWORDS.support);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('searchbox', { name: 'Search users' }).fill('uid:40');
      await page.locator('.search-meta', { hasText: '1 user' }).waitFor();
      await page.getByRole('listbox', { name: 'Users' }).getByRole('option').first().click();
      await expect.poll(() => sessionRows(page).count()).toBe(3);
      await app.screenshot('21-long-values');
      // Nothing scrolls sideways: every column, the Revoke buttons included, is in view.
      const sideways = await page.locator('.sessions-pane > .table-wrap').evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(sideways).toBeLessThanOrEqual(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const revoke = sessionRows(page).first().getByRole('button', { name: /^Revoke session/ });
      const box = await revoke.boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(1024);
    } finally {
      await app.close();
    }
  });

  it('fits the board into a 1024×700 window', async () => {
    const app = await openApp(browser, server.url, { width: 1024, height: 700 });
    const { page } = app;
    try {
      await openDemoAndSignIn(app, 'admin');
      await page.getByRole('tab', { name: 'All sessions' }).click();
      await page.getByText(/^16 sessions: /).waitFor();
      await app.screenshot('17-board');
      // Every column, the session one included, is in view: nothing scrolls sideways.
      const sideways = await page.locator('.board-pane .table-wrap').evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(sideways).toBeLessThanOrEqual(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await app.close();
    }
  });

  it('fits a 1024×700 window', async () => {
    const app = await openApp(browser, server.url, { width: 1024, height: 700 });
    const { page } = app;
    try {
      await page.getByRole('heading', { name: 'Connect to a Drupal site' }).waitFor();
      await app.screenshot('1-connect');
      await openDemoAndSignIn(app, 'admin');
      await page.getByRole('searchbox', { name: 'Search users' }).fill('Zoë');
      await page.locator('.search-meta', { hasText: '1 user' }).waitFor();
      await page.getByRole('listbox', { name: 'Users' }).getByRole('option').first().click();
      await expect.poll(() => sessionRows(page).count()).toBe(2);
      await app.screenshot('4-sessions');
      await page.getByRole('button', { name: 'Revoke all…' }).click();
      await app.screenshot('6-confirm-revoke-all');
      // The page never scrolls sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await app.close();
    }
  });
});
