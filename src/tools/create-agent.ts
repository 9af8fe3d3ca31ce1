import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { asRefusedValue } from '../toolkit/agent-platform.js';
import { dataResult } from '../toolkit/results.js';
import { agentLanguageField, modelIdField, voiceIdField } from '../toolkit/shared-inputs.js';

/**
 * ElevenLabs requires the English-only v2 models for English agents and the v2.5 ones for the others.
 * SDK 2.73 (TtsConversationalModel) marks eleven_turbo_v2 and eleven_turbo_v2_5 deprecated for the flash ones.
 */
const ENGLISH_AGENT_MODEL = 'eleven_flash_v2';
const OTHER_LANGUAGE_AGENT_MODEL = 'eleven_flash_v2_5';

const CLIENT_EVENTS = [
  'audio',
  'interruption',
  'user_transcript',
  'agent_response',
  'agent_response_correction',
] as const;

const TERMS_TEXT =
  '#### Terms and conditions\n\n' +
  'By clicking "Agree" and each time I talk with this AI agent, I consent to my conversations being recorded, stored ' +
  'and shared ' +
  'with third-party service providers as described in the Privacy Policy.\n' +
  'If you do not want your conversations recorded, do not use this service.';

const input = z
  .object({
    name: z.string().trim().min(1).max(200).describe('Name of the agent, to find it later.'),
    first_message: z
      .string()
      .max(2000)
      .describe(
        'What the agent says first, e.g. "Hi, how can I help you today?". An empty string makes the agent wait for ' +
          'the user to speak first.',
      ),
    system_prompt: z
      .string()
      .trim()
      .min(1)
      .max(100_000)
      .describe('System prompt: who the agent is, what it knows and how it behaves.'),
    voice_id: voiceIdField.optional().describe("Voice id (search_voices). Default: the server's default voice."),
    language: agentLanguageField.default('en').describe('Language code, e.g. en, de, fr or pt-br.'),
    llm: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.@_-]{0,99}$/i, 'must be an LLM name such as gemini-2.0-flash-001 or gpt-4o-mini')
      .default('gemini-2.0-flash-001')
      .describe(
        'LLM behind the agent, e.g. gemini-2.0-flash-001 (default), gemini-2.5-flash, gpt-4o-mini, gpt-4.1, ' +
          'claude-sonnet-4-5.',
      ),
    temperature: z.number().min(0).max(1).default(0.5).describe('Lower: more deterministic answers.'),
    max_tokens: z
      .number()
      .int()
      .positive()
      .max(100_000)
      .optional()
      .describe("Most tokens the LLM may generate per reply. Default: ElevenLabs' (no limit)."),
    asr_quality: z.enum(['high']).default('high').describe('Speech recognition quality (only high now).'),
    model_id: modelIdField
      .optional()
      .describe(
        `TTS model. en: ${ENGLISH_AGENT_MODEL} (default; eleven_turbo_v2 deprecated). Other languages need a ` +
          `multilingual one: ` +
          `${OTHER_LANGUAGE_AGENT_MODEL} (default), eleven_multilingual_v2 or eleven_v3_conversational ` +
          `(eleven_turbo_v2_5 deprecated).`,
      ),
    optimize_streaming_latency: z
      .number()
      .int()
      .min(0)
      .max(4)
      .default(3)
      .describe('Higher: less latency, some loss in pronunciation.'),
    stability: z.number().min(0).max(1).default(0.5).describe('Voice stability; lower is more expressive.'),
    similarity_boost: z.number().min(0).max(1).default(0.8).describe('How closely to adhere to the original voice.'),
    turn_timeout: z
      .number()
      .int()
      .min(1)
      .max(300)
      .default(7)
      .describe('Seconds the agent waits for the user before speaking again.'),
    max_duration_seconds: z
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(300)
      .describe('Longest conversation, in seconds.'),
    record_voice: z.boolean().default(true).describe('Whether ElevenLabs keeps conversation audio.'),
    retention_days: z
      .number()
      .int()
      .min(-1)
      .max(3650)
      .default(730)
      .describe('Days ElevenLabs keeps conversation data; -1: no limit.'),
  })
  .strict();

const output = z.object({
  agent_id: z
    .string()
    .describe(
      'Id of the new agent, for get_agent, add_knowledge_base_to_agent, simulate_conversation and make_outbound_call.',
    ),
  name: z.string(),
  voice_id: z.string(),
  language: z.string(),
  llm: z.string(),
  model_id: z.string().describe('TTS model the agent speaks with.'),
});

