import { inspectorSuite } from '../support/inspector-suite.js';

inspectorSuite('pgsql');
