/** The point in time by which this invocation's upstream work must be over. */
export interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Aborts at `at`: fetches, body reads and S3 calls all listen to it. */
  readonly signal: AbortSignal;
}

/**
 * Leaves a margin of the Lambda's remaining time (10%, between 0.5 s and 5 s) to store the audio and
 * answer, so that a slow upstream becomes a clean error rather than a Lambda timeout.
 */
export function deadlineFrom(remainingMs: number, now = Date.now()): Deadline {
  const margin = Math.min(5_000, Math.max(500, remainingMs * 0.1));
  const budget = Math.max(1, Math.floor(remainingMs - margin));
  return { at: now + budget, signal: AbortSignal.timeout(budget) };
}
