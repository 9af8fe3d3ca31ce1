import { randomBytes } from 'node:crypto';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeElevenLabs } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { agentsOf } from '../../src/local/fake-elevenlabs/fake-routes/agents.js';
import { grantInpainting } from '../../src/local/fake-elevenlabs/fake-routes/music.js';
import { buildForTest, startServerProcess, type Built, type StartedServer } from '../support/npm-start.js';

/**
 * Every tool tools/list offers, called once through the server `npm start` runs: the built Lambda bundle
 * (dist/handler.mjs and its lazily loaded chunks, with the build-time transforms of the ElevenLabs SDK,
 * Ajv and zod) behind the local Function URL emulation and its embedded S3, against the fake ElevenLabs.
 * The integration suites run the TypeScript sources; only this one proves each tool's chunk loads and
 * works as deployed. Audio results are downloaded through their presigned URL and compared, byte for
 * byte, with what the fake produced.
 */

/** The tools-music suite's enterprise key: the fake grants it inpainting, so every tool can succeed. */
const KEY = 'sk_test_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';

// Inputs built as the integration suites build theirs (tools-speech, tools-voices, tools-music, tools-agents).
const RECORDING = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), randomBytes(20_000)]);
const SAMPLE = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), randomBytes(5000)]);
const SONG = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), randomBytes(6_000)]);
const VIDEO = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), randomBytes(9_000)]);
const MARKDOWN = Buffer.from('# Opening hours\n\nMonday to Friday, 9 to 5.\n');
const GEORGE = 'JBFqnCBsd6RMkjVDRZzb';
const SARAH = 'EXAVITQu4vr4xnSDxMaL';
const DESCRIPTION = 'A gravelly old sea captain with a thick Scottish accent, speaking slowly and warmly.';
const DEFAULT_TRANSCRIPT = 'Hello, and welcome to the show. (laughter) Thanks for having me.';
const PHONE_NUMBER_ID = 'phnum_twilio1';
const CONVERSATION_ID = 'conv_0001';

const file = (bytes: Buffer, filename: string) => ({ base64: bytes.toString('base64'), filename });

/** What earlier calls returned, for the calls that need it. */
interface State {
  ttsAudioId?: string;
  ttsBytes?: Buffer;
  generatedVoiceId?: string;
  libraryVoice?: { public_owner_id: string; voice_id: string };
  transcriptId?: string;
  agentId?: string;
}

type Result = { isError?: boolean; content: Array<{ type: string; text?: string }>; structuredContent?: any };

interface Case {
  readonly tool: string;
  readonly args: (state: State) => Record<string, unknown>;
  /** Extra checks, and what later cases need from this result. */
  readonly then?: (s: any, state: State, produced: Buffer[]) => void | Promise<void>;
  /** What a stored URL serves when the fake produced no audio in this call (it points at earlier audio). */
  readonly serves?: (state: State) => Buffer;
}

