/**
 * The console's keyboard shortcuts, in one place: `/` goes to the current view's
 * search or filter, F5 and Ctrl+R (⌘R) refresh the view on screen instead of reloading
 * the window. Typing in a field keeps `/` for the field.
 */
import { useEffect } from 'react';
import { useConsole } from './console-store';

/** Where `/` goes in each view. */
const SEARCH_OF_VIEW: Record<string, string> = {
  users: '#user-search',
  board: '.board-filters input',
  audit: '#audit-user',
  compare: '#compare-with',
};

function typing(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

/** Re-reads what the current view shows. */
export function refreshView(): void {
  const state = useConsole.getState();
  switch (state.view) {
    case 'users':
      void state.search(state.searchText, state.offset);
      if (state.selectedUid !== null) void state.refreshSessions();
      break;
    case 'board':
      void state.loadBoard(state.boardFilter, state.boardOffset);
      break;
    case 'audit':
      void state.loadAudit();
      break;
    default:
      break;
  }
}

export function useConsoleKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // A dialog keeps its keys (Esc, Tab) to itself.
      if (document.querySelector('.dialog')) return;
      if (event.key === 'F5' || ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'r')) {
        event.preventDefault();
        refreshView();
        return;
      }
      if (event.key === '/' && !typing(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        const field = document.querySelector<HTMLElement>(SEARCH_OF_VIEW[useConsole.getState().view] ?? '');
        if (field) {
          event.preventDefault();
          field.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** How often the view on screen is re-read when auto-refresh is on. */
export const AUTO_REFRESH_MS = 30_000;

/** While auto-refresh is on: the view on screen is re-read every 30 s, unless a dialog or a long step is open. */
export function useAutoRefresh(): void {
  const on = useConsole((s) => s.autoRefresh);
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => {
      if (document.querySelector('.dialog') || useConsole.getState().busy !== null) return;
      refreshView();
    }, AUTO_REFRESH_MS);
    return () => clearInterval(timer);
  }, [on]);
}
