import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callerIdOf } from '../../src/caller.js';
import { retryBackoff } from '../../src/elevenlabs/client.js';
import type { Fault } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { callTool, KEY_A, lambdaContext, startStack, textOf, type Stack } from '../support/harness.js';
import { Tally } from '../support/tally.js';

/**
 * A fake ElevenLabs that misbehaves on purpose, and storage that fails: each fault must become the
 * specific error the caller can act on, never a URL to something not stored whole, never partial audio
 * in the bucket, and never a call that outlives the Lambda.
 */

let stack: Stack;
let s3: S3Client;
const tally = new Tally('upstream and storage faults');

beforeAll(async () => {
  stack = await startStack();
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: stack.s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});
afterAll(async () => {
  tally.report();
  s3.destroy();
  await stack.stop();
});
beforeEach(() => stack.fake.clear());

async function storedObjects(key = KEY_A): Promise<number> {
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: stack.s3.bucket, Prefix: `audio/${callerIdOf(key)}/` }),
  );
  return listed.KeyCount ?? 0;
}

interface FaultCase {
  name: string;
  fault: Fault;
  times?: number;
  tool?: string;
  args?: Record<string, unknown>;
  says: RegExp;
  /** How many times the failing endpoint may be called (retries). */
  attempts?: number;
  remainingMs?: number;
}

const TTS = { text: 'Fault injection.' };
/** ElevenLabs' error body. */
const detail = (status: string, message: string) => ({ detail: { status, message } });
const reply = (status: number, body?: unknown, headers?: Record<string, string>): Fault => ({
  kind: 'reply',
  reply: { status, body, headers },
});

const FAULTS: FaultCase[] = [
  {
    name: '401 invalid key',
    fault: reply(401, detail('invalid_api_key', 'Invalid API key')),
    says: /rejected the API key: Invalid API key\..*api-keys/,
  },
  {
    name: '401 quota exceeded',
    fault: reply(401, detail('quota_exceeded', 'This request exceeds your quota of 10000.')),
    says: /quota is exhausted: This request exceeds your quota of 10000\..*check_subscription/,
  },
  {
    name: '403 forbidden',
    fault: reply(403, detail('forbidden', 'Voice access is restricted.')),
    says: /refused this operation for this API key: Voice access is restricted\./,
  },
  {
    name: '404 voice',
    fault: reply(404, detail('voice_not_found', 'A voice with the voice_id X was not found.')),
    says: /Voice cgSgspJ2msm6clMCkdW9 was not found.*search_voices/,
  },
  {
    name: '422 with a validation body',
    fault: reply(422, {
      detail: [
        {
          loc: ['body', 'voice_settings', 'stability'],
          msg: 'ensure this value is less than or equal to 1',
          type: 'value_error',
        },
      ],
    }),
    says: /rejected the request: voice_settings\.stability: ensure this value is less than or equal to 1\./,
  },
  {
    name: "400 with ElevenLabs' own message",
    fault: reply(400, detail('invalid_language_code', 'Language code xx is not supported by this model.')),
    says: /Language code xx is not supported by this model\./,
  },
  {
    name: '429 with Retry-After beyond what we wait',
    fault: reply(429, detail('too_many_concurrent_requests', 'Too many concurrent requests.'), {
      'retry-after': '120',
    }),
    says: /rate-limiting.*Retry after 120 seconds/,
    attempts: 1,
  },
  {
    name: '429 without Retry-After, every time',
    fault: reply(429, detail('system_busy', 'The system is busy.')),
    times: 10,
    says: /rate-limiting.*Retry in a few seconds/,
    attempts: 3,
  },
  // A 500 to a POST may have taken effect: not retried.
  {
    name: '500 with an HTML body',
    fault: reply(500, '<html><body><h1>500 Internal Server Error</h1></body></html>'),
    times: 10,
    says: /unavailable right now \(HTTP 500\)/,
    attempts: 1,
  },
  {
    name: '503',
    fault: reply(503, { detail: 'Service Unavailable' }),
    times: 10,
    says: /unavailable right now \(HTTP 503\)\. It did not process the request, so nothing was done or billed\./,
    attempts: 3,
  },
  {
    name: 'a response that never comes',
    fault: { kind: 'hang' },
    says: /did not finish within \d+ seconds/,
    attempts: 1,
    remainingMs: 3_000,
  },
  {
    name: 'a connection reset',
    fault: { kind: 'reset' },
    says: /^ElevenLabs is unavailable right now \(the connection to 127\.0\.0\.1:\d+ closed before its answer was complete\)\. Try again in a minute\.$/,
    attempts: 1,
  },
  {
    name: 'audio cut off mid-stream',
    fault: { kind: 'truncate' },
    says: /^ElevenLabs is unavailable right now \(the connection to 127\.0\.0\.1:\d+ closed before its answer was complete\)\. Try again in a minute\.$/,
    attempts: 1,
  },
  {
    name: 'a 200 with a malformed JSON body',
    fault: reply(200, '{"tier": "creator", "character_count": '),
    tool: 'check_subscription',
    args: {},
    says: /body this server could not read/,
  },
  {
    name: 'a 200 with JSON of the wrong shape',
    fault: reply(200, { tier: 5 }),
    tool: 'check_subscription',
    args: {},
    says: /body this server could not read/,
  },
];

