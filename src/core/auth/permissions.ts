/**
 * Drupal's permission model and session_inspector's access rule, as pure functions.
 * The inspector calls them on every read and every revoke with the operator's roles
 * freshly read from the database.
 */

export const INSPECT_OWN = 'inspect own user sessions';
export const INSPECT_OTHER = 'inspect other user sessions';

export interface Role {
  id: string;
  label: string;
  isAdmin: boolean;
  permissions: string[];
}

export interface Account {
  uid: number;
  /** Every role the account has, including the implicit `authenticated`. */
  roles: Role[];
}

export interface PermissionPolicy {
  /** uid 1 has every permission (Drupal's default; `security.enable_super_user`). */
  superUser: boolean;
}

export function hasPermission(account: Account, permission: string, policy: PermissionPolicy): boolean {
  if (policy.superUser && account.uid === 1) return true;
  return account.roles.some((role) => role.isAdmin || role.permissions.includes(permission));
}

/** session_inspector's rule: other's sessions need INSPECT_OTHER; one's own need INSPECT_OWN (or OTHER). */
export function canInspect(account: Account, targetUid: number | null, policy: PermissionPolicy): boolean {
  if (hasPermission(account, INSPECT_OTHER, policy)) return true;
  return targetUid === account.uid && hasPermission(account, INSPECT_OWN, policy);
}
