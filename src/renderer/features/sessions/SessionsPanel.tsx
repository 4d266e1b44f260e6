import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { AUTHENTICATED_ROLE, type SessionInfo } from '../../../shared/domain';
import { StateBadge } from '../../ui/session-badges';
import { SESSION_PAGE_SIZE } from '../../../shared/limits';
import { formatDuration } from '../../../shared/time';
import { useConsole } from '../../app/console-store';
import { sortSessions, type SortKey } from './sessions-slice';
import { useReferenceTime } from '../../app/use-now';
import { ConfirmDialog } from './ConfirmDialog';
import { UnblockDialog } from './UnblockDialog';
import { ExportButton } from '../../ui/ExportButton';
import { RememberMeTokens } from './RememberMeTokens';
import { EmptyState } from '../../ui/EmptyState';
import { Pager } from '../../ui/Pager';
import { ErrorNotice, SuccessNotice } from '../../ui/Notice';
import { RelativeTime } from '../../ui/Time';
import { CopySid } from '../../ui/CopySid';
import { Place } from '../../ui/Place';
import { Address } from '../../ui/Address';
import { Flags, Legend } from '../../ui/session-badges';
import { SlowProgress } from '../../ui/SlowProgress';

function SortHeader({ label, sortKey }: { label: string; sortKey: SortKey }) {
  const sort = useConsole((s) => s.sort);
  const setSort = useConsole((s) => s.setSort);
  const active = sort.key === sortKey;
  return (
    <th aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" onClick={() => setSort(sortKey)}>
        {label}
        <span aria-hidden="true" className="sort-mark">{active ? (sort.descending ? '▼' : '▲') : ''}</span>
      </button>
    </th>
  );
}

/** Rows drawn beyond the visible ones, above and below, so scrolling shows no gap. */
const OVERSCAN = 12;
/** A row's usual height before it is measured (one line of details). */
const ROW_ESTIMATE = 44;

interface RowProps {
  session: SessionInfo;
  index: number;
  selected: boolean;
  readOnly: boolean;
  now: number;
  measure: (element: HTMLTableRowElement | null) => void;
  onToggle: (sid: string) => void;
  onRevoke: (sid: string) => void;
}

/** One session; memoised, so ticking a checkbox redraws that row and no other. */
const SessionRow = memo(function SessionRow({ session, index, selected, readOnly, now, measure, onToggle, onRevoke }: RowProps) {
  return (
    <tr ref={measure} data-index={index} className={selected ? 'selected' : ''}>
      {!readOnly && (
        <td className="col-check">
          <input type="checkbox" aria-label={`Select session from ${session.hostname}`} checked={selected} onChange={() => onToggle(session.sid)} />
        </td>
      )}
      <td><StateBadge state={session.state} /></td>
      <td className="mono ip"><Address value={session.hostname} /><Place location={session} /></td>
      <td className="nowrap"><RelativeTime unix={session.created} now={now} /></td>
      <td className="nowrap">
        <RelativeTime unix={session.timestamp} now={now} />
      </td>
      <td>
        <div className="details">
          <Flags session={session} />
          {session.client && <span title={session.browser ?? undefined}>{session.client}</span>}
          {session.lifetime !== null && <span className="small muted cookie" title="Cookie lifetime">cookie {formatDuration(session.lifetime)}</span>}
        </div>
      </td>
      <td><CopySid sid={session.sid} /></td>
      {!readOnly && (
        <td>
          <button type="button" className="button button-small button-danger-outline" aria-label={`Revoke session from ${session.hostname}`}
            onClick={() => onRevoke(session.sid)}>
            Revoke
          </button>
        </td>
      )}
    </tr>
  );
});

