/**
 * What of a dump an offline audit keeps: the tables the inspector reads (by their
 * Drupal names, under any prefix), and of the large ones only the rows it reads.
 * The snapshot is a SQLite file: each table keeps its column names, with SQLite types
 * chosen from the declared ones, and the indexes the inspector's queries use.
 */
import type { DumpColumn, DumpValue } from './sql-statement.js';
import type { DumpDialect } from './statement-splitter.js';

/** Drupal tables read by the inspector; `system` only tells a Drupal 7 dump apart (no rows kept). */
export const AUDIT_TABLES = ['users_field_data', 'user__roles', 'sessions', 'users', 'config', 'key_value', 'persistent_login', 'cache_entity', 'system'] as const;
export type AuditTable = (typeof AUDIT_TABLES)[number];

/** The Drupal table a dump table is, and the prefix before it; null for any other table. */
export function auditTableOf(name: string): { base: AuditTable; prefix: string } | null {
  const lower = name.toLowerCase();
  // Longest names first: "users_field_data" also ends in... nothing shorter here, but "users" would match "d8users".
  for (const base of AUDIT_TABLES) {
    if (lower.endsWith(base)) return { base, prefix: name.slice(0, name.length - base.length) };
  }
  return null;
}

export type Affinity = 'INTEGER' | 'BLOB' | 'TEXT';

export function affinityOf(type: string): Affinity {
  if (/^(tiny|small|medium|big)?int(eger)?\d*$|^(big|small)?serial\d*$/.test(type)) return 'INTEGER';
  if (/blob$|^(var)?binary$|^bytea$/.test(type)) return 'BLOB';
  return 'TEXT';
}

/**
 * Whether a row is kept: of `config` only roles (`user.role.*`), of `key_value` only the
 * access and login times, of `cache_entity` only user entries (their ids, not their data).
 */
export function keepRow(base: AuditTable, value: (column: string) => string | null): boolean {
  switch (base) {
    case 'config':
      return (value('collection') ?? '') === '' && (value('name') ?? '').startsWith('user.role.');
    case 'key_value': {
      const collection = value('collection');
      return collection === 'user.timestamp.access' || collection === 'user.timestamp.login';
    }
    case 'cache_entity':
      return (value('cid') ?? '').startsWith('values:user:');
    case 'system':
      return false;
    default:
      return true;
  }
}

/** Columns kept of a table: all, except the cache's data (never read; may be large). */
export function keptColumns(base: AuditTable, columns: DumpColumn[]): DumpColumn[] {
  return base === 'cache_entity' ? columns.filter((c) => c.name.toLowerCase() === 'cid') : columns;
}

/** Indexes by Drupal table, the columns the inspector's queries look up by. */
export const AUDIT_INDEXES: Partial<Record<AuditTable, string[][]>> = {
  sessions: [['uid'], ['timestamp']],
  users_field_data: [['uid'], ['name'], ['mail'], ['access']],
  user__roles: [['entity_id'], ['roles_target_id']],
  config: [['collection', 'name']],
  key_value: [['collection', 'name']],
  persistent_login: [['uid']],
  cache_entity: [['cid']],
};

function text(value: DumpValue): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value : value.toString('utf8');
}

/** A PostgreSQL bytea as text: hex (`\x5f73…`, the default since 9.0) or the older escape format. */
function bytea(value: Buffer | string): Buffer {
  const raw = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  if (raw[0] === 0x5c && raw[1] === 0x78) return Buffer.from(raw.toString('latin1', 2), 'hex');
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x5c && raw[i + 1] === 0x5c) {
      out.push(0x5c);
      i++;
    } else if (raw[i] === 0x5c && /^[0-7]{3}$/.test(raw.toString('latin1', i + 1, i + 4))) {
      out.push(parseInt(raw.toString('latin1', i + 1, i + 4), 8));
      i += 3;
    } else out.push(raw[i]!);
  }
  return Buffer.from(out);
}

/** A dump value as SQLite stores it in a column of this affinity. */
export function sqliteValue(value: DumpValue, affinity: Affinity, dialect: DumpDialect): number | string | Buffer | null {
  if (value === null) return null;
  if (affinity === 'BLOB') {
    if (dialect === 'pgsql') return bytea(value);
    return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  }
  const asText = text(value)!;
  if (affinity === 'INTEGER' && /^-?\d{1,15}$/.test(asText)) return Number(asText);
  return asText;
}

export { text as valueText };
