/**
 * The renderer's state (zustand), composed from one slice per feature. It holds only
 * what the main process returned: no connection, no credentials beyond the form being
 * typed, no access decisions. `createConsoleStore(bridge)` takes the bridge as an
 * argument, so tests drive the store with a fake one, without a browser.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppError, Result } from '../../shared/errors';
import { CHANNELS, type Bridge, type ExportRequest, type ExportResult } from '../../shared/ipc/contract';
import { auditSlice, freshAudit, type AuditSlice } from '../features/audit/audit-slice';
import { compareSlice, freshCompare, type CompareSlice } from '../features/compare/compare-slice';
import { boardSlice, freshBoard, type BoardSlice } from '../features/board/board-slice';
import { connectSlice, type ConnectSlice } from '../features/connect/connect-slice';
import { freshSessions, sessionsSlice, type SessionsSlice } from '../features/sessions/sessions-slice';
import { signInSlice, type SignInSlice } from '../features/sign-in/sign-in-slice';
import { freshUsers, usersSlice, type UsersSlice } from '../features/users/users-slice';
import { asAppError, bridge as windowBridge, unwrap } from '../lib/bridge';
import { createResponseGuard, freshConsole, type Busy, type SliceKit, type View } from './store-kit';
import { rememberTimeZone, type TimeZoneChoice } from './time-zone';

export type Screen = 'boot' | 'connect' | 'signIn' | 'console';

/** State shared by every screen. */
export interface ShellSlice {
  screen: Screen;
  busy: Busy | null;
  error: AppError | null;
  notice: string | null;
  view: View;
  /** The operator lost access while signed in (blocked, demoted, deleted). */
  operatorDenied: AppError | null;
  /** Exact times in UTC or local time (see time-zone.ts). */
  timeZone: TimeZoneChoice;
  setTimeZone(zone: TimeZoneChoice): void;
  /** Re-read the view on screen every 30 s (off by default, never remembered). */
  autoRefresh: boolean;
  setAutoRefresh(on: boolean): void;
  init(): Promise<void>;
  setView(view: View): void;
  /** Stops the slow reads under way (the Cancel of a slow search); they end as CANCELLED. */
  cancelQueries(): Promise<void>;
  /** Exports a whole list as CSV where the operator chooses (the main process does it all). */
  exportList(request: ExportRequest): Promise<Result<ExportResult>>;
  /** Back to a clean screen after a rendering failure. */
  recover(): void;
  dismiss(): void;
}

export type ConsoleState = ShellSlice & ConnectSlice & SignInSlice & UsersSlice & SessionsSlice & BoardSlice & AuditSlice & CompareSlice;

/** The state every feature starts from after connecting or signing in afresh. */
export type ConsoleResets = () => Partial<ConsoleState>;

export function createConsoleStore(bridge: Bridge): StoreApi<ConsoleState> {
  return createStore<ConsoleState>()((set, get) => {
    const guard = createResponseGuard();
    const kit: SliceKit = {
      set,
      get,
      bridge,
      guard,
      async attempt(busy, work) {
        set({ busy, error: null, notice: null });
        try {
          return await work();
        } catch (error) {
          set({ error: asAppError(error) });
          return null;
        } finally {
          set({ busy: null });
        }
      },
      async recheckOperator(error) {
        if (error.code !== 'ACCESS_DENIED') return;
        const status = await bridge.status();
        const operator = status.ok ? status.value.operator : null;
        if (!operator || !operator.canInspectOwn) set({ operatorDenied: error, operator: operator ?? get().operator });
      },
    };
    const resets: ConsoleResets = () => ({ ...freshConsole, ...freshUsers(), ...freshSessions(), ...freshBoard(), ...freshAudit(), ...freshCompare() });

    return {
      screen: 'boot',
      busy: null,
      error: null,
      notice: null,
      ...freshConsole,
      timeZone: 'utc',
      autoRefresh: false,
      setTimeZone(zone) {
        set({ timeZone: zone });
        const operator = get().operator;
        if (operator) rememberTimeZone(operator.name, zone);
      },
      setAutoRefresh(on) {
        set({ autoRefresh: on });
      },
      ...connectSlice(kit, resets),
      ...signInSlice(kit, resets),
      ...usersSlice(kit),
      ...sessionsSlice(kit),
      ...boardSlice(kit),
      ...auditSlice(kit),
      ...compareSlice(kit),

      async init() {
        await kit.attempt('starting', async () => {
          const status = await unwrap(bridge.status());
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

      setView(view) {
        set({ view });
        if (view === 'audit') void get().loadAudit();
        if (view === 'board' && !get().board.data && !get().board.loading) void get().loadBoard();
      },

      exportList(request) {
        return bridge.exportList(request);
      },

      async cancelQueries() {
        const result = await bridge.cancel();
        if (!result.ok) set({ error: result.error });
      },

      recover() {
        set({ ...resets(), screen: get().operator ? 'console' : get().connection ? 'signIn' : 'connect' });
        if (get().operator) void get().search('');
      },

      dismiss() {
        set({ error: null, notice: null });
      },
    };
  });
}

/** The page's bridge, looked up at each call (the preload puts it on window). */
const pageBridge = Object.fromEntries(
  CHANNELS.map((channel) => [channel, (request?: unknown) => (windowBridge()[channel] as (r?: unknown) => unknown)(request)]),
) as Bridge;

const consoleStore = createConsoleStore(pageBridge);

/** The app's store as a React hook (`useConsole(selector)`), with the store's own methods on it. */
export const useConsole = Object.assign(<T,>(selector: (state: ConsoleState) => T): T => useStore(consoleStore, selector), consoleStore);
