/**
 * The board's filters, as a form: typed freely, applied with Enter or "Apply". Times
 * are entered in the computer's local time and sent as unix seconds; addresses and
 * ranges are checked by the main process, which says what is wrong with one.
 */
import { useState } from 'react';
import { describeUserRef, type SessionFilter, type SessionState } from '../../../shared/domain';
import { userRefOf } from '../../../shared/user-refs';
import { useConsole } from '../../app/console-store';

interface Form {
  ip: string;
  user: string;
  role: string;
  states: Record<SessionState, boolean>;
  usedAfter: string;
  usedBefore: string;
  createdBefore: string;
  masquerade: boolean;
  passwordReset: boolean;
  ownerBlocked: boolean;
  orphan: boolean;
  includeAnonymous: boolean;
}

const STATES: SessionState[] = ['active', 'idle', 'stale'];

/** `<input type="datetime-local">` ↔ unix seconds, in local time. */
function toUnix(local: string): number | undefined {
  if (!local) return undefined;
  const ms = new Date(local).getTime();
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}
function toLocal(unix: number | undefined): string {
  if (unix === undefined) return '';
  const date = new Date(unix * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fromFilter(filter: SessionFilter): Form {
  const user = filter.user ? ('uid' in filter.user ? `uid:${filter.user.uid}` : 'mail' in filter.user ? filter.user.mail : filter.user.name) : '';
  return {
    ip: filter.ip ?? '',
    user,
    role: filter.role ?? '',
    states: { active: filter.states?.includes('active') ?? false, idle: filter.states?.includes('idle') ?? false, stale: filter.states?.includes('stale') ?? false },
    usedAfter: toLocal(filter.usedAfter),
    usedBefore: toLocal(filter.usedBefore),
    createdBefore: toLocal(filter.createdBefore),
    masquerade: filter.masquerade ?? false,
    passwordReset: filter.passwordReset ?? false,
    ownerBlocked: filter.ownerBlocked ?? false,
    orphan: filter.orphan ?? false,
    includeAnonymous: filter.includeAnonymous ?? false,
  };
}

export function toFilter(form: Form): SessionFilter {
  const filter: SessionFilter = {};
  if (form.ip.trim()) filter.ip = form.ip.trim();
  const user = userRefOf(form.user);
  if (user) filter.user = user;
  if (form.role.trim()) filter.role = form.role.trim();
  const states = STATES.filter((s) => form.states[s]);
  // None ticked, or all three: no state filter.
  if (states.length > 0 && states.length < 3) filter.states = states;
  const usedAfter = toUnix(form.usedAfter);
  if (usedAfter !== undefined) filter.usedAfter = usedAfter;
  const usedBefore = toUnix(form.usedBefore);
  if (usedBefore !== undefined) filter.usedBefore = usedBefore;
  const createdBefore = toUnix(form.createdBefore);
  if (createdBefore !== undefined) filter.createdBefore = createdBefore;
  for (const flag of ['masquerade', 'passwordReset', 'ownerBlocked', 'orphan', 'includeAnonymous'] as const) {
    if (form[flag]) filter[flag] = true;
  }
  return filter;
}

export function BoardFilters() {
  const applied = useConsole((s) => s.boardFilter);
  const loading = useConsole((s) => s.board.loading);
  const loadBoard = useConsole((s) => s.loadBoard);
  const [form, setForm] = useState<Form>(() => fromFilter(applied));
  const update = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const apply = () => void loadBoard(toFilter(form), 0);
  const clear = () => {
    const empty = fromFilter({});
    setForm(empty);
    void loadBoard({}, 0);
  };
  const flag = (key: 'masquerade' | 'passwordReset' | 'ownerBlocked' | 'orphan' | 'includeAnonymous', label: string, help: string) => (
    <label className="check" title={help}>
      <input type="checkbox" checked={form[key]} onChange={(e) => update(key, e.target.checked)} />
      {label}
    </label>
  );

  return (
    <form className="board-filters" aria-label="Filters" onSubmit={(e) => { e.preventDefault(); apply(); }}>
      <div className="filter-grid">
        <label className="field">
          <span>IP address or range</span>
          <input value={form.ip} onChange={(e) => update('ip', e.target.value)} placeholder="203.0.113.0/24" spellCheck={false} autoComplete="off" />
        </label>
        <label className="field">
          <span>User</span>
          <input value={form.user} onChange={(e) => update('user', e.target.value)} placeholder="name, e-mail or uid:42" spellCheck={false} autoComplete="off" />
        </label>
        <label className="field">
          <span>Role</span>
          <input value={form.role} onChange={(e) => update('role', e.target.value)} placeholder="editor" spellCheck={false} autoComplete="off" />
        </label>
        <label className="field">
          <span>Last used after</span>
          <input type="datetime-local" value={form.usedAfter} onChange={(e) => update('usedAfter', e.target.value)} />
        </label>
        <label className="field">
          <span>Last used before</span>
          <input type="datetime-local" value={form.usedBefore} onChange={(e) => update('usedBefore', e.target.value)} />
        </label>
        <label className="field">
          <span>Created before</span>
          <input type="datetime-local" value={form.createdBefore} onChange={(e) => update('createdBefore', e.target.value)} />
        </label>
      </div>
      <div className="filter-flags">
        <fieldset className="check-group">
          <legend className="visually-hidden">State</legend>
          {STATES.map((state) => (
            <label key={state} className="check">
              <input type="checkbox" checked={form.states[state]} onChange={(e) => update('states', { ...form.states, [state]: e.target.checked })} />
              {state[0]!.toUpperCase() + state.slice(1)}
            </label>
          ))}
        </fieldset>
        {flag('masquerade', 'Masquerade', 'Only sessions an administrator is masquerading in')}
        {flag('passwordReset', 'Password reset pending', 'Only sessions holding a pending password reset')}
        {flag('ownerBlocked', 'Blocked accounts', 'Only sessions of blocked accounts')}
        {flag('orphan', 'Deleted accounts', 'Only sessions whose account no longer exists')}
        {flag('includeAnonymous', 'Include anonymous', 'Also anonymous visitors’ sessions (uid 0)')}
        <span className="push row">
          <button type="button" className="button" onClick={clear} disabled={loading}>Clear</button>
          <button type="submit" className="button button-primary" disabled={loading}>Apply</button>
        </span>
      </div>
      <p className="small muted filter-hint">Times are in this computer’s local time. Address ranges, roles and the data-based filters read every session they must: on large sites they take a moment.</p>
    </form>
  );
}

/** The applied filters in words, for the revoke dialog. */
export function describeFilter(filter: SessionFilter): string {
  const parts: string[] = [];
  if (filter.ip) parts.push(`address ${filter.ip}`);
  if (filter.user) parts.push(`user ${describeUserRef(filter.user)}`);
  if (filter.role) parts.push(`role ${filter.role}`);
  if (filter.states) parts.push(filter.states.join(' or '));
  if (filter.usedAfter !== undefined) parts.push(`last used after ${new Date(filter.usedAfter * 1000).toLocaleString()}`);
  if (filter.usedBefore !== undefined) parts.push(`last used before ${new Date(filter.usedBefore * 1000).toLocaleString()}`);
  if (filter.createdBefore !== undefined) parts.push(`created before ${new Date(filter.createdBefore * 1000).toLocaleString()}`);
  if (filter.masquerade) parts.push('masquerading');
  if (filter.passwordReset) parts.push('password reset pending');
  if (filter.ownerBlocked) parts.push('blocked accounts');
  if (filter.orphan) parts.push('deleted accounts');
  if (filter.includeAnonymous) parts.push('anonymous visitors included');
  return parts.length > 0 ? parts.join(', ') : 'no filter: every signed-in session';
}
