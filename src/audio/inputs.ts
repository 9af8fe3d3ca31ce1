import { z } from 'zod';
import { formatBytes } from '../bytes.js';
import { InvalidArgumentsError } from '../errors/index.js';
import type { ToolContext } from '../toolkit/define-tool.js';
import { decodeBase64 } from './base64.js';
import { MEDIA_TYPE } from './media-types.js';
import { type LoadedFile, present, settleFile } from './settle-file.js';

/**
 * The one way a tool takes a file (audio, video, a document): exactly one of `url`, `audio_id` or
 * `base64` (+ `filename`), with an optional `mime_type`. Tools spread `fileInputShape()` into their
 * input schema and call `resolveInput` (or `resolveInputOrUrl` when ElevenLabs can fetch a URL itself).
 */

/**
 * Inline base64 is bounded by the Function URL's 6 MB request limit: the JSON-RPC envelope, the other
 * arguments and the headers must fit beside it. 5.5 MiB of base64 text leaves about 230 KB for them
 * and decodes to at most 4.125 MiB.
 */
export const MAX_BASE64_CHARS = 5.5 * 1024 * 1024;
export const MAX_BASE64_BYTES = (MAX_BASE64_CHARS / 4) * 3;

const MAX_URL_LENGTH = 4096;

export interface FileInputShapeOptions {
  /** What the file is, for the descriptions: "audio or video file", "document". */
  readonly noun?: string;
  /** The tool's size limit, quoted to the model in the url description. */
  readonly maxBytes?: number;
  /** ElevenLabs fetches `url` itself instead of this server downloading it. */
  readonly passThrough?: boolean;
}

/** Input fields for one file; every tool taking a file spreads these into its `z.object({...}).strict()`. */
export function fileInputShape(options: FileInputShapeOptions = {}) {
  const noun = options.noun ?? 'audio or video file';
  const limit = options.maxBytes ? ` (at most ${formatBytes(options.maxBytes)})` : '';
  const how = options.passThrough
    ? `ElevenLabs downloads it${limit}`
    : `This server downloads it${limit}, following redirects to public https addresses only`;
  return {
    url: z
      .string()
      .trim()
      .max(MAX_URL_LENGTH)
      .optional()
      .describe(
        `Public https URL of the ${noun}, a direct download (not a web page or a login). ${how}. Give exactly one of ` +
          `url, audio_id or base64.`,
      ),
    audio_id: z
      .string()
      .trim()
      .max(300)
      .optional()
      .describe(
        `A stored ${noun}: an audio_id (or key) from an earlier result or create_upload_url, stored under the same ` +
          `API key. Best for large files.`,
      ),
    base64: z
      .string()
      .max(
        MAX_BASE64_CHARS,
        `base64 must be at most ${MAX_BASE64_CHARS} characters (about ${formatBytes(MAX_BASE64_BYTES)} of file); ` +
          `upload larger files with create_upload_url and pass its audio_id`,
      )
      .optional()
      .describe(
        `The ${noun} itself, base64 (a data: URL is accepted): at most ${formatBytes(MAX_BASE64_CHARS)} of text, ` +
          `about ${formatBytes(MAX_BASE64_BYTES)} of file ` +
          '(a request must stay under 6 MB). Needs filename. Larger files: create_upload_url, then audio_id.',
      ),
    filename: z
      .string()
      .trim()
      .max(255)
      .optional()
      .describe('File name with extension, e.g. interview.mp3. Needed with base64, where it tells the type.'),
    mime_type: z
      .string()
      .trim()
      .regex(MEDIA_TYPE, 'mime_type must be a media type such as audio/mpeg')
      .optional()
      .describe(
        'Media type, e.g. audio/mpeg. By default taken from the download, the stored file, the name or the content.',
      ),
  };
}

/** The shape for audio and video inputs, for tools that need no other wording. */
export const audioInputShape = fileInputShape();

export interface FileInputArgs {
  readonly url?: string | undefined;
  readonly audio_id?: string | undefined;
  readonly base64?: string | undefined;
  readonly filename?: string | undefined;
  readonly mime_type?: string | undefined;
}

export interface ResolveOptions {
  /** Accepted media types; `audio/*` style wildcards allowed. */
  readonly allowedTypes: readonly string[];
  readonly maxBytes: number;
  /** The tool, for messages: "speech_to_text". */
  readonly purpose: string;
}

