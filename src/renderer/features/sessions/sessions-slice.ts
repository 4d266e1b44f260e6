/**
 * One user's sessions: the list, the selection, the sort, and the revoke dialog. A
 * dialog only ever lists sessions that still exist; a revoke that finds some already
 * gone shows what is left, so a retry can succeed.
 */
import type { SessionInfo, UserSessions } from '../../../shared/domain';
import type { AppError } from '../../../shared/errors';
import { SESSION_PAGE_SIZE } from '../../../shared/limits';
import { asAppError, unwrap } from '../../lib/bridge';
import { idle, type Loadable, type SliceKit } from '../../app/store-kit';

export type SortKey = 'state' | 'hostname' | 'created' | 'timestamp';
export type Dialog = { kind: 'revoke'; sids: string[] } | { kind: 'revokeAll' } | { kind: 'unblock' } | null;

export interface SessionsSlice {
  selectedUid: number | null;
  sessions: Loadable<UserSessions>;
  selection: string[];
  sort: { key: SortKey; descending: boolean };
  dialog: Dialog;
  revoking: boolean;
  dialogError: AppError | null;
  /** What the last revoke or unblock says the operator should know (a cache rebuild). */
  warnings: string[];
  selectUser(uid: number): Promise<void>;
  refreshSessions(): Promise<void>;
  /** Shows the page of the user's sessions that starts at `offset`. */
  showSessionsPage(offset: number): Promise<void>;
  toggleSelected(sid: string): void;
  setSelection(sids: string[]): void;
  setSort(key: SortKey): void;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
  confirmRevoke(confirmName?: string, block?: boolean): Promise<void>;
  confirmUnblock(): Promise<void>;
}

export const freshSessions = (): Pick<SessionsSlice, 'selectedUid' | 'sessions' | 'selection' | 'dialog' | 'dialogError' | 'warnings'> => ({
  selectedUid: null,
  sessions: idle<UserSessions>(),
  selection: [],
  dialog: null,
  dialogError: null,
  warnings: [],
});

const STATE_ORDER = { active: 0, idle: 1, stale: 2 } as const;

export function sortSessions(sessions: SessionInfo[], sort: SessionsSlice['sort']): SessionInfo[] {
  const value = (s: SessionInfo): number | string => {
    switch (sort.key) {
      case 'state':
        return STATE_ORDER[s.state];
      case 'hostname':
        return s.hostname;
      case 'created':
        return s.created ?? -1;
      case 'timestamp':
        return s.timestamp;
    }
  };
  const sorted = [...sessions].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
    return order !== 0 ? order : b.timestamp - a.timestamp;
  });
  return sort.descending ? sorted.reverse() : sorted;
}

export function sessionsSlice({ set, get, bridge, guard, recheckOperator }: SliceKit): SessionsSlice {
  let latestRequest = 0;
  return {
    ...freshSessions(),
    sort: { key: 'timestamp', descending: true },
    revoking: false,

    async selectUser(uid) {
      set({ selectedUid: uid, selection: [], dialog: null, sessions: { loading: true, data: null, error: null }, notice: null, warnings: [] });
      await get().refreshSessions();
    },

    async refreshSessions() {
      return get().showSessionsPage(get().sessions.data?.offset ?? 0);
    },

    async showSessionsPage(offset) {
      const uid = get().selectedUid;
      if (uid === null) return;
      const token = guard.token();
      // Only the latest request counts: pages asked for quickly may answer out of order.
      const request = ++latestRequest;
      const current = () => guard.holds(token) && get().selectedUid === uid && request === latestRequest;
      set({ sessions: { ...get().sessions, loading: true, error: null } });
      try {
        const data = await unwrap(bridge.listSessions({ uid, offset, limit: SESSION_PAGE_SIZE }));
        if (!current()) return;
        if (data.sessions.length === 0 && data.total > 0 && offset > 0) {
          // The page emptied (its sessions were revoked or ended): show the last page left.
          return get().showSessionsPage(Math.floor((data.total - 1) / SESSION_PAGE_SIZE) * SESSION_PAGE_SIZE);
        }
        const present = new Set(data.sessions.map((s) => s.sid));
        const dialog = get().dialog;
        set({
          sessions: { loading: false, data, error: null },
          selection: get().selection.filter((s) => present.has(s)),
          ...(dialog?.kind === 'revoke' ? { dialog: { kind: 'revoke' as const, sids: dialog.sids.filter((s) => present.has(s)) } } : {}),
        });
      } catch (error) {
        const appError = asAppError(error);
        if (!current()) return;
        set({ sessions: { loading: false, data: null, error: appError } });
        await recheckOperator(appError);
      }
    },

    toggleSelected(sid) {
      const selection = get().selection;
      set({ selection: selection.includes(sid) ? selection.filter((s) => s !== sid) : [...selection, sid] });
    },

    setSelection(sids) {
      set({ selection: sids });
    },

    setSort(key) {
      const sort = get().sort;
      set({ sort: { key, descending: sort.key === key ? !sort.descending : key !== 'hostname' } });
    },

    openDialog(dialog) {
      set({ dialog, dialogError: null });
    },

    closeDialog() {
      if (!get().revoking) set({ dialog: null, dialogError: null });
    },

    async confirmUnblock() {
      const { selectedUid, sessions } = get();
      if (selectedUid === null) return;
      set({ revoking: true, dialogError: null });
      try {
        const result = await unwrap(bridge.unblockUser({ uid: selectedUid }));
        set({ dialog: null, notice: `Unblocked ${sessions.data?.user.name ?? 'the account'}: it can sign in again.`, warnings: result.warnings });
        await get().refreshSessions();
        void get().search(get().searchText, get().offset);
      } catch (error) {
        const appError = asAppError(error);
        set({ dialogError: appError });
        await recheckOperator(appError);
      } finally {
        set({ revoking: false });
      }
    },

    async confirmRevoke(confirmName, block = false) {
      const { dialog, selectedUid, sessions } = get();
      if (!dialog || dialog.kind === 'unblock' || selectedUid === null) return;
      set({ revoking: true, dialogError: null });
      try {
        const result =
          dialog.kind === 'revoke'
            ? await unwrap(bridge.revokeSessions({ uid: selectedUid, sids: dialog.sids }))
            : await unwrap(bridge.revokeAllSessions({ uid: selectedUid, confirmName: confirmName ?? '', ...(block ? { block: true } : {}) }));
        const name = sessions.data?.user.name ?? 'the user';
        const n = result.revoked.length;
        const tokens = result.rememberMeRevoked ? ` and ${result.rememberMeRevoked} remember-me token${result.rememberMeRevoked === 1 ? '' : 's'}` : '';
        const blocked = result.blocked ? ` The account is blocked.` : '';
        set({ dialog: null, selection: [], notice: `Revoked ${n} session${n === 1 ? '' : 's'}${tokens} of ${name}.${blocked}`, warnings: result.warnings ?? [] });
        await get().refreshSessions();
        void get().search(get().searchText, get().offset);
      } catch (error) {
        const appError = asAppError(error);
        set({ dialogError: appError });
        await recheckOperator(appError);
        if (get().operatorDenied) set({ dialog: null });
        if (appError.code === 'NOT_FOUND') {
          // Some of them ended meanwhile: show what is left, so a retry can succeed.
          await get().refreshSessions();
          const left = get().dialog;
          if (left?.kind === 'revoke' && left.sids.length === 0) {
            set({ dialog: null, dialogError: null, notice: 'Those sessions had already ended: nothing left to revoke.' });
          }
        }
      } finally {
        set({ revoking: false });
      }
    },
  };
}
