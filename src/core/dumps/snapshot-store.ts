/**
 * Snapshots of dumps, kept in the data folder (`snapshots/`, owner-only) so that a
 * dump opened again opens at once. A snapshot is keyed by its dump's identity (size,
 * modification time, and a hash of its first and last MiB): a changed or replaced file
 * is imported afresh. Each is a SQLite file with a JSON record beside it; an import
 * writes to a `.partial` file renamed into place only when complete, so a failed or
 * cancelled import leaves nothing that could be mistaken for a snapshot.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppFailure } from '../../shared/errors.js';
import { importDump, type DumpFacts, type ImportProgress } from './import-dump.js';
import type { DumpDialect } from './statement-splitter.js';
import type { DumpImporter } from './import-worker.js';

export interface SnapshotRecord extends DumpFacts {
  id: string;
  source: { path: string; size: number; mtimeMs: number };
  /** When the dump was made, for judging activity: from the dump, else the file's modification time. */
  asOf: number;
  /** Where `asOf` came from: the dump's own words, or the file's modification time. */
  asOfFrom: 'dump' | 'file';
  importedAt: number;
  /** Size of the snapshot's SQLite file. */
  snapshotBytes: number;
}

const MIB = 1024 * 1024;
const ID = /^[0-9a-f]{24}$/;

export function snapshotsFolder(dataHome: string): string {
  return join(dataHome, 'snapshots');
}

function ensureFolder(dataHome: string): string {
  const folder = snapshotsFolder(dataHome);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  return folder;
}

/** The dump's identity: size, modification time, and a hash of its first and last MiB. */
export async function dumpIdentity(path: string): Promise<{ id: string; size: number; mtimeMs: number }> {
  const { size, mtimeMs } = statSync(path);
  const hash = createHash('sha256').update(`v1\0${size}\0${Math.trunc(mtimeMs)}\0`);
  const handle = await open(path, 'r');
  try {
    const first = Buffer.alloc(Math.min(MIB, size));
    await handle.read(first, 0, first.length, 0);
    hash.update(first);
    if (size > MIB) {
      const last = Buffer.alloc(Math.min(MIB, size - MIB));
      await handle.read(last, 0, last.length, size - last.length);
      hash.update(last);
    }
  } finally {
    await handle.close();
  }
  return { id: hash.digest('hex').slice(0, 24), size, mtimeMs };
}

function recordPath(folder: string, id: string): string {
  return join(folder, `${id}.json`);
}

export function snapshotFile(dataHome: string, id: string): string {
  return join(snapshotsFolder(dataHome), `${id}.sqlite`);
}

function readRecord(folder: string, id: string): SnapshotRecord | null {
  try {
    const record = JSON.parse(readFileSync(recordPath(folder, id), 'utf8')) as SnapshotRecord;
    return record.id === id && existsSync(join(folder, `${id}.sqlite`)) ? record : null;
  } catch {
    return null;
  }
}

export interface SnapshotOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  nativeBinding?: string;
  /** Where the import runs: in process (the CLI), or on a worker (the app; see import-worker.ts). */
  importer?: DumpImporter;
}

/** The snapshot of this dump: the one already made, or a new import. */
export async function snapshotOfDump(
  dataHome: string,
  path: string,
  kind: { dialect: DumpDialect; gzip: boolean },
  options: SnapshotOptions = {},
): Promise<{ record: SnapshotRecord; file: string; reused: boolean }> {
  const source = resolve(path);
  const identity = await dumpIdentity(source);
  const folder = ensureFolder(dataHome);
  const existing = readRecord(folder, identity.id);
  if (existing) return { record: existing, file: join(folder, `${identity.id}.sqlite`), reused: true };
  const partial = join(folder, `${identity.id}.${randomBytes(4).toString('hex')}.partial`);
  // Created owner-only before SQLite opens it: the snapshot holds session data and hashes.
  writeFileSync(partial, '', { mode: 0o600 });
  try {
    const { importer = importDump, ...importOptions } = options;
    const facts = await importer(source, kind.dialect, kind.gzip, partial, importOptions);
    chmodSync(partial, 0o600);
    const record: SnapshotRecord = {
      id: identity.id,
      source: { path: source, size: identity.size, mtimeMs: identity.mtimeMs },
      ...facts,
      asOf: facts.dumpedAt ?? Math.floor(identity.mtimeMs / 1000),
      asOfFrom: facts.dumpedAt !== null ? 'dump' : 'file',
      importedAt: Math.floor(Date.now() / 1000),
      snapshotBytes: statSync(partial).size,
    };
    const file = join(folder, `${identity.id}.sqlite`);
    renameSync(partial, file);
    writeFileSync(recordPath(folder, identity.id), JSON.stringify(record, null, 2), { mode: 0o600 });
    return { record, file, reused: false };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Every snapshot kept, newest import first. */
export function listSnapshots(dataHome: string): SnapshotRecord[] {
  const folder = snapshotsFolder(dataHome);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json') && ID.test(name.slice(0, -5)))
    .map((name) => readRecord(folder, name.slice(0, -5)))
    .filter((record): record is SnapshotRecord => record !== null)
    .sort((a, b) => b.importedAt - a.importedAt);
}

export function deleteSnapshot(dataHome: string, id: string): void {
  if (!ID.test(id)) throw new AppFailure('USAGE', `"${id}" is not a snapshot id: ids are 24 hexadecimal characters (see the snapshots command).`);
  const folder = snapshotsFolder(dataHome);
  if (!existsSync(join(folder, `${id}.sqlite`)) && !existsSync(recordPath(folder, id))) {
    throw new AppFailure('NOT_FOUND', `There is no snapshot ${id}.`);
  }
  rmSync(join(folder, `${id}.sqlite`), { force: true });
  rmSync(recordPath(folder, id), { force: true });
}

/**
 * Removes snapshots whose dump is gone or has changed since (they can never be reused),
 * and leftovers of imports that did not finish. Returns the ids removed.
 */
export async function pruneSnapshots(dataHome: string): Promise<string[]> {
  const folder = snapshotsFolder(dataHome);
  if (!existsSync(folder)) return [];
  const removed: string[] = [];
  for (const record of listSnapshots(dataHome)) {
    const current = existsSync(record.source.path) ? await dumpIdentity(record.source.path).catch(() => null) : null;
    if (current?.id !== record.id) {
      deleteSnapshot(dataHome, record.id);
      removed.push(record.id);
    }
  }
  for (const name of readdirSync(folder)) {
    if (name.endsWith('.partial')) rmSync(join(folder, name), { force: true });
  }
  return removed;
}
