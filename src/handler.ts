import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage, type JSONRPCRequest, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { deadlineFrom } from './elevenlabs/client.js';
import { isOriginAllowed, withCors } from './http/cors.js';
import { MalformedEventError, parseFunctionUrlEvent, type ParsedEvent } from './http/event-parser.js';
import { toFunctionUrlResult, type FunctionUrlResult } from './http/response-builder.js';
import { jsonRpcError, routeRequest, type Route } from './http/route.js';
import { ToolSelectionError, type ToolView } from './mcp/catalog.js';
import { createMcpServer } from './mcp/server-factory.js';
import type { RequestTrace } from './mcp/tool-context.js';
import { oauthStep } from './oauth/index.js';
import { createRuntime, type Runtime } from './runtime.js';
import { SERVER_NAME, VERSION } from './version.js';

/** A request header narrowing the tools offered, e.g. `x-elevenlabs-tools: tts,voices`. */
export const TOOLS_HEADER = 'x-elevenlabs-tools';

/** The part of the Lambda context the handler uses; the local server provides the same. */
export type InvocationContext = Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>;

export type FunctionUrlHandler = (event: LambdaFunctionURLEvent, context: InvocationContext) => Promise<FunctionUrlResult>;

/**
 * One HTTP request, top to bottom: Function URL event -> web Request and the caller's credential ->
 * the HTTP checks a stateless server answers itself -> a fresh MCP server for this caller behind the
 * SDK's stateless JSON transport (a lone tools/list is answered from the catalog's JSON text) ->
 * Function URL result, and one log line.
 */
export function createHandler(runtime: Runtime): FunctionUrlHandler {
  return async (event, context) => {
    const started = performance.now();
    const trace: RequestTrace = {};
    let parsed: ParsedEvent | undefined;
    let route: Route | undefined;
    let response: Response;
    try {
      parsed = parseFunctionUrlEvent(event);
      // OAuth (issue 10, src/oauth): its endpoints, the 401 without a credential, our bearer tokens unsealed.
      const oauth = await oauthStep(parsed.request, parsed.credential, runtime.oauth, runtime.config);
      parsed = oauth.kind === 'continue' ? { ...parsed, credential: oauth.credential } : parsed;
      route = oauth.kind === 'respond' ? { kind: 'respond', response: oauth.response } : routeRequest(parsed.request, parsed.body, runtime.config.allowedOrigins);
      response =
        route.kind === 'respond'
          ? route.response
          : route.kind === 'health'
            ? healthResponse(runtime)
            : await answerMcp(route, parsed, context, runtime, trace);
    } catch (error) {
      response = failureResponse(error, route, runtime);
    }
    response = withCors(response, allowedOrigin(parsed, runtime));
    const result = await toFunctionUrlResult(response);
    logRequest(runtime, event, context, parsed, route, result.statusCode ?? 200, trace, performance.now() - started);
    return result;
  };
}

async function answerMcp(
  route: Extract<Route, { kind: 'mcp' }>,
  parsed: ParsedEvent,
  context: InvocationContext,
  runtime: Runtime,
  trace: RequestTrace,
): Promise<Response> {
  let tools: ToolView;
  try {
    tools = runtime.catalog.view(route.request.headers.get(TOOLS_HEADER));
  } catch (error) {
    if (!(error instanceof ToolSelectionError)) throw error;
    return jsonRpcError(400, -32600, `Invalid ${TOOLS_HEADER} header: ${error.message}`);
  }
  if (runtime.logger.getLevelName() === 'DEBUG' || runtime.logger.getLevelName() === 'TRACE') {
    runtime.logger.debug('mcp request', { headers: [...route.request.headers.keys()], messages: describeMessages(route.message) });
  }
  if (!Array.isArray(route.message) && isToolsList(route.message)) return toolsListAnswer(route.message.id, tools);
  const server = createMcpServer(
    runtime,
    { credential: parsed.credential, deadline: deadlineFrom(context.getRemainingTimeInMillis()), trace },
    tools,
  );
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  try {
    await server.connect(transport);
    const response = await transport.handleRequest(route.request, { parsedBody: route.message });
    return route.isBatch ? asBatchResponse(response, route.answered) : response;
  } finally {
    await server.close();
  }
}

function isToolsList(message: JSONRPCMessage): message is JSONRPCRequest {
  return 'method' in message && message.method === 'tools/list' && 'id' in message;
}

/**
 * tools/list, which every session starts with, answered with the view's JSON text: serializing the same
 * 100 KB result on every call was half the time of a warm tools/list. The route has made every check the
 * transport would, so the transport's answer could only be this one, byte for byte (a unit test compares
 * the two for every kind of id, params and tool selection).
 */
