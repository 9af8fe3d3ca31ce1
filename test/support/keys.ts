import { KEY_A, KEY_B } from './harness.js';

/**
 * Deterministic keys of the isolation suite: 40 callers at once, then 4 in a warm container, and one
 * restricted key.
 */
export const ISOLATION_KEYS = Array.from(
  { length: 40 },
  (_, i) => `sk_iso_${String(i).padStart(2, '0')}_${'k'.repeat(40)}`,
);
export const WARM_KEYS = Array.from({ length: 4 }, (_, i) => `sk_warm_${i}_${'w'.repeat(40)}`);
export const RESTRICTED_KEY = `sk_iso_restricted_${'r'.repeat(40)}`;

/** A valid key scoped away from the sign-in page's check (the OAuth suites). */
export const SCOPED_KEY = `sk_scoped_${'s'.repeat(40)}`;

/** Every key any test sends: the log scan looks for each of them. */
export const ALL_TEST_KEYS = [KEY_A, KEY_B, RESTRICTED_KEY, SCOPED_KEY, ...ISOLATION_KEYS, ...WARM_KEYS];
