// Prints the one closing line CI reads, `N passed, N failed`, from vitest's JSON report
// plus the node:test runs recorded by test.sh (lines "pass N" / "fail N").
import { readFileSync, existsSync } from 'node:fs';

const [vitestJson, ...nodeTestLogs] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
if (vitestJson && existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if ((report.numTotalTests ?? 0) === 0) failed += 1; // a run with no test is a failure
  for (const suite of report.testResults ?? []) {
    // A file that failed to load has no assertion results but must not pass silently.
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
} else {
  failed += 1;
}
for (const log of nodeTestLogs) {
  const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
  passed += Number(/^\S*\s*pass (\d+)/m.exec(text)?.[1] ?? 0);
  failed += Number(/^\S*\s*fail (\d+)/m.exec(text)?.[1] ?? (text ? 0 : 1));
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
