/**
 * The session inspector: sign-in, user search, a user's sessions, and revokes, with
 * Drupal's access rule applied here, on every call, with the operator's status and
 * roles re-read from the database. Callers (IPC handlers, the CLI) cannot skip it.
 */
import { dirname } from 'node:path';
import { AUTHENTICATED_ROLE, describeUserRef, type AuditEntry, type AuditPage, type OperatorInfo, type Anomaly, type AnomalyReport, type IpGroupPage, type MatchedRevokeResult, type RevokePlan, type RevokeResult, type SessionFilter, type SessionInfo, type SiteDiffChange, type UnblockResult, type SiteSessionPage, type UserPage, type UserSort, type UserRef, type UserSessions, type UserSummary } from '../../shared/domain.js';
import { BOARD_PAGE_SIZE, MAX_BOARD_PAGE_SIZE, MAX_PAGE_SIZE, MAX_REVOKE_MATCHES, MAX_SESSION_PAGE_SIZE, MAX_SIDS_PER_REVOKE, REVOKE_BATCH, SESSION_PAGE_SIZE, SID_PREFIX_LENGTH, sidPrefix } from '../../shared/limits.js';
import type { AuditLog, PreparedRecord } from '../audit/audit-log.js';
import { decoyHashLike, excessiveHashCost, verifyPassword } from '../auth/password.js';
import { SignInFlood } from '../auth/sign-in-flood.js';
import { canInspect, hasPermission, INSPECT_OTHER, INSPECT_OWN, type Account, type PermissionPolicy } from '../auth/permissions.js';
import { loadRoles, rolesGranting } from '../drupal/roles.js';
import { DEFAULT_GC_MAXLIFETIME, deleteSessionKeys, deleteSessions, FULL_SID_LENGTH, listSessions, sidsWithPrefix } from '../drupal/sessions.js';
import { siteKey } from '../db/target.js';
import { accountNames, ambiguousName, getAccountState, getCredentials, getUser, matchUserMail, matchUserName, searchUsers, typicalHash } from '../drupal/users.js';
import { writeWatchdog, writeWatchdogRows } from '../drupal/watchdog.js';
import { deleteRememberMe, listRememberMe } from '../drupal/remember-me.js';
import { ADMINISTER_USERS, forgetCachedAccount, setAccountStatus } from '../drupal/account-status.js';
import { accountsInSeveralPlaces, listIpGroups, listSiteSessions, matchSessions, type BoardCriteria, type MatchedSession } from '../drupal/site-sessions.js';
import { exactUtc, formatDuration } from '../../shared/time.js';
import { parseIpFilter } from '../net/ip-filter.js';
import { locateCountry, type Locate } from '../net/geo.js';
import type { SnapshotRecord } from '../dumps/snapshot-store.js';
import { accountChanges, sessionChanges } from '../drupal/site-diff.js';
import { AppFailure } from '../../shared/errors.js';
import type { DrupalSite } from '../site.js';

/** Who is signed in. Only identity: permissions are re-read on every call. */
export interface Operator {
  uid: number;
  name: string;
}

export interface InspectorOptions {
  /** uid 1 has every permission (default true). */
  superUser?: boolean;
  /** Sessions idle longer than this are stale (default 200000 s). */
  gcMaxlifetime?: number;
  /** Judge activity as of this unix time (default: now, read at each call). */
  asOf?: number;
  auditLog: AuditLog;
  /** Failed sign-ins on this computer (default: beside the audit log). */
  signInFlood?: SignInFlood;
  /** The clock for records of revokes (tests may fix it). */
  now?: () => number;
  /** Where client addresses are (default: the shipped country database). */
  locate?: Locate;
  /** The site is a dump's snapshot: which dump, made when. */
  snapshot?: SnapshotRecord;
}

const SIGN_IN_FAILED = 'Unrecognized username or password.';
/** NIST SP 800-63B session limits at AAL2: 24 h from creation, 1 h idle. */
export const NIST_AAL2 = { maxAge: 24 * 3600, maxIdle: 3600 };
/** Sessions and accounts an anomaly names; the rest are counted. */
const ANOMALY_LISTED = 100;
/** Addresses looked at for sharing: the most shared first. */
const SHARED_IPS_LISTED = 20;
/** Sessions a revoke preview lists; the rest are counted. */
const PREVIEW_SESSIONS = 50;

function notFound(missing: string[], userName: string): AppFailure {
  return new AppFailure(
    'NOT_FOUND',
    `${missing.length === 1 ? 'Session' : 'Sessions'} ${missing.map((s) => `${sidPrefix(s)}…`).join(', ')} ` +
      `not found among ${userName}'s sessions (already ended, or not theirs). Nothing was revoked.`,
  );
}

/** Distinct sids within the per-revoke limit. */
function distinctSids(sids: string[]): string[] {
  const wanted = [...new Set(sids)];
  if (wanted.length === 0) throw new AppFailure('USAGE', 'Name at least one session to revoke.');
  if (wanted.length > MAX_SIDS_PER_REVOKE) {
    throw new AppFailure('USAGE', `At most ${MAX_SIDS_PER_REVOKE} sessions per revoke; use "revoke all" instead.`);
  }
  return wanted;
}

const unixNow = () => Math.floor(Date.now() / 1000);

