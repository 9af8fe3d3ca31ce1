import type { IncomingMessage } from 'node:http';
import { InputFetchError, InputTooLargeError } from '../errors/index.js';
import { readBounded } from './read-bounded.js';

/**
 * Reads a successful response's body, refusing it as soon as it is known to exceed `maxBytes` (declared
 * or counted) and failing when fewer bytes arrive than Content-Length promised. `onChunk` runs per chunk.
 */
export async function readBody(response: IncomingMessage, maxBytes: number, onChunk: () => void): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new InputTooLargeError(maxBytes);
  }
  const bytes = await readBounded(response, maxBytes, () => new InputTooLargeError(maxBytes), onChunk);
  if (Number.isFinite(declared) && bytes.byteLength < declared) {
    throw new InputFetchError('the connection closed before the whole file arrived', { retryable: true });
  }
  return bytes;
}

/** Why a status that is neither success nor redirect failed the download, in the caller's terms. */
export function describeStatus(status: number): string {
  if (status === 401 || status === 403)
    return `the server refused access (HTTP ${status}); the link may need a login or may have expired`;
  if (status === 404 || status === 410) return `nothing is there (HTTP ${status})`;
  return `the server answered HTTP ${status}`;
}

/** The media type without parameters, lower-case; undefined when the header is absent or empty. */
export function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

/** The file name a download goes by: Content-Disposition's, else the last path segment of its URL. */
export function downloadFilename(header: string | undefined, url: URL): string | undefined {
  return dispositionFilename(header) ?? lastPathSegment(url);
}

function dispositionFilename(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended) return safeDecode(extended[1]!.trim());
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;\s]+)/.exec(header);
  return plain ? (plain[1] ?? plain[2]) || undefined : undefined;
}

function lastPathSegment(url: URL): string | undefined {
  const segment = url.pathname.split('/').filter(Boolean).at(-1);
  return segment ? safeDecode(segment) : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
