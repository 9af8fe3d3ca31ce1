import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { callerIdOf } from '../../src/caller.js';
import { MalformedEventError, parseFunctionUrlEvent } from '../../src/http/event-parser.js';
import { functionUrlEvent } from '../support/harness.js';

const EVENTS = resolve(import.meta.dirname, '../../events');
const load = async (name: string): Promise<LambdaFunctionURLEvent> =>
  JSON.parse(await readFile(join(EVENTS, `${name}.json`), 'utf8'));

describe('parseFunctionUrlEvent', () => {
  it('turns the initialize event into a POST Request for the Function URL host with its body', async () => {
    const event = await load('initialize');
    const { request, credential } = parseFunctionUrlEvent(event);
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/mcp');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(await request.text()).toBe(event.body);
    expect(credential).toEqual({ kind: 'missing' });
  });

  it('takes the key from x-elevenlabs-api-key and removes it from the Request', async () => {
    const event = await load('text-to-speech');
    const key = event.headers['x-elevenlabs-api-key']!;
    const { request, credential } = parseFunctionUrlEvent(event);
    expect(credential).toEqual({ kind: 'present', apiKey: key, callerId: callerIdOf(key) });
    expect(request.headers.get('x-elevenlabs-api-key')).toBeNull();
    expect([...request.headers.values()].join(' ')).not.toContain(key);
  });

  it('takes the key from Authorization: Bearer and removes the header', async () => {
    const event = await load('bearer-token');
    const { request, credential } = parseFunctionUrlEvent(event);
    expect(credential.kind).toBe('present');
    expect(request.headers.get('authorization')).toBeNull();
  });

  it('decodes a base64 body, keeps the query string and restores cookies', async () => {
    const event = await load('binary-body');
    const { request } = parseFunctionUrlEvent(event);
    expect(await request.clone().json()).toMatchObject({ method: 'ping' });
    expect(new URL(request.url).search).toBe('?debug=1&debug=2');
    expect(request.headers.get('cookie')).toBe('session=abc; theme=dark');
  });

  it('refuses a body flagged base64 that is not base64', () => {
    const event = functionUrlEvent({ body: 'not base64!', base64: true });
    event.body = 'not base64!';
    expect(() => parseFunctionUrlEvent(event)).toThrow(MalformedEventError);
  });

  it('parses GET without a body and the health event', async () => {
    const get = parseFunctionUrlEvent(await load('get'));
    expect(get.request.method).toBe('GET');
    expect(get.request.body).toBeNull();
    expect(new URL(parseFunctionUrlEvent(await load('health')).request.url).pathname).toBe('/health');
  });

  it.each([
    ['an empty value', { 'x-elevenlabs-api-key': '   ' }, { kind: 'missing' }],
    ['an empty bearer token', { authorization: 'Bearer ' }, { kind: 'missing' }],
    ['a non-bearer Authorization', { authorization: 'Basic dXNlcjpwYXNz' }, { kind: 'malformed' }],
    ['a repeated header', { 'x-elevenlabs-api-key': 'sk_a,sk_b' }, { kind: 'malformed' }],
    ['a key with a space', { 'x-elevenlabs-api-key': 'sk a' }, { kind: 'malformed' }],
    ['a key with non-ASCII', { 'x-elevenlabs-api-key': 'sk_é' }, { kind: 'malformed' }],
  ])('reads %s as %j', (_name, headers, expected) => {
    const { credential } = parseFunctionUrlEvent(functionUrlEvent({ headers }));
    expect(credential).toMatchObject(expected);
    expect(JSON.stringify(credential)).not.toContain('sk_');
  });

  it('survives a Host header that is no host name', () => {
    const event = functionUrlEvent({ headers: { host: 'bad host/..' } });
    expect(new URL(parseFunctionUrlEvent(event).request.url).pathname).toBe('/mcp');
  });

  it('drops a header value that Headers cannot carry instead of failing the request', () => {
    const event = functionUrlEvent({ headers: { 'x-custom': 'a\u0000b' } });
    expect(parseFunctionUrlEvent(event).request.headers.get('x-custom')).toBeNull();
  });
});
