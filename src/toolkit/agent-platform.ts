import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { z } from 'zod';
import { InvalidArgumentsError } from '../errors/index.js';

/** Helpers the agents-platform tools share: times, transcripts, and values the SDK refuses. */

/** An ISO 8601 time for a Unix time in seconds; null when ElevenLabs gave none. */
export function isoTime(unixSeconds: number): string;
export function isoTime(unixSeconds: number | undefined): string | null;
export function isoTime(unixSeconds: number | undefined): string | null {
  return unixSeconds === undefined ? null : new Date(unixSeconds * 1000).toISOString();
}

/**
 * The SDK checks enumerated values (LLMs, agent TTS models) against its own lists before sending and
 * throws a JsonError naming the field. ElevenLabs would refuse them too, so such an error is reported
 * as the argument it is; `fields` pairs a pattern on the error's field path with the message to give.
 */
export function asRefusedValue(error: unknown, fields: ReadonlyArray<readonly [RegExp, string]>): unknown {
  if (!(error instanceof Error) || error.name !== 'JsonError') return error;
  const match = fields.find(([path]) => path.test(error.message));
  return match ? new InvalidArgumentsError(match[1]) : error;
}

/** The bound on transcript text in one result; each tool describes what happens beyond it. */
export const transcriptCharactersField = z.number().int().min(500).max(100_000).default(20_000);

/** What lists and details say about a conversation. */
export const conversationShape = {
  conversation_id: z.string(),
  agent_id: z.string(),
  agent_name: z.string().nullable(),
  status: z.string().describe('initiated, in-progress, processing, done or failed.'),
  start_time: z.string().describe('ISO 8601, UTC.'),
  duration_secs: z.number(),
};

export const transcriptMessageShape = z.object({
  index: z.number().int().describe('Position of the message in the whole transcript, from 0.'),
  role: z.string().describe('agent or user.'),
  time_in_call_secs: z.number().describe('When it was said, in seconds from the start of the conversation.'),
  message: z.string().nullable().describe('What was said; null for a turn that only called tools.'),
  tool_calls: z.array(z.string()).describe('Names of the tools the agent called in this turn.'),
  truncated: z.boolean().describe('Whether message was cut to fit max_characters.'),
});

export type TranscriptMessage = z.infer<typeof transcriptMessageShape>;

export interface TranscriptPage {
  readonly messages: TranscriptMessage[];
  /** One line per message, for the text result. */
  readonly lines: string[];
  /** Index of the first message not returned; null when the page ends the transcript. */
  readonly nextOffset: number | null;
}

/**
 * The messages of `transcript` from `offset`, at most `maxMessages` of them and about `maxCharacters`
 * of text. A single message longer than the whole budget is cut rather than never returned.
 */
export function pageTranscript(
  transcript: readonly ElevenLabs.ConversationHistoryTranscriptResponseModel[],
  options: { offset: number; maxMessages: number; maxCharacters: number },
): TranscriptPage {
  const messages: TranscriptMessage[] = [];
  const lines: string[] = [];
  let used = 0;
  for (let index = options.offset; index < transcript.length && messages.length < options.maxMessages; index++) {
    let message = toTranscriptMessage(transcript[index]!, index);
    let line = transcriptLine(message);
    if (used + line.length > options.maxCharacters) {
      if (messages.length > 0) break;
      const room = Math.max(0, (message.message?.length ?? 0) - (line.length - options.maxCharacters));
      message = { ...message, message: message.message?.slice(0, room) ?? null, truncated: true };
      line = `${transcriptLine(message)} [cut: raise max_characters to read this message whole]`;
    }
    messages.push(message);
    lines.push(line);
    used += line.length + 1;
  }
  const next = options.offset + messages.length;
  return { messages, lines, nextOffset: next < transcript.length ? next : null };
}

function toTranscriptMessage(
  entry: ElevenLabs.ConversationHistoryTranscriptResponseModel,
  index: number,
): TranscriptMessage {
  return {
    index,
    role: entry.role,
    time_in_call_secs: entry.timeInCallSecs,
    message: entry.message ?? null,
    tool_calls: (entry.toolCalls ?? []).map((call) => call.toolName),
    truncated: false,
  };
}

function transcriptLine(message: TranscriptMessage): string {
  const seconds = Math.max(0, Math.round(message.time_in_call_secs));
  const at = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  const tools = message.tool_calls.length ? ` (called ${message.tool_calls.join(', ')})` : '';
  return `#${message.index} [${at}] ${message.role}: ${message.message ?? ''}${tools}`;
}
