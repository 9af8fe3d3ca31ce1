import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_TEST_KEYS } from '../support/keys.js';
import { tallyLine } from '../support/log-tally.js';
import { OLD_TEST_SECRET, TEST_SECRET } from '../support/oauth.js';
import { SCANNED_SUITES, sinkName } from '../support/scanned-suites.js';

/**
 * Scans everything the other reliability suites (and the text_to_speech and OAuth suites) printed with
 * every log at debug level and metrics on, for any key they used: there must be none. The scan also
 * checks that there was plenty to scan, so a silent logger cannot pass it.
 *
 * In a full run those suites run at debug level anyway (vitest.config.ts) and leave their output in
 * LOG_SINK_DIR (test/support/log-sink.ts); this file runs after them and reads it. Run on its own, it runs
 * them in a child vitest and reads what that printed.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SINK = process.env.LOG_SINK_DIR;

afterAll(() => (SINK ? rm(SINK, { recursive: true, force: true }) : undefined));

/** What the scanned suites printed, and whether every one of them ran and passed. */
async function scannedOutput(): Promise<{ output: string; passed: boolean; failures: string }> {
  const recorded =
    SINK !== undefined && SCANNED_SUITES.every((suite) => existsSync(join(SINK, `${sinkName(suite)}.json`)));
  if (recorded) {
    const outputs: string[] = [];
    const failures: string[] = [];
    for (const suite of SCANNED_SUITES) {
      outputs.push(await readFile(join(SINK, `${sinkName(suite)}.log`), 'utf8'));
      const { passed, failed } = JSON.parse(await readFile(join(SINK, `${sinkName(suite)}.json`), 'utf8')) as {
        passed: number;
        failed: number;
      };
      if (failed > 0 || passed === 0) failures.push(`${suite}: ${passed} passed, ${failed} failed`);
    }
    return { output: outputs.join(''), passed: failures.length === 0, failures: failures.join('; ') };
  }
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...SCANNED_SUITES],
    {
      cwd: ROOT,
      // The child's suites run at debug level with metrics on (vitest.config.ts); LOG_SINK=off leaves their
      // lines on stdout.
      env: { ...process.env, LOG_SINK: 'off', LOG_SINK_DIR: '', TEST_RUN_ID: '', NO_COLOR: '1', FORCE_COLOR: '' },
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const output = stdout + stderr;
  // Every file passed: the summary names no failed one.
  const passed = /Test Files\s+\d+ passed/.test(output) && !/Test Files\s+\d+ failed/.test(output);
  return { output, passed, failures: passed ? '' : output.slice(-2_000) };
}

describe('secrets in logs', () => {
  it('finds none of the keys used, in all output at debug level', async () => {
    const { output, passed, failures } = await scannedOutput();
    const lines = output.split('\n');
    const logLines = lines.filter((line) => line.startsWith('{"level":'));
    const requestLines = logLines.filter((line) => line.includes('"message":"request"'));
    const debugLines = logLines.filter((line) => line.startsWith('{"level":"DEBUG"'));
    const metricLines = lines.filter((line) => line.startsWith('{"_aws":'));
    const hits = ALL_TEST_KEYS.filter((key) => output.includes(key));
    const signatures = output.match(/X-Amz-Signature=|X-Amz-Security-Token=/g) ?? [];
    // Printed before the assertions, so that a failing run says what it found; the README quotes this line.
    const tally = tallyLine({
      keys: hits.length,
      signatures: signatures.length,
      logLines: logLines.length,
      metricLines: metricLines.length,
      characters: output.length,
      scannedKeys: ALL_TEST_KEYS.length,
    });
    process.stdout.write(`\n[tally] secrets in logs: ${tally}\n`);

    expect(passed, `every scanned suite ran and passed: ${failures}`).toBe(true);
    expect(requestLines.length).toBeGreaterThan(400);
    expect(debugLines.length).toBeGreaterThan(400);
    expect(logLines.some((line) => line.includes('"message":"upstream"'))).toBe(true);
    expect(metricLines.length).toBeGreaterThan(400);

    expect(hits).toEqual([]);
    // Nor a token-sealing secret, nor any token, code, form or client id the OAuth server sealed.
    expect(logLines.some((line) => line.includes('"message":"oauth authorization granted"'))).toBe(true);
    expect(output).not.toContain(TEST_SECRET);
    expect(output).not.toContain(OLD_TEST_SECRET);
    expect(output).not.toMatch(/elmcp_(at|rt|code|rq|ci)_/);
    // Nor a presigned URL's signature or session token.
    expect(signatures).toEqual([]);
  }, 240_000);
});
