/** Readable tables for the CLI's human output. */
import type { AnomalyReport, AuditPage, IpGroupPage, Location, OperatorInfo, RememberMeToken, RevokeResult, SessionInfo, SiteSession, SiteSessionPage, UserPage, UserSessions, UserSummary } from '../shared/domain.js';
import { exactUtc, formatDuration, relativeTime } from '../shared/time.js';

/**
 * Output of our own making (table layout, messages): C0/C1 control characters other
 * than newline and tab are replaced, so nothing can drive the terminal.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

/**
 * Characters that change how text looks without showing themselves: line breaks and
 * tabs (a forged table row), bidirectional overrides and isolates (U+202E turns
 * "gpj.exe" around), zero-width characters, and the rest of C0/C1.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A value from the database (a name, a host, a user agent), made visible as it is: each
 * invisible or layout character is written as an escape (`\n`, `\t`, `\u{202E}`).
 * Every database value printed by the CLI goes through here.
 */
export function visible(value: string): string {
  return value.replace(INVISIBLE, (char) => NAMED[char] ?? `\\u{${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

function roles(user: UserSummary): string {
  return user.roles.length > 0 ? user.roles.map(visible).join(', ') : '-';
}

export function formatWhoami(info: OperatorInfo): string {
  return (
    `Operator:               ${visible(info.name)} (uid ${info.uid})\n` +
    `Roles:                  ${info.roles.map(visible).join(', ')}\n` +
    `Own sessions:           ${info.canInspectOwn ? 'may inspect and revoke' : 'no access'}\n` +
    `Other users' sessions:  ${info.canInspectOther ? 'may inspect and revoke' : 'no access'}\n`
  );
}

export function formatUsers(page: UserPage, offset: number, now: number): string {
  if (page.users.length === 0) {
    return page.total === 0 ? 'No users match.\n' : `No users on this page (${page.total} in all; lower --offset).\n`;
  }
  const body = table(
    ['UID', 'NAME', 'MAIL', 'STATUS', 'ROLES', 'SESSIONS', 'LAST ACCESS'],
    page.users.map((u) => [
      String(u.uid),
      visible(u.name),
      u.mail === null ? '-' : visible(u.mail),
      u.status,
      roles(u),
      String(u.sessionCount),
      relativeTime(u.access, now),
    ]),
  );
  const last = offset + page.users.length;
  const more = last < page.total || !page.totalIsExact ? ` Next page: --offset ${last}` : '';
  const total = page.totalIsExact ? String(page.total) : `more than ${page.total}`;
  return `${body}\nShowing ${offset + 1}-${last} of ${total}.${more}\n`;
}

/** An address with where it is: "81.2.69.160 (GB)", "10.0.0.5 (private)". */
function place(hostname: string, location: Location): string {
  if (!hostname) return '-';
  const where = [location.country ?? (location.addressKind && location.addressKind !== 'public' ? location.addressKind : null), location.city, location.network]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .map(visible)
    .join(', ');
  return where ? `${visible(hostname)} (${where})` : visible(hostname);
}

function flags(s: SessionInfo): string {
  const found = [
    s.masqueradeBy !== null ? `masquerade by uid ${s.masqueradeBy}` : '',
    s.passwordReset ? 'password reset pending' : '',
    s.readable ? '' : 'data unreadable',
  ].filter(Boolean);
  return found.join('; ') || '-';
}

function owner(s: SiteSession): string {
  if (s.uid === 0) return 'anonymous';
  if (s.name === null) return `uid ${s.uid} (no account)`;
  return `${visible(s.name)} (uid ${s.uid}${s.ownerStatus === 'blocked' ? ', blocked' : ''})`;
}

