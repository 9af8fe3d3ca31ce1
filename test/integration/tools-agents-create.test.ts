import { describe, expect, it } from 'vitest';
import { DEFAULT_VOICE_ID } from '../../src/config.js';
import { useAgentsStack } from '../support/agents-stack.js';
import { textOf } from '../support/harness.js';

/**
 * create_agent, list_agents and get_agent through the real handler and the real SDK against the fake ElevenLabs
 * API. Each test runs under an API key of its own, so the agents it sees are only the ones it made.
 */

const stack = useAgentsStack();
const { freshKey, callChecked, createAgent } = stack;

describe('create_agent', () => {
  it(
    "sends the official server's conversation_config and platform_settings, with its defaults, in " + 'snake_case',
    async () => {
      const key = freshKey();
      const result = await callChecked(
        stack.handler,
        'create_agent',
        { name: 'Support', first_message: 'Hi, how can I help?', system_prompt: 'You help customers.' },
        key,
      );
      expect(result.isError, textOf(result)).toBeFalsy();

      const [create] = stack.fake.requests;
      expect(stack.fake.requests).toHaveLength(1);
      expect(create!.method).toBe('POST');
      expect(create!.path).toBe('/v1/convai/agents/create');
      expect(create!.headers['xi-api-key']).toBe(key);
      const body = create!.json as Record<string, any>;
      expect(body.name).toBe('Support');
      expect(body.conversation_config).toEqual({
        agent: {
          language: 'en',
          prompt: {
            prompt: 'You help customers.',
            llm: 'gemini-2.0-flash-001',
            tools: [{ type: 'system', name: 'end_call', description: '', params: { system_tool_type: 'end_call' } }],
            knowledge_base: [],
            temperature: 0.5,
          },
          first_message: 'Hi, how can I help?',
          dynamic_variables: { dynamic_variable_placeholders: {} },
        },
        asr: { quality: 'high', provider: 'elevenlabs', user_input_audio_format: 'pcm_16000', keywords: [] },
        tts: {
          voice_id: DEFAULT_VOICE_ID,
          model_id: 'eleven_flash_v2',
          agent_output_audio_format: 'pcm_16000',
          optimize_streaming_latency: 3,
          stability: 0.5,
          similarity_boost: 0.8,
        },
        turn: { turn_timeout: 7 },
        conversation: {
          max_duration_seconds: 300,
          client_events: ['audio', 'interruption', 'user_transcript', 'agent_response', 'agent_response_correction'],
        },
        language_presets: {},
      });
      expect(body.platform_settings).toEqual({
        widget: {
          variant: 'full',
          avatar: { type: 'orb', color_1: '#6DB035', color_2: '#F5CABB' },
          feedback_mode: 'during',
          terms_text: expect.stringContaining('Terms and conditions'),
          show_avatar_when_collapsed: true,
        },
        evaluation: {},
        auth: { allowlist: [] },
        overrides: {},
        call_limits: { agent_concurrency_limit: -1, daily_limit: 100000 },
        privacy: {
          record_voice: true,
          retention_days: 730,
          delete_transcript_and_pii: true,
          delete_audio: true,
          apply_to_existing_conversations: false,
        },
        data_collection: {},
      });

      const agentId = result.structuredContent.agent_id;
      expect(agentId).toMatch(/^agent_[0-9a-f]{28}$/);
      expect(result.structuredContent).toEqual({
        agent_id: agentId,
        name: 'Support',
        voice_id: DEFAULT_VOICE_ID,
        language: 'en',
        llm: 'gemini-2.0-flash-001',
        model_id: 'eleven_flash_v2',
      });
      expect(textOf(result)).toContain(`agent_id ${agentId}`);
    },
  );

  it('passes every argument through, and drops first_message and max_tokens when not given', async () => {
    const key = freshKey();
    await createAgent(key, {
      first_message: '',
      voice_id: 'JBFqnCBsd6RMkjVDRZzb',
      language: 'de',
      llm: 'gpt-4o-mini',
      temperature: 0.2,
      max_tokens: 300,
      model_id: 'eleven_multilingual_v2',
      optimize_streaming_latency: 1,
      stability: 0.3,
      similarity_boost: 0.6,
      turn_timeout: 12,
      max_duration_seconds: 900,
      record_voice: false,
      retention_days: 30,
    });
    const body = stack.fake.requests[0]!.json as Record<string, any>;
    expect(body.conversation_config.agent.first_message).toBeUndefined();
    expect(body.conversation_config.agent.language).toBe('de');
    expect(body.conversation_config.agent.prompt).toMatchObject({
      llm: 'gpt-4o-mini',
      temperature: 0.2,
      max_tokens: 300,
    });
    expect(body.conversation_config.tts).toMatchObject({
      voice_id: 'JBFqnCBsd6RMkjVDRZzb',
      model_id: 'eleven_multilingual_v2',
      optimize_streaming_latency: 1,
      stability: 0.3,
      similarity_boost: 0.6,
    });
    expect(body.conversation_config.turn).toEqual({ turn_timeout: 12 });
    expect(body.conversation_config.conversation.max_duration_seconds).toBe(900);
    expect(body.platform_settings.privacy).toMatchObject({ record_voice: false, retention_days: 30 });
  });

  it('defaults a non-English agent to a multilingual model, which ElevenLabs requires', async () => {
    const key = freshKey();
    const agentId = await createAgent(key, { language: 'fr' });
    expect((stack.fake.requests[0]!.json as any).conversation_config.tts.model_id).toBe('eleven_flash_v2_5');
    expect(agentId).toBeTruthy();

    const refused = await callChecked(
      stack.handler,
      'create_agent',
      { name: 'x', first_message: '', system_prompt: 'p', language: 'fr', model_id: 'eleven_turbo_v2' },
      key,
    );
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('Non-english Agents must use turbo or flash v2_5');
  });

  it('refuses an LLM or agent model the API does not know, and bad arguments, before sending anything', async () => {
    const key = freshKey();
    const llm = await callChecked(
      stack.handler,
      'create_agent',
      { name: 'x', first_message: '', system_prompt: 'p', llm: 'my-own-llm' },
      key,
    );
    expect(textOf(llm)).toMatch(/^llm "my-own-llm" is not an LLM ElevenLabs agents offer/);
    const model = await callChecked(
      stack.handler,
      'create_agent',
      { name: 'x', first_message: '', system_prompt: 'p', model_id: 'eleven_v9' },
      key,
    );
    expect(textOf(model)).toMatch(/^model_id "eleven_v9" is not a model agents can speak with/);
    for (const bad of [
      { temperature: 1.5 },
      { optimize_streaming_latency: 5 },
      { voice_id: '../voices' },
      { asr_quality: 'low' },
      { language: 'english!' },
      { extra: 1 },
    ]) {
      const result = await callChecked(
        stack.handler,
        'create_agent',
        { name: 'x', first_message: '', system_prompt: 'p', ...bad },
        key,
      );
      expect(result.isError, JSON.stringify(bad)).toBe(true);
      expect(textOf(result)).toMatch(/^Invalid arguments for create_agent/);
    }
    expect(stack.fake.requests).toHaveLength(0);
  });
});

