import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { z } from 'zod';
import { InvalidArgumentsError } from '../errors/index.js';
import { defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { conversationShape, isoTime } from '../toolkit/agent-platform.js';
import { dataResult } from '../toolkit/results.js';
import { agentIdField } from '../toolkit/shared-inputs.js';

const MAX_PAGE_SIZE = 100;

const input = z
  .object({
    agent_id: agentIdField.optional().describe('Only conversations with this agent.'),
    cursor: z
      .string()
      .max(2000)
      .optional()
      .describe("From a previous result's next_cursor, to get the following conversations."),
    call_start_before_unix: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Only conversations that started before this Unix time (seconds).'),
    call_start_after_unix: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Only conversations that started after this Unix time (seconds).'),
    page_size: z.number().int().min(1).max(MAX_PAGE_SIZE).default(30).describe('Conversations per page.'),
    max_length: z
      .number()
      .int()
      .min(500)
      .max(100_000)
      .default(10_000)
      .describe('Most characters to return; a longer page stops early and next_cursor continues.'),
  })
  .strict();

const output = z.object({
  conversations: z.array(
    z.object({
      ...conversationShape,
      message_count: z.number().int(),
      call_successful: z.string().describe("success, failure or unknown, from ElevenLabs' evaluation."),
      title: z.string().nullable().describe("ElevenLabs' one-line summary, when analysed."),
    }),
  ),
  next_cursor: z
    .string()
    .nullable()
    .describe('Pass back as cursor for the following conversations; null when there are no more.'),
  has_more: z.boolean(),
});

type Summary = z.infer<typeof output>['conversations'][number];

export default defineTool({
  title: 'List agent conversations',
  description:
    "List conversations with the caller's conversational AI agents, newest first: id, agent, status, start time, " +
    'duration, message count and outcome. ' +
    "Filter by agent_id and start time; page with cursor. get_conversation shows one conversation's transcript. Free.",
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: true },
  groups: ['agents'],
  async handler(args, ctx) {
    const position = readCursor(args.cursor);
    const page = await ctx.elevenlabs((client) =>
      client.conversationalAi.conversations.list(
        compact({
          cursor: position.upstream,
          agentId: args.agent_id,
          callStartBeforeUnix: args.call_start_before_unix,
          callStartAfterUnix: args.call_start_after_unix,
          // Resuming inside a page fetches that page again, as far as the part not yet shown.
          pageSize: Math.min(MAX_PAGE_SIZE, position.skip + args.page_size),
        }),
      ),
    );
    const available = page.conversations.slice(position.skip);
    const shown: Summary[] = [];
    const blocks: string[] = [];
    let length = 0;
    for (const conversation of available) {
      const summary = toSummary(conversation);
      const block = describe(summary);
      if (shown.length > 0 && length + block.length + 2 > args.max_length) break;
      shown.push(summary);
      blocks.push(block);
      length += block.length + 2;
    }
    const stoppedEarly = shown.length < available.length;
    const nextCursor = stoppedEarly
      ? writeCursor(position.upstream, position.skip + shown.length)
      : page.hasMore
        ? (page.nextCursor ?? null)
        : null;
    const more = nextCursor ? `\nmore: call again with cursor "${nextCursor}"` : '';
    const text = shown.length
      ? `${shown.length} conversation${shown.length === 1 ? '' : 's'}:\n\n${blocks.join('\n\n')}${more}`
      : `No conversations${args.agent_id ? ` with agent ${args.agent_id}` : ''} in this range.${more}`;
    return dataResult(text, { conversations: shown, next_cursor: nextCursor, has_more: nextCursor !== null });
  },
});

function toSummary(conversation: ElevenLabs.ConversationSummaryResponseModel): Summary {
  return {
    conversation_id: conversation.conversationId,
    agent_id: conversation.agentId,
    agent_name: conversation.agentName ?? null,
    status: conversation.status,
    start_time: isoTime(conversation.startTimeUnixSecs),
    duration_secs: conversation.callDurationSecs,
    message_count: conversation.messageCount,
    call_successful: conversation.callSuccessful,
    title: conversation.callSummaryTitle ?? null,
  };
}

function describe(c: Summary): string {
  return [
    `${c.conversation_id}${c.title ? `: ${c.title}` : ''}`,
    `  agent ${c.agent_name ?? 'unnamed'} (${c.agent_id}), ${c.status}, started ${c.start_time}, ${c.duration_secs} ` +
      `s, ${c.message_count} messages, outcome ${c.call_successful}`,
  ].join('\n');
}

/**
 * ElevenLabs' cursors mark page boundaries. When the text limit stops a page early, the cursor handed
 * back names the page's own cursor and how many of its conversations were already shown.
 */
const RESUME_PREFIX = 'resume.';

interface Position {
  readonly upstream: string | undefined;
  readonly skip: number;
}

function writeCursor(upstream: string | undefined, skip: number): string {
  return RESUME_PREFIX + Buffer.from(JSON.stringify({ cursor: upstream ?? null, skip })).toString('base64url');
}

function readCursor(cursor: string | undefined): Position {
  if (!cursor?.startsWith(RESUME_PREFIX)) return { upstream: cursor || undefined, skip: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(RESUME_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const { cursor: upstream, skip } = (parsed ?? {}) as { cursor?: unknown; skip?: unknown };
  if (
    (typeof upstream !== 'string' && upstream !== null) ||
    typeof skip !== 'number' ||
    !Number.isInteger(skip) ||
    skip < 0 ||
    skip >= MAX_PAGE_SIZE
  ) {
    throw new InvalidArgumentsError(
      'cursor is not one this tool returned; pass next_cursor from a previous list_conversations result unchanged, ' +
        'or omit it to start over.',
    );
  }
  return { upstream: upstream ?? undefined, skip };
}
