/** A Drupal table's name in SQL, as each engine's dialect writes it. */
import type { Engine } from '../db/target.js';
import type { Namespace } from './dialect.js';
import { dialectFor } from './index.js';

/** `<prefix><table>` in `namespace`, quoted and qualified (SQLite prefixes are files, never names). */
export function tableName(engine: Engine, namespace: Namespace, table: string): string {
  return dialectFor(engine).qualify(namespace, namespace.tablePrefix + table);
}
