import type { AuditEntry } from '../../../shared/domain';
import { useState } from 'react';
import { useConsole } from '../../app/console-store';
import { AUDIT_PAGE } from './audit-slice';
import { useExactTime } from '../../app/time-zone';
import { useNow } from '../../app/use-now';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice } from '../../ui/Notice';
import { RelativeTime } from '../../ui/Time';
import { ExportButton } from '../../ui/ExportButton';

const ACTIONS: Record<AuditEntry['action'], string> = {
  'revoke': 'Revoke',
  'revoke-all': 'Revoke all',
  'revoke-matching': 'Revoke matching',
  'unblock': 'Unblock',
};

export function AuditLogView() {
  const audit = useConsole((s) => s.audit);
  const loadAudit = useConsole((s) => s.loadAudit);
  const offset = useConsole((s) => s.auditOffset);
  const [user, setUser] = useState(useConsole.getState().auditUser);
  const now = useNow();
  const exact = useExactTime();
  const entries = audit.data?.entries ?? [];
  const damaged = audit.data?.damagedLines ?? 0;

  return (
    <section className="audit-pane" aria-label="Audit log">
      <div className="section-head">
        <div>
          <h2>Revocations on this site, made from this computer</h2>
          <p className="muted small">Newest first; only users whose sessions you may inspect. Each revoke is also in the site's own log (Reports › Recent log messages) where dblog is enabled.</p>
        </div>
        <div className="row">
          <form className="row" onSubmit={(e) => { e.preventDefault(); void loadAudit(0, user); }} aria-label="Filter the audit log">
            <label className="visually-hidden" htmlFor="audit-user">Only this user</label>
            <input id="audit-user" className="audit-user" value={user} onChange={(e) => setUser(e.target.value)} placeholder="Only user: name, e-mail or uid:42" spellCheck={false} />
            <button type="submit" className="button" disabled={audit.loading}>Filter</button>
          </form>
          <button type="button" className="button" onClick={() => void loadAudit()} disabled={audit.loading}>
            {audit.loading ? 'Loading…' : 'Refresh'}
          </button>
          <ExportButton request={{ kind: 'audit' }} disabled={!audit.data || entries.length === 0} />
        </div>
      </div>
      {audit.error && <ErrorNotice error={audit.error} />}
      {damaged > 0 && (
        <p className="notice notice-warn" role="status">
          {damaged} {damaged === 1 ? 'line' : 'lines'} of the audit log could not be read (damaged or edited) and {damaged === 1 ? 'is' : 'are'} not shown.
        </p>
      )}
      {audit.data && entries.length === 0 && (
        <EmptyState>
          {offset > 0 ? 'No older entries.' : useConsole.getState().auditUser ? 'No entries for that user.' : 'No sessions of this site have been revoked from this computer yet.'}
        </EmptyState>
      )}
      {entries.length > 0 && (
        <div className="table-wrap">
          <table className="sessions-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Operator</th>
                <th>User</th>
                <th>Session</th>
                <th>IP address</th>
                <th>Action</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e, i) => {
                const unix = Math.floor(Date.parse(e.time) / 1000);
                return (
                  <tr key={`${e.time}-${e.sidPrefix}-${i}`}>
                    <td title={exact(unix)}><RelativeTime unix={unix} now={now} /></td>
                    <td>{e.operator.name}</td>
                    <td>{e.target.name} <span className="muted small">uid {e.target.uid}</span></td>
                    <td className="mono small">{e.sidPrefix}…</td>
                    <td className="mono">{e.hostname || '—'}</td>
                    <td>
                      {ACTIONS[e.action]}
                      {e.rememberMeTokens ? <span className="small muted"> · {e.rememberMeTokens} remember-me token{e.rememberMeTokens === 1 ? '' : 's'}</span> : null}
                      {e.accountStatus === 'blocked' && e.action !== 'unblock' ? <span className="badge badge-blocked">account blocked</span> : null}
                      {e.unconfirmed && (
                        <span className="badge badge-warning" title="The revoke was recorded before it was committed, but its outcome was not: it may not have happened. Check the user's sessions.">
                          unconfirmed
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {(offset > 0 || entries.length === AUDIT_PAGE) && (
        <div className="pager">
          <button type="button" className="button button-small" disabled={offset === 0 || audit.loading} onClick={() => void loadAudit(Math.max(0, offset - AUDIT_PAGE))}>
            Newer
          </button>
          <span className="small muted">Entries {(offset + 1).toLocaleString('en')}–{(offset + entries.length).toLocaleString('en')}, newest first</span>
          <button type="button" className="button button-small" disabled={entries.length < AUDIT_PAGE || audit.loading} onClick={() => void loadAudit(offset + AUDIT_PAGE)}>
            Older
          </button>
        </div>
      )}
    </section>
  );
}