export class Inspector {
  private readonly policy: PermissionPolicy;
  private readonly gcMaxlifetime: number;
  private readonly now: () => number;
  private readonly flood: SignInFlood;
  private readonly locate: Locate;
  /** The hash an unknown user's decoy is shaped like: read once per connection. */
  private decoy: Promise<string> | null = null;
  /**
   * What each operator's previous access check found: their stored roles (whose config
   * is then read alongside the account, in the same round trip) and whether they could
   * inspect others (a search then runs alongside the check). Guesses only: every call
   * still reads and decides from the database; a wrong guess costs one more query.
   */
  private readonly previousCheck = new Map<number, { roles: string[]; other: boolean }>();

  constructor(
    readonly site: DrupalSite,
    private readonly options: InspectorOptions,
  ) {
    this.policy = { superUser: options.superUser ?? true };
    this.gcMaxlifetime = options.gcMaxlifetime ?? DEFAULT_GC_MAXLIFETIME;
    this.now = options.now ?? unixNow;
    this.flood = options.signInFlood ?? SignInFlood.in(dirname(options.auditLog.file));
    this.locate = options.locate ?? locateCountry;
  }

  get readOnly(): boolean {
    return this.site.db.readOnly;
  }

  /** The dump this site was imported from, when it was; null for a database or SQLite file. */
  get snapshot(): SnapshotRecord | null {
    return this.options.snapshot ?? null;
  }

  /** The time activity is judged against. */
  asOf(): number {
    return this.options.asOf ?? this.now();
  }

  /**
   * Checks a Drupal username and password, as Drupal's login does: the exact spelling
   * first, else any letter case; an empty password never; a blocked account is refused.
   * Failures count toward flood control (per name and per site, on this computer).
   */
  async signIn(name: string, password: string): Promise<Operator> {
    const typed = name.trim();
    if (typed === '' || password === '') throw new AppFailure('SIGN_IN_FAILED', 'Enter your Drupal username and password.');
    const site = siteKey(this.site.db.description);
    this.flood.assertAllowed(site, typed);
    const match = await matchUserName(this.site, typed);
    if (match.kind === 'several') {
      this.flood.recordFailure(site, typed);
      throw new AppFailure(
        'SIGN_IN_FAILED',
        `Several accounts are named "${typed}" apart from letter case: type your username exactly as it is spelt.`,
      );
    }
    const credentials = match.kind === 'one' ? await getCredentials(this.site, match.uid) : null;
    const tooCostly = credentials?.pass ? excessiveHashCost(credentials.pass) : null;
    if (tooCostly !== null) {
      // Counted like a failure: the refusal must not become an unlimited probe for names.
      this.flood.recordFailure(site, typed);
      throw new AppFailure(
        'SIGN_IN_FAILED',
        `This account's stored password hash is ${tooCostly}, more work than Session Inspector will do for one sign-in. ` +
          'Sign in with another account, or have Drupal store a new password for this one.',
      );
    }
    // For an unknown user, check a decoy shaped like this site's typical hash, so that
    // "unknown user" and "wrong password" take the same time.
    const stored = credentials?.pass ?? (await this.decoyHash());
    const valid = await verifyPassword(password, stored);
    if (!credentials || !valid || !credentials.pass) {
      this.flood.recordFailure(site, typed);
      throw new AppFailure('SIGN_IN_FAILED', SIGN_IN_FAILED);
    }
    if (credentials.status !== 1) {
      throw new AppFailure('SIGN_IN_FAILED', `The account "${credentials.name}" is blocked on this site.`);
    }
    this.flood.recordSuccess(site, typed);
    return { uid: credentials.uid, name: credentials.name };
  }

  private decoyHash(): Promise<string> {
    this.decoy ??= typicalHash(this.site).then(decoyHashLike);
    // A failed read is not cached: the next sign-in asks again.
    return this.decoy.catch((error: unknown) => {
      this.decoy = null;
      throw error;
    });
  }

  /** The uid a reference names; refuses a name that matches several accounts. */
  private async resolve(ref: UserRef): Promise<number | null | { several: Array<{ uid: number; name: string }> }> {
    if ('uid' in ref) return ref.uid;
    const match = 'mail' in ref ? await matchUserMail(this.site, ref.mail.trim()) : await matchUserName(this.site, ref.name.trim());
    return match.kind === 'one' ? match.uid : match.kind === 'none' ? null : { several: match.accounts };
  }

  /** Re-reads the operator's status and roles: a block or demotion takes effect at once. */
  private async account(operator: Operator): Promise<Account & { name: string }> {
    const guessed = [AUTHENTICATED_ROLE, ...(this.previousCheck.get(operator.uid)?.roles ?? [])];
    // One round trip: the account with its roles, and the config of the roles it had last time.
    const [state, guessedRoles] = await Promise.all([
      getAccountState(this.site, operator.uid),
      loadRoles(this.site.db, this.site.tables, guessed),
    ]);
    if (!state) {
      throw new AppFailure('ACCESS_DENIED', 'Your Drupal account no longer exists on this site. Sign in again.');
    }
    if (state.status !== 1) {
      throw new AppFailure('ACCESS_DENIED', `Your Drupal account "${state.name}" has been blocked.`);
    }
    const ids = [AUTHENTICATED_ROLE, ...state.roles];
    const unchanged = ids.length === guessed.length && ids.every((id, i) => id === guessed[i]);
    const roles = unchanged ? guessedRoles : await loadRoles(this.site.db, this.site.tables, ids);
    const account = { uid: operator.uid, name: state.name, roles };
    this.previousCheck.set(operator.uid, { roles: state.roles, other: hasPermission(account, INSPECT_OTHER, this.policy) });
    return account;
  }

