// The whole shared suite once more on SQLite run as the app runs it: on a worker thread.
import { inspectorSuite } from '../support/inspector-suite.js';
import { builtSqliteWorker } from '../support/engines.js';

inspectorSuite('sqlite', { sqliteWorker: builtSqliteWorker() });
