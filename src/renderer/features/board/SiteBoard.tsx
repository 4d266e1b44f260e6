/**
 * Every session of the site, last used first: who, from where, since when, filtered
 * and paged in the main process; the rows in view are the only ones drawn. From here
 * support staff contain an incident: revoke everything the filters match.
 */
import { memo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { SiteSession } from '../../../shared/domain';
import { useExactTime } from '../../app/time-zone';
import { useConsole } from '../../app/console-store';
import { useReferenceTime } from '../../app/use-now';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNotice, SuccessNotice } from '../../ui/Notice';
import { Pager } from '../../ui/Pager';
import { Flags, Legend, StateBadge } from '../../ui/session-badges';
import { SlowProgress } from '../../ui/SlowProgress';
import { RelativeTime } from '../../ui/Time';
import { CopySid } from '../../ui/CopySid';
import { Place } from '../../ui/Place';
import { Address } from '../../ui/Address';
import { BOARD_PAGE } from './board-slice';
import { BoardFilters } from './BoardFilters';
import { RevokeMatchingDialog } from './RevokeMatchingDialog';
import { AnomaliesPanel } from './AnomaliesPanel';
import { IpGroupsTable } from './IpGroupsTable';
import { ExportButton } from '../../ui/ExportButton';

const ROW_ESTIMATE = 44;
const OVERSCAN = 12;

function Owner({ session, onOpen }: { session: SiteSession; onOpen: (uid: number) => void }) {
  if (session.uid === 0) return <span className="muted">anonymous</span>;
  if (session.name === null) {
    return <span title="The account this session belonged to no longer exists">uid {session.uid} <span className="badge badge-warning">no account</span></span>;
  }
  return (
    <span className="owner">
      <button type="button" className="link" onClick={() => onOpen(session.uid)} title={`Show all sessions of ${session.name} (uid ${session.uid})`}>
        {session.name}
      </button>
      {session.ownerStatus === 'blocked' && <span className="badge badge-blocked">Blocked</span>}
    </span>
  );
}

const BoardRow = memo(function BoardRow({ session, index, now, measure, onOpen }: {
  session: SiteSession;
  index: number;
  now: number;
  measure: (element: HTMLTableRowElement | null) => void;
  onOpen: (uid: number) => void;
}) {
  return (
    <tr ref={measure} data-index={index}>
      <td><Owner session={session} onOpen={onOpen} /></td>
      <td><StateBadge state={session.state} /></td>
      <td className="mono ip"><Address value={session.hostname} /><Place location={session} /></td>
      <td className="nowrap"><RelativeTime unix={session.timestamp} now={now} /></td>
      <td className="nowrap"><RelativeTime unix={session.created} now={now} /></td>
      <td>
        <div className="details">
          <Flags session={session} />
          {session.client && <span title={session.browser ?? undefined}>{session.client}</span>}
        </div>
      </td>
      <td><CopySid sid={session.sid} /></td>
    </tr>
  );
});