  async whoami(operator: Operator): Promise<OperatorInfo> {
    const account = await this.account(operator);
    const canInspectOwn = hasPermission(account, INSPECT_OWN, this.policy) || hasPermission(account, INSPECT_OTHER, this.policy);
    return {
      uid: account.uid,
      name: account.name,
      roles: account.roles.map((r) => r.id),
      canInspectOwn,
      canInspectOther: hasPermission(account, INSPECT_OTHER, this.policy),
      canAdministerUsers: hasPermission(account, ADMINISTER_USERS, this.policy),
      ...(canInspectOwn ? {} : { noAccess: (await this.noAccess()).message }),
    };
  }

  /**
   * Resolves the target and applies session_inspector's access rule. A user who may
   * only inspect their own sessions learns nothing about whether others exist.
   */
  private async authorize(operator: Operator, ref: UserRef): Promise<{ account: Account & { name: string }; user: UserSummary }> {
    // The check and the lookup run side by side (fewer round trips); nothing about the
    // target leaves this method unless the access rule allows it.
    const [account, { resolved, user }] = await Promise.all([
      this.account(operator),
      this.resolve(ref).then(async (resolved) => ({ resolved, user: typeof resolved === 'number' ? await getUser(this.site, resolved) : null })),
    ]);
    const uid = typeof resolved === 'number' ? resolved : null;
    // An ambiguous name is judged as "someone else": it is named only to those who may see others.
    if (!canInspect(account, uid, this.policy)) {
      if (!hasPermission(account, INSPECT_OWN, this.policy)) throw await this.noAccess();
      throw new AppFailure('ACCESS_DENIED', 'You may only inspect your own sessions ("inspect other user sessions" is missing).');
    }
    if (resolved !== null && typeof resolved === 'object') throw ambiguousName(describeUserRef(ref), resolved.several);
    if (!user) {
      const what = 'uid' in ref ? `with uid ${ref.uid}` : 'mail' in ref ? `with the e-mail address "${ref.mail.trim()}"` : `named "${ref.name.trim()}"`;
      // "sessions 2" most likely meant the account with uid 2.
      const hint = 'name' in ref && /^\d+$/.test(ref.name.trim()) ? ` For the account with uid ${ref.name.trim()}, write uid:${ref.name.trim()}.` : '';
      throw new AppFailure('NOT_FOUND', `No user ${what} on this site.${hint}`);
    }
    return { account, user };
  }

  /**
   * The refusal for an operator with neither session permission: it names them, and
   * the roles that have them; where no role has them, the site most likely lacks the
   * session_inspector module, and asking for a grant would not help.
   */
  private async noAccess(): Promise<AppFailure> {
    const missing = `"${INSPECT_OWN}" nor "${INSPECT_OTHER}"`;
    const granting = await rolesGranting(this.site.db, this.site.tables, [INSPECT_OWN, INSPECT_OTHER]).catch(() => null);
    if (granting === null) return new AppFailure('ACCESS_DENIED', `Your account has neither ${missing}.`);
    const modular = granting.filter((role) => !role.isAdmin);
    if (modular.length === 0) {
      return new AppFailure(
        'ACCESS_DENIED',
        `Your account has neither ${missing}, and no role on this site has them: the session_inspector module is most likely not installed. ` +
          (granting.length > 0 ? `Sign in with an administrator account (role: ${granting.map((r) => r.label).join(', ')}), or install the module and grant its permissions.` : 'Install the module and grant its permissions, or sign in as uid 1.'),
      );
    }
    return new AppFailure('ACCESS_DENIED', `Your account has neither ${missing}. Roles that have them: ${modular.map((r) => r.label).join(', ')}; ask a site administrator for one.`);
  }

  /** One user's summary, under the same access rule as their sessions. */
  async user(operator: Operator, ref: UserRef): Promise<UserSummary> {
    return (await this.authorize(operator, ref)).user;
  }

  async searchUsers(operator: Operator, text: string, page: { limit: number; offset: number; contains?: boolean; sort?: UserSort }): Promise<UserPage> {
    const query = {
      text,
      limit: Math.min(Math.max(1, Math.trunc(page.limit)), MAX_PAGE_SIZE),
      offset: Math.max(0, Math.trunc(page.offset)),
      ...(page.contains ? { contains: true } : {}),
      ...(page.sort && page.sort !== 'name' ? { sort: page.sort } : {}),
    };
    // An operator who could see everyone last time most likely still can: search while
    // checking. The answer is used only if the check allows it, and only then.
    const early = this.previousCheck.get(operator.uid)?.other
      ? searchUsers(this.site, query).then((value) => ({ value }), (error: unknown) => ({ error }))
      : null;
    const account = await this.account(operator);
    const other = hasPermission(account, INSPECT_OTHER, this.policy);
    if (!other && !hasPermission(account, INSPECT_OWN, this.policy)) {
      throw await this.noAccess();
    }
    if (other && early) {
      const found = await early;
      if ('error' in found) throw found.error;
      return found.value;
    }
    // Without "inspect other user sessions" the only user one may look at is oneself.
    return searchUsers(this.site, { ...query, ...(other ? {} : { onlyUid: account.uid }) });
  }

