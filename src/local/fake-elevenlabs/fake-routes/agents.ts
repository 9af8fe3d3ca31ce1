import { randomBytes } from 'node:crypto';
import { detail, type FakeElevenLabs, type FakeReply, type RecordedRequest } from '../fake-elevenlabs.js';

/**
 * The agents platform (/v1/convai/...): agents, knowledge-base documents, conversations, simulated
 * conversations, phone numbers and outbound calls. Each API key has its own agents, documents,
 * conversations and phone numbers, as each ElevenLabs account does; tests seed conversations and
 * phone numbers through `agentsOf`.
 */

export interface FakeAgent {
  agent_id: string;
  name: string;
  conversation_config: Record<string, any>;
  platform_settings: Record<string, unknown>;
  tags: string[];
  created_at_unix_secs: number;
  updated_at_unix_secs: number;
}

export interface FakeDocument {
  id: string;
  name: string;
  type: 'url' | 'text' | 'file';
  url?: string;
  text?: string;
  file?: { filename: string; contentType: string; bytes: Buffer };
}

export interface FakeTranscriptEntry {
  role: 'user' | 'agent';
  message: string | null;
  time_in_call_secs: number;
  tool_calls?: Array<{ request_id: string; tool_name: string; params_as_json: string; tool_has_been_called: boolean }>;
}

export interface FakeConversation {
  conversation_id: string;
  agent_id: string;
  agent_name?: string;
  status: 'initiated' | 'in-progress' | 'processing' | 'done' | 'failed';
  start_time_unix_secs: number;
  call_duration_secs: number;
  termination_reason?: string;
  call_successful: 'success' | 'failure' | 'unknown';
  transcript_summary?: string;
  call_summary_title?: string;
  transcript: FakeTranscriptEntry[];
}

export interface FakePhoneNumber {
  phone_number_id: string;
  phone_number: string;
  label: string;
  provider: 'twilio' | 'sip_trunk' | 'exotel';
  supports_outbound?: boolean;
  assigned_agent?: { agent_id: string; agent_name: string };
}

export interface AgentsAccount {
  readonly agents: Map<string, FakeAgent>;
  readonly documents: Map<string, FakeDocument>;
  readonly conversations: FakeConversation[];
  readonly phoneNumbers: FakePhoneNumber[];
}

const ACCOUNTS = new WeakMap<FakeElevenLabs, Map<string, AgentsAccount>>();

/** The agents-platform data the fake holds for one API key. */
export function agentsOf(fake: FakeElevenLabs, key: string): AgentsAccount {
  let byKey = ACCOUNTS.get(fake);
  if (!byKey) ACCOUNTS.set(fake, (byKey = new Map()));
  let account = byKey.get(key);
  if (!account) byKey.set(key, (account = { agents: new Map(), documents: new Map(), conversations: [], phoneNumbers: [] }));
  return account;
}

const DOCUMENT_EXTENSIONS = new Set(['pdf', 'txt', 'docx', 'html', 'htm', 'md', 'epub']);
const TELEPHONY_PATHS = { twilio: 'twilio', 'sip-trunk': 'sip_trunk', exotel: 'exotel' } as const;

