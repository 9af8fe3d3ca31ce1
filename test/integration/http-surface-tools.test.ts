import { describe, expect, it } from 'vitest';
import { createHandler } from '../../src/handler.js';
import { createRuntime } from '../../src/runtime.js';
import { JSON_HEADERS, KEY_A, rpc, SESSION_HEADERS } from '../support/harness.js';
import { useHttpSurface } from '../support/http-surface.js';

/**
 * The rows of the HTTP table in ../shared/reference/mcp-http.md about tools, through the real handler:
 * tools/list and tools/call with and without a key, and the tools a caller or a deployment chooses.
 */

const surface = useHttpSurface();
const { post, send } = surface;

describe('tools', () => {
  it('lists tools without a key, each with input and output schemas and honest annotations', async () => {
    const r = await post(rpc('tools/list'), SESSION_HEADERS);
    const tools = r.json.result.tools as Array<Record<string, any>>;
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'text_to_speech',
        'search_voices',
        'get_voice',
        'list_models',
        'check_subscription',
        'get_audio_url',
      ]),
    );
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema.type).toBe('object');
      expect(tool.annotations).toHaveProperty('readOnlyHint');
      expect(typeof tool.description).toBe('string');
    }
    const tts = tools.find((t) => t.name === 'text_to_speech')!;
    expect(tts.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, openWorldHint: true });
    expect(tts.description).toMatch(/costs ElevenLabs credits/i);
    expect(tts.inputSchema.required).toEqual(['text']);
    expect(tts.inputSchema.properties.output_format.enum).toHaveLength(28);
    expect(Object.keys(tts.outputSchema.properties)).toEqual(
      expect.arrayContaining([
        'url',
        'expires_at',
        'audio_id',
        'mime_type',
        'bytes',
        'format',
        'voice_id',
        'model_id',
        'characters_billed',
      ]),
    );
  });

  it('answers an unknown tool with the protocol error -32602', async () => {
    const r = await post(rpc('tools/call', { name: 'no_such_tool', arguments: {} }), { 'x-elevenlabs-api-key': KEY_A });
    expect(r.status).toBe(200);
    expect(r.json.error.code).toBe(-32602);
    expect(r.json.error.message).toContain('no_such_tool');
  });

  it('answers bad arguments with an isError result the model can act on, without calling ElevenLabs', async () => {
    surface.stack.fake.clear();
    const r = await post(
      rpc('tools/call', { name: 'text_to_speech', arguments: { text: 'hi', stability: 3, output_format: 'mp3_1_1' } }),
      {
        'x-elevenlabs-api-key': KEY_A,
      },
    );
    expect(r.json.result.isError).toBe(true);
    const text = r.json.result.content[0].text as string;
    expect(text).toContain('stability');
    expect(text).toContain('output_format');
    expect(surface.stack.fake.requests).toHaveLength(0);
  });

  it('answers a key-needing tool without a key with the exact fix', async () => {
    const r = await post(rpc('tools/call', { name: 'check_subscription', arguments: {} }));
    expect(r.json.result.isError).toBe(true);
    const text = r.json.result.content[0].text as string;
    expect(text).toContain('x-elevenlabs-api-key');
    expect(text).toContain('"--header", "x-elevenlabs-api-key:${ELEVENLABS_API_KEY}"');
    expect(text).toContain('Authorization: Bearer');
  });

  it('treats an empty key header as missing and then accepts Authorization: Bearer', async () => {
    surface.stack.fake.clear();
    const r = await post(rpc('tools/call', { name: 'check_subscription', arguments: {} }), {
      ...SESSION_HEADERS,
      'x-elevenlabs-api-key': '',
      authorization: `Bearer ${KEY_A}`,
    });
    expect(r.json.result.isError).toBeFalsy();
    expect(r.json.result.structuredContent.tier).toBe('creator');
    expect(surface.stack.fake.requests[0]!.headers['xi-api-key']).toBe(KEY_A);
  });

  it('refuses a key header sent twice (comma-joined by the Function URL) without guessing', async () => {
    const r = await post(rpc('tools/call', { name: 'check_subscription', arguments: {} }), {
      'x-elevenlabs-api-key': `${KEY_A},${KEY_A}`,
    });
    expect(r.json.result.isError).toBe(true);
    expect(r.json.result.content[0].text).toContain('sent more than once');
    expect(r.text).not.toContain(KEY_A);
  });
});

describe('choosing the tools a caller sees', () => {
  it('narrows tools/list and tools/call with the x-elevenlabs-tools header', async () => {
    const list = await post(rpc('tools/list'), { 'x-elevenlabs-tools': 'voices' });
    const names = list.json.result.tools.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(['search_voices', 'get_voice']));
    expect(names).not.toContain('text_to_speech');
    const call = await post(rpc('tools/call', { name: 'text_to_speech', arguments: { text: 'hi' } }), {
      'x-elevenlabs-tools': 'voices',
      'x-elevenlabs-api-key': KEY_A,
    });
    expect(call.json.error.code).toBe(-32602);
  });

  it('answers 400 naming the unknown entry in x-elevenlabs-tools', async () => {
    const r = await post(rpc('tools/list'), { 'x-elevenlabs-tools': 'voices,nonsense' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('"nonsense"');
  });

  it('applies ENABLED_TOOLS to the whole deployment, and fails fast at start-up on an unknown entry', async () => {
    const narrow = createHandler(createRuntime({ ...surface.stack.env, ENABLED_TOOLS: 'account' }));
    const r = await send({ headers: JSON_HEADERS, body: rpc('tools/list') }, narrow);
    expect(r.json.result.tools.map((t: { name: string }) => t.name)).toEqual(['check_subscription']);
    expect(() => createRuntime({ ...surface.stack.env, ENABLED_TOOLS: 'account,bogus' })).toThrow(
      /ENABLED_TOOLS: Unknown tool or group "bogus"/,
    );
  });
});
