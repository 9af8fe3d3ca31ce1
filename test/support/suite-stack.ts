import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startStack, type Stack } from './harness.js';

/**
 * The stack (`startStack`) that the cases of one test file share, once `useStack` has started it. Vitest gives
 * each test file its own copy of this module, so files never share a stack. This is a live binding: read it
 * inside tests and hooks, not while the file loads (it is not set yet then).
 */
export let stack: Stack;

/**
 * Starts the file's stack before its first test, stops it after its last, and clears the fake's recorded
 * requests (and injected faults) before each test. Call it once, at the top level of the test file, before
 * any other hook that uses `stack`.
 */
export function useStack(): void {
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());
  beforeEach(() => stack.fake.clear());
}
