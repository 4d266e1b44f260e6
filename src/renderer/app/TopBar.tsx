import { ENGINE_LABELS } from '../../shared/engines';
import { exactUtc } from '../../shared/time';
import type { ConnectionInfo } from '../../shared/ipc/contract';
import { useEffect } from 'react';
import { useConsole } from './console-store';
import { rememberedTimeZone } from './time-zone';

/** "as of" a dump's time says how sure it is: mysqldump writes a local time without its zone. */
function asOfText(connection: ConnectionInfo): string {
  const { snapshot, asOf } = connection;
  if (snapshot && asOf === snapshot.madeAt && snapshot.madeAtFrom === 'dump' && !snapshot.zoneKnown) return `${exactUtc(asOf).replace(/ UTC$/, '')} (zone unknown)`;
  return exactUtc(asOf);
}

function asOfTitle(connection: ConnectionInfo): string {
  const { snapshot, asOf } = connection;
  if (!snapshot || asOf !== snapshot.madeAt) return 'Activity is judged as of this time, not now';
  if (snapshot.madeAtFrom === 'file') return "Activity is judged as of the dump file's modification time: the dump does not say when it was made";
  return snapshot.zoneKnown
    ? 'Activity is judged as of when the dump was made'
    : "Activity is judged as of when the dump was made, in its computer's local time: the dump does not say which time zone (read as UTC)";
}

/**
 * How times read (UTC or local, remembered per operator) and whether the view on screen
 * refreshes itself every 30 s (off by default, and off again at each start).
 */
function TimeControls({ operator }: { operator: string }) {
  const zone = useConsole((s) => s.timeZone);
  const setZone = useConsole((s) => s.setTimeZone);
  const autoRefresh = useConsole((s) => s.autoRefresh);
  const setAutoRefresh = useConsole((s) => s.setAutoRefresh);
  useEffect(() => {
    useConsole.setState({ timeZone: rememberedTimeZone(operator) });
  }, [operator]);
  return (
    <div className="time-controls">
      <div className="segmented segmented-small" role="group" aria-label="Show exact times in">
        {(['utc', 'local'] as const).map((choice) => (
          <button key={choice} type="button" className={zone === choice ? 'active' : ''} aria-pressed={zone === choice} onClick={() => setZone(choice)}>
            {choice === 'utc' ? 'UTC' : 'Local'}
          </button>
        ))}
      </div>
      <label className="auto-refresh small" title="Refresh the view on screen every 30 seconds">
        <input type="checkbox" checked={autoRefresh} onChange={(e) => setAutoRefresh(e.target.checked)} /> Auto-refresh
      </label>
    </div>
  );
}

export function TopBar() {
  const connection = useConsole((s) => s.connection);
  const operator = useConsole((s) => s.operator);
  const signOut = useConsole((s) => s.signOut);
  const disconnect = useConsole((s) => s.disconnect);
  const busy = useConsole((s) => s.busy !== null);

  return (
    <header className={connection?.production ? 'topbar topbar-production' : 'topbar'}>
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Session Inspector
      </div>
      {connection && (
        <div className="topbar-site" title={connection.description}>
          <span className="site-name">{connection.profileName}</span>
          {connection.snapshot ? (
            <span className="pill" title={`A read-only snapshot of the dump ${connection.snapshot.source}`}>
              {connection.snapshot.dialect === 'mysql' ? 'MySQL dump' : 'PostgreSQL dump'}
            </span>
          ) : (
            <span className="pill">{ENGINE_LABELS[connection.engine]}</span>
          )}
          {connection.production && <span className="pill pill-production" title="This connection is marked as a production site">Production</span>}
          {connection.encrypted === false && (
            <span className="pill pill-unencrypted" title="The connection to the database server does not use TLS: what crosses the network is readable">
              Not encrypted
            </span>
          )}
          {connection.readOnly && <span className="pill pill-warn">Read-only</span>}
          {connection.asOf !== null && (
            <span className="pill" title={asOfTitle(connection)}>
              as of {asOfText(connection)}
            </span>
          )}
        </div>
      )}
      <div className="topbar-actions">
        {operator && <TimeControls operator={operator.name} />}
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
