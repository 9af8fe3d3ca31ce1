import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { budgetFor, fetchWithinDeadline } from '../../src/elevenlabs/client.js';
import { deadlineFrom } from '../../src/net/deadline.js';
import { UpstreamStalledError } from '../../src/errors/index.js';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { createRuntime } from '../../src/runtime.js';
import {
  callTool,
  captureOutput,
  functionUrlEvent,
  JSON_HEADERS,
  KEY_A,
  lambdaContext,
  loopbackFetcher,
  startStack,
  textOf,
  type Stack,
} from '../support/harness.js';
import { runtimes } from '../support/node-binaries.js';
import { Tally } from '../support/tally.js';

/**
 * Issue 12, findings 5 to 8: stalled upstreams and downloads end with a clear error well before an MCP
 * client gives up (60 s by default) and before the Lambda's deadline; timeouts hold on Node 20 and 24
 * through garbage collections; no timer outlives a failed call; a log line stays a few KB whatever the
 * request; a Retry-After of any size is phrased sanely; a missing bucket is the operator's problem.
 */

const run = promisify(execFile);
let stack: Stack;
let dripping: Server;
let drippingOrigin: string;
let bundles: string;

const tallies = {
  stalls: new Tally('stalls: upstream and download budgets'),
  timers: new Tally('stalls: timers on Node 20 and 24'),
  logs: new Tally('stalls: log lines bounded'),
  small: new Tally('stalls: Retry-After, missing bucket'),
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
  bundles = await mkdtemp(join(tmpdir(), 'el-mcp-stalls-'));
});
afterAll(async () => {
  for (const tally of Object.values(tallies)) tally.report();
  dripping.closeAllConnections();
  await new Promise<void>((resolve) => dripping.close(() => resolve()));
  await rm(bundles, { recursive: true, force: true });
  await stack.stop();
});
beforeEach(() => stack.fake.clear());

async function held(tally: Tally, body: () => Promise<void>): Promise<void> {
  tally.tried();
  await body();
  tally.held();
}

/**
 * The four stalls below wait out the real 10 and 15 s budgets (their messages name them). They wait at the same
 * time, each on a stack of its own (named `stack` in the test, as elsewhere in this file), so that no test's
 * injected fault or cleared requests reaches another; `lenient` may fetch from loopback, where `dripping` listens.
 */
async function onOwnStack(body: (stack: Stack, lenient: FunctionUrlHandler) => Promise<void>): Promise<void> {
  const own = await startStack();
  try {
    await body(own, createHandler(createRuntime({ ...own.env }, { fetcher: loopbackFetcher() })));
  } finally {
    await own.stop();
  }
}

