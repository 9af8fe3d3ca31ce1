import { z } from 'zod';
import { isTypeAllowed, MEDIA_TYPE, UPLOAD_TYPES } from '../audio/media-types.js';
import { MAX_UPLOAD_BYTES, UPLOAD_URL_TTL_SECONDS } from '../storage/file-store.js';
import { defineTool } from '../toolkit/define-tool.js';
import { formatBytes } from '../bytes.js';
import { dataResult } from '../toolkit/results.js';

const MAX_MIB = `${MAX_UPLOAD_BYTES / (1024 * 1024)} MiB`;
const DOCUMENT_UPLOAD_TYPES = UPLOAD_TYPES.filter((type) => !/^(audio|video)\//.test(type));

const input = z
  .object({
    filename: z.string().trim().min(1).max(255).describe('File name with extension, e.g. interview.mp3.'),
    content_type: z
      .string()
      .trim()
      .toLowerCase()
      .regex(MEDIA_TYPE, 'content_type must be a media type such as audio/mpeg')
      .refine(
        (type) => isTypeAllowed(type, UPLOAD_TYPES),
        `content_type must be one of ${UPLOAD_TYPES.join(', ')} (no web pages, images or scripts)`,
      )
      .describe(
        'Media type: audio/* (audio/mpeg, audio/wav...), video/* (video/mp4...), ' +
          `or for knowledge-base documents ${DOCUMENT_UPLOAD_TYPES.join(', ')}. The PUT must send exactly this ` +
          `Content-Type.`,
      ),
    bytes: z
      .number()
      .int()
      .min(1, 'bytes must be at least 1')
      .max(
        MAX_UPLOAD_BYTES,
        `bytes must be at most ${MAX_UPLOAD_BYTES} (${MAX_MIB}), the largest file this server accepts`,
      )
      .describe(`Exact file size in bytes (e.g. \`wc -c < file\`); the URL accepts only this size.`),
  })
  .strict();

const output = z.object({
  upload_url: z
    .string()
    .describe('Presigned HTTPS URL to PUT the file to. Anyone holding it can upload to it until it expires.'),
  method: z.literal('PUT'),
  headers: z
    .record(z.string(), z.string())
    .describe('Headers the PUT must send with exactly these values: they are part of the signature.'),
  audio_id: z
    .string()
    .describe(
      'Id of the file once uploaded: pass it as audio_id to tools that take a file. It exists only after the upload ' +
        'succeeded.',
    ),
  key: z.string().describe("The object's S3 key, under this caller's private prefix."),
  expires_at: z
    .string()
    .describe('When the upload URL stops working (ISO 8601, UTC). Call create_upload_url again for a new one.'),
  content_type: z.string(),
  bytes: z.number().int().describe('The exact size the upload must have.'),
  max_bytes: z.number().int().describe('The largest upload this server signs for.'),
});

export default defineTool({
  title: 'Create an upload URL',
  description:
    `Get a presigned URL to upload an audio, video or document file that is too large to pass as base64 (up to ` +
    `${MAX_MIB}), ` +
    'and the audio_id for tools that take a file. Upload: HTTP PUT of exactly `bytes` bytes with the returned ' +
    '(signed) Content-Type and Content-Length headers; ' +
    `the URL expires after ${UPLOAD_URL_TTL_SECONDS / 60} minutes. ` +
    'Free: it does not call ElevenLabs.',
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  // Every group with tools that take files brings the way to hand them large ones.
  groups: ['audio', 'speech', 'voices', 'music', 'agents'],
  async handler(args, ctx) {
    const target = await ctx
      .audio()
      .createUploadUrl({ filename: args.filename, contentType: args.content_type, bytes: args.bytes });
    const curl =
      `curl -X PUT -H ${shellQuote(`Content-Type: ${target.contentType}`)} --upload-file ` +
      `${shellQuote(args.filename)} ${shellQuote(target.url)}`;
    const text =
      `Upload URL for ${args.filename} (${formatBytes(target.bytes)}, ${target.contentType}), valid until ` +
      `${target.expiresAt}.\n` +
      `PUT the file to it with exactly these headers: Content-Type: ${target.contentType} and Content-Length: ` +
      `${target.bytes} ` +
      `(the file must be exactly ${target.bytes} bytes). For example:\n${curl}\n` +
      `Then pass audio_id ${target.audioId} to the tool that needs the file; list_audio shows it once the upload has ` +
      `finished.`;
    return dataResult(text, {
      upload_url: target.url,
      method: target.method,
      headers: { ...target.headers },
      audio_id: target.audioId,
      key: target.key,
      expires_at: target.expiresAt,
      content_type: target.contentType,
      bytes: target.bytes,
      max_bytes: MAX_UPLOAD_BYTES,
    });
  },
});

// Single quotes for a POSIX shell: the URL holds `&`, and file names may hold anything.
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
