import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites start their own servers on port 0; files may run in parallel.
    pool: 'forks',
    reporters: ['default'],
    // EMF metric lines would fill every suite's output; test/integration/metrics.test.ts turns them on, and
    // the log scan runs its suites with them on (it sets the variable for its child vitest).
    env: { POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true' },
  },
});
