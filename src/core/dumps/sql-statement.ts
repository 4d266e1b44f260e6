/**
 * Reads the few statements of a dump the audit needs (CREATE TABLE for column names
 * and types, INSERT/REPLACE rows, PostgreSQL's COPY header) from their bytes. A value
 * stays as the dump wrote it: NULL, a bare token (a number), or a string's bytes, so a
 * blob is never decoded as text by mistake. Anything else is not understood, and says so.
 */
import { AppFailure } from '../../shared/errors.js';
import type { DumpDialect } from './statement-splitter.js';

/** NULL, a bare token as written (`42`, `-1.5`), or a string literal's bytes. */
export type DumpValue = null | string | Buffer;

export interface TableName {
  /** The schema or database named before the dot, if any. */
  schema: string | null;
  name: string;
}

export interface DumpColumn {
  name: string;
  /** The declared type's first word, lower case: `int`, `longblob`, `bytea`, `character`. */
  type: string;
}

export type DumpStatement =
  | { kind: 'create'; table: TableName; columns: DumpColumn[] }
  | { kind: 'insert'; table: TableName; columns: string[] | null; rows: DumpValue[][] }
  | { kind: 'copy'; table: TableName; columns: string[] | null };

/** Constraint lines of a CREATE TABLE, never column names when written bare. */
const NOT_COLUMNS = new Set(['primary', 'key', 'unique', 'index', 'constraint', 'fulltext', 'spatial', 'check', 'foreign', 'exclude', 'like', 'period']);

function damaged(what: string): AppFailure {
  return new AppFailure('DATABASE', `The dump cannot be read: ${what}. Is the file damaged, or not a plain mysqldump / pg_dump dump?`);
}

const MYSQL_ESCAPES: Record<number, number> = {
  0x30: 0x00, // \0
  0x62: 0x08, // \b
  0x6e: 0x0a, // \n
  0x72: 0x0d, // \r
  0x74: 0x09, // \t
  0x5a: 0x1a, // \Z
};

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Digits, '.', 'e', 'E', '+', '-': the rest of a number. */
function isNumberByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

class Reader {
  i = 0;
  constructor(
    readonly bytes: Buffer,
    readonly dialect: DumpDialect,
  ) {}

  get done(): boolean {
    this.skipSpace();
    return this.i >= this.bytes.length;
  }

  skipSpace(): void {
    const b = this.bytes;
    for (;;) {
      const c = b[this.i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c) this.i++;
      else if (c === 0x2f && b[this.i + 1] === 0x2a) {
        const end = b.indexOf('*/', this.i + 2, 'latin1');
        this.i = end === -1 ? b.length : end + 2;
      } else if (c === 0x2d && b[this.i + 1] === 0x2d) {
        const end = b.indexOf(0x0a, this.i);
        this.i = end === -1 ? b.length : end + 1;
      } else return;
    }
  }

  peek(): number | undefined {
    this.skipSpace();
    return this.bytes[this.i];
  }

