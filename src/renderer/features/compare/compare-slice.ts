/** Compare: what changed since an older copy of the open site (a saved connection). */
import type { SiteDiff } from '../../../shared/domain';
import { asAppError, unwrap } from '../../lib/bridge';
import { idle, type Loadable, type SliceKit } from '../../app/store-kit';

export interface CompareSlice {
  comparison: Loadable<SiteDiff>;
  /** The saved connection compared with. */
  comparedWith: string | null;
  compareWith(profileId: string, password: string, dbPassword?: string): Promise<void>;
}

export const freshCompare = (): Pick<CompareSlice, 'comparison' | 'comparedWith'> => ({ comparison: idle<SiteDiff>(), comparedWith: null });

export function compareSlice({ set, get, bridge, guard }: SliceKit): CompareSlice {
  return {
    ...freshCompare(),

    async compareWith(profileId, password, dbPassword) {
      const token = guard.token();
      set({ comparedWith: profileId, comparison: { ...get().comparison, loading: true, error: null } });
      try {
        const data = await unwrap(bridge.compareWith({ profileId, password, ...(dbPassword ? { dbPassword } : {}) }));
        if (guard.holds(token)) set({ comparison: { loading: false, data, error: null } });
      } catch (error) {
        if (guard.holds(token)) set({ comparison: { loading: false, data: null, error: asAppError(error) } });
      }
    },
  };
}
