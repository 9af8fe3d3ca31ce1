import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES } from '../../src/mcp/answer-budget.js';
import {
  functionUrlEvent,
  JSON_HEADERS,
  KEY_A,
  lambdaContext,
  rpc,
  startStack,
  type Stack,
} from '../support/harness.js';
import { Tally } from '../support/tally.js';

/**
 * A buffered Function URL fails an invocation whose result exceeds 6 MB: the client gets a bare 502 and
 * nothing explains it. Requests that would make such answers get answers that fit, saying why.
 */

/** Lambda's limit on a buffered invocation result (bytes). */
const FUNCTION_URL_LIMIT = 6 * 1024 * 1024;

let stack: Stack;
const tally = new Tally('answers within the Function URL limit');
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  tally.report();
  await stack.stop();
});

/** The invocation result as Lambda would serialize it, and its size. */
async function sized(
  body: string,
  headers: Record<string, string> = {},
): Promise<{ bytes: number; status: number; json: any }> {
  const result = await stack.handler(
    functionUrlEvent({ headers: { ...JSON_HEADERS, ...headers }, body }),
    lambdaContext(),
  );
  const bytes = Buffer.byteLength(JSON.stringify(result), 'utf8');
  tally.tried();
  if (bytes <= FUNCTION_URL_LIMIT && (result.statusCode ?? 200) < 500) tally.held();
  return { bytes, status: result.statusCode ?? 200, json: JSON.parse(result.body ?? 'null') };
}

describe('answers stay within what a Function URL can return', () => {
  it('a 2025-03-26 batch of 100 tools/list: the answers that do not fit become errors saying so', async () => {
    const body = `[${Array.from({ length: 100 }, (_, i) => rpc('tools/list', undefined, i)).join(',')}]`;
    const answer = await sized(body);
    expect(answer.bytes).toBeLessThanOrEqual(FUNCTION_URL_LIMIT);
    expect(answer.status).toBe(200);
    expect(answer.json).toHaveLength(100);
    const listed = answer.json.filter((a: { result?: unknown }) => a.result);
    const refused = answer.json.filter((a: { error?: { code: number; message: string } }) => a.error);
    expect(listed.length).toBeGreaterThan(10);
    expect(refused.length).toBeGreaterThan(10);
    expect(refused[0].error.code).toBe(-32603);
    expect(refused[0].error.message).toMatch(/more than this server can return/);
    expect(new Set(answer.json.map((a: { id: number }) => a.id)).size).toBe(100);
  });

  it('200,000 unknown argument names (a 3 MB request): a short isError message, not megabytes of them', async () => {
    const args = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`key_number_${i}`, 1]));
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'check_subscription', arguments: args },
    });
    const answer = await sized(body, { 'x-elevenlabs-api-key': KEY_A });
    expect(answer.json.result.isError).toBe(true);
    expect(answer.json.result.content[0].text.length).toBeLessThan(3000);
    expect(answer.json.result.content[0].text).toMatch(/Unrecognized key/);
  });

  it('keeps its own budget under the limit, leaving room for headers', () => {
    expect(MAX_ANSWER_BYTES).toBeLessThan(FUNCTION_URL_LIMIT - 100_000);
  });
});
