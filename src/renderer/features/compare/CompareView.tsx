/**
 * Compare: the open site against an older copy (a saved connection: a dump, a file, a
 * database). The operator signs in on that copy with their password there; the main
 * process opens it read-only, compares, and lists the changes, the first thousand on
 * screen, all of them in the export.
 */
import { useState } from 'react';
import { SITE_DIFF_KINDS, type SiteDiffChange, type SiteDiffKind } from '../../../shared/domain';
import { useExactTime } from '../../app/time-zone';
import { useConsole } from '../../app/console-store';
import { EmptyState } from '../../ui/EmptyState';
import { ExportButton } from '../../ui/ExportButton';
import { ErrorNotice } from '../../ui/Notice';
import { RelativeTime } from '../../ui/Time';

const LABELS: Record<SiteDiffKind, string> = {
  'session-appeared': 'Sessions appeared',
  'session-disappeared': 'Sessions gone',
  'session-ip-changed': 'Sessions moved',
  'account-created': 'Accounts created',
  'account-deleted': 'Accounts deleted',
  'account-blocked': 'Blocked',
  'account-unblocked': 'Unblocked',
  'roles-changed': 'Roles changed',
  'password-changed': 'New password',
};

const ROW_LABELS: Record<SiteDiffKind, string> = {
  'session-appeared': 'Session appeared',
  'session-disappeared': 'Session gone',
  'session-ip-changed': 'Session moved',
  'account-created': 'Account created',
  'account-deleted': 'Account deleted',
  'account-blocked': 'Account blocked',
  'account-unblocked': 'Account unblocked',
  'roles-changed': 'Roles changed',
  'password-changed': 'New password',
};

const list = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') || '(none)' : (value ?? ''));

function Detail({ change, asOf }: { change: SiteDiffChange; asOf: number }) {
  switch (change.kind) {
    case 'session-appeared':
    case 'session-disappeared':
      return (
        <>
          <span className="mono">{change.hostname || '—'}</span> · last used <RelativeTime unix={change.lastUsed ?? null} now={asOf} />
        </>
      );
    case 'session-ip-changed':
    case 'roles-changed':
      return (
        <span className={change.kind === 'session-ip-changed' ? 'mono' : ''}>
          {list(change.before)} → {list(change.after)}
        </span>
      );
    case 'password-changed':
      return <span className="muted">the password hash changed</span>;
    default:
      return null;
  }
}

export function CompareView() {
  const profiles = useConsole((s) => s.profiles);
  const connection = useConsole((s) => s.connection);
  const { loading, data, error } = useConsole((s) => s.comparison);
  const compareWith = useConsole((s) => s.compareWith);
  const exact = useExactTime();
  const others = profiles.filter((p) => p.name !== connection?.profileName);
  const [profileId, setProfileId] = useState(others[0]?.id ?? '');
  const [password, setPassword] = useState('');
  const [dbPassword, setDbPassword] = useState('');
  const chosen = others.find((p) => p.id === profileId);
  const needsDbPassword = chosen !== undefined && chosen.engine !== 'sqlite' && !chosen.hasPassword;
  const total = data ? SITE_DIFF_KINDS.reduce((sum, kind) => sum + data.counts[kind], 0) : 0;

  return (
    <section className="compare-pane" aria-labelledby="compare-title">
      <div className="section-head">
        <div>
          <h2 id="compare-title">Compare with an older copy</h2>
          <p className="muted small">
            What changed since a dump or another copy of this site: sessions that appeared, went or moved, and accounts created, deleted, blocked,
            unblocked, with other roles or a new password.
          </p>
        </div>
        {data && total > 0 && <ExportButton request={{ kind: 'diff' }} />}
      </div>
      {others.length === 0 ? (
        <EmptyState hint="Save a connection to an older copy of this site (a dump, a SQLite file or a database) to compare with it.">No other saved connection.</EmptyState>
      ) : (
        <form
          className="compare-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen) void compareWith(chosen.id, password, needsDbPassword ? dbPassword : undefined);
          }}
        >
          <div className="field">
            <label htmlFor="compare-with">Older copy</label>
            <select id="compare-with" value={profileId} onChange={(e) => setProfileId(e.target.value)}>
              {others.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="compare-password">Your Drupal password there</label>
            <input id="compare-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" required />
          </div>
          {needsDbPassword && (
            <div className="field">
              <label htmlFor="compare-db-password">Database password</label>
              <input id="compare-db-password" type="password" value={dbPassword} onChange={(e) => setDbPassword(e.target.value)} autoComplete="off" />
            </div>
          )}
          <button type="submit" className="button button-primary" disabled={loading || !chosen || password === ''}>
            {loading ? 'Comparing…' : 'Compare'}
          </button>
        </form>
      )}
      {error && <ErrorNotice error={error} />}
      {data && (
        <>
          <p className="muted compare-sides">
            From <span className="mono">{data.before.site}</span> (as of {exact(data.before.asOf)}) to <span className="mono">{data.after.site}</span> (as of{' '}
            {exact(data.after.asOf)}).
          </p>
          <ul className="diff-counts" aria-label="Changes by kind">
            {SITE_DIFF_KINDS.map((kind) => (
              <li key={kind} className={data.counts[kind] > 0 ? 'diff-count has' : 'diff-count'}>
                <strong>{data.counts[kind].toLocaleString('en')}</strong> {LABELS[kind]}
              </li>
            ))}
          </ul>
          {total === 0 ? (
            <EmptyState hint="The two copies have the same accounts, roles, passwords and sessions.">No changes.</EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="diff-table">
                <thead>
                  <tr>
                    <th scope="col">Change</th>
                    <th scope="col">User</th>
                    <th scope="col">Session</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {data.changes.map((change, i) => (
                    <tr key={`${change.kind}-${change.uid}-${change.sid ?? ''}-${i}`}>
                      <td>
                        <span className={`diff-kind diff-${change.kind}`}>{ROW_LABELS[change.kind]}</span>
                      </td>
                      <td>
                        {change.name ?? '—'} <span className="muted">uid {change.uid}</span>
                      </td>
                      <td className="mono" title={change.sid}>
                        {change.sid ? `${change.sid.slice(0, 8)}…` : ''}
                      </td>
                      <td>
                        <Detail change={change} asOf={data.after.asOf} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {!data.complete && (
                <p className="muted">
                  Showing the first {data.changes.length.toLocaleString('en')} of {total.toLocaleString('en')} changes; Export CSV writes them all.
                </p>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
