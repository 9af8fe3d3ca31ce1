import { functionUrlEvent, JSON_HEADERS, rpc } from './harness.js';
import type { Case, Requests } from './bad-input-requests.js';

/**
 * The cases of test/reliability/bad-input.test.ts about the request itself: the body, the JSON-RPC shapes,
 * batches, and the HTTP method, path and headers.
 */

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const INITIALIZE_PARAMS = { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'x', version: '1' } };

export function protocolCases({ send, post, raw }: Requests): Case[] {
  return [
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
      run: () => {
        const event = functionUrlEvent({ headers: JSON_HEADERS, body: 'x', base64: true });
        event.body = '{"jsonrpc":"2.0"}';
        return raw(event);
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
      run: () => post(`[${rpc('initialize', INITIALIZE_PARAMS)}]`),
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
  ];
}
