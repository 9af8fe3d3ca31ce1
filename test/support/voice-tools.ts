import { expect } from 'vitest';
import { textOf } from './harness.js';
import { stack } from './suite-stack.js';

/**
 * The check the tools-voices-*.test.ts suites share (voice_clone, text_to_voice, create_voice_from_preview,
 * search_voice_library and add_shared_voice through the real handler and the real SDK, against the fake
 * ElevenLabs API and s3rver). They use the file's stack from suite-stack.ts.
 */

/**
 * The result is an error that matches `reason`, and the fake got no request since its record was last cleared
 * (before each test, or by the test) other than for the model list, which the server may read to check input.
 */
export function expectRefusedBeforeCallingOut(
  result: { isError?: boolean; content: Array<{ type: string; text?: string }> },
  reason: RegExp,
): void {
  expect(result.isError).toBe(true);
  expect(textOf(result)).toMatch(reason);
  expect(stack.fake.requests.filter((r) => !r.path.startsWith('/v1/models'))).toEqual([]);
}
