/**
 * The local, append-only record of every revoke made from this machine, one JSON
 * object per line in `<data home>/audit.log`. It holds a sid prefix, never a full sid
 * or any session data.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuditEntry } from '../../../shared/domain.js';
import { InspectorError } from '../errors.js';



export class AuditLog {
  constructor(readonly file: string) {}

  static in(folder: string): AuditLog {
    return new AuditLog(join(folder, 'audit.log'));
  }

  /** Throws unless an entry could be appended now (checked before a revoke). */
  assertWritable(): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      closeSync(openSync(this.file, 'a', 0o600));
    } catch (error) {
      throw new InspectorError(
        'INTERNAL',
        `Nothing was revoked: the audit log ${this.file} cannot be written (${(error as Error).message}). Fix its folder's permissions or set SESSION_INSPECTOR_HOME.`,
      );
    }
  }

  append(entries: AuditEntry[]): void {
    if (entries.length === 0) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      appendFileSync(this.file, entries.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600, flag: 'a' });
    } catch (error) {
      throw new InspectorError(
        'INTERNAL',
        `The sessions were revoked, but the audit log ${this.file} could not be written: ${(error as Error).message}`,
      );
    }
  }

  /**
   * The newest `limit` entries, newest first. Reads the file backwards in chunks, so
   * a long history is never loaded whole.
   */
  recent(limit: number): AuditEntry[] {
    if (!existsSync(this.file)) return [];
    const size = statSync(this.file).size;
    const fd = openSync(this.file, 'r');
    const entries: AuditEntry[] = [];
    try {
      let position = size;
      // Split on newline bytes only: they never occur inside a UTF-8 sequence.
      let carry = Buffer.alloc(0);
      while (position > 0 && entries.length < limit) {
        const length = Math.min(64 * 1024, position);
        position -= length;
        const buffer = Buffer.alloc(length + carry.length);
        readSync(fd, buffer, 0, length, position);
        carry.copy(buffer, length);
        let end = buffer.length;
        for (let i = buffer.length - 1; i >= 0 && entries.length < limit; i--) {
          if (buffer[i] !== 0x0a) continue;
          pushParsed(entries, buffer.toString('utf8', i + 1, end));
          end = i;
        }
        carry = buffer.subarray(0, end);
      }
      if (position === 0 && entries.length < limit) pushParsed(entries, carry.toString('utf8'));
    } finally {
      closeSync(fd);
    }
    return entries;
  }
}

const isPerson = (value: unknown): value is { uid: number; name: string } =>
  typeof value === 'object' && value !== null && Number.isInteger((value as { uid: unknown }).uid) && typeof (value as { name: unknown }).name === 'string';

/** Only well-formed entries are passed on: the file may have been damaged or edited. */
function isEntry(value: unknown): value is AuditEntry {
  const e = value as Partial<AuditEntry> | null;
  return (
    typeof e === 'object' && e !== null &&
    typeof e.time === 'string' && !Number.isNaN(Date.parse(e.time)) &&
    isPerson(e.operator) && isPerson(e.target) &&
    typeof e.site === 'string' && typeof e.sidPrefix === 'string' && typeof e.hostname === 'string' &&
    (e.action === 'revoke' || e.action === 'revoke-all')
  );
}

function pushParsed(entries: AuditEntry[], line: string): void {
  if (line.trim() === '') return;
  try {
    const value: unknown = JSON.parse(line);
    if (isEntry(value)) entries.push(value);
  } catch {
    // A damaged line (a crash mid-write) is skipped, not fatal.
  }
}
