import { randomBytes } from 'node:crypto';
import type { FakeElevenLabs } from '../fake-elevenlabs.js';
import { detail, type FakeReply } from '../fake-wire.js';
import {
  agentNotFound,
  agentsOf,
  type FakeAgent,
  type FakeDocument,
  type FakeTranscriptEntry,
  isObject,
  jsonObject,
  listPage,
  merge,
  nameOr,
  validation,
  valueAt,
} from './agents-store.js';

export {
  agentsOf,
  type AgentsAccount,
  type FakeAgent,
  type FakeConversation,
  type FakeDocument,
  type FakePhoneNumber,
  type FakeTranscriptEntry,
} from './agents-store.js';

/**
 * The agents platform (/v1/convai/...): agents, knowledge-base documents and simulated conversations
 * here; conversations, phone numbers and outbound calls in conversations.ts. Each API key has its own
 * agents, documents, conversations and phone numbers, as each ElevenLabs account does; tests seed
 * conversations and phone numbers through `agentsOf`.
 */

const DOCUMENT_EXTENSIONS = new Set(['pdf', 'txt', 'docx', 'html', 'htm', 'md', 'epub']);

export function installAgentRoutes(fake: FakeElevenLabs): void {
  fake.route('POST', /^\/v1\/convai\/agents\/create$/, (request, _params, account) => {
    const body = jsonObject(request);
    if (!body) return validation('body', 'field required');
    const config = body.conversation_config;
    if (!isObject(config)) return validation('body.conversation_config', 'field required');
    const language = valueAt(config, 'agent', 'language') ?? 'en';
    const model = valueAt(config, 'tts', 'model_id') ?? 'eleven_turbo_v2';
    if (language !== 'en' && (model === 'eleven_turbo_v2' || model === 'eleven_flash_v2')) {
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
    const search = request.query.get('search')?.toLowerCase();
    const agents = [...agentsOf(fake, account.key).agents.values()]
      .filter((a) => !search || a.name.toLowerCase().includes(search))
      .sort((a, b) => b.created_at_unix_secs - a.created_at_unix_secs || a.agent_id.localeCompare(b.agent_id));
    return listPage(request, agents, 'agents', (a) => ({
      agent_id: a.agent_id,
      name: a.name,
      voice_id: valueAt(a.conversation_config, 'tts', 'voice_id') ?? 'cjVigY5qzO86Huf0OWal',
      tags: a.tags,
      created_at_unix_secs: a.created_at_unix_secs,
      access_info: {
        is_creator: true,
        creator_name: 'Test User',
        creator_email: 'test@example.com',
        role: 'admin',
      },
    }));
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
    const knowledgeBase = valueAt(body.conversation_config, 'agent', 'prompt', 'knowledge_base');
    if (knowledgeBase !== undefined) {
      const where = 'body.conversation_config.agent.prompt.knowledge_base';
      if (!Array.isArray(knowledgeBase)) return validation(where, 'Input should be a valid list');
      const kinds = ['file', 'url', 'text', 'folder'];
      const broken = knowledgeBase.findIndex(
        (l) =>
          !isObject(l) || !kinds.includes(l.type as string) || typeof l.name !== 'string' || typeof l.id !== 'string',
      );
      if (broken >= 0) return validation(`${where}.${broken}`, 'Field required');
    }
    if (isObject(body.conversation_config))
      agent.conversation_config = merge(agent.conversation_config, body.conversation_config);
    if (isObject(body.platform_settings))
      agent.platform_settings = merge(agent.platform_settings, body.platform_settings);
    if (typeof body.name === 'string') agent.name = body.name;
    agent.updated_at_unix_secs = Math.floor(Date.now() / 1000);
    return { body: agentBody(agent) };
  });

  fake.route('POST', /^\/v1\/convai\/knowledge-base\/url$/, (request, _params, account) => {
    const body = jsonObject(request);
    if (typeof body?.url !== 'string') return validation('body.url', 'Field required');
    if (!/^https?:\/\//.test(body.url))
      return detail(400, 'invalid_url', 'The URL must start with http:// or https://.');
    return createDocument(fake, account.key, { type: 'url', name: nameOr(body.name, body.url), url: body.url });
  });

  fake.route('POST', /^\/v1\/convai\/knowledge-base\/text$/, (request, _params, account) => {
    const body = jsonObject(request);
    if (typeof body?.text !== 'string') return validation('body.text', 'Field required');
    if (body.text.trim() === '') return detail(400, 'empty_document', 'The text is empty.');
    return createDocument(fake, account.key, {
      type: 'text',
      name: nameOr(body.name, body.text.slice(0, 40)),
      text: body.text,
    });
  });

  fake.route('POST', /^\/v1\/convai\/knowledge-base\/file$/, async (request, _params, account) => {
    if (!String(request.headers['content-type'] ?? '').startsWith('multipart/form-data'))
      return validation('body.file', 'Field required');
    const form = await request.form();
    const file = form.get('file');
    if (!(file instanceof File)) return validation('body.file', 'Field required');
    const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
    if (!DOCUMENT_EXTENSIONS.has(extension)) {
      return detail(
        400,
        'unsupported_file_type',
        `Unsupported file type: ${file.name}. Supported: pdf, txt, docx, html, md, epub.`,
      );
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const name = form.get('name');
    const stored = { filename: file.name, contentType: file.type, bytes };
    return createDocument(fake, account.key, { type: 'file', name: nameOr(name, file.name), file: stored });
  });

  fake.route('POST', /^\/v1\/convai\/agents\/([^/]+)\/simulate-conversation$/, (request, [agentId], account) => {
    const body = jsonObject(request);
    const user = valueAt(body, 'simulation_specification', 'simulated_user_config');
    if (!isObject(user)) return validation('body.simulation_specification.simulated_user_config', 'Field required');
    const agent = agentsOf(fake, account.key).agents.get(agentId!);
    if (!agent) return agentNotFound(agentId!);
    const turns = typeof body!.new_turns_limit === 'number' ? body!.new_turns_limit : 4;
    const persona = String(valueAt(user, 'prompt', 'prompt') ?? '');
    const transcript: FakeTranscriptEntry[] = [];
    const opening = valueAt(agent.conversation_config, 'agent', 'first_message');
    if (typeof opening === 'string') transcript.push({ role: 'agent', message: opening, time_in_call_secs: 0 });
    for (let turn = 0; transcript.length < turns; turn++) {
      const said =
        turn === 0 && typeof user.first_message === 'string'
          ? user.first_message
          : `User turn ${turn} (${persona.slice(0, 30)})`;
      transcript.push({ role: 'user', message: said, time_in_call_secs: transcript.length * 4 });
      if (transcript.length < turns) {
        transcript.push({
          role: 'agent',
          message: `Agent reply ${turn} to: ${said}`,
          time_in_call_secs: transcript.length * 4,
        });
      }
    }
    const extra = body!.extra_evaluation_criteria;
    const criteria = Array.isArray(extra) ? (extra as Array<Record<string, string>>) : [];
    return {
      body: {
        simulated_conversation: transcript,
        analysis: {
          evaluation_criteria_results: Object.fromEntries(
            criteria.map((c) => [
              c.id,
              { criteria_id: c.id, result: 'success', rationale: `Met: ${c.conversation_goal_prompt}` },
            ]),
          ),
          data_collection_results: {},
          call_successful: 'success',
          transcript_summary: `The simulated user (${persona.slice(0, 40)}) talked with ${agent.name}.`,
          call_summary_title: 'Simulated conversation',
        },
      },
    };
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
