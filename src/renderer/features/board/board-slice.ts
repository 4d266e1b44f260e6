/**
 * The site-wide session board: the applied filters, the page shown, and a revoke by
 * criteria, which the main process matches (preview) and then carries out exactly as
 * matched once the count is typed.
 */
import type { AnomalyReport, IpGroupPage, SessionFilter, SiteSessionPage } from '../../../shared/domain';
import type { AppError } from '../../../shared/errors';
import type { MatchedRevokeCounts, RevokePreview } from '../../../shared/ipc/contract';
import { asAppError, unwrap } from '../../lib/bridge';
import { idle, type Loadable, type SliceKit } from '../../app/store-kit';

/** Sessions per page of the board (virtualised: only the rows in view are drawn). */
export const BOARD_PAGE = 100;

export type BoardMode = 'sessions' | 'ips';

export interface BoardSlice {
  boardFilter: SessionFilter;
  boardOffset: number;
  /** Each session, or the sessions grouped by address. */
  boardMode: BoardMode;
  board: Loadable<SiteSessionPage>;
  ipGroups: Loadable<IpGroupPage>;
  anomalies: Loadable<AnomalyReport>;
  /** A revoke by criteria waiting for its confirmation, or being previewed. */
  boardRevoke: { preview: RevokePreview | null; previewing: boolean; revoking: boolean; error: AppError | null } | null;
  boardNotice: string | null;
  /** Loads the current mode's page for these filters. */
  loadBoard(filter?: SessionFilter, offset?: number): Promise<void>;
  setBoardMode(mode: BoardMode): Promise<void>;
  loadAnomalies(): Promise<void>;
  previewBoardRevoke(): Promise<void>;
  confirmBoardRevoke(typedCount: number): Promise<void>;
  closeBoardRevoke(): void;
  dismissBoardNotice(): void;
}

export const freshBoard = (): Pick<BoardSlice, 'boardFilter' | 'boardOffset' | 'boardMode' | 'board' | 'ipGroups' | 'anomalies' | 'boardRevoke' | 'boardNotice'> => ({
  boardFilter: {},
  boardOffset: 0,
  boardMode: 'sessions',
  board: idle<SiteSessionPage>(),
  ipGroups: idle<IpGroupPage>(),
  anomalies: idle<AnomalyReport>(),
  boardRevoke: null,
  boardNotice: null,
});

function revokedText(result: MatchedRevokeCounts): string {
  const gone = result.alreadyGone > 0 ? ` ${result.alreadyGone} had already ended.` : '';
  const tokens = result.rememberMeRevoked ? ` Their ${result.rememberMeRevoked} remember-me token${result.rememberMeRevoked === 1 ? ' was' : 's were'} deleted too.` : '';
  return `Revoked ${result.revoked.toLocaleString('en')} session${result.revoked === 1 ? '' : 's'} of ${result.users.toLocaleString('en')} user${result.users === 1 ? '' : 's'}.${gone}${tokens}`;
}

export function boardSlice({ set, get, bridge, guard, recheckOperator }: SliceKit): BoardSlice {
  let latest = 0;
  return {
    ...freshBoard(),

    async loadBoard(filter = get().boardFilter, offset = 0) {
      const token = guard.token();
      const request = ++latest;
      const current = () => guard.holds(token) && request === latest;
      const key = get().boardMode === 'ips' ? 'ipGroups' : 'board';
      set({ boardFilter: filter, boardOffset: offset, [key]: { ...get()[key], loading: true, error: null } });
      try {
        const data =
          key === 'ipGroups'
            ? await unwrap(bridge.listIpGroups({ filter, limit: BOARD_PAGE, offset }))
            : await unwrap(bridge.listSiteSessions({ filter, limit: BOARD_PAGE, offset }));
        if (current()) set({ [key]: { loading: false, data, error: null } });
      } catch (error) {
        const appError = asAppError(error);
        if (!current()) return;
        set({ [key]: { loading: false, data: null, error: appError } });
        await recheckOperator(appError);
      }
    },

    async setBoardMode(mode) {
      if (mode === get().boardMode) return;
      set({ boardMode: mode });
      await get().loadBoard(get().boardFilter, 0);
    },

    async loadAnomalies() {
      const token = guard.token();
      set({ anomalies: { ...get().anomalies, loading: true, error: null } });
      try {
        const data = await unwrap(bridge.anomalies({}));
        if (guard.holds(token)) set({ anomalies: { loading: false, data, error: null } });
      } catch (error) {
        const appError = asAppError(error);
        if (!guard.holds(token)) return;
        set({ anomalies: { loading: false, data: null, error: appError } });
        await recheckOperator(appError);
      }
    },

    async previewBoardRevoke() {
      const token = guard.token();
      set({ boardRevoke: { preview: null, previewing: true, revoking: false, error: null }, boardNotice: null });
      try {
        const preview = await unwrap(bridge.previewRevokeMatching({ filter: get().boardFilter }));
        if (guard.holds(token) && get().boardRevoke) set({ boardRevoke: { preview, previewing: false, revoking: false, error: null } });
      } catch (error) {
        if (guard.holds(token) && get().boardRevoke) set({ boardRevoke: { preview: null, previewing: false, revoking: false, error: asAppError(error) } });
      }
    },

    async confirmBoardRevoke(typedCount) {
      const pending = get().boardRevoke;
      if (!pending?.preview) return;
      set({ boardRevoke: { ...pending, revoking: true, error: null } });
      try {
        const result = await unwrap(bridge.revokeMatching({ previewId: pending.preview.previewId, confirmCount: typedCount }));
        set({ boardRevoke: null, boardNotice: revokedText(result) });
        await get().loadBoard(get().boardFilter, 0);
      } catch (error) {
        const appError = asAppError(error);
        set({ boardRevoke: { ...pending, revoking: false, error: appError } });
        await recheckOperator(appError);
      }
    },

    closeBoardRevoke() {
      if (!get().boardRevoke?.revoking) set({ boardRevoke: null });
    },

    dismissBoardNotice() {
      set({ boardNotice: null });
    },
  };
}