export function installAgentRoutes(fake: FakeElevenLabs): void {
  fake.route('POST', /^\/v1\/convai\/agents\/create$/, (request, _params, account) => {
    const body = jsonObject(request);
    if (!body) return validation('body', 'field required');
    const config = body.conversation_config;
    if (!isObject(config)) return validation('body.conversation_config', 'field required');
    const language = (config.agent as any)?.language ?? 'en';
    const model = (config.tts as any)?.model_id ?? 'eleven_turbo_v2';
    if (language !== 'en' && ['eleven_turbo_v2', 'eleven_flash_v2'].includes(model)) {
      return validation('body.conversation_config', 'Value error, Non-english Agents must use turbo or flash v2_5.');
    }
    const now = Math.floor(Date.now() / 1000);
    const agent: FakeAgent = {
      agent_id: `agent_${randomBytes(14).toString('hex')}`,
      name: typeof body.name === 'string' ? body.name : '',
      conversation_config: config,
      platform_settings: isObject(body.platform_settings) ? body.platform_settings : {},
      tags: Array.isArray(body.tags) ? body.tags : [],
      created_at_unix_secs: now,
      updated_at_unix_secs: now,
    };
    agentsOf(fake, account.key).agents.set(agent.agent_id, agent);
    return { body: { agent_id: agent.agent_id } };
  });

  fake.route('GET', /^\/v1\/convai\/agents$/, (request, _params, account) => {
    const pageSize = Number(request.query.get('page_size') ?? 30);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return validation('query.page_size', 'Input should be less than or equal to 100');
    const search = request.query.get('search')?.toLowerCase();
    const agents = [...agentsOf(fake, account.key).agents.values()]
      .filter((a) => !search || a.name.toLowerCase().includes(search))
      .sort((a, b) => b.created_at_unix_secs - a.created_at_unix_secs || a.agent_id.localeCompare(b.agent_id));
    const page = paginate(agents, request.query.get('cursor'), pageSize);
    if ('reply' in page) return page.reply;
    return {
      body: {
        agents: page.items.map((a) => ({
          agent_id: a.agent_id,
          name: a.name,
          voice_id: a.conversation_config.tts?.voice_id ?? 'cjVigY5qzO86Huf0OWal',
          tags: a.tags,
          created_at_unix_secs: a.created_at_unix_secs,
          access_info: { is_creator: true, creator_name: 'Test User', creator_email: 'test@example.com', role: 'admin' },
        })),
        has_more: page.nextCursor !== null,
        next_cursor: page.nextCursor,
      },
    };
  });

  fake.route('GET', /^\/v1\/convai\/agents\/([^/]+)$/, (_request, [agentId], account) => {
    const agent = agentsOf(fake, account.key).agents.get(agentId!);
    return agent ? { body: agentBody(agent) } : agentNotFound(agentId!);
  });

  fake.route('PATCH', /^\/v1\/convai\/agents\/([^/]+)$/, (request, [agentId], account) => {
    const agent = agentsOf(fake, account.key).agents.get(agentId!);
    if (!agent) return agentNotFound(agentId!);
    const body = jsonObject(request);
    if (!body) return validation('body', 'Input should be a valid dictionary');
    const knowledgeBase = (body.conversation_config as any)?.agent?.prompt?.knowledge_base;
    if (knowledgeBase !== undefined) {
      if (!Array.isArray(knowledgeBase)) return validation('body.conversation_config.agent.prompt.knowledge_base', 'Input should be a valid list');
      const broken = knowledgeBase.findIndex((l) => !isObject(l) || !['file', 'url', 'text', 'folder'].includes(l.type as string) || typeof l.name !== 'string' || typeof l.id !== 'string');
      if (broken >= 0) return validation(`body.conversation_config.agent.prompt.knowledge_base.${broken}`, 'Field required');
    }
    if (isObject(body.conversation_config)) agent.conversation_config = merge(agent.conversation_config, body.conversation_config);
    if (isObject(body.platform_settings)) agent.platform_settings = merge(agent.platform_settings, body.platform_settings);
    if (typeof body.name === 'string') agent.name = body.name;
    agent.updated_at_unix_secs = Math.floor(Date.now() / 1000);
    return { body: agentBody(agent) };
  });

  fake.route('POST', /^\/v1\/convai\/knowledge-base\/url$/, (request, _params, account) => {
    const body = jsonObject(request);
    if (typeof body?.url !== 'string') return validation('body.url', 'Field required');
    if (!/^https?:\/\//.test(body.url)) return detail(400, 'invalid_url', 'The URL must start with http:// or https://.');
    return createDocument(fake, account.key, { type: 'url', name: nameOr(body.name, body.url), url: body.url });
  });

  fake.route('POST', /^\/v1\/convai\/knowledge-base\/text$/, (request, _params, account) => {
    const body = jsonObject(request);
    if (typeof body?.text !== 'string') return validation('body.text', 'Field required');
    if (body.text.trim() === '') return detail(400, 'empty_document', 'The text is empty.');
    return createDocument(fake, account.key, { type: 'text', name: nameOr(body.name, body.text.slice(0, 40)), text: body.text });
  });

  fake.route('POST', /^\/v1\/convai\/knowledge-base\/file$/, async (request, _params, account) => {
    if (!String(request.headers['content-type'] ?? '').startsWith('multipart/form-data')) return validation('body.file', 'Field required');
    const form = await request.form();
    const file = form.get('file');
    if (!(file instanceof File)) return validation('body.file', 'Field required');
    const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
    if (!DOCUMENT_EXTENSIONS.has(extension)) {
      return detail(400, 'unsupported_file_type', `Unsupported file type: ${file.name}. Supported: pdf, txt, docx, html, md, epub.`);
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const name = form.get('name');
    return createDocument(fake, account.key, { type: 'file', name: nameOr(name, file.name), file: { filename: file.name, contentType: file.type, bytes } });
  });

  fake.route('GET', /^\/v1\/convai\/conversations$/, (request, _params, account) => {
    const pageSize = Number(request.query.get('page_size') ?? 30);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return validation('query.page_size', 'Input should be less than or equal to 100');
    const agentId = request.query.get('agent_id');
    const before = optionalInt(request.query.get('call_start_before_unix'));
    const after = optionalInt(request.query.get('call_start_after_unix'));
    if (before === null) return validation('query.call_start_before_unix', 'Input should be a valid integer');
    if (after === null) return validation('query.call_start_after_unix', 'Input should be a valid integer');
    const matching = agentsOf(fake, account.key)
      .conversations.filter(
        (c) => (!agentId || c.agent_id === agentId) && (before === undefined || c.start_time_unix_secs < before) && (after === undefined || c.start_time_unix_secs > after),
      )
      .sort((a, b) => b.start_time_unix_secs - a.start_time_unix_secs);
    const page = paginate(matching, request.query.get('cursor'), pageSize);
    if ('reply' in page) return page.reply;
    return {
      body: {
        conversations: page.items.map((c) => ({
          agent_id: c.agent_id,
          agent_name: c.agent_name,
          conversation_id: c.conversation_id,
          start_time_unix_secs: c.start_time_unix_secs,
          call_duration_secs: c.call_duration_secs,
          message_count: c.transcript.length,
          status: c.status,
          call_successful: c.call_successful,
          call_summary_title: c.call_summary_title,
        })),
        has_more: page.nextCursor !== null,
        next_cursor: page.nextCursor,
      },
    };
  });

  fake.route('GET', /^\/v1\/convai\/conversations\/([^/]+)$/, (_request, [conversationId], account) => {
    const c = agentsOf(fake, account.key).conversations.find((x) => x.conversation_id === conversationId);
    if (!c) return detail(404, 'conversation_not_found', `Conversation ${conversationId} not found.`);
    return {
      body: {
        agent_id: c.agent_id,
        agent_name: c.agent_name,
        status: c.status,
        metadata: { start_time_unix_secs: c.start_time_unix_secs, call_duration_secs: c.call_duration_secs, termination_reason: c.termination_reason },
        analysis:
          c.transcript_summary === undefined
            ? undefined
            : { call_successful: c.call_successful, transcript_summary: c.transcript_summary, call_summary_title: c.call_summary_title, evaluation_criteria_results: {}, data_collection_results: {} },
        conversation_id: c.conversation_id,
        has_audio: true,
        has_user_audio: true,
        has_response_audio: true,
        has_auxiliary_audio: false,
        transcript: c.transcript,
      },
    };
  });

  fake.route('POST', /^\/v1\/convai\/agents\/([^/]+)\/simulate-conversation$/, (request, [agentId], account) => {
    const body = jsonObject(request);
    const user = (body?.simulation_specification as any)?.simulated_user_config;
    if (!isObject(user)) return validation('body.simulation_specification.simulated_user_config', 'Field required');
    const agent = agentsOf(fake, account.key).agents.get(agentId!);
    if (!agent) return agentNotFound(agentId!);
    const turns = typeof body!.new_turns_limit === 'number' ? body!.new_turns_limit : 4;
    const persona = String((user.prompt as any)?.prompt ?? '');
    const transcript: FakeTranscriptEntry[] = [];
    const opening = agent.conversation_config.agent?.first_message;
    if (typeof opening === 'string') transcript.push({ role: 'agent', message: opening, time_in_call_secs: 0 });
    for (let turn = 0; transcript.length < turns; turn++) {
      const said = turn === 0 && typeof user.first_message === 'string' ? user.first_message : `User turn ${turn} (${persona.slice(0, 30)})`;
      transcript.push({ role: 'user', message: said, time_in_call_secs: transcript.length * 4 });
      if (transcript.length < turns) transcript.push({ role: 'agent', message: `Agent reply ${turn} to: ${said}`, time_in_call_secs: transcript.length * 4 });
    }
    const criteria = Array.isArray(body!.extra_evaluation_criteria) ? (body!.extra_evaluation_criteria as Array<Record<string, string>>) : [];
    return {
      body: {
        simulated_conversation: transcript,
        analysis: {
          evaluation_criteria_results: Object.fromEntries(
            criteria.map((c) => [c.id, { criteria_id: c.id, result: 'success', rationale: `Met: ${c.conversation_goal_prompt}` }]),
          ),
          data_collection_results: {},
          call_successful: 'success',
          transcript_summary: `The simulated user (${persona.slice(0, 40)}) talked with ${agent.name}.`,
          call_summary_title: 'Simulated conversation',
        },
      },
    };
  });

  fake.route('GET', /^\/v1\/convai\/phone-numbers$/, (request, _params, account) => {
    const provider = request.query.get('provider');
    if (provider !== null && !['twilio', 'sip_trunk', 'exotel'].includes(provider)) return validation('query.provider', "Input should be 'twilio', 'exotel' or 'sip_trunk'");
    const agentId = request.query.get('agent_id');
    const numbers = agentsOf(fake, account.key).phoneNumbers.filter((n) => (!provider || n.provider === provider) && (!agentId || n.assigned_agent?.agent_id === agentId));
    return {
      body: numbers.map((n) => ({
        phone_number: n.phone_number,
        label: n.label,
        supports_inbound: true,
        supports_outbound: n.supports_outbound ?? true,
        phone_number_id: n.phone_number_id,
        ...(n.assigned_agent ? { assigned_agent: n.assigned_agent } : {}),
        provider: n.provider,
        ...(n.provider === 'sip_trunk' ? { livekit_stack: 'standard' } : {}),
      })),
    };
  });

  fake.route('POST', /^\/v1\/convai\/(twilio|sip-trunk|exotel)\/outbound-call$/, (request, [route], account) => {
    const provider = TELEPHONY_PATHS[route as keyof typeof TELEPHONY_PATHS];
    const body = jsonObject(request);
    for (const field of ['agent_id', 'agent_phone_number_id', 'to_number']) {
      if (typeof body?.[field] !== 'string') return validation(`body.${field}`, 'Field required');
    }
    const data = agentsOf(fake, account.key);
    const number = data.phoneNumbers.find((n) => n.phone_number_id === body!.agent_phone_number_id);
    if (!number) return detail(404, 'phone_number_not_found', `Phone number ${body!.agent_phone_number_id} not found.`);
    if (number.provider !== provider) return detail(400, 'invalid_phone_number', `Phone number ${number.phone_number_id} is not a ${route} number.`);
    if (!data.agents.has(body!.agent_id as string)) return agentNotFound(body!.agent_id as string);
    const conversationId = `conv_${randomBytes(14).toString('hex')}`;
    const callId = randomBytes(16).toString('hex');
    const extra = provider === 'sip_trunk' ? { sip_call_id: `sip_${callId}` } : { callSid: `CA${callId}` };
    return { body: { success: true, message: 'Success', conversation_id: conversationId, ...extra } };
  });
}

function agentBody(agent: FakeAgent): Record<string, unknown> {
  return {
    agent_id: agent.agent_id,
    name: agent.name,
    conversation_config: agent.conversation_config,
    metadata: { created_at_unix_secs: agent.created_at_unix_secs, updated_at_unix_secs: agent.updated_at_unix_secs },
    platform_settings: agent.platform_settings,
    tags: agent.tags,
  };
}

function createDocument(fake: FakeElevenLabs, key: string, document: Omit<FakeDocument, 'id'>): FakeReply {
  const id = randomBytes(10).toString('hex');
  agentsOf(fake, key).documents.set(id, { id, ...document });
  return { body: { id, name: document.name } };
}

function agentNotFound(agentId: string): FakeReply {
  return detail(404, 'agent_not_found', `Agent with id ${agentId} was not found.`);
}

/** Offset cursors, opaque to the client as ElevenLabs' are. */
function paginate<T>(items: readonly T[], cursor: string | null, pageSize: number): { items: T[]; nextCursor: string | null } | { reply: FakeReply } {
  let start = 0;
  if (cursor !== null) {
    const decoded = /^o(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
    if (!decoded) return { reply: detail(400, 'invalid_cursor', 'Invalid cursor.') };
    start = Number(decoded[1]);
  }
  const end = start + pageSize;
  return { items: items.slice(start, end), nextCursor: end < items.length ? Buffer.from(`o${end}`).toString('base64url') : null };
}

/** Lists replace, objects merge: how ElevenLabs applies a partial agent update. */
function merge(target: Record<string, any>, patch: Record<string, unknown>): Record<string, any> {
  const out: Record<string, any> = { ...target };
  for (const [key, value] of Object.entries(patch)) out[key] = isObject(value) && isObject(out[key]) ? merge(out[key], value) : value;
  return out;
}

function jsonObject(request: RecordedRequest): Record<string, unknown> | undefined {
  return isObject(request.json) ? request.json : undefined;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameOr(name: unknown, fallback: string): string {
  return typeof name === 'string' && name.trim() ? name : fallback;
}

function optionalInt(value: string | null): number | undefined | null {
  if (value === null) return undefined;
  return /^\d+$/.test(value) ? Number(value) : null;
}

function validation(where: string, msg: string): FakeReply {
  return { status: 422, body: { detail: [{ loc: where.split('.'), msg, type: 'value_error' }] } };
}