export function formatSiteSessions(page: SiteSessionPage): string {
  const { sessions, asOf, total, totalIsExact, byState, offset } = page;
  const head = `Sessions on this site as of ${exactUtc(asOf)}\n`;
  if (total === 0) return `${head}\nNo sessions match.\n`;
  const counted = totalIsExact ? String(total) : `more than ${total}`;
  const counts = `${counted} in all: ${byState.active} active, ${byState.idle} idle, ${byState.stale} stale${totalIsExact ? '' : ' (counted in the first matches)'}.`;
  if (sessions.length === 0) return `${head}\nNo sessions on this page (${counts} Lower --offset).\n`;
  const last = offset + sessions.length;
  const more = last < total || !totalIsExact ? ` Next page: --offset ${last}` : '';
  const rows = sessions.map((s) => [
    visible(s.sid),
    owner(s),
    s.state,
    place(s.hostname, s),
    `${relativeTime(s.timestamp, asOf)} (${exactUtc(s.timestamp)})`,
    s.created === null ? 'unknown' : relativeTime(s.created, asOf),
    flags(s),
  ]);
  return `${head}\n${table(['SID', 'USER', 'STATE', 'IP', 'LAST USED', 'CREATED', 'FLAGS'], rows)}\nShowing ${offset + 1}-${last} of ${counts}${more}\n`;
}

/** A dry run of a revoke by criteria: exactly the sessions that would go. */
export function formatRevokePlan(plan: { asOf: number; total: number; users: number; rememberMe: number | null; sessions: Array<{ uid: number; sid: string; hostname: string; timestamp: number }> }): string {
  const tokens = plan.rememberMe ? `The user's ${plan.rememberMe} remember-me token${plan.rememberMe === 1 ? '' : 's'} would be deleted too.\n` : '';
  if (plan.total === 0) return `No sessions match; no session would be revoked.\n${tokens}`;
  const rows = plan.sessions.map((s) => [visible(s.sid), String(s.uid), s.hostname ? visible(s.hostname) : '-', `${relativeTime(s.timestamp, plan.asOf)} (${exactUtc(s.timestamp)})`]);
  return `${table(['SID', 'UID', 'IP', 'LAST USED'], rows)}\nDry run: ${plan.total} session${plan.total === 1 ? '' : 's'} of ${plan.users} user${plan.users === 1 ? '' : 's'} would be revoked. ` +
    `Revoke them with --yes --expect ${plan.total}.\n${tokens}`;
}