export default defineTool({
  title: 'Create a conversational agent',
  description:
    'Create an ElevenLabs conversational AI agent (voice assistant) from a name, a first message and a system ' +
    'prompt, with its voice, language, LLM and call settings. ' +
    'Returns the agent_id. Creating it bills nothing by itself; every conversation with it (calls, the widget, ' +
    'simulate_conversation) costs ElevenLabs credits. ' +
    'Only call it when the user asked for an agent.',
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  groups: ['agents'],
  async handler(args, ctx) {
    const voiceId = args.voice_id ?? ctx.defaults.voiceId;
    const modelId =
      args.model_id ?? (args.language.toLowerCase() === 'en' ? ENGLISH_AGENT_MODEL : OTHER_LANGUAGE_AGENT_MODEL);
    // The same configuration the official server builds (convai.py), through the SDK's types.
    const request: ElevenLabs.conversationalAi.BodyCreateAgentV1ConvaiAgentsCreatePost = {
      name: args.name,
      conversationConfig: {
        agent: compact({
          language: args.language,
          prompt: compact({
            prompt: args.system_prompt,
            llm: args.llm as ElevenLabs.Llm,
            tools: [
              {
                type: 'system' as const,
                name: 'end_call',
                description: '',
                params: { systemToolType: 'end_call' as const },
              },
            ],
            knowledgeBase: [],
            temperature: args.temperature,
            maxTokens: args.max_tokens,
          }),
          firstMessage: args.first_message || undefined,
          // Typed `unknown` by the SDK, so it goes on the wire as given: snake_case here.
          dynamicVariables: { dynamic_variable_placeholders: {} },
        }),
        asr: { quality: args.asr_quality, provider: 'elevenlabs', userInputAudioFormat: 'pcm_16000', keywords: [] },
        tts: {
          voiceId,
          modelId: modelId as ElevenLabs.TtsConversationalModel,
          agentOutputAudioFormat: 'pcm_16000',
          optimizeStreamingLatency: args.optimize_streaming_latency,
          stability: args.stability,
          similarityBoost: args.similarity_boost,
        },
        turn: { turnTimeout: args.turn_timeout },
        conversation: { maxDurationSeconds: args.max_duration_seconds, clientEvents: [...CLIENT_EVENTS] },
        languagePresets: {},
      },
      platformSettings: {
        widget: {
          variant: 'full',
          avatar: { type: 'orb', color1: '#6DB035', color2: '#F5CABB' },
          feedbackMode: 'during',
          termsText: TERMS_TEXT,
          showAvatarWhenCollapsed: true,
        },
        evaluation: {},
        auth: { allowlist: [] },
        overrides: {},
        callLimits: { agentConcurrencyLimit: -1, dailyLimit: 100_000 },
        privacy: {
          recordVoice: args.record_voice,
          retentionDays: args.retention_days,
          deleteTranscriptAndPii: true,
          deleteAudio: true,
          applyToExistingConversations: false,
        },
        dataCollection: {},
      },
    };
    const created = await ctx.elevenlabs(
      (client) =>
        client.conversationalAi.agents.create(request).catch((error: unknown) => {
          throw asRefusedValue(error, [
            [
              /-> llm:/,
              `llm "${args.llm}" is not an LLM ElevenLabs agents offer. Common choices: gemini-2.0-flash-001, ` +
                `gemini-2.5-flash, gpt-4o-mini, gpt-4.1, claude-sonnet-4-5. Nothing was created.`,
            ],
            [
              /-> tts -> modelId:/,
              `model_id "${modelId}" is not a model agents can speak with: use ${ENGLISH_AGENT_MODEL} for English, ` +
                `${OTHER_LANGUAGE_AGENT_MODEL}, eleven_multilingual_v2 or eleven_v3_conversational for other ` +
                `languages. Nothing was created.`,
            ],
          ]);
        }),
      { voiceId },
    );
    const text =
      `Created agent "${args.name}": agent_id ${created.agentId}. Voice ${voiceId}, language ${args.language}, LLM ` +
      `${args.llm}, TTS model ${modelId}. ` +
      'Add documents with add_knowledge_base_to_agent, try it with simulate_conversation, or call a phone with ' +
      'make_outbound_call.';
    return dataResult(text, {
      agent_id: created.agentId,
      name: args.name,
      voice_id: voiceId,
      language: args.language,
      llm: args.llm,
      model_id: modelId,
    });
  },
});
