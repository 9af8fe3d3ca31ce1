import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { isoTime } from '../toolkit/agent-platform.js';
import { dataResult } from '../toolkit/results.js';
import { agentIdField } from '../toolkit/shared-inputs.js';

const input = z
  .object({
    agent_id: agentIdField.describe('The agent to describe, e.g. from list_agents.'),
    max_prompt_characters: z
      .number()
      .int()
      .min(100)
      .max(100_000)
      .default(4000)
      .describe('Most characters of the system prompt to return (default 4000); the result says when it was cut.'),
  })
  .strict();

const output = z.object({
  agent_id: z.string(),
  name: z.string(),
  created_at: z.string().describe('ISO 8601, UTC.'),
  voice_id: z.string().nullable(),
  tts_model_id: z.string().nullable(),
  language: z.string().nullable(),
  llm: z.string().nullable(),
  first_message: z.string().nullable(),
  system_prompt: z.string().nullable().describe('The system prompt, cut to max_prompt_characters.'),
  system_prompt_characters: z.number().int().describe('Length of the whole system prompt.'),
  system_prompt_truncated: z.boolean(),
  knowledge_base: z.array(
    z.object({ id: z.string(), name: z.string(), type: z.string().describe('file, url, text or folder.') }),
  ),
});

export default defineTool({
  title: 'Get agent details',
  description:
    'Get one conversational AI agent by agent_id: name, voice, TTS model, language, LLM, first message, system ' +
    'prompt (bounded by max_prompt_characters), knowledge-base documents and creation time. Free.',
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: true },
  groups: ['agents'],
  async handler(args, ctx) {
    const agent = await ctx.elevenlabs((client) => client.conversationalAi.agents.get(args.agent_id), {
      notFound: `Agent ${args.agent_id}`,
    });
    const config = agent.conversationConfig;
    const prompt = config.agent?.prompt?.prompt ?? null;
    const shownPrompt = prompt === null ? null : prompt.slice(0, args.max_prompt_characters);
    const truncated = prompt !== null && prompt.length > args.max_prompt_characters;
    const knowledgeBase = (config.agent?.prompt?.knowledgeBase ?? []).map((doc) => ({
      id: doc.id,
      name: doc.name,
      type: doc.type,
    }));
    const details = {
      agent_id: agent.agentId,
      name: agent.name,
      created_at: isoTime(agent.metadata.createdAtUnixSecs),
      voice_id: config.tts?.voiceId ?? null,
      tts_model_id: config.tts?.modelId ?? null,
      language: config.agent?.language ?? null,
      llm: config.agent?.prompt?.llm ?? null,
      first_message: config.agent?.firstMessage ?? null,
      system_prompt: shownPrompt,
      system_prompt_characters: prompt?.length ?? 0,
      system_prompt_truncated: truncated,
      knowledge_base: knowledgeBase,
    };
    const cut = truncated
      ? `, first ${args.max_prompt_characters} shown; call again with a larger max_prompt_characters for all of it`
      : '';
    const lines = [
      `Agent "${details.name}" (${details.agent_id}), created ${details.created_at}`,
      `Voice ${details.voice_id ?? 'default'}, TTS model ${details.tts_model_id ?? 'default'}, language ` +
        `${details.language ?? 'default'}, LLM ${details.llm ?? 'default'}`,
      `First message: ` +
        `${details.first_message ? JSON.stringify(details.first_message) : '(none: the agent waits for the user)'}`,
      `Knowledge base: ` +
        `${knowledgeBase.length ? knowledgeBase.map((d) => `${d.name} (${d.id}, ${d.type})`).join('; ') : 'none'}`,
      shownPrompt === null
        ? 'System prompt: none'
        : `System prompt (${details.system_prompt_characters} characters${cut}):\n${shownPrompt}`,
    ];
    return dataResult(lines.join('\n'), details);
  },
});
