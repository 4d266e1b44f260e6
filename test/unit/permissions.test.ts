import { describe, expect, it } from 'vitest';
import { canInspect, hasPermission, INSPECT_OTHER, INSPECT_OWN, type Role } from '../../src/core/auth/permissions.js';
import { parseRoleConfig } from '../../src/core/drupal/roles.js';

const role = (id: string, permissions: string[], isAdmin = false): Role => ({ id, label: id, isAdmin, permissions });
const authenticated = role('authenticated', ['access content']);
const policy = { superUser: true };

describe('the access rule of session_inspector', () => {
  const own = { uid: 5, roles: [authenticated, role('member', [INSPECT_OWN])] };
  const other = { uid: 6, roles: [authenticated, role('support', [INSPECT_OTHER])] };
  const admin = { uid: 7, roles: [authenticated, role('administrator', [], true)] };
  const none = { uid: 8, roles: [authenticated] };

  it.each([
    ['own permission, own sessions', own, 5, true],
    ['own permission, someone else', own, 6, false],
    ['own permission, unknown target', own, null, false],
    ['other permission, someone else', other, 5, true],
    ['other permission, own sessions', other, 6, true],
    ['is_admin role', admin, 5, true],
    ['no permission, own sessions', none, 8, false],
    ['no permission, someone else', none, 5, false],
  ])('%s → %s', (_name, account, target, expected) => {
    expect(canInspect(account, target, policy)).toBe(expected);
  });

  it('makes uid 1 the super user unless the site turned it off', () => {
    const root = { uid: 1, roles: [authenticated] };
    expect(hasPermission(root, INSPECT_OTHER, { superUser: true })).toBe(true);
    expect(hasPermission(root, INSPECT_OTHER, { superUser: false })).toBe(false);
    expect(canInspect(root, 1, { superUser: false })).toBe(false);
  });

  it('lets the implicit authenticated role grant a permission', () => {
    expect(canInspect({ uid: 9, roles: [role('authenticated', [INSPECT_OWN])] }, 9, policy)).toBe(true);
  });
});

describe('role config', () => {
  it('reads a real Drupal 8.5 role blob by key', () => {
    const blob =
      'a:10:{s:4:"uuid";s:36:"a449b258-c7ec-48d9-9dae-454ed53bf370";s:8:"langcode";s:2:"en";s:6:"status";b:1;s:12:"dependencies";a:0:{}s:5:"_core";a:1:{s:19:"default_config_hash";s:43:"Om6FEO7vZZMkPIbVvfxtdkWerQ2PvQM4sWUd6Q3ZnfI";}s:2:"id";s:13:"administrator";s:5:"label";s:13:"Administrator";s:6:"weight";i:2;s:8:"is_admin";b:1;s:11:"permissions";a:0:{}}';
    expect(parseRoleConfig('administrator', blob)).toEqual({ id: 'administrator', label: 'Administrator', isAdmin: true, permissions: [] });
  });

  it('reads permissions in any key order, and grants nothing from a broken or missing blob', () => {
    const blob = 'a:2:{s:11:"permissions";a:2:{i:0;s:25:"inspect own user sessions";i:1;s:14:"access content";}s:8:"is_admin";N;}';
    expect(parseRoleConfig('member', Buffer.from(blob))).toEqual({ id: 'member', label: 'member', isAdmin: false, permissions: [INSPECT_OWN, 'access content'] });
    expect(parseRoleConfig('x', 'a:1:{')).toEqual({ id: 'x', label: 'x', isAdmin: false, permissions: [] });
    expect(parseRoleConfig('x', undefined)).toEqual({ id: 'x', label: 'x', isAdmin: false, permissions: [] });
  });
});
