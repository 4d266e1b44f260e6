/**
 * SQLite through better-sqlite3.
 *
 * Read-only opens use SQLite's `immutable=1` URI parameter, the only way to read a
 * WAL-mode Drupal file without creating -wal/-shm files beside it. better-sqlite3
 * only accepts URIs when SQLITE_USE_URI=1 is in the environment at the moment the
 * addon loads, so the addon is loaded lazily, here, after setting it.
 *
 * An immutable open ignores a `-wal` file, so a snapshot taken with its -wal (the
 * normal state of a live site) would read as it was at the last checkpoint. Such a
 * snapshot is copied, with its -wal, into a private temporary folder and read there:
 * the snapshot itself is still never touched.
 *
 * An immutable open also never notices later writes: a read-only connection to a live
 * site's file checks the files' identity before each statement and opens them again
 * when they changed, so it shows what the site holds now, not what it held at open.
 */
import { existsSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, type Database, type OpenOptions, type Queryable, type Row, type SqlValue } from '../../db/database.js';
import { translateDriverError } from '../../db/driver-errors.js';
import { makeCopyFolder } from './private-copies.js';
import { FOLD_FUNCTION } from './dialect.js';

export interface SqliteOpenOptions extends OpenOptions {
  /** Drupal's SQLite prefix: the file `<file>-<prefix>` attached as schema `<prefix>`. */
  attachPrefix?: string;
  /**
   * Path of a better-sqlite3 binary built for this runtime (Electron uses its own
   * ABI); undefined means the package's default build.
   */
  nativeBinding?: string;
}


type SqliteConstructor = typeof BetterSqlite3;
let constructorCache: SqliteConstructor | undefined;

/** The only place better-sqlite3 is loaded: URI support depends on it. */
export function loadBetterSqlite3(): SqliteConstructor {
  if (!constructorCache) {
    process.env.SQLITE_USE_URI = '1';
    constructorCache = createRequire(import.meta.url)('better-sqlite3') as SqliteConstructor;
  }
  return constructorCache;
}

type OpenMode = 'immutable' | 'ro' | 'rw';

function fileUri(path: string, mode: OpenMode): string {
  const encoded = resolve(path).split('/').map(encodeURIComponent).join('/');
  return `file:${encoded}?${mode === 'immutable' ? 'mode=ro&immutable=1' : `mode=${mode}`}`;
}

function requireFile(path: string): void {
  if (!existsSync(path)) {
    throw new AppFailure('DATABASE', `No such SQLite file: ${path}. Check the path.`);
  }
  if (!statSync(path).isFile()) {
    throw new AppFailure('DATABASE', `${path} is a folder, not a SQLite database file.`);
  }
}

/** An open better-sqlite3 handle and what to remove when it closes. */
interface Opened {
  db: BetterSqlite3.Database;
  cleanup?: () => void;
}

/**
 * For read-only connections: what the source files look like now. An immutable open
 * never notices that the site wrote (and checkpointed) since, so before each statement
 * this is compared with what it was at open, and a change means "open it again".
 */