/** In tools/list order. */
const CASES: Case[] = [
  {
    tool: 'text_to_speech',
    args: () => ({ text: 'Every tool, once, from the bundle.' }),
    then: (s, state, produced) => {
      state.ttsAudioId = s.audio_id;
      state.ttsBytes = produced[0];
    },
  },
  {
    tool: 'search_voices',
    args: () => ({ search: 'george' }),
    then: (s) => expect(s.voices.map((v: any) => v.voice_id)).toEqual([GEORGE]),
  },
  {
    tool: 'get_voice',
    args: () => ({ voice_id: GEORGE }),
    then: (s) => expect(s.name).toBe('George - Warm, Captivating Storyteller'),
  },
  { tool: 'list_models', args: () => ({}), then: (s) => expect(s.models.length).toBeGreaterThan(0) },
  { tool: 'check_subscription', args: () => ({}), then: (s) => expect(s.tier).toBe('creator') },
  { tool: 'get_audio_url', args: (state) => ({ audio_id: state.ttsAudioId }), serves: (state) => state.ttsBytes! },
  {
    tool: 'create_upload_url',
    args: () => ({ filename: 'interview.mp3', content_type: 'audio/mpeg', bytes: RECORDING.length }),
    then: async (s) => {
      const put = await fetch(s.upload_url, { method: s.method, headers: s.headers, body: new Uint8Array(RECORDING) });
      expect(put.status).toBe(200);
    },
  },
  { tool: 'list_audio', args: () => ({}), then: (s) => expect(s.count).toBe(2) },
  {
    tool: 'delete_audio',
    args: (state) => ({ audio_id: state.ttsAudioId }),
    then: (s) => expect(s.deleted).toBe(true),
  },
  {
    tool: 'voice_clone',
    args: () => ({ name: 'My Narrator', files: [file(SAMPLE, 'take1.mp3')] }),
    then: (s) => expect(s.voice_id).toBeTruthy(),
  },
  {
    tool: 'text_to_voice',
    args: () => ({ voice_description: DESCRIPTION }),
    then: (s, state) => {
      state.generatedVoiceId = s.previews[0].generated_voice_id;
    },
  },
  {
    tool: 'create_voice_from_preview',
    args: (state) => ({
      generated_voice_id: state.generatedVoiceId,
      voice_name: 'Captain Hamish',
      voice_description: DESCRIPTION,
    }),
    then: (s) => expect(s.category).toBe('generated'),
  },
  {
    tool: 'search_voice_library',
    args: () => ({ search: 'meditation' }),
    then: (s, state) => {
      state.libraryVoice = s.voices[0];
    },
  },
  {
    tool: 'add_shared_voice',
    args: (state) => ({
      public_owner_id: state.libraryVoice!.public_owner_id,
      voice_id: state.libraryVoice!.voice_id,
      new_name: 'Jameson',
    }),
    then: (s, state) => expect(s.voice_id).toBe(state.libraryVoice!.voice_id),
  },
  {
    tool: 'speech_to_text',
    args: () => ({ ...file(RECORDING, 'memo.mp3'), store_transcript: true }),
    then: async (s, state) => {
      expect(s.text).toBe(DEFAULT_TRANSCRIPT);
      expect(s.transcript_id).toBeTruthy();
      state.transcriptId = s.transcript_id;
      const stored = await fetch(s.transcript_url);
      expect(await stored.text()).toBe(DEFAULT_TRANSCRIPT);
    },
  },
  {
    tool: 'read_transcript',
    args: (state) => ({ transcript_id: state.transcriptId }),
    then: (s) => expect(s.text).toBe(DEFAULT_TRANSCRIPT),
  },
  { tool: 'speech_to_speech', args: () => ({ ...file(RECORDING, 'take.mp3'), voice_id: GEORGE }) },
  { tool: 'isolate_audio', args: () => file(RECORDING, 'noisy.mp3') },
  { tool: 'text_to_sound_effects', args: () => ({ text: 'A door creaks open' }) },
  {
    tool: 'text_to_dialogue',
    args: () => ({
      inputs: [
        { text: '[cheerfully] Knock knock.', voice_id: GEORGE },
        { text: '[curious] Who is there?', voice_id: SARAH },
      ],
    }),
  },
  {
    tool: 'compose_music',
    args: () => ({ prompt: 'A calm acoustic guitar piece for a cooking video', music_length_ms: 30_000 }),
  },
  {
    tool: 'create_composition_plan',
    args: () => ({ prompt: 'A mellow jazz ballad with piano', music_length_ms: 45_000 }),
    then: (s) => expect(s.duration_ms).toBe(45_000),
  },
  {
    tool: 'video_to_music',
    args: () => ({ ...file(VIDEO, 'clip.mp4'), description: 'Tense, building strings', tags: ['cinematic'] }),
  },
  {
    tool: 'upload_music_for_inpainting',
    args: () => ({ ...file(SONG, 'demo.mp3'), with_timestamps: true }),
    then: (s) => expect(s.song_id).toMatch(/^song_/),
  },
  {
    tool: 'create_agent',
    args: () => ({ name: 'Support', first_message: 'Hi, how can I help?', system_prompt: 'You help customers.' }),
    then: (s, state) => {
      state.agentId = s.agent_id;
    },
  },
  {
    tool: 'add_knowledge_base_to_agent',
    args: (state) => ({ agent_id: state.agentId, knowledge_base_name: 'Hours', ...file(MARKDOWN, 'hours.md') }),
    then: (s) => expect(s.document_id).toBeTruthy(),
  },
  {
    tool: 'list_agents',
    args: () => ({}),
    then: (s, state) => expect(s.agents.map((a: any) => a.agent_id)).toEqual([state.agentId]),
  },
  {
    tool: 'get_agent',
    args: (state) => ({ agent_id: state.agentId }),
    then: (s) => expect(s.knowledge_base).toHaveLength(1),
  },
  {
    tool: 'list_conversations',
    args: () => ({}),
    then: (s) => expect(s.conversations.map((c: any) => c.conversation_id)).toEqual([CONVERSATION_ID]),
  },
  {
    tool: 'get_conversation',
    args: () => ({ conversation_id: CONVERSATION_ID }),
    then: (s) => expect(s.messages).toHaveLength(2),
  },
  {
    tool: 'simulate_conversation',
    args: (state) => ({
      agent_id: state.agentId,
      simulated_user_prompt: 'You are an impatient customer who wants a refund.',
      new_turns_limit: 3,
    }),
    then: (s) => expect(s.message_count).toBe(3),
  },
  {
    tool: 'list_phone_numbers',
    args: () => ({}),
    then: (s) => expect(s.phone_numbers.map((n: any) => n.phone_number_id)).toEqual([PHONE_NUMBER_ID]),
  },
  {
    tool: 'make_outbound_call',
    args: (state) => ({ agent_id: state.agentId, agent_phone_number_id: PHONE_NUMBER_ID, to_number: '+14155550123' }),
    then: (s) => expect(s).toMatchObject({ success: true, provider: 'twilio' }),
  },
];

