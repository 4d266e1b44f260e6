/**
 * Writes a row to dblog's `watchdog` table so a revoke shows on Drupal's own
 * "Recent log messages" page, in the same transaction as the delete.
 */
import type { Queryable, SqlValue } from '../db/database.js';
import type { DrupalSite } from '../site.js';
import { dialectFor } from '../engines/index.js';
import { phpSerialize } from './php-serialize.js';

export const WATCHDOG_TYPE = 'session_inspector';
export const WATCHDOG_MESSAGE = 'Session %sid of %name revoked by %operator.';
/** RfcLogLevel::NOTICE */
const SEVERITY_NOTICE = 5;

export interface RevokeLogEntry {
  operatorUid: number;
  operatorName: string;
  targetName: string;
  /** One row is written per revoked session, as Drupal's log shows one event a line. */
  sidPrefixes: string[];
  time: number;
}

/** Rows per INSERT: 500 × 10 values stays far below every engine's parameter limit. */
const ROWS_PER_INSERT = 500;

export async function writeWatchdog(tx: Queryable, site: DrupalSite, entry: RevokeLogEntry): Promise<void> {
  if (!site.tables.watchdog || entry.sidPrefixes.length === 0) return;
  const d = dialectFor(site.db.engine);
  const c = d.column;
  const row = (sidPrefix: string): SqlValue[] => {
    const variables = phpSerialize({ '%sid': sidPrefix, '%name': entry.targetName, '%operator': entry.operatorName });
    return [
      entry.operatorUid,
      WATCHDOG_TYPE,
      WATCHDOG_MESSAGE,
      // bytea on PostgreSQL; Drupal itself writes this column as text elsewhere.
      d.binary(variables),
      SEVERITY_NOTICE,
      '',
      // Empty, not a made-up path: Drupal 8's log page turns a non-empty location into
      // Url::fromUri(), which throws on anything but a full URI.
      '',
      '',
      // The request did not come from a browser: no client address to record.
      '',
      entry.time,
    ];
  };
  for (let start = 0; start < entry.sidPrefixes.length; start += ROWS_PER_INSERT) {
    const batch = entry.sidPrefixes.slice(start, start + ROWS_PER_INSERT);
    await tx.run(
      `INSERT INTO ${site.tables.watchdog}
         (uid, type, message, variables, severity, link, location, referer, hostname, ${c('timestamp')})
       VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      batch.flatMap(row),
    );
  }
}
