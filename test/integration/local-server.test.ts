import { request } from 'node:http';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionUrlHandler } from '../../src/handler.js';
import type { FunctionUrlResult } from '../../src/http/response-builder.js';
import { MAX_REQUEST_BYTES } from '../../src/local/function-url-event.js';
import { startLocalServer, type LocalServer } from '../../src/local/server.js';

/** The local server must hand the handler exactly the event a Function URL would. */

let server: LocalServer;
let seen: LambdaFunctionURLEvent[] = [];
const remaining: number[] = [];

const echo: FunctionUrlHandler = async (event, context): Promise<FunctionUrlResult> => {
  seen.push(event);
  remaining.push(context.getRemainingTimeInMillis());
  if (event.rawPath === '/binary')
    return {
      statusCode: 200,
      headers: { 'content-type': 'audio/mpeg' },
      body: Buffer.from([1, 2, 3]).toString('base64'),
      isBase64Encoded: true,
    };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'x-echo': 'yes' },
    cookies: ['a=1', 'b=2'],
    body: '{"ok":true}',
    isBase64Encoded: false,
  };
};

beforeAll(async () => {
  server = await startLocalServer({ handler: echo, timeoutMs: 120_000 });
});
afterAll(() => server.close());

/** Raw HTTP, so that repeated headers and exact bytes go out as written. */
function raw(
  path: string,
  method: string,
  headers: Array<[string, string]>,
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url);
    const grouped: Record<string, string[]> = {};
    for (const [name, value] of headers) (grouped[name] ??= []).push(value);
    // An array value goes out as one header line per element.
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      method,
      headers: grouped,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the local Function URL emulation', () => {
  it('builds the payload 2.0 event: lower-cased names, joined repeats, cookies, raw query, text body', async () => {
    seen = [];
    await raw(
      '/mcp?a=1&a=2&b=x%20y',
      'POST',
      [
        ['Content-Type', 'application/json'],
        ['X-Repeat', 'one'],
        ['X-Repeat', 'two'],
        ['Cookie', 'c1=v1; c2=v2'],
      ],
      Buffer.from('{"jsonrpc":"2.0"}'),
    );
    const event = seen[0]!;
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('$default');
    expect(event.rawPath).toBe('/mcp');
    expect(event.rawQueryString).toBe('a=1&a=2&b=x%20y');
    expect(event.queryStringParameters).toEqual({ a: '1,2', b: 'x y' });
    expect(event.headers['x-repeat']).toBe('one,two');
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(event.body).toBe('{"jsonrpc":"2.0"}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext.http).toMatchObject({ method: 'POST', path: '/mcp', protocol: 'HTTP/1.1' });
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(remaining[0]).toBeGreaterThan(100_000);
  });

  it('base64-encodes binary bodies and bodies that are not UTF-8', async () => {
    seen = [];
    await raw('/mcp', 'POST', [['Content-Type', 'application/octet-stream']], Buffer.from([0, 1, 2, 255]));
    await raw('/mcp', 'POST', [['Content-Type', 'application/json']], Buffer.from([0x7b, 0xff, 0x7d]));
    expect(seen[0]).toMatchObject({ isBase64Encoded: true, body: Buffer.from([0, 1, 2, 255]).toString('base64') });
    expect(seen[1]).toMatchObject({ isBase64Encoded: true, body: Buffer.from([0x7b, 0xff, 0x7d]).toString('base64') });
  });

  it('turns the result back into a response: status, headers, cookies, base64 bodies', async () => {
    const json = await raw('/mcp', 'POST', [['Content-Type', 'application/json']], Buffer.from('{}'));
    expect(json.status).toBe(200);
    expect(json.headers['x-echo']).toBe('yes');
    expect(json.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(json.body.toString()).toBe('{"ok":true}');
    const binary = await raw('/binary', 'GET', []);
    expect([...binary.body]).toEqual([1, 2, 3]);
  });

  it('refuses a body over 6 MB with 413 without calling the handler', async () => {
    seen = [];
    const big = Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x61);
    const response = await raw('/mcp', 'POST', [['Content-Type', 'application/json']], big).catch(
      (error: NodeJS.ErrnoException) => ({ status: -1, error }),
    );
    if ('error' in response) expect(['EPIPE', 'ECONNRESET']).toContain(response.error.code);
    else expect(response.status).toBe(413);
    expect(seen).toHaveLength(0);
  });
});
