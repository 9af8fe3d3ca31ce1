import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { API_KEY_HEADER } from '../errors/index.js';
import { readCredential, type Credential } from '../caller.js';

/** What the rest of the pipeline needs from a Function URL event. */
export interface ParsedEvent {
  /** A web Request with the caller's key headers removed: the key travels only in `credential`. */
  readonly request: Request;
  readonly credential: Credential;
}

/** The event could not be turned into a request at all (e.g. a body flagged base64 that is not). */
export class MalformedEventError extends Error {
  override name = 'MalformedEventError';
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Function URL event (payload 2.0) -> web Request + the caller's credential. Also accepts the HTTP API
 * payload 2.0 events that `sam local start-api` produces, which share the shape.
 */
export function parseFunctionUrlEvent(event: LambdaFunctionURLEvent): ParsedEvent {
  const http = event.requestContext?.http;
  const method = (http?.method ?? 'GET').toUpperCase();
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value === undefined) continue;
    // Header values reach us from the internet: one with a control character cannot be represented by
    // `Headers` and is dropped rather than failing the whole request.
    try {
      headers.set(name, value);
    } catch {
      // Dropped, as said above.
    }
  }
  // Function URLs move the Cookie header into `cookies[]`; put it back for anyone reading headers.
  if (event.cookies?.length) headers.set('cookie', event.cookies.join('; '));

  const credential = readCredential(headers);
  headers.delete(API_KEY_HEADER);
  headers.delete('authorization');

  const body = decodeBody(event);
  const url = requestUrl(event, headers.get('host'));

  const request = new Request(url, {
    method,
    headers,
    body: body !== undefined && method !== 'GET' && method !== 'HEAD' ? body : undefined,
  });
  return { request, credential };
}

function requestUrl(event: LambdaFunctionURLEvent, hostHeader: string | null): URL {
  const path = event.rawPath || event.requestContext?.http?.path || '/';
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const target = `${path.startsWith('/') ? path : `/${path}`}${query}`;
  // The Host header is the client's to write; a value that is no host name must not break parsing.
  for (const host of [hostHeader, event.requestContext?.domainName, 'localhost']) {
    if (!host) continue;
    try {
      return new URL(`https://${host}${target}`);
    } catch {
      // Not a host name: the next candidate.
    }
  }
  return new URL('https://localhost/');
}

function decodeBody(event: LambdaFunctionURLEvent): Uint8Array<ArrayBuffer> | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  if (!event.isBase64Encoded) return new TextEncoder().encode(event.body);
  const compact = event.body.replace(/\s+/g, '');
  if (!BASE64.test(compact))
    throw new MalformedEventError('The request body is flagged as base64 but is not valid base64.');
  return new Uint8Array(Buffer.from(compact, 'base64'));
}
