/**
 * The worker thread that imports one dump for the desktop app (see import-worker.ts):
 * the same `importDump` the CLI runs in process, reporting progress as messages and
 * stopping when told. Its loop awaits the file between chunks, so a "cancel" message is
 * handled there, never in the middle of a SQLite call.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppFailure } from '../../shared/errors.js';
import { importDump } from './import-dump.js';
import type { ImportWorkerReply, ImportWorkerTask } from './import-worker.js';

const port = parentPort!;
const task = workerData as ImportWorkerTask;
const controller = new AbortController();
port.on('message', (message: { type: 'cancel' }) => {
  if (message.type === 'cancel') controller.abort();
});
const post = (reply: ImportWorkerReply) => port.postMessage(reply);

importDump(task.source, task.dialect, task.gzip, task.outFile, {
  signal: controller.signal,
  onProgress: (progress) => post({ type: 'progress', progress }),
  ...(task.nativeBinding ? { nativeBinding: task.nativeBinding } : {}),
}).then(
  (facts) => post({ type: 'done', facts }),
  (error: unknown) => {
    const cancelled = controller.signal.aborted;
    post({
      type: 'error',
      code: cancelled ? 'CANCELLED' : error instanceof AppFailure ? error.code : 'DATABASE',
      message: cancelled ? 'The import of the dump was cancelled.' : error instanceof Error ? error.message : String(error),
    });
  },
);
