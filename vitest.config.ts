import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start HTTPS emulators and Azurite per file; two cores, so keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default', './test/support/closingLineReporter.ts'],
  },
});