export function SiteBoard() {
  const exact = useExactTime();
  const board = useConsole((s) => s.board);
  const mode = useConsole((s) => s.boardMode);
  const ipGroups = useConsole((s) => s.ipGroups);
  const offset = useConsole((s) => s.boardOffset);
  const filter = useConsole((s) => s.boardFilter);
  const notice = useConsole((s) => s.boardNotice);
  const pending = useConsole((s) => s.boardRevoke);
  const readOnly = useConsole((s) => s.connection?.readOnly ?? false);
  const { loadBoard, previewBoardRevoke, dismissBoardNotice, cancelQueries, setView, selectUser, setBoardMode } = useConsole.getState();
  const showAddress = async (ip: string) => {
    await setBoardMode('sessions');
    await loadBoard({ ...filter, ip }, 0);
  };
  const current = mode === 'ips' ? ipGroups : board;
  const now = useReferenceTime();
  const data = board.data;
  const rows = data?.sessions ?? [];
  const pane = useRef<HTMLElement>(null);
  const table = useRef<HTMLTableElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => pane.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: OVERSCAN,
    scrollMargin: table.current && pane.current
      ? table.current.getBoundingClientRect().top - pane.current.getBoundingClientRect().top + pane.current.scrollTop
      : 0,
    initialRect: { width: 1280, height: 800 },
    getItemKey: (index) => rows[index]?.sid ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const margin = virtualizer.options.scrollMargin;
  const padTop = items.length > 0 ? items[0]!.start - margin : 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]!.end - margin) : 0;
  const openUser = (uid: number) => {
    setView('users');
    void selectUser(uid);
  };
  const totalText = data ? `${data.total.toLocaleString('en')}${data.totalIsExact ? '' : '+'}` : '';

  return (
    <section className="board-pane" aria-label="All sessions" aria-busy={current.loading} ref={pane}>
      <div className="sessions-head">
        <div>
          <h2 id="board-title" tabIndex={-1}>All sessions on this site</h2>
          {mode === 'ips' && ipGroups.data && (
            <div className="muted small" aria-live="polite">
              {ipGroups.data.total.toLocaleString('en')}{ipGroups.data.totalIsExact ? '' : '+'} address{ipGroups.data.total === 1 ? '' : 'es'} · as of {exact(ipGroups.data.asOf)}
            </div>
          )}
          {mode === 'sessions' && data && (
            <div className="muted small" aria-live="polite">
              {data.total === 0
                ? 'No session matches.'
                : `${totalText} session${data.total === 1 ? '' : 's'}: ${data.byState.active.toLocaleString('en')} active, ${data.byState.idle.toLocaleString('en')} idle, ${data.byState.stale.toLocaleString('en')} stale`}
              {' '}· as of <span title={exact(data.asOf)}>{exact(data.asOf)}</span>
            </div>
          )}
        </div>
        <div className="row">
          <div className="segmented" role="group" aria-label="Show">
            <button type="button" aria-pressed={mode === 'sessions'} className={mode === 'sessions' ? 'active' : ''} onClick={() => void setBoardMode('sessions')}>Sessions</button>
            <button type="button" aria-pressed={mode === 'ips'} className={mode === 'ips' ? 'active' : ''} onClick={() => void setBoardMode('ips')}>By address</button>
          </div>
          <button type="button" className="button" onClick={() => void loadBoard(filter, offset)} disabled={current.loading}>
            {current.loading ? 'Refreshing…' : 'Refresh'}
          </button>
          <ExportButton request={mode === 'ips' ? { kind: 'ips', filter } : { kind: 'siteSessions', filter }} disabled={!current.data || current.loading} />
          {mode === 'sessions' && !readOnly && data && data.total > 0 && (
            <button type="button" className="button button-danger" onClick={() => void previewBoardRevoke()} disabled={board.loading || pending !== null}>
              Revoke {data.totalIsExact ? `all ${totalText}` : 'all'} matching…
            </button>
          )}
        </div>
      </div>
      <BoardFilters key={JSON.stringify(filter)} />
      <AnomaliesPanel />
      <SlowProgress active={current.loading} what={mode === 'ips' ? 'Grouping sessions' : 'Finding sessions'} onCancel={() => void cancelQueries()} />
      {notice && <SuccessNotice text={notice} onDismiss={dismissBoardNotice} />}
      {mode === 'sessions' && data?.warnings?.map((warning) => (
        <div key={warning} className="notice notice-warn" role="status">{warning}</div>
      ))}
      {current.error && (
        <ErrorNotice error={current.error} action={<button type="button" className="button button-small" onClick={() => void loadBoard(filter, offset)}>{current.error.code === 'CANCELLED' ? 'Search again' : 'Retry'}</button>} />
      )}
      {mode === 'ips' && ipGroups.data && ipGroups.data.total === 0 && <EmptyState>No session matches these filters.</EmptyState>}
      {mode === 'ips' && ipGroups.data && ipGroups.data.ips.length > 0 && (
        <>
          <IpGroupsTable page={ipGroups.data} now={now} onOpen={(ip) => void showAddress(ip)} />
          <Pager offset={offset} pageSize={BOARD_PAGE} total={ipGroups.data.total} busy={ipGroups.loading} onPage={(next) => void loadBoard(filter, next)} />
        </>
      )}
      {mode === 'sessions' && data && data.total === 0 && <EmptyState hint="Change or clear the filters; anonymous visitors are left out unless you include them.">No session matches these filters.</EmptyState>}
      {mode === 'sessions' && rows.length > 0 && (
        <div className="table-wrap">
          <table className="sessions-table board-table" ref={table}>
            <thead>
              <tr>
                <th>User</th>
                <th>State</th>
                <th>IP address</th>
                <th aria-sort="descending">Last used ▾</th>
                <th>Created</th>
                <th>Details</th>
                <th>Session</th>
              </tr>
            </thead>
            <tbody>
              {padTop > 0 && <tr className="spacer" aria-hidden="true" style={{ height: padTop }} />}
              {items.map((item) => {
                const session = rows[item.index]!;
                return <BoardRow key={session.sid} session={session} index={item.index} now={now} measure={virtualizer.measureElement} onOpen={openUser} />;
              })}
              {padBottom > 0 && <tr className="spacer" aria-hidden="true" style={{ height: padBottom }} />}
            </tbody>
          </table>
        </div>
      )}
      {mode === 'sessions' && data && (
        <Pager offset={offset} pageSize={BOARD_PAGE} total={data.total} totalText={totalText} busy={board.loading} onPage={(next) => void loadBoard(filter, next)} />
      )}
      {mode === 'sessions' && rows.length > 0 && <Legend />}
      {pending && <RevokeMatchingDialog />}
    </section>
  );
}
