import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { UpstreamContext } from '../errors/index.js';
import { UpstreamUnavailableError } from '../errors/index.js';
import type { ToolContext } from './define-tool.js';
import { billedCharacters, readAll } from './results.js';

/** What `.withRawResponse()` of a binary SDK call resolves to. */
interface RawAudio {
  readonly data: ReadableStream<Uint8Array>;
  readonly rawResponse: { readonly headers: Headers };
}

export interface GeneratedAudio {
  readonly bytes: Uint8Array;
  readonly headers: Headers;
  readonly charactersBilled: number | undefined;
}

/**
 * Runs a binary ElevenLabs call (`(client) => client.x.convert(...).withRawResponse()`) and reads the
 * audio whole, refusing an empty answer; the characters billed go to the request's log line.
 */
export async function generateAudio(
  ctx: ToolContext,
  call: (client: ElevenLabsClient) => Promise<RawAudio>,
  context?: UpstreamContext,
): Promise<GeneratedAudio> {
  const { bytes, headers } = await ctx.elevenlabs(async (client) => {
    const { data, rawResponse } = await call(client);
    return { bytes: await readAll(data), headers: rawResponse.headers };
  }, context);
  if (bytes.byteLength === 0) throw new UpstreamUnavailableError('it answered with no audio');
  const charactersBilled = billedCharacters(headers);
  ctx.note({ charactersBilled });
  return { bytes, headers, charactersBilled };
}

/** How a file input travels in an SDK multipart request: with its name and type, not as a bare "blob". */
export function uploadable(file: {
  readonly bytes: Uint8Array;
  readonly filename: string;
  readonly mimeType: string;
}): { data: Uint8Array; filename: string; contentType: string } {
  return { data: file.bytes, filename: file.filename, contentType: file.mimeType };
}
