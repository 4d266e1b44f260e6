/**
 * The local, append-only record of every revoke made from this machine, one JSON
 * object per line in `<data home>/audit.log`. It holds a sid prefix, never a full sid
 * or any session data.
 *
 * A revoke is recorded in two steps around the database commit, so that the record
 * and the database cannot disagree silently:
 *   1. before COMMIT, an *intent* line per session, written and fsync'ed: if that fails
 *      (disk full, say), the transaction rolls back and nothing was revoked;
 *   2. after COMMIT, one *outcome* line (`committed`), or `aborted` after a rollback.
 * An intent with no outcome (the process died, or the disk filled between the steps)
 * is shown as unconfirmed: the revoke may have happened.
 *
 * The file is rotated at 10 MB (audit.log.1 … audit.log.5 are kept) and read
 * backwards, newest first, in bounded chunks: a damaged or enormous line is skipped
 * and counted, never loaded whole.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { AuditEntry, AuditPage } from '../../shared/domain.js';
import { AppFailure } from '../../shared/errors.js';

/** Rotate once the current file reaches this size. */
export const AUDIT_ROTATE_BYTES = 10 * 1024 * 1024;
/** Rotated files kept beside the current one. */
export const AUDIT_KEEP_FILES = 5;
/** No entry is anywhere near this long; a longer line is damage and is skipped. */
const MAX_LINE_BYTES = 64 * 1024;
const CHUNK_BYTES = 64 * 1024;

const person = z.object({ uid: z.number().int(), name: z.string() });
const entrySchema = z.object({
  time: z.string().refine((t) => !Number.isNaN(Date.parse(t))),
  operator: person,
  site: z.string(),
  target: person,
  sidPrefix: z.string(),
  hostname: z.string(),
  action: z.enum(['revoke', 'revoke-all', 'revoke-matching', 'unblock']),
  rememberMeTokens: z.number().int().min(0).exactOptional(),
  accountStatus: z.enum(['blocked', 'active']).exactOptional(),
  /** Present on two-step records (see above); absent on lines written before them. */
  id: z.string().optional(),
  state: z.literal('intent').optional(),
});
const outcomeSchema = z.object({ id: z.string(), outcome: z.enum(['committed', 'aborted']) });
/**
 * One revoke's intent: what all its sessions share, and the sessions. A revoke of many
 * sessions is written in one go (one write, one fsync), as lines of at most
 * SESSIONS_PER_LINE sessions that share the revoke's id.
 */
const revokeSchema = entrySchema.omit({ sidPrefix: true, hostname: true }).extend({
  id: z.string(),
  state: z.literal('intent'),
  sessions: z.array(z.object({ sidPrefix: z.string(), hostname: z.string() })),
});
/** Sessions per intent line, and the bytes they may take: lines stay below MAX_LINE_BYTES. */
const SESSIONS_PER_LINE = 250;
const LINE_BUDGET_BYTES = 32 * 1024;

/** An intent written before a commit; settle it with what happened. */
export interface PreparedRecord {
  settle(outcome: 'committed' | 'aborted'): void;
}

export class AuditLog {
  constructor(
    readonly file: string,
    private readonly rotateBytes = AUDIT_ROTATE_BYTES,
  ) {}

  static in(folder: string): AuditLog {
    return new AuditLog(join(folder, 'audit.log'));
  }

  /** The files to read, newest first. */
  files(): string[] {
    return [this.file, ...Array.from({ length: AUDIT_KEEP_FILES }, (_, i) => `${this.file}.${i + 1}`)];
  }

