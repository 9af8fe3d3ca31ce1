/**
 * The suites whose output test/reliability/log-scan.test.ts scans for keys (vitest.config.ts runs them at
 * debug level).
 */
export const SCANNED_SUITES = [
  'test/reliability/bad-input.test.ts',
  'test/reliability/upstream-faults.test.ts',
  'test/reliability/isolation.test.ts',
  'test/integration/text-to-speech.test.ts',
  'test/integration/text-to-speech-voice-and-model.test.ts',
  'test/integration/oauth-flow-resource.test.ts',
  'test/integration/oauth-flow-sign-in.test.ts',
  'test/integration/oauth-flow-tokens.test.ts',
  'test/integration/oauth-cimd.test.ts',
] as const;

/** The name of a suite's record in the log sink's folder. */
export function sinkName(suite: string): string {
  return suite.replace(/^.*?test\//, '').replace(/[/\\]/g, '__');
}
