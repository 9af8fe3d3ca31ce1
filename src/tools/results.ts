import { z } from 'zod';
import { OutputTooLargeError } from '../errors.js';
import type { SignedAudio } from '../storage/audio-store.js';
import type { ToolResult } from './define-tool.js';

/** The fields every result that points at stored audio carries in structuredContent. */
export const storedAudioShape = {
  audio_id: z.string().describe('Id of the stored file; pass it to get_audio_url for a fresh link, or as audio_id to tools that take audio.'),
  url: z.string().describe('Presigned HTTPS download URL; anyone holding it can download the file until it expires.'),
  expires_at: z.string().describe('When the URL stops working (ISO 8601, UTC). It can stop earlier if the server\'s credentials rotate; get_audio_url re-signs.'),
  key: z.string().describe('The object\'s S3 key, under this caller\'s private prefix.'),
  mime_type: z.string(),
  bytes: z.number().int().nonnegative(),
  filename: z.string().describe('Download file name.'),
};

export function storedAudioFields(saved: SignedAudio): z.infer<z.ZodObject<typeof storedAudioShape>> {
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

/**
 * A result pointing at stored audio: a summary sentence (with the link, since many clients show the
 * model only text), a `resource_link` to the presigned URL, and the structured fields.
 */
export function audioResult<S extends Record<string, unknown>>(summary: string, saved: SignedAudio, structured: S): ToolResult<S> {
  return {
    content: [
      { type: 'text', text: `${summary}\nDownload: ${saved.url}\n(link expires ${saved.expiresAt}; audio_id ${saved.audioId})` },
      {
        type: 'resource_link',
        uri: saved.url,
        name: saved.filename,
        mimeType: saved.mimeType,
        size: saved.bytes,
        description: summary,
      },
    ],
    structuredContent: structured,
  };
}

/** A result that is data: compact text for the model plus the same facts structured. */
export function dataResult<S extends Record<string, unknown>>(text: string, structured: S): ToolResult<S> {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

/** Upper bound on one stored file: it is held in memory whole before upload. */
export const MAX_AUDIO_BYTES = 200 * 1024 * 1024;

/** Reads a web stream to the end, refusing more than `maxBytes`. */
export async function readAll(stream: ReadableStream<Uint8Array>, maxBytes = MAX_AUDIO_BYTES): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new OutputTooLargeError(maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
