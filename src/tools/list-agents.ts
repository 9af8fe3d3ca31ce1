import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { isoTime } from '../toolkit/agent-platform.js';
import { dataResult } from '../toolkit/results.js';
import { searchTextField } from '../toolkit/shared-inputs.js';

const input = z
  .object({
    search: searchTextField.optional().describe('Only agents whose name contains this text. Omit to list all.'),
    page_size: z.number().int().min(1).max(100).default(30).describe('Agents per page.'),
    cursor: z
      .string()
      .max(1000)
      .optional()
      .describe("From a previous result's next_cursor, to get the following page."),
  })
  .strict();

const output = z.object({
  agents: z.array(
    z.object({
      agent_id: z.string(),
      name: z.string(),
      created_at: z.string().describe('ISO 8601, UTC.'),
    }),
  ),
  next_cursor: z.string().nullable().describe('Pass back as cursor for the next page; null on the last page.'),
  has_more: z.boolean(),
});

export default defineTool({
  title: 'List conversational agents',
  description:
    "List the caller's ElevenLabs conversational AI agents (name, agent_id, creation time), a page at a time, " +
    'optionally filtered by name. Free.',
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: true },
  groups: ['agents'],
  async handler(args, ctx) {
    const page = await ctx.elevenlabs((client) =>
      client.conversationalAi.agents.list(
        compact({ search: args.search || undefined, pageSize: args.page_size, cursor: args.cursor }),
      ),
    );
    const agents = page.agents.map((agent) => ({
      agent_id: agent.agentId,
      name: agent.name,
      created_at: isoTime(agent.createdAtUnixSecs),
    }));
    const nextCursor = page.hasMore ? (page.nextCursor ?? null) : null;
    const more = nextCursor ? `\nMore agents: call again with cursor "${nextCursor}".` : '';
    const text = agents.length
      ? `${agents.length} agent${agents.length === 1 ? '' : 's'}${args.search ? ` matching "${args.search}"` : ''}:\n` +
        agents.map((a) => `- ${a.name} (${a.agent_id}), created ${a.created_at}`).join('\n') +
        more
      : `No agents${args.search ? ` match "${args.search}"` : ' in this account'}. create_agent makes one.`;
    return dataResult(text, { agents, next_cursor: nextCursor, has_more: page.hasMore });
  },
});
