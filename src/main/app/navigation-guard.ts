/**
 * The one place that keeps every web page of the app where it belongs: no navigation
 * away from the app's own page, no new windows, no webviews, no external links.
 * Applied to every webContents the app creates (see index.ts). No Electron import, so
 * it is tested in plain Node.
 */

interface PreventableEvent {
  preventDefault(): void;
  /** Electron 25+ puts the target URL on the event (the url argument is deprecated). */
  url?: string;
}

/** The part of Electron's WebContents this guard uses. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url?: string) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function guardNavigation(contents: GuardedContents, isAppUrl: (url: string) => boolean, onBlocked?: (url: string) => void): void {
  const block = (event: PreventableEvent, url?: string) => {
    const target = event.url ?? url ?? '';
    if (isAppUrl(target)) return;
    event.preventDefault();
    onBlocked?.(target);
  };
  contents.on('will-navigate', block);
  contents.on('will-redirect', block);
  contents.on('will-frame-navigate', (event) => block(event));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    onBlocked?.(url);
    return { action: 'deny' };
  });
}

/**
 * Decides whether a URL is the app's own page: the built index.html (file:), or the
 * dev server's origin during `npm run dev`.
 */
export function appUrlMatcher(page: { file?: string; devServer?: string }): (url: string) => boolean {
  return (candidate) => {
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      return false;
    }
    if (page.devServer) return url.origin === new URL(page.devServer).origin;
    // A file: URL with a host (file://server/share/…) is another machine's file, even
    // when its path matches ours.
    if (!page.file || url.protocol !== 'file:' || url.host !== '') return false;
    return decodeURIComponent(url.pathname) === page.file.replace(/\\/g, '/').replace(/^(?=[A-Za-z]:)/, '/');
  };
}
