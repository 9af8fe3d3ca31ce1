import { randomBytes } from 'node:crypto';
import * as serializers from '@elevenlabs/elevenlabs-js/serialization/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeReply, RecordedRequest } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { agentsOf } from '../../src/local/fake-elevenlabs/fake-routes/agents.js';
import { grantInpainting } from '../../src/local/fake-elevenlabs/fake-routes/music.js';
import { callTool, startStack, textOf, type Stack } from '../support/harness.js';

/**
 * The fake ElevenLabs is only worth testing against if it answers as the real API does. Every tool is called
 * through the real handler (and the fake); then every JSON answer the fake gave is parsed with the SDK's own
 * serialization schema for that endpoint (the one its generated client uses) in strict mode: unknown keys,
 * unknown enum values and unknown union members fail, as do missing required fields and wrong types. The SDK
 * itself parses leniently (passthrough), so a fake that drifts would otherwise pass unnoticed.
 */

type Schema = {
  parse(
    raw: unknown,
    options: object,
  ): { ok: true } | { ok: false; errors: Array<{ path: string[]; message: string }> };
};

const s = serializers as unknown as Record<string, any>;
/** Each JSON endpoint the fake serves -> the schema SDK 2.73's client parses its answer with. */
const RESPONSE_SCHEMAS: Array<[string, RegExp, Schema]> = [
  ['GET', /^\/v1\/models$/, s.models.list.Response],
  ['GET', /^\/v1\/user\/subscription$/, s.Subscription],
  ['GET', /^\/v2\/voices$/, s.GetVoicesV2Response],
  ['GET', /^\/v1\/voices\/[^/]+$/, s.Voice],
  ['POST', /^\/v1\/text-to-speech\/[^/]+\/with-timestamps$/, s.AudioWithTimestampsResponse],
  ['POST', /^\/v1\/voices\/add$/, s.AddVoiceIvcResponseModel],
  ['POST', /^\/v1\/voices\/add\/[^/]+\/[^/]+$/, s.AddVoiceResponseModel],
  ['POST', /^\/v1\/text-to-voice\/design$/, s.VoiceDesignPreviewResponse],
  ['POST', /^\/v1\/text-to-voice$/, s.Voice],
  ['GET', /^\/v1\/shared-voices$/, s.GetLibraryVoicesResponse],
  ['POST', /^\/v1\/speech-to-text$/, s.SpeechToTextConvertResponse],
  ['POST', /^\/v1\/music\/plan$/, s.music.CompositionPlanCreateResponse],
  ['POST', /^\/v1\/music\/upload$/, s.MusicUploadResponse],
  ['POST', /^\/v1\/convai\/agents\/create$/, s.CreateAgentResponseModel],
  ['GET', /^\/v1\/convai\/agents$/, s.GetAgentsPageResponseModel],
  ['GET', /^\/v1\/convai\/agents\/[^/]+$/, s.GetAgentResponseModel],
  ['PATCH', /^\/v1\/convai\/agents\/[^/]+$/, s.GetAgentResponseModel],
  ['POST', /^\/v1\/convai\/knowledge-base\/(url|text|file)$/, s.AddKnowledgeBaseResponseModel],
  ['GET', /^\/v1\/convai\/conversations$/, s.GetConversationsPageResponseModel],
  ['GET', /^\/v1\/convai\/conversations\/[^/]+$/, s.GetConversationResponseModel],
  ['POST', /^\/v1\/convai\/agents\/[^/]+\/simulate-conversation$/, s.AgentSimulatedChatTestResponseModel],
  ['GET', /^\/v1\/convai\/phone-numbers$/, s.conversationalAi.phoneNumbers.list.Response],
  ['POST', /^\/v1\/convai\/twilio\/outbound-call$/, s.TwilioOutboundCallResponse],
  ['POST', /^\/v1\/convai\/sip-trunk\/outbound-call$/, s.SipTrunkOutboundCallResponse],
  ['POST', /^\/v1\/convai\/exotel\/outbound-call$/, s.ExotelOutboundCallResponse],
];
/** The endpoints (under /v1/, each also with /stream) answering audio, not JSON. */
const BINARY_PATHS = [
  'text-to-speech/[^/]+',
  'speech-to-speech/[^/]+',
  'audio-isolation',
  'sound-generation',
  'text-to-dialogue',
  'music',
  'music/video-to-music',
];
const BINARY = new RegExp(`^/v1/(${BINARY_PATHS.join('|')})(/stream)?$`);

const STRICT = {
  unrecognizedObjectKeys: 'fail',
  allowUnrecognizedUnionMembers: false,
  allowUnrecognizedEnumValues: false,
  skipValidation: false,
  breadcrumbsPrefix: ['response'],
};

