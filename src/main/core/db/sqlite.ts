/**
 * SQLite through better-sqlite3.
 *
 * Read-only opens use SQLite's `immutable=1` URI parameter, the only way to read a
 * WAL-mode Drupal file without creating -wal/-shm files beside it. better-sqlite3
 * only accepts URIs when SQLITE_USE_URI=1 is in the environment at the moment the
 * addon loads, so the addon is loaded lazily, here, after setting it.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { InspectorError } from '../errors.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, type Database, type OpenOptions, type Queryable, type Row, type SqlValue } from './database.js';
import { translateDriverError } from './driver-errors.js';

export interface SqliteOpenOptions extends OpenOptions {
  /** Drupal's SQLite prefix: the file `<file>-<prefix>` attached as schema `<prefix>`. */
  attachPrefix?: string;
  /**
   * Path of a better-sqlite3 binary built for this runtime (Electron uses its own
   * ABI); undefined means the package's default build.
   */
  nativeBinding?: string;
}

/** Case folding used for search and sign-in: SQLite's lower() folds ASCII only. */
export const FOLD_FUNCTION = 'si_fold';

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

function fileUri(path: string, readOnly: boolean): string {
  const encoded = resolve(path).split('/').map(encodeURIComponent).join('/');
  return `file:${encoded}?${readOnly ? 'mode=ro&immutable=1' : 'mode=rw'}`;
}

function requireFile(path: string): void {
  if (!existsSync(path)) {
    throw new InspectorError('DATABASE', `No such SQLite file: ${path}. Check the path.`);
  }
  if (!statSync(path).isFile()) {
    throw new InspectorError('DATABASE', `${path} is a folder, not a SQLite database file.`);
  }
}

class SqliteDatabase implements Database {
  readonly engine = 'sqlite' as const;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly readOnly: boolean,
    readonly description: string,
  ) {}

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

  all<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.call(() => this.statement(sql).all(...params) as T[]);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.call(() => this.statement(sql).run(...params).changes);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    // One connection: transactions are queued so two never interleave.
    const next = this.queue.then(async () => {
      await this.call(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await work(this);
        await this.call(() => this.db.exec('COMMIT'));
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export async function openSqlite(file: string, options: SqliteOpenOptions): Promise<Database> {
  requireFile(file);
  const Sqlite = loadBetterSqlite3();
  const description = `sqlite:${file}`;
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new Sqlite(fileUri(file, options.readOnly), {
      readonly: options.readOnly,
      fileMustExist: true,
      timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
    // Reading the schema is what reveals a file that is not SQLite at all.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    if (options.attachPrefix) {
      const attached = `${file}-${options.attachPrefix}`;
      if (existsSync(attached)) {
        db.prepare(`ATTACH DATABASE ? AS "${options.attachPrefix}"`).run(fileUri(attached, options.readOnly));
        db.prepare(`SELECT count(*) FROM "${options.attachPrefix}".sqlite_master`).get();
      }
    }
    db.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    );
    return new SqliteDatabase(db, options.readOnly, description);
  } catch (error) {
    db?.close();
    throw translateDriverError('sqlite', file, error);
  }
}
