// A @web/test-runner reporter that makes the browser run machine-readable:
// after each run it prints `wtr: N passed, N failed` alone on a line (wtr's own summary is
// never alone on a line) and, when WTR_RESULTS_FILE is set, writes the counts there as JSON.
// A test file that fails without reporting a failing test (a syntax error, a failed import,
// a browser crash) counts as one failed test, so a broken file never passes silently.
import {writeFileSync} from 'node:fs';
import {relative} from 'node:path';

/** Counts the tests of a suite and its nested suites. */
function countSuite(suite, counts) {
  for (const test of suite.tests) {
    if (test.skipped) counts.skipped += 1;
    else if (test.passed) counts.passed += 1;
    else counts.failed += 1;
  }
  for (const child of suite.suites) countSuite(child, counts);
}

/** Counts over every session (one per test file and browser) of a run. */
export function countSessions(sessions) {
  const counts = {passed: 0, failed: 0, skipped: 0, files: sessions.length, failedFiles: []};
  for (const session of sessions) {
    const before = counts.failed;
    if (session.testResults) countSuite(session.testResults, counts);
    if (session.passed === false) {
      if (counts.failed === before) counts.failed += 1;
      counts.failedFiles.push(relative(process.cwd(), session.testFile));
    }
  }
  return counts;
}

/** @returns {import('@web/test-runner').Reporter} */
export function countingReporter({resultsFile = process.env.WTR_RESULTS_FILE} = {}) {
  let logger;
  return {
    start(args) {
      logger = args.config.logger;
    },
    onTestRunFinished({sessions}) {
      const counts = countSessions(sessions);
      const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
      const line = `wtr: ${counts.passed} passed, ${counts.failed} failed${skipped}`;
      if (logger) logger.log(`\n${line}\n`);
      else console.log(`\n${line}\n`);
      if (resultsFile) writeFileSync(resultsFile, `${JSON.stringify(counts, null, 2)}\n`);
    },
  };
}