function fileSignature(files: string[]): string {
  return files
    .flatMap((file) => [file, `${file}-wal`])
    .map((path) => {
      try {
        const stat = statSync(path);
        return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

/** How often a read-only connection looks whether its files changed. */
const REFRESH_INTERVAL_MS = 1000;

class SqliteDatabase implements Database {
  readonly engine = 'sqlite' as const;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private queue: Promise<unknown> = Promise.resolve();
  private signature: string;
  /** When the files were last re-opened (0: never; the first change is picked up at once). */
  private lastReopen = 0;

  constructor(
    private opened: Opened,
    readonly readOnly: boolean,
    readonly description: string,
    /** Read-only connections: the files watched for changes, and how to open them again. */
    private readonly source?: { files: string[]; reopen: () => Promise<Opened> },
  ) {
    this.signature = source ? fileSignature(source.files) : '';
  }

  private get db(): BetterSqlite3.Database {
    return this.opened.db;
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size > 100) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private call<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(translateDriverError('sqlite', this.description, error));
    }
  }

  /** Statements run at once; used inside a transaction, which already holds the queue. */
  private readonly direct: Queryable = {
    all: <T = Row>(sql: string, params: readonly SqlValue[] = []) => this.call(() => this.statement(sql).all(...params) as T[]),
    run: (sql: string, params: readonly SqlValue[] = []) => this.call(() => this.statement(sql).run(...params).changes),
  };

  /**
   * Re-opens a read-only connection whose files changed since it was opened, at most
   * once a second: a busy site changes its -wal with nearly every request, and a
   * pending -wal means a fresh private copy, which must not happen per statement.
   */
  private async refresh(): Promise<void> {
    if (!this.source || Date.now() - this.lastReopen < REFRESH_INTERVAL_MS) return;
    const now = fileSignature(this.source.files);
    if (now === this.signature) return;
    const next = await this.source.reopen();
    this.statements.clear();
    this.closeOpened();
    this.opened = next;
    this.signature = now;
    this.lastReopen = Date.now();
  }

  /**
   * One connection is shared by every caller: statements wait for a running
   * transaction to end, so no one reads rows it may still roll back.
   */
  private queued<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      await this.refresh();
      return work();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  all<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.queued(() => this.direct.all<T>(sql, params));
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.queued(() => this.direct.run(sql, params));
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.queued(async () => {
      await this.call(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await work(this.direct);
        await this.call(() => this.db.exec('COMMIT'));
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /**
   * Nothing to stop: in this process a statement runs synchronously, so none is running
   * while this runs. (The app runs SQLite on a worker thread it can stop: worker-database.ts.)
   */
  async interrupt(): Promise<void> {}

  private closeOpened(): void {
    if (this.db.open) this.db.close();
    this.opened.cleanup?.();
  }

  async close(): Promise<void> {
    await this.queue;
    this.closeOpened();
  }
}

function hasPendingWal(file: string): boolean {
  return existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0;
}

/**
 * For a read-only open: the files to read. Normally the snapshot itself (immutable);
 * when it has a pending -wal, private copies that SQLite may read in the usual way.
 */
async function snapshotFiles(file: string, attached: string | null): Promise<{ main: string; attached: string | null; immutable: boolean; cleanup?: () => void }> {
  const files = [file, ...(attached ? [attached] : [])];
  if (!files.some(hasPendingWal)) return { main: file, attached, immutable: true };
  // Copied asynchronously: a large file must not freeze the app while it copies.
  const { folder, remove } = await makeCopyFolder();
  const copy = async (path: string) => {
    const target = join(folder, basename(path));
    await copyFile(path, target);
    if (existsSync(`${path}-wal`)) await copyFile(`${path}-wal`, `${target}-wal`);
    return target;
  };
  try {
    return { main: await copy(file), attached: attached ? await copy(attached) : null, immutable: false, cleanup: remove };
  } catch (error) {
    remove();
    throw error;
  }
}

async function openFiles(file: string, attach: string | null, options: SqliteOpenOptions): Promise<Opened> {
  const Sqlite = loadBetterSqlite3();
  const files = options.readOnly ? await snapshotFiles(file, attach).catch((error: unknown) => {
    throw translateDriverError('sqlite', file, error);
  }) : { main: file, attached: attach, immutable: false };
  const mode: OpenMode = !options.readOnly ? 'rw' : files.immutable ? 'immutable' : 'ro';
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new Sqlite(fileUri(files.main, mode), {
      readonly: options.readOnly,
      fileMustExist: true,
      timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
    // Reading the schema is what reveals a file that is not SQLite at all.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    if (files.attached && options.attachPrefix) {
      db.prepare(`ATTACH DATABASE ? AS "${options.attachPrefix}"`).run(fileUri(files.attached, mode));
      db.prepare(`SELECT count(*) FROM "${options.attachPrefix}".sqlite_master`).get();
    }
    db.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    );
    return { db, ...(files.cleanup ? { cleanup: files.cleanup } : {}) };
  } catch (error) {
    db?.close();
    files.cleanup?.();
    throw translateDriverError('sqlite', file, error);
  }
}

export async function openSqlite(file: string, options: SqliteOpenOptions): Promise<Database> {
  requireFile(file);
  const attachedFile = options.attachPrefix ? `${file}-${options.attachPrefix}` : null;
  // A missing prefix file is not attached: schema detection then explains what is missing.
  const attach = attachedFile && existsSync(attachedFile) ? attachedFile : null;
  const opened = await openFiles(file, attach, options);
  // The absolute path names the site, so the CLI and the app agree on it (audit log).
  const description = `sqlite:${resolve(file)}`;
  const source = options.readOnly
    ? { files: [file, ...(attach ? [attach] : [])], reopen: () => openFiles(file, attach, options) }
    : undefined;
  return new SqliteDatabase(opened, options.readOnly, description, source);
}
