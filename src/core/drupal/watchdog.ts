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
/** For a revoke of many sessions: one row, the sid prefixes kept in its variables. */
export const WATCHDOG_SUMMARY = '%count sessions of %name revoked by %operator.';
/** An account blocked (with revoke all) or unblocked from the console. */
export const WATCHDOG_BLOCKED = 'Account %name blocked by %operator.';
export const WATCHDOG_UNBLOCKED = 'Account %name unblocked by %operator.';
/** Remember-me tokens deleted with a user's sessions (persistent_login module). */
export const WATCHDOG_TOKENS = '%count remember-me tokens of %name revoked by %operator.';
/** RfcLogLevel::NOTICE */
const SEVERITY_NOTICE = 5;
/**
 * Up to this many sessions, one row each (Drupal's log shows one event a line and is
 * searched by its text); past it, one summary row: a revoke of 10,000 sessions is one
 * event for whoever reads the log, and costs one INSERT instead of ten thousand rows.
 */
export const ROWS_PER_SESSION_UP_TO = 20;

/** Log rows per INSERT: 10 values each, far below every engine's parameter limit. */
const ROWS_PER_INSERT = 500;

/** Sid prefixes kept in a summary row: one row stays far below any max_allowed_packet. */
const SUMMARY_SIDS = 1000;

function summarizedSids(prefixes: string[]): string {
  const kept = prefixes.slice(0, SUMMARY_SIDS).join(' ');
  return prefixes.length > SUMMARY_SIDS ? `${kept} … and ${prefixes.length - SUMMARY_SIDS} more` : kept;
}

export interface RevokeLogEntry {
  operatorUid: number;
  operatorName: string;
  targetName: string;
  sidPrefixes: string[];
  time: number;
  /** Remember-me tokens deleted in the same revoke. */
  rememberMeTokens?: number;
  /** The account was blocked or unblocked in the same transaction. */
  accountStatus?: 'blocked' | 'active';
}

/** Writes the log rows of one revoke. */
export async function writeWatchdog(tx: Queryable, site: DrupalSite, entry: RevokeLogEntry): Promise<void> {
  await writeWatchdogRows(tx, site, [entry]);
}

/**
 * Writes the log rows of several revokes in one INSERT (a revoke by criteria: one entry
 * per user): per session up to ROWS_PER_SESSION_UP_TO, else one summary row, per entry.
 */
export async function writeWatchdogRows(tx: Queryable, site: DrupalSite, entries: RevokeLogEntry[]): Promise<void> {
  if (!site.tables.watchdog) return;
  const d = dialectFor(site.db.engine);
  const c = d.column;
  const rows = entries.flatMap((entry) => {
    const row = (message: string, variables: Record<string, string>): SqlValue[] => [
      entry.operatorUid,
      WATCHDOG_TYPE,
      message,
      // bytea on PostgreSQL; Drupal itself writes this column as text elsewhere.
      d.binary(phpSerialize(variables)),
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
    const who = { '%name': entry.targetName, '%operator': entry.operatorName };
    const tokens = [
      ...(entry.rememberMeTokens ? [row(WATCHDOG_TOKENS, { '%count': String(entry.rememberMeTokens), ...who })] : []),
      ...(entry.accountStatus ? [row(entry.accountStatus === 'blocked' ? WATCHDOG_BLOCKED : WATCHDOG_UNBLOCKED, who)] : []),
    ];
    if (entry.sidPrefixes.length === 0) return tokens;
    const sessions = entry.sidPrefixes.length <= ROWS_PER_SESSION_UP_TO
      ? entry.sidPrefixes.map((sid) => row(WATCHDOG_MESSAGE, { '%sid': sid, ...who }))
      : // '@sids' is not in the message: Drupal keeps unused variables, and shows the message.
        [row(WATCHDOG_SUMMARY, { '%count': String(entry.sidPrefixes.length), ...who, '@sids': summarizedSids(entry.sidPrefixes) })];
    return [...sessions, ...tokens];
  });
  // In chunks: PostgreSQL takes at most 65,535 parameters in one statement.
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    await tx.run(
      `INSERT INTO ${site.tables.watchdog}
         (uid, type, message, variables, severity, link, location, referer, hostname, ${c('timestamp')})
       VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flat(),
    );
  }
}
