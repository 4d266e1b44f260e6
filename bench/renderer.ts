/**
 * `npm run bench:renderer`: the sessions table in Chromium, through the same loopback
 * bridge as the end-to-end tests, for a user with 10,000 sessions (shown 500 a page):
 * how long the first page takes to appear after the click that asks for it (the
 * bridge and the query included), a sort, and ticking a checkbox, each measured in the
 * page from the event to the DOM being updated. Needs `npm run build` first.
 */
import { join } from 'node:path';
import { createSqliteSite } from '../src/core/site-builder/sqlite-site.js';
import { launchChromium, openApp, rendererMissing, serveRenderer } from '../test/support/renderer-harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ADMIN, BIG_SESSIONS, BIG_UID, bulkStatements, seed } from './generate.js';

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const missing = rendererMissing();
  if (missing) throw new Error(missing);
  const folder = mkdtempSync(join(tmpdir(), 'si-bench-renderer-'));
  const file = join(folder, 'site.sqlite');
  // A small site (1,000 accounts) and the user with 10,000 sessions.
  await createSqliteSite(file, seed(), { bulk: (exec) => [...bulkStatements('sqlite', 1000)].forEach(exec) });
  const server = await serveRenderer();
  const browser = await launchChromium();
  try {
    const app = await openApp(browser, server.url);
    // Connected and signed in through the main-process service; the page then starts there.
    const profile = app.service.profiles.save({ name: 'bench', engine: 'sqlite', file, prefix: '', readOnly: false, superUser: true });
    await app.service.connect({ profileId: profile.id });
    await app.service.signIn(ADMIN.name, ADMIN.password);
    await app.page.reload();
    const { page } = app;
    const findUser = async () => {
      await page.getByRole('searchbox').fill(`uid:${BIG_UID}`);
      // Wait for the search's answer (the list first shows every user).
      await page.locator('.search-meta', { hasText: '1 user' }).waitFor();
    };

    const firstPage: number[] = [];
    const sorts: number[] = [];
    const ticks: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // A fresh page each time: no rows of the previous run.
      await page.reload();
      await findUser();
      // From the click on the user to the first session row in the DOM. (Strings, not
      // functions: tsx would wrap functions in helpers the page does not have.)
      firstPage.push(
        await page.evaluate(`(async () => {
          const start = performance.now();
          document.querySelector('.user-list [role="option"]').click();
          await new Promise((resolve) => {
            const check = () => (document.querySelector('.sessions-table tbody tr[data-index]') && document.querySelector('.sessions-pane[aria-busy="false"]') ? resolve() : requestAnimationFrame(check));
            check();
          });
          return performance.now() - start;
        })()`),
      );
      // A sort: the click on a column header until React has committed (discrete events render synchronously).
      sorts.push(
        await page.evaluate(`(() => {
          const start = performance.now();
          document.querySelector('th[aria-sort] button').click();
          return performance.now() - start;
        })()`),
      );
      ticks.push(
        await page.evaluate(`(() => {
          const box = document.querySelector('.sessions-table tbody input[type="checkbox"]');
          const start = performance.now();
          box.click();
          return performance.now() - start;
        })()`),
      );
    }
    const rows = await page.locator('.sessions-table tbody tr[data-index]').count();
    console.log(`A user with ${BIG_SESSIONS.toLocaleString('en')} sessions, pages of 500; ${rows} rows in the DOM at a time.`);
    console.log(`medians of ${RUNS}: first page ${median(firstPage).toFixed(1)} ms (click to rows, bridge and query included), sort ${median(sorts).toFixed(1)} ms, checkbox ${median(ticks).toFixed(1)} ms`);
    await app.close();
  } finally {
    await browser.close();
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