  /** Throws unless the log's file can be opened for appending now (checked before a revoke). */
  assertWritable(): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      closeSync(openSync(this.file, 'a', 0o600));
    } catch (error) {
      throw unwritable(this.file, error);
    }
  }

  private rotateIfFull(): void {
    let size: number;
    try {
      size = statSync(this.file).size;
    } catch {
      return;
    }
    if (size < this.rotateBytes) return;
    const files = this.files();
    rmSync(files[files.length - 1]!, { force: true });
    for (let i = files.length - 2; i >= 0; i--) {
      if (existsSync(files[i]!)) renameSync(files[i]!, files[i + 1]!);
    }
  }

  /**
   * Appends lines and flushes them to disk before returning. Every byte is written or
   * this throws (a nearly full disk can take part of a write without an error), and a
   * line torn by an earlier crash is ended first, so it cannot swallow this record.
   */
  private writeDurably(lines: unknown[]): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const fd = openSync(this.file, 'a+', 0o600);
    try {
      const size = fstatSync(fd).size;
      const last = Buffer.alloc(1);
      const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
      const data = Buffer.from((torn ? '\n' : '') + lines.map((line) => JSON.stringify(line) + '\n').join(''), 'utf8');
      for (let written = 0; written < data.length; ) {
        const n = writeSync(fd, data, written, data.length - written);
        if (n <= 0) throw new Error(`only ${written} of ${data.length} bytes could be written`);
        written += n;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Step 1, inside the transaction before COMMIT: the durable intent of one revoke (the
   * entries share time, operator, site and action; a revoke by criteria spans several
   * targets, each its own intent, all written in one go). Throws an AUDIT_LOG error if
   * it cannot be written; the caller's transaction then rolls back.
   */
  prepare(entries: AuditEntry[]): PreparedRecord {
    const byTarget = new Map<number, AuditEntry[]>();
    for (const entry of entries) {
      const group = byTarget.get(entry.target.uid);
      if (group) group.push(entry);
      else byTarget.set(entry.target.uid, [entry]);
    }
    const intents = [...byTarget.values()].map((group) => ({ id: randomUUID(), group }));
    try {
      this.rotateIfFull();
      if (intents.length > 0) this.writeDurably(intents.flatMap(({ id, group }) => revokeLines(id, group)));
    } catch (error) {
      throw unwritable(this.file, error);
    }
    return {
      settle: (outcome) => {
        if (intents.length === 0) return;
        try {
          this.writeDurably(intents.map(({ id }) => ({ id, outcome })));
        } catch {
          // The intents are on disk already; their entries then read as unconfirmed.
        }
      },
    };
  }

  /** Records entries that are already settled (imports, tests). */
  append(entries: AuditEntry[]): void {
    if (entries.length === 0) return;
    try {
      this.rotateIfFull();
      this.writeDurably(entries);
    } catch (error) {
      throw unwritable(this.file, error);
    }
  }

  /**
   * The newest `limit` entries that pass `keep`, newest first, across the rotated files.
   * Reads backwards in fixed chunks, asynchronously: the main process never blocks on
   * a long history, and a line over 64 KiB is skipped without being assembled.
   */
  async read(limit: number, keep: (entry: AuditEntry) => boolean = () => true): Promise<AuditPage> {
    const entries: AuditEntry[] = [];
    const outcomes = new Map<string, 'committed' | 'aborted'>();
    let damagedLines = 0;
    const take = (line: Buffer) => {
      if (line.length === 0 || line.every((byte) => byte === 0x20 || byte === 0x0d)) return;
      let value: unknown;
      try {
        value = JSON.parse(line.toString('utf8'));
      } catch {
        damagedLines++;
        return;
      }
      const outcome = outcomeSchema.safeParse(value);
      if (outcome.success) {
        // Read backwards, an outcome comes before the intent it settles.
        outcomes.set(outcome.data.id, outcome.data.outcome);
        return;
      }
      const revoke = revokeSchema.safeParse(value);
      if (revoke.success) {
        const { id, state: _intent, sessions, ...shared } = revoke.data;
        const settled = outcomes.get(id);
        if (settled === 'aborted') return;
        // Within a line, sessions are in revoke order: newest-first reading takes them last first.
        for (const session of [...sessions].reverse()) {
          const entry: AuditEntry = { ...shared, ...session, ...(settled === undefined ? { unconfirmed: true } : {}) };
          if (keep(entry)) entries.push(entry);
        }
        return;
      }
      const parsed = entrySchema.safeParse(value);
      if (!parsed.success) {
        damagedLines++;
        return;
      }
      const { id, state, ...entry } = parsed.data;
      if (state === 'intent') {
        const settled = id === undefined ? undefined : outcomes.get(id);
        if (settled === 'aborted') return;
        if (settled === undefined) (entry as AuditEntry).unconfirmed = true;
      }
      if (keep(entry)) entries.push(entry);
    };
    for (const file of this.files()) {
      if (entries.length >= limit) break;
      // Not `damagedLines += await …`: that would read the count before `take` adds to it.
      const overlong = await readLinesBackwards(file, take, () => entries.length >= limit);
      damagedLines += overlong;
    }
    return { entries: entries.slice(0, limit), damagedLines };
  }
}

/** The lines of one revoke's intent, each well below MAX_LINE_BYTES whatever the hostnames. */
/** Printable ASCII that JSON writes as it is: its byte length is its length. */
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The bytes `session` takes in a line, without serializing it in the common case. */
function jsonBytes(session: { sidPrefix: string; hostname: string }): number {
  if (PLAIN_JSON_TEXT.test(session.sidPrefix) && PLAIN_JSON_TEXT.test(session.hostname)) {
    return session.sidPrefix.length + session.hostname.length + '{"sidPrefix":"","hostname":""}'.length;
  }
  return Buffer.byteLength(JSON.stringify(session), 'utf8');
}

function revokeLines(id: string, entries: AuditEntry[]): unknown[] {
  const { sidPrefix: _sid, hostname: _host, unconfirmed: _u, ...shared } = entries[0]!;
  const lines: unknown[] = [];
  let sessions: Array<{ sidPrefix: string; hostname: string }> = [];
  let bytes = 0;
  const flush = () => {
    if (sessions.length > 0) lines.push({ ...shared, id, state: 'intent', sessions });
    sessions = [];
    bytes = 0;
  };
  for (const { sidPrefix, hostname } of entries) {
    // Drupal's column is varchar(128); SQLite does not enforce it. Keep what fits a record.
    const session = { sidPrefix, hostname: hostname.slice(0, 256) };
    const size = jsonBytes(session);
    if (sessions.length >= SESSIONS_PER_LINE || bytes + size > LINE_BUDGET_BYTES) flush();
    sessions.push(session);
    bytes += size;
  }
  flush();
  return lines;
}

function unwritable(file: string, error: unknown): AppFailure {
  return new AppFailure(
    'AUDIT_LOG',
    `Nothing was revoked: the audit log ${file} cannot be written (${(error as Error).message}). ` +
      'Free disk space, fix the folder\'s permissions, or set SESSION_INSPECTOR_HOME.',
  );
}

/**
 * Calls `take` for each line of `file`, last line first, until `done()`. Returns the
 * number of lines skipped for being longer than MAX_LINE_BYTES.
 */
async function readLinesBackwards(file: string, take: (line: Buffer) => void, done: () => boolean): Promise<number> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return 0; // no such file (yet): nothing to read
  }
  let skipped = 0;
  try {
    let position = (await handle.stat()).size;
    // The bytes after the last newline seen so far, and whether they are being skipped.
    let tail: Buffer[] = [];
    let tailBytes = 0;
    let overlong = false;
    const finishLine = () => {
      if (overlong) skipped++;
      else take(Buffer.concat(tail.reverse()));
      tail = [];
      tailBytes = 0;
      overlong = false;
    };
    /** Adds a piece of the current line (pieces arrive last first). */
    const keep = (piece: Buffer) => {
      if (overlong || piece.length === 0) return;
      tailBytes += piece.length;
      if (tailBytes > MAX_LINE_BYTES) {
        overlong = true;
        tail = [];
        return;
      }
      tail.push(Buffer.from(piece));
    };
    while (position > 0 && !done()) {
      const length = Math.min(CHUNK_BYTES, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      // Newline bytes never occur inside a UTF-8 sequence: splitting on them is safe.
      let end = length;
      for (let i = length - 1; i >= 0 && !done(); i--) {
        if (chunk[i] !== 0x0a) continue;
        keep(chunk.subarray(i + 1, end));
        finishLine();
        end = i;
      }
      if (!done()) keep(chunk.subarray(0, end));
    }
    if (position === 0 && !done() && (tailBytes > 0 || overlong)) finishLine();
  } finally {
    await handle.close();
  }
  return skipped;
}
