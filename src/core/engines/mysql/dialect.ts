/** MySQL/MariaDB's SQL: backquotes, databases as namespaces, LOCATE for literal substrings. */
import type { Dialect } from '../dialect.js';

const quote = (name: string) => '`' + name.replace(/`/g, '``') + '`';

export const mysqlDialect: Dialect<'mysql'> = {
  engine: 'mysql',
  beginTransaction: 'START TRANSACTION',
  // No RETURNING: rows to delete are locked with SELECT … FOR UPDATE first.
  supportsReturning: false,
  // users_field_data.name is utf8mb4_general_ci: `=` ignores case and accents.
  indexedEqualsIgnoresCase: true,
  quote,
  qualify: (namespace, table) => (namespace.name ? `${quote(namespace.name)}.${quote(table)}` : quote(table)),
  listTables: async (db, namespace) =>
    (
      await db.all<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE())`,
        [namespace.name],
      )
    ).map((r) => String(r.name)),
  missingNamespace: async () => null,
  describeNamespace: (description, namespace) => (namespace.name ? `database "${namespace.name}" on ${description}` : description),
  containsFolded: (c) => `LOCATE(LOWER(?), LOWER(${c})) > 0`,
  equalsFolded: (c) => `LOWER(${c}) = LOWER(?)`,
  equalsIndexed: (c) => `${c} = ?`,
  orderFolded: (c) => `LOWER(${c})`,
  column: quote,
  binary: (text) => text,
};
