/** Limits both ends agree on: the IPC schemas enforce them, the core and UI respect them. */

/** Users per search page. */
export const MAX_PAGE_SIZE = 200;
/** A user's sessions per page (CLI default and the app's page). */
export const SESSION_PAGE_SIZE = 500;
/** The most sessions one page may hold. */
export const MAX_SESSION_PAGE_SIZE = 1000;
/** Sessions named in one revoke; more is a "revoke all". */
export const MAX_SIDS_PER_REVOKE = 500;
/** Characters of a sid shown on screen and kept in the audit log. */
export const SID_PREFIX_LENGTH = 8;
/** Audit log entries one request may return. */
export const MAX_AUDIT_ENTRIES = 1000;

/** Sessions per page of the site-wide board, by default and at most. */
export const BOARD_PAGE_SIZE = 50;
export const MAX_BOARD_PAGE_SIZE = 1000;

/** Sessions one revoke by criteria may cover; narrow the filters for more. */
export const MAX_REVOKE_MATCHES = 100_000;
/** Sessions per transaction of a revoke by criteria: each batch is all or nothing. */
export const REVOKE_BATCH = 500;

export function sidPrefix(sid: string): string {
  return sid.slice(0, SID_PREFIX_LENGTH);
}

/** 9999-12-31T23:59:59Z: the last unix time a date can show. Later values are not times. */
export const LAST_UNIX_TIME = 253_402_300_799;