export interface ResolvedFile {
  readonly kind: 'file';
  readonly bytes: Uint8Array;
  readonly filename: string;
  readonly mimeType: string;
  readonly source: 'url' | 'audio_id' | 'base64';
}

/** A URL ElevenLabs fetches itself, checked against the same policy as downloads. */
export interface PassThroughUrl {
  readonly kind: 'url';
  readonly url: string;
}

export type InputContext = Pick<ToolContext, 'audio' | 'fetcher' | 'signal'>;

export type InputSource =
  | { readonly kind: 'url'; readonly value: string }
  | { readonly kind: 'audio_id'; readonly value: string }
  | { readonly kind: 'base64'; readonly value: string; readonly filename: string };

/**
 * Which of url, audio_id and base64 the call gave, enforcing exactly one (empty strings count as not
 * given: models often send them for unused fields). Cheap and synchronous: a tool may call it before
 * any other work so that a malformed call fails before anything is looked up or billed.
 */
export function chooseSource(args: FileInputArgs): InputSource {
  const given = (['url', 'audio_id', 'base64'] as const).filter((field) => present(args[field]));
  if (given.length === 0) {
    throw new InvalidArgumentsError(
      'Give the file as exactly one of: url (a public https link to it), audio_id (from an earlier result or from ' +
        'create_upload_url) or base64 (small files only, with filename).',
    );
  }
  if (given.length > 1)
    throw new InvalidArgumentsError(
      `Give exactly one of url, audio_id or base64; this call gave ${given.join(' and ')}.`,
    );
  const field = given[0]!;
  if (field === 'base64') {
    if (!present(args.filename))
      throw new InvalidArgumentsError('base64 needs filename, the file name with its extension (e.g. clip.mp3).');
    return { kind: 'base64', value: args.base64!, filename: args.filename!.trim() };
  }
  return { kind: field, value: args[field]!.trim() };
}

/**
 * The file a call designates, as bytes: downloaded (safely) from `url`, read from the caller's own
 * storage for `audio_id`, or decoded from `base64`. Refuses more than `maxBytes` and any type outside
 * `allowedTypes`. Errors are ToolErrors whose messages tell the model what to do.
 */
export async function resolveInput(
  args: FileInputArgs,
  ctx: InputContext,
  options: ResolveOptions,
): Promise<ResolvedFile> {
  const file = await load(chooseSource(args), ctx, options.maxBytes);
  return settleFile(file, args, options);
}

/**
 * Like `resolveInput`, but a `url` is only checked (https, public address after resolution) and handed
 * back for ElevenLabs to fetch, for endpoints that take one (speech-to-text `source_url`,
 * knowledge-base URLs). Nothing is downloaded for it.
 */
export async function resolveInputOrUrl(
  args: FileInputArgs,
  ctx: InputContext,
  options: ResolveOptions,
): Promise<ResolvedFile | PassThroughUrl> {
  const source = chooseSource(args);
  if (source.kind === 'url') return { kind: 'url', url: await checkPublicUrl(source.value, ctx) };
  return resolveInput(args, ctx, options);
}

/** Checks a URL someone else will fetch against the download policy, without downloading it. */
export function checkPublicUrl(url: string, ctx: Pick<ToolContext, 'fetcher' | 'signal'>): Promise<string> {
  return ctx.fetcher.check(url.trim(), { signal: ctx.signal });
}

/** The bytes a source designates, and what the source says of them. */
async function load(source: InputSource, ctx: InputContext, maxBytes: number): Promise<LoadedFile> {
  switch (source.kind) {
    case 'url': {
      const fetched = await ctx.fetcher.fetch(source.value, { maxBytes, signal: ctx.signal });
      return { bytes: fetched.bytes, declared: fetched.contentType, name: fetched.filename, source: 'url' };
    }
    case 'audio_id': {
      const stored = await ctx.audio().read(source.value, maxBytes);
      return { bytes: stored.bytes, declared: stored.mimeType, name: stored.filename, source: 'audio_id' };
    }
    case 'base64': {
      const decoded = decodeBase64(source.value, Math.min(maxBytes, MAX_BASE64_BYTES));
      return { ...decoded, name: source.filename, source: 'base64' };
    }
  }
}
