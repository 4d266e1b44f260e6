/**
 * Blocking and unblocking an account from outside Drupal (see the data model, section
 * 10): `status` on every translation of the account, and the account's entry in
 * Drupal's entity cache, which Drupal (its login form included) would otherwise keep
 * believing. Nothing else of Drupal's is written.
 */
import type { Queryable } from '../db/database.js';
import type { DrupalSite } from '../site.js';

/** Drupal's permission for blocking accounts. */
export const ADMINISTER_USERS = 'administer users';

/** Sets the account's status on every translation; returns the rows changed. */
export function setAccountStatus(tx: Queryable, site: DrupalSite, uid: number, status: 0 | 1): Promise<number> {
  return tx.run(`UPDATE ${site.tables.usersFieldData} SET status = ? WHERE uid = ?`, [status, uid]);
}

/**
 * Removes the account's cached entity, as Drupal's own storage does when it saves one.
 * Returns a warning when Drupal may still see the old status: the entity cache is not in
 * this database (no cache_entity table, or no cached user at all: Redis, Memcache).
 */
export async function forgetCachedAccount(tx: Queryable, site: DrupalSite, uid: number): Promise<string | null> {
  const table = site.tables.cacheEntity;
  const rebuild = 'Run `drush cr` (or change the account in Drupal) so that Drupal sees the change at once.';
  if (!table) return `This site keeps no entity cache in its database (no cache_entity table); it may cache accounts elsewhere. ${rebuild}`;
  if ((await tx.run(`DELETE FROM ${table} WHERE cid = ?`, [`values:user:${uid}`])) > 0) return null;
  const cachedUsers = await tx.all(`SELECT cid FROM ${table} WHERE cid LIKE ? LIMIT 1`, ['values:user:%']);
  return cachedUsers.length > 0
    ? null // This account simply was not cached: Drupal reads it afresh.
    : `No account is cached in cache_entity: the site may cache entities elsewhere (Redis, Memcache). ${rebuild}`;
}
