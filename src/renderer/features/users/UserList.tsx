import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { UserSort } from '../../../shared/domain';
import { useConsole } from '../../app/console-store';
import { PAGE_SIZE } from './users-slice';
import { Pager } from '../../ui/Pager';
import { useReferenceTime } from '../../app/use-now';
import { RelativeTime } from '../../ui/Time';
import { SlowProgress } from '../../ui/SlowProgress';

const DEBOUNCE_MS = 250;
/** A user row's usual height (three short lines); rows are measured as they render. */
const ROW_ESTIMATE = 74;
const OVERSCAN = 8;

export function UserList() {
  const userSort = useConsole((s) => s.userSort);
  const sortUsers = useConsole((s) => s.sortUsers);
  const users = useConsole((s) => s.users);
  const offset = useConsole((s) => s.offset);
  const search = useConsole((s) => s.search);
  const selectedUid = useConsole((s) => s.selectedUid);
  const selectUser = useConsole((s) => s.selectUser);
  const cancelQueries = useConsole((s) => s.cancelQueries);
  const [text, setText] = useState(useConsole.getState().searchText);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const now = useReferenceTime();

  // Search as you type, once typing pauses.
  useEffect(() => {
    if (text === useConsole.getState().searchText) return;
    const timer = setTimeout(() => {
      setActive(0);
      void search(text, 0);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, search]);

  const list = users.data?.users ?? [];
  const total = users.data?.total ?? 0;
  // Past 100,000 matches the count stops: say "100,000+".
  const totalText = `${total.toLocaleString('en')}${users.data?.totalIsExact === false ? '+' : ''}`;

  // Only the rows in view (and a few around them) are in the page.
  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: OVERSCAN,
    initialRect: { width: 330, height: 700 },
    getItemKey: (index) => list[index]?.uid ?? index,
  });
  // The row keyboard focus should move to once it is rendered (it may be scrolled out).
  const pendingFocus = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (pendingFocus.current === null) return;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-index="${pendingFocus.current}"]`);
    if (row) {
      row.focus();
      pendingFocus.current = null;
    }
  });

  const focusItem = (index: number) => {
    const clamped = Math.max(0, Math.min(list.length - 1, index));
    setActive(clamped);
    pendingFocus.current = clamped;
    virtualizer.scrollToIndex(clamped);
    listRef.current?.querySelector<HTMLElement>(`[data-index="${clamped}"]`)?.focus();
  };
  // A new answer (another search, another page) starts at its top.
  useEffect(() => {
    listRef.current?.scrollTo({ top: 0 });
  }, [users.data]);
  const items = virtualizer.getVirtualItems();
  const padTop = items.length > 0 ? items[0]!.start : 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;

  const onListKey = (event: React.KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => focusItem(active + 1),
      ArrowUp: () => (active === 0 ? document.getElementById('user-search')?.focus() : focusItem(active - 1)),
      Home: () => focusItem(0),
      End: () => focusItem(list.length - 1),
      Enter: () => list[active] && void selectUser(list[active].uid),
      ' ': () => list[active] && void selectUser(list[active].uid),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  return (
    <section className="users-pane" aria-label="Users">
      <div className="search-box">
        <label htmlFor="user-search" className="visually-hidden">Search users</label>
        <input
          id="user-search"
          type="search"
          placeholder="Search name, e-mail or uid"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && list.length > 0) {
              e.preventDefault();
              focusItem(0);
            }
            if (e.key === 'Enter') void search(text, 0);
            // Esc stops a slow search (the field's own Esc clears it otherwise).
            if (e.key === 'Escape' && users.loading) {
              e.preventDefault();
              void cancelQueries();
            }
          }}
          autoFocus
          spellCheck={false}
        />
        <div className="search-meta-row">
          <div className="search-meta muted small" aria-live="polite">
            {users.loading ? 'Searching…' : users.data ? `${totalText} user${total === 1 ? '' : 's'}` : ''}
          </div>
          <label className="user-sort small muted">
            Sort{' '}
            <select value={userSort} onChange={(e) => void sortUsers(e.target.value as UserSort)} aria-label="Sort users by">
              <option value="name">by name</option>
              <option value="lastSeen">last seen first</option>
              <option value="sessions">most sessions first</option>
            </select>
          </label>
        </div>
        <SlowProgress active={users.loading} what="Searching users" onCancel={() => void cancelQueries()} />
      </div>
      {users.data && list.length === 0 && !users.loading && (
        <div className="empty">
          <p>No users match “{text}”.</p>
          <p className="muted small">Search looks in usernames and e-mail addresses; a number also matches a uid.</p>
        </div>
      )}
      <ul className="user-list" role="listbox" aria-label="Users" ref={listRef} onKeyDown={onListKey} aria-busy={users.loading}>
        {padTop > 0 && <li role="presentation" aria-hidden="true" className="list-pad" style={{ height: padTop }} />}
        {items.map((item) => {
          const user = list[item.index]!;
          const index = item.index;
          return (
          <li
            key={user.uid}
            ref={virtualizer.measureElement}
            data-index={index}
            role="option"
            aria-selected={user.uid === selectedUid}
            aria-setsize={list.length}
            aria-posinset={index + 1}
            tabIndex={index === active ? 0 : -1}
            className={`user-item${user.uid === selectedUid ? ' selected' : ''}`}
            onClick={() => {
              setActive(index);
              void selectUser(user.uid);
            }}
            onFocus={() => setActive(index)}
          >
            <div className="user-line">
              <span className="user-name">{user.name}</span>
              <span className={`count${user.sessionCount === 0 ? ' zero' : ''}`} title="Sessions">
                {user.sessionCount}
                <span className="visually-hidden"> sessions</span>
              </span>
            </div>
            <div className="user-line small muted">
              <span className="truncate">{user.mail ?? 'no e-mail'} · uid {user.uid}</span>
            </div>
            <div className="user-line badges">
              {user.status === 'blocked' && <span className="badge badge-blocked">Blocked</span>}
              {user.roles.map((role) => (
                <span key={role} className="badge">{role}</span>
              ))}
              <span className="small muted push">
                {user.access === null ? 'never signed in' : <>seen <RelativeTime unix={user.access} now={now} /></>}
              </span>
            </div>
          </li>
          );
        })}
        {padBottom > 0 && <li role="presentation" aria-hidden="true" className="list-pad" style={{ height: padBottom }} />}
      </ul>
      <Pager offset={offset} pageSize={PAGE_SIZE} total={total} totalText={totalText} busy={users.loading} onPage={(next) => {
        setActive(0);
        void search(text, next);
      }} />
    </section>
  );
}
