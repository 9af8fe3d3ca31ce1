import { InputTooLargeError, InvalidArgumentsError } from '../errors/index.js';

/**
 * Inline base64 input, decoded strictly (one alphabet, whitespace ignored, correct padding): Buffer.from
 * would silently decode a truncated or mangled string into different bytes. A data: URL is accepted, and
 * its media type kept.
 */

/** The bytes of a base64 input, and the type its data: URL stated, if it was one. */
export interface DecodedBase64 {
  readonly bytes: Uint8Array;
  readonly declared: string | undefined;
}

/** Decodes `text`, refusing more than `maxBytes` of file; errors tell the model how to send the file instead. */
export function decodeBase64(text: string, maxBytes: number): DecodedBase64 {
  const { body, declared } = stripDataUrl(text);
  const compact = body.replace(/\s+/g, '');
  if (compact === '') throw new InvalidArgumentsError('base64 is empty.');
  const unpadded = compact.replace(/={1,2}$/, '');
  const valid =
    (/^[A-Za-z0-9+/]+$/.test(unpadded) || /^[A-Za-z0-9_-]+$/.test(unpadded)) &&
    unpadded.length % 4 !== 1 &&
    (unpadded.length === compact.length || compact.length % 4 === 0);
  if (!valid)
    throw new InvalidArgumentsError(
      'base64 is not valid base64: it has characters outside the base64 alphabet, or it was cut short. Send the ' +
        'whole file, base64-encoded.',
    );
  if (Math.floor((unpadded.length * 3) / 4) > maxBytes) {
    throw new InputTooLargeError(
      maxBytes,
      'For a larger file, call create_upload_url, upload the file to the URL it returns, then pass its audio_id.',
    );
  }
  return { bytes: Buffer.from(unpadded, 'base64'), declared };
}

/** The base64 text of a data: URL and its media type; any other text as it is. */
function stripDataUrl(text: string): { body: string; declared: string | undefined } {
  if (!/^\s*data:/i.test(text)) return { body: text, declared: undefined };
  const header = /^\s*data:([^;,]*)((?:;[^;,]*)*),/i.exec(text.slice(0, 300));
  if (!header || !/;base64$/i.test(header[2]!))
    throw new InvalidArgumentsError(
      "base64 holds a data: URL that is not base64-encoded; send the file's bytes base64-encoded.",
    );
  return { body: text.slice(header[0].length), declared: header[1]?.trim() || undefined };
}
