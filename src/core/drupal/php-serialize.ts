/**
 * A strict, bounded reader for PHP's serialize() format and for the `php` session
 * format (`key|<serialized value>` repeated).
 *
 * Why hand-written: session blobs come from a database we do not control and may be
 * truncated, corrupt or hostile. This reader never instantiates anything, never
 * recurses deeper than MAX_DEPTH, never reads past the buffer, and works on bytes
 * because PHP string lengths count bytes, not characters. Every failure is a
 * `PhpParseError`; callers turn it into "unreadable".
 */

export type PhpValue = null | boolean | number | string | PhpArray;

/** A PHP array: ordered keys, as PHP keeps them. Keys are strings or integers. */
export class PhpArray {
  readonly entries: Array<[string | number, PhpValue]> = [];

  get(key: string | number): PhpValue | undefined {
    for (const [k, v] of this.entries) {
      // PHP treats "1" and 1 as the same array key.
      if (k === key || String(k) === String(key)) return v;
    }
    return undefined;
  }

  keys(): Array<string | number> {
    return this.entries.map(([k]) => k);
  }
}

export class PhpParseError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'PhpParseError';
  }
}

const MAX_DEPTH = 32;
const decoder = new TextDecoder('utf-8', { fatal: false });

const enum Char {
  Quote = 0x22,
  Colon = 0x3a,
  Semicolon = 0x3b,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
  Pipe = 0x7c,
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  fail(message: string): never {
    throw new PhpParseError(message, this.pos);
  }

  expect(byte: number): void {
    if (this.buf[this.pos] !== byte) this.fail(`expected '${String.fromCharCode(byte)}'`);
    this.pos++;
  }

  /** Reads bytes up to (not including) `terminator`, which is consumed. */
  readUntil(terminator: number, maxLength: number): string {
    const start = this.pos;
    const limit = Math.min(this.buf.length, start + maxLength + 1);
    for (let i = start; i < limit; i++) {
      if (this.buf[i] === terminator) {
        this.pos = i + 1;
        return decoder.decode(this.buf.subarray(start, i));
      }
    }
    return this.fail(`unterminated token (wanted '${String.fromCharCode(terminator)}')`);
  }

  /** An integer read straight from the bytes (no string made): the most common token. */
  readInt(terminator: number): number {
    const buf = this.buf;
    let i = this.pos;
    let sign = 1;
    if (buf[i] === 0x2d /* - */) {
      sign = -1;
      i++;
    } else if (buf[i] === 0x2b /* + */) {
      i++;
    }
    const first = i;
    let value = 0;
    for (; i < buf.length && i - first <= 20; i++) {
      const byte = buf[i]!;
      if (byte === terminator) break;
      if (byte < 0x30 || byte > 0x39) this.fail('bad integer');
      value = value * 10 + (byte - 0x30);
    }
    if (i === first || buf[i] !== terminator) this.fail(i === first ? 'bad integer' : `unterminated integer (wanted '${String.fromCharCode(terminator)}')`);
    this.pos = i + 1;
    return sign * value;
  }

  readLength(): number {
    const n = this.readInt(Char.Colon);
    if (n < 0) this.fail('negative length');
    return n;
  }

  readValue(depth: number): PhpValue {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const type = this.buf[this.pos];
    if (type === undefined) this.fail('unexpected end of data');
    if (type === 0x4e /* N */) {
      this.pos++;
      this.expect(Char.Semicolon);
      return null;
    }
    this.pos++;
    this.expect(Char.Colon);
    switch (type) {
      case 0x62 /* b */: {
        const v = this.readInt(Char.Semicolon);
        if (v !== 0 && v !== 1) this.fail('bad boolean');
        return v === 1;
      }
      case 0x69 /* i */:
        return this.readInt(Char.Semicolon);
      case 0x64 /* d */: {
        const text = this.readUntil(Char.Semicolon, 64);
        if (text === 'INF') return Infinity;
        if (text === '-INF') return -Infinity;
        if (text === 'NAN') return NaN;
        const v = Number(text);
        if (text === '' || Number.isNaN(v)) this.fail(`bad float '${text}'`);
        return v;
      }
      case 0x73 /* s */: {
        const length = this.readLength();
        this.expect(Char.Quote);
        const end = this.pos + length;
        if (end > this.buf.length) this.fail('string length runs past the end of data');
        const value = decoder.decode(this.buf.subarray(this.pos, end));
        this.pos = end;
        this.expect(Char.Quote);
        this.expect(Char.Semicolon);
        return value;
      }
      case 0x61 /* a */: {
        const count = this.readLength();
        this.expect(Char.OpenBrace);
        const array = new PhpArray();
        for (let i = 0; i < count; i++) {
          const key = this.readValue(depth + 1);
          if (typeof key !== 'string' && typeof key !== 'number') this.fail('bad array key');
          array.entries.push([key, this.readValue(depth + 1)]);
        }
        this.expect(Char.CloseBrace);
        return array;
      }
      default:
        // O: (objects), C: (custom serialized), r:/R: (references), E: (enums):
        // refused on purpose. We never instantiate or follow anything.
        return this.fail(`unsupported type '${String.fromCharCode(type)}'`);
    }
  }
}

/**
 * A serialized column as a driver returns it: a Buffer (BLOB, bytea, longblob), a
 * string (SQLite stores Drupal's blobs as TEXT), or NULL.
 */
export function serializedColumn(value: unknown): Uint8Array | string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Uint8Array ? value : String(value);
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}

/** Parses one value written by PHP's serialize(). The whole input must be consumed. */
export function phpUnserialize(data: Uint8Array | string): PhpValue {
  const reader = new Reader(toBytes(data));
  const value = reader.readValue(0);
  if (reader.pos !== reader.buf.length) reader.fail('trailing data');
  return value;
}

/**
 * Parses PHP's `php` session format: `name|<value>name|<value>…`.
 * Returns the top-level entries in order. Empty input gives no entries.
 */
export function parsePhpSession(data: Uint8Array | string): Map<string, PhpValue> {
  const reader = new Reader(toBytes(data));
  const entries = new Map<string, PhpValue>();
  while (reader.pos < reader.buf.length) {
    // PHP session keys may not contain '|' (PS_DELIMITER); 256 bytes is generous.
    const name = reader.readUntil(Char.Pipe, 256);
    if (name === '') reader.fail('empty session key');
    entries.set(name, reader.readValue(0));
  }
  return entries;
}

/** A value PHP's serialize() can write, for what we write ourselves (watchdog, demo data). */
export type Serializable = null | boolean | number | string | Serializable[] | { [key: string]: Serializable };

/** PHP serialize(). Plain objects become string-keyed arrays, JS arrays list arrays. */
export function phpSerialize(value: Serializable): string {
  if (value === null) return 'N;';
  if (typeof value === 'boolean') return `b:${value ? 1 : 0};`;
  if (typeof value === 'number') return Number.isInteger(value) ? `i:${value};` : `d:${value};`;
  if (typeof value === 'string') return `s:${new TextEncoder().encode(value).length}:"${value}";`;
  const entries: Array<[string | number, Serializable]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const body = entries.map(([k, v]) => (typeof k === 'number' ? `i:${k};` : phpSerialize(k)) + phpSerialize(v)).join('');
  return `a:${entries.length}:{${body}}`;
}
