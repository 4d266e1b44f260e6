/**
 * The few SQL fragments that differ per engine. Each takes a column expression that
 * we wrote (never user text) and binds the user's value through one `?`.
 *
 * Case-insensitive matching works on non-ASCII names everywhere: SQLite's lower() and
 * LIKE fold ASCII only, so SQLite uses the fold function registered by our driver
 * unless the searched text is ASCII (then lower() finds exactly the same rows, faster).
 * Substring tests use instr/strpos/LOCATE, so `%` and `_` in a search are literal.
 */
import { quoteIdentifier } from '../db/identifiers.js';
import { FOLD_FUNCTION } from '../db/sqlite.js';
import type { Engine } from '../db/target.js';

export interface Dialect {
  /**
   * `column` contains the bound value, ignoring case. `asciiValue` says the value is
   * plain ASCII, which lets SQLite use its built-in lower() instead of a JS callback.
   */
  containsFolded(column: string, asciiValue?: boolean): string;
  /** `column` equals the bound value, ignoring case. */
  equalsFolded(column: string): string;
  /**
   * `column` equals the bound value, through the column's index where the engine can
   * use it. Exact on PostgreSQL and SQLite; case- and accent-insensitive on MySQL (the
   * column's utf8mb4_general_ci), so callers compare the rows' values again.
   */
  equalsIndexed(column: string): string;
  /** ORDER BY expression for a text column, case-insensitive, without NOCASE_UTF8. */
  orderFolded(column: string): string;
  /** A quoted column name (for `timestamp`, `session`, which are keywords somewhere). */
  column(name: string): string;
}

const dialects: Record<Engine, Dialect> = {
  sqlite: {
    containsFolded: (c, ascii) =>
      ascii ? `instr(lower(${c}), lower(?)) > 0` : `instr(${FOLD_FUNCTION}(${c}), ${FOLD_FUNCTION}(?)) > 0`,
    equalsFolded: (c) => `${FOLD_FUNCTION}(${c}) = ${FOLD_FUNCTION}(?)`,
    // The index uses NOCASE_UTF8, which better-sqlite3 cannot register: BINARY scans.
    equalsIndexed: (c) => `${c} COLLATE BINARY = ?`,
    // An explicit collation overrides the column's NOCASE_UTF8, which we cannot register.
    orderFolded: (c) => `${c} COLLATE NOCASE`,
    column: (name) => quoteIdentifier('sqlite', name),
  },
  pgsql: {
    containsFolded: (c) => `strpos(lower(${c}), lower(?)) > 0`,
    equalsFolded: (c) => `lower(${c}) = lower(?)`,
    equalsIndexed: (c) => `${c} = ?`,
    orderFolded: (c) => `lower(${c})`,
    column: (name) => quoteIdentifier('pgsql', name),
  },
  mysql: {
    containsFolded: (c) => `LOCATE(LOWER(?), LOWER(${c})) > 0`,
    equalsFolded: (c) => `LOWER(${c}) = LOWER(?)`,
    equalsIndexed: (c) => `${c} = ?`,
    orderFolded: (c) => `LOWER(${c})`,
    column: (name) => quoteIdentifier('mysql', name),
  },
};

export function dialectFor(engine: Engine): Dialect {
  return dialects[engine];
}
