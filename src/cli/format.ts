/** Readable tables for the CLI's human output. */
import type { AnomalyReport, AuditPage, IpGroupPage, Location, OperatorInfo, RememberMeToken, RevokeResult, SessionInfo, SiteSession, SiteSessionPage, UserPage, UserSessions, UserSummary } from '../shared/domain.js';
import { sidPrefix } from '../shared/limits.js';
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

/** A table column: a header, and how far its cells may be cut (with "…") to fit the width. */
export interface Column {
  header: string;
  /** Cells may be cut down to this many characters; without it, never cut. */
  min?: number;
  /** Which cuttable column gives way first: the lowest number (default 0). */
  cutOrder?: number;
  /** When cutting is not enough, the column may be left out: the lowest number first. */
  dropOrder?: number;
}

/** Characters as a terminal counts them (code points; East Asian wide ones count twice). */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u.test(char) ? 2 : 1;
  return width;
}

function cut(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  for (const char of text) {
    if (displayWidth(out + char) > width - 1) break;
    out += char;
  }
  return `${out}…`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * Aligned columns under a rule. With a `maxWidth`, cuttable columns are narrowed, the
 * lowest `cutOrder` first (the widest among equals), one character at a time, until the
 * table fits; if it still does not, a droppable column is left out and the table laid
 * out again. What can neither be cut nor dropped is shown whole.
 */
export function table(columns: Array<string | Column>, rows: string[][], maxWidth = Infinity): string {
  const cols: Column[] = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const widths = cols.map((c, i) => Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const total = () => widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    cols.forEach((c, i) => {
      if (c.min === undefined || widths[i]! <= Math.max(c.min, displayWidth(c.header))) return;
      const order = c.cutOrder ?? 0;
      const best = widest === -1 ? null : (cols[widest]!.cutOrder ?? 0);
      if (best === null || order < best || (order === best && widths[i]! > widths[widest]!)) widest = i;
    });
    if (widest === -1) break;
    widths[widest]!--;
  }
  if (total() > maxWidth) {
    const droppable = cols.filter((c) => c.dropOrder !== undefined).sort((a, b) => a.dropOrder! - b.dropOrder!)[0];
    if (droppable) {
      const at = cols.indexOf(droppable);
      return table(cols.filter((_, i) => i !== at), rows.map((r) => r.filter((_, i) => i !== at)), maxWidth);
    }
  }
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? cut(c, widths[i]!) : pad(cut(c, widths[i]!), widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cols.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/**
 * How wide a table may be: by default 100 columns (or a wider terminal's width), so
 * raw user agents and full session ids do not wrap every line; `--wide`: no limit.
 */
export interface Layout {
  wide: boolean;
  width: number;
}
export const NARROW: Layout = { wide: false, width: 100 };
export const WIDE: Layout = { wide: true, width: Infinity };

/** A line of prose, broken at spaces to fit a narrow layout (a word longer than that stays whole). */
export function wrap(text: string, layout: Layout): string {
  if (layout.wide || displayWidth(text) <= layout.width) return `${text}\n`;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && displayWidth(`${line} ${word}`) > layout.width) {
      lines.push(line);
      line = `  ${word}`;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return `${[...lines, line].join('\n')}\n`;
}

/** A time: "3 min ago", with the exact UTC time beside it in a wide table. */
function when(unix: number, now: number, layout: Layout): string {
  return layout.wide ? `${relativeTime(unix, now)} (${exactUtc(unix)})` : relativeTime(unix, now);
}

/** A session id: in full in a wide table, else the prefix the app shows (the CLI accepts it). */
function sidCell(sid: string, layout: Layout): string {
  return layout.wide ? visible(sid) : `${visible(sidPrefix(sid))}…`;
}

function roles(user: UserSummary): string {
  return user.roles.length > 0 ? user.roles.map(visible).join(', ') : '-';
}

export function formatWhoami(info: OperatorInfo): string {
  return (
    `Operator:               ${visible(info.name)} (uid ${info.uid})\n` +
    `Roles:                  ${info.roles.map(visible).join(', ')}\n` +
    `Own sessions:           ${info.canInspectOwn ? 'may inspect and revoke' : 'no access'}\n` +
    `Other users' sessions:  ${info.canInspectOther ? 'may inspect and revoke' : 'no access'}\n` +
    (info.noAccess ? `\n${visible(info.noAccess)}\n` : '')
  );
}

export function formatUsers(page: UserPage, offset: number, now: number, layout: Layout = WIDE): string {
  if (page.users.length === 0) {
    return page.total === 0 ? 'No users match.\n' : `No users on this page (${page.total} in all; lower --offset).\n`;
  }
  const body = table(
    ['UID', { header: 'NAME', min: 12, cutOrder: 3 }, { header: 'MAIL', min: 12, cutOrder: 2 }, 'STATUS', { header: 'ROLES', min: 8, cutOrder: 1 }, 'SESSIONS', 'LAST ACCESS'],
    page.users.map((u) => [
      String(u.uid),
      visible(u.name),
      u.mail === null ? '-' : visible(u.mail),
      u.status,
      roles(u),
      String(u.sessionCount),
      // Drupal's 0: the account has never been used.
      u.access === null ? 'never' : relativeTime(u.access, now),
    ]),
    layout.width,
  );
  const last = offset + page.users.length;
  const more = last < page.total || !page.totalIsExact ? ` Next page: --offset ${last}` : '';
  const total = page.totalIsExact ? String(page.total) : `more than ${page.total}`;
  return `${body}\nShowing ${offset + 1}-${last} of ${total}.${more}\n`;
}

/** Where an address is: "GB, London, Example ISP", "private", "documentation"; "-" unknown. */
function where(location: Location): string {
  const parts = [location.country ?? (location.addressKind && location.addressKind !== 'public' ? location.addressKind : null), location.city, location.network]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .map(visible);
  return parts.join(', ') || '-';
}

/** An address is never cut (a cut address is another address); where it is may be. */
const IP_COLUMNS: Column[] = [{ header: 'IP' }, { header: 'WHERE', min: 7, cutOrder: 2 }];

/**
 * A session's address columns: in a wide table the address and where it is; in a
 * narrow one the address with its country ("81.2.69.160 GB"): the kind of a private or
 * loopback address is plain from the address itself.
 */
function addressCells(hostname: string, location: Location, layout: Layout): string[] {
  const ip = hostname ? visible(hostname) : '-';
  if (layout.wide) return [ip, where(location)];
  return [location.country ? `${ip} ${visible(location.country)}` : ip];
}
const addressColumns = (layout: Layout): Column[] => (layout.wide ? IP_COLUMNS : [{ header: 'IP' }]);

/** What stands out about a session, in words: who masquerades, a pending reset, unreadable data. */
function flags(s: SessionInfo, layout: Layout = WIDE): string {
  const who = s.masqueradeByName ? visible(s.masqueradeByName) : `uid ${s.masqueradeBy}`;
  const found = [
    s.masqueradeBy !== null ? (layout.wide ? `masquerade by ${who}${s.masqueradeByName ? ` (uid ${s.masqueradeBy})` : ''}` : `masquerade: ${who}`) : '',
    s.passwordReset ? (layout.wide ? 'password reset pending' : 'reset pending') : '',
    s.readable ? '' : layout.wide ? 'data unreadable' : 'unreadable',
  ].filter(Boolean);
  return found.join('; ') || '-';
}

/** Whose session it is, beside its uid: a name, "anonymous", or that the account is gone. */
function owner(s: SiteSession): string {
  if (s.uid === 0) return 'anonymous';
  if (s.name === null) return '(no account)';
  return `${visible(s.name)}${s.ownerStatus === 'blocked' ? ' (blocked)' : ''}`;
}

export function formatSiteSessions(page: SiteSessionPage, layout: Layout = WIDE): string {
  const { sessions, asOf, total, totalIsExact, byState, offset } = page;
  const head = `Sessions on this site as of ${exactUtc(asOf)}\n`;
  if (total === 0) return `${head}\nNo sessions match.\n`;
  const counted = totalIsExact ? String(total) : `more than ${total}`;
  const counts = `${counted} in all: ${byState.active} active, ${byState.idle} idle, ${byState.stale} stale${totalIsExact ? '' : ' (counted in the first matches)'}.`;
  if (sessions.length === 0) return `${head}\nNo sessions on this page (${counts} Lower --offset).\n`;
  const last = offset + sessions.length;
  const more = last < total || !totalIsExact ? ` Next page: --offset ${last}` : '';
  const rows = sessions.map((s) => [
    sidCell(s.sid, layout),
    String(s.uid),
    owner(s),
    s.state,
    ...addressCells(s.hostname, s, layout),
    when(s.timestamp, asOf, layout),
    // The board is ordered by last use; when a session began is in --wide.
    ...(layout.wide ? [s.created === null ? 'unknown' : relativeTime(s.created, asOf)] : []),
    flags(s, layout),
  ]);
  const columns = [
    'SID', 'UID', { header: 'USER', min: 10, cutOrder: 1 }, 'STATE', ...addressColumns(layout), 'LAST USED', ...(layout.wide ? ['CREATED'] : []),
    // Left out only beside the longest addresses; the user's own view and --wide show them.
    { header: 'FLAGS', min: 12, cutOrder: 2, dropOrder: 1 },
  ];
  return `${head}\n${table(columns, rows, layout.width)}\nShowing ${offset + 1}-${last} of ${counts}${more}\n`;
}

/** A dry run of a revoke by criteria: exactly the sessions that would go. */
export function formatRevokePlan(plan: { asOf: number; total: number; users: number; rememberMe: number | null; sessions: Array<{ uid: number; sid: string; hostname: string; timestamp: number }> }, layout: Layout = WIDE): string {
  const tokens = plan.rememberMe ? `The user's ${plan.rememberMe} remember-me token${plan.rememberMe === 1 ? '' : 's'} would be deleted too.\n` : '';
  if (plan.total === 0) return `No sessions match; no session would be revoked.\n${tokens}`;
  const rows = plan.sessions.map((s) => [sidCell(s.sid, layout), String(s.uid), s.hostname ? visible(s.hostname) : '-', when(s.timestamp, plan.asOf, layout)]);
  return `${table(['SID', 'UID', 'IP', 'LAST USED'], rows, layout.width)}\nDry run: ${plan.total} session${plan.total === 1 ? '' : 's'} of ${plan.users} user${plan.users === 1 ? '' : 's'} would be revoked. ` +
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

export function formatSessions(result: UserSessions, layout: Layout = WIDE): string {
  const { user, sessions, asOf, total, byState, offset } = result;
  const tokens = formatRememberMe(result.rememberMe, asOf);
  const head =
    wrap(`Sessions of ${visible(user.name)} (uid ${user.uid}, ${user.status}, roles: ${roles(user)}) as of ${exactUtc(asOf)}`, layout) +
    (user.status === 'blocked' && sessions.length > 0
      ? 'Note: this account is blocked; its leftover sessions cannot sign in, but may be revoked.\n'
      : '');
  if (total === 0) return `${head}\nNo sessions.\n${tokens}`;
  const counts = `${total} in all: ${byState.active} active, ${byState.idle} idle, ${byState.stale} stale.`;
  if (sessions.length === 0) return `${head}\nNo sessions on this page (${counts} Lower --offset).\n${tokens}`;
  const last = offset + sessions.length;
  const footer = `\nShowing ${offset + 1}-${last} of ${counts}${last < total ? ` Next page: --offset ${last}` : ''}\n`;
  // The raw user agent only in a wide table; the parsed browser always.
  const rows = sessions.map((s) => [
    sidCell(s.sid, layout),
    s.state,
    ...addressCells(s.hostname, s, layout),
    when(s.timestamp, asOf, layout),
    s.created === null ? 'unknown' : relativeTime(s.created, asOf),
    ...(layout.wide ? [formatDuration(s.lifetime)] : []),
    flags(s, layout),
    s.client === null ? '-' : visible(s.client),
    ...(layout.wide ? [s.browser === null ? '-' : visible(s.browser)] : []),
  ]);
  const columns: Column[] = [
    { header: 'SID' }, { header: 'STATE' }, ...addressColumns(layout), { header: 'LAST USED' }, { header: 'CREATED', dropOrder: 1 },
    ...(layout.wide ? [{ header: 'LIFETIME' }] : []), { header: 'FLAGS', min: 24, cutOrder: 4 }, { header: 'BROWSER', min: 7, cutOrder: 1, dropOrder: 2 },
    ...(layout.wide ? [{ header: 'USER AGENT' }] : []),
  ];
  return `${head}\n${table(columns, rows, layout.width)}${footer}${tokens}`;
}

export function formatRevoked(result: RevokeResult, user: string): string {
  const tokens =
    (result.rememberMeRevoked ? `Deleted ${result.rememberMeRevoked} remember-me token${result.rememberMeRevoked === 1 ? '' : 's'} of ${visible(user)}.\n` : '') +
    (result.blocked ? `Blocked the account ${visible(user)}: it cannot sign in until unblocked.\n` : '');
  if (result.revoked.length === 0) return tokens ? `${visible(user)} had no sessions.\n${tokens}` : `${visible(user)} had no sessions; nothing was revoked.\n`;
  const noun = result.revoked.length === 1 ? 'session' : 'sessions';
  return `Revoked ${result.revoked.length} ${noun} of ${visible(user)}:\n${result.revoked.map((s) => `  ${visible(s)}\n`).join('')}${tokens}`;
}

export function formatIpGroups(page: IpGroupPage, layout: Layout = WIDE): string {
  if (page.total === 0) return 'No sessions match.\n';
  if (page.ips.length === 0) return `No addresses on this page (${page.total} in all; lower --offset).\n`;
  const rows = page.ips.map((g) => [visible(g.ip), where(g), String(g.accounts), String(g.sessions), when(g.lastUsed, page.asOf, layout)]);
  const last = page.offset + page.ips.length;
  const total = page.totalIsExact ? String(page.total) : `more than ${page.total}`;
  const more = last < page.total ? ` Next page: --offset ${last}` : '';
  return `${table([...IP_COLUMNS, 'ACCOUNTS', 'SESSIONS', 'LAST USED'], rows, layout.width)}\nShowing ${page.offset + 1}-${last} of ${total} addresses.${more}\n`;
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

export function formatAudit(page: AuditPage, offset: number, layout: Layout = WIDE): string {
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
  const columns = ['TIME', { header: 'OPERATOR', min: 12, cutOrder: 2 }, { header: 'USER', min: 12, cutOrder: 2 }, { header: 'ACTION', min: 10, cutOrder: 1 }, 'SESSION', 'IP'];
  return `${table(columns, rows, layout.width)}\nShowing ${offset + 1}-${offset + page.entries.length}, newest first.${more}\n${damaged}`;
}
