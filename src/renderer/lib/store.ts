/**
 * The renderer's state (zustand). It holds only what the main process returned:
 * no connection, no credentials beyond the form being typed, no access decisions.
 */
import { create } from 'zustand';
import type { AuditPage, OperatorInfo, SessionInfo, UserPage, UserSessions } from '../../shared/domain';
import type { AppError } from '../../shared/errors';
import type { ConnectionInfo, DemoSite, Profile, ProfileInput } from '../../shared/ipc/contract';
import { asAppError, bridge, unwrap } from './bridge';

export const PAGE_SIZE = 25;

export type Screen = 'boot' | 'connect' | 'signIn' | 'console';
export type SortKey = 'state' | 'hostname' | 'created' | 'timestamp';
export type Dialog = { kind: 'revoke'; sids: string[] } | { kind: 'revokeAll' } | null;

interface Loadable<T> {
  loading: boolean;
  data: T | null;
  error: AppError | null;
}

const idle = <T,>(): Loadable<T> => ({ loading: false, data: null, error: null });

export interface ConsoleState {
  screen: Screen;
  canStorePasswords: boolean;
  profiles: Profile[];
  connection: ConnectionInfo | null;
  operator: OperatorInfo | null;
  demoAccounts: DemoSite['accounts'] | null;
  busy: string | null;
  error: AppError | null;
  notice: string | null;

  view: 'users' | 'audit';
  searchText: string;
  offset: number;
  users: Loadable<UserPage>;
  selectedUid: number | null;
  sessions: Loadable<UserSessions>;
  selection: string[];
  sort: { key: SortKey; descending: boolean };
  dialog: Dialog;
  revoking: boolean;
  dialogError: AppError | null;
  audit: Loadable<AuditPage>;
  /** The operator lost access while signed in (blocked, demoted, deleted). */
  operatorDenied: AppError | null;

