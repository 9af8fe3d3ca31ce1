import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALL_TEST_KEYS } from '../support/keys.js';
import { OLD_TEST_SECRET, TEST_SECRET } from '../support/oauth.js';

/**
 * Runs the other reliability suites (and the text_to_speech suite) in a child vitest with every log at
 * debug level, and scans everything they printed for any key they used: there must be none. The scan
 * also checks that there was plenty to scan, so a silent logger cannot pass it.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SUITES = [
  'test/reliability/bad-input.test.ts',
  'test/reliability/upstream-faults.test.ts',
  'test/reliability/isolation.test.ts',
  'test/integration/text-to-speech.test.ts',
  'test/integration/oauth-flow.test.ts',
  'test/integration/oauth-cimd.test.ts',
];

describe('secrets in logs', () => {
  it('finds none of the keys used, in all output at debug level', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...SUITES], {
      cwd: ROOT,
      // Metrics on too (vitest.config.ts turns them off): their EMF lines are log lines, scanned as well.
      env: { ...process.env, TEST_LOG_LEVEL: 'debug', NO_COLOR: '1', FORCE_COLOR: '', POWERTOOLS_METRICS_DISABLED: 'false' },
      maxBuffer: 256 * 1024 * 1024,
    });
    const output = stdout + stderr;
    const lines = output.split('\n');
    const logLines = lines.filter((line) => line.startsWith('{"level":'));
    const requestLines = logLines.filter((line) => line.includes('"message":"request"'));
    const debugLines = logLines.filter((line) => line.startsWith('{"level":"DEBUG"'));
    const metricLines = lines.filter((line) => line.startsWith('{"_aws":'));
    const hits = ALL_TEST_KEYS.filter((key) => output.includes(key));
    const signatures = output.match(/X-Amz-Signature=|X-Amz-Security-Token=/g) ?? [];
    // Printed before the assertions, so that a failing run says what it found; the README quotes this line.
    process.stdout.write(
      `\n[tally] secrets in logs: ${hits.length + signatures.length} hits (${hits.length} keys, ${signatures.length} presigned-URL signatures) ` +
        `in ${logLines.length} log lines and ${metricLines.length} metric lines (${output.length} characters of output), scanned for ${ALL_TEST_KEYS.length} keys\n`,
    );

    expect(output).toMatch(/Test Files\s+\d+ passed/);
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
