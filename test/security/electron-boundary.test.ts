/**
 * The Electron boundary problems suspected in the hardening issue (no Electron binary
 * here, so each is tested where its decision is made, in plain Node):
 * - ELECTRON_RENDERER_URL is honoured only by a development run, and only on loopback;
 *   the production bundle does not read it at all;
 * - IPC trusts only a file: URL without a host, and only a window's top frame;
 * - `npm start` refuses an older Node with a clear message, and builds the Electron SQLite binding with the pinned node-gyp, never an
 *   unpinned `npx` download.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPage } from '../../src/main/app/app-page.js';
import { appUrlMatcher } from '../../src/main/app/navigation-guard.js';
import { createDispatcher } from '../../src/main/ipc/dispatcher.js';
import type { Handlers } from '../../src/shared/ipc/contract.js';

const ROOT = process.cwd();
const BUILT = join(ROOT, 'out', 'renderer', 'index.html');

describe('which page the window loads', () => {
  it('is the built file in every run but development', () => {
    expect(resolveAppPage({ development: false, rendererUrl: 'http://127.0.0.1:5173/', builtFile: BUILT })).toEqual({ file: BUILT });
    expect(resolveAppPage({ development: true, rendererUrl: undefined, builtFile: BUILT })).toEqual({ file: BUILT });
    expect(resolveAppPage({ development: true, rendererUrl: 'http://localhost:5173/', builtFile: BUILT })).toEqual({ devServer: 'http://localhost:5173/' });
  });

  it('is never a remote or non-http URL, even in development', () => {
    for (const url of ['https://evil.example/', 'http://10.0.0.5:5173/', 'file:///tmp/evil.html', 'javascript:alert(1)', 'not a url']) {
      expect(resolveAppPage({ development: true, rendererUrl: url, builtFile: BUILT })).toEqual({ file: BUILT });
    }
  });

  it('cannot come from the environment in the production bundle', () => {
    const bundle = join(ROOT, 'out', 'main', 'index.js');
    expect(existsSync(bundle), 'npm test builds the app before the tests; run `npm run build`').toBe(true);
    expect(readFileSync(bundle, 'utf8')).not.toContain('ELECTRON_RENDERER_URL');
  });
});

describe('which senders IPC trusts', () => {
  const isApp = appUrlMatcher({ file: '/opt/app/out/renderer/index.html' });

  it('refuses a file: URL that names another host', () => {
    expect(isApp('file:///opt/app/out/renderer/index.html')).toBe(true);
    expect(isApp('file://evil/opt/app/out/renderer/index.html')).toBe(false);
    // "localhost" is this machine: URL parsing drops it, as the file: scheme defines.
    expect(isApp('file://localhost/opt/app/out/renderer/index.html')).toBe(true);
    expect(isApp('file://127.0.0.1/opt/app/out/renderer/index.html')).toBe(false);
  });

  it('refuses sub-frames, even of the app\'s own page', async () => {
    let called = 0;
    const handlers = { 'listProfiles': async () => { called++; return []; } } as unknown as Handlers;
    const dispatch = createDispatcher(handlers, { isTrustedSender: isApp, isSignedIn: () => false });
    const url = 'file:///opt/app/out/renderer/index.html';
    expect(await dispatch('listProfiles', { senderFrame: { url, parent: null } }, undefined)).toEqual({ ok: true, value: [] });
    const fromFrame = await dispatch('listProfiles', { senderFrame: { url, parent: { url } } }, undefined);
    expect(fromFrame).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    expect(called).toBe(1);
  });
});

describe('npm start on an older Node', () => {
  it('says plainly that the app needs Node 22 and the CLI runs on 20', async () => {
    const { requireNodeForApp } = await import('../../scripts/electron-setup.mjs');
    expect(() => requireNodeForApp('20.19.0')).toThrow(/needs Node 22 or later, because Electron does, and this is Node 20\.19\.0/);
    expect(() => requireNodeForApp('22.12.0')).not.toThrow();
    expect(() => requireNodeForApp('24.1.0')).not.toThrow();
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(manifest.engines.node).toBe('>=20.19');
    if (Number(process.versions.node.split('.')[0]) < 22) {
      // On this machine: the real `npm start` script, before it downloads or builds anything.
      const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], { encoding: 'utf8', timeout: 30_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`needs Node 22 or later, because Electron does, and this is Node ${process.versions.node}`);
      expect(run.stderr).toContain('npx session-inspector --help');
    }
  });
});

describe('npm start\'s native build', () => {
  it('uses the pinned node-gyp devDependency, not npx', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'electron-setup.mjs'), 'utf8');
    expect(script).not.toMatch(/['"]npx(\.cmd)?['"]/);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies['node-gyp']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(createRequire(join(ROOT, 'package.json')).resolve('node-gyp/bin/node-gyp.js'))).toBe(true);
  });
});
