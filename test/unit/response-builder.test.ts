import { describe, expect, it } from 'vitest';
import { toFunctionUrlResult } from '../../src/http/response-builder.js';

describe('toFunctionUrlResult', () => {
  it('passes a JSON response through as text with its headers', async () => {
    const result = await toFunctionUrlResult(Response.json({ ok: true }, { status: 201, headers: { 'x-a': '1' } }));
    expect(result).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json', 'x-a': '1' },
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
  });

  it('answers an empty 202 with an empty body', async () => {
    expect(await toFunctionUrlResult(new Response(null, { status: 202 }))).toMatchObject({
      statusCode: 202,
      body: '',
      isBase64Encoded: false,
    });
  });

  it('base64-encodes binary bodies', async () => {
    const bytes = new Uint8Array([0, 255, 1, 2]);
    const result = await toFunctionUrlResult(new Response(bytes, { headers: { 'content-type': 'audio/mpeg' } }));
    expect(result.isBase64Encoded).toBe(true);
    expect(Buffer.from(result.body!, 'base64')).toEqual(Buffer.from(bytes));
  });

  it('moves Set-Cookie into cookies[], where a Function URL expects it', async () => {
    const headers = new Headers({ 'content-type': 'text/plain' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    const result = await toFunctionUrlResult(new Response('x', { headers }));
    expect(result.cookies).toEqual(['a=1', 'b=2']);
    expect(result.headers).not.toHaveProperty('set-cookie');
  });
});