function toolsListAnswer(id: RequestId, tools: ToolView): Response {
  return new Response(`{"result":${tools.listJson()},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`, {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}

/** The request's Origin when CORS headers should answer it: present and allowed. */
function allowedOrigin(parsed: ParsedEvent | undefined, runtime: Runtime): string | null {
  const origin = parsed?.request.headers.get('origin') ?? null;
  const host = parsed?.request.headers.get('host') ?? null;
  return origin !== null && isOriginAllowed(origin, runtime.config.allowedOrigins, host) ? origin : null;
}

/**
 * The SDK answers a one-request batch with a bare object; JSON-RPC wants an array back for any batch,
 * holding also the answers the route already gave (requests with invalid params).
 */
async function asBatchResponse(response: Response, answered: readonly JSONRPCMessage[]): Promise<Response> {
  const isJson = response.status === 200 && response.headers.get('content-type')?.includes('application/json');
  if (!isJson && answered.length === 0) return response;
  const body: unknown = isJson ? await response.json() : [];
  const answers = [...(Array.isArray(body) ? body : [body]), ...answered];
  return Response.json(answers, { status: 200, headers: isJson ? response.headers : { 'content-type': 'application/json' } });
}

function healthResponse(runtime: Runtime): Response {
  return Response.json(
    {
      status: 'ok',
      name: SERVER_NAME,
      version: VERSION,
      protocolVersions: SUPPORTED_PROTOCOL_VERSIONS,
      latestProtocolVersion: LATEST_PROTOCOL_VERSION,
      transport: 'streamable-http, stateless, JSON responses (POST /mcp)',
      tools: runtime.catalog.size,
      storage: runtime.config.audioBucket ? 'configured' : 'not configured',
    },
    { headers: { 'cache-control': 'no-store' } },
  );
}

/**
 * Nothing reaches here in normal operation (tool failures are results, bad HTTP is answered by the
 * route). If something does, the client still gets a well-formed answer, and never a stack trace.
 */
function failureResponse(error: unknown, route: Route | undefined, runtime: Runtime): Response {
  if (error instanceof MalformedEventError) return jsonRpcError(400, -32700, `Parse error: ${error.message}`);
  runtime.logger.error('request failed unexpectedly', {
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
  const ids = route?.kind === 'mcp' ? requestIds(route.message) : [];
  if (ids.length === 0) return jsonRpcError(400, -32603, 'Internal error: the request could not be processed.');
  const errors = ids.map((id) => ({ jsonrpc: '2.0', id, error: { code: -32603, message: 'Internal error in this server; the failure has been logged. Try again.' } }));
  return Response.json(route?.kind === 'mcp' && route.isBatch ? errors : errors[0]);
}

/** For debug logs: methods, ids, tool names and argument names, never argument values (text, keys, URLs). */
function describeMessages(message: JSONRPCMessage | JSONRPCMessage[]): Array<Record<string, unknown>> {
  return (Array.isArray(message) ? message : [message]).map((m) => {
    const params = 'params' in m && m.params ? (m.params as { name?: unknown; arguments?: unknown }) : undefined;
    return {
      ...('id' in m ? { id: m.id } : {}),
      ...('method' in m ? { method: m.method } : { response: true }),
      ...(typeof params?.name === 'string' ? { tool: params.name } : {}),
      ...(params?.arguments && typeof params.arguments === 'object' ? { arguments: Object.keys(params.arguments) } : {}),
    };
  });
}

function requestIds(message: JSONRPCMessage | JSONRPCMessage[]): Array<string | number> {
  return (Array.isArray(message) ? message : [message]).flatMap((m) => ('id' in m && 'method' in m ? [m.id] : []));
}

/** One line per request. Never the key (it is not in any of these fields), the text, or a URL's signature. */
function logRequest(
  runtime: Runtime,
  event: LambdaFunctionURLEvent,
  context: InvocationContext,
  parsed: ParsedEvent | undefined,
  route: Route | undefined,
  status: number,
  trace: RequestTrace,
  durationMs: number,
): void {
  const messages = route?.kind === 'mcp' ? (Array.isArray(route.message) ? route.message : [route.message]) : [];
  runtime.logger.info('request', {
    requestId: context.awsRequestId,
    httpMethod: event.requestContext?.http?.method,
    path: event.rawPath,
    status,
    durationMs: Math.round(durationMs * 10) / 10,
    rpc: messages.flatMap((m) => ('method' in m ? [m.method] : [])),
    tool: trace.tool,
    caller: parsed?.credential.kind === 'present' ? parsed.credential.callerId.slice(0, 12) : parsed?.credential.kind,
    upstreamStatus: trace.upstreamStatus,
    charactersBilled: trace.charactersBilled,
    ...trace.error,
  });
}

const runtime = createRuntime(process.env);

/** The Lambda entry point (`handler.handler` in template.yaml). */
export const handler: FunctionUrlHandler = createHandler(runtime);