  /** A bare word (keyword or unquoted name), or null. */
  word(): string | null {
    this.skipSpace();
    const start = this.i;
    const b = this.bytes;
    while (this.i < b.length) {
      const c = b[this.i]!;
      if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || c >= 0x80) this.i++;
      else break;
    }
    return this.i > start ? b.toString('utf8', start, this.i) : null;
  }

  keyword(expected: string): boolean {
    const at = this.i;
    const word = this.word();
    if (word !== null && word.toLowerCase() === expected) return true;
    this.i = at;
    return false;
  }

  expect(byte: number, what: string): void {
    if (this.peek() !== byte) throw damaged(`expected ${what} at byte ${this.i} of a statement`);
    this.i++;
  }

  /** A name: `quoted` (MySQL), "quoted" (PostgreSQL), or bare. */
  identifier(): string {
    const c = this.peek();
    const quote = this.dialect === 'mysql' ? 0x60 : 0x22;
    if (c === quote || (this.dialect === 'mysql' && c === 0x22)) {
      const close = c;
      const b = this.bytes;
      const parts: Buffer[] = [];
      let from = ++this.i;
      for (;;) {
        const end = b.indexOf(close, from);
        if (end === -1) throw damaged('an identifier is not closed');
        parts.push(b.subarray(from, end));
        if (b[end + 1] === close) {
          parts.push(b.subarray(end, end + 1));
          from = end + 2;
          continue;
        }
        this.i = end + 1;
        return Buffer.concat(parts).toString('utf8');
      }
    }
    const word = this.word();
    if (word === null) throw damaged(`expected a name at byte ${this.i} of a statement`);
    return word;
  }

  tableName(): TableName {
    const first = this.identifier();
    if (this.bytes[this.i] === 0x2e) {
      this.i++;
      return { schema: first, name: this.identifier() };
    }
    return { schema: null, name: first };
  }

  /** `(a, b, c)` */
  columnList(): string[] {
    this.expect(0x28, '(');
    const names: string[] = [];
    for (;;) {
      names.push(this.identifier());
      const c = this.peek();
      this.i++;
      if (c === 0x29) return names;
      if (c !== 0x2c) throw damaged('a column list is not closed');
    }
  }

  /** A string literal from its opening quote: its bytes, escapes resolved. */
  string(backslashes: boolean): Buffer {
    const b = this.bytes;
    const quote = b[this.i]!;
    const start = ++this.i;
    // The closing quote: not one escaped by an odd run of backslashes, nor a doubled one.
    let close = b.indexOf(quote, start);
    let plain = true;
    for (;;) {
      if (close === -1) throw damaged('a string is not closed');
      if (backslashes) {
        let run = 0;
        for (let k = close - 1; k >= start && b[k] === 0x5c; k--) run++;
        if (run % 2 === 1) {
          plain = false;
          close = b.indexOf(quote, close + 1);
          continue;
        }
      }
      if (b[close + 1] === quote) {
        plain = false;
        close = b.indexOf(quote, close + 2);
        continue;
      }
      break;
    }
    this.i = close + 1;
    if (plain && (!backslashes || b.indexOf(0x5c, start) === -1 || b.indexOf(0x5c, start) > close)) return b.subarray(start, close);
    // One pass over the string's bytes into one buffer (never longer than the literal).
    const out = Buffer.allocUnsafe(close - start);
    let o = 0;
    for (let i = start; i < close; i++) {
      const c = b[i]!;
      if (c === quote) {
        out[o++] = quote;
        i++;
      } else if (c === 0x5c && backslashes) {
        const next = b[i + 1]!;
        if (this.dialect === 'mysql') {
          // \% and \_ keep their backslash (they are LIKE escapes to MySQL).
          if (next === 0x25 || next === 0x5f) out[o++] = 0x5c;
          out[o++] = MYSQL_ESCAPES[next] ?? next;
          i++;
        } else {
          const escape = this.pgEscape(i);
          o += escape.bytes.copy(out, o);
          i = escape.next - 1;
        }
      } else {
        out[o++] = c;
      }
    }
    return out.subarray(0, o);
  }

  /** PostgreSQL E'' escapes: \n and friends, octal, \xHH, \uXXXX: the bytes, and where to go on. */
  private pgEscape(slash: number): { bytes: Buffer; next: number } {
    const b = this.bytes;
    const next = String.fromCharCode(b[slash + 1]!);
    const simple: Record<string, number> = { b: 8, f: 12, n: 10, r: 13, t: 9 };
    if (next in simple) return { bytes: Buffer.of(simple[next]!), next: slash + 2 };
    const octal = /^[0-7]{1,3}/.exec(b.toString('latin1', slash + 1, slash + 4));
    if (octal) return { bytes: Buffer.of(parseInt(octal[0], 8) & 0xff), next: slash + 1 + octal[0].length };
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(b.toString('latin1', slash + 1, slash + 4));
    if (hex) return { bytes: Buffer.of(parseInt(hex[1]!, 16)), next: slash + 2 + hex[1]!.length };
    const unicode = /^(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/.exec(b.toString('latin1', slash + 1, slash + 10));
    if (unicode) return { bytes: Buffer.from(String.fromCodePoint(parseInt(unicode[0].slice(1), 16)), 'utf8'), next: slash + 1 + unicode[0].length };
    return { bytes: b.subarray(slash + 1, slash + 2), next: slash + 2 };
  }

  value(): DumpValue {
    const c = this.peek();
    const b = this.bytes;
    if (c === 0x27) return this.string(this.dialect === 'mysql');
    if (this.dialect === 'mysql' && c === 0x22) return this.string(true);
    if (c === 0x2d || c === 0x2b || c === 0x2e || (c !== undefined && c >= 0x30 && c <= 0x39)) {
      const start = this.i;
      if (c === 0x30 && (b[this.i + 1] === 0x78 || b[this.i + 1] === 0x58)) {
        // mysqldump --hex-blob: 0x5F7366…
        this.i += 2;
        const from = this.i;
        while (this.i < b.length && isHexDigit(b[this.i]!)) this.i++;
        return Buffer.from(b.toString('latin1', from, this.i), 'hex');
      }
      this.i++;
      while (this.i < b.length && isNumberByte(b[this.i]!)) this.i++;
      return b.toString('latin1', start, this.i);
    }
    const word = this.word();
    if (word === null) throw damaged(`unexpected "${String.fromCharCode(c ?? 0x20)}" among values at byte ${this.i}`);
    const lower = word.toLowerCase();
    if (lower === 'null') return null;
    if (lower === 'true') return '1';
    if (lower === 'false') return '0';
    const next = b[this.i];
    // X'…' (hex), b'…' (bits), E'…' (PostgreSQL escapes), _binary '…' / _utf8mb4'…' (introducers).
    if (next === 0x27 && (lower === 'x')) return Buffer.from(this.string(false).toString('latin1'), 'hex');
    if (next === 0x27 && lower === 'b') return String(parseInt(this.string(false).toString('latin1') || '0', 2));
    if (next === 0x27 && lower === 'e' && this.dialect === 'pgsql') return this.string(true);
    if (this.dialect === 'mysql' && word.startsWith('_')) {
      const after = this.peek();
      if (after === 0x27 || after === 0x22) return this.string(true);
      if (after === 0x30) return this.value();
    }
    throw damaged(`unexpected "${word.slice(0, 40)}" among values`);
  }

  /** PostgreSQL casts after a value (`'…'::bytea`): skipped, the value stays as written. */
  skipCast(): void {
    while (this.peek() === 0x3a && this.bytes[this.i + 1] === 0x3a) {
      this.i += 2;
      this.skipSpace();
      if (this.bytes[this.i] === 0x22) this.identifier();
      else this.word();
      while (this.peek() === 0x28 || this.peek() === 0x5b) {
        const close = this.bytes[this.i] === 0x28 ? 0x29 : 0x5d;
        const end = this.bytes.indexOf(close, this.i);
        this.i = end === -1 ? this.bytes.length : end + 1;
      }
      // Multi-word types: character varying, double precision, timestamp with time zone.
      for (;;) {
        const at = this.i;
        const word = this.word();
        if (word === null) break;
        if (!['varying', 'precision', 'with', 'without', 'time', 'zone'].includes(word.toLowerCase())) {
          this.i = at;
          break;
        }
      }
    }
  }

  row(): DumpValue[] {
    this.expect(0x28, '( before a row');
    const values: DumpValue[] = [];
    if (this.peek() === 0x29) {
      this.i++;
      return values;
    }
    for (;;) {
      values.push(this.value());
      this.skipCast();
      const c = this.peek();
      this.i++;
      if (c === 0x29) return values;
      if (c !== 0x2c) throw damaged('a row of values is not closed');
    }
  }
}

