import { useConsole } from './console-store';
import { CompareView } from '../features/compare/CompareView';
import { AuditLogView } from '../features/audit/AuditLogView';
import { ErrorNotice } from '../ui/Notice';
import { SessionsPanel } from '../features/sessions/SessionsPanel';
import { UserList } from '../features/users/UserList';
import { SiteBoard } from '../features/board/SiteBoard';

export function ConsoleScreen() {
  const view = useConsole((s) => s.view);
  const setView = useConsole((s) => s.setView);
  const operator = useConsole((s) => s.operator);
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
      <nav className="tabs" aria-label="Views">
        <button type="button" role="tab" aria-selected={view === 'users'} className={view === 'users' ? 'tab active' : 'tab'} onClick={() => setView('users')}>
          Users and sessions
        </button>
        {operator?.canInspectOther && (
          <button type="button" role="tab" aria-selected={view === 'board'} className={view === 'board' ? 'tab active' : 'tab'} onClick={() => setView('board')}>
            All sessions
          </button>
        )}
        <button type="button" role="tab" aria-selected={view === 'audit'} className={view === 'audit' ? 'tab active' : 'tab'} onClick={() => setView('audit')}>
          Audit log
        </button>
        {operator?.canInspectOther && (
          <button type="button" role="tab" aria-selected={view === 'compare'} className={view === 'compare' ? 'tab active' : 'tab'} onClick={() => setView('compare')}>
            Compare
          </button>
        )}
        {operator && !operator.canInspectOther && (
          <span className="tabs-note muted">You may inspect only your own sessions.</span>
        )}
      </nav>
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
