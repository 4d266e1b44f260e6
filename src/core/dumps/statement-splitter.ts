/**
 * Splits a plain SQL dump into statements as bytes arrive, without ever holding more
 * than the statement being kept: quotes, identifiers, comments and (PostgreSQL) dollar
 * quotes and COPY data are tracked across chunk boundaries. Nothing here interprets
 * SQL beyond finding where a statement ends; the dump is data, never executed.
 *
 * Which statements are kept is the caller's choice, made from a statement's first
 * bytes (`wants`): a 2 GB dump of cache tables is scanned, not buffered.
 */
import { AppFailure } from '../../shared/errors.js';

export type DumpDialect = 'mysql' | 'pgsql';

export interface SplitterEvents {
  /** From a statement's first bytes (latin1, at most HEAD_BYTES): keep it whole? */
  wants(head: string): boolean;
  /**
   * A kept statement, without its `;`. For a PostgreSQL `COPY … FROM stdin` the answer
   * says whether its data lines are wanted ('copy-keep') or only skipped ('copy-skip').
   */
  statement(bytes: Buffer): 'copy-keep' | 'copy-skip' | void;
  /** A line comment outside statements (the dump's header and trailer), its text cut at 200 bytes. */
  comment(text: string): void;
  /** One data line of a kept COPY block, without its newline (never the closing `\.`). */
  copyLine(line: Buffer): void;
}

/** How much of a statement is looked at to decide whether to keep it. */
export const HEAD_BYTES = 512;
/** The largest statement or COPY line kept (mysqldump writes about 1 MiB per INSERT). */
export const MAX_KEPT_BYTES = 64 * 1024 * 1024;

const enum State {
  Normal,
  Single,
  Double,
  Backtick,
  LineComment,
  BlockComment,
  Dollar,
  Copy,
}

const SEMICOLON = 0x3b;
const QUOTE = 0x27;
const DQUOTE = 0x22;
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;
const DASH = 0x2d;
const HASH = 0x23;
const SLASH = 0x2f;
const STAR = 0x2a;
const DOLLAR = 0x24;
const NEWLINE = 0x0a;

/** Bytes that may change the state in a statement: quotes, comment and dollar openers, `;`, `\`. */
const SPECIAL = new Uint8Array(256);
for (const byte of [SEMICOLON, QUOTE, DQUOTE, BACKTICK, BACKSLASH, DASH, HASH, SLASH, DOLLAR]) SPECIAL[byte] = 1;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0c || byte === 0x0b;
}

function isIdentifierByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x5f || byte >= 0x80;
}

export class StatementSplitter {
  private state = State.Normal;
  /** A backslash was the last byte inside a MySQL string (or a PostgreSQL E'' string). */
  private escaped = false;
  /** PostgreSQL: the current string is an E'' string (backslash escapes). */
  private escapeString = false;
  /** PostgreSQL block comments nest. */
  private commentDepth = 0;
  private dollarTag = '';
  /** Bytes of an unfinished token (or COPY line) carried to the next chunk. */
  private carry: Buffer | null = null;
  /** The statement so far: kept parts, or only its length when skipped. */
  private parts: Buffer[] = [];
  private length = 0;
  private started = false;
  private decided: boolean | null = null;
  private comment: number[] = [];
  private copyKeep = false;
  private copyLine: Buffer[] = [];
  private copyLength = 0;

  constructor(
    private readonly dialect: DumpDialect,
    private readonly events: SplitterEvents,
  ) {}

  /** True while inside a statement or a COPY block: at the end of input, the dump was cut short. */
  get unfinished(): boolean {
    return this.started || this.state === State.Copy || this.state === State.Single || this.state === State.Double;
  }

  push(chunk: Buffer): void {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    this.scan(data, false);
  }

  /** The end of input: a last statement without its `;` is still a statement. */
  end(): void {
    if (this.carry) {
      const rest = this.carry;
      this.carry = null;
      this.scan(rest, true);
    }
    if (this.state === State.LineComment) this.flushComment();
  }