const KEY = 'sk_test_ffffffffffffffffffffffffffffffffffffffffffffffff';
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), randomBytes(6_000)]);
const VIDEO = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), randomBytes(6_000)]);
const file = (bytes: Buffer, filename: string) => ({ base64: bytes.toString('base64'), filename });
const GEORGE = 'JBFqnCBsd6RMkjVDRZzb';
const SARAH = 'EXAVITQu4vr4xnSDxMaL';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  stack.fake.addKey(KEY);
  grantInpainting(stack.fake, KEY);
  const agents = agentsOf(stack.fake, KEY);
  for (const provider of ['twilio', 'sip_trunk', 'exotel'] as const) {
    agents.phoneNumbers.push({
      phone_number_id: `phnum_${provider}`,
      phone_number: '+14155550100',
      label: provider,
      provider,
      supports_outbound: true,
    });
  }
  agents.conversations.push({
    conversation_id: 'conv_0001',
    agent_id: 'agent_a',
    agent_name: 'Agent a',
    status: 'done',
    start_time_unix_secs: 1_780_000_000,
    call_duration_secs: 31,
    termination_reason: 'end_call tool was called.',
    call_successful: 'success',
    transcript_summary: 'A short test call.',
    call_summary_title: 'Test call',
    transcript: [
      { role: 'agent', message: 'Hi, how can I help?', time_in_call_secs: 0 },
      {
        role: 'user',
        message: 'Just testing.',
        time_in_call_secs: 5,
        tool_calls: [{ request_id: 'r1', tool_name: 'end_call', params_as_json: '{}', tool_has_been_called: true }],
      },
    ],
  });
}, 30_000);
afterAll(() => stack.stop());

/** Calls one tool, which must succeed. */
async function ok(tool: string, args: Record<string, unknown>): Promise<any> {
  const result = await callTool(stack.handler, tool, args, KEY);
  expect(result.isError, `${tool}: ${textOf(result)}`).toBeFalsy();
  return result.structuredContent;
}

/** The index in RESPONSE_SCHEMAS of the endpoint a request went to, or -1. */
function endpointOf(request: RecordedRequest): number {
  return RESPONSE_SCHEMAS.findIndex(([method, pattern]) => method === request.method && pattern.test(request.path));
}

function jsonBody(reply: FakeReply): unknown {
  return Buffer.isBuffer(reply.body) || reply.body instanceof Uint8Array || typeof reply.body === 'string'
    ? undefined
    : reply.body;
}