  /**
   * The board's filters, resolved and checked: the user named, the IP parsed, and the
   * access rule applied. Null criteria: nothing can match (an inspect-own operator
   * asking for orphans).
   */
  private async boardCriteria(operator: Operator, filter: SessionFilter): Promise<{ account: Account & { name: string }; criteria: BoardCriteria | null }> {
    const ip = filter.ip !== undefined ? parseIpFilter(filter.ip) : undefined;
    const [account, resolved] = await Promise.all([this.account(operator), filter.user ? this.resolve(filter.user) : Promise.resolve(undefined)]);
    const other = hasPermission(account, INSPECT_OTHER, this.policy);
    if (!other && !hasPermission(account, INSPECT_OWN, this.policy)) {
      throw await this.noAccess();
    }
    let uid: number | undefined;
    if (filter.user) {
      const target = typeof resolved === 'number' ? resolved : null;
      if (!canInspect(account, target, this.policy)) {
        throw new AppFailure('ACCESS_DENIED', 'You may only inspect your own sessions ("inspect other user sessions" is missing).');
      }
      if (resolved !== null && typeof resolved === 'object') throw ambiguousName(describeUserRef(filter.user), resolved.several);
      if (resolved === null || resolved === undefined) throw new AppFailure('NOT_FOUND', `No user ${describeUserRef(filter.user)} on this site.`);
      uid = resolved;
    }
    const { user: _user, ip: _ip, ...rest } = filter;
    // One's own account is no orphan.
    if (!other && rest.orphan) return { account, criteria: null };
    return {
      account,
      criteria: {
        ...rest,
        ...(ip ? { ip } : {}),
        // Without "inspect other user sessions" the only sessions one may see are one's own.
        ...(other ? (uid !== undefined ? { uid } : {}) : { uid: account.uid, includeAnonymous: false }),
      },
    };
  }

  /**
   * The site-wide session board: every session that passes the filters, newest use
   * first. It takes "inspect other user sessions"; an operator with only "inspect own"
   * gets their own sessions, and nothing that tells whether anyone else exists.
   */
  async siteSessions(operator: Operator, filter: SessionFilter, page: { limit?: number; offset?: number } = {}): Promise<SiteSessionPage> {
    const { criteria } = await this.boardCriteria(operator, filter);
    const query = this.boardQuery(page);
    if (!criteria) return { asOf: query.asOf, offset: query.offset, total: 0, totalIsExact: true, byState: { active: 0, idle: 0, stale: 0 }, sessions: [] };
    const found = await listSiteSessions(this.site, criteria, query);
    await this.nameMasqueraders(found.sessions);
    const warnings = this.afterAsOf(found.sessions);
    return warnings.length > 0 ? { ...found, warnings } : found;
  }

  /** The matching sessions grouped by client address ("who else is on 203.0.113.5?"). */
  async ipGroups(operator: Operator, filter: SessionFilter, page: { limit?: number; offset?: number } = {}): Promise<IpGroupPage> {
    const { criteria } = await this.boardCriteria(operator, filter);
    const query = this.boardQuery(page);
    if (!criteria) return { asOf: query.asOf, offset: query.offset, total: 0, totalIsExact: true, ips: [] };
    return listIpGroups(this.site, criteria, query);
  }

  /**
   * What is worth a look on the site: addresses shared by several accounts, accounts
   * live in several countries at once, sessions of blocked or deleted accounts, and sessions beyond a policy's absolute age and idle time
   * (by default NIST SP 800-63B's AAL2: 24 h and 1 h), as a report, not as errors.
   */
  async anomalies(operator: Operator, policy: { maxAge?: number; maxIdle?: number } = {}): Promise<AnomalyReport> {
    const { criteria } = await this.boardCriteria(operator, {});
    const asOf = this.asOf();
    const limits = { maxAge: policy.maxAge ?? NIST_AAL2.maxAge, maxIdle: policy.maxIdle ?? NIST_AAL2.maxIdle };
    if (!criteria) return { asOf, policy: limits, anomalies: [] };
    const query = { asOf, gcMaxlifetime: this.gcMaxlifetime, locate: this.locate, limit: ANOMALY_LISTED, offset: 0 };
    const sessionsWhere = async (extra: Partial<BoardCriteria>) => listSiteSessions(this.site, { ...criteria, ...extra }, query);
    const anomaly = (kind: Anomaly['kind'], page: SiteSessionPage, detail: string): Anomaly => ({
      kind,
      detail,
      count: page.total,
      uids: [...new Set(page.sessions.map((s) => s.uid))],
      sids: page.sessions.map((s) => s.sid),
    });
    const counted = (page: SiteSessionPage) => `${page.total.toLocaleString('en')}${page.totalIsExact ? '' : '+'} session${page.total === 1 ? '' : 's'}`;
    const found: Anomaly[] = [];

    const groups = await listIpGroups(this.site, criteria, { ...query, limit: SHARED_IPS_LISTED });
    for (const group of groups.ips.filter((g) => g.accounts >= 2)) {
      const page = await sessionsWhere({ ip: parseIpFilter(group.ip) });
      found.push(anomaly('shared-ip', page, `${group.ip} is used by ${group.accounts} accounts (${counted(page)}), last at ${exactUtc(group.lastUsed)}.`));
    }
    for (const account of (await accountsInSeveralPlaces(this.site, criteria, query)).slice(0, SHARED_IPS_LISTED)) {
      found.push({
        kind: account.by === 'country' ? 'multi-country' : 'multi-network',
        detail: `uid ${account.uid} has live sessions from ${account.places.length} ${account.by === 'country' ? 'countries' : 'networks'} at once (${account.places.join(', ')}).`,
        count: account.sids.length,
        uids: [account.uid],
        sids: account.sids.slice(0, ANOMALY_LISTED),
      });
    }
    const blocked = await sessionsWhere({ ownerBlocked: true });
    if (blocked.total > 0) found.push(anomaly('blocked-owner', blocked, `${counted(blocked)} of blocked accounts are still stored: they cannot sign in, but are worth removing.`));
    const orphans = await sessionsWhere({ orphan: true });
    if (orphans.total > 0) found.push(anomaly('orphan', orphans, `${counted(orphans)} belong to accounts that no longer exist.`));
    const old = await sessionsWhere({ createdBefore: asOf - limits.maxAge });
    if (old.total > 0) found.push(anomaly('absolute-age', old, `${counted(old)} were created more than ${formatDuration(limits.maxAge)} ago (policy: at most ${formatDuration(limits.maxAge)}).`));
    const idle = await sessionsWhere({ usedBefore: asOf - limits.maxIdle });
    if (idle.total > 0) found.push(anomaly('idle', idle, `${counted(idle)} have been idle for more than ${formatDuration(limits.maxIdle)} (policy: at most ${formatDuration(limits.maxIdle)} idle).`));
    return { asOf, policy: limits, anomalies: found };
  }

