import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with a plain "tests: N passed, N failed, N skipped" line, the form CI reads to tell a
 * run that tested something from one that ran nothing.
 */
export default class ClosingLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      const failedBefore = counts.failed;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
      // A file whose setup failed has only skipped tests: count the file itself as a failure.
      if (module.state() === 'failed' && counts.failed === failedBefore) counts.failed += 1;
    }
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
