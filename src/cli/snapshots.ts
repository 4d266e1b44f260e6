/**
 * The CLI's side of dump snapshots: the `snapshots` command, the import progress bar
 * (stderr, on a terminal only), and what is said about a snapshot being audited.
 */
import type { Writable } from 'node:stream';
import type { ImportProgress } from '../core/dumps/import-dump.js';
import { deleteSnapshot, listSnapshots, pruneSnapshots, type SnapshotRecord } from '../core/dumps/snapshot-store.js';
import { exactUtc } from '../shared/time.js';
import { table, visible } from './format.js';

function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}

/** When the dump was made, as it said it: mysqldump's local time has no zone. */
export function dumpTime(record: SnapshotRecord): string {
  if (record.asOfFrom === 'file') return `${exactUtc(record.asOf)} (the file's modification time; the dump does not say)`;
  if (!record.dumpedAtZoneKnown) return `${exactUtc(record.asOf).replace(/ UTC$/, '')} (time zone unknown, read as UTC)`;
  return exactUtc(record.asOf);
}

/** `snapshots [--delete <id>] [--prune]`. */
export async function snapshotsCommand(home: string, command: { delete?: string; prune: boolean }, json: boolean, out: Writable): Promise<void> {
  if (command.delete !== undefined) {
    deleteSnapshot(home, command.delete);
    out.write(json ? `${JSON.stringify({ deleted: [command.delete] })}\n` : `Deleted snapshot ${command.delete}.\n`);
    return;
  }
  if (command.prune) {
    const removed = await pruneSnapshots(home);
    out.write(json ? `${JSON.stringify({ deleted: removed })}\n` : removed.length === 0 ? 'No snapshot is out of date.\n' : `Deleted ${removed.length} snapshot${removed.length === 1 ? '' : 's'} whose dump is gone or changed: ${removed.join(', ')}.\n`);
    return;
  }
  const records = listSnapshots(home);
  if (json) {
    out.write(`${JSON.stringify({ snapshots: records })}\n`);
    return;
  }
  if (records.length === 0) {
    out.write('No snapshots. Opening a dump with --db <file> makes one.\n');
    return;
  }
  const rows = records.map((r) => [
    r.id,
    visible(r.source.path),
    `${r.dialect === 'mysql' ? 'MySQL' : 'PostgreSQL'}${r.gzip ? ', gzip' : ''}`,
    dumpTime(r),
    exactUtc(r.importedAt),
    size(r.snapshotBytes),
  ]);
  out.write(table(['ID', { header: 'DUMP', min: 20 }, 'KIND', { header: 'MADE', min: 19 }, 'IMPORTED', 'SIZE'], rows, 160));
  out.write(`\n${records.length} snapshot${records.length === 1 ? '' : 's'}; each is reused while its dump is unchanged. Remove one with --delete <id>, stale ones with --prune.\n`);
}

/**
 * A progress line on a terminal, redrawn in place: bytes read of the total, rows kept,
 * rate, time left. Returns the reporter and a function that clears the line.
 */
export function progressBar(err: Writable & { columns?: number }): { report: (p: ImportProgress) => void; done: () => void } {
  const started = Date.now();
  let drawn = false;
  return {
    report: ({ fileBytes, totalBytes, rows }) => {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      const rate = fileBytes / seconds;
      const fraction = totalBytes > 0 ? Math.min(fileBytes / totalBytes, 1) : 0;
      const left = rate > 0 && fraction < 1 ? Math.ceil((totalBytes - fileBytes) / rate) : 0;
      const width = 24;
      const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.');
      err.write(`\r\u001b[2KImporting the dump [${bar}] ${Math.floor(fraction * 100)}%  ${size(fileBytes)} of ${size(totalBytes)}  ${rows.toLocaleString('en-US')} rows  ${size(rate)}/s  ${left} s left`);
      drawn = true;
    },
    done: () => {
      if (drawn) err.write('\r\u001b[2K');
    },
  };
}

/** What is said, once, before the answer: this is a snapshot, made when, read-only. */
export function snapshotNote(record: SnapshotRecord): string {
  return `Auditing a read-only snapshot of the dump ${visible(record.source.path)}, as of when it was made: ${dumpTime(record)} (--as-of to judge otherwise).\n`;
}

/** mysqldump's time has no zone: worth saying wherever the answer goes (stderr, JSON "warnings"). */
export function zoneWarning(record: SnapshotRecord): string | null {
  return record.asOfFrom === 'dump' && !record.dumpedAtZoneKnown
    ? `The dump says when it was made in its computer's local time, without a time zone: ${dumpTime(record)}. Give --as-of to judge activity as of an exact time.`
    : null;
}
