import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { budgetFor, type CallBudget, fetchWithinDeadline } from '../../src/elevenlabs/client.js';
import { UpstreamStalledError } from '../../src/errors/index.js';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { deadlineFrom } from '../../src/net/deadline.js';
import { DEFAULT_IDLE_MS } from '../../src/net/safe-fetch.js';
import { createRuntime } from '../../src/runtime.js';
import { fixtureRunner } from '../support/fixture-runs.js';
import { callTool, KEY_A, lambdaContext, loopbackFetcher, startStack, textOf, type Stack } from '../support/harness.js';
import { runtimes } from '../support/node-binaries.js';
import { Tally } from '../support/tally.js';

/**
 * Issue 12, findings 5, 6 and 8: stalled upstreams and downloads end with a clear error well before an MCP
 * client gives up (60 s by default) and before the Lambda's deadline; timeouts hold on Node 20 and 24 through
 * garbage collections; no timer outlives a failed call. (Findings 7 and 8's smaller items: log-size.test.ts.)
 */

let stack: Stack;
let dripping: Server;
let drippingOrigin: string;
const fixtures = fixtureRunner();

const tallies = {
  stalls: new Tally('stalls: upstream and download budgets'),
  timers: new Tally('stalls: timers on Node 20 and 24'),
};

/** Five minutes of Lambda time left: whatever ends a call in these tests, it is not the deadline. */
const roomy = () => lambdaContext(300_000);

