/** PostgreSQL's SQL: schemas, bytea for binary columns, strpos for literal substrings. */
import { doubleQuote, STANDARD_SQL, type Dialect } from '../dialect.js';

const quote = doubleQuote;

export const pgsqlDialect: Dialect<'pgsql'> = {
  engine: 'pgsql',
  ...STANDARD_SQL,
  qualify: (namespace, table) => `${quote(namespace.name ?? 'public')}.${quote(table)}`,
  listTables: async (db, namespace) =>
    (
      await db.all<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'`,
        [namespace.name ?? 'public'],
      )
    ).map((r) => String(r.name)),
  missingNamespace: async () => null,
  describeNamespace: (description, namespace) => `schema "${namespace.name ?? 'public'}" of ${description}`,
  containsFolded: (c) => `strpos(lower(${c}), lower(?)) > 0`,
  equalsFolded: (c) => `lower(${c}) = lower(?)`,
  equalsIndexed: (c) => `${c} = ?`,
  orderFolded: (c) => `lower(${c})`,
  binary: (text) => Buffer.from(text, 'utf8'),
};
