/** The local audit log view: this site's revocations made from this computer. */
import type { AuditPage } from '../../../shared/domain';
import { userRefOf } from '../../../shared/user-refs';
import { asAppError, unwrap } from '../../lib/bridge';
import { idle, type Loadable, type SliceKit } from '../../app/store-kit';

/** Entries shown at once. */
export const AUDIT_PAGE = 200;

export interface AuditSlice {
  audit: Loadable<AuditPage>;
  auditOffset: number;
  /** Only this user's entries ("" for everyone), as typed. */
  auditUser: string;
  loadAudit(offset?: number, user?: string): Promise<void>;
}

export const freshAudit = (): Pick<AuditSlice, 'audit' | 'auditOffset' | 'auditUser'> => ({ audit: idle<AuditPage>(), auditOffset: 0, auditUser: '' });


export function auditSlice({ set, get, bridge, guard }: SliceKit): AuditSlice {
  return {
    ...freshAudit(),

    async loadAudit(offset = get().auditOffset, user = get().auditUser) {
      const token = guard.token();
      set({ auditOffset: offset, auditUser: user, audit: { ...get().audit, loading: true, error: null } });
      const ref = userRefOf(user);
      try {
        const data = await unwrap(bridge.listAudit({ limit: AUDIT_PAGE, offset, ...(ref ? { user: ref } : {}) }));
        if (guard.holds(token)) set({ audit: { loading: false, data, error: null } });
      } catch (error) {
        if (guard.holds(token)) set({ audit: { loading: false, data: null, error: asAppError(error) } });
      }
    },
  };
}
