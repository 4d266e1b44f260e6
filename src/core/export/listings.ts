/**
 * The listings as CSV: the CLI's `--format csv` and the app's "Export CSV" write these
 * columns (one row per item, the column names first). Never a secret: the lists hold
 * none (no session data, no tokens, no hashes).
 */
import type { AnomalyReport, AuditPage, IpGroupPage, SiteSessionPage, UserPage, UserSessions } from '../../shared/domain.js';
import { isoTime, toCsv } from './csv.js';

export type Listing =
  | { kind: 'users'; value: UserPage }
  | { kind: 'sessions'; value: UserSessions }
  | { kind: 'siteSessions'; value: SiteSessionPage }
  | { kind: 'ips'; value: IpGroupPage }
  | { kind: 'anomalies'; value: AnomalyReport }
  | { kind: 'audit'; value: AuditPage };

export function listingCsv(listing: Listing): string {
  switch (listing.kind) {
    case 'users':
      return toCsv(
        ['uid', 'name', 'mail', 'status', 'roles', 'sessions', 'created', 'access', 'login'],
        listing.value.users.map((u) => [u.uid, u.name, u.mail, u.status, u.roles.join(' '), u.sessionCount, isoTime(u.created), isoTime(u.access), isoTime(u.login)]),
      );
    case 'sessions': {
      const { user } = listing.value;
      return toCsv(
        ['uid', 'name', 'sid', 'hostname', 'country', 'addressKind', 'state', 'created', 'lastUsed', 'lifetime', 'masqueradeBy', 'passwordReset', 'client', 'browser', 'readable'],
        listing.value.sessions.map((s) => [
          user.uid, user.name, s.sid, s.hostname, s.country, s.addressKind, s.state, isoTime(s.created), isoTime(s.timestamp), s.lifetime,
          s.masqueradeBy, s.passwordReset, s.client, s.browser, s.readable,
        ]),
      );
    }
    case 'siteSessions':
      return toCsv(
        ['uid', 'name', 'ownerStatus', 'sid', 'hostname', 'country', 'addressKind', 'state', 'created', 'lastUsed', 'lifetime', 'masqueradeBy', 'passwordReset', 'client', 'browser', 'readable'],
        listing.value.sessions.map((s) => [
          s.uid, s.name, s.ownerStatus, s.sid, s.hostname, s.country, s.addressKind, s.state, isoTime(s.created), isoTime(s.timestamp), s.lifetime,
          s.masqueradeBy, s.passwordReset, s.client, s.browser, s.readable,
        ]),
      );
    case 'ips':
      return toCsv(
        ['ip', 'country', 'addressKind', 'accounts', 'sessions', 'lastUsed'],
        listing.value.ips.map((g) => [g.ip, g.country, g.addressKind, g.accounts, g.sessions, isoTime(g.lastUsed)]),
      );
    case 'anomalies':
      return toCsv(
        ['kind', 'detail', 'count', 'uids', 'sids'],
        listing.value.anomalies.map((a) => [a.kind, a.detail, a.count, a.uids.join(' '), a.sids.join(' ')]),
      );
    case 'audit':
      return toCsv(
        ['time', 'operatorUid', 'operator', 'targetUid', 'target', 'action', 'sidPrefix', 'hostname', 'rememberMeTokens', 'accountStatus', 'unconfirmed'],
        listing.value.entries.map((e) => [
          e.time, e.operator.uid, e.operator.name, e.target.uid, e.target.name, e.action, e.sidPrefix, e.hostname, e.rememberMeTokens, e.accountStatus, e.unconfirmed ?? false,
        ]),
      );
  }
}
