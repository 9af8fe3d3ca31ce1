import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type Case, type Expectation, requestsTo } from '../support/bad-input-requests.js';
import { protocolCases } from '../support/bad-input-protocol-cases.js';
import { toolCases } from '../support/bad-input-tool-cases.js';
import { serve, JSON_HEADERS, KEY_A, startStack, type Stack } from '../support/harness.js';
import { Tally } from '../support/tally.js';

/**
 * Whatever the internet sends: every case goes through the real handler and must get the right HTTP
 * status and JSON-RPC error or isError result, with a message that says what to change, never a 5xx or
 * a stack trace, and never a call to ElevenLabs when the input is already known to be wrong. The case
 * tables are in test/support/bad-input-protocol-cases.ts (the request itself) and bad-input-tool-cases.ts
 * (tools/call and its arguments).
 */

let stack: Stack;
const tally = new Tally('bad input');

beforeAll(async () => {
  stack = await startStack({ ALLOWED_ORIGINS: 'https://app.example.com' });
});
afterAll(async () => {
  tally.report();
  await stack.stop();
});

const requests = requestsTo(() => stack.handler);
const CASES: Case[] = [...protocolCases(requests), ...toolCases(requests)];

/** What holds for every answer: no 5xx, no stack trace or internal path, and the key never echoed. */
function expectClean(answer: Answer): void {
  expect(answer.status).toBeLessThan(500);
  expect(answer.text).not.toMatch(/\n\s+at |\.ts:\d|node_modules|\/work\/|Error: /);
  expect(answer.text).not.toContain(KEY_A);
  expect(answer.text).not.toMatch(/unauthori[sz]ed/i);
}

function check(answer: Answer, expectation: Expectation): void {
  expectClean(answer);
  if ('http' in expectation) {
    expect(answer.status).toBe(expectation.http);
    if (expectation.code !== undefined) expect(answer.json?.error?.code).toBe(expectation.code);
    if (expectation.says) expect(answer.json?.error?.message ?? answer.text).toMatch(expectation.says);
  } else if ('rpcError' in expectation) {
    expect(answer.status).toBe(200);
    expect(answer.json.error.code).toBe(expectation.rpcError);
    if (expectation.says) expect(answer.json.error.message).toMatch(expectation.says);
  } else {
    expect(answer.status).toBe(200);
    expect(answer.json.result.isError).toBe(true);
    expect(answer.json.result.content[0].text).toMatch(expectation.isError);
  }
}

describe(`bad input (${CASES.length} cases through the real handler)`, () => {
  it('has at least 60 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(60));

  for (const testCase of CASES) {
    it(testCase.name, async () => {
      tally.tried();
      stack.fake.clear();
      check(await testCase.run(), testCase.expect);
      const upstream = stack.fake.requests.map((r) => r.path);
      if ((testCase.upstream ?? 'none') === 'none') expect(upstream).toEqual([]);
      if (testCase.upstream === 'models-only') expect(upstream.every((path) => path === '/v1/models')).toBe(true);
      tally.held();
    });
  }

  it('refuses a body over 6 MB at the Function URL (local emulation) with 413', async () => {
    tally.tried();
    const local = await serve(stack.handler);
    try {
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'text_to_speech', arguments: { text: 'x'.repeat(6 * 1024 * 1024) } },
      });
      const response = await fetch(`${local.url}/mcp`, { method: 'POST', headers: JSON_HEADERS, body }).catch(
        () => undefined,
      );
      if (response) expect(response.status).toBe(413);
      expect(stack.fake.requests).toEqual([]);
    } finally {
      await local.close();
    }
    tally.held();
  });
});
