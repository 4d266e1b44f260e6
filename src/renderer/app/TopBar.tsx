import { ENGINE_LABELS } from '../../shared/engines';
import { exactUtc } from '../../shared/time';
import { useConsole } from './console-store';

export function TopBar() {
  const connection = useConsole((s) => s.connection);
  const operator = useConsole((s) => s.operator);
  const signOut = useConsole((s) => s.signOut);
  const disconnect = useConsole((s) => s.disconnect);
  const busy = useConsole((s) => s.busy !== null);

  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Session Inspector
      </div>
      {connection && (
        <div className="topbar-site" title={connection.description}>
          <span className="site-name">{connection.profileName}</span>
          <span className="pill">{ENGINE_LABELS[connection.engine]}</span>
          {connection.readOnly && <span className="pill pill-warn">Read-only</span>}
          {connection.asOf !== null && (
            <span className="pill" title="Activity is judged as of this time, not now">
              as of {exactUtc(connection.asOf)}
            </span>
          )}
        </div>
      )}
      <div className="topbar-actions">
        {operator && (
          <span className="operator" title={`Roles: ${operator.roles.join(', ')}`}>
            <span className="operator-label">Signed in as </span><strong>{operator.name}</strong>
          </span>
        )}
        {operator && (
          <button type="button" className="button button-quiet" onClick={() => void signOut()} disabled={busy}>
            Sign out
          </button>
        )}
        {connection && (
          <button type="button" className="button button-quiet" onClick={() => void disconnect()} disabled={busy}>
            Disconnect
          </button>
        )}
      </div>
    </header>
  );
}