describe('list_agents and get_agent', () => {
  it('pages through agents with page_size and cursor, and filters by name', async () => {
    const key = freshKey();
    for (const name of ['Alpha desk', 'Beta desk', 'Gamma line']) await createAgent(key, { name });
    stack.fake.clear();

    const first = await callChecked(stack.handler, 'list_agents', { page_size: 2 }, key);
    const [request] = stack.fake.requests;
    expect(request!.method).toBe('GET');
    expect(request!.path).toBe('/v1/convai/agents');
    expect(Object.fromEntries(request!.query)).toEqual({ page_size: '2' });
    expect(first.structuredContent.agents).toHaveLength(2);
    expect(first.structuredContent.has_more).toBe(true);
    const cursor = first.structuredContent.next_cursor;
    expect(textOf(first)).toContain(`call again with cursor "${cursor}"`);

    const second = await callChecked(stack.handler, 'list_agents', { page_size: 2, cursor }, key);
    expect(stack.fake.requests[1]!.query.get('cursor')).toBe(cursor);
    expect(second.structuredContent).toMatchObject({ has_more: false, next_cursor: null });
    const names = [...first.structuredContent.agents, ...second.structuredContent.agents].map((a: any) => a.name);
    expect(names.sort()).toEqual(['Alpha desk', 'Beta desk', 'Gamma line']);
    for (const agent of first.structuredContent.agents) {
      expect(Object.keys(agent).sort()).toEqual(['agent_id', 'created_at', 'name']);
      expect(Date.parse(agent.created_at)).not.toBeNaN();
    }

    const desks = await callChecked(stack.handler, 'list_agents', { search: 'desk' }, key);
    expect(stack.fake.requests[2]!.query.get('search')).toBe('desk');
    expect(desks.structuredContent.agents.map((a: any) => a.name).sort()).toEqual(['Alpha desk', 'Beta desk']);

    const none = await callChecked(stack.handler, 'list_agents', {}, freshKey());
    expect(textOf(none)).toContain('No agents in this account');
  });

  it('describes an agent, bounding the system prompt', async () => {
    const key = freshKey();
    const prompt = 'You are a patient support agent. '.repeat(40);
    const agentId = await createAgent(key, {
      name: 'Helper',
      system_prompt: prompt,
      voice_id: 'JBFqnCBsd6RMkjVDRZzb',
      first_message: 'Hello!',
    });
    stack.fake.clear();

    const result = await callChecked(
      stack.handler,
      'get_agent',
      { agent_id: agentId, max_prompt_characters: 100 },
      key,
    );
    expect(stack.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/convai/agents/${agentId}`]);
    expect(result.structuredContent).toMatchObject({
      agent_id: agentId,
      name: 'Helper',
      voice_id: 'JBFqnCBsd6RMkjVDRZzb',
      tts_model_id: 'eleven_flash_v2',
      language: 'en',
      llm: 'gemini-2.0-flash-001',
      first_message: 'Hello!',
      system_prompt: prompt.trim().slice(0, 100),
      system_prompt_characters: prompt.trim().length,
      system_prompt_truncated: true,
      knowledge_base: [],
    });
    expect(textOf(result)).toContain('first 100 shown; call again with a larger max_prompt_characters');

    const missing = await callChecked(
      stack.handler,
      'get_agent',
      { agent_id: 'agent_0000000000000000000000000000' },
      key,
    );
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/^Agent agent_0000000000000000000000000000 was not found/);

    const bad = await callChecked(stack.handler, 'get_agent', { agent_id: '../user' }, key);
    expect(textOf(bad)).toMatch(/^Invalid arguments for get_agent: agent_id: must be an ElevenLabs agent id/);
  });
});
