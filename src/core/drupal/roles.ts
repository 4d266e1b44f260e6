/** Role config entities (`config` rows named `user.role.<id>`), read by key. */
import type { Role } from '../auth/permissions.js';
import { placeholders, type Queryable } from '../db/database.js';
import { PhpArray, phpUnserialize, serializedColumn, type PhpValue } from './php-serialize.js';
import type { DrupalTables } from './schema.js';

function isTrue(value: PhpValue | undefined): boolean {
  return value === true || value === 1 || value === '1';
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
  return ids.map((id) => parseRoleConfig(id, byName.get(`user.role.${id}`)));
}
