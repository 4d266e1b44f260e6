/// <reference lib="dom" />
// Callbacks given to page.evaluate() run in the browser: this file alone sees DOM types.
/**
 * Runs the built renderer in Debian's Chromium, driven by Playwright, with the preload
 * bridge replaced by a loopback: each bridge function calls the real IPC dispatcher
 * (sender check, validation, handlers) in this Node process, on a real database.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BRIDGE_GLOBAL, CHANNELS, type Channel } from '../../src/shared/ipc/contract.js';
import { createDispatcher } from '../../src/main/ipc/dispatcher.js';
import { ConsoleService } from '../../src/main/services/console-service.js';
import { NO_SECRET_BOX, type SecretBox } from '../../src/main/services/secret-box.js';
import { builtDumpWorker, builtSqliteWorker } from './engines.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RENDERER_DIR = join(process.cwd(), 'out', 'renderer');
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

export function rendererMissing(): string | null {
  if (!existsSync(CHROMIUM)) return `Chromium is not installed at ${CHROMIUM} (Debian package "chromium")`;
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) return 'The renderer is not built: run "npm run build" (npm test does it first)';
  return null;
}

/** Serves the built renderer on 127.0.0.1 (module scripts do not run from file://). */
export async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(RENDERER_DIR, path === '/' ? 'index.html' : path);
    if (!file.startsWith(RENDERER_DIR) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface AppUnderTest {
  page: Page;
  service: ConsoleService;
  dataHome: string;
  /** Calls the bridge from inside the page, as the renderer would. */
  callBridge(method: Channel, request?: unknown): Promise<unknown>;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** axe-core's own bundle, run in the page through the DevTools protocol (the app's CSP forbids injected scripts, rightly). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical WCAG 2.1 A/AA violations on the page as it is now, one line each. */
export async function accessibilityViolations(page: Page, screen: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (context: Document, options: object) => Promise<unknown> } }).axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  )) as { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; any: Array<{ data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } }> }> }> };
  // For a contrast failure, the colours and the ratio found: what to fix.
  const where = (node: { target: string[]; any: Array<{ data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } }> }) => {
    const data = node.any[0]?.data;
    return `${node.target.join(' ')}${data?.contrastRatio ? ` (${data.fgColor} on ${data.bgColor}, ${data.contrastRatio}:1)` : ''}`;
  };
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 5).map(where).join(', ')}`);
}

export async function openApp(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1280, height: 800 },
  options: { timezoneId?: string; chooseSqliteFile?: () => Promise<string | null>; secrets?: SecretBox } = {},
): Promise<AppUnderTest> {
  const { chooseSqliteFile = async () => null, secrets = NO_SECRET_BOX, ...contextOptions } = options;
  const dataHome = mkdtempSync(join(tmpdir(), 'si-e2e-home-'));
  // As in the app: SQLite on the worker thread the build ships.
  // The save dialog answers with the suggested name in the data folder.
  const service = new ConsoleService({
    dataHome,
    secrets,
    chooseSqliteFile,
    chooseExportFile: async (name) => join(dataHome, name),
    version: '0.0.0-test',
    sqliteWorker: builtSqliteWorker(),
    dumpWorker: builtDumpWorker(),
  });
  const origin = new URL(baseUrl).origin;
  const dispatch = createDispatcher(service.handlers(), {
    isTrustedSender: (url) => {
      try {
        return new URL(url).origin === origin;
      } catch {
        return false;
      }
    },
    isSignedIn: () => service.signedIn,
  });
  // As the app's own permission handler does: the page may write to the clipboard.
  const context = await browser.newContext({ viewport, colorScheme: 'light', permissions: ['clipboard-read', 'clipboard-write'], ...contextOptions });
  const page = await context.newPage();
  // The loopback: the page's frame URL is what the sender check sees, as in Electron.
  await page.exposeFunction('__siLoopback', (channel: string, payload: unknown) =>
    dispatch(channel, { senderFrame: { url: page.url() } }, payload),
  );
  await page.addInitScript(
    ({ methods, global }) => {
      const invoke = (window as unknown as { __siLoopback: (c: string, p: unknown) => Promise<unknown> }).__siLoopback;
      const bridge = Object.fromEntries(methods.map((channel) => [channel, (request?: unknown) => invoke(channel, request)]));
      Object.defineProperty(window, global, { value: Object.freeze(bridge) });
    },
    { methods: [...CHANNELS], global: BRIDGE_GLOBAL },
  );
  const errors: string[] = [];
  const violations: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(baseUrl);
  return {
    page,
    service,
    dataHome,
    callBridge: (method, request) =>
      page.evaluate(({ method, request, global }) => (window as unknown as Record<string, Record<string, (r?: unknown) => Promise<unknown>>>)[global]![method]!(request), {
        method,
        request,
        global: BRIDGE_GLOBAL,
      }),
    // Every screen shot is also shot in the dark theme, and scanned for accessibility in both.
    screenshot: async (name) => {
      const base = join(SCREENSHOT_DIR, `${name}-${viewport.width}x${viewport.height}`);
      await page.screenshot({ path: `${base}.png` });
      violations.push(...(await accessibilityViolations(page, `${name} (light)`)));
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: `${base}-dark.png` });
      violations.push(...(await accessibilityViolations(page, `${name} (dark)`)));
      await page.emulateMedia({ colorScheme: 'light' });
    },
    close: async () => {
      await context.close();
      await service.dispose();
      rmSync(dataHome, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`The page logged errors:\n${errors.join('\n')}`);
      if (violations.length > 0) throw new Error(`Serious or critical accessibility violations (axe-core, WCAG 2.1 AA):\n${violations.join('\n')}`);
    },
  };
}
