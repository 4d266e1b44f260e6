/** Role config entities (`config` rows named `user.role.<id>`), read by key. */
import type { Role } from '../auth/permissions.js';
import { placeholders, type Queryable } from '../db/database.js';
import { PhpArray, phpUnserialize, serializedColumn, type PhpValue } from './php-serialize.js';
import type { DrupalTables } from './schema.js';

function isTrue(value: PhpValue | undefined): boolean {
  return value === true || value === 1 || value === '1';
}

/**
 * Parsed roles by their config blob: the access check reads the operator's role rows on
 * every call (a change of permissions counts at once), but the same blob need not be
 * unserialized again. Keyed by the blob's text, so a changed blob is parsed afresh.
 */
const parsedRoles = new Map<string, Role>();
const PARSED_ROLES_KEPT = 256;

function parseRoleConfigCached(id: string, data: unknown): Role {
  const text = serializedColumn(data);
  if (text === null) return parseRoleConfig(id, data);
  const key = `${id}\0${typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1')}`;
  let role = parsedRoles.get(key);
  if (!role) {
    role = parseRoleConfig(id, data);
    if (parsedRoles.size >= PARSED_ROLES_KEPT) parsedRoles.clear();
    parsedRoles.set(key, role);
  }
  // A copy: callers own what they are given.
  return { ...role, permissions: [...role.permissions] };
}

/** Parses one role's config blob; an unreadable blob grants nothing. */
export function parseRoleConfig(id: string, data: unknown): Role {
  const none: Role = { id, label: id, isAdmin: false, permissions: [] };
  let value: PhpValue;
  try {
    value = phpUnserialize(serializedColumn(data) ?? '');
  } catch {
    return none;
  }
  if (!(value instanceof PhpArray)) return none;
  const permissions = value.get('permissions');
  const label = value.get('label');
  return {
    id,
    label: typeof label === 'string' && label !== '' ? label : id,
    isAdmin: isTrue(value.get('is_admin')),
    permissions:
      permissions instanceof PhpArray ? permissions.entries.map(([, p]) => p).filter((p): p is string => typeof p === 'string') : [],
  };
}

/** Loads the given roles' config. Roles without config (deleted) grant nothing. */
export async function loadRoles(db: Queryable, tables: DrupalTables, ids: string[]): Promise<Role[]> {
  if (ids.length === 0) return [];
  const rows = await db.all<{ name: string; data: unknown }>(
    `SELECT name, data FROM ${tables.config} WHERE collection = ? AND name IN (${placeholders(ids.length)})`,
    ['', ...ids.map((id) => `user.role.${id}`)],
  );
  const byName = new Map(rows.map((r) => [String(r.name), r.data]));
  return ids.map((id) => parseRoleConfigCached(id, byName.get(`user.role.${id}`)));
}

/**
 * Every role (with its label) that grants one of these permissions, admin roles
 * included: read when an operator is refused, to say who could be asked, or that no
 * role has them at all (the module is not installed). Roles are few; this reads them all.
 */
export async function rolesGranting(db: Queryable, tables: DrupalTables, permissions: string[]): Promise<Role[]> {
  const rows = await db.all<{ name: string; data: unknown }>(
    `SELECT name, data FROM ${tables.config} WHERE collection = ? AND name LIKE ?`,
    ['', 'user.role.%'],
  );
  return rows
    .map((r) => parseRoleConfigCached(String(r.name).slice('user.role.'.length), r.data))
    .filter((role) => role.isAdmin || role.permissions.some((p) => permissions.includes(p)));
}