/** The column definitions of a CREATE TABLE body, constraints left out. */
function createTable(reader: Reader): DumpColumn[] {
  reader.expect(0x28, '( after CREATE TABLE');
  const columns: DumpColumn[] = [];
  const b = reader.bytes;
  for (;;) {
    const c = reader.peek();
    const quoted = c === 0x60 || c === 0x22;
    const at = reader.i;
    const first = quoted ? reader.identifier() : reader.word();
    if (first !== null && (quoted || !NOT_COLUMNS.has(first.toLowerCase()))) {
      const type = reader.word();
      columns.push({ name: first, type: (type ?? '').toLowerCase() });
    } else if (first === null && reader.i === at && c !== 0x29 && c !== 0x2c) {
      throw damaged('a CREATE TABLE cannot be read');
    }
    // On to the next top-level comma (or the closing parenthesis), past nested ( ) and strings.
    let depth = 0;
    for (;;) {
      const d = reader.peek();
      if (d === undefined) throw damaged('a CREATE TABLE is not closed');
      if (d === 0x27 || d === 0x22 || d === 0x60) {
        if (d === 0x27) reader.string(reader.dialect === 'mysql');
        else reader.identifier();
        continue;
      }
      reader.i++;
      if (d === 0x28) depth++;
      else if (d === 0x29) {
        if (depth === 0) return columns;
        depth--;
      } else if (d === 0x2c && depth === 0) break;
      void b;
    }
  }
}

/**
 * Reads a statement up to its table: the verb (REPLACE reads as INSERT), CREATE
 * [UNLOGGED] TABLE [IF NOT EXISTS], INSERT [modifiers] INTO, COPY. Null for other verbs.
 */
