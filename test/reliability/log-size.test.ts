import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler } from '../../src/handler.js';
import { createRuntime } from '../../src/runtime.js';
import {
  callTool,
  captureOutput,
  functionUrlEvent,
  JSON_HEADERS,
  KEY_A,
  lambdaContext,
  startStack,
  textOf,
  type Stack,
} from '../support/harness.js';
import { Tally } from '../support/tally.js';

/**
 * Issue 12, findings 7 and 8: a log line stays a few KB whatever the request; a Retry-After of any size is
 * phrased sanely; a missing bucket is the operator's problem. (Stalls and timers: stalls.test.ts.)
 */

let stack: Stack;

const tallies = {
  logs: new Tally('stalls: log lines bounded'),
  small: new Tally('stalls: Retry-After, missing bucket'),
};

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  for (const tally of Object.values(tallies)) tally.report();
  await stack.stop();
});
beforeEach(() => stack.fake.clear());

/** Every line the handler writes at debug level while `requests` run, in bytes. */
async function debugLines(
  requests: ReadonlyArray<{ body: string; headers?: Record<string, string> }>,
): Promise<number[]> {
  const handler = createHandler(createRuntime({ ...stack.env, LOG_LEVEL: 'debug' }));
  const { output } = await captureOutput(async () => {
    for (const request of requests) {
      await handler(
        functionUrlEvent({
          headers: { ...JSON_HEADERS, 'x-elevenlabs-api-key': KEY_A, ...request.headers },
          body: request.body,
        }),
        lambdaContext(300_000),
      );
    }
  });
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => Buffer.byteLength(line));
}

describe('finding 7: a debug log line stays a few KB whatever the request', () => {
  const names = (count: number, length: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`${String(i).padStart(length, 'n')}`, 1]));
  const cases: ReadonlyArray<{ name: string; body: () => string }> = [
    {
      name: '650,000 unknown argument names in one call',
      body: () =>
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'text_to_speech', arguments: names(650_000, 1) },
        }),
    },
    {
      name: 'a batch of 100 calls with 20,000 long argument names each',
      body: () =>
        JSON.stringify(
          Array.from({ length: 100 }, (_, i) => ({
            jsonrpc: '2.0',
            id: i,
            method: 'tools/call',
            params: { name: 'list_models', arguments: names(2_000, 20) },
          })),
        ),
    },
    {
      name: 'a batch of 100 notifications with 60 KB method names',
      body: () =>
        JSON.stringify(
          Array.from({ length: 100 }, () => ({ jsonrpc: '2.0', method: `notifications/${'m'.repeat(60_000)}` })),
        ),
    },
    {
      name: 'a tool name of a megabyte',
      body: () =>
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'x'.repeat(1_000_000), arguments: {} },
        }),
    },
  ];
  for (const c of cases) {
    it(`keeps every line under 4 KB for ${c.name}`, { timeout: 60_000 }, () =>
      tallies.logs.count(async () => {
        const sizes = await debugLines([{ body: c.body() }]);
        expect(sizes.length).toBeGreaterThan(0);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(4_096);
      }),
    );
  }
});

describe('finding 8: the smaller items', () => {
  it('phrases a Retry-After of 99999999999999999999 sanely instead of repeating it', () =>
    tallies.small.count(async () => {
      stack.fake.inject(/^\/v1\/text-to-speech\//, {
        kind: 'reply',
        reply: {
          status: 429,
          body: { detail: { status: 'too_many_concurrent_requests', message: 'Too many.' } },
          headers: { 'retry-after': '99999999999999999999' },
        },
      });
      const result = await callTool(stack.handler, 'text_to_speech', { text: 'Rate limited.' });
      expect(textOf(result)).toContain('Retry in a day or more');
      expect(textOf(result)).not.toMatch(/9{6,}|e\+/);
    }));

  it('calls a missing bucket the server\'s misconfiguration for every storage tool, never "not found"', async () => {
    const broken = createHandler(createRuntime({ ...stack.env, AUDIO_BUCKET: 'no-such-bucket' }));
    const id = 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3';
    for (const [tool, args] of [
      ['get_audio_url', { audio_id: id }],
      ['delete_audio', { audio_id: id }],
      ['read_transcript', { transcript_id: id.replace('.mp3', '.txt').replace('tts', 'stt') }],
      ['list_audio', {}],
    ] as const) {
      await tallies.small.count(async () => {
        const result = await callTool(broken, tool, args);
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(
          /^Storage could not .+: the server's storage is misconfigured: its audio bucket does not exist\. /,
        );
        expect(textOf(result)).toContain("does not exist. This is a problem of this server's setup");
        expect(textOf(result)).not.toMatch(/No stored file with audio_id/);
      });
    }
  });

  it('still says "not found" for a missing file in a bucket that exists', () =>
    tallies.small.count(async () => {
      const result = await callTool(stack.handler, 'get_audio_url', {
        audio_id: 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3',
      });
      expect(textOf(result)).toMatch(
        /^No stored file with audio_id "tts_20261121T160512Z_3f9a1c7e2b4d\.mp3" exists for your API key\./,
      );
    }));
});
