/**
 * Everything that differs between the engines' SQL, as one object per engine
 * (./sqlite/dialect.ts, ./pgsql/dialect.ts, ./mysql/dialect.ts). The Drupal layer
 * writes its queries once and asks the dialect for the few fragments that differ.
 * Each fragment takes a column expression that we wrote (never user text) and binds
 * the user's value through one `?`.
 */
import type { Database, SqlValue } from '../db/database.js';
import type { Engine } from '../db/target.js';

/** Where a site's tables are: a schema (SQLite: attached file) and a table-name prefix. */
export interface Namespace {
  /** SQLite attached database / PostgreSQL schema / MySQL database; null = the default. */
  name: string | null;
  /** Put before every table name (never on SQLite, where a prefix names a file). */
  tablePrefix: string;
}

export interface Dialect<E extends Engine = Engine> {
  readonly engine: E;
  /** The statement that opens a transaction. */
  readonly beginTransaction: string;
  /** `DELETE … RETURNING` exists (and needs no row lock). */
  readonly supportsReturning: boolean;
  /** `equalsIndexed` already ignores letter case (MySQL's *_ci collations). */
  readonly indexedEqualsIgnoresCase: boolean;
  /** A quoted identifier (validated or read from the catalog). */
  quote(identifier: string): string;
  /** A table's quoted, schema-qualified name. */
  qualify(namespace: Namespace, table: string): string;
  /** The base tables in a namespace. */
  listTables(db: Database, namespace: Namespace): Promise<string[]>;
  /** Why a namespace cannot be read at all (SQLite: its attached file is missing), or null. */
  missingNamespace(db: Database, namespace: Namespace): Promise<string | null>;
  /** The namespace in words, for messages. */
  describeNamespace(description: string, namespace: Namespace): string;
  /**
   * `column` contains the bound value, ignoring case. `asciiValue` says the value is
   * plain ASCII, which lets SQLite use its built-in lower() instead of a JS callback.
   */
  containsFolded(column: string, asciiValue?: boolean): string;
  /** `column` equals the bound value, ignoring case. */
  equalsFolded(column: string): string;
  /**
   * `column` equals the bound value, through the column's index where the engine can
   * use it. Exact on PostgreSQL and SQLite; case- and accent-insensitive on MySQL, so
   * callers compare the rows' values again (see indexedEqualsIgnoresCase).
   */
  equalsIndexed(column: string): string;
  /** ORDER BY expression for a text column, case-insensitive, without NOCASE_UTF8. */
  orderFolded(column: string): string;
  /** A quoted column name (for `timestamp`, `session`, which are keywords somewhere). */
  column(name: string): string;
  /** How a value for a binary column (session data, serialized variables) is bound. */
  binary(text: string): SqlValue;
}

/** Standard SQL's quoting, which SQLite and PostgreSQL share. */
export const doubleQuote = (name: string): string => '"' + name.replace(/"/g, '""') + '"';

/** What SQLite and PostgreSQL have in common: RETURNING, case-exact `=`, double quotes. */
export const STANDARD_SQL = {
  beginTransaction: 'BEGIN',
  supportsReturning: true,
  indexedEqualsIgnoresCase: false,
  quote: doubleQuote,
  column: doubleQuote,
} as const satisfies Partial<Dialect>;