function readTarget(reader: Reader): { verb: 'insert' | 'create' | 'copy'; table: TableName } | null {
  const verb = reader.word()?.toLowerCase();
  if (verb === 'create') {
    reader.keyword('unlogged');
    if (!reader.keyword('table')) return null;
    if (reader.keyword('if')) {
      reader.keyword('not');
      reader.keyword('exists');
    }
    return { verb, table: reader.tableName() };
  }
  if (verb === 'insert' || verb === 'replace') {
    while (reader.keyword('ignore') || reader.keyword('low_priority') || reader.keyword('delayed') || reader.keyword('high_priority')) {
      // modifiers change nothing for a reader
    }
    if (!reader.keyword('into')) throw damaged('INSERT without INTO');
    return { verb: 'insert', table: reader.tableName() };
  }
  if (verb === 'copy') return { verb, table: reader.tableName() };
  return null;
}

/** One statement; null for those the audit does not read (SET, DROP, LOCK, ALTER…). */
export function parseStatement(bytes: Buffer, dialect: DumpDialect): DumpStatement | null {
  const reader = new Reader(bytes, dialect);
  const target = readTarget(reader);
  if (!target) return null;
  const { table } = target;
  if (target.verb === 'create') return { kind: 'create', table, columns: createTable(reader) };
  const columns = reader.peek() === 0x28 ? reader.columnList() : null;
  if (target.verb === 'copy') {
    if (!reader.keyword('from') || !reader.keyword('stdin')) return null;
    return { kind: 'copy', table, columns };
  }
  if (!reader.keyword('values')) throw damaged(`INSERT INTO ${table.name} without VALUES`);
  const rows: DumpValue[][] = [];
  for (;;) {
    rows.push(reader.row());
    if (reader.peek() !== 0x2c) break;
    reader.i++;
  }
  // ON DUPLICATE KEY UPDATE / ON CONFLICT DO NOTHING may follow: nothing to read there.
  return { kind: 'insert', table, columns, rows };
}

/** The table an INSERT, REPLACE, COPY or CREATE TABLE is about, from its first bytes; null for others. */
export function statementTable(head: string, dialect: DumpDialect): { verb: 'insert' | 'create' | 'copy'; table: TableName } | null {
  if (!/^\s*(insert|replace|create|copy)\b/i.test(head)) return null;
  try {
    // Names arrive as latin1 here; table names are ASCII in every Drupal site.
    return readTarget(new Reader(Buffer.from(head, 'latin1'), dialect));
  } catch {
    return null;
  }
}

/** One line of COPY … FROM stdin text format: tab-separated, \N for NULL, backslash escapes. */
export function copyValues(line: Buffer): DumpValue[] {
  const values: DumpValue[] = [];
  let from = 0;
  for (;;) {
    const tab = line.indexOf(0x09, from);
    const end = tab === -1 ? line.length : tab;
    values.push(copyField(line.subarray(from, end)));
    if (tab === -1) return values;
    from = tab + 1;
  }
}

const COPY_ESCAPES: Record<number, number> = { 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9, 0x76: 11 };

function copyField(field: Buffer): DumpValue {
  if (field.length === 2 && field[0] === 0x5c && field[1] === 0x4e) return null;
  if (field.indexOf(0x5c) === -1) return Buffer.from(field);
  const out = Buffer.allocUnsafe(field.length);
  let o = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field[i]!;
    if (c !== 0x5c || i + 1 >= field.length) {
      out[o++] = c;
      continue;
    }
    const next = field[++i]!;
    if (next >= 0x30 && next <= 0x37) {
      let value = next - 0x30;
      for (let k = 0; k < 2 && i + 1 < field.length && field[i + 1]! >= 0x30 && field[i + 1]! <= 0x37; k++) value = value * 8 + (field[++i]! - 0x30);
      out[o++] = value & 0xff;
    } else if (next === 0x78 && i + 1 < field.length && /[0-9a-fA-F]/.test(String.fromCharCode(field[i + 1]!))) {
      let hex = String.fromCharCode(field[++i]!);
      if (i + 1 < field.length && /[0-9a-fA-F]/.test(String.fromCharCode(field[i + 1]!))) hex += String.fromCharCode(field[++i]!);
      out[o++] = parseInt(hex, 16);
    } else {
      out[o++] = COPY_ESCAPES[next] ?? next;
    }
  }
  return out.subarray(0, o);
}