/** What the filter box matches in a session: its address, place, browser, state and flags. */
function sessionText(s: SessionInfo): string {
  return [s.hostname, s.country, s.addressKind, s.city, s.network, s.client, s.state, s.masqueradeBy !== null ? 'masquerade' : '', s.passwordReset ? 'password reset' : '']
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

export function SessionsPanel() {
  const connection = useConsole((s) => s.connection);
  const sessions = useConsole((s) => s.sessions);
  const selectedUid = useConsole((s) => s.selectedUid);
  const selection = useConsole((s) => s.selection);
  const sort = useConsole((s) => s.sort);
  const dialog = useConsole((s) => s.dialog);
  const notice = useConsole((s) => s.notice);
  const cancelQueries = useConsole((s) => s.cancelQueries);
  const warnings = useConsole((s) => s.warnings);
  const canAdministerUsers = useConsole((s) => s.operator?.canAdministerUsers ?? false);
  const { toggleSelected, setSelection, refreshSessions, showSessionsPage, openDialog, dismiss } = useConsole.getState();
  const now = useReferenceTime();
  const readOnly = connection?.readOnly ?? false;
  const dump = connection?.snapshot ?? null;
  const data = sessions.data;
  // Narrowed by the filter box (address, place, browser, state, flags) over the page on
  // screen; sorted once per change of data, filter or sort; selection as a set.
  const [filterText, setFilterText] = useState('');
  useEffect(() => setFilterText(''), [data?.user.uid]);
  const rows = useMemo(() => {
    if (!data) return [];
    const wanted = filterText.trim().toLowerCase();
    const shown = wanted === '' ? data.sessions : data.sessions.filter((s) => sessionText(s).includes(wanted));
    return sortSessions(shown, sort);
  }, [data, sort, filterText]);
  const selected = useMemo(() => new Set(selection), [selection]);
  const pane = useRef<HTMLElement>(null);
  const table = useRef<HTMLTableElement>(null);
  // Only the rows in view (and a few around them) are in the page: a page of 500
  // sessions is a few dozen table rows, however long the list.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => pane.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: OVERSCAN,
    // Where the table starts inside the scrolling pane (headings and notices above it).
    scrollMargin: table.current && pane.current
      ? table.current.getBoundingClientRect().top - pane.current.getBoundingClientRect().top + pane.current.scrollTop
      : 0,
    initialRect: { width: 1280, height: 800 },
    getItemKey: (index) => rows[index]?.sid ?? index,
  });
  const onRevoke = useMemo(() => (sid: string) => openDialog({ kind: 'revoke', sids: [sid] }), [openDialog]);

  // When rows vanish (revoked, refreshed) with focus on them, keep keyboard users in
  // place: on the user's heading rather than nowhere.
  useEffect(() => {
    if (document.activeElement === document.body && !dialog) document.getElementById('sessions-title')?.focus();
  }, [sessions.data, dialog]);

  if (selectedUid === null) {
    return (
      <section className="sessions-pane empty-pane" aria-label="Sessions">
        <div className="empty">
          <p>Choose a user to see their sessions.</p>
          <p className="muted small">Use the search on the left; ↑ ↓ and Enter work too.</p>
        </div>
      </section>
    );
  }
  if (sessions.error?.code === 'ACCESS_DENIED') {
    return (
      <section className="sessions-pane" aria-label="Sessions">
        <div className="card blocked-card" role="alert">
          <h2>Access denied</h2>
          <p>{sessions.error.message}</p>
          <p className="muted">The site's permissions decide whose sessions you may see; ask an administrator if you need more.</p>
        </div>
      </section>
    );
  }
  const user = data?.user;
  const allSelected = rows.length > 0 && rows.every((s) => selected.has(s.sid));
  const items = virtualizer.getVirtualItems();
  const margin = virtualizer.options.scrollMargin;
  const padTop = items.length > 0 ? items[0]!.start - margin : 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]!.end - margin) : 0;

  return (
    <section className="sessions-pane" aria-label="Sessions" aria-busy={sessions.loading} ref={pane}>
      <div className="sessions-head">
        <div>
          <h2 id="sessions-title" tabIndex={-1}>
            {user ? user.name : 'Loading…'}
            {user?.status === 'blocked' && <span className="badge badge-blocked">Blocked</span>}
          </h2>
          {user && (
            <div className="muted small">
              uid {user.uid} · {user.mail ?? 'no e-mail'} · roles: {[AUTHENTICATED_ROLE, ...user.roles].join(', ')} · last login{' '}
              <RelativeTime unix={user.login} now={now} none="never" />
            </div>
          )}
          {data && data.total > 0 && (
            <div className="muted small">
              {data.total.toLocaleString('en')} session{data.total === 1 ? '' : 's'}: {data.byState.active.toLocaleString('en')} active,{' '}
              {data.byState.idle.toLocaleString('en')} idle, {data.byState.stale.toLocaleString('en')} stale
            </div>
          )}
        </div>
        <div className="row">
          <button type="button" className="button" onClick={() => void refreshSessions()} disabled={sessions.loading}>
            {sessions.loading ? 'Refreshing…' : 'Refresh'}
          </button>
          {user && data && data.total > 0 && <ExportButton request={{ kind: 'sessions', uid: user.uid }} />}
          {!readOnly && (rows.length > 0 || (data?.rememberMe?.length ?? 0) > 0) && (
            <>
              <button type="button" className="button button-danger-outline" disabled={selection.length === 0}
                onClick={() => openDialog({ kind: 'revoke', sids: selection })}>
                Revoke selected{selection.length > 0 ? ` (${selection.length})` : ''}
              </button>
              <button type="button" className="button button-danger" onClick={() => openDialog({ kind: 'revokeAll' })}>
                Revoke all…
              </button>
            </>
          )}
        </div>
      </div>
      {readOnly && (
        <div className="notice notice-info" role="note">
          {dump
            ? `A snapshot of the dump ${dump.source}: nothing in it can be revoked. Revoke on the live site.`
            : 'Read-only connection: this is an audit of a snapshot, so sessions cannot be revoked here. Open a writable connection to revoke.'}
        </div>
      )}
      {user?.status === 'blocked' && (
        <div className="notice notice-warn" role="note">
          <div>
            This account is blocked.{rows.length > 0 ? ' Its leftover sessions cannot sign in, but they are worth cleaning up.' : ''}
          </div>
          {canAdministerUsers && !readOnly && (
            <div className="notice-actions">
              <button type="button" className="button button-small" onClick={() => openDialog({ kind: 'unblock' })}>Unblock…</button>
            </div>
          )}
        </div>
      )}
      {notice && <SuccessNotice text={notice} onDismiss={dismiss} />}
      {[...warnings, ...(data?.warnings ?? [])].map((warning) => (
        <div key={warning} className="notice notice-warn" role="status">{warning}</div>
      ))}
      <SlowProgress active={sessions.loading} what="Loading sessions" onCancel={() => void cancelQueries()} />
      {sessions.error && (
        <ErrorNotice error={sessions.error} action={<button type="button" className="button button-small" onClick={() => void refreshSessions()}>Retry</button>} />
      )}
      {data && data.total === 0 && (
        <EmptyState hint={`${user?.name ?? 'This user'} is not signed in anywhere on this site.`}>No sessions.</EmptyState>
      )}
      {data && data.sessions.length > 1 && (
        <div className="sessions-filter row">
          <label className="visually-hidden" htmlFor="sessions-filter">Filter these sessions</label>
          <input id="sessions-filter" type="search" value={filterText} onChange={(e) => setFilterText(e.target.value)}
            placeholder="Filter: address, country, browser, state…" spellCheck={false} />
          {filterText.trim() !== '' && (
            <span className="small muted" role="status">
              {rows.length.toLocaleString('en')} of {data.sessions.length.toLocaleString('en')} on this page
            </span>
          )}
        </div>
      )}
      {data && data.sessions.length > 0 && rows.length === 0 && (
        <EmptyState hint="Clear the filter to see them all.">No session on this page matches “{filterText.trim()}”.</EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="sessions-table" ref={table}>
            <thead>
              <tr>
                {!readOnly && (
                  <th className="col-check">
                    <input type="checkbox" aria-label="Select all sessions" checked={allSelected}
                      onChange={() => setSelection(allSelected ? [] : rows.map((s) => s.sid))} />
                  </th>
                )}
                <SortHeader label="State" sortKey="state" />
                <SortHeader label="IP address" sortKey="hostname" />
                <SortHeader label="Created" sortKey="created" />
                <SortHeader label="Last used" sortKey="timestamp" />
                <th>Details</th>
                <th>Session</th>
                {!readOnly && <th><span className="visually-hidden">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {padTop > 0 && <tr className="spacer" aria-hidden="true" style={{ height: padTop }} />}
              {items.map((item) => {
                const session = rows[item.index]!;
                return (
                  <SessionRow key={session.sid} session={session} index={item.index} selected={selected.has(session.sid)} readOnly={readOnly} now={now}
                    measure={virtualizer.measureElement} onToggle={toggleSelected} onRevoke={onRevoke} />
                );
              })}
              {padBottom > 0 && <tr className="spacer" aria-hidden="true" style={{ height: padBottom }} />}
            </tbody>
          </table>
        </div>
      )}
      {data && (
        <Pager offset={data.offset} pageSize={SESSION_PAGE_SIZE} total={data.total} busy={sessions.loading}
          onPage={(offset) => void showSessionsPage(offset)} />
      )}
      {rows.length > 0 && <Legend />}
      {data && <RememberMeTokens tokens={data.rememberMe} now={now} readOnly={readOnly} />}
      {dialog && dialog.kind !== 'unblock' && data && <ConfirmDialog dialog={dialog} data={data} />}
      {dialog?.kind === 'unblock' && data && <UnblockDialog user={data.user} />}
    </section>
  );
}