describe(`upstream faults (${FAULTS.length} cases)`, () => {
  // Cases that fail every attempt retry without waiting out the production backoff (0.5 s, then 1 s); the
  // test of the Lambda's remaining time below needs the real one, and gets it back first.
  const productionBackoff = retryBackoff.firstMs;
  beforeAll(() => {
    retryBackoff.firstMs = 1;
  });
  afterAll(() => {
    retryBackoff.firstMs = productionBackoff;
  });

  for (const f of FAULTS) {
    it(`${f.name} becomes a specific error, with nothing stored and no URL`, async () => {
      tally.tried();
      const tool = f.tool ?? 'text_to_speech';
      const pattern = tool === 'text_to_speech' ? /^\/v1\/text-to-speech\// : /^\/v1\/user\/subscription$/;
      const before = await storedObjects();
      stack.fake.inject(pattern, f.fault, f.times ?? 1);
      const context = lambdaContext(f.remainingMs ?? 30_000);
      const result = await callTool(stack.handler, tool, f.args ?? TTS, KEY_A, context);

      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(f.says);
      expect(textOf(result)).not.toMatch(/https?:\/\/127|X-Amz|<html|\n\s+at /);
      expect(result.structuredContent).toBeUndefined();
      expect(await storedObjects()).toBe(before);
      if (f.attempts !== undefined) expect(stack.fake.requestsTo(pattern)).toHaveLength(f.attempts);
      // The call ended inside the invocation's time, whatever the upstream did.
      expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
      tally.held();
    }, 20_000);
  }

  it('retries a 429 whose Retry-After fits, and then succeeds', async () => {
    tally.tried();
    stack.fake.inject(
      /^\/v1\/text-to-speech\//,
      reply(429, detail('too_many_concurrent_requests', 'Too many'), { 'retry-after': '1' }),
    );
    const result = await callTool(stack.handler, 'text_to_speech', TTS);
    expect(result.isError).toBeFalsy();
    expect(stack.fake.requestsTo(/^\/v1\/text-to-speech\//)).toHaveLength(2);
    tally.held();
  });

  it('does not retry when the Lambda has too little time left', async () => {
    tally.tried();
    retryBackoff.firstMs = productionBackoff;
    stack.fake.inject(/^\/v1\/text-to-speech\//, reply(503, { detail: 'busy' }), 10);
    const result = await callTool(stack.handler, 'text_to_speech', TTS, KEY_A, lambdaContext(2_500));
    expect(textOf(result)).toMatch(/HTTP 503/);
    expect(stack.fake.requestsTo(/^\/v1\/text-to-speech\//)).toHaveLength(1);
    tally.held();
  });
});

/** A stand-in S3 endpoint that answers every request as told. */
async function fakeS3(
  answer: (res: import('node:http').ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const s3Error = (status: number, code: string) => (res: import('node:http').ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" ` +
      `encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message><RequestId>1</RequestId></Error>`,
  );
};

describe('storage faults', () => {
  const cases: Array<{
    name: string;
    env: () => Promise<{ env: Record<string, string>; close?: () => void }>;
    says: RegExp;
    remainingMs?: number;
  }> = [
    {
      name: 'S3 unreachable',
      env: async () => ({ env: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' } }),
      says: /\(storage is unreachable\)/,
    },
    {
      name: 'the bucket missing',
      env: async () => ({ env: { AUDIO_BUCKET: 'no-such-bucket' } }),
      says: /\(the server's storage is misconfigured: its audio bucket does not exist\).*its operator must fix it/,
    },
    {
      name: 'access denied',
      env: async () => {
        const fake = await fakeS3(s3Error(403, 'AccessDenied'));
        return { env: { AWS_ENDPOINT_URL_S3: fake.url }, close: () => fake.server.close() };
      },
      says: /\(the server was denied access to its audio bucket\)/,
    },
    {
      name: 'a slow S3',
      env: async () => {
        const fake = await fakeS3(() => undefined);
        return { env: { AWS_ENDPOINT_URL_S3: fake.url }, close: () => fake.server.closeAllConnections() };
      },
      says: /\(storage did not answer/,
      remainingMs: 3_000,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: a clear error, no URL, and the credits already spent are stated`, async () => {
      tally.tried();
      const { env, close } = await c.env();
      const broken = await startStack(env);
      try {
        const context = lambdaContext(c.remainingMs ?? 20_000);
        const result = await callTool(broken.handler, 'text_to_speech', { text: 'Sixteen chars!!!' }, KEY_A, context);
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(c.says);
        expect(textOf(result)).toContain('billed 16 characters');
        expect(textOf(result)).not.toMatch(/https?:\/\/|X-Amz|no-such-bucket|127\.0\.0\.1/);
        expect(result.structuredContent).toBeUndefined();
        expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
      } finally {
        close?.();
        await broken.stop();
      }
      tally.held();
    }, 30_000);
  }
});
