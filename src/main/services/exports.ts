/**
 * The app's "Export CSV": the whole list (every page, not only the one on screen) as the
 * CLI's `--format csv` writes it, and beside it a `.meta.json` saying what it is: site,
 * as-of time, operator, filters, tool version. Files are the operator's own (mode 0600).
 */
import { writeFileSync } from 'node:fs';
import type { AuditPage, IpGroupPage, SiteSessionPage, UserSessions } from '../../shared/domain.js';
import { MAX_AUDIT_ENTRIES, MAX_BOARD_PAGE_SIZE, MAX_SESSION_PAGE_SIZE } from '../../shared/limits.js';
import type { ExportRequest, ExportResult } from '../../shared/ipc/contract.js';
import { listingCsv, type Listing } from '../../core/export/listings.js';
import type { Inspector, Operator } from '../../core/inspector/inspector.js';

/** The most rows one export holds (a board's count stops there too). */
const MAX_EXPORT_ROWS = 100_000;

/** Reads every page of a paged list, up to MAX_EXPORT_ROWS items. */
async function allPages<P extends { total: number }, T>(read: (offset: number) => Promise<P>, items: (page: P) => T[], pageSize: number): Promise<{ first: P; all: T[] }> {
  const first = await read(0);
  const all = [...items(first)];
  for (let offset = pageSize; offset < first.total && all.length < MAX_EXPORT_ROWS; offset += pageSize) {
    const page = await read(offset);
    if (items(page).length === 0) break;
    all.push(...items(page));
  }
  return { first, all: all.slice(0, MAX_EXPORT_ROWS) };
}

/** The lists exported page by page (a comparison exports itself: see comparison.ts). */
export type ListRequest = Exclude<ExportRequest, { kind: 'diff' }>;

async function listing(inspector: Inspector, operator: Operator, request: ListRequest): Promise<Listing> {
  switch (request.kind) {
    case 'sessions': {
      const { first, all } = await allPages<UserSessions, UserSessions['sessions'][number]>(
        (offset) => inspector.sessions(operator, { uid: request.uid }, { limit: MAX_SESSION_PAGE_SIZE, offset }),
        (page) => page.sessions,
        MAX_SESSION_PAGE_SIZE,
      );
      return { kind: 'sessions', value: { ...first, sessions: all } };
    }
    case 'siteSessions': {
      const { first, all } = await allPages<SiteSessionPage, SiteSessionPage['sessions'][number]>(
        (offset) => inspector.siteSessions(operator, request.filter, { limit: MAX_BOARD_PAGE_SIZE, offset }),
        (page) => page.sessions,
        MAX_BOARD_PAGE_SIZE,
      );
      return { kind: 'siteSessions', value: { ...first, sessions: all } };
    }
    case 'ips': {
      const { first, all } = await allPages<IpGroupPage, IpGroupPage['ips'][number]>(
        (offset) => inspector.ipGroups(operator, request.filter, { limit: MAX_BOARD_PAGE_SIZE, offset }),
        (page) => page.ips,
        MAX_BOARD_PAGE_SIZE,
      );
      return { kind: 'ips', value: { ...first, ips: all } };
    }
    case 'audit': {
      const page: AuditPage = await inspector.listAudit(operator, MAX_AUDIT_ENTRIES);
      return { kind: 'audit', value: page };
    }
  }
}

function rowsOf(list: Listing): number {
  switch (list.kind) {
    case 'users':
      return list.value.users.length;
    case 'sessions':
    case 'siteSessions':
      return list.value.sessions.length;
    case 'ips':
      return list.value.ips.length;
    case 'anomalies':
      return list.value.anomalies.length;
    case 'audit':
      return list.value.entries.length;
  }
}

export async function exportListing(
  inspector: Inspector,
  operator: Operator,
  request: ListRequest,
  chooseFile: (suggestedName: string) => Promise<string | null>,
  version: string,
): Promise<ExportResult> {
  const list = await listing(inspector, operator, request);
  const stamp = new Date(inspector.asOf() * 1000).toISOString().slice(0, 16).replace(/[:T]/g, '-');
  const file = await chooseFile(`${request.kind === 'siteSessions' ? 'all-sessions' : request.kind}-${stamp}.csv`);
  if (file === null) return { file: null, rows: 0 };
  const rows = rowsOf(list);
  writeFileSync(file, listingCsv(list), { mode: 0o600 });
  const meta = {
    kind: request.kind,
    ...(request.kind === 'siteSessions' || request.kind === 'ips' ? { filter: request.filter } : {}),
    ...(request.kind === 'sessions' ? { uid: request.uid } : {}),
    site: inspector.site.db.description,
    asOf: inspector.asOf(),
    operator: { uid: operator.uid, name: operator.name },
    rows,
    exportedAt: new Date().toISOString(),
    tool: `Session Inspector ${version}`,
  };
  writeFileSync(`${file.replace(/\.csv$/i, '')}.meta.json`, JSON.stringify(meta, null, 2) + '\n', { mode: 0o600 });
  return { file, rows };
}
