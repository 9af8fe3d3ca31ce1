import {
  createMcpHandler,
  isJsonContentType,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/server';
import { quoteForMessage } from '../errors/index.js';
import type { Runtime } from '../runtime.js';
import { ToolSelectionError, type ToolView } from './catalog.js';
import {
  describeMessages,
  errorAnswer,
  idOf,
  invalidMessageProblem,
  invalidParams,
  jsonRpcError,
  parseBody,
  type ErrorAnswer,
} from './json-rpc.js';
import {
  BATCH_VERSION,
  LEGACY_PROTOCOL_VERSIONS,
  MODERN_PROTOCOL_VERSION,
  PROTOCOL_VERSIONS,
  VERSION_WITHOUT_HEADER,
} from './protocol-versions.js';
import { withinAnswerBudget } from './answer-budget.js';
import { createMcpServer } from './server-factory.js';
import type { Invocation } from './tool-context.js';
import { ToolListCache } from './tool-list-cache.js';

/** A request header narrowing the tools offered, e.g. `x-elevenlabs-tools: tts,voices`. */
export const TOOLS_HEADER = 'x-elevenlabs-tools';

/** One POST to the MCP path, answered: everything JSON-RPC about it happens in here. */
export type McpEndpoint = (request: Request, invocation: Invocation) => Promise<Response>;

/** JSON-RPC's implementation-defined server error, which the SDK also uses for transport-level refusals. */
const SERVER_ERROR = -32000;
const INVALID_REQUEST = -32600;
const PARSE_ERROR = -32700;
/** MCP 2026-07-28's UnsupportedProtocolVersion, also used for 2025-era requests naming a version we lack. */
const UNSUPPORTED_PROTOCOL_VERSION = -32022;
/** The SDK's transport refuses larger batches; the protocol sets no bound. */
const MAX_BATCH_SIZE = 100;

/**
 * The MCP endpoint, a web-standard `(Request) => Response` on the SDK: it decides which protocol era a
 * request speaks, validates it, builds the MCP server for this caller and shapes the answer.
 *
 * - 2026-07-28 requests (per-request `_meta`, no initialize) go to the SDK's `createMcpHandler`, which
 *   owns that revision's rules: `server/discover`, the standard headers and their errors, `resultType`,
 *   server info in `_meta`, cache fields.
 * - 2025-era requests (initialize handshakes of 2024-11-05 to 2025-11-25, 2025-03-26 batches) go to the
 *   SDK's stateless transport in JSON mode, as the SDK's `isLegacyRequest` routing recipe describes:
 *   the SDK's own stateless fallback answers with SSE, which a buffered Function URL cannot stream.
 *   What the transport answers wrongly for us is corrected here, each case with its test: -32600 (not
 *   -32700) for a message that is no JSON-RPC, errors carrying the request's id, arrays for one-element
 *   batches, every answer of a batch with duplicate ids.
 * - Every answer fits what a Function URL can return (answer-budget.ts).
 */
export function createMcpEndpoint(runtime: Runtime): McpEndpoint {
  const toolLists = new ToolListCache();
  return async (request, invocation) => {
    if (!isJsonContentType(request.headers.get('content-type'))) {
      return jsonRpcError(
        415,
        SERVER_ERROR,
        'Unsupported Media Type: send the JSON-RPC message with Content-Type: application/json.',
      );
    }
    const accept = normalizeAccept(request.headers.get('accept'));
    if (accept === undefined) {
      return jsonRpcError(
        406,
        SERVER_ERROR,
        'Not Acceptable: this server answers application/json; send Accept: application/json, text/event-stream.',
      );
    }
    const body = parseBody(await request.arrayBuffer());
    if (!body.ok) return jsonRpcError(400, PARSE_ERROR, `Parse error: ${body.problem}`);

    const messages = Array.isArray(body.value) ? (body.value as unknown[]) : [body.value];
    invocation.trace.rpc = messages.flatMap((m) =>
      typeof (m as { method?: unknown })?.method === 'string' ? [(m as { method: string }).method] : [],
    );
    if (isDebugLogged(runtime)) runtime.logger.debug('mcp request', { messages: describeMessages(messages) });

    let tools: ToolView;
    try {
      tools = runtime.catalog.view(request.headers.get(TOOLS_HEADER));
    } catch (error) {
      if (!(error instanceof ToolSelectionError)) throw error;
      return jsonRpcError(400, INVALID_REQUEST, `Invalid ${TOOLS_HEADER} header: ${error.message}`, {
        id: idOf(body.value),
      });
    }

    const headers = new Headers(request.headers);
    headers.set('accept', accept);
    const forward = new Request(request.url, { method: 'POST', headers, signal: request.signal });
    const listing = isLoneToolsList(body.value) ? toolLists.listing(tools, invocation) : undefined;
    const post = { request: forward, body: body.value, tools: listing?.view ?? tools, runtime, invocation };
    const response = await serve(post);
    if (!response.headers.get('content-type')?.includes('application/json')) return response;
    const text = await response.text();
    const answer = withinAnswerBudget(listing ? listing.complete(response.status, text) : text);
    return new Response(answer, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** One POST on its way to the SDK: the request, its parsed body, the tools it may see, and whose call it is. */
interface McpPost {
  readonly request: Request;
  readonly body: unknown;
  readonly tools: ToolView;
  readonly runtime: Runtime;
  readonly invocation: Invocation;
}

/**
 * Batches exist in the 2025 era only; a lone message goes where the SDK classifies it (per-request
 * `_meta` or not). Params are checked here for the 2025 era only: on 2026-07-28 the SDK's ladder of checks
 * (envelope, headers, methods that revision removed) comes first, and it answers bad params itself.
 */
async function serve(post: McpPost): Promise<Response> {
  if (Array.isArray(post.body)) return serveLegacy(post);
  const problem = invalidMessageProblem(post.body);
  if (problem) return jsonRpcError(400, INVALID_REQUEST, `Invalid Request: ${problem}`, { id: idOf(post.body) });
  return (await isLegacyRequest(post.request, post.body)) ? serveLegacy(post) : serveModern(post);
}

function serveModern({ request, body, tools, runtime, invocation }: McpPost): Promise<Response> {
  invocation.trace.protocolVersion = MODERN_PROTOCOL_VERSION;
  // Built per request: its factory closes over this caller's invocation, and nothing of it outlives the answer.
  const handler = createMcpHandler(() => createMcpServer(runtime, invocation, tools, MODERN_PROTOCOL_VERSION), {
    legacy: 'reject',
    onerror: (error) => runtime.logger.debug('mcp request refused', { reason: error.message.slice(0, 300) }),
  });
  return handler.fetch(request, { parsedBody: body });
}

async function serveLegacy({ request, body, tools, runtime, invocation }: McpPost): Promise<Response> {
  const isBatch = Array.isArray(body);
  const items: unknown[] = isBatch ? body : [body];
  const headerVersion = request.headers.get('mcp-protocol-version');
  const loneInitialize = !isBatch && isInitialize(body);

  if (headerVersion !== null && !loneInitialize && !LEGACY_PROTOCOL_VERSIONS.includes(headerVersion)) {
    return jsonRpcError(
      400,
      UNSUPPORTED_PROTOCOL_VERSION,
      `Unsupported MCP-Protocol-Version ${quoteForMessage(headerVersion)}; this server speaks ` +
        `${PROTOCOL_VERSIONS.join(', ')}.`,
      { id: isBatch ? null : idOf(body), data: { supported: PROTOCOL_VERSIONS, requested: headerVersion } },
    );
  }
  const version = loneInitialize
    ? negotiate((body as { params?: { protocolVersion?: unknown } }).params?.protocolVersion)
    : (headerVersion ?? VERSION_WITHOUT_HEADER);
  invocation.trace.protocolVersion = version;

  if (isBatch) {
    const problem = batchProblem(items, version);
    if (problem) return jsonRpcError(400, INVALID_REQUEST, `Invalid Request: ${problem}`);
  }
  if (isBatch) {
    for (const [index, item] of items.entries()) {
      const problem = invalidMessageProblem(item);
      if (problem)
        return jsonRpcError(400, INVALID_REQUEST, `Invalid Request (batch item ${index}): ${problem}`, {
          id: idOf(item),
        });
    }
  }
  const messages = items as JSONRPCMessage[];
  // Requests refused for their params are answered here; the rest of a batch goes on.
  const refused = messages.flatMap((message) => invalidParams(message) ?? []);
  const pending = messages.filter((message) => !refused.some((answer) => 'id' in message && answer.id === message.id));
  if (pending.length === 0) return Response.json(isBatch ? refused : refused[0]);

  // The transport pairs answers with requests by id: in a batch, each request travels under its position
  // and gets its own id back, so two requests that share an id still get an answer each.
  const originalIds: RequestId[] = [];
  const forwarded = isBatch
    ? pending.map((message) =>
        'method' in message && 'id' in message ? { ...message, id: originalIds.push(message.id) - 1 } : message,
      )
    : pending[0]!;

  const server = createMcpServer(runtime, invocation, tools, version);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  try {
    await server.connect(transport);
    const response = await transport.handleRequest(request, { parsedBody: forwarded });
    return isBatch ? await asBatchAnswer(response, originalIds, refused) : await withRequestId(response, idOf(body));
  } finally {
    await server.close();
  }
}

function isLoneToolsList(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    !Array.isArray(message) &&
    (message as { method?: unknown }).method === 'tools/list'
  );
}

function isDebugLogged(runtime: Runtime): boolean {
  const level = runtime.logger.getLevelName();
  return level === 'DEBUG' || level === 'TRACE';
}

function isInitialize(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'initialize';
}

/** The version an initialize asked for if we speak it, else our newest of that era (negotiation, not an error). */
function negotiate(requested: unknown): string {
  return typeof requested === 'string' && LEGACY_PROTOCOL_VERSIONS.includes(requested)
    ? requested
    : LEGACY_PROTOCOL_VERSIONS[0]!;
}

function batchProblem(items: unknown[], version: string): string | undefined {
  if (items.length === 0) return 'an empty batch is not a JSON-RPC request.';
  if (version !== BATCH_VERSION)
    return `JSON-RPC batches are part of MCP ${BATCH_VERSION} only, not ${version}; send one message per POST.`;
  if (items.length > MAX_BATCH_SIZE) return `a batch may hold at most ${MAX_BATCH_SIZE} messages.`;
  if (items.some(isInitialize)) return 'initialize must be sent on its own, not in a batch.';
  return undefined;
}

/**
 * A batch's answer: always an array (the transport answers a one-request batch with a bare object),
 * each answer under its request's own id again.
 */
async function asBatchAnswer(
  response: Response,
  originalIds: readonly RequestId[],
  refused: readonly ErrorAnswer[],
): Promise<Response> {
  const isJson = response.status === 200 && response.headers.get('content-type')?.includes('application/json');
  if (!isJson && refused.length === 0) return response;
  const body: unknown = isJson ? await response.json() : [];
  const answers = (Array.isArray(body) ? body : [body]).map((answer: { id?: unknown }) =>
    typeof answer.id === 'number' && answer.id < originalIds.length
      ? { ...answer, id: originalIds[answer.id] }
      : answer,
  );
  return Response.json([...answers, ...refused], {
    status: 200,
    headers: isJson ? response.headers : { 'content-type': 'application/json' },
  });
}

/**
 * A transport-level refusal of a single request, answered with `id: null`, gets the request's id when it was
 * readable.
 */
async function withRequestId(response: Response, id: RequestId | null): Promise<Response> {
  if (response.status < 400 || id === null || !response.headers.get('content-type')?.includes('application/json'))
    return response;
  const body = (await response.json()) as ErrorAnswer;
  return Response.json(errorAnswer(id, body.error), { status: response.status, headers: response.headers });
}

/**
 * curl and many scripts send no Accept or `*\/*`. We only ever answer JSON, so anything that admits
 * JSON is accepted and rewritten into what the SDK transports insist on.
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
