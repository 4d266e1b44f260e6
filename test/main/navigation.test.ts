import { describe, expect, it, vi } from 'vitest';
import { appUrlMatcher, guardNavigation, type GuardedContents } from '../../src/main/app/navigation-guard.js';

type Listener = (event: { preventDefault(): void }, url?: string) => void;

class FakeContents {
  listeners = new Map<string, Listener>();
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  on(event: string, listener: Listener) {
    this.listeners.set(event, listener);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.openHandler = handler;
  }
  /** Fires as Electron 45 does: the URL on the event; `will-navigate` also passes it as an argument. */
  emit(event: string, url?: string): boolean {
    let prevented = false;
    const details = { preventDefault: () => (prevented = true), url };
    this.listeners.get(event)!(details, event === 'will-frame-navigate' ? undefined : url);
    return prevented;
  }
}

const page = '/opt/app/out/renderer/index.html';

describe('the navigation guard', () => {
  const isAppUrl = appUrlMatcher({ file: page });

  it('blocks navigation and redirects away from the app page', () => {
    const contents = new FakeContents();
    const blocked = vi.fn();
    guardNavigation(contents as unknown as GuardedContents, isAppUrl, blocked);
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(contents.emit(event, 'https://evil.example/')).toBe(true);
      expect(contents.emit(event, 'file:///etc/passwd')).toBe(true);
      expect(contents.emit(event, `file://${page}`)).toBe(false);
    }
    expect(blocked).toHaveBeenCalledWith('https://evil.example/');
  });

  it('denies every new window and external link, and every webview', () => {
    const contents = new FakeContents();
    guardNavigation(contents as unknown as GuardedContents, isAppUrl);
    expect(contents.openHandler!({ url: 'https://drupal.org' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: `file://${page}` })).toEqual({ action: 'deny' });
    expect(contents.emit('will-attach-webview')).toBe(true);
  });

  it('recognises only the app page: the built file, or the dev server origin', () => {
    expect(isAppUrl(`file://${page}`)).toBe(true);
    expect(isAppUrl(`file://${page}#x`)).toBe(true);
    expect(isAppUrl(`file://${page}.evil`)).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    const dev = appUrlMatcher({ devServer: 'http://localhost:5173' });
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev(`file://${page}`)).toBe(false);
  });
});