  private boardQuery(page: { limit?: number; offset?: number }) {
    return {
      asOf: this.asOf(),
      gcMaxlifetime: this.gcMaxlifetime,
      locate: this.locate,
      limit: Math.min(Math.max(1, Math.trunc(page.limit ?? BOARD_PAGE_SIZE)), MAX_BOARD_PAGE_SIZE),
      offset: Math.max(0, Math.trunc(page.offset ?? 0)),
    };
  }

  /**
   * A revoke by criteria, planned: exactly the sessions that match now, as (uid, sid),
   * checked as the revoke will be (access, read-only, audit log), so that a preview never
   * shows a revoke that will then be refused.
   */
  async planRevokeMatching(operator: Operator, filter: SessionFilter): Promise<RevokePlan & { sessions: MatchedSession[]; rememberMeOf: number | null }> {
    const { criteria } = await this.boardCriteria(operator, filter);
    this.assertCanRevoke();
    const asOf = this.asOf();
    if (!criteria) return { asOf, total: 0, users: 0, rememberMe: null, sessions: [], rememberMeOf: null };
    // Filtered to one user: their remember-me tokens go too, or they sign straight back in.
    const tokens = filter.user && criteria.uid !== undefined ? await listRememberMe(this.site, criteria.uid) : null;
    const { sessions, more } = await matchSessions(this.site, criteria, { asOf, gcMaxlifetime: this.gcMaxlifetime, limit: 0, offset: 0 }, MAX_REVOKE_MATCHES);
    if (more) {
      throw new AppFailure(
        'USAGE',
        `These filters match more than ${MAX_REVOKE_MATCHES.toLocaleString('en')} sessions, more than one revoke may cover. ` +
          'Narrow them (by state, last use or address) and revoke in parts.',
      );
    }
    return {
      asOf,
      total: sessions.length,
      users: new Set(sessions.map((s) => s.uid)).size,
      rememberMe: tokens === null ? null : tokens.length,
      sessions,
      rememberMeOf: tokens === null ? null : criteria.uid ?? null,
    };
  }