let fake: FakeElevenLabs;
let built: Built;
let server: StartedServer;
const listed: string[] = [];
/** Each listed tool's output schema, which structuredContent must match (as MCP clients check it). */
const outputSchemas = new Map<string, object>();
const ajv = new AjvJsonSchemaValidator();
const called = new Set<string>();
const state: State = {};
let nextId = 1;

beforeAll(async () => {
  fake = new FakeElevenLabs();
  const baseUrl = await fake.start();
  fake.addKey(KEY);
  grantInpainting(fake, KEY);
  const agents = agentsOf(fake, KEY);
  agents.phoneNumbers.push({
    phone_number_id: PHONE_NUMBER_ID,
    phone_number: '+14155550100',
    label: 'Sales',
    provider: 'twilio',
  });
  agents.conversations.push({
    conversation_id: CONVERSATION_ID,
    agent_id: 'agent_a',
    agent_name: 'Agent a',
    status: 'done',
    start_time_unix_secs: 1_780_000_000,
    call_duration_secs: 31,
    call_successful: 'success',
    call_summary_title: 'Call number 1',
    transcript: [
      { role: 'agent', message: 'Hi, how can I help?', time_in_call_secs: 0 },
      { role: 'user', message: 'Just testing.', time_in_call_secs: 5 },
    ],
  });
  built = await buildForTest('every-tool');
  server = await startServerProcess(built, { ELEVENLABS_BASE_URL: baseUrl });
  const list = await post({ jsonrpc: '2.0', id: nextId++, method: 'tools/list' });
  for (const tool of list.result.tools as Array<{ name: string; outputSchema: object }>) {
    listed.push(tool.name);
    outputSchemas.set(tool.name, tool.outputSchema);
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await fake?.stop();
  await built?.remove();
});

async function post(body: object): Promise<any> {
  const response = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'mcp-protocol-version': '2025-11-25', 'x-elevenlabs-api-key': KEY },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

async function callTool(name: string, args: Record<string, unknown>): Promise<Result> {
  const answer = await post({ jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args } });
  expect(answer.error, `${name} answered a JSON-RPC error`).toBeUndefined();
  return answer.result;
}

/** The stored audio a result links to: its own url, or one per voice preview. */
function storedUrls(s: any): string[] {
  if (typeof s.url === 'string') return [s.url];
  return Array.isArray(s.previews) ? s.previews.map((p: { url: string }) => p.url) : [];
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('every tool, through the built bundle', () => {
  it('has a case for every tool tools/list offers, in its order', () => {
    expect(listed.length).toBeGreaterThan(0);
    const missing = listed.filter((name) => !CASES.some((c) => c.tool === name));
    expect(
      missing,
      `tools/list offers tools without a case in test/e2e/every-tool-bundled.test.ts: add a case for ` +
        `${missing.join(', ')}`,
    ).toEqual([]);
    expect(CASES.map((c) => c.tool)).toEqual(listed);
  });

  for (const c of CASES) {
    it(c.tool, async () => {
      const account = fake.account(KEY)!;
      const before = account.audio.length;
      called.add(c.tool);
      const result = await callTool(c.tool, c.args(state));
      const text = result.content.map((block) => block.text ?? '').join('\n');
      expect(result.isError, `${c.tool} failed: ${text}`).toBeFalsy();
      expect(result.structuredContent, c.tool).toBeDefined();
      expect(
        ajv.getValidator(outputSchemas.get(c.tool)!)(result.structuredContent).errorMessage,
        c.tool,
      ).toBeUndefined();

      const produced = account.audio.slice(before);
      const urls = storedUrls(result.structuredContent);
      if (produced.length > 0) expect(urls).toHaveLength(produced.length);
      for (const [index, url] of urls.entries()) {
        const bytes = await download(url);
        const expected = produced[index] ?? c.serves?.(state);
        expect(expected, `${c.tool}: nothing to compare ${url} with`).toBeDefined();
        expect(bytes.equals(expected!), `${c.tool}: the stored audio differs from what ElevenLabs produced`).toBe(true);
      }
      await c.then?.(result.structuredContent, state, produced);
    });
  }

  it('called exactly the tools tools/list offers', () => {
    const unlisted = [...called].filter((name) => !listed.includes(name));
    const uncalled = listed.filter((name) => !called.has(name));
    expect(uncalled, `tools never called: add a case for each to test/e2e/every-tool-bundled.test.ts`).toEqual([]);
    expect(unlisted, 'cases for tools tools/list does not offer').toEqual([]);
  });

  it('logged no unexpected tool failure, and never the key', () => {
    expect(server.output()).toContain('"message":"request"');
    expect(
      server
        .output()
        .split('\n')
        .filter((line) => line.includes('tool failed unexpectedly')),
    ).toEqual([]);
    expect(server.output()).not.toContain(KEY);
  });
});
