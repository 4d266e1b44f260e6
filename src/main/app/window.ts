/** The one BrowserWindow, locked down: isolated, sandboxed, no Node in the page. */
import { join } from 'node:path';
import { BrowserWindow } from 'electron';

import type { AppPage } from './window-page.js';

export type { AppPage };

export function createMainWindow(page: AppPage, preloadDir: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Session Inspector',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: join(preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (page.devServer) void window.loadURL(page.devServer);
  else void window.loadFile(page.file!);
  return window;
}
