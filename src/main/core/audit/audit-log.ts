/**
 * The local, append-only record of every revoke made from this machine, one JSON
 * object per line in `<data home>/audit.log`. It holds a sid prefix, never a full sid
 * or any session data.
 */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuditEntry } from '../../../shared/domain.js';
import { InspectorError } from '../errors.js';


export const SID_PREFIX_LENGTH = 8;

export function sidPrefix(sid: string): string {
  return sid.slice(0, SID_PREFIX_LENGTH);
}

export class AuditLog {
  constructor(readonly file: string) {}

  static in(folder: string): AuditLog {
    return new AuditLog(join(folder, 'audit.log'));
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

function pushParsed(entries: AuditEntry[], line: string): void {
  if (line.trim() === '') return;
  try {
    entries.push(JSON.parse(line) as AuditEntry);
  } catch {
    // A damaged line (a crash mid-write) is skipped, not fatal.
  }
}
