/**
 * SQLite's SQL. Case-insensitive matching works on non-ASCII names: SQLite's lower()
 * and LIKE fold ASCII only, so the fold function registered by our driver is used
 * unless the searched text is ASCII (then lower() finds exactly the same rows, faster).
 * Substring tests use instr, so `%` and `_` in a search are literal.
 */
import { doubleQuote, STANDARD_SQL, type Dialect } from '../dialect.js';

/** Case folding for search and sign-in, registered by the driver: SQLite's lower() folds ASCII only. */
export const FOLD_FUNCTION = 'si_fold';

const quote = doubleQuote;

async function attached(db: Parameters<Dialect['listTables']>[0], schema: string): Promise<boolean> {
  const rows = await db.all<{ name: string }>('SELECT name FROM pragma_database_list');
  return rows.some((row) => row.name === schema);
}

export const sqliteDialect: Dialect<'sqlite'> = {
  engine: 'sqlite',
  ...STANDARD_SQL,
  qualify: (namespace, table) => `${quote(namespace.name ?? 'main')}.${quote(table)}`,
  listTables: async (db, namespace) => {
    const schema = namespace.name ?? 'main';
    if (!(await attached(db, schema))) return [];
    const rows = await db.all<{ name: string }>(`SELECT name FROM ${quote(schema)}.sqlite_master WHERE type = 'table'`);
    return rows.map((r) => String(r.name));
  },
  missingNamespace: async (db, namespace) => {
    if (namespace.name === null || (await attached(db, namespace.name))) return null;
    // Drupal's SQLite driver keeps prefixed tables in a second file, <database>-<prefix>.
    return `with prefix "${namespace.name}" Drupal keeps its tables in the file ${db.description.replace(/^sqlite:/, '')}-${namespace.name}, which does not exist.`;
  },
  describeNamespace: (description, namespace) => (namespace.name ? `the attached file for prefix "${namespace.name}"` : description),
  containsFolded: (c, ascii) => (ascii ? `instr(lower(${c}), lower(?)) > 0` : `instr(${FOLD_FUNCTION}(${c}), ${FOLD_FUNCTION}(?)) > 0`),
  equalsFolded: (c) => `${FOLD_FUNCTION}(${c}) = ${FOLD_FUNCTION}(?)`,
  // The index uses NOCASE_UTF8, which better-sqlite3 cannot register: BINARY scans.
  equalsIndexed: (c) => `${c} COLLATE BINARY = ?`,
  // An explicit collation overrides the column's NOCASE_UTF8, which we cannot register.
  orderFolded: (c) => `${c} COLLATE NOCASE`,
  binary: (text) => text,
};