describe('finding 5: stalled calls end with a clear error before the client gives up', () => {
  it.concurrent(
    'a text_to_speech that ElevenLabs never answers ends with the stall error, nothing stored',
    { timeout: 45_000 },
    ({ expect }) =>
      held(tallies.stalls, () =>
        onOwnStack(async (stack) => {
          stack.fake.inject(/^\/v1\/text-to-speech\//, { kind: 'hang' });
          const result = await callTool(
            stack.handler,
            'text_to_speech',
            { text: 'Nobody will answer this.' },
            KEY_A,
            roomy(),
          );
          expect(result.isError).toBe(true);
          expect(textOf(result)).toBe(
            'ElevenLabs sent no answer to text to speech within 15 seconds, so this server stopped waiting (it ends ' +
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
    { timeout: 45_000 },
    ({ expect }) =>
      held(tallies.stalls, () =>
        onOwnStack(async (stack) => {
          stack.fake.inject(/^\/v1\/text-to-speech\//, { kind: 'stall', bytes: 2048 });
          const result = await callTool(
            stack.handler,
            'text_to_speech',
            { text: 'This audio stops after two kilobytes.' },
            KEY_A,
            roomy(),
          );
          expect(result.isError).toBe(true);
          expect(textOf(result)).toMatch(
            /^ElevenLabs stopped sending text to speech for 10 seconds mid-way, so this server stopped waiting .*Nothing was stored\./,
          );
          expect(JSON.stringify(result)).not.toMatch(/X-Amz-/);
        }),
      ),
  );

  it.concurrent(
    'a text_to_dialogue (through the SDK, on the streaming endpoint) that ElevenLabs never answers ends with the ' +
      'stall error',
    { timeout: 45_000 },
    ({ expect }) =>
      held(tallies.stalls, () =>
        onOwnStack(async (stack) => {
          stack.fake.inject(/^\/v1\/text-to-dialogue/, { kind: 'hang' });
          const inputs = [
            { text: 'Are you there?', voice_id: 'JBFqnCBsd6RMkjVDRZzb' },
            { text: 'Nobody answers.', voice_id: 'cgSgspJ2msm6clMCkdW9' },
          ];
          const result = await callTool(stack.handler, 'text_to_dialogue', { inputs }, KEY_A, roomy());
          expect(result.isError).toBe(true);
          expect(textOf(result)).toMatch(
            /^ElevenLabs sent no answer to text to dialogue within 15 seconds, so this server stopped waiting .*Nothing was stored\./,
          );
          expect(stack.fake.requestsTo(/^\/v1\/text-to-dialogue\/stream$/)).toHaveLength(1);
        }),
      ),
  );

  it.concurrent(
    "a URL input that stops sending ends with the download's idle error, before ElevenLabs is called",
    { timeout: 45_000 },
    ({ expect }) =>
      held(tallies.stalls, () =>
        onOwnStack(async (stack, lenient) => {
          const result = await callTool(
            lenient,
            'speech_to_speech',
            { url: `${drippingOrigin}/talk.wav` },
            KEY_A,
            roomy(),
          );
          expect(result.isError).toBe(true);
          expect(textOf(result)).toContain(
            'The file at the URL could not be downloaded: the server stopped sending for 10 seconds before the whole ' +
              'file arrived.',
          );
          expect(stack.fake.requestsTo(/^\/v1\/speech-to-speech/)).toHaveLength(0);
        }),
      ),
  );

  it('short calls get budgets well under 60 s, long generations under 60 s and say why', () =>
    held(tallies.stalls, async () => {
      for (const path of [
        '/v1/text-to-speech/v/stream',
        '/v1/text-to-dialogue/stream',
        '/v1/speech-to-speech/v/stream',
        '/v1/models',
        '/v2/voices',
        '/v1/user/subscription',
      ]) {
        expect(budgetFor(path).firstByteMs).toBeLessThanOrEqual(15_000);
      }
      for (const path of [
        '/v1/text-to-speech/v/with-timestamps',
        '/v1/text-to-dialogue',
        '/v1/sound-generation',
        '/v1/speech-to-speech/v',
      ]) {
        expect(budgetFor(path).firstByteMs).toBeLessThanOrEqual(30_000);
      }
      for (const path of [
        '/v1/music',
        '/v1/music/detailed',
        '/v1/music/video-to-music',
        '/v1/speech-to-text',
        '/v1/audio-isolation',
      ]) {
        const budget = budgetFor(path);
        expect(budget.firstByteMs).toBeLessThan(60_000);
        expect(budget.bound).toContain('MCP clients give up on a request after 60 seconds by default');
      }
    }));

  it("a long generation that stalls says the client's limit is why the server stopped waiting", () =>
    held(tallies.stalls, async () => {
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
          /^ElevenLabs sent no answer to music composition within 0\.3 seconds, so this server stopped waiting \(MCP clients give up on a request after 60 seconds by default, so this server stops waiting before then\)/,
        );
      } finally {
        silent.closeAllConnections();
        silent.close();
      }
    }));

  it("the Lambda's deadline still comes first when it is the nearer limit, and says so", () =>
    held(tallies.stalls, async () => {
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

const built = new Map<string, Promise<string>>();

/** Bundles a fixture (TypeScript importing src/) into one .mjs a bare node can run, once per file. */
function bundled(fixture: string): Promise<string> {
  let script = built.get(fixture);
  if (!script) built.set(fixture, (script = bundle(fixture)));
  return script;
}

async function bundle(fixture: string): Promise<string> {
  const outfile = join(bundles, fixture.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join('test/fixtures', fixture)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return outfile;
}

/** The `RESULT ...` line a fixture prints, or `hung` when it printed none before the parent gave up. */
async function resultOf(binary: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(binary, args, { timeout: 15_000 });
    return /^RESULT (.*)$/m.exec(stdout)?.[1] ?? 'no result';
  } catch (error) {
    const stdout = String((error as { stdout?: unknown }).stdout ?? '');
    return /^RESULT (.*)$/m.exec(stdout)?.[1] ?? 'hung';
  }
}

describe('finding 6 and 8: timeouts that survive garbage collection, and no timer left behind', () => {
  for (const runtime of runtimes()) {
    it(`keeps a download's timeout through garbage collections on ${runtime.name}`, { timeout: 30_000 }, () =>
      held(tallies.timers, async () => {
        const script = await bundled('download-timeout-under-gc.ts');
        const outcome = await resultOf(runtime.binary(), ['--expose-gc', script]);
        expect(outcome).toContain(
          'The file at the URL could not be downloaded: the download did not finish within 1 seconds.',
        );
      }),
    );

    it(`leaves no timer running after a failed SDK call on ${runtime.name}`, { timeout: 30_000 }, () =>
      held(tallies.timers, async () => {
        const script = await bundled('sdk-call-leaves-no-timer.ts');
        const outcome = JSON.parse(await resultOf(runtime.binary(), [script])) as { failure: string; timers: number };
        expect(outcome.failure).not.toBe('');
        expect(outcome.timers).toBe(0);
      }),
    );
  }
});

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
        roomy(),
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
      held(tallies.logs, async () => {
        const sizes = await debugLines([{ body: c.body() }]);
        expect(sizes.length).toBeGreaterThan(0);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(4_096);
      }),
    );
  }
});

describe('finding 8: the smaller items', () => {
  it('phrases a Retry-After of 99999999999999999999 sanely instead of repeating it', () =>
    held(tallies.small, async () => {
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
      await held(tallies.small, async () => {
        const result = await callTool(broken, tool, args);
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(
          /^Storage could not .+: the server's storage is misconfigured: its audio bucket does not exist\. This is a problem of this server's setup/,
        );
        expect(textOf(result)).not.toMatch(/No stored file with audio_id/);
      });
    }
  });

  it('still says "not found" for a missing file in a bucket that exists', () =>
    held(tallies.small, async () => {
      const result = await callTool(stack.handler, 'get_audio_url', {
        audio_id: 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3',
      });
      expect(textOf(result)).toMatch(
        /^No stored file with audio_id "tts_20261121T160512Z_3f9a1c7e2b4d\.mp3" exists for your API key\./,
      );
    }));
});
