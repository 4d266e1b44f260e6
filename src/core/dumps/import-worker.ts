/**
 * Imports a dump on a worker thread (the desktop app: its main process must keep
 * answering the window during a minutes-long import). Same answers, same errors as
 * `importDump` in process; progress arrives as messages; an AbortSignal cancels.
 */
import { Worker } from 'node:worker_threads';
import { AppFailure, type ErrorCode } from '../../shared/errors.js';
import type { DumpFacts, ImportOptions, ImportProgress } from './import-dump.js';
import type { DumpDialect } from './statement-splitter.js';

export interface ImportWorkerTask {
  source: string;
  dialect: DumpDialect;
  gzip: boolean;
  outFile: string;
  nativeBinding?: string;
}

export type ImportWorkerReply =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; facts: DumpFacts }
  | { type: 'error'; code: ErrorCode; message: string };

export type DumpImporter = (source: string, dialect: DumpDialect, gzip: boolean, outFile: string, options?: ImportOptions) => Promise<DumpFacts>;

/** An importer that runs each import on a worker started from `entry` (the built import-worker-entry). */
export function importInWorker(entry: string): DumpImporter {
  return (source, dialect, gzip, outFile, options = {}) =>
    new Promise<DumpFacts>((resolve, reject) => {
      const task: ImportWorkerTask = { source, dialect, gzip, outFile, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) };
      const worker = new Worker(entry, { workerData: task });
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', cancel);
        action();
        void worker.terminate();
      };
      const cancel = () => worker.postMessage({ type: 'cancel' });
      if (options.signal?.aborted) cancel();
      options.signal?.addEventListener('abort', cancel);
      worker.on('message', (reply: ImportWorkerReply) => {
        if (reply.type === 'progress') options.onProgress?.(reply.progress);
        else if (reply.type === 'done') settle(() => resolve(reply.facts));
        else settle(() => reject(new AppFailure(reply.code, reply.message)));
      });
      worker.on('error', (error) => settle(() => reject(new AppFailure('DATABASE', `The dump import stopped: ${error.message}`))));
      worker.on('exit', (code) => settle(() => reject(new AppFailure('DATABASE', `The dump import stopped (worker exit ${code}).`))));
    });
}
