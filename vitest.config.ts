import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/support/longest-first.js';
import { SCANNED_SUITES } from './test/support/scanned-suites.js';

// Where the scanned suites leave what they printed, for the log scan to read once they are done. One folder per
// run (the workers inherit it through the environment); the log scan removes it.
process.env.LOG_SINK_DIR ||= join(tmpdir(), `el-mcp-log-sink-${process.pid}-${Date.now()}`);
// Names the run's one shared build of the bundle (test/support/shared-build.ts).
process.env.TEST_RUN_ID ||= `${process.pid}-${Date.now()}`;
const LOG_SCAN = 'test/reliability/log-scan.test.ts';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites start their own servers on port 0; files may run in parallel.
    pool: 'forks',
    // Vitest's default is one worker per core but one, which on a 2-core machine runs the files one after
    // another; most of a suite's time is spent waiting on servers and child processes, so four overlap well.
    maxWorkers: Math.max(4, availableParallelism()),
    reporters: ['default'],
    // Project by project as listed here, the longest files first (test/support/longest-first.ts).
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        // The suites the log scan reads: every log at debug level and metrics on, their output recorded
        // (test/support/log-sink.ts) instead of printed, so that they run once for both purposes.
        extends: true,
        test: {
          name: 'scanned',
          // As in main: one process per worker, which the log sink records file by file.
          isolate: false,
          include: [...SCANNED_SUITES],
          env: { TEST_LOG_LEVEL: 'debug', POWERTOOLS_METRICS_DISABLED: 'false' },
          setupFiles: ['test/support/log-sink.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'main',
          // A worker runs its files one after another in one process, loading the SDKs and the stack once
          // instead of once per file (which took half the suite's CPU). So a file must leave the process as
          // it found it (environment variables, module settings such as retryBackoff). src/ keeps nothing of a
          // caller in module scope (key verdicts and models are cached per Runtime), so servers built in
          // different files share no caller's state.
          isolate: false,
          // Removes the run's shared build of the bundle once every file is done.
          globalSetup: ['test/support/shared-build.ts'],
          include: ['test/**/*.test.ts'],
          exclude: [...SCANNED_SUITES, LOG_SCAN],
          // EMF metric lines would fill every suite's output; test/integration/metrics.test.ts turns them on.
          env: { POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true' },
        },
      },
      {
        // After every other file, so that the scanned suites have finished.
        extends: true,
        test: { name: 'log-scan', include: [LOG_SCAN], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
