/**
 * `diff --against <older copy>`: what changed between two copies of a site. The other
 * copy is opened as --db is (a database, a SQLite file, a dump), read-only, and the
 * operator signs in there too: both sides apply the access rule.
 */
import type { Writable } from 'node:stream';
import { parseTarget } from '../core/db/target.js';
import { DIFF_CSV_COLUMNS, diffCsvRow, summarizeDiff } from '../core/drupal/site-diff.js';
import { csvRows, toCsv } from '../core/export/csv.js';
import type { Inspector, Operator } from '../core/inspector/inspector.js';
import { openInspector, type InspectorSetup } from '../core/inspector/open-inspector.js';
import { SITE_DIFF_KINDS, type SiteDiff, type SiteDiffChange, type SiteDiffKind } from '../shared/domain.js';
import { exactUtc, relativeTime } from '../shared/time.js';
import { table, visible, type Layout } from './format.js';
import type { Command } from './args.js';
import type { Connection } from './connection.js';

const WORDS: Record<SiteDiffKind, string> = {
  'session-appeared': 'session appeared',
  'session-disappeared': 'session gone',
  'session-ip-changed': 'session moved',
  'account-created': 'account created',
  'account-deleted': 'account deleted',
  'account-blocked': 'account blocked',
  'account-unblocked': 'account unblocked',
  'roles-changed': 'roles changed',
  'password-changed': 'new password',
};

function detail(change: SiteDiffChange, asOf: number): string {
  const list = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') || '(none)' : (value ?? ''));
  switch (change.kind) {
    case 'session-appeared':
    case 'session-disappeared':
      return `${change.hostname ? visible(change.hostname) : '-'}, last used ${relativeTime(change.lastUsed ?? null, asOf)}`;
    case 'session-ip-changed':
      return `${visible(list(change.before))} → ${visible(list(change.after))}`;
    case 'roles-changed':
      return `${visible(list(change.before))} → ${visible(list(change.after))}`;
    case 'password-changed':
      return 'the password hash changed';
    default:
      return '';
  }
}

export function formatDiff(diff: SiteDiff, layout: Layout): string {
  const { counts } = diff;
  const head =
    `Changes from ${visible(diff.before.site)} (as of ${exactUtc(diff.before.asOf)})\n` +
    `          to ${visible(diff.after.site)} (as of ${exactUtc(diff.after.asOf)})\n\n` +
    `Sessions: ${counts['session-appeared']} appeared, ${counts['session-disappeared']} gone, ${counts['session-ip-changed']} moved to another address\n` +
    `Accounts: ${counts['account-created']} created, ${counts['account-deleted']} deleted, ${counts['account-blocked']} blocked, ` +
    `${counts['account-unblocked']} unblocked, ${counts['roles-changed']} with other roles, ${counts['password-changed']} with a new password\n`;
  const total = SITE_DIFF_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
  if (total === 0) return `${head}\nNo changes.\n`;
  const rows = diff.changes.map((c) => [
    WORDS[c.kind],
    String(c.uid),
    c.name === null ? '-' : visible(c.name),
    c.sid ? (layout.wide ? visible(c.sid) : `${visible(c.sid.slice(0, 8))}…`) : '-',
    detail(c, diff.after.asOf),
  ]);
  const more = diff.complete ? '' : `\nShowing the first ${diff.changes.length} of ${total} changes; --limit shows more, --format csv writes them all.\n`;
  return `${head}\n${table(['CHANGE', 'UID', { header: 'USER', min: 12, cutOrder: 1 }, 'SESSION', { header: 'DETAIL', min: 20, cutOrder: 2 }], rows, layout.width)}${more}`;
}

export interface DiffRun {
  /** The newer copy (--db), its operator signed in. */
  after: Inspector;
  operator: Operator;
  password: string;
  /** How to open the older copy: as --db was, with its own target and prefix. */
  setup: Omit<InspectorSetup, 'target' | 'prefix'>;
  command: Extract<Command, { name: 'diff' }>;
  /** The older copy given as a connection saved in the app (--against-profile). */
  savedConnection: (name: string, prefix: string | undefined) => Promise<Connection>;
  env: NodeJS.ProcessEnv;
  format: 'csv' | 'json' | 'text';
  out: Writable;
  layout: Layout;
}

/** Runs the diff; returns the JSON answer (SiteDiff) for --json, having written text or CSV itself. */
export async function runDiff(run: DiffRun): Promise<SiteDiff | null> {
  const { command } = run;
  const other =
    command.againstProfile !== undefined
      ? await run.savedConnection(command.againstProfile, command.againstPrefix).then(({ settings, target, prefix }) => ({ ...settings, target, prefix }))
      : { target: parseTarget(command.against, run.env.SESSION_INSPECTOR_DB_PASSWORD), ...(command.againstPrefix !== undefined ? { prefix: command.againstPrefix } : {}) };
  // The older copy is only read, whatever its saved connection says.
  const before = await openInspector({ ...run.setup, ...other, readOnly: true });
  try {
    const beforeOperator = await before.signIn(run.operator.name, run.password);
    const changes = await run.after.diffFrom(run.operator, before, beforeOperator);
    const sides = {
      before: { site: before.snapshot?.source.path ?? before.site.db.description, asOf: before.asOf() },
      after: { site: run.after.snapshot?.source.path ?? run.after.site.db.description, asOf: run.after.asOf() },
    };
    if (run.format === 'csv') {
      // Every change, streamed: a diff of two large sites is not held in memory.
      run.out.write(toCsv(DIFF_CSV_COLUMNS, []));
      let batch: SiteDiffChange[] = [];
      for await (const change of changes) {
        batch.push(change);
        if (batch.length >= 1000) {
          run.out.write(csvRows(batch.map(diffCsvRow)));
          batch = [];
        }
      }
      if (batch.length > 0) run.out.write(csvRows(batch.map(diffCsvRow)));
      return null;
    }
    const diff = await summarizeDiff(changes, sides, run.command.limit);
    if (run.format === 'text') run.out.write(formatDiff(diff, run.layout));
    return diff;
  } finally {
    await before.site.db.close();
  }
}
