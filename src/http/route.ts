import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  InitializeRequestSchema,
  isInitializeRequest,
  JSONRPCMessageSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { quoteForMessage } from '../errors.js';
import { isOriginAllowed, preflightHeaders } from './cors.js';

/**
 * Everything the MCP endpoint answers before (or instead of) the SDK transport: the origin policy, the
 * paths and methods a stateless server serves, and the checks where the SDK's answer is wrong for us
 * (see `../shared/reference/mcp-http.md`). What passes comes out as parsed JSON-RPC for the transport.
 */
export type Route =
  | { readonly kind: 'respond'; readonly response: Response }
  | { readonly kind: 'health' }
  | {
      readonly kind: 'mcp';
      /** The request with a normalized Accept header, ready for the transport. */
      readonly request: Request;
      readonly message: JSONRPCMessage | JSONRPCMessage[];
      readonly isBatch: boolean;
      /** Answers already decided here (requests with invalid params), to merge into the batch's answer. */
      readonly answered: readonly JSONRPCErrorResponse[];
    };

export const MCP_PATH = '/mcp';
export const HEALTH_PATH = '/health';

/** JSON-RPC batches were removed from the protocol in this version. */
const FIRST_VERSION_WITHOUT_BATCHES = '2025-06-18';
/** The spec does not bound batches; the SDK refuses more than this many messages, and so do we. */
const MAX_BATCH_SIZE = 100;
/** Nesting deeper than this is no MCP message; refusing it keeps validation off deep recursion. */
const MAX_JSON_DEPTH = 64;

/** JSON-RPC's implementation-defined server error, which the SDK also uses for transport-level refusals. */
const SERVER_ERROR = -32000;

const STATELESS_NOTE =
  'This MCP server is stateless: it answers JSON-RPC over POST only, with no SSE stream and no sessions.';

export function routeRequest(request: Request, body: Uint8Array | undefined, allowedOrigins: readonly string[]): Route {
  const origin = request.headers.get('origin');
  if (!isOriginAllowed(origin, allowedOrigins, request.headers.get('host'))) {
    return respond(
      jsonRpcError(403, SERVER_ERROR, `Origin ${quoteForMessage(origin ?? '')} is not allowed to call this server. Its operator can list it in ALLOWED_ORIGINS.`),
    );
  }
  if (request.method === 'OPTIONS') {
    return respond(new Response(null, { status: 204, headers: preflightHeaders(origin) }));
  }

  const path = new URL(request.url).pathname.replace(/\/+$/, '') || '/';
  if (path === HEALTH_PATH) {
    if (request.method === 'GET' || request.method === 'HEAD') return { kind: 'health' };
    return respond(plainError(405, 'Use GET /health.', { allow: 'GET, HEAD, OPTIONS' }));
  }
  if (path !== MCP_PATH) {
    return respond(plainError(404, `No such path. The MCP endpoint is POST ${MCP_PATH}; health is GET ${HEALTH_PATH}.`));
  }
  if (request.method !== 'POST') {
    // Answered here and at once: the SDK's stateless transport would open an SSE stream for GET that
    // never closes, and a buffered Function URL would hang on it until the Lambda timeout.
    return respond(jsonRpcError(405, SERVER_ERROR, STATELESS_NOTE, { allow: 'POST' }));
  }
  return routeMcpPost(request, body);
}

function routeMcpPost(request: Request, body: Uint8Array | undefined): Route {
  if (!isJsonContentType(request.headers.get('content-type'))) {
    return respond(jsonRpcError(415, SERVER_ERROR, 'Unsupported Media Type: send the JSON-RPC message with Content-Type: application/json.'));
  }
  const accept = normalizeAccept(request.headers.get('accept'));
  if (accept === undefined) {
    return respond(jsonRpcError(406, SERVER_ERROR, 'Not Acceptable: this server answers application/json; send Accept: application/json, text/event-stream.'));
  }

  const parsed = parseJson(body);
  if (!parsed.ok) return respond(jsonRpcError(400, ErrorCode.ParseError, `Parse error: ${parsed.problem}`));
  const raw = parsed.value;

  const version = request.headers.get('mcp-protocol-version');
  const isBatch = Array.isArray(raw);
  const items: unknown[] = isBatch ? raw : [raw];
  const loneInitialize = !isBatch && isInitializeRequest(raw);
  if (version !== null && !loneInitialize && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    return respond(
      jsonRpcError(400, ErrorCode.InvalidRequest, `Bad Request: unsupported MCP-Protocol-Version ${quoteForMessage(version)} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}).`),
    );
  }
  if (isBatch) {
    const problem = batchProblem(items, version);
    if (problem) return respond(jsonRpcError(400, ErrorCode.InvalidRequest, `Invalid Request: ${problem}`));
  }

  const messages: JSONRPCMessage[] = [];
  for (const [index, item] of items.entries()) {
    const result = JSONRPCMessageSchema.safeParse(item);
    if (!result.success) {
      const where = isBatch ? ` (batch item ${index})` : '';
      return respond(jsonRpcError(400, ErrorCode.InvalidRequest, `Invalid Request${where}: ${describeInvalidMessage(item)}`, {}, idOf(item)));
    }
    messages.push(result.data);
  }

  // The SDK answers a request whose params fail its schema with -32603 and a dump of zod issues; the
  // right answer is -32602 with a sentence, so the methods we serve are checked here with its schemas.
  const answered = messages.flatMap(invalidParams);
  const forwarded = messages.filter((message) => !answered.some((error) => 'id' in message && error.id === message.id));
  if (forwarded.length === 0) return respond(Response.json(isBatch ? answered : answered[0]));

  const headers = new Headers(request.headers);
  headers.set('accept', accept);
  return {
    kind: 'mcp',
    request: new Request(request.url, { method: 'POST', headers }),
    message: isBatch ? forwarded : forwarded[0]!,
    isBatch,
    answered,
  };
}