beforeAll(async () => {
  stack = await startStack();
  // Sends headers and a first chunk of a WAV file, then nothing more, ever.
  dripping = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': '100000' });
    res.write(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.alloc(500)]));
  });
  await new Promise<void>((resolve) => dripping.listen(0, '127.0.0.1', resolve));
  drippingOrigin = `http://127.0.0.1:${(dripping.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const tally of Object.values(tallies)) tally.report();
  dripping.closeAllConnections();
  await new Promise<void>((resolve) => dripping.close(() => resolve()));
  await fixtures.dispose();
  await stack.stop();
});
beforeEach(() => stack.fake.clear());

/**
 * Production's stall budgets cut to 1.5 s, for the stalls below to end soon (a test below checks the real ones);
 * long enough for the request to reach the fake on a busy machine, which the tests count.
 */
const QUICK_MS = 1_500;
function quickBudgets(path: string): CallBudget {
  return { ...budgetFor(path), firstByteMs: QUICK_MS, idleMs: QUICK_MS };
}

/**
 * The four stalls below run the whole path, on budgets of 1.5 s instead of production's 10 to 50 s (their messages
 * name the budget). They wait at the same time, each on a stack of its own, so that no test's injected fault or
 * cleared requests reaches another. `quick` is that stack's server with the short budgets, for upstream calls and
 * downloads; it may fetch from loopback, where `dripping` listens.
 */
async function onOwnStack(body: (stack: Stack, quick: FunctionUrlHandler) => Promise<void>): Promise<void> {
  const own = await startStack();
  const fetcher = loopbackFetcher({ idleMs: QUICK_MS });
  try {
    await body(own, createHandler(createRuntime({ ...own.env }, { fetcher, budgets: quickBudgets })));
  } finally {
    await own.stop();
  }
}

describe('finding 5: stalled calls end with a clear error before the client gives up', () => {
  it.concurrent(
    'a text_to_speech that ElevenLabs never answers ends with the stall error, nothing stored',
    { timeout: 20_000 },
    ({ expect }) =>
      tallies.stalls.count(() =>
        onOwnStack(async (stack, quick) => {
          stack.fake.inject(/^\/v1\/text-to-speech\//, { kind: 'hang' });
          const result = await callTool(quick, 'text_to_speech', { text: 'Nobody will answer this.' }, KEY_A, roomy());
          expect(result.isError).toBe(true);
          expect(textOf(result)).toBe(
            'ElevenLabs sent no answer to text to speech within 1.5 seconds, so this server stopped waiting (it ends ' +
              'stalled calls well before MCP clients give up on a request, after 60 seconds by default). ' +
              'Nothing was stored. Try again in a moment; if it keeps happening, ElevenLabs may be degraded ' +
              '(https://status.elevenlabs.io).',
          );
          expect(stack.fake.requestsTo(/^\/v1\/text-to-speech\/[^/]+\/stream$/)).toHaveLength(1);
        }),
      ),
  );

  it.concurrent(
    'a text_to_speech whose audio stops half-way ends with the idle error, nothing stored',
    { timeout: 20_000 },
    ({ expect }) =>
      tallies.stalls.count(() =>
        onOwnStack(async (stack, quick) => {
          stack.fake.inject(/^\/v1\/text-to-speech\//, { kind: 'stall', bytes: 2048 });
          const text = 'This audio stops after two kilobytes.';
          const result = await callTool(quick, 'text_to_speech', { text }, KEY_A, roomy());
          expect(result.isError).toBe(true);
          expect(textOf(result)).toMatch(
            /^ElevenLabs stopped sending text to speech for 1\.5 seconds mid-way, so this server stopped waiting /,
          );
          expect(textOf(result)).toMatch(/Nothing was stored\./);
          expect(JSON.stringify(result)).not.toMatch(/X-Amz-/);
        }),
      ),
  );

  it.concurrent(
    'a text_to_dialogue (through the SDK, on the streaming endpoint) that ElevenLabs never answers ends with the ' +
      'stall error',
    { timeout: 20_000 },
    ({ expect }) =>
      tallies.stalls.count(() =>
        onOwnStack(async (stack, quick) => {
          stack.fake.inject(/^\/v1\/text-to-dialogue/, { kind: 'hang' });
          const inputs = [
            { text: 'Are you there?', voice_id: 'JBFqnCBsd6RMkjVDRZzb' },
            { text: 'Nobody answers.', voice_id: 'cgSgspJ2msm6clMCkdW9' },
          ];
          const result = await callTool(quick, 'text_to_dialogue', { inputs }, KEY_A, roomy());
          expect(result.isError).toBe(true);
          expect(textOf(result)).toMatch(
            /^ElevenLabs sent no answer to text to dialogue within 1\.5 seconds, so this server stopped waiting /,
          );
          expect(textOf(result)).toMatch(/Nothing was stored\./);
          expect(stack.fake.requestsTo(/^\/v1\/text-to-dialogue\/stream$/)).toHaveLength(1);
        }),
      ),
  );

  it.concurrent(
    "a URL input that stops sending ends with the download's idle error, before ElevenLabs is called",
    { timeout: 20_000 },
    ({ expect }) =>
      tallies.stalls.count(() =>
        onOwnStack(async (stack, quick) => {
          const result = await callTool(
            quick,
            'speech_to_speech',
            { url: `${drippingOrigin}/talk.wav` },
            KEY_A,
            roomy(),
          );
          expect(result.isError).toBe(true);
          expect(textOf(result)).toContain(
            'The file at the URL could not be downloaded: the server stopped sending for 1.5 seconds before the ' +
              'whole file arrived.',
          );
          expect(stack.fake.requestsTo(/^\/v1\/speech-to-speech/)).toHaveLength(0);
        }),
      ),
  );

  it('gives production budgets of 15 s for streams and reads, 30 s for generations, 50 s for long ones', () =>
    tallies.stalls.count(async () => {
      const short = { firstByteMs: 15_000, idleMs: 10_000 };
      const generation = { firstByteMs: 30_000, idleMs: 10_000 };
      const long = { firstByteMs: 50_000, idleMs: 15_000 };
      const expected: ReadonlyArray<readonly [string, { firstByteMs: number; idleMs: number }]> = [
        ['/v1/text-to-speech/v/stream', short],
        ['/v1/text-to-dialogue/stream', short],
        ['/v1/speech-to-speech/v/stream', short],
        ['/v1/models', short],
        ['/v2/voices', short],
        ['/v1/user/subscription', short],
        ['/v1/text-to-speech/v/with-timestamps', generation],
        ['/v1/text-to-dialogue', generation],
        ['/v1/sound-generation', generation],
        ['/v1/speech-to-speech/v', generation],
        ['/v1/music', long],
        ['/v1/music/detailed', long],
        ['/v1/music/video-to-music', long],
        ['/v1/speech-to-text', long],
        ['/v1/audio-isolation', long],
      ];
      for (const [path, figures] of expected) {
        const { firstByteMs, idleMs } = budgetFor(path);
        expect({ path, firstByteMs, idleMs }).toEqual({ path, ...figures });
        if (figures === long)
          expect(budgetFor(path).bound).toContain('MCP clients give up on a request after 60 seconds by default');
      }
      // The stalls above, at production's figures: what a caller reads after 15 s and 10 s.
      expect(new UpstreamStalledError('text to speech', 'first-byte', 15).message).toBe(
        'ElevenLabs sent no answer to text to speech within 15 seconds, so this server stopped waiting (it ends ' +
          'stalled calls well before MCP clients give up on a request, after 60 seconds by default). ' +
          'Nothing was stored. Try again in a moment; if it keeps happening, ElevenLabs may be degraded ' +
          '(https://status.elevenlabs.io).',
      );
      expect(DEFAULT_IDLE_MS).toBe(10_000);
    }));

  it("a long generation that stalls says the client's limit is why the server stopped waiting", () =>
    tallies.stalls.count(async () => {
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/music`;
        const budget = { ...budgetFor('/v1/music'), firstByteMs: 300 };
        const error = await fetchWithinDeadline(
          url,
          { method: 'POST', body: '{}' },
          deadlineFrom(60_000),
          fetch,
          undefined,
          budget,
        ).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(UpstreamStalledError);
        expect((error as Error).message).toMatch(
          /^ElevenLabs sent no answer to music composition within 0\.3 seconds, so this server stopped waiting \(MCP /,
        );
        expect((error as Error).message).toContain(
          ' (MCP clients give up on a request after 60 seconds by default, so this server stops waiting before then)',
        );
      } finally {
        silent.closeAllConnections();
        silent.close();
      }
    }));

  it("the Lambda's deadline still comes first when it is the nearer limit, and says so", () =>
    tallies.stalls.count(async () => {
      stack.fake.inject(/^\/v1\/text-to-speech\//, { kind: 'hang' });
      const result = await callTool(
        stack.handler,
        'text_to_speech',
        { text: 'Short on time.' },
        KEY_A,
        lambdaContext(3_000),
      );
      expect(textOf(result)).toMatch(/^ElevenLabs did not finish within \d+ seconds, the time this request had left\./);
    }));
});

// The four child processes run at the same time: most of their time is the SDK's retry backoff.
describe('finding 6 and 8: timeouts that survive garbage collection, and no timer left behind', () => {
  for (const runtime of runtimes()) {
    it.concurrent(
      `keeps a download's timeout through garbage collections on ${runtime.name}`,
      { timeout: 30_000 },
      ({ expect }) =>
        tallies.timers.count(async () => {
          const outcome = await fixtures.resultOf(runtime.binary(), 'download-timeout-under-gc.ts', ['--expose-gc']);
          expect(outcome).toContain(
            'The file at the URL could not be downloaded: the download did not finish within 1 seconds.',
          );
        }),
    );

    it.concurrent(
      `leaves no timer running after a failed SDK call on ${runtime.name}`,
      { timeout: 30_000 },
      ({ expect }) =>
        tallies.timers.count(async () => {
          const result = await fixtures.resultOf(runtime.binary(), 'sdk-call-leaves-no-timer.ts');
          const outcome = JSON.parse(result) as { failure: string; timers: number };
          expect(outcome.failure).not.toBe('');
          expect(outcome.timers).toBe(0);
        }),
    );
  }
});
