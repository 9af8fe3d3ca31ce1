import { z } from 'zod';
import { InvalidArgumentsError } from '../errors/index.js';
import { defineTool } from '../toolkit/define-tool.js';
import {
  conversationShape,
  isoTime,
  pageTranscript,
  transcriptCharactersField,
  transcriptMessageShape,
} from '../toolkit/agent-platform.js';
import { dataResult } from '../toolkit/results.js';
import { conversationIdField } from '../toolkit/shared-inputs.js';

const input = z
  .object({
    conversation_id: conversationIdField.describe(
      'The conversation, e.g. from list_conversations or make_outbound_call.',
    ),
    offset: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('First message index (0: start); pass next_offset to continue.'),
    max_messages: z.number().int().min(1).max(500).default(100).describe('Most messages to return in this call.'),
    max_characters: transcriptCharactersField.describe(
      'Most characters of transcript text to return in this call (default 20000); longer transcripts come back in ' +
        'pages.',
    ),
  })
  .strict();

const output = z.object({
  ...conversationShape,
  termination_reason: z.string().nullable(),
  call_successful: z.string().nullable().describe('success, failure or unknown, once analysed.'),
  summary_title: z.string().nullable(),
  summary: z.string().nullable().describe("ElevenLabs' summary of the transcript, once analysed."),
  message_count: z.number().int().describe('Messages in the whole transcript.'),
  offset: z.number().int(),
  next_offset: z
    .number()
    .int()
    .nullable()
    .describe('Pass as offset for the next messages; null when this page ends the transcript.'),
  messages: z.array(transcriptMessageShape),
});

export default defineTool({
  title: 'Get a conversation and its transcript',
  description:
    "Get one agent conversation: status, start time, duration, outcome, ElevenLabs' summary, and the transcript a " +
    'page at a time ' +
    '(offset, max_messages, max_characters; next_offset continues). Use it to review what an agent and a caller ' +
    'said. Free.',
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: true },
  groups: ['agents'],
  async handler(args, ctx) {
    const conversation = await ctx.elevenlabs(
      (client) => client.conversationalAi.conversations.get(args.conversation_id),
      {
        notFound: `Conversation ${args.conversation_id}`,
      },
    );
    const transcript = conversation.transcript;
    if (args.offset > 0 && args.offset >= transcript.length) {
      throw new InvalidArgumentsError(
        `offset ${args.offset} is past the end of the transcript, which has ${transcript.length} messages.`,
      );
    }
    const page = pageTranscript(transcript, {
      offset: args.offset,
      maxMessages: args.max_messages,
      maxCharacters: args.max_characters,
    });
    const analysis = conversation.analysis;
    const details = {
      conversation_id: conversation.conversationId,
      agent_id: conversation.agentId,
      agent_name: conversation.agentName ?? null,
      status: conversation.status,
      start_time: isoTime(conversation.metadata.startTimeUnixSecs),
      duration_secs: conversation.metadata.callDurationSecs,
      termination_reason: conversation.metadata.terminationReason ?? null,
      call_successful: analysis?.callSuccessful ?? null,
      summary_title: analysis?.callSummaryTitle ?? null,
      summary: analysis?.transcriptSummary || null,
      message_count: transcript.length,
      offset: args.offset,
      next_offset: page.nextOffset,
      messages: page.messages,
    };
    const shown = page.messages.length
      ? `messages ${args.offset}-${args.offset + page.messages.length - 1} of ${transcript.length}`
      : 'no messages';
    const lines = [
      `Conversation ${details.conversation_id} with agent ${details.agent_name ?? 'unnamed'} (${details.agent_id}): ` +
        `${details.status}, started ${details.start_time}, ${details.duration_secs} s` +
        (details.termination_reason ? `, ended: ${details.termination_reason}` : '') +
        (details.call_successful ? `, outcome ${details.call_successful}` : ''),
      details.summary
        ? `Summary${details.summary_title ? ` (${details.summary_title})` : ''}: ${details.summary}`
        : undefined,
      `Transcript, ${shown}:`,
      ...page.lines,
      page.nextOffset === null ? undefined : `more: call again with offset ${page.nextOffset}`,
    ];
    return dataResult(lines.filter((line) => line !== undefined).join('\n'), details);
  },
});
