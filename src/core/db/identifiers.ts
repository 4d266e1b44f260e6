/**
 * Table prefixes and schema names end up inside SQL as identifiers, where bound
 * parameters cannot go. They are validated here, once, against Drupal's own rules,
 * and only then quoted (by the engine's dialect).
 */
import { AppFailure } from '../../shared/errors.js';
import type { Engine } from './target.js';

const IDENTIFIER = /^[A-Za-z0-9_]*$/;

export interface ParsedPrefix {
  /** The schema (PostgreSQL) or database (MySQL) named before a dot, if any. */
  namespace: string | null;
  /** The string put before every table name. */
  tablePrefix: string;
}

/**
 * Validates a settings.php prefix: `[A-Za-z0-9_]*`, optionally with one dot that names
 * another schema/database (`other.` or `other.pre_`). SQLite prefixes cannot have a dot:
 * there the prefix itself names an attached database file.
 */
export function parsePrefix(prefix: string, engine: Engine): ParsedPrefix {
  const parts = prefix.split('.');
  const valid =
    parts.length <= 2 && parts.every((p) => IDENTIFIER.test(p)) && (parts.length === 1 || parts[0] !== '');
  if (!valid || prefix.length > 63 || (engine === 'sqlite' && parts.length > 1)) {
    throw new AppFailure(
      'USAGE',
      `Invalid table prefix ${JSON.stringify(prefix)}: a prefix may only hold letters, digits and underscores` +
        (engine === 'sqlite' ? '.' : ', with at most one dot to name another schema (e.g. "other." or "other.pre_").'),
    );
  }
  return parts.length === 2 ? { namespace: parts[0]!, tablePrefix: parts[1]! } : { namespace: null, tablePrefix: prefix };
}

export function validateSchemaName(schema: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema) || schema.length > 63) {
    throw new AppFailure('USAGE', `Invalid schema name ${JSON.stringify(schema)}: use letters, digits and underscores.`);
  }
  return schema;
}
