import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_VOICE_ID } from '../../src/config.js';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { createSafeFetcher, type SafeFetcher } from '../../src/net/safe-fetch.js';
import { createRuntime } from '../../src/runtime.js';
import { loadAllTools } from '../../src/tools/index.js';

const ALL_TOOLS = await loadAllTools();
import {
  agentsOf,
  type FakeConversation,
  type FakePhoneNumber,
} from '../../src/local/fake-elevenlabs/fake-routes/agents.js';
import { call, callTool, KEY_A, startStack, textOf, type Stack } from '../support/harness.js';

/**
 * The agents-platform tools through the real handler and the real SDK against the fake ElevenLabs API.
 * Each test runs under an API key of its own, so the agents, documents, conversations and phone numbers
 * it sees are only the ones it made.
 */

let stack: Stack;
/** The real handler with a fetcher whose DNS answers a public address for every name, counting downloads. */
let publicDns: FunctionUrlHandler;
let downloads = 0;

beforeAll(async () => {
  stack = await startStack();
  const fetcher = createSafeFetcher({ lookup: async () => [{ address: '93.184.216.34', family: 4 }] });
  const counting: SafeFetcher = {
    fetch: (url, limits) => {
      downloads += 1;
      return fetcher.fetch(url, limits);
    },
    check: (url, options) => fetcher.check(url, options),
  };
  publicDns = createHandler(createRuntime({ ...stack.env }, { fetcher: counting }));
});
afterAll(() => stack.stop());
beforeEach(() => stack.fake.clear());

/** A key the fake accepts, with an empty agents platform. */
function freshKey(): string {
  const key = `sk_test_${randomBytes(16).toString('hex')}`;
  stack.fake.addKey(key);
  return key;
}

/** callTool, also checking that a successful result's structuredContent is exactly what the tool declares. */
async function callChecked(
  handler: FunctionUrlHandler,
  name: string,
  args: Record<string, unknown>,
  key: string,
): Promise<any> {
  const result = await callTool(handler, name, args, key);
  const tool = ALL_TOOLS.find((t) => t.name === name)!;
  if (!result.isError) expect(tool.output.strict().safeParse(result.structuredContent).error, name).toBeUndefined();
  return result;
}

function convaiRequests() {
  return stack.fake.requests.filter((r) => r.path.startsWith('/v1/convai/'));
}

async function createAgent(key: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = await callChecked(
    stack.handler,
    'create_agent',
    { name: 'Support', first_message: 'Hi, how can I help?', system_prompt: 'You help customers.', ...args },
    key,
  );
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent.agent_id;
}

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

