/**
 * "Remember me" tokens of the persistent_login contrib module. A row is a credential
 * (the cookie is `series:instance`, stored as it is): its `instance` is never read, and
 * its `series` leaves this module only as a short prefix. The module signs a user back in
 * from a row after their sessions are gone, so revoking all of a user's sessions deletes
 * their rows too, in the same transaction.
 */
import type { RememberMeToken } from '../../shared/domain.js';
import { SID_PREFIX_LENGTH } from '../../shared/limits.js';
import type { Queryable } from '../db/database.js';
import type { DrupalSite } from '../site.js';

/** The module's "never expires" (a lifetime of 0). */
const NEVER = 2147483647;

/** A user's tokens, most recently used first; null when the site has no persistent_login table. */
export async function listRememberMe(site: DrupalSite, uid: number): Promise<RememberMeToken[] | null> {
  const table = site.tables.persistentLogin;
  if (!table) return null;
  const rows = await site.db.all<{ series: unknown; created: unknown; refreshed: unknown; expires: unknown }>(
    `SELECT series, created, refreshed, expires FROM ${table} WHERE uid = ? ORDER BY refreshed DESC, series`,
    [uid],
  );
  return rows.map((row) => {
    const expires = Number(row.expires);
    return {
      seriesPrefix: String(row.series).slice(0, SID_PREFIX_LENGTH),
      created: Number(row.created) || null,
      refreshed: Number(row.refreshed) || null,
      expires: expires >= NEVER ? null : expires,
    };
  });
}

/** Deletes all of a user's tokens; returns how many, or null when the site has no such table. */
export async function deleteRememberMe(tx: Queryable, site: DrupalSite, uid: number): Promise<number | null> {
  const table = site.tables.persistentLogin;
  if (!table) return null;
  return tx.run(`DELETE FROM ${table} WHERE uid = ?`, [uid]);
}
