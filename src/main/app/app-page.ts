/**
 * Which page the window loads, and so which page IPC trusts. Only a development run
 * (`npm run dev`, where electron-vite serves the renderer with hot reload) may load it
 * from a URL, and only from this machine; every other run loads the built index.html,
 * whatever the environment says. Otherwise ELECTRON_RENDERER_URL, set by anyone who can
 * start the app, would make it load and trust a page of their choosing.
 */
import type { AppPage } from './window-page.js';

export function resolveAppPage(options: { development: boolean; rendererUrl: string | undefined; builtFile: string }): AppPage {
  const { development, rendererUrl, builtFile } = options;
  if (development && rendererUrl !== undefined && isLoopbackHttp(rendererUrl)) return { devServer: rendererUrl };
  return { file: builtFile };
}

function isLoopbackHttp(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}
