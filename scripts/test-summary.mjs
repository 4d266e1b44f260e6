// Prints the closing line CI reads, "N passed, N failed[, N skipped]", from Vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs';

const [file, status] = process.argv.slice(2);
if (!existsSync(file)) {
  console.log(`0 passed, ${status === '0' ? 0 : 1} failed`);
} else {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  // A suite that failed to load has no tests in it but must still count as a failure.
  const failedSuites = report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  // A run that failed without a failed test (an unhandled error, say) still failed.
  const failed = report.numFailedTests + failedSuites || (status === '0' ? 0 : 1);
  console.log(`${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