const PARAMS_SCHEMAS: Record<string, z.ZodType> = {
  initialize: InitializeRequestSchema,
  ping: PingRequestSchema,
  'tools/list': ListToolsRequestSchema,
  'tools/call': CallToolRequestSchema,
};

function invalidParams(message: JSONRPCMessage): JSONRPCErrorResponse[] {
  if (!('method' in message) || !('id' in message)) return [];
  const schema = PARAMS_SCHEMAS[message.method];
  const result = schema?.safeParse(message);
  if (!result || result.success) return [];
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`)
    .join('; ');
  return [{ jsonrpc: '2.0', id: message.id, error: { code: ErrorCode.InvalidParams, message: `Invalid params for ${message.method}: ${issues}` } }];
}

function batchProblem(items: unknown[], version: string | null): string | undefined {
  if (items.length === 0) return 'an empty batch is not a JSON-RPC request.';
  if (version !== null && version >= FIRST_VERSION_WITHOUT_BATCHES) {
    return `JSON-RPC batches are not part of MCP ${version}; send one message per POST.`;
  }
  if (items.length > MAX_BATCH_SIZE) return `a batch may hold at most ${MAX_BATCH_SIZE} messages.`;
  if (items.some((item) => isInitializeRequest(item))) return 'initialize must be sent on its own, not in a batch.';
  return undefined;
}

/**
 * curl and many scripts send no Accept or `*\/*`. We only ever answer JSON, so anything that admits
 * JSON is accepted and rewritten into what the SDK transport insists on.
 */
function normalizeAccept(accept: string | null): string | undefined {
  const admitsJson =
    accept === null ||
    accept.trim() === '' ||
    accept
      .split(',')
      .map((part) => part.split(';')[0]!.trim().toLowerCase())
      .some((type) => type === 'application/json' || type === 'application/*' || type === '*/*');
  return admitsJson ? 'application/json, text/event-stream' : undefined;
}

type Parsed = { ok: true; value: unknown } | { ok: false; problem: string };

function parseJson(body: Uint8Array | undefined): Parsed {
  if (body === undefined || body.byteLength === 0) return { ok: false, problem: 'the request body is empty; send one JSON-RPC message.' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, problem: 'the request body is not valid UTF-8.' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the request body is not valid JSON.' };
  }
  if (depthExceeds(value, MAX_JSON_DEPTH)) return { ok: false, problem: `JSON nested deeper than ${MAX_JSON_DEPTH} levels.` };
  return { ok: true, value };
}

function depthExceeds(root: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

function describeInvalidMessage(item: unknown): string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'each message must be a JSON object.';
  const message = item as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return 'the "jsonrpc" member must be "2.0".';
  if ('method' in message && typeof message.method !== 'string') return 'the "method" member must be a string.';
  if ('id' in message && !(typeof message.id === 'string' || Number.isInteger(message.id))) {
    return 'the "id" member must be a string or an integer.';
  }
  if ('params' in message && (typeof message.params !== 'object' || message.params === null || Array.isArray(message.params))) {
    return 'the "params" member must be an object.';
  }
  if (!('method' in message) && !('result' in message) && !('error' in message)) {
    return 'a message needs a "method" (request or notification), or a "result" or "error" (response).';
  }
  return 'the message is not a valid JSON-RPC 2.0 request, notification or response.';
}

function idOf(item: unknown): string | number | null {
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id)) ? id : null;
}

function respond(response: Response): Route {
  return { kind: 'respond', response };
}

/** A JSON-RPC error response outside any exchange the SDK handles. */
export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  id: string | number | null = null,
): Response {
  return Response.json({ jsonrpc: '2.0', id, error: { code, message } }, { status, headers });
}

function plainError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: message }, { status, headers });
}
