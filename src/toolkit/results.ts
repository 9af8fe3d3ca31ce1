import { z } from 'zod';
import { OutputTooLargeError } from '../errors/index.js';
import { readBounded } from '../net/read-bounded.js';
import { formatBytes } from '../bytes.js';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { ResolvedFile } from '../audio/inputs.js';
import type { SignedFile } from '../storage/file-store.js';
import { PLAYER_TOOL_META } from '../ui/player-meta.js';
import type { ToolResult } from './define-tool.js';

/**
 * What a tool that has ElevenLabs generate audio and stores it declares: it changes the world (credits, a new
 * file), a second call makes another file, it reaches outside; and its result opens in the player.
 */
export const GENERATES_AUDIO = {
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  meta: PLAYER_TOOL_META,
} as const;

/** The fields every result that points at stored audio carries in structuredContent. */
export const storedAudioShape = {
  audio_id: z
    .string()
    .describe(
      'Id of the stored file; pass it to get_audio_url for a fresh link, or as audio_id to tools that take audio.',
    ),
  url: z.string().describe('Presigned HTTPS download URL; anyone holding it can download the file until it expires.'),
  expires_at: z
    .string()
    .describe(
      "When the URL stops working (ISO 8601, UTC). It can stop earlier if the server's credentials rotate; " +
        'get_audio_url re-signs.',
    ),
  key: z.string().describe("The object's S3 key, under this caller's private prefix."),
  mime_type: z.string(),
  bytes: z.number().int().nonnegative(),
  filename: z.string().describe('Download file name.'),
};

/** Output fields every generation reports beside the stored file. */
export const formatField = z.string().describe('The output_format used.');
export const requestIdField = z.string().nullable().describe('ElevenLabs request id, for support.');

/** The structured fields every generation's result starts with (generatedAudioFields fills them). */
export const generatedAudioShape = { ...storedAudioShape, format: formatField, request_id: requestIdField };

export const charactersBilledField = z
  .number()
  .int()
  .nullable()
  .describe(
    'Characters (credits) ElevenLabs billed for this call, from its character-cost header; null if it did not say.',
  );

export function storedAudioFields(saved: SignedFile): z.infer<z.ZodObject<typeof storedAudioShape>> {
  return {
    audio_id: saved.audioId,
    url: saved.url,
    expires_at: saved.expiresAt,
    key: saved.key,
    mime_type: saved.mimeType,
    bytes: saved.bytes,
    filename: saved.filename,
  };
}

/** A file the tool was given, as its result names it (each tool describes what the file was). */
export const inputFileShape = z.object({ filename: z.string(), mime_type: z.string(), bytes: z.number().int() });

export function inputFileFields(file: ResolvedFile): z.infer<typeof inputFileShape> {
  return { filename: file.filename, mime_type: file.mimeType, bytes: file.bytes.byteLength };
}

/**
 * Audio returned inline is base64 inside the JSON response, which a Function URL caps at 6 MB: one
 * clip of at most 1 MB (1.4 MB as base64) leaves room for several and for the rest of the result.
 */
export const INLINE_AUDIO_MAX_BYTES = 1024 * 1024;

/** The `include_audio` argument every audio-producing tool takes. */
export const includeAudioField = z
  .boolean()
  .default(false)
  .describe('Also return the audio inline (MCP audio block) if at most 1 MB; the link always comes.');

/**
 * Content blocks for one stored clip: a line with its link (many clients show the model only text),
 * a `resource_link` to the presigned URL, and, when asked and small enough, the audio itself.
 */