/** A user's remember-me tokens, or that the site has none, in words. */
function formatRememberMe(tokens: RememberMeToken[] | null, asOf: number): string {
  if (tokens === null) return 'Remember-me tokens: none; this site has no persistent_login table.\n';
  if (tokens.length === 0) return 'Remember-me tokens (persistent_login): none.\n';
  const rows = tokens.map((t) => [
    `  series ${visible(t.seriesPrefix)}…`,
    `created ${relativeTime(t.created, asOf)}`,
    `used ${t.refreshed === null ? 'never' : relativeTime(t.refreshed, asOf)}`,
    t.expires === null ? 'never expires' : t.expires <= asOf ? `expired ${relativeTime(t.expires, asOf)}` : `expires ${relativeTime(t.expires, asOf)}`,
  ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
  return `Remember-me tokens (persistent_login): ${tokens.length}; revoking all deletes them too.\n${lines.join('\n')}\n`;
}

export function formatSessions(result: UserSessions): string {
  const { user, sessions, asOf, total, byState, offset } = result;
  const tokens = formatRememberMe(result.rememberMe, asOf);
  const head =
    `Sessions of ${visible(user.name)} (uid ${user.uid}, ${user.status}, roles: ${roles(user)}) as of ${exactUtc(asOf)}\n` +
    (user.status === 'blocked' && sessions.length > 0
      ? 'Note: this account is blocked; its leftover sessions cannot sign in, but may be revoked.\n'
      : '');
  if (total === 0) return `${head}\nNo sessions.\n${tokens}`;
  const counts = `${total} in all: ${byState.active} active, ${byState.idle} idle, ${byState.stale} stale.`;
  if (sessions.length === 0) return `${head}\nNo sessions on this page (${counts} Lower --offset).\n${tokens}`;
  const last = offset + sessions.length;
  const footer = `\nShowing ${offset + 1}-${last} of ${counts}${last < total ? ` Next page: --offset ${last}` : ''}\n`;
  const rows = sessions.map((s) => [
    visible(s.sid),
    s.state,
    place(s.hostname, s),
    `${relativeTime(s.timestamp, asOf)} (${exactUtc(s.timestamp)})`,
    s.created === null ? 'unknown' : relativeTime(s.created, asOf),
    formatDuration(s.lifetime),
    flags(s),
    s.client === null ? '-' : visible(s.client),
  ]);
  return `${head}\n${table(['SID', 'STATE', 'IP', 'LAST USED', 'CREATED', 'LIFETIME', 'FLAGS', 'BROWSER'], rows)}${footer}${tokens}`;
}

export function formatRevoked(result: RevokeResult, user: string): string {
  const tokens =
    (result.rememberMeRevoked ? `Deleted ${result.rememberMeRevoked} remember-me token${result.rememberMeRevoked === 1 ? '' : 's'} of ${visible(user)}.\n` : '') +
    (result.blocked ? `Blocked the account ${visible(user)}: it cannot sign in until unblocked.\n` : '');
  if (result.revoked.length === 0) return tokens ? `${visible(user)} had no sessions.\n${tokens}` : `${visible(user)} had no sessions; nothing was revoked.\n`;
  const noun = result.revoked.length === 1 ? 'session' : 'sessions';
  return `Revoked ${result.revoked.length} ${noun} of ${visible(user)}:\n${result.revoked.map((s) => `  ${visible(s)}\n`).join('')}${tokens}`;
}

export function formatIpGroups(page: IpGroupPage): string {
  if (page.total === 0) return 'No sessions match.\n';
  if (page.ips.length === 0) return `No addresses on this page (${page.total} in all; lower --offset).\n`;
  const rows = page.ips.map((g) => [place(g.ip, g), String(g.accounts), String(g.sessions), `${relativeTime(g.lastUsed, page.asOf)} (${exactUtc(g.lastUsed)})`]);
  const last = page.offset + page.ips.length;
  const total = page.totalIsExact ? String(page.total) : `more than ${page.total}`;
  const more = last < page.total ? ` Next page: --offset ${last}` : '';
  return `${table(['IP', 'ACCOUNTS', 'SESSIONS', 'LAST USED'], rows)}\nShowing ${page.offset + 1}-${last} of ${total} addresses.${more}\n`;
}

export function formatAnomalies(report: AnomalyReport): string {
  const head = `Anomalies as of ${exactUtc(report.asOf)} (policy: sessions at most ${formatDuration(report.policy.maxAge)} old, ${formatDuration(report.policy.maxIdle)} idle)\n\n`;
  if (report.anomalies.length === 0) return `${head}Nothing stands out.\n`;
  const lines = report.anomalies.map((a) => {
    const shown = a.uids.slice(0, 10).join(', ') + (a.uids.length > 10 ? ', …' : '');
    return `- ${a.kind}: ${visible(a.detail)}\n  uids: ${shown || '-'}`;
  });
  return `${head}${lines.join('\n')}\n`;
}

export function formatAudit(page: AuditPage, offset: number): string {
  const damaged = page.damagedLines > 0 ? `\n${page.damagedLines} damaged line${page.damagedLines === 1 ? '' : 's'} of the audit log could not be read.\n` : '';
  if (page.entries.length === 0) return `${offset > 0 ? 'No entries on this page (lower --offset).' : 'No revokes of this site have been made from this computer.'}\n${damaged}`;
  const rows = page.entries.map((e) => [
    e.time.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC'),
    `${visible(e.operator.name)} (${e.operator.uid})`,
    `${visible(e.target.name)} (${e.target.uid})`,
    e.action + (e.accountStatus ? ` (${e.accountStatus})` : '') + (e.unconfirmed ? ' UNCONFIRMED' : ''),
    e.sidPrefix ? `${visible(e.sidPrefix)}…` : (e.rememberMeTokens ? `${e.rememberMeTokens} token(s)` : '-'),
    e.hostname ? visible(e.hostname) : '-',
  ]);
  const more = page.entries.length > 0 ? ` Next page: --offset ${offset + page.entries.length}` : '';
  return `${table(['TIME', 'OPERATOR', 'USER', 'ACTION', 'SESSION', 'IP'], rows)}\nShowing ${offset + 1}-${offset + page.entries.length}, newest first.${more}\n${damaged}`;
}
