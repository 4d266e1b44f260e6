import { useConsole } from './console-store';
import type { View } from './store-kit';
import { useAutoRefresh, useConsoleKeys } from './use-console-keys';
import { CompareView } from '../features/compare/CompareView';
import { AuditLogView } from '../features/audit/AuditLogView';
import { ErrorNotice } from '../ui/Notice';
import { SessionsPanel } from '../features/sessions/SessionsPanel';
import { UserList } from '../features/users/UserList';
import { SiteBoard } from '../features/board/SiteBoard';

const VIEW_LABELS: Record<View, string> = { users: 'Users and sessions', board: 'All sessions', audit: 'Audit log', compare: 'Compare' };

/**
 * The console's tabs: a tab list with one tab in the Tab order (the current one); ← →
 * (and Home, End) move between them, as in every tab list.
 */
function ViewTabs() {
  const view = useConsole((s) => s.view);
  const setView = useConsole((s) => s.setView);
  const operator = useConsole((s) => s.operator);
  const views: View[] = operator?.canInspectOther ? ['users', 'board', 'audit', 'compare'] : ['users', 'audit'];
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    const at = views.indexOf(view);
    const next =
      event.key === 'ArrowRight' ? views[(at + 1) % views.length] :
      event.key === 'ArrowLeft' ? views[(at - 1 + views.length) % views.length] :
      event.key === 'Home' ? views[0] :
      event.key === 'End' ? views[views.length - 1] : undefined;
    if (!next) return;
    event.preventDefault();
    setView(next);
    // Focus follows the selection, once the tab is rendered as selected.
    requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
  };
  return (
    <nav className="tabs" aria-label="Views">
      <div role="tablist" aria-label="Views" className="tablist" onKeyDown={onKeyDown}>
        {views.map((v) => (
          <button
            key={v}
            id={`tab-${v}`}
            type="button"
            role="tab"
            aria-selected={view === v}
            tabIndex={view === v ? 0 : -1}
            className={view === v ? 'tab active' : 'tab'}
            onClick={() => setView(v)}
          >
            {VIEW_LABELS[v]}
          </button>
        ))}
      </div>
      {operator && !operator.canInspectOther && <span className="tabs-note muted">You may inspect only your own sessions.</span>}
    </nav>
  );
}

export function ConsoleScreen() {
  const view = useConsole((s) => s.view);
  const operator = useConsole((s) => s.operator);
  useConsoleKeys();
  useAutoRefresh();
  const usersError = useConsole((s) => s.users.error);
  const operatorDenied = useConsole((s) => s.operatorDenied);
  const signOut = useConsole((s) => s.signOut);

  // Blocked or demoted since sign-in: the main process says so on the next call.
  const denied = operatorDenied ?? (usersError?.code === 'ACCESS_DENIED' ? usersError : null);
  if (denied || (operator && !operator.canInspectOwn)) {
    return (
      <div className="center">
        <div className="card blocked-card" role="alert">
          <h2>Access denied</h2>
          <p>
            {denied?.message ??
              operator?.noAccess ??
              `Your account ${operator?.name} has neither “inspect own user sessions” nor “inspect other user sessions” on this site.`}
          </p>
          <p className="muted">Sign in with another account, or ask a site administrator to grant or restore your access.</p>
          <button type="button" className="button button-primary" onClick={() => void signOut()}>
            Sign in as someone else
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="console">
      <ViewTabs />
      {usersError && (
        <ErrorNotice
          error={usersError}
          action={
            <button type="button" className="button button-small" onClick={() => void useConsole.getState().search(useConsole.getState().searchText)}>
              {usersError.code === 'CANCELLED' ? 'Search again' : 'Retry'}
            </button>
          }
        />
      )}
      {view === 'users' && (
        <div className="split">
          <UserList />
          <SessionsPanel />
        </div>
      )}
      {view === 'board' && <SiteBoard />}
      {view === 'audit' && <AuditLogView />}
      {view === 'compare' && <CompareView />}
    </div>
  );
}
