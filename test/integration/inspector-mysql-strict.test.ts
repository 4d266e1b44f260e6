// The whole shared suite again, on a MariaDB whose global sql_mode has NO_BACKSLASH_ESCAPES:
// the connection must set its own sql_mode (as Drupal's does) for escaping to hold.
import { inspectorSuite } from '../support/inspector-suite.js';

inspectorSuite('mysql', { server: 'mysqlStrict' });
