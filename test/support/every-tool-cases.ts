import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { FakeElevenLabs } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { agentsOf } from '../../src/local/fake-elevenlabs/fake-routes/agents.js';
import { grantInpainting } from '../../src/local/fake-elevenlabs/fake-routes/music.js';

/**
 * The cases of test/e2e/every-tool-bundled.test.ts: one call per tool tools/list offers, in its order, with
 * its arguments and the checks of its result, and the fake ElevenLabs account they run against.
 */

/**
 * The music suites' enterprise key (KEY_E in test/support/music-stack.ts): the fake grants it inpainting, so every
 * tool can succeed.
 */
export const EVERY_TOOL_KEY = 'sk_test_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';

// Inputs built as the integration suites build theirs (test/integration/tools-{speech,voices,music,agents}-*).
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
export interface State {
  ttsAudioId?: string;
  ttsBytes?: Buffer;
  generatedVoiceId?: string;
  libraryVoice?: { public_owner_id: string; voice_id: string };
  transcriptId?: string;
  agentId?: string;
}

/** One tool's call. */
export interface Case {
  readonly tool: string;
  readonly args: (state: State) => Record<string, unknown>;
  /** Extra checks of the result's structuredContent, and what later cases need from it. */
  readonly check?: (s: any, state: State, produced: Buffer[]) => void | Promise<void>;
  /** What a stored URL serves when the fake produced no audio in this call (it points at earlier audio). */
  readonly serves?: (state: State) => Buffer;
}

/** The fake ElevenLabs API, started, with the key's account holding a phone number and a past conversation. */
export async function startEveryToolFake(): Promise<{ fake: FakeElevenLabs; baseUrl: string }> {
  const fake = new FakeElevenLabs();
  const baseUrl = await fake.start();
  fake.addKey(EVERY_TOOL_KEY);
  grantInpainting(fake, EVERY_TOOL_KEY);
  const agents = agentsOf(fake, EVERY_TOOL_KEY);
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
  return { fake, baseUrl };
}

/** In tools/list order. */
export const CASES: Case[] = [
  {
    tool: 'text_to_speech',
    args: () => ({ text: 'Every tool, once, from the bundle.' }),
    check: (s, state, produced) => {
      state.ttsAudioId = s.audio_id;
      state.ttsBytes = produced[0];
    },
  },
  {
    tool: 'search_voices',
    args: () => ({ search: 'george' }),
    check: (s) => expect(s.voices.map((v: any) => v.voice_id)).toEqual([GEORGE]),
  },
  {
    tool: 'get_voice',
    args: () => ({ voice_id: GEORGE }),
    check: (s) => expect(s.name).toBe('George - Warm, Captivating Storyteller'),
  },
  { tool: 'list_models', args: () => ({}), check: (s) => expect(s.models.length).toBeGreaterThan(0) },
  { tool: 'check_subscription', args: () => ({}), check: (s) => expect(s.tier).toBe('creator') },
  { tool: 'get_audio_url', args: (state) => ({ audio_id: state.ttsAudioId }), serves: (state) => state.ttsBytes! },
  {
    tool: 'create_upload_url',
    args: () => ({ filename: 'interview.mp3', content_type: 'audio/mpeg', bytes: RECORDING.length }),
    check: async (s) => {
      const put = await fetch(s.upload_url, { method: s.method, headers: s.headers, body: new Uint8Array(RECORDING) });
      expect(put.status).toBe(200);
    },
  },
  { tool: 'list_audio', args: () => ({}), check: (s) => expect(s.count).toBe(2) },
  {
    tool: 'delete_audio',
    args: (state) => ({ audio_id: state.ttsAudioId }),
    check: (s) => expect(s.deleted).toBe(true),
  },
  {
    tool: 'voice_clone',
    args: () => ({ name: 'My Narrator', files: [file(SAMPLE, 'take1.mp3')] }),
    check: (s) => expect(s.voice_id).toBeTruthy(),
  },
  {
    tool: 'text_to_voice',
    args: () => ({ voice_description: DESCRIPTION }),
    check: (s, state) => {
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
    check: (s) => expect(s.category).toBe('generated'),
  },
  {
    tool: 'search_voice_library',
    args: () => ({ search: 'meditation' }),
    check: (s, state) => {
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
    check: (s, state) => expect(s.voice_id).toBe(state.libraryVoice!.voice_id),
  },
  {
    tool: 'speech_to_text',
    args: () => ({ ...file(RECORDING, 'memo.mp3'), store_transcript: true }),
    check: async (s, state) => {
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
    check: (s) => expect(s.text).toBe(DEFAULT_TRANSCRIPT),
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
    check: (s) => expect(s.duration_ms).toBe(45_000),
  },
  {
    tool: 'video_to_music',
    args: () => ({ ...file(VIDEO, 'clip.mp4'), description: 'Tense, building strings', tags: ['cinematic'] }),
  },
  {
    tool: 'upload_music_for_inpainting',
    args: () => ({ ...file(SONG, 'demo.mp3'), with_timestamps: true }),
    check: (s) => expect(s.song_id).toMatch(/^song_/),
  },
  {
    tool: 'create_agent',
    args: () => ({ name: 'Support', first_message: 'Hi, how can I help?', system_prompt: 'You help customers.' }),
    check: (s, state) => {
      state.agentId = s.agent_id;
    },
  },
  {
    tool: 'add_knowledge_base_to_agent',
    args: (state) => ({ agent_id: state.agentId, knowledge_base_name: 'Hours', ...file(MARKDOWN, 'hours.md') }),
    check: (s) => expect(s.document_id).toBeTruthy(),
  },
  {
    tool: 'list_agents',
    args: () => ({}),
    check: (s, state) => expect(s.agents.map((a: any) => a.agent_id)).toEqual([state.agentId]),
  },
  {
    tool: 'get_agent',
    args: (state) => ({ agent_id: state.agentId }),
    check: (s) => expect(s.knowledge_base).toHaveLength(1),
  },
  {
    tool: 'list_conversations',
    args: () => ({}),
    check: (s) => expect(s.conversations.map((c: any) => c.conversation_id)).toEqual([CONVERSATION_ID]),
  },
  {
    tool: 'get_conversation',
    args: () => ({ conversation_id: CONVERSATION_ID }),
    check: (s) => expect(s.messages).toHaveLength(2),
  },
  {
    tool: 'simulate_conversation',
    args: (state) => ({
      agent_id: state.agentId,
      simulated_user_prompt: 'You are an impatient customer who wants a refund.',
      new_turns_limit: 3,
    }),
    check: (s) => expect(s.message_count).toBe(3),
  },
  {
    tool: 'list_phone_numbers',
    args: () => ({}),
    check: (s) => expect(s.phone_numbers.map((n: any) => n.phone_number_id)).toEqual([PHONE_NUMBER_ID]),
  },
  {
    tool: 'make_outbound_call',
    args: (state) => ({ agent_id: state.agentId, agent_phone_number_id: PHONE_NUMBER_ID, to_number: '+14155550123' }),
    check: (s) => expect(s).toMatchObject({ success: true, provider: 'twilio' }),
  },
];