  /**
   * Deletes exactly these sessions, those that still exist (nothing that appeared since
   * they were matched), each bound to its uid, in transactions of REVOKE_BATCH sessions,
   * each all or nothing, with watchdog rows and an audit intent per batch. A failed batch
   * stops the revoke; the error says how many earlier batches revoked.
   */
  async revokeMatching(operator: Operator, sessions: ReadonlyArray<{ uid: number; sid: string }>, options: { rememberMeOf?: number | null } = {}): Promise<MatchedRevokeResult> {
    const account = await this.account(operator);
    const tokensOf = options.rememberMeOf ?? null;
    const uids = [...new Set([...sessions.map((s) => s.uid), ...(tokensOf !== null ? [tokensOf] : [])])];
    if (uids.some((uid) => !canInspect(account, uid, this.policy))) {
      throw new AppFailure('ACCESS_DENIED', 'You may only revoke your own sessions ("inspect other user sessions" is missing).');
    }
    this.assertCanRevoke();
    const names = await accountNames(this.site, uids);
    const nameOf = (uid: number) => names.get(uid) ?? (uid === 0 ? 'anonymous' : `uid ${uid} (no account)`);
    const time = this.now();
    const shared = {
      time: new Date(time * 1000).toISOString(),
      operator: { uid: account.uid, name: account.name },
      site: this.site.db.description,
      action: 'revoke-matching' as const,
    };
    const done = new Set<number>();
    const revoked: Array<{ uid: number; sid: string }> = [];
    let rememberMeRevoked: number | null = null;
    // At least one batch: a user with remember-me tokens and no session left still has them deleted.
    const batches = sessions.length === 0 && tokensOf !== null ? 1 : Math.ceil(sessions.length / REVOKE_BATCH);
    for (let index = 0; index < batches; index++) {
      const batch = sessions.slice(index * REVOKE_BATCH, (index + 1) * REVOKE_BATCH);
      let prepared: PreparedRecord | null = null;
      let committing = false;
      try {
        const deleted = await this.site.db.transaction(async (tx) => {
          const found = await deleteSessionKeys(tx, this.site, batch);
          // The user's tokens go with the first batch of their sessions.
          const tokens = index === 0 && tokensOf !== null ? await deleteRememberMe(tx, this.site, tokensOf) : null;
          if (index === 0) rememberMeRevoked = tokens;
          const byUid = new Map<number, string[]>();
          for (const s of found) {
            const prefixes = byUid.get(s.uid);
            if (prefixes) prefixes.push(sidPrefix(s.sid));
            else byUid.set(s.uid, [sidPrefix(s.sid)]);
          }
          if (tokens && !byUid.has(tokensOf!)) byUid.set(tokensOf!, []);
          const withTokens = (uid: number) => (tokens && uid === tokensOf ? { rememberMeTokens: tokens } : {});
          await writeWatchdogRows(tx, this.site, [...byUid].map(([uid, sidPrefixes]) => ({
            operatorUid: account.uid, operatorName: account.name, targetName: nameOf(uid), sidPrefixes, time, ...withTokens(uid),
          })));
          // Durable before COMMIT: a revoke that cannot be recorded does not happen.
          const entries: AuditEntry[] = found.map((s) => ({
            ...shared, target: { uid: s.uid, name: nameOf(s.uid) }, sidPrefix: sidPrefix(s.sid), hostname: s.hostname, ...withTokens(s.uid),
          }));
          if (tokens && !found.some((s) => s.uid === tokensOf)) {
            entries.push({ ...shared, target: { uid: tokensOf!, name: nameOf(tokensOf!) }, sidPrefix: '', hostname: '', rememberMeTokens: tokens });
          }
          prepared = this.options.auditLog.prepare(entries);
          committing = true;
          return found;
        });
        (prepared as PreparedRecord | null)?.settle('committed');
        for (const s of deleted) {
          revoked.push({ uid: s.uid, sid: s.sid });
          done.add(s.uid);
        }
      } catch (error) {
        if (!committing) (prepared as PreparedRecord | null)?.settle('aborted');
        const failure = error instanceof AppFailure ? error : new AppFailure('DATABASE', (error as Error).message);
        if (revoked.length === 0) throw failure;
        throw new AppFailure(failure.code, `${failure.message} Before that, ${revoked.length} of the ${sessions.length} sessions were revoked (in earlier batches); run the same filters again for the rest.`);
      }
    }
    return { revoked, alreadyGone: sessions.length - revoked.length, users: done.size, rememberMeRevoked };
  }

  /** Read-only connections and an unwritable audit log refuse every revoke, before anything is deleted. */
  private assertCanRevoke(): void {
    if (this.options.snapshot) {
      throw new AppFailure('READ_ONLY', `This is a snapshot of the dump ${this.options.snapshot.source.path}: nothing in it can be revoked. Revoke on the live site.`);
    }
    if (this.readOnly) {
      throw new AppFailure('READ_ONLY', 'This connection is read-only (a snapshot audit): sessions cannot be revoked through it.');
    }
    this.options.auditLog.assertWritable();
  }

  /**
   * What changed from `before` (another copy of the site, its operator signed in there)
   * to this one: every account and session change, in uid order. Both sides need
   * "inspect other user sessions": a diff shows everyone.
   */
  async diffFrom(operator: Operator, before: Inspector, beforeOperator: Operator): Promise<AsyncGenerator<SiteDiffChange>> {
    for (const [side, who] of [[this, operator], [before, beforeOperator]] as const) {
      const account = await side.account(who);
      if (!hasPermission(account, INSPECT_OTHER, side.policy)) {
        throw new AppFailure('ACCESS_DENIED', `Comparing sites shows every account: your account needs "inspect other user sessions" on ${side === this ? 'both sides' : 'the other side too'}.`);
      }
    }
    const [from, to] = [before.site, this.site];
    return (async function* () {
      yield* accountChanges(from, to);
      yield* sessionChanges(from, to);
    })();
  }

  /** A page of a user's sessions (newest first), with their totals per state. */
  async sessions(operator: Operator, ref: UserRef, page: { limit?: number; offset?: number } = {}): Promise<UserSessions> {
    return this.sessionsOf((await this.authorize(operator, ref)).user, {
      limit: Math.min(Math.max(1, Math.trunc(page.limit ?? SESSION_PAGE_SIZE)), MAX_SESSION_PAGE_SIZE),
      offset: Math.max(0, Math.trunc(page.offset ?? 0)),
    });
  }

  private async sessionsOf(user: UserSummary, page: { limit: number; offset: number; sids?: string[] }): Promise<UserSessions> {
    const asOf = this.asOf();
    const [found, rememberMe] = await Promise.all([
      listSessions(this.site, user.uid, { asOf, gcMaxlifetime: this.gcMaxlifetime, locate: this.locate, ...page }),
      listRememberMe(this.site, user.uid),
    ]);
    await this.nameMasqueraders(found.sessions);
    const warnings = this.afterAsOf(found.sessions);
    return { asOf, user, offset: page.offset, ...found, rememberMe, ...(warnings.length > 0 ? { warnings } : {}) };
  }

  /**
   * "Masquerade by admin", not "by uid 1": the masquerading accounts of a page, named in
   * one query (none when nobody on the page is masquerading). A deleted account: null.
   */
  private async nameMasqueraders(sessions: SessionInfo[]): Promise<void> {
    const uids = sessions.flatMap((s) => (s.masqueradeBy !== null ? [s.masqueradeBy] : []));
    if (uids.length === 0) return;
    const names = await accountNames(this.site, uids);
    for (const session of sessions) {
      if (session.masqueradeBy !== null) session.masqueradeByName = names.get(session.masqueradeBy) ?? null;
    }
  }