  private scan(data: Buffer, final: boolean): void {
    let i = 0;
    // Where the statement's bytes in this chunk begin (when one is open).
    let from = this.started ? 0 : -1;
    const n = data.length;
    const mysql = this.dialect === 'mysql';
    while (i < n) {
      const c = data[i]!;
      switch (this.state) {
        case State.Copy: {
          const end = data.indexOf(NEWLINE, i);
          if (end === -1) {
            this.addCopyBytes(data.subarray(i));
            i = n;
            break;
          }
          this.addCopyBytes(data.subarray(i, end));
          this.finishCopyLine();
          i = end + 1;
          continue;
        }
        case State.Single:
        case State.Double:
        case State.Backtick: {
          const close = this.state === State.Single ? QUOTE : this.state === State.Double ? DQUOTE : BACKTICK;
          const backslashes = this.state !== State.Backtick && (mysql || this.escapeString);
          if (this.escaped) {
            // The byte after a backslash that ended the last chunk.
            this.escaped = false;
            i++;
            continue;
          }
          // Jump to the next quote; it closes the string unless an odd run of backslashes escapes it.
          const q = data.indexOf(close, i);
          if (q === -1) {
            if (backslashes) {
              let run = 0;
              for (let k = n - 1; k >= i && data[k] === BACKSLASH; k--) run++;
              this.escaped = run % 2 === 1;
            }
            i = n;
            break;
          }
          if (backslashes) {
            let run = 0;
            for (let k = q - 1; k >= i && data[k] === BACKSLASH; k--) run++;
            if (run % 2 === 1) {
              i = q + 1;
              continue;
            }
          }
          // A doubled quote is a quote inside; decide once the next byte is here.
          if (q + 1 >= n && !final) {
            this.carryFrom(data, q, from);
            return;
          }
          if (data[q + 1] === close) {
            i = q + 2;
            continue;
          }
          this.state = State.Normal;
          this.escapeString = false;
          i = q + 1;
          continue;
        }
        case State.LineComment: {
          if (c === NEWLINE) {
            this.flushComment();
            this.state = State.Normal;
          } else if (!this.started && this.comment.length < 200) {
            this.comment.push(c);
          }
          i++;
          continue;
        }
        case State.BlockComment: {
          if (i + 1 >= n && !final && (c === STAR || c === SLASH)) {
            this.carryFrom(data, i, from);
            return;
          }
          if (c === STAR && data[i + 1] === SLASH) {
            this.commentDepth--;
            i += 2;
            if (this.commentDepth === 0) this.state = State.Normal;
            continue;
          }
          if (!mysql && c === SLASH && data[i + 1] === STAR) {
            this.commentDepth++;
            i += 2;
            continue;
          }
          i++;
          continue;
        }
        case State.Dollar: {
          if (c === DOLLAR) {
            const tag = this.dollarTag;
            if (i + tag.length > n && !final) {
              this.carryFrom(data, i, from);
              return;
            }
            if (data.toString('latin1', i, i + tag.length) === tag) {
              this.state = State.Normal;
              i += tag.length;
              continue;
            }
          }
          i++;
          continue;
        }
        case State.Normal: {
          if (this.started && !SPECIAL[c]) {
            // Inside a statement, runs of ordinary bytes (numbers, commas, names) need no look.
            i++;
            while (i < n && !SPECIAL[data[i]!]) i++;
            continue;
          }
          if (c === SEMICOLON) {
            if (this.started) {
              this.appendPart(data, from, i);
              from = -1;
              this.finishStatement();
              // A COPY block begins on the next line.
              if ((this.state as State) === State.Copy) {
                const eol = data.indexOf(NEWLINE, i);
                if (eol === -1) {
                  i = n;
                  this.skipToCopyLine = true;
                  break;
                }
                i = eol + 1;
                continue;
              }
            }
            i++;
            continue;
          }
          // Two-byte openers need their second byte.
          if ((c === DASH || c === SLASH || c === DOLLAR) && i + 1 >= n && !final) {
            this.carryFrom(data, i, from);
            return;
          }
          if (c === DASH && data[i + 1] === DASH && (!mysql || i + 2 >= n || isSpace(data[i + 2]!))) {
            from = this.closePart(data, from, i);
            this.state = State.LineComment;
            this.comment = [];
            i += 2;
            continue;
          }
          // psql meta-commands between statements (pg_dump 15.14+ writes \restrict and
          // \unrestrict around a dump): a line, not SQL, and nothing we read.
          if (!mysql && c === BACKSLASH && !this.started) {
            this.state = State.LineComment;
            this.comment = [];
            this.metaCommand = true;
            i++;
            continue;
          }
          if (mysql && c === HASH) {
            from = this.closePart(data, from, i);
            this.state = State.LineComment;
            this.comment = [];
            i++;
            continue;
          }
          if (c === SLASH && data[i + 1] === STAR) {
            // MySQL's /*!40101 … */ are comments to us too: we execute nothing.
            from = this.closePart(data, from, i);
            this.state = State.BlockComment;
            this.commentDepth = 1;
            i += 2;
            continue;
          }
          if (isSpace(c)) {
            i++;
            continue;
          }
          if (!this.started) {
            this.started = true;
            this.decided = null;
            this.parts = [];
            this.length = 0;
          }
          if (from === -1) from = i;
          if (c === QUOTE) {
            this.state = State.Single;
            const e = this.before(data, i, 1);
            const ahead = this.before(data, i, 2);
            this.escapeString = !mysql && (e === 0x45 || e === 0x65) && (ahead === undefined || !isIdentifierByte(ahead));
          } else if (c === DQUOTE) {
            this.state = State.Double;
          } else if (mysql && c === BACKTICK) {
            this.state = State.Backtick;
          } else if (!mysql && c === DOLLAR && !isIdentifierByte(this.before(data, i, 1) ?? 0x20)) {
            const tagEnd = data.indexOf(DOLLAR, i + 1);
            if (tagEnd === -1 && !final && n - i < 64) {
              this.carryFrom(data, i, from);
              return;
            }
            const tag = tagEnd === -1 ? null : data.toString('latin1', i, tagEnd + 1);
            if (tag !== null && /^\$[A-Za-z_0-9]*\$$/.test(tag)) {
              this.dollarTag = tag;
              this.state = State.Dollar;
              i = tagEnd + 1;
              continue;
            }
          }
          i++;
          continue;
        }
      }
    }
    if (this.started && from !== -1) this.appendPart(data, from, n);
    this.tail = Buffer.from(data.subarray(Math.max(0, n - 2)));
  }