  init(): Promise<void>;
  loadProfiles(): Promise<void>;
  saveProfile(input: ProfileInput): Promise<Profile | null>;
  deleteProfile(id: string): Promise<void>;
  testConnection(profileId: string, password?: string): Promise<ConnectionInfo | null>;
  connect(profileId: string, password?: string): Promise<void>;
  openDemo(): Promise<void>;
  disconnect(): Promise<void>;
  signIn(name: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  setView(view: 'users' | 'audit'): void;
  search(text: string, offset?: number): Promise<void>;
  selectUser(uid: number): Promise<void>;
  refreshSessions(): Promise<void>;
  toggleSelected(sid: string): void;
  setSelection(sids: string[]): void;
  setSort(key: SortKey): void;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
  confirmRevoke(confirmName?: string): Promise<void>;
  loadAudit(): Promise<void>;
  /** Back to a clean screen after a rendering failure. */
  recover(): void;
  dismiss(): void;
}

const STATE_ORDER = { active: 0, idle: 1, stale: 2 } as const;

export function sortSessions(sessions: SessionInfo[], sort: ConsoleState['sort']): SessionInfo[] {
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

/**
 * Changes whenever the connection or the operator changes. A response that arrives
 * after such a change belongs to the previous context and is dropped.
 */
let epoch = 0;
const nextEpoch = () => ++epoch;

export const useConsole = create<ConsoleState>()((set, get) => {
  /** Runs a step that may fail; errors land in `error` for the current screen. */
  const attempt = async <T,>(label: string, work: () => Promise<T>): Promise<T | null> => {
    set({ busy: label, error: null, notice: null });
    try {
      return await work();
    } catch (error) {
      set({ error: asAppError(error) });
      return null;
    } finally {
      set({ busy: null });
    }
  };

  const resetConsole = {
    view: 'users' as const,
    searchText: '',
    offset: 0,
    users: idle<UserPage>(),
    selectedUid: null,
    sessions: idle<UserSessions>(),
    selection: [],
    dialog: null,
    dialogError: null,
    audit: idle<AuditPage>(),
    operatorDenied: null,
  };

  /**
   * After an "access denied", asks the main process whether the operator still has
   * any access at all; if not, the whole console gives way to an access-denied screen.
   */
  const recheckOperator = async (error: AppError) => {
    if (error.code !== 'ACCESS_DENIED') return;
    const status = await bridge().status();
    const operator = status.ok ? status.value.operator : null;
    if (!operator || !operator.canInspectOwn) set({ operatorDenied: error, operator: operator ?? get().operator });
  };

  return {
    screen: 'boot',
    canStorePasswords: false,
    profiles: [],
    connection: null,
    operator: null,
    demoAccounts: null,
    busy: null,
    error: null,
    notice: null,
    ...resetConsole,
    sort: { key: 'timestamp', descending: true },
    revoking: false,

    async init() {
      await attempt('Starting', async () => {
        const status = await unwrap(bridge().status());
        set({
          canStorePasswords: status.canStorePasswords,
          connection: status.connection,
          operator: status.operator,
          screen: status.operator ? 'console' : status.connection ? 'signIn' : 'connect',
        });
        await get().loadProfiles();
        if (status.operator) await get().search('');
      });
      if (get().screen === 'boot') set({ screen: 'connect' });
    },

    async loadProfiles() {
      const profiles = await unwrap(bridge().listProfiles());
      set({ profiles });
    },

    async saveProfile(input) {
      const saved = await attempt('Saving', () => unwrap(bridge().saveProfile(input)));
      if (saved) {
        await get().loadProfiles();
        set({ notice: `Saved "${saved.name}".` });
      }
      return saved;
    },

    async deleteProfile(id) {
      await attempt('Deleting', async () => {
        await unwrap(bridge().deleteProfile({ id }));
        await get().loadProfiles();
      });
    },

    async testConnection(profileId, password) {
      const info = await attempt('Testing', () => unwrap(bridge().testConnection({ profileId, ...(password ? { password } : {}) })));
      if (info) set({ notice: `Connected to ${info.description}: a Drupal 8+ site${info.readOnly ? ', read-only' : ''}.` });
      return info;
    },

    async connect(profileId, password) {
      nextEpoch();
      const info = await attempt('Connecting', () => unwrap(bridge().connect({ profileId, ...(password ? { password } : {}) })));
      if (info) set({ connection: info, demoAccounts: null, operator: null, screen: 'signIn', ...resetConsole });
    },

    async openDemo() {
      nextEpoch();
      const demo = await attempt('Creating the demo site', () => unwrap(bridge().openDemo()));
      if (demo) set({ connection: demo.connection, demoAccounts: demo.accounts, operator: null, screen: 'signIn', ...resetConsole });
    },

    async disconnect() {
      nextEpoch();
      await attempt('Disconnecting', () => unwrap(bridge().disconnect()));
      set({ connection: null, operator: null, demoAccounts: null, screen: 'connect', ...resetConsole });
    },

    async signIn(name, password) {
      const started = nextEpoch();
      const operator = await attempt('Signing in', () => unwrap(bridge().signIn({ name, password })));
      if (operator && started === epoch) {
        set({ operator, screen: 'console', ...resetConsole });
        await get().search('');
      }
    },

    async signOut() {
      nextEpoch();
      await attempt('Signing out', () => unwrap(bridge().signOut()));
      set({ operator: null, screen: 'signIn', ...resetConsole });
    },

    setView(view) {
      set({ view });
      if (view === 'audit') void get().loadAudit();
    },

    async search(text, offset = 0) {
      const started = epoch;
      set({ searchText: text, offset, users: { ...get().users, loading: true, error: null } });
      // Only the answer to the latest query, in the same context, counts.
      const current = () => started === epoch && get().searchText === text && get().offset === offset;
      try {
        const page = await unwrap(bridge().searchUsers({ text, limit: PAGE_SIZE, offset }));
        if (current()) set({ users: { loading: false, data: page, error: null } });
      } catch (error) {
        const appError = asAppError(error);
        if (!current()) return;
        set({ users: { loading: false, data: null, error: appError } });
        await recheckOperator(appError);
      }
    },

    async selectUser(uid) {
      set({ selectedUid: uid, selection: [], dialog: null, sessions: { loading: true, data: null, error: null }, notice: null });
      await get().refreshSessions();
    },

    async refreshSessions() {
      const uid = get().selectedUid;
      if (uid === null) return;
      const started = epoch;
      const current = () => started === epoch && get().selectedUid === uid;
      set({ sessions: { ...get().sessions, loading: true, error: null } });
      try {
        const data = await unwrap(bridge().listSessions({ uid }));
        if (!current()) return;
        const present = new Set(data.sessions.map((s) => s.sid));
        const dialog = get().dialog;
        set({
          sessions: { loading: false, data, error: null },
          selection: get().selection.filter((s) => present.has(s)),
          // A dialog only ever lists sessions that still exist.
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

    async confirmRevoke(confirmName) {
      const { dialog, selectedUid, sessions } = get();
      if (!dialog || selectedUid === null) return;
      set({ revoking: true, dialogError: null });
      try {
        const result =
          dialog.kind === 'revoke'
            ? await unwrap(bridge().revokeSessions({ uid: selectedUid, sids: dialog.sids }))
            : await unwrap(bridge().revokeAllSessions({ uid: selectedUid, confirmName: confirmName ?? '' }));
        const name = sessions.data?.user.name ?? 'the user';
        const n = result.revoked.length;
        set({ dialog: null, selection: [], notice: `Revoked ${n} session${n === 1 ? '' : 's'} of ${name}.` });
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

    async loadAudit() {
      const started = epoch;
      set({ audit: { ...get().audit, loading: true, error: null } });
      try {
        const data = await unwrap(bridge().listAudit({ limit: 200 }));
        if (started === epoch) set({ audit: { loading: false, data, error: null } });
      } catch (error) {
        if (started === epoch) set({ audit: { loading: false, data: null, error: asAppError(error) } });
      }
    },

    recover() {
      set({ ...resetConsole, screen: get().operator ? 'console' : get().connection ? 'signIn' : 'connect' });
      if (get().operator) void get().search('');
    },

    dismiss() {
      set({ error: null, notice: null });
    },
  };
});