  /**
   * A snapshot judged "as of" a time before its own activity gives states that mean
   * nothing ("active", "created in 9 min"): say so, once per answer.
   */
  private afterAsOf(sessions: SessionInfo[]): string[] {
    if (this.options.asOf === undefined) return [];
    const asOf = this.options.asOf;
    const later = sessions.filter((s) => s.timestamp > asOf || (s.created ?? 0) > asOf);
    if (later.length === 0) return [];
    const latest = Math.max(...later.map((s) => Math.max(s.timestamp, s.created ?? 0)));
    return [
      `${later.length} session${later.length === 1 ? ' was' : 's were'} used or created after the as-of time (${exactUtc(asOf)}), ` +
        `up to ${exactUtc(latest)}: their states and times are not meaningful as of then. Choose an as-of time after the data's activity.`,
    ];
  }

  /**
   * Revokes the given sessions of one user, all or nothing: a sid that is not theirs is
   * "not found". A sid may be given by a unique prefix of at least 8 characters (what the
   * app shows); an ambiguous one is refused with its matches.
   */
  async revoke(operator: Operator, ref: UserRef, sids: string[]): Promise<RevokeResult> {
    return this.revokeWhere(operator, ref, distinctSids(sids), false, true);
  }

  /** Full sids for the prefixes among `sids` (the user's sessions only); others unchanged. */
  private async expandPrefixes(uid: number, sids: string[]): Promise<string[]> {
    const expanded: string[] = [];
    for (const sid of sids) {
      if (sid.length >= FULL_SID_LENGTH || sid.length < SID_PREFIX_LENGTH) {
        expanded.push(sid);
        continue;
      }
      const matches = await sidsWithPrefix(this.site, uid, sid);
      if (matches.includes(sid)) {
        // A whole sid of another length (older cores): itself, not a prefix.
        expanded.push(sid);
        continue;
      }
      if (matches.length > 1) {
        throw new AppFailure(
          'USAGE',
          `The session id prefix ${sid}… matches ${matches.length > 10 ? 'more than 10' : matches.length} of this user's sessions ` +
            `(${matches.slice(0, 5).map((m) => `${m.slice(0, 12)}…`).join(', ')}): give more of it.`,
        );
      }
      expanded.push(matches[0] ?? sid);
    }
    return [...new Set(expanded)];
  }

  /**
   * Revokes all of a user's sessions (and remember-me tokens); with `block`, also blocks
   * the account in the same transaction, as Drupal does when it blocks one (it takes
   * Drupal's "administer users").
   */
  async revokeAll(operator: Operator, ref: UserRef, options: { block?: boolean } = {}): Promise<RevokeResult> {
    return this.revokeWhere(operator, ref, 'all', options.block === true);
  }

  /** Unblocks an account (every translation), with "administer users". Sessions are not touched. */
  async unblock(operator: Operator, ref: UserRef): Promise<UnblockResult> {
    const { account, user } = await this.authorizeRevoke(operator, ref);
    this.assertCanBlock(account, user.uid, 'unblock');
    const time = this.now();
    let prepared: PreparedRecord | null = null;
    let committing = false;
    let warning: string | null = null;
    try {
      await this.site.db.transaction(async (tx) => {
        await setAccountStatus(tx, this.site, user.uid, 1);
        warning = await forgetCachedAccount(tx, this.site, user.uid);
        await writeWatchdog(tx, this.site, {
          operatorUid: account.uid, operatorName: account.name, targetName: user.name, sidPrefixes: [], time, accountStatus: 'active',
        });
        prepared = this.options.auditLog.prepare([{
          time: new Date(time * 1000).toISOString(),
          operator: { uid: account.uid, name: account.name },
          site: this.site.db.description,
          target: { uid: user.uid, name: user.name },
          sidPrefix: '',
          hostname: '',
          action: 'unblock',
          accountStatus: 'active',
        }]);
        committing = true;
      });
    } catch (error) {
      if (!committing) (prepared as PreparedRecord | null)?.settle('aborted');
      throw error;
    }
    (prepared as PreparedRecord | null)?.settle('committed');
    return { unblocked: true, warnings: warning ? [warning] : [] };
  }

  /** Blocking takes Drupal's "administer users", and never one's own account. */
  private assertCanBlock(account: Account & { name: string }, uid: number, what: 'block' | 'unblock'): void {
    if (!hasPermission(account, ADMINISTER_USERS, this.policy)) {
      throw new AppFailure('ACCESS_DENIED', `To ${what} accounts, your account needs Drupal's "administer users" permission.`);
    }
    if (what === 'block' && uid === account.uid) {
      throw new AppFailure('USAGE', 'You cannot block your own account: you would lock yourself out. Ask another administrator.');
    }
  }

