/**
 * The messages between a SQLite connection's owner (the Electron main process) and the
 * worker thread that runs it. better-sqlite3 is synchronous: a 0.5 s scan run on the
 * main thread would freeze every window for 0.5 s, so the app runs it here instead.
 */
import type { ErrorCode } from '../../../shared/errors.js';
import type { SqlValue } from '../../db/database.js';
import type { SqliteOpenOptions } from './driver.js';

export type WorkerRequest =
  | { id: number; type: 'open'; file: string; options: SqliteOpenOptions }
  | { id: number; type: 'all' | 'run'; sql: string; params: readonly SqlValue[]; tx?: number }
  | { id: number; type: 'begin' }
  | { id: number; type: 'commit' | 'rollback'; tx: number }
  | { id: number; type: 'close' };

/** An error as it crosses the thread boundary: the AppFailure code, or INTERNAL for a bug. */
export interface WorkerError {
  code: ErrorCode;
  message: string;
}

export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WorkerError };
