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
    // EMF metric lines would fill every suite's output; test/unit/metrics.test.ts turns them on.
    env: { POWERTOOLS_METRICS_DISABLED: 'true' },
  },
});