  /** The last bytes of the previous chunk: what precedes a quote at a chunk's start. */
  private tail = Buffer.alloc(0);

  /** The byte `k` places before `i`, reaching into the previous chunk. */
  private before(data: Buffer, i: number, k: number): number | undefined {
    return i - k >= 0 ? data[i - k] : this.tail[this.tail.length - (k - i)];
  }

  /** After `COPY … FROM stdin;` the rest of its line is not data. */
  private skipToCopyLine = false;

  /** Keeps the unfinished end of a chunk (from `at`) for the next one. */
  private carryFrom(data: Buffer, at: number, from: number): void {
    if (this.started && from !== -1 && from < at) this.appendPart(data, from, at);
    this.carry = Buffer.from(data.subarray(at));
    this.tail = Buffer.from(data.subarray(Math.max(0, at - 2), at));
  }

  /** The statement's bytes up to a comment inside it; returns the new `from` (none open). */
  private closePart(data: Buffer, from: number, at: number): number {
    if (this.started) this.appendPart(data, from, at);
    return this.started ? -1 : from;
  }

  private appendPart(data: Buffer, from: number, to: number): void {
    if (from < 0 || to <= from) return;
    const part = data.subarray(from, to);
    this.length += part.length;
    if (this.decided === false) return;
    // A view, not a copy: file and gunzip streams hand over a new buffer for every chunk.
    this.parts.push(part);
    if (this.decided === null && this.length >= HEAD_BYTES) this.decide();
    if (this.decided && this.length > MAX_KEPT_BYTES) {
      throw new AppFailure('DATABASE', `The dump has a statement longer than ${MAX_KEPT_BYTES / 1024 / 1024} MiB in a table the audit needs; mysqldump and pg_dump never write one. Is the file damaged?`);
    }
  }

  private decide(): void {
    const head = Buffer.concat(this.parts).toString('latin1', 0, HEAD_BYTES);
    this.decided = this.events.wants(head);
    if (!this.decided) this.parts = [];
  }

  private finishStatement(): void {
    if (this.decided === null) this.decide();
    const keep = this.decided;
    const bytes = keep ? Buffer.concat(this.parts) : null;
    this.started = false;
    this.parts = [];
    this.length = 0;
    this.decided = null;
    if (!bytes) return;
    const copy = this.events.statement(bytes);
    if (copy) {
      this.state = State.Copy;
      this.copyKeep = copy === 'copy-keep';
      this.copyLine = [];
      this.copyLength = 0;
    }
  }

  private addCopyBytes(bytes: Buffer): void {
    if (this.skipToCopyLine) return;
    this.copyLength += bytes.length;
    if (this.copyKeep || this.copyLength <= 2) this.copyLine.push(Buffer.from(bytes));
    if (this.copyKeep && this.copyLength > MAX_KEPT_BYTES) {
      throw new AppFailure('DATABASE', `The dump has a COPY line longer than ${MAX_KEPT_BYTES / 1024 / 1024} MiB in a table the audit needs. Is the file damaged?`);
    }
  }

  private finishCopyLine(): void {
    if (this.skipToCopyLine) {
      // The end of the COPY statement's own line.
      this.skipToCopyLine = false;
      this.copyLine = [];
      this.copyLength = 0;
      return;
    }
    const line = this.copyLine.length === 1 ? this.copyLine[0]! : Buffer.concat(this.copyLine);
    const length = this.copyLength;
    this.copyLine = [];
    this.copyLength = 0;
    const text = length <= 3 ? line.toString('latin1').replace(/\r$/, '') : '';
    if (text === '\\.') {
      this.state = State.Normal;
      return;
    }
    if (this.copyKeep) this.events.copyLine(line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line);
  }

  /** The line comment being read is a psql meta-command: not reported as a comment. */
  private metaCommand = false;

  private flushComment(): void {
    if (this.comment.length > 0 && !this.metaCommand) this.events.comment(Buffer.from(this.comment).toString('utf8').trim());
    this.comment = [];
    this.metaCommand = false;
  }
}
