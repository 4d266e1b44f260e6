/**
 * What a file given as a database is, from its content, never its name: a SQLite
 * database, a plain mysqldump / mariadb-dump or pg_dump dump (optionally gzipped), or
 * something refused with a message that says what would work. And the dump's bytes as
 * a stream, decompressed, with a guard against a gzip that expands without end.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { open } from 'node:fs/promises';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
import { AppFailure } from '../../shared/errors.js';
import type { DumpDialect } from './statement-splitter.js';

export type FileKind = { kind: 'sqlite' } | { kind: 'dump'; dialect: DumpDialect; gzip: boolean };

/** How much of the start is read to recognise a dump. */
const SNIFF_BYTES = 64 * 1024;
/** No dump compresses better than this; a gzip that does is refused (a "gzip bomb"). */
export const MAX_GZIP_RATIO = 200;
/** Below this much output the ratio is not judged (small files compress oddly well). */
const RATIO_FLOOR = 16 * 1024 * 1024;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** The first line that says what wrote the dump, past what precedes it in real dumps. */
function dumpHeader(text: string): DumpDialect | null {
  for (const raw of text.split('\n').slice(0, 200)) {
    const line = raw.trim();
    // mariadb-dump 10.11+ opens with a sandbox-mode comment; split dumps (and ours) with
    // CREATE DATABASE / USE; pg_dump with a bare "--".
    if (line === '' || line === '--' || line.startsWith('/*M!999999') || /^CREATE DATABASE\b/i.test(line) || /^USE\b/i.test(line)) continue;
    if (/^-- (MySQL|MariaDB) dump\b/i.test(line)) return 'mysql';
    if (/^-- PostgreSQL database dump\b/i.test(line)) return 'pgsql';
    return null;
  }
  return null;
}

/** The first decompressed bytes of a gzip, from its first compressed bytes (more may follow). */
async function gunzipStart(head: Buffer): Promise<Buffer> {
  const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
  const out: Buffer[] = [];
  let length = 0;
  try {
    gunzip.end(head);
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      out.push(chunk);
      length += chunk.length;
      if (length >= SNIFF_BYTES) break;
    }
  } catch (error) {
    if (length === 0) throw new AppFailure('DATABASE', `The file is gzip-compressed but cannot be decompressed (${(error as Error).message}).`);
  } finally {
    gunzip.destroy();
  }
  return Buffer.concat(out).subarray(0, SNIFF_BYTES);
}

/** Recognises the file; throws a DATABASE failure for what cannot be audited. Empty files count as SQLite. */
export async function sniffFile(path: string): Promise<FileKind> {
  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    // Missing or unreadable: the SQLite path reports it as it always has.
    return { kind: 'sqlite' };
  }
  if (head.length === 0 || head.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return { kind: 'sqlite' };
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const content = gzip ? await gunzipStart(head) : head;
  if (content.subarray(0, 5).toString('latin1') === 'PGDMP') {
    throw new AppFailure(
      'DATABASE',
      'This is a pg_dump archive (custom, directory or tar format), which only pg_restore reads. Make a plain dump of it and open that: pg_restore -f dump.sql <archive> (or pg_dump --format=plain).',
    );
  }
  const dialect = dumpHeader(content.toString('utf8'));
  if (dialect) return { kind: 'dump', dialect, gzip };
  const printable = content.subarray(0, 512).every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b !== 127));
  throw new AppFailure(
    'DATABASE',
    `${path} is neither a SQLite database nor a plain dump from mysqldump / mariadb-dump or pg_dump` +
      (printable ? ' (such a dump begins with "-- MySQL dump", "-- MariaDB dump" or "-- PostgreSQL database dump").' : ` (its first bytes are binary${gzip ? ', after gzip' : ''}).`),
  );
}

export interface DumpBytes {
  /** The dump's bytes, decompressed. */
  chunks: AsyncIterable<Buffer>;
  /** Bytes of the file read so far (compressed, for a gzip), for progress. */
  fileBytesRead: () => number;
  /** Every byte of the file as read, for its SHA-256. */
  onFileBytes: (listener: (chunk: Buffer) => void) => void;
}

/** Streams the dump, decompressing a gzip; refuses one that expands more than any dump does. */
export function readDump(path: string, gzip: boolean, signal?: AbortSignal): DumpBytes {
  let fileBytes = 0;
  const listeners: Array<(chunk: Buffer) => void> = [];
  // The file's own bytes, counted and shown to listeners (the fingerprint) as they are read.
  async function* fileChunks(): AsyncGenerator<Buffer> {
    const file = createReadStream(path, { highWaterMark: 1024 * 1024, ...(signal ? { signal } : {}) });
    try {
      for await (const chunk of file as AsyncIterable<Buffer>) {
        fileBytes += chunk.length;
        for (const listener of listeners) listener(chunk);
        yield chunk;
      }
    } finally {
      file.destroy();
    }
  }
  async function* decompressed(): AsyncGenerator<Buffer> {
    if (!gzip) {
      yield* fileChunks();
      return;
    }
    const gunzip = Readable.from(fileChunks()).pipe(createGunzip({ chunkSize: 1024 * 1024 }));
    let out = 0;
    try {
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        out += chunk.length;
        if (out > RATIO_FLOOR && out > MAX_GZIP_RATIO * Math.max(fileBytes, 1)) {
          throw new AppFailure('DATABASE', `The gzip file expands more than ${MAX_GZIP_RATIO} times its size, which no database dump does: refused as a possible gzip bomb.`);
        }
        yield chunk;
      }
    } catch (error) {
      if (error instanceof AppFailure || (error as NodeJS.ErrnoException).code === 'ABORT_ERR') throw error;
      const message = String((error as Error).message);
      throw new AppFailure(
        'DATABASE',
        (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' || /unexpected end/i.test(message)
          ? 'The gzip file ends early: it was cut short (copy or download it again).'
          : `The gzip file cannot be decompressed (${message}).`,
      );
    } finally {
      gunzip.destroy();
    }
  }
  return { chunks: decompressed(), fileBytesRead: () => fileBytes, onFileBytes: (listener) => listeners.push(listener) };
}