  /**
   * What a revoke would remove, checked exactly as the revoke will be (access,
   * read-only, every sid theirs), so a prompt never asks about a revoke that will fail.
   */
  async previewRevoke(operator: Operator, ref: UserRef, sids: string[] | 'all', shown = PREVIEW_SESSIONS): Promise<UserSessions> {
    const { user } = await this.authorizeRevoke(operator, ref);
    // "All": the first sessions and the totals, never every row of a user with 350,000.
    if (sids === 'all') return this.sessionsOf(user, { limit: shown, offset: 0 });
    const wanted = await this.expandPrefixes(user.uid, distinctSids(sids));
    const found = await this.sessionsOf(user, { limit: wanted.length, offset: 0, sids: wanted });
    // Compared exactly: MySQL's ascii_general_ci column would match a sid in the wrong case.
    const chosen = found.sessions.filter((s) => wanted.includes(s.sid));
    const missing = wanted.filter((sid) => !chosen.some((s) => s.sid === sid));
    if (missing.length > 0) throw notFound(missing, user.name);
    return { ...found, sessions: chosen, total: chosen.length };
  }

  /** This site's entries of the local audit log, for the users this operator may inspect. */
  async listAudit(operator: Operator, limit: number, options: { offset?: number; user?: UserRef } = {}): Promise<AuditPage> {
    const account = await this.account(operator);
    if (!hasPermission(account, INSPECT_OWN, this.policy) && !hasPermission(account, INSPECT_OTHER, this.policy)) {
      throw await this.noAccess();
    }
    // One user's entries: named as the sessions are, under the same access rule.
    const uid = options.user ? (await this.authorize(operator, options.user)).user.uid : null;
    const site = siteKey(this.site.db.description);
    const offset = Math.max(0, Math.trunc(options.offset ?? 0));
    const page = await this.options.auditLog.read(
      offset + limit,
      (entry) => siteKey(entry.site) === site && canInspect(account, entry.target.uid, this.policy) && (uid === null || entry.target.uid === uid),
    );
    return { ...page, entries: page.entries.slice(offset, offset + limit) };
  }

  /** Every check a revoke makes before it deletes anything. */
  private async authorizeRevoke(operator: Operator, ref: UserRef) {
    const authorized = await this.authorize(operator, ref);
    // Fail before deleting anything if the revoke could not be recorded.
    this.assertCanRevoke();
    return authorized;
  }

  private async revokeWhere(operator: Operator, ref: UserRef, given: string[] | 'all', block = false, prefixes = false): Promise<RevokeResult> {
    const { account, user } = await this.authorizeRevoke(operator, ref);
    if (block) this.assertCanBlock(account, user.uid, 'block');
    const sids = given !== 'all' && prefixes ? await this.expandPrefixes(user.uid, given) : given;
    const time = this.now();
    // What every session's record shares, made once (a revoke may cover 100,000 sessions).
    const shared = {
      time: new Date(time * 1000).toISOString(),
      operator: { uid: account.uid, name: account.name },
      site: this.site.db.description,
      target: { uid: user.uid, name: user.name },
      action: sids === 'all' ? ('revoke-all' as const) : ('revoke' as const),
    };
    const record = (session: { sid: string; hostname: string }): AuditEntry => ({
      ...shared,
      sidPrefix: sidPrefix(session.sid),
      hostname: session.hostname,
    });
    let prepared: PreparedRecord | null = null;
    let committing = false;
    let revoked;
    let tokens: number | null = null;
    let cacheWarning: string | null = null;
    const blocked = block ? { accountStatus: 'blocked' as const } : {};
    try {
      revoked = await this.site.db.transaction(async (tx) => {
        const found = await deleteSessions(tx, this.site, user.uid, sids);
        if (sids !== 'all' && found.length < sids.length) {
          // Throwing rolls the transaction back: all or nothing.
          const deleted = new Set(found.map((s) => s.sid));
          throw notFound(sids.filter((sid) => !deleted.has(sid)), user.name);
        }
        // "Revoke all" signs the user out everywhere: their remember-me tokens would sign
        // them straight back in, so they go in the same transaction.
        if (sids === 'all') tokens = await deleteRememberMe(tx, this.site, user.uid);
        if (block) {
          await setAccountStatus(tx, this.site, user.uid, 0);
          cacheWarning = await forgetCachedAccount(tx, this.site, user.uid);
        }
        await writeWatchdog(tx, this.site, {
          operatorUid: account.uid,
          operatorName: account.name,
          targetName: user.name,
          sidPrefixes: found.map((s) => sidPrefix(s.sid)),
          time,
          ...(tokens ? { rememberMeTokens: tokens } : {}),
          ...blocked,
        });
        // Durable before COMMIT: a revoke that cannot be recorded does not happen.
        const entries = found.map((session) => ({ ...record(session), ...(tokens ? { rememberMeTokens: tokens } : {}), ...blocked }));
        // Tokens or a block but no session: still one record of what was done.
        if (entries.length === 0 && (tokens || block)) {
          entries.push({ ...record({ sid: '', hostname: '' }), ...(tokens ? { rememberMeTokens: tokens } : {}), ...blocked });
        }
        prepared = this.options.auditLog.prepare(entries);
        committing = true;
        return found;
      });
    } catch (error) {
      // Rolled back for sure only if COMMIT was never sent; otherwise the outcome is
      // unknown and the intent stays unconfirmed.
      if (!committing) (prepared as PreparedRecord | null)?.settle('aborted');
      throw error;
    }
    (prepared as PreparedRecord | null)?.settle('committed');
    return {
      revoked: revoked.map((s) => s.sid),
      ...(sids === 'all' ? { rememberMeRevoked: tokens } : {}),
      ...(block ? { blocked: true, warnings: cacheWarning ? [cacheWarning] : [] } : {}),
    };
  }
}
