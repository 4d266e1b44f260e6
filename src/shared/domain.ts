/** Plain data that crosses process boundaries (IPC, CLI JSON). No secrets live here. */

export type UserStatus = 'active' | 'blocked';

export interface UserSummary {
  uid: number;
  name: string;
  mail: string | null;
  status: UserStatus;
  /** Stored role ids (never the implicit `authenticated`). */
  roles: string[];
  created: number | null;
  access: number | null;
  login: number | null;
  sessionCount: number;
}

export interface UserPage {
  /** Matches, counted exactly up to 100,000; past that a lower bound (see totalIsExact). */
  total: number;
  /** False when there are more than `total` matches (the count stopped at 100,000). */
  totalIsExact: boolean;
  users: UserSummary[];
}

export type SessionState = 'active' | 'idle' | 'stale';

/** Core's "Who's online" window: a session used within 15 minutes is active. */
export const ACTIVE_WINDOW_SECONDS = 900;

/** The role every signed-in account has, implicit and never stored in user__roles. */
export const AUTHENTICATED_ROLE = 'authenticated';

/** What kind of address a client's is; only public ones have a country. */
export type AddressKind = 'public' | 'private' | 'loopback' | 'link-local' | 'documentation' | 'reserved';

/** Where an address is: ISO 3166-1 alpha-2 country (or null), and its kind (null: not an address). */
export interface Location {
  country: string | null;
  addressKind: AddressKind | null;
  /** With the operator's own MaxMind City database: the city, when it knows one. */
  city?: string;
  /** With the operator's own MaxMind ASN database: "AS1221 Telstra Pty Ltd". */
  network?: string;
}

export interface SessionInfo extends Location {
  sid: string;
  hostname: string;
  /** Last request that wrote the session (unix seconds). */
  timestamp: number;
  created: number | null;
  lifetime: number | null;
  state: SessionState;
  masqueradeBy: number | null;
  /** The masquerading account's name (null: it no longer exists); absent when not masquerading. */
  masqueradeByName?: string | null;
  /** The user agent as the session recorded it. */
  browser: string | null;
  /** The user agent in words: "Firefox 140 on Linux"; null when none was recorded. */
  client: string | null;
  passwordReset: boolean;
  /** False when the session data could not be parsed (corrupt or unsupported). */
  readable: boolean;
}

/** How many sessions are in each state: the same shape wherever sessions are counted. */
export type SessionCounts = Record<SessionState, number>;

/** A page of sessions, with the totals of everything that matched. */
export interface SessionPage {
  /** Every matching session, not only this page's. */
  total: number;
  byState: SessionCounts;
  /** This page, newest first. */
  sessions: SessionInfo[];
}

/**
 * A "remember me" token (persistent_login module): it signs its browser back in after
 * the sessions are gone. Only a prefix of its series; never the token itself.
 */
export interface RememberMeToken {
  seriesPrefix: string;
  created: number | null;
  refreshed: number | null;
  /** Null: never expires. */
  expires: number | null;
}

export interface UserSessions extends SessionPage {
  asOf: number;
  user: UserSummary;
  /** Where this page starts among the user's sessions. */
  offset: number;
  /** The user's remember-me tokens; null when the site has no persistent_login table. */
  rememberMe: RememberMeToken[] | null;
  /** What the operator should know about this answer (activity after the as-of time). */
  warnings?: string[];
}

/**
 * Filters of the site-wide session board. They combine: a session is listed when it
 * passes every filter given. Times are unix seconds; "after" includes the time itself,
 * "before" does not.
 */
export interface SessionFilter {
  /** An address or a CIDR range, IPv4 or IPv6 (IPv4-mapped IPv6 counts as IPv4). */
  ip?: string;
  user?: UserRef;
  /** A role id; `authenticated` is every account. */
  role?: string;
  /** Any of these states, as of the board's as-of time. */
  states?: SessionState[];
  createdAfter?: number;
  createdBefore?: number;
  usedAfter?: number;
  usedBefore?: number;
  /** Only sessions an administrator is masquerading in. */
  masquerade?: boolean;
  /** Only sessions holding a pending password reset. */
  passwordReset?: boolean;
  /** Only sessions of blocked accounts. */
  ownerBlocked?: boolean;
  /** Only sessions whose uid has no account (deleted users). */
  orphan?: boolean;
  /** Also sessions of anonymous visitors (uid 0), left out unless asked for. */
  includeAnonymous?: boolean;
}

/** A session on the site-wide board: whose it is, besides what it is. */
export interface SiteSession extends SessionInfo {
  uid: number;
  /** The owner's username; null for anonymous visitors (uid 0) and orphans (no account). */
  name: string | null;
  ownerStatus: UserStatus | null;
}

export interface SiteSessionPage extends SessionPage {
  asOf: number;
  offset: number;
  /** False when counting stopped at 100,000 matches (then `total` is a lower bound). */
  totalIsExact: boolean;
  sessions: SiteSession[];
  /** What the operator should know about this answer (activity after the as-of time). */
  warnings?: string[];
}

/** The sessions of one client address (IPv4-mapped IPv6 counted as the IPv4 address). */
export interface IpGroup extends Location {
  ip: string;
  /** Distinct accounts (uids) with sessions from it. */
  accounts: number;
  sessions: number;
  lastUsed: number;
}

export interface IpGroupPage {
  asOf: number;
  offset: number;
  /** Addresses that match, counted exactly up to 100,000 sessions scanned. */
  total: number;
  totalIsExact: boolean;
  ips: IpGroup[];
}

