/** The local audit log view: this site's revocations made from this computer. */
import type { AuditPage } from '../../../shared/domain';
import { asAppError, unwrap } from '../../lib/bridge';
import { idle, type Loadable, type SliceKit } from '../../app/store-kit';

/** Entries shown at once. */
export const AUDIT_PAGE = 200;

export interface AuditSlice {
  audit: Loadable<AuditPage>;
  loadAudit(): Promise<void>;
}

export const freshAudit = (): Pick<AuditSlice, 'audit'> => ({ audit: idle<AuditPage>() });

export function auditSlice({ set, get, bridge, guard }: SliceKit): AuditSlice {
  return {
    ...freshAudit(),

    async loadAudit() {
      const token = guard.token();
      set({ audit: { ...get().audit, loading: true, error: null } });
      try {
        const data = await unwrap(bridge.listAudit({ limit: AUDIT_PAGE }));
        if (guard.holds(token)) set({ audit: { loading: false, data, error: null } });
      } catch (error) {
        if (guard.holds(token)) set({ audit: { loading: false, data: null, error: asAppError(error) } });
      }
    },
  };
}