describe('add_knowledge_base_to_agent', () => {
  it(
    "creates a text document, then appends its locator to the agent's knowledge base with a partial " + 'update',
    async () => {
      const key = freshKey();
      const agentId = await createAgent(key);
      stack.fake.clear();

      const result = await callChecked(
        stack.handler,
        'add_knowledge_base_to_agent',
        { agent_id: agentId, knowledge_base_name: 'Returns policy', text: 'Returns are free within 30 days.' },
        key,
      );
      expect(result.isError, textOf(result)).toBeFalsy();
      const [get, create, patch] = convaiRequests();
      expect(convaiRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /v1/convai/agents/${agentId}`,
        'POST /v1/convai/knowledge-base/text',
        `PATCH /v1/convai/agents/${agentId}`,
      ]);
      expect(get!.headers['xi-api-key']).toBe(key);
      expect(create!.json).toEqual({ text: 'Returns are free within 30 days.', name: 'Returns policy' });
      const documentId = result.structuredContent.document_id;
      expect(patch!.json).toEqual({
        conversation_config: {
          agent: { prompt: { knowledge_base: [{ type: 'text', name: 'Returns policy', id: documentId }] } },
        },
      });
      expect(result.structuredContent).toEqual({
        document_id: documentId,
        document_name: 'Returns policy',
        source: 'text',
        agent_id: agentId,
        knowledge_base_size: 1,
      });

      // A second document is appended to the first, and the rest of the agent is left as it was.
      stack.fake.clear();
      const second = await callChecked(
        publicDns,
        'add_knowledge_base_to_agent',
        { agent_id: agentId, knowledge_base_name: 'FAQ', url: 'https://docs.example.com/faq' },
        key,
      );
      expect(second.isError, textOf(second)).toBeFalsy();
      const appended = convaiRequests().at(-1)!.json as any;
      expect(appended.conversation_config.agent.prompt.knowledge_base).toEqual([
        { type: 'text', name: 'Returns policy', id: documentId },
        { type: 'url', name: 'FAQ', id: second.structuredContent.document_id },
      ]);
      const agent = await callChecked(stack.handler, 'get_agent', { agent_id: agentId }, key);
      expect(agent.structuredContent.knowledge_base.map((d: any) => d.name)).toEqual(['Returns policy', 'FAQ']);
      expect(agent.structuredContent.system_prompt).toBe('You help customers.');
    },
  );

  it("hands a public https URL to ElevenLabs' create-from-url endpoint without downloading it", async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    stack.fake.clear();
    const before = downloads;

    const result = await callChecked(
      publicDns,
      'add_knowledge_base_to_agent',
      { agent_id: agentId, knowledge_base_name: 'Docs', url: 'https://docs.example.com/guide.html' },
      key,
    );
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(downloads).toBe(before);
    const [create] = stack.fake.requestsTo(/^\/v1\/convai\/knowledge-base\//);
    expect(create!.path).toBe('/v1/convai/knowledge-base/url');
    expect(create!.json).toEqual({ url: 'https://docs.example.com/guide.html', name: 'Docs' });
    expect(agentsOf(stack.fake, key).documents.get(result.structuredContent.document_id)).toMatchObject({
      type: 'url',
      url: 'https://docs.example.com/guide.html',
    });
    expect(result.structuredContent.source).toBe('url');
  });

  it('refuses a URL on this machine or a private network, before calling ElevenLabs', async () => {
    const key = freshKey();
    for (const url of ['https://127.0.0.1/admin', 'http://127.0.0.1:8080/kb.html', 'https://10.1.2.3/kb.pdf']) {
      const result = await callChecked(
        stack.handler,
        'add_knowledge_base_to_agent',
        { agent_id: 'agent_1234', knowledge_base_name: 'x', url },
        key,
      );
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^The URL was refused: /);
    }
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('uploads a file given as base64 + filename, as multipart with its name and type', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    stack.fake.clear();
    const markdown = Buffer.from('# Opening hours\n\nMonday to Friday, 9 to 5.\n');

    const result = await callChecked(
      stack.handler,
      'add_knowledge_base_to_agent',
      { agent_id: agentId, knowledge_base_name: 'Hours', base64: markdown.toString('base64'), filename: 'hours.md' },
      key,
    );
    expect(result.isError, textOf(result)).toBeFalsy();
    const [upload] = stack.fake.requestsTo(/^\/v1\/convai\/knowledge-base\//);
    expect(upload!.path).toBe('/v1/convai/knowledge-base/file');
    const form = await upload!.form();
    const file = form.get('file') as File;
    expect(file.name).toBe('hours.md');
    expect(file.type).toBe('text/markdown');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(markdown);
    expect(form.get('name')).toBe('Hours');
    expect((convaiRequests().at(-1)!.json as any).conversation_config.agent.prompt.knowledge_base).toEqual([
      { type: 'file', name: 'Hours', id: result.structuredContent.document_id },
    ]);
  });

  it('uploads a file stored with create_upload_url, by its audio_id', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(20_000)]);
    const created = await callChecked(
      stack.handler,
      'create_upload_url',
      { filename: 'handbook.pdf', content_type: 'application/pdf', bytes: pdf.length },
      key,
    );
    const target = created.structuredContent;
    expect(
      (await fetch(target.upload_url, { method: 'PUT', headers: target.headers, body: new Uint8Array(pdf) })).ok,
    ).toBe(true);
    stack.fake.clear();

    const result = await callChecked(
      stack.handler,
      'add_knowledge_base_to_agent',
      { agent_id: agentId, knowledge_base_name: 'Handbook', audio_id: target.audio_id },
      key,
    );
    expect(result.isError, textOf(result)).toBeFalsy();
    const stored = agentsOf(stack.fake, key).documents.get(result.structuredContent.document_id)!;
    expect(stored.file!.bytes).toEqual(pdf);
    expect(stored.file!.contentType).toBe('application/pdf');
    expect(stored.file!.filename).toMatch(/\.pdf$/);
  });

  it('names the created document when attaching it to the agent fails', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    stack.fake.route('PATCH', new RegExp(`^/v1/convai/agents/${agentId}$`), () => ({
      status: 409,
      body: { detail: { status: 'conflict', message: 'The agent was modified concurrently.' } },
    }));

    const result = await callChecked(
      stack.handler,
      'add_knowledge_base_to_agent',
      { agent_id: agentId, knowledge_base_name: 'x', text: 'hello' },
      key,
    );
    expect(result.isError).toBe(true);
    const [documentId] = agentsOf(stack.fake, key).documents.keys();
    expect(textOf(result)).toBe(
      `ElevenLabs rejected the request: The agent was modified concurrently. Change the arguments it names and try ` +
        `again. The document was created (document_id ${documentId}) but is not attached to the agent.`,
    );
  });

  it('refuses missing, doubled and unsupported inputs, and a missing agent, without creating a document', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    stack.fake.clear();
    const call = (args: Record<string, unknown>) =>
      callChecked(
        stack.handler,
        'add_knowledge_base_to_agent',
        { agent_id: agentId, knowledge_base_name: 'x', ...args },
        key,
      );

    expect(textOf(await call({}))).toMatch(/^Give the document as exactly one of: url .*, text, audio_id/);
    expect(textOf(await call({ text: 'a', base64: 'YQ==', filename: 'a.txt' }))).toBe(
      'Give exactly one of url, text, audio_id or base64; this call gave text and base64.',
    );
    expect(textOf(await call({ base64: Buffer.from('ID3 audio').toString('base64'), filename: 'song.mp3' }))).toMatch(
      /^add_knowledge_base_to_agent takes application\/pdf, .* this file is audio\/mpeg/,
    );
    expect(textOf(await call({ base64: 'YQ==' }))).toContain('base64 needs filename');
    expect(stack.fake.requests).toHaveLength(0);

    const missing = await callChecked(
      stack.handler,
      'add_knowledge_base_to_agent',
      { agent_id: 'agent_0000', knowledge_base_name: 'x', text: 'hello' },
      key,
    );
    expect(textOf(missing)).toMatch(/^Agent agent_0000 was not found/);
    expect(convaiRequests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/convai/agents/agent_0000']);
    expect(agentsOf(stack.fake, key).documents.size).toBe(0);
  });
});

describe('list_conversations and get_conversation', () => {
  const START = 1_780_000_000;

  function conversation(index: number, agentId: string, messages = 4): FakeConversation {
    return {
      conversation_id: `conv_${String(index).padStart(4, '0')}`,
      agent_id: agentId,
      agent_name: `Agent ${agentId.slice(-1)}`,
      status: 'done',
      start_time_unix_secs: START + index * 60,
      call_duration_secs: 30 + index,
      call_successful: index % 2 ? 'success' : 'failure',
      call_summary_title: `Call number ${index}`,
      transcript: Array.from({ length: messages }, (_, i) => ({
        role: i % 2 ? 'user' : 'agent',
        message: `message ${i}`,
        time_in_call_secs: i * 5,
      })),
    };
  }

  it("sends the filters as query parameters and pages with ElevenLabs' cursor", async () => {
    const key = freshKey();
    const seeded = agentsOf(stack.fake, key).conversations;
    for (let i = 0; i < 6; i++) seeded.push(conversation(i, i < 5 ? 'agent_a' : 'agent_b'));

    const first = await callChecked(
      stack.handler,
      'list_conversations',
      { agent_id: 'agent_a', call_start_after_unix: START, call_start_before_unix: START + 3600, page_size: 2 },
      key,
    );
    const [request] = stack.fake.requests;
    expect(request!.path).toBe('/v1/convai/conversations');
    expect(Object.fromEntries(request!.query)).toEqual({
      agent_id: 'agent_a',
      call_start_before_unix: String(START + 3600),
      call_start_after_unix: String(START),
      page_size: '2',
    });
    // Newest first; conversation 0 started exactly at START, which "after" excludes.
    expect(first.structuredContent.conversations.map((c: any) => c.conversation_id)).toEqual([
      'conv_0004',
      'conv_0003',
    ]);
    expect(first.structuredContent.conversations[0]).toEqual({
      conversation_id: 'conv_0004',
      agent_id: 'agent_a',
      agent_name: 'Agent a',
      status: 'done',
      start_time: new Date((START + 240) * 1000).toISOString(),
      duration_secs: 34,
      message_count: 4,
      call_successful: 'failure',
      title: 'Call number 4',
    });
    expect(first.structuredContent.has_more).toBe(true);
    const cursor = first.structuredContent.next_cursor;
    expect(textOf(first)).toContain(`more: call again with cursor "${cursor}"`);

    const second = await callChecked(
      stack.handler,
      'list_conversations',
      { agent_id: 'agent_a', call_start_after_unix: START, call_start_before_unix: START + 3600, page_size: 2, cursor },
      key,
    );
    expect(stack.fake.requests[1]!.query.get('cursor')).toBe(cursor);
    expect(second.structuredContent.conversations.map((c: any) => c.conversation_id)).toEqual([
      'conv_0002',
      'conv_0001',
    ]);
    expect(second.structuredContent).toMatchObject({ has_more: false, next_cursor: null });
  });

  it('stops a page at max_length and resumes exactly where it stopped', async () => {
    const key = freshKey();
    for (let i = 0; i < 12; i++) agentsOf(stack.fake, key).conversations.push(conversation(i, 'agent_a'));

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let calls = 0; calls < 20; calls++) {
      const result = await callChecked(
        stack.handler,
        'list_conversations',
        { page_size: 5, max_length: 500, ...(cursor ? { cursor } : {}) },
        key,
      );
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(textOf(result).length).toBeLessThanOrEqual(500 + 120);
      seen.push(...result.structuredContent.conversations.map((c: any) => c.conversation_id));
      cursor = result.structuredContent.next_cursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `conv_${String(11 - i).padStart(4, '0')}`));
    // Resuming inside a page asks ElevenLabs for that page again, no more of it than needed.
    expect(stack.fake.requests.some((r) => r.query.get('page_size') !== '5')).toBe(true);

    const forged = await callChecked(stack.handler, 'list_conversations', { cursor: 'resume.bm9wZQ' }, key);
    expect(textOf(forged)).toMatch(/^cursor is not one this tool returned/);
  });

  it("pages a long transcript by message index within max_characters, with the conversation's details", async () => {
    const key = freshKey();
    const long: FakeConversation = {
      ...conversation(1, 'agent_a', 0),
      conversation_id: 'conv_long',
      termination_reason: 'Client disconnected',
      transcript_summary: 'The caller asked about a refund and got one.',
      call_summary_title: 'Refund request',
      call_successful: 'success',
      transcript: Array.from({ length: 40 }, (_, i) => ({
        role: i % 2 ? 'user' : 'agent',
        message: `Message ${i}: ${'lorem ipsum '.repeat(12)}`,
        time_in_call_secs: i * 7,
        ...(i === 5
          ? {
              tool_calls: [
                { request_id: 'r1', tool_name: 'lookup_order', params_as_json: '{}', tool_has_been_called: true },
              ],
            }
          : {}),
      })),
    };
    agentsOf(stack.fake, key).conversations.push(long);

    const collected: any[] = [];
    let offset = 0;
    let pages = 0;
    for (;;) {
      const result = await callChecked(
        stack.handler,
        'get_conversation',
        { conversation_id: 'conv_long', offset, max_characters: 1000 },
        key,
      );
      expect(result.isError, textOf(result)).toBeFalsy();
      pages += 1;
      const s = result.structuredContent;
      expect(s).toMatchObject({
        conversation_id: 'conv_long',
        agent_id: 'agent_a',
        status: 'done',
        duration_secs: 31,
        termination_reason: 'Client disconnected',
        call_successful: 'success',
        summary: 'The caller asked about a refund and got one.',
        summary_title: 'Refund request',
        message_count: 40,
        offset,
      });
      expect(s.messages.length).toBeGreaterThan(0);
      expect(s.messages[0].index).toBe(offset);
      collected.push(...s.messages);
      if (s.next_offset === null) break;
      expect(textOf(result)).toContain(`more: call again with offset ${s.next_offset}`);
      offset = s.next_offset;
    }
    expect(pages).toBeGreaterThan(3);
    expect(collected.map((m) => m.message)).toEqual(long.transcript.map((m) => m.message));
    expect(collected[5].tool_calls).toEqual(['lookup_order']);
    expect(collected.every((m) => !m.truncated)).toBe(true);

    const [request] = stack.fake.requests;
    expect(request!.path).toBe('/v1/convai/conversations/conv_long');

    const past = await callChecked(
      stack.handler,
      'get_conversation',
      { conversation_id: 'conv_long', offset: 40 },
      key,
    );
    expect(textOf(past)).toBe('offset 40 is past the end of the transcript, which has 40 messages.');
    const missing = await callChecked(stack.handler, 'get_conversation', { conversation_id: 'conv_nope' }, key);
    expect(textOf(missing)).toMatch(/^Conversation conv_nope was not found/);
    const bad = await callChecked(stack.handler, 'get_conversation', { conversation_id: 'conv/../x' }, key);
    expect(textOf(bad)).toMatch(/^Invalid arguments for get_conversation: conversation_id/);
  });

  it('cuts a single message longer than max_characters rather than never returning it', async () => {
    const key = freshKey();
    agentsOf(stack.fake, key).conversations.push({
      ...conversation(2, 'agent_a', 0),
      conversation_id: 'conv_huge',
      transcript: [
        { role: 'user', message: 'x'.repeat(3000), time_in_call_secs: 0 },
        { role: 'agent', message: 'short', time_in_call_secs: 1 },
      ],
    });
    const result = await callChecked(
      stack.handler,
      'get_conversation',
      { conversation_id: 'conv_huge', max_characters: 500 },
      key,
    );
    const [first] = result.structuredContent.messages;
    expect(first.truncated).toBe(true);
    expect(first.message.length).toBeLessThan(500);
    expect(result.structuredContent.next_offset).toBe(1);
  });
});

describe('simulate_conversation', () => {
  it(
    "takes the official server's first_message and max_turns as aliases, and refuses them when they " +
      'contradict ours',
    async () => {
      const key = freshKey();
      const agentId = await createAgent(key, { name: 'Shop', first_message: 'Welcome to the shop!' });
      stack.fake.clear();

      const official = {
        agent_id: agentId,
        simulated_user_prompt: 'You are an impatient customer.',
        first_message: 'Where is my parcel?',
        max_turns: 3,
        extra_evaluation_criteria: [
          { id: 'helped', name: 'Helped', conversation_goal_prompt: 'The agent helps.', use_knowledge_base: true },
        ],
      };
      const result = await callChecked(stack.handler, 'simulate_conversation', official, key);
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(stack.fake.requests[0]!.json).toEqual({
        simulation_specification: {
          simulated_user_config: {
            first_message: 'Where is my parcel?',
            prompt: { prompt: 'You are an impatient customer.' },
          },
        },
        extra_evaluation_criteria: [
          { id: 'helped', name: 'Helped', conversation_goal_prompt: 'The agent helps.', use_knowledge_base: true },
        ],
        new_turns_limit: 3,
      });

      stack.fake.clear();
      const same = await callChecked(
        stack.handler,
        'simulate_conversation',
        { ...official, new_turns_limit: 3, simulated_user_first_message: 'Where is my parcel?' },
        key,
      );
      expect(same.isError, textOf(same)).toBeFalsy();

      stack.fake.clear();
      const contradicting = await callChecked(
        stack.handler,
        'simulate_conversation',
        { ...official, new_turns_limit: 4 },
        key,
      );
      expect(contradicting.isError).toBe(true);
      expect(textOf(contradicting)).toBe(
        "max_turns is the official server's name for new_turns_limit; give one of them, or the same value to both " +
          '(got "3" and "4").',
      );
      const otherFirst = await callChecked(
        stack.handler,
        'simulate_conversation',
        { ...official, simulated_user_first_message: 'Hello.' },
        key,
      );
      expect(textOf(otherFirst)).toContain(
        "first_message is the official server's name for simulated_user_first_message",
      );
      expect(stack.fake.requests).toHaveLength(0);
    },
  );

  it('sends the simulation specification and returns the transcript and analysis', async () => {
    const key = freshKey();
    const agentId = await createAgent(key, { name: 'Shop', first_message: 'Welcome to the shop!' });
    stack.fake.clear();

    const result = await callChecked(
      stack.handler,
      'simulate_conversation',
      {
        agent_id: agentId,
        simulated_user_prompt: 'You are an impatient customer who wants a refund.',
        simulated_user_first_message: 'My order arrived broken.',
        simulated_user_language: 'en',
        simulated_user_llm: 'gpt-4o-mini',
        new_turns_limit: 5,
        extra_evaluation_criteria: [
          { id: 'offered_refund', name: 'Offered a refund', conversation_goal_prompt: 'The agent offers a refund.' },
        ],
      },
      key,
    );
    expect(result.isError, textOf(result)).toBeFalsy();
    const [request] = stack.fake.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(`/v1/convai/agents/${agentId}/simulate-conversation`);
    expect(request!.json).toEqual({
      simulation_specification: {
        simulated_user_config: {
          first_message: 'My order arrived broken.',
          language: 'en',
          prompt: { prompt: 'You are an impatient customer who wants a refund.', llm: 'gpt-4o-mini' },
        },
      },
      extra_evaluation_criteria: [
        { id: 'offered_refund', name: 'Offered a refund', conversation_goal_prompt: 'The agent offers a refund.' },
      ],
      new_turns_limit: 5,
    });
    const s = result.structuredContent;
    expect(s.message_count).toBe(5);
    expect(s.messages.map((m: any) => m.role)).toEqual(['agent', 'user', 'agent', 'user', 'agent']);
    expect(s.messages[0].message).toBe('Welcome to the shop!');
    expect(s.messages[1].message).toBe('My order arrived broken.');
    expect(s).toMatchObject({ truncated: false, call_successful: 'success', summary_title: 'Simulated conversation' });
    expect(s.evaluation).toEqual([
      { criteria_id: 'offered_refund', result: 'success', rationale: 'Met: The agent offers a refund.' },
    ]);
    expect(textOf(result)).toContain('Criterion offered_refund: success');
  });

  it('bounds a long simulated transcript by max_characters', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    const result = await callChecked(
      stack.handler,
      'simulate_conversation',
      { agent_id: agentId, simulated_user_prompt: 'Chatty user.', new_turns_limit: 60, max_characters: 500 },
      key,
    );
    const s = result.structuredContent;
    expect(s.message_count).toBe(60);
    expect(s.truncated).toBe(true);
    expect(s.messages.length).toBeLessThan(60);
    expect(textOf(result)).toContain(`${60 - s.messages.length} later messages not shown`);
  });

  it('says plainly when ElevenLabs has removed the endpoint, and tells a missing agent apart', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    for (const reply of [
      { status: 404, body: { detail: 'Not Found' } },
      { status: 410, body: { detail: { status: 'gone', message: 'This endpoint was removed.' } } },
    ]) {
      stack.fake.inject(/simulate-conversation$/, { kind: 'reply', reply });
      const result = await callChecked(
        stack.handler,
        'simulate_conversation',
        { agent_id: agentId, simulated_user_prompt: 'Hi.' },
        key,
      );
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^ElevenLabs no longer offers the simulate-conversation endpoint .* agent tests/);
    }
    const missing = await callChecked(
      stack.handler,
      'simulate_conversation',
      { agent_id: 'agent_0000', simulated_user_prompt: 'Hi.' },
      key,
    );
    expect(textOf(missing)).toMatch(/^Agent agent_0000 was not found/);
  });
});

describe('list_phone_numbers and make_outbound_call', () => {
  function seedNumbers(key: string, agentId: string): FakePhoneNumber[] {
    const numbers: FakePhoneNumber[] = [
      {
        phone_number_id: 'phnum_twilio1',
        phone_number: '+14155550100',
        label: 'Sales',
        provider: 'twilio',
        assigned_agent: { agent_id: agentId, agent_name: 'Support' },
      },
      { phone_number_id: 'phnum_sip1', phone_number: '+442071234567', label: 'London PBX', provider: 'sip_trunk' },
      { phone_number_id: 'phnum_exotel1', phone_number: '+918041234567', label: 'India', provider: 'exotel' },
      {
        phone_number_id: 'phnum_inbound',
        phone_number: '+14155550199',
        label: 'Hotline',
        provider: 'twilio',
        supports_outbound: false,
      },
    ];
    agentsOf(stack.fake, key).phoneNumbers.push(...numbers);
    return numbers;
  }

  it("lists the account's numbers with provider, label and assigned agent, filtered and paged", async () => {
    const key = freshKey();
    seedNumbers(key, 'agent_a');

    const all = await callChecked(stack.handler, 'list_phone_numbers', { page_size: 3 }, key);
    expect(stack.fake.requests[0]!.path).toBe('/v1/convai/phone-numbers');
    expect(all.structuredContent.total).toBe(4);
    expect(all.structuredContent.next_offset).toBe(3);
    expect(all.structuredContent.phone_numbers[0]).toEqual({
      phone_number_id: 'phnum_twilio1',
      phone_number: '+14155550100',
      provider: 'twilio',
      label: 'Sales',
      assigned_agent: { agent_id: 'agent_a', agent_name: 'Support' },
      supports_outbound: true,
      supports_inbound: true,
    });
    expect(textOf(all)).toContain('- +442071234567 (phnum_sip1), sip_trunk, label "London PBX", agent none');
    expect(textOf(all)).toContain('more: call again with offset 3');
    const rest = await callChecked(stack.handler, 'list_phone_numbers', { page_size: 3, offset: 3 }, key);
    expect(rest.structuredContent.phone_numbers.map((n: any) => n.phone_number_id)).toEqual(['phnum_inbound']);
    expect(rest.structuredContent.next_offset).toBeNull();

    const twilio = await callChecked(
      stack.handler,
      'list_phone_numbers',
      { provider: 'twilio', agent_id: 'agent_a' },
      key,
    );
    expect(Object.fromEntries(stack.fake.requests.at(-1)!.query)).toEqual({ provider: 'twilio', agent_id: 'agent_a' });
    expect(twilio.structuredContent.phone_numbers.map((n: any) => n.phone_number_id)).toEqual(['phnum_twilio1']);
  });

  it("calls through the number's provider: Twilio, SIP trunk or Exotel", async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    seedNumbers(key, agentId);
    const cases = [
      { id: 'phnum_twilio1', path: '/v1/convai/twilio/outbound-call', provider: 'twilio', sid: /^CA[0-9a-f]{32}$/ },
      {
        id: 'phnum_sip1',
        path: '/v1/convai/sip-trunk/outbound-call',
        provider: 'sip_trunk',
        sid: /^sip_[0-9a-f]{32}$/,
      },
      { id: 'phnum_exotel1', path: '/v1/convai/exotel/outbound-call', provider: 'exotel', sid: /^CA[0-9a-f]{32}$/ },
    ];
    for (const c of cases) {
      stack.fake.clear();
      const result = await callChecked(
        stack.handler,
        'make_outbound_call',
        { agent_id: agentId, agent_phone_number_id: c.id, to_number: '+14155550123' },
        key,
      );
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(convaiRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /v1/convai/phone-numbers',
        `POST ${c.path}`,
      ]);
      expect(convaiRequests()[1]!.json).toEqual({
        agent_id: agentId,
        agent_phone_number_id: c.id,
        to_number: '+14155550123',
      });
      const s = result.structuredContent;
      expect(s).toMatchObject({
        success: true,
        message: 'Success',
        provider: c.provider,
        to_number: '+14155550123',
        agent_id: agentId,
      });
      expect(s.conversation_id).toMatch(/^conv_/);
      expect(s.call_sid).toMatch(c.sid);
      expect(textOf(result)).toContain(`conversation_id ${s.conversation_id}`);
    }
  });

  it('refuses a bad number or id before calling out, an unknown or inbound-only number before dialling', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    seedNumbers(key, agentId);
    stack.fake.clear();
    for (const to_number of [
      '4155550123',
      '+1 415 555 0123',
      '+0155550123',
      '+1415',
      '+1415555012345678',
      '+1415555012a',
    ]) {
      const result = await callChecked(
        stack.handler,
        'make_outbound_call',
        { agent_id: agentId, agent_phone_number_id: 'phnum_twilio1', to_number },
        key,
      );
      expect(textOf(result), to_number).toMatch(
        /^Invalid arguments for make_outbound_call: to_number: must be an E\.164 phone number/,
      );
    }
    const badId = await callChecked(
      stack.handler,
      'make_outbound_call',
      { agent_id: agentId, agent_phone_number_id: 'phnum_1?x=1', to_number: '+14155550123' },
      key,
    );
    expect(textOf(badId)).toMatch(/^Invalid arguments for make_outbound_call: agent_phone_number_id/);
    expect(stack.fake.requests).toHaveLength(0);

    const unknown = await callChecked(
      stack.handler,
      'make_outbound_call',
      { agent_id: agentId, agent_phone_number_id: 'phnum_nope', to_number: '+14155550123' },
      key,
    );
    expect(textOf(unknown)).toMatch(
      /^Phone number phnum_nope was not found in this ElevenLabs account\. list_phone_numbers/,
    );
    const inbound = await callChecked(
      stack.handler,
      'make_outbound_call',
      { agent_id: agentId, agent_phone_number_id: 'phnum_inbound', to_number: '+14155550123' },
      key,
    );
    expect(textOf(inbound)).toContain('cannot place outbound calls');
    expect(stack.fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    const noAgent = await callChecked(
      stack.handler,
      'make_outbound_call',
      { agent_id: 'agent_0000', agent_phone_number_id: 'phnum_twilio1', to_number: '+14155550123' },
      key,
    );
    expect(textOf(noAgent)).toMatch(/^Agent agent_0000 or phone number phnum_twilio1 was not found/);
  });
});

describe('tools/list', () => {
  it('offers the agents tools with honest annotations', async () => {
    const listed = await call(stack.handler, 'tools/list', undefined, {
      'x-elevenlabs-api-key': KEY_A,
      'x-elevenlabs-tools': 'agents',
    });
    const byName = Object.fromEntries(
      (
        listed.body.result.tools as Array<{ name: string; annotations: Record<string, unknown>; description: string }>
      ).map((t) => [t.name, t]),
    );
    expect(Object.keys(byName).sort()).toEqual(
      // create_upload_url comes along: add_knowledge_base_to_agent takes files too large for base64 through it.
      [
        'add_knowledge_base_to_agent',
        'create_agent',
        'create_upload_url',
        'get_agent',
        'get_conversation',
        'list_agents',
        'list_conversations',
        'list_phone_numbers',
        'make_outbound_call',
        'simulate_conversation',
      ].sort(),
    );
    for (const name of ['list_agents', 'get_agent', 'list_conversations', 'get_conversation', 'list_phone_numbers']) {
      expect(byName[name]!.annotations, name).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    }
    for (const name of ['create_agent', 'add_knowledge_base_to_agent', 'simulate_conversation']) {
      expect(byName[name]!.annotations, name).toMatchObject({
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      });
    }
    expect(byName.make_outbound_call!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(byName.make_outbound_call!.description).toContain('Costs ElevenLabs credits');
    expect(byName.simulate_conversation!.description).toContain('31 Oct 2026');
  });
});
