// What passes over the wire between a client and the fake: requests as recorded, replies and the ways
// they can be made to fail, and the real API's error bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  /** The parsed body when it is JSON. */
  readonly json: unknown;
  /** The multipart form when it is one. */
  form(): Promise<FormData>;
}

/** A JSON object as a client sent it: the fake keeps what it does not check as it came. */
export type JsonObject = { [key: string]: unknown };

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Send a binary body chunked (no Content-Length), a few KB at a time, as the streaming endpoints do. */
  stream?: boolean;
}

export type Fault =
  | { kind: 'reply'; reply: FakeReply }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  /** Destroy the socket before answering. */
  | { kind: 'reset' }
  /** Answer 200 with a Content-Length and close the socket half-way through the body. */
  | { kind: 'truncate'; bytes?: number }
  /** Answer normally after a delay. */
  | { kind: 'delay'; ms: number }
  /** Answer 200 with the real headers and the first `bytes` of the body, then send nothing more, ever. */
  | { kind: 'stall'; bytes?: number };

/** Reads the whole request, so that routes and tests can look at its body as often as they like. */
export async function recordRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const url = new URL(req.url ?? '/', 'http://fake');
  const contentType = req.headers['content-type'] ?? '';
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    json: contentType.includes('application/json') && body.length ? parseJson(body.toString('utf8')) : undefined,
    form: () => new Response(body, { headers: { 'content-type': contentType } }).formData(),
  };
}

/** ElevenLabs' error body: `{"detail":{"status":..., "message":...}}`. */
export function detail(status: number, code: string, message: string): FakeReply {
  return { status, body: { detail: { status: code, message } } };
}

/** FastAPI's 422: `{"detail":[{"loc":[...],"msg":...,"type":...}]}`. */
export function validation(where: string, field: string, msg: string): FakeReply {
  return { status: 422, body: { detail: [{ loc: [where, ...field.split('.')], msg, type: 'value_error' }] } };
}

/** Pydantic 2's 422, as the newer endpoints send it: `{"detail":[{"type":...,"loc":[...],"msg":...,"input":...}]}`. */
export function typedValidation(where: string, field: string, msg: string, type: string): FakeReply {
  return { status: 422, body: { detail: [{ type, loc: [where, field], msg, input: null }] } };
}

/** The answer to a voice id the caller's library does not have. */
export function voiceNotFound(voiceId: string): FakeReply {
  return detail(404, 'voice_not_found', `A voice with the voice_id ${voiceId} was not found.`);
}

export function send(res: ServerResponse, reply: FakeReply): void {
  const status = reply.status ?? 200;
  if (reply.stream && (Buffer.isBuffer(reply.body) || reply.body instanceof Uint8Array)) {
    const body = Buffer.from(reply.body);
    res.writeHead(status, {
      'content-type': 'application/octet-stream',
      'transfer-encoding': 'chunked',
      ...reply.headers,
    });
    const step = (offset: number): void => {
      if (offset >= body.length) {
        res.end();
        return;
      }
      res.write(body.subarray(offset, offset + 4096), () => setImmediate(() => step(offset + 4096)));
    };
    step(0);
    return;
  }
  if (Buffer.isBuffer(reply.body) || reply.body instanceof Uint8Array) {
    res.writeHead(status, { 'content-type': 'application/octet-stream', ...reply.headers });
    res.end(reply.body);
    return;
  }
  if (typeof reply.body === 'string') {
    res.writeHead(status, { 'content-type': 'text/plain', ...reply.headers });
    res.end(reply.body);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
  res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
}

/** A reply broken as `fault` says: the first bytes and then silence (stall), or a closed socket (truncate). */
export function sendPart(
  res: ServerResponse,
  reply: FakeReply,
  fault: Extract<Fault, { kind: 'stall' | 'truncate' }>,
): void {
  const bytes = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(JSON.stringify(reply.body ?? ''));
  if (fault.kind === 'stall') {
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/octet-stream', ...reply.headers });
    res.write(bytes.subarray(0, fault.bytes ?? 1024));
    return;
  }
  const cut = fault.bytes ?? Math.floor(bytes.length / 2);
  res.writeHead(reply.status ?? 200, { ...reply.headers, 'content-length': String(bytes.length) });
  res.write(bytes.subarray(0, cut), () => res.socket?.destroy());
}

/** JSON text parsed, or undefined when it is not JSON (a body, or a multipart field that should hold JSON). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
