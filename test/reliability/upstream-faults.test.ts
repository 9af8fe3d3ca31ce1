import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler } from '../../src/handler.js';
import { createRuntime } from '../../src/runtime.js';
import { retryBackoff } from '../../src/elevenlabs/client.js';
import { callTool, KEY_A, lambdaContext, startStack, textOf, type Stack } from '../support/harness.js';
import { viewBucket, type BucketView } from '../support/bucket.js';
import { Tally } from '../support/tally.js';
import { detail, FAULTS, reply, TTS } from '../support/upstream-fault-cases.js';

/**
 * A fake ElevenLabs that misbehaves on purpose, and storage that fails: each fault must become the
 * specific error the caller can act on, never a URL to something not stored whole, never partial audio
 * in the bucket, and never a call that outlives the Lambda.
 */

let stack: Stack;
let bucket: BucketView;
const tally = new Tally('upstream and storage faults');

beforeAll(async () => {
  stack = await startStack();
  bucket = viewBucket(stack.s3);
});
afterAll(async () => {
  tally.report();
  bucket.close();
  await stack.stop();
});
beforeEach(() => stack.fake.clear());

async function storedObjects(key = KEY_A): Promise<number> {
  return (await bucket.keysOf(key)).length;
}

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
      // This suite's fake ElevenLabs, with storage broken.
      const broken = createHandler(createRuntime({ ...stack.env, ...env }));
      try {
        const context = lambdaContext(c.remainingMs ?? 20_000);
        const result = await callTool(broken, 'text_to_speech', { text: 'Sixteen chars!!!' }, KEY_A, context);
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(c.says);
        expect(textOf(result)).toContain('billed 16 characters');
        expect(textOf(result)).not.toMatch(/https?:\/\/|X-Amz|no-such-bucket|127\.0\.0\.1/);
        expect(result.structuredContent).toBeUndefined();
        expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
      } finally {
        close?.();
      }
      tally.held();
    }, 30_000);
  }
});
