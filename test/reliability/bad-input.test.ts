import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerIdOf } from '../../src/caller.js';
import {
  serve,
  functionUrlEvent,
  invoke,
  JSON_HEADERS,
  KEY_A,
  KEY_B,
  lambdaContext,
  rpc,
  startStack,
  type EventSpec,
  type HandlerAnswer,
  type Stack,
} from '../support/harness.js';
import { Tally } from '../support/tally.js';

/**
 * Whatever the internet sends: every case goes through the real handler and must get the right HTTP
 * status and JSON-RPC error or isError result, with a message that says what to change, never a 5xx or
 * a stack trace, and never a call to ElevenLabs when the input is already known to be wrong.
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

type Answer = Pick<HandlerAnswer, 'status' | 'text' | 'json'>;
const send = (spec: EventSpec): Promise<Answer> => invoke(stack.handler, spec);

const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
  send({ headers: { ...JSON_HEADERS, ...headers }, body });
const tool = (name: string, args: unknown, headers: Record<string, string> = { 'x-elevenlabs-api-key': KEY_A }) =>
  post(rpc('tools/call', { name, arguments: args as Record<string, unknown> }), headers);

/** What holds for every answer: no 5xx, no stack trace or internal path, and the key never echoed. */
function expectClean(answer: Answer): void {
  expect(answer.status).toBeLessThan(500);
  expect(answer.text).not.toMatch(/\n\s+at |\.ts:\d|node_modules|\/work\/|Error: /);
  expect(answer.text).not.toContain(KEY_A);
  expect(answer.text).not.toMatch(/unauthori[sz]ed/i);
}

type Expectation =
  | { http: number; code?: number; says?: RegExp }
  | { rpcError: number; says?: RegExp }
  | { isError: RegExp };