export function audioContent(summary: string, saved: SignedFile, inline?: Uint8Array): CallToolResult['content'] {
  const blocks: CallToolResult['content'] = [
    {
      type: 'text',
      text: `${summary}\nDownload: ${saved.url}\n(link expires ${saved.expiresAt}; audio_id ${saved.audioId})`,
    },
    {
      type: 'resource_link',
      uri: saved.url,
      name: saved.filename,
      mimeType: saved.mimeType,
      size: saved.bytes,
      description: summary,
    },
  ];
  if (inline !== undefined) {
    if (inline.byteLength <= INLINE_AUDIO_MAX_BYTES) {
      blocks.push({ type: 'audio', data: Buffer.from(inline).toString('base64'), mimeType: saved.mimeType });
    } else {
      blocks.push({
        type: 'text',
        text:
          `Not returned inline: ${formatBytes(inline.byteLength)} is over the ` +
          `${formatBytes(INLINE_AUDIO_MAX_BYTES)} inline limit; use the link.`,
      });
    }
  }
  return blocks;
}

/**
 * A result pointing at one stored clip, with its structured fields. `inline`: the bytes, when include_audio was
 * asked.
 */
export function audioResult<S extends Record<string, unknown>>(
  summary: string,
  saved: SignedFile,
  structured: S,
  inline?: Uint8Array,
): ToolResult<S> {
  return { content: audioContent(summary, saved, inline), structuredContent: structured };
}

/** A result that is data: compact text for the model plus the same facts structured. */
export function dataResult<S extends Record<string, unknown>>(text: string, structured: S): ToolResult<S> {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/** Upper bound on one stored file: it is held in memory whole before upload. */
export const MAX_AUDIO_BYTES = 200 * 1024 * 1024;

/** Reads a web stream to the end, refusing more than `maxBytes`. */
export function readAll(stream: ReadableStream<Uint8Array>, maxBytes = MAX_AUDIO_BYTES): Promise<Uint8Array> {
  return readBounded(stream, maxBytes, () => new OutputTooLargeError(maxBytes));
}

/**
 * Headers that carry what a generation billed, in order of trust: `character-cost` is the one ElevenLabs
 * documents (the OpenAPI's sound-generation answer, its text-to-speech cookbook); `x-character-count`
 * is read only when the former is absent or unreadable, for answers that still carry the older name.
 */
const BILLED_HEADERS = ['character-cost', 'x-character-count'] as const;

/** Characters ElevenLabs billed for a generation, when it says (see BILLED_HEADERS). */
export function billedCharacters(headers: Headers): number | undefined {
  for (const name of BILLED_HEADERS) {
    const raw = headers.get(name)?.trim();
    if (!raw || !/^\d+(\.\d+)?$/.test(raw)) continue;
    return Math.round(Number(raw));
  }
  return undefined;
}

/** The summary's `, 33 characters billed`, or nothing when ElevenLabs did not say. */
export function billedNote(charactersBilled: number | undefined): string {
  return charactersBilled === undefined ? '' : `, ${charactersBilled} characters billed`;
}

/** ElevenLabs' id for a request, for support. */
export function requestIdOf(headers: Headers): string | null {
  return headers.get('request-id') ?? headers.get('x-request-id') ?? null;
}

/** What the structured result of a generation starts with: the stored file, its format, ElevenLabs' request id. */
export function generatedAudioFields(saved: SignedFile, format: string, headers: Headers) {
  return { ...storedAudioFields(saved), format, request_id: requestIdOf(headers) };
}

/** What a generation read from ElevenLabs: the audio and its answer's headers. */
interface Generation {
  readonly bytes: Uint8Array;
  readonly headers: Headers;
}

/** The arguments every generating tool takes that shape its result. */
interface GenerationArgs {
  readonly output_format: string;
  readonly include_audio: boolean;
}

/**
 * The result of a generation stored as `saved`: the summary and link, structuredContent with
 * generatedAudioFields and then the tool's own `fields`, and the audio inline when include_audio was asked.
 */
export function generationResult<S extends Record<string, unknown>>(
  summary: string,
  saved: SignedFile,
  generation: Generation,
  args: GenerationArgs,
  fields: S,
): ToolResult<ReturnType<typeof generatedAudioFields> & S> {
  return audioResult(
    summary,
    saved,
    { ...generatedAudioFields(saved, args.output_format, generation.headers), ...fields },
    args.include_audio ? generation.bytes : undefined,
  );
}
