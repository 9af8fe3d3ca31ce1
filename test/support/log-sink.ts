import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { format } from 'node:util';
import { afterAll, type RunnerTestFile, type RunnerTestSuite } from 'vitest';
import { sinkName } from './scanned-suites.js';

/**
 * Setup file of the scanned suites (vitest.config.ts): records everything the suite writes to stdout,
 * stderr and the console, and leaves it in LOG_SINK_DIR when the suite ends, with how many of its tests
 * passed, for test/reliability/log-scan.test.ts to scan. Log and metric lines are recorded only (at debug
 * level they would bury the run's output); anything else is printed too, as before.
 * LOG_SINK=off leaves the output alone (the log scan's own child run reads it from stdout).
 *
 * A worker runs several scanned files in one process, and this file runs again before each: the streams
 * and the console are tapped once, into one record per process that each file's last hook writes out and
 * empties. What a file prints after that hook lands in the next file's record, still scanned.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const RECORD = Symbol.for('elevenlabs-mcp.log-sink');
const process_ = process as NodeJS.Process & { [RECORD]?: string[] };

function text(chunk: unknown): string {
  return typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
}

function tap(stream: NodeJS.WriteStream, chunks: string[]): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const line = text(chunk);
    chunks.push(line);
    if (line.startsWith('{"level":') || line.startsWith('{"_aws":')) {
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

function counts(suite: RunnerTestSuite): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const task of suite.tasks) {
    if (task.type === 'suite') {
      const inner = counts(task);
      passed += inner.passed;
      failed += inner.failed;
    } else if (task.result?.state === 'pass') passed += 1;
    else if (task.result?.state === 'fail') failed += 1;
  }
  return { passed, failed };
}

const dir = process.env.LOG_SINK_DIR;
if (process.env.LOG_SINK !== 'off' && dir) {
  const tapped = process_[RECORD] !== undefined;
  const chunks = (process_[RECORD] ??= []);
  if (!tapped) {
    tap(process.stdout, chunks);
    tap(process.stderr, chunks);
  }
  const console_ = console as Console & { [RECORD]?: true };
  if (!console_[RECORD]) {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[method].bind(console);
      console[method] = (...args: unknown[]) => {
        chunks.push(`${format(...args)}\n`);
        original(...args);
      };
    }
    console_[RECORD] = true;
  }
  // Registered before the suite's own hooks, so it runs after them (hooks run as a stack) and records their
  // output too. Vitest reads a hook's source and requires its first parameter (the fixtures) to be an object
  // pattern; the suite comes second.
  // biome-ignore lint/correctness/noEmptyPattern: vitest requires a pattern here (see above)
  afterAll(({}, suite) => {
    const file = suite as RunnerTestFile;
    const name = sinkName(relative(ROOT, file.filepath));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.log`), chunks.join(''));
    chunks.length = 0;
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(counts(file)));
  });
}