interface Case {
  name: string;
  run: () => Promise<Answer>;
  expect: Expectation;
  /** The case must not reach ElevenLabs at all (default), or at most read /v1/models. */
  upstream?: 'none' | 'models-only' | 'any';
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

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const tts = (args: Record<string, unknown>) => () => tool('text_to_speech', { text: 'Hello', ...args });

const CASES: Case[] = [
  // The body itself
  {
    name: 'invalid JSON',
    run: () => post('{"jsonrpc": "2.0", "id": 1, "method": "ping"'),
    expect: { http: 400, code: -32700, says: /not valid JSON/ },
  },
  { name: 'truncated JSON', run: () => post(rpc('tools/list').slice(0, 20)), expect: { http: 400, code: -32700 } },
  { name: 'JSON with trailing garbage', run: () => post(`${rpc('ping')}}`), expect: { http: 400, code: -32700 } },
  {
    name: 'non-UTF-8 bytes',
    run: () => send({ headers: JSON_HEADERS, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), base64: true }),
    expect: { http: 400, code: -32700, says: /UTF-8/ },
  },
  {
    name: 'a base64-flagged body that is not base64',
    run: async () => {
      const event = functionUrlEvent({ headers: JSON_HEADERS, body: 'x', base64: true });
      event.body = '{"jsonrpc":"2.0"}';
      const result = await stack.handler(event, lambdaContext());
      return { status: result.statusCode ?? 200, text: result.body ?? '', json: JSON.parse(result.body ?? '{}') };
    },
    expect: { http: 400, code: -32700, says: /base64/ },
  },
  {
    name: 'deeply nested JSON (100 000 levels)',
    run: () => post(deep(100_000)),
    expect: { http: 400, code: -32700, says: /nested deeper/ },
  },
  {
    name: 'nesting just over the limit inside params',
    run: () => post(rpc('ping', { a: JSON.parse(deep(70)) })),
    expect: { http: 400, code: -32700 },
  },
  {
    name: 'a missing body',
    run: () => send({ headers: JSON_HEADERS }),
    expect: { http: 400, code: -32700, says: /empty/ },
  },
  { name: 'an empty body', run: () => post(''), expect: { http: 400, code: -32700 } },
  { name: 'a JSON string', run: () => post('"hello"'), expect: { http: 400, code: -32600 } },
  { name: 'JSON null', run: () => post('null'), expect: { http: 400, code: -32600 } },
  // Wrong JSON-RPC shapes
  {
    name: 'id as an object',
    run: () => post('{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}'),
    expect: { http: 400, code: -32600, says: /"id"/ },
  },
  {
    name: 'id as a fraction',
    run: () => post('{"jsonrpc":"2.0","id":1.5,"method":"ping"}'),
    expect: { http: 400, code: -32600, says: /"id"/ },
  },
  {
    name: 'id as a boolean',
    run: () => post('{"jsonrpc":"2.0","id":true,"method":"ping"}'),
    expect: { http: 400, code: -32600 },
  },
  {
    name: 'id null',
    run: () => post('{"jsonrpc":"2.0","id":null,"method":"ping"}'),
    expect: { http: 400, code: -32600 },
  },
  {
    name: 'method as a number',
    run: () => post('{"jsonrpc":"2.0","id":1,"method":7}'),
    expect: { http: 400, code: -32600, says: /"method"/ },
  },
  {
    name: 'no method, result or error',
    run: () => post('{"jsonrpc":"2.0","id":1}'),
    expect: { http: 400, code: -32600, says: /"method"/ },
  },
  {
    name: 'params as an array',
    run: () => post('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":[1]}'),
    expect: { http: 400, code: -32600, says: /"params"/ },
  },
  {
    name: 'params as a string',
    run: () => post('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":"x"}'),
    expect: { http: 400, code: -32600 },
  },
  {
    name: 'jsonrpc "1.0"',
    run: () => post('{"jsonrpc":"1.0","id":1,"method":"ping"}'),
    expect: { http: 400, code: -32600, says: /"2\.0"/ },
  },
  { name: 'no jsonrpc member', run: () => post('{"id":1,"method":"ping"}'), expect: { http: 400, code: -32600 } },
  { name: 'an unknown method', run: () => post(rpc('no/such_method')), expect: { rpcError: -32601 } },
  {
    name: 'an unknown notification',
    run: () => post('{"jsonrpc":"2.0","method":"notifications/whatever"}'),
    expect: { http: 202 },
  },
  { name: 'initialize without params', run: () => post(rpc('initialize')), expect: { rpcError: -32602 } },
  {
    name: 'tools/list with a numeric cursor',
    run: () => post(rpc('tools/list', { cursor: 5 })),
    expect: { rpcError: -32602 },
  },
  // Batches
  { name: 'an empty batch', run: () => post('[]'), expect: { http: 400, code: -32600 } },
  {
    name: 'a batch of 101',
    run: () => post(`[${Array.from({ length: 101 }, (_, i) => rpc('ping', undefined, i)).join(',')}]`),
    expect: { http: 400, code: -32600, says: /at most 100/ },
  },
  {
    name: 'a batch holding initialize',
    run: () =>
      post(
        `[${rpc('initialize', { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'x', version: '1' } })}]`,
      ),
    expect: { http: 400, code: -32600 },
  },
  {
    name: 'a batch of non-objects',
    run: () => post('[1,2,3]'),
    expect: { http: 400, code: -32600, says: /batch item 0/ },
  },
  // HTTP
  {
    name: 'Content-Type text/plain',
    run: () => send({ headers: { 'content-type': 'text/plain' }, body: rpc('ping') }),
    expect: { http: 415 },
  },
  {
    name: 'no Content-Type',
    run: () => send({ headers: { accept: 'application/json' }, body: rpc('ping') }),
    expect: { http: 415 },
  },
  {
    name: 'Content-Type application/xml',
    run: () => send({ headers: { 'content-type': 'application/xml' }, body: '<x/>' }),
    expect: { http: 415 },
  },
  {
    name: 'Accept text/html only',
    run: () => send({ headers: { 'content-type': 'application/json', accept: 'text/html' }, body: rpc('ping') }),
    expect: { http: 406 },
  },
  {
    name: 'an unsupported MCP-Protocol-Version',
    run: () => post(rpc('ping'), { 'mcp-protocol-version': '2023-01-01' }),
    expect: { http: 400, says: /supported/ },
  },
  {
    name: 'a garbage MCP-Protocol-Version',
    run: () => post(rpc('ping'), { 'mcp-protocol-version': '\u00e9\u00e9\u00e9' }),
    expect: { http: 400 },
  },
  {
    name: 'GET /mcp',
    run: () => send({ method: 'GET', headers: { accept: 'text/event-stream' } }),
    expect: { http: 405 },
  },
  {
    name: 'PUT /mcp',
    run: () => send({ method: 'PUT', headers: JSON_HEADERS, body: rpc('ping') }),
    expect: { http: 405 },
  },
  {
    name: 'a traversal path',
    run: () => send({ method: 'POST', path: '/mcp/../admin', headers: JSON_HEADERS, body: rpc('ping') }),
    expect: { http: 404 },
  },
  {
    name: 'a foreign Origin',
    run: () => post(rpc('ping'), { origin: 'https://evil.example' }),
    expect: { http: 403, says: /ALLOWED_ORIGINS/ },
  },
  { name: 'an Origin that is no URL', run: () => post(rpc('ping'), { origin: 'null' }), expect: { http: 403 } },
  // tools/call shapes
  { name: 'an unknown tool', run: () => tool('no_such_tool', {}), expect: { rpcError: -32602, says: /no_such_tool/ } },
  {
    name: 'tools/call without a name',
    run: () => post(rpc('tools/call', { arguments: {} })),
    expect: { rpcError: -32602 },
  },
  {
    name: 'a tool name that is a number',
    run: () => post(rpc('tools/call', { name: 5, arguments: {} })),
    expect: { rpcError: -32602 },
  },
  { name: 'arguments that are a string', run: () => tool('text_to_speech', 'hello'), expect: { rpcError: -32602 } },
  { name: 'arguments that are null', run: () => tool('text_to_speech', null), expect: { rpcError: -32602 } },
  // Arguments of text_to_speech
  { name: 'text as a number', run: () => tool('text_to_speech', { text: 5 }), expect: { isError: /text: .*string/ } },
  { name: 'no text', run: () => tool('text_to_speech', {}), expect: { isError: /text/ } },
  { name: 'empty text', run: tts({ text: '' }), expect: { isError: /text must not be empty/ } },
  { name: 'text of only spaces', run: tts({ text: '   \n ' }), expect: { isError: /something to speak/ } },
  {
    name: "text beyond every model's limit",
    run: tts({ text: 'x'.repeat(100_001) }),
    expect: { isError: /at most 100000 characters/ },
  },
  {
    name: "text beyond the model's limit",
    run: tts({ text: 'x'.repeat(5_001), model_id: 'eleven_v3' }),
    expect: { isError: /eleven_v3 accepts at most 5000.*Nothing was billed/ },
    upstream: 'models-only',
  },
  { name: 'stability as a string', run: tts({ stability: 'high' }), expect: { isError: /stability/ } },
  { name: 'stability above 1', run: tts({ stability: 1.5 }), expect: { isError: /stability/ } },
  { name: 'similarity_boost below 0', run: tts({ similarity_boost: -0.1 }), expect: { isError: /similarity_boost/ } },
  { name: 'speed out of range', run: tts({ speed: 3 }), expect: { isError: /speed/ } },
  {
    name: 'use_speaker_boost as a string',
    run: tts({ use_speaker_boost: 'yes' }),
    expect: { isError: /use_speaker_boost/ },
  },
  { name: 'a negative seed', run: tts({ seed: -1 }), expect: { isError: /seed/ } },
  { name: 'a fractional seed', run: tts({ seed: 1.5 }), expect: { isError: /seed/ } },
  { name: 'a seed above 2^32-1', run: tts({ seed: 4294967296 }), expect: { isError: /seed/ } },
  {
    name: 'an output format that does not exist',
    run: tts({ output_format: 'mp3_1_1' }),
    expect: { isError: /output_format/ },
  },
  { name: 'an empty output format', run: tts({ output_format: '' }), expect: { isError: /output_format/ } },
  {
    name: 'a voice id with a slash',
    run: tts({ voice_id: 'abc/def' }),
    expect: { isError: /voice_id: must be an ElevenLabs voice id/ },
  },
  { name: 'a voice id that is dots', run: tts({ voice_id: '..' }), expect: { isError: /voice_id/ } },
  { name: 'a voice id with a query string', run: tts({ voice_id: 'abc?x=1' }), expect: { isError: /voice_id/ } },
  {
    name: 'a voice id with encoded traversal',
    run: tts({ voice_id: '%2e%2e%2fadmin' }),
    expect: { isError: /voice_id/ },
  },
  { name: 'a voice id of 100 characters', run: tts({ voice_id: 'a'.repeat(100) }), expect: { isError: /voice_id/ } },
  { name: 'a model id with traversal', run: tts({ model_id: '../v1/user' }), expect: { isError: /model_id/ } },
  {
    name: 'a language code that is a word',
    run: tts({ language_code: 'english' }),
    expect: { isError: /language_code/ },
  },
  { name: 'an unknown argument', run: tts({ voice: 'George' }), expect: { isError: /Unrecognized key.*voice/ } },
  {
    name: 'both voice_id and voice_name',
    run: tts({ voice_id: 'JBFqnCBsd6RMkjVDRZzb', voice_name: 'George' }),
    expect: { isError: /voice_id or voice_name, not both/ },
  },
  // Other tools
  {
    name: 'get_voice with a slash in the id',
    run: () => tool('get_voice', { voice_id: 'x/../../v1/user' }),
    expect: { isError: /voice_id/ },
  },
  { name: 'get_voice without an id', run: () => tool('get_voice', {}), expect: { isError: /voice_id/ } },
  {
    name: 'search_voices with page_size 0',
    run: () => tool('search_voices', { page_size: 0 }),
    expect: { isError: /page_size/ },
  },
  {
    name: 'search_voices with page_size 1000',
    run: () => tool('search_voices', { page_size: 1000 }),
    expect: { isError: /page_size/ },
  },
  {
    name: 'search_voices with an unknown sort',
    run: () => tool('search_voices', { sort: 'age' }),
    expect: { isError: /sort/ },
  },
  {
    name: 'get_audio_url with a traversal',
    run: () => tool('get_audio_url', { audio_id: '../../etc/passwd' }),
    expect: { isError: /No stored file with audio_id/ },
  },
  {
    name: "get_audio_url with another caller's key",
    run: () => tool('get_audio_url', { audio_id: `audio/${callerIdOf(KEY_B)}/tts_20261121T160512Z_3f9a1c7e2b4d.mp3` }),
    expect: { isError: /No stored file with audio_id/ },
  },
  {
    name: 'get_audio_url with a well-formed id that does not exist',
    run: () => tool('get_audio_url', { audio_id: 'tts_20261121T160512Z_000000000000.mp3' }),
    expect: { isError: /No stored file with audio_id "?tts_20261121T160512Z_000000000000\.mp3/ },
    upstream: 'none',
  },
  {
    name: 'get_audio_url with 1000 characters',
    run: () => tool('get_audio_url', { audio_id: 'a'.repeat(1000) }),
    expect: { isError: /audio_id/ },
  },
  {
    name: 'list_models with an argument it does not take',
    run: () => tool('list_models', { all: true }),
    expect: { isError: /Unrecognized key/ },
  },
  // The key header
  {
    name: 'a key with spaces',
    run: () => tool('check_subscription', {}, { 'x-elevenlabs-api-key': 'sk abc def' }),
    expect: { isError: /spaces, control or non-ASCII/ },
  },
  {
    name: 'a key with a control character',
    run: () => tool('check_subscription', {}, { 'x-elevenlabs-api-key': 'sk_\u0001abc' }),
    expect: { isError: /API key/ },
  },
  {
    name: 'a key header sent twice',
    run: () => tool('check_subscription', {}, { 'x-elevenlabs-api-key': `${KEY_A},${KEY_B}` }),
    expect: { isError: /sent more than once/ },
  },
  {
    name: 'Authorization: Basic',
    run: () => tool('check_subscription', {}, { authorization: 'Basic dXNlcjpwYXNz' }),
    expect: { isError: /Bearer <key>/ },
  },
  {
    name: 'no key for a tool that needs one',
    run: () => tool('check_subscription', {}, {}),
    expect: { isError: /x-elevenlabs-api-key/ },
  },
  {
    name: 'a key of 300 characters',
    run: () => tool('check_subscription', {}, { 'x-elevenlabs-api-key': `sk_${'a'.repeat(300)}` }),
    expect: { isError: /API key/ },
  },
];

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