/** Something worth a look: a shared address, a blocked owner, a policy exceeded. */
export interface Anomaly {
  kind: 'shared-ip' | 'multi-country' | 'multi-network' | 'blocked-owner' | 'orphan' | 'absolute-age' | 'idle';
  /** In words, with the numbers. */
  detail: string;
  /** Sessions concerned (exact up to 100,000). */
  count: number;
  /** The accounts and sessions concerned: the first 100 of each. */
  uids: number[];
  sids: string[];
}

export interface AnomalyReport {
  asOf: number;
  /** The policy the ages were judged by, in seconds (defaults: NIST SP 800-63B AAL2). */
  policy: { maxAge: number; maxIdle: number };
  anomalies: Anomaly[];
}

/** What a revoke by criteria would remove: exactly these sessions, counted. */
export interface RevokePlan {
  asOf: number;
  /** Sessions matched (every one is listed in `sessions` of the core's plan). */
  total: number;
  /** Accounts (or uids without one) they belong to. */
  users: number;
  /**
   * With a user filter: that user's remember-me tokens, deleted in the same revoke (they
   * would sign the user back in). Null without a user filter or a persistent_login table.
   */
  rememberMe: number | null;
}

/** What a revoke by criteria did. */
export interface MatchedRevokeResult {
  /** The sessions deleted, by owner and id. */
  revoked: Array<{ uid: number; sid: string }>;
  /** Matched sessions that had ended before their batch ran: nothing to delete. */
  alreadyGone: number;
  /** Accounts whose sessions were deleted. */
  users: number;
  /** Remember-me tokens deleted (a user filter on a site with persistent_login), else null. */
  rememberMeRevoked: number | null;
}

export interface OperatorInfo {
  uid: number;
  name: string;
  /** Stored role ids plus the implicit `authenticated`. */
  roles: string[];
  canInspectOwn: boolean;
  canInspectOther: boolean;
  /** Drupal's "administer users": may block and unblock accounts. */
  canAdministerUsers: boolean;
  /** Without either session permission: why, and what to do (which roles have them, or that none does). */
  noAccess?: string;
}

export interface RevokeResult {
  revoked: string[];
  /** Revoke all: the remember-me tokens deleted with the sessions (null: the site has none). */
  rememberMeRevoked?: number | null;
  /** Revoke all and block: the account is blocked (every translation). */
  blocked?: boolean;
  /** What the operator should know or do (for example: a cache rebuild is needed). */
  warnings?: string[];
}

export interface UnblockResult {
  unblocked: true;
  warnings: string[];
}

/** A reference to a user as typed by an operator: `uid:<n>`, a username or an e-mail address. */
export type UserRef = { uid: number } | { name: string } | { mail: string };

/** A user reference in words, for messages. */
export function describeUserRef(ref: UserRef): string {
  if ('uid' in ref) return `uid ${ref.uid}`;
  return 'mail' in ref ? ref.mail.trim() : ref.name.trim();
}

/** One revoke, as the local audit log records it: a sid prefix, never the sid. */
export interface AuditEntry {
  /** ISO-8601 UTC time of the revoke. */
  time: string;
  operator: { uid: number; name: string };
  /** The site, as describeTarget() writes it (no password). */
  site: string;
  target: { uid: number; name: string };
  sidPrefix: string;
  hostname: string;
  /** revoke-matching: a revoke by criteria (the board's filters), across users. */
  action: 'revoke' | 'revoke-all' | 'revoke-matching' | 'unblock';
  /** The account was blocked (revoke all and block) or unblocked with this record. */
  accountStatus?: 'blocked' | 'active';
  /** Remember-me tokens deleted in the same revoke (revoke all of a user). */
  rememberMeTokens?: number;
  /**
   * The revoke's intent was recorded before its commit, but its outcome was not (the
   * process stopped, or the disk filled, in between): it may or may not have happened.
   */
  unconfirmed?: boolean;
}

/** A page of the local audit log. */
export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** Lines of the log that could not be read (damaged, edited, or absurdly long). */
  damagedLines: number;
}

/** What changed between two copies of a site (see core/drupal/site-diff.ts). */
export type SiteDiffKind =
  | 'session-appeared'
  | 'session-disappeared'
  | 'session-ip-changed'
  | 'account-created'
  | 'account-deleted'
  | 'account-blocked'
  | 'account-unblocked'
  | 'roles-changed'
  | 'password-changed';

export const SITE_DIFF_KINDS: readonly SiteDiffKind[] = [
  'session-appeared', 'session-disappeared', 'session-ip-changed', 'account-created', 'account-deleted', 'account-blocked', 'account-unblocked', 'roles-changed', 'password-changed',
];

export interface SiteDiffChange {
  kind: SiteDiffKind;
  uid: number;
  /** The account's name (null: no account on either side). */
  name: string | null;
  /** Session changes: the session, its address and last use (on the side it is on). */
  sid?: string;
  hostname?: string;
  lastUsed?: number;
  /** An address or the roles, before and after. Never a password hash: only that it changed. */
  before?: string | string[];
  after?: string | string[];
}

export interface SiteDiff {
  /** The older copy (--against) and the newer (--db): where, and as of when. */
  before: { site: string; asOf: number };
  after: { site: string; asOf: number };
  counts: Record<SiteDiffKind, number>;
  /** The first changes, in uid order (accounts, then sessions). */
  changes: SiteDiffChange[];
  /** Every change is in `changes`. */
  complete: boolean;
}

/** How a list of users is ordered: by name (A–Z), by last access (most recent first), by session count (most first). */
export type UserSort = 'name' | 'lastSeen' | 'sessions';
export const USER_SORTS: readonly UserSort[] = ['name', 'lastSeen', 'sessions'];
