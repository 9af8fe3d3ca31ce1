import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerIdOf } from '../../src/caller.js';
import { callTool, lambdaContext, SESSION_HEADERS, serve, startStack, textOf, type Stack } from '../support/harness.js';
import { ISOLATION_KEYS, RESTRICTED_KEY, WARM_KEYS } from '../support/keys.js';
import { viewBucket, type BucketView } from '../support/bucket.js';
import { Tally } from '../support/tally.js';

/**
 * Many callers at once: every upstream request carries the key of the request it serves, every stored
 * object lands under its caller's prefix, and no answer names another caller's object. Then the same
 * through one handler reused across sequential invocations, as a warm Lambda container reuses it.
 */

const CALLERS = ISOLATION_KEYS.length;
const REQUESTS = 320;

let stack: Stack;
let bucket: BucketView;
const tally = new Tally('isolation and concurrency');

beforeAll(async () => {
  stack = await startStack();
  for (const key of [...ISOLATION_KEYS, ...WARM_KEYS]) stack.fake.addKey(key);
  bucket = viewBucket(stack.s3);
});
afterAll(async () => {
  tally.report();
  bucket.close();
  await stack.stop();
});

function allStoredKeys(): Promise<string[]> {
  return bucket.keys('audio/');
}

function prefixOf(caller: number, keys = ISOLATION_KEYS): string {
  return `audio/${callerIdOf(keys[caller]!)}/`;
}

describe('hundreds of concurrent requests from dozens of callers on the local server', () => {
  it(`keeps ${CALLERS} callers apart across ${REQUESTS} interleaved requests`, async () => {
    stack.fake.clear();
    const server = await serve(stack.handler);
    const post = async (caller: number, body: object) => {
      const response = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { ...SESSION_HEADERS, 'x-elevenlabs-api-key': ISOLATION_KEYS[caller]! },
        body: JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as any };
    };
    try {
      const jobs = Array.from({ length: REQUESTS }, (_, n) => {
        const caller = (n * 7) % CALLERS;
        const kind = n % 4;
        const params =
          kind === 3
            ? { name: 'check_subscription', arguments: {} }
            : {
                name: 'text_to_speech',
                arguments: { text: `Request ${n} for caller ${caller}.`, model_id: 'eleven_flash_v2_5' },
              };
        return { n, caller, kind, run: () => post(caller, { jsonrpc: '2.0', id: n, method: 'tools/call', params }) };
      });
      const answers = await Promise.all(jobs.map(async (job) => ({ ...job, answer: await job.run() })));

      for (const { n, caller, kind, answer } of answers) {
        tally.tried();
        expect(answer.status).toBe(200);
        expect(answer.json.id).toBe(n);
        expect(answer.json.result.isError, JSON.stringify(answer.json)).toBeFalsy();
        const body = JSON.stringify(answer.json);
        for (const other of ISOLATION_KEYS) expect(body).not.toContain(other);
        if (kind !== 3) {
          const key = answer.json.result.structuredContent.key as string;
          expect(key.startsWith(prefixOf(caller))).toBe(true);
          // The answer names no other caller's prefix.
          expect((body.match(/audio\/[0-9a-f]{32}\//g) ?? []).every((p) => p === prefixOf(caller))).toBe(true);
          // The upstream request that made this audio carried this caller's key.
          const upstream = stack.fake.requests.filter(
            (r) => (r.json as { text?: string } | undefined)?.text === `Request ${n} for caller ${caller}.`,
          );
          expect(upstream).toHaveLength(1);
          expect(upstream[0]!.headers['xi-api-key']).toBe(ISOLATION_KEYS[caller]);
        }
        tally.held();
      }

      // Every upstream request of any kind carried a key of ours, and every models lookup the key of a
      // caller who then spoke.
      for (const request of stack.fake.requests) expect(ISOLATION_KEYS).toContain(request.headers['xi-api-key']);

      const stored = await allStoredKeys();
      const speeches = answers.filter((a) => a.kind !== 3);
      expect(stored).toHaveLength(speeches.length);
      for (const { answer } of speeches) expect(stored).toContain(answer.json.result.structuredContent.key);
      expect(stored.every((key) => ISOLATION_KEYS.some((_, caller) => key.startsWith(prefixOf(caller))))).toBe(true);

      // Another caller's audio is "not found", by id and by key, exactly like a missing one.
      const victim = speeches[0]!;
      const intruder = (victim.caller + 1) % CALLERS;
      for (const id of [
        victim.answer.json.result.structuredContent.audio_id,
        victim.answer.json.result.structuredContent.key,
      ]) {
        tally.tried();
        const attempt = await post(intruder, {
          jsonrpc: '2.0',
          id: 'x',
          method: 'tools/call',
          params: { name: 'get_audio_url', arguments: { audio_id: id } },
        });
        expect(attempt.json.result.isError).toBe(true);
        expect(attempt.json.result.content[0].text).toMatch(/No stored file with audio_id/);
        expect(JSON.stringify(attempt.json)).not.toContain('X-Amz');
        tally.held();
      }
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('one handler reused across sequential invocations (a warm container)', () => {
  it('serves interleaved callers one after another without carrying anything across', async () => {
    stack.fake.clear();
    stack.fake.addKey(RESTRICTED_KEY, 'missing_permissions');
    const order = [0, 1, 2, 0, 3, 1, 0, 2, 3, 1];
    for (const [step, caller] of order.entries()) {
      tally.tried();
      const key = WARM_KEYS[caller]!;
      const result = await callTool(
        stack.handler,
        'text_to_speech',
        { text: `Warm ${step} for ${caller}.` },
        key,
        lambdaContext(),
      );
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent.key.startsWith(prefixOf(caller, WARM_KEYS))).toBe(true);
      const [last] = stack.fake.requests.filter((r) => r.path.startsWith('/v1/text-to-speech/')).slice(-1);
      expect(last!.headers['xi-api-key']).toBe(key);
      tally.held();
    }
    // The model list cached for other callers is never served to a key that may not read models.
    tally.tried();
    const denied = await callTool(stack.handler, 'list_models', {}, RESTRICTED_KEY, lambdaContext());
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toMatch(/refused this operation/);
    tally.held();
    // Each caller's models were fetched once, with that caller's own key: the cache is per caller.
    const modelKeys = stack.fake.requestsTo(/^\/v1\/models$/).map((r) => r.headers['xi-api-key']);
    expect(modelKeys.sort()).toEqual([...WARM_KEYS, RESTRICTED_KEY].sort());
  });
});