describe("every answer of the fake ElevenLabs parses under the SDK's own schemas, strictly", () => {
  it('for every tool, with the options that change what the fake answers', async () => {
    stack.fake.clear();
    await ok('text_to_speech', { text: 'Fidelity.', voice_name: 'George' });
    await ok('text_to_speech', { text: 'With timings.', with_timestamps: true });
    await ok('search_voices', { search: 'george' });
    await ok('search_voices', {});
    await ok('get_voice', { voice_id: GEORGE });
    await ok('list_models', {});
    await ok('check_subscription', {});
    await ok('voice_clone', {
      name: 'My Narrator',
      description: 'Warm.',
      labels: { accent: 'British' },
      files: [file(MP3, 'take1.mp3')],
    });
    const designed = await ok('text_to_voice', {
      voice_description: 'A gravelly old sea captain with a thick Scottish accent, speaking slowly.',
    });
    await ok('create_voice_from_preview', {
      generated_voice_id: designed.previews[0].generated_voice_id,
      voice_name: 'Captain',
      voice_description: 'A gravelly old sea captain.',
    });
    const library = await ok('search_voice_library', { search: 'meditation' });
    await ok('search_voice_library', {});
    await ok('add_shared_voice', {
      public_owner_id: library.voices[0].public_owner_id,
      voice_id: library.voices[0].voice_id,
      new_name: 'Jameson',
    });
    await ok('speech_to_text', file(MP3, 'memo.mp3'));
    await ok('speech_to_text', {
      ...file(MP3, 'memo.mp3'),
      diarize: true,
      timestamps_granularity: 'character',
      srt: true,
      language_code: 'en',
    });
    await ok('speech_to_speech', { ...file(MP3, 'take.mp3'), voice_id: GEORGE });
    await ok('isolate_audio', file(MP3, 'noisy.mp3'));
    await ok('text_to_sound_effects', { text: 'A door creaks open', duration_seconds: 2 });
    await ok('text_to_dialogue', {
      inputs: [
        { text: 'Knock knock.', voice_id: GEORGE },
        { text: 'Who is there?', voice_id: SARAH },
      ],
    });
    await ok('compose_music', { prompt: 'A calm acoustic guitar piece', music_length_ms: 10_000 });
    await ok('create_composition_plan', { prompt: 'A mellow jazz ballad', music_length_ms: 30_000 });
    await ok('create_composition_plan', {
      prompt: 'A mellow jazz ballad',
      music_length_ms: 30_000,
      model_id: 'music_v1',
    });
    await ok('video_to_music', { ...file(VIDEO, 'clip.mp4'), description: 'Tense strings' });
    await ok('upload_music_for_inpainting', { ...file(MP3, 'song.mp3'), with_timestamps: true });
    await ok('upload_music_for_inpainting', { ...file(MP3, 'song.mp3'), extract_composition_plan: 'music_v1' });
    const agent = await ok('create_agent', {
      name: 'Support',
      first_message: 'Hi!',
      system_prompt: 'You help customers.',
    });
    await ok('add_knowledge_base_to_agent', {
      agent_id: agent.agent_id,
      knowledge_base_name: 'Hours',
      text: 'Open 9 to 5.',
    });
    await ok('add_knowledge_base_to_agent', {
      agent_id: agent.agent_id,
      knowledge_base_name: 'Doc',
      ...file(Buffer.from('# Hours\n\nNine to five.\n'), 'hours.md'),
    });
    await ok('list_agents', {});
    await ok('get_agent', { agent_id: agent.agent_id });
    await ok('list_conversations', {});
    await ok('get_conversation', { conversation_id: 'conv_0001' });
    await ok('simulate_conversation', {
      agent_id: agent.agent_id,
      simulated_user_prompt: 'You want a refund.',
      max_turns: 3,
      extra_evaluation_criteria: [{ id: 'refund', name: 'Refund', conversation_goal_prompt: 'A refund is offered.' }],
    });
    await ok('list_phone_numbers', {});
    for (const provider of ['twilio', 'sip_trunk', 'exotel']) {
      await ok('make_outbound_call', {
        agent_id: agent.agent_id,
        agent_phone_number_id: `phnum_${provider}`,
        to_number: '+14155550123',
      });
    }

    const failures: string[] = [];
    const unmapped = new Set<string>();
    const checked = new Set<number>();
    for (const { request, reply } of stack.fake.replies) {
      const status = reply.status ?? 200;
      const where = `${request.method} ${request.path}`;
      if (status < 200 || status >= 300) {
        failures.push(`${where}: answered ${status} in a scenario where every call succeeds`);
        continue;
      }
      if (BINARY.test(request.path) && request.method === 'POST' && !request.path.endsWith('/with-timestamps')) {
        if (!Buffer.isBuffer(reply.body)) failures.push(`${where}: expected audio bytes`);
        continue;
      }
      const endpoint = endpointOf(request);
      if (endpoint < 0) {
        unmapped.add(where);
        continue;
      }
      checked.add(endpoint);
      const parsed = RESPONSE_SCHEMAS[endpoint]![2].parse(jsonBody(reply), STRICT);
      if (!parsed.ok) failures.push(...parsed.errors.map((e) => `${where}: ${e.path.join('.')}: ${e.message}`));
    }
    expect([...unmapped]).toEqual([]);
    expect(failures).toEqual([]);
    // Every JSON endpoint was answered at least once.
    expect(
      RESPONSE_SCHEMAS.map(([method, pattern]) => `${method} ${pattern.source}`).filter((_, i) => !checked.has(i)),
    ).toEqual([]);
  }, 120_000);

  it('catches an answer the real API would not give (the check is not vacuous)', () => {
    const subscription = {
      ...(stack.fake.replies.find((r) => r.request.path === '/v1/user/subscription')?.reply.body as object),
    };
    expect(s.Subscription.parse(subscription, STRICT).ok).toBe(true);
    expect(s.Subscription.parse({ ...subscription, made_up_field: 1 }, STRICT).ok).toBe(false);
    expect(s.Subscription.parse({ ...subscription, tier: 5 }, STRICT).ok).toBe(false);
    const { character_count: _dropped, ...missing } = subscription as Record<string, unknown>;
    expect(s.Subscription.parse(missing, STRICT).ok).toBe(false);
    // Nested objects and enums are checked too.
    const page = stack.fake.replies.find((r) => r.request.path === '/v2/voices')!.reply.body as {
      voices: Array<Record<string, unknown>>;
    };
    expect(s.GetVoicesV2Response.parse(page, STRICT).ok).toBe(true);
    expect(s.GetVoicesV2Response.parse({ ...page, voices: [{ ...page.voices[0], bogus: 1 }] }, STRICT).ok).toBe(false);
    expect(
      s.GetVoicesV2Response.parse({ ...page, voices: [{ ...page.voices[0], category: 'imaginary' }] }, STRICT).ok,
    ).toBe(false);
  });
});
