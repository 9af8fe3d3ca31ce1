import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { deadlineFrom } from './net/deadline.js';
import { isOriginAllowed, withCors } from './http/cors.js';
import { MalformedEventError, parseFunctionUrlEvent, type ParsedEvent } from './http/event-parser.js';
import { routeHttp } from './http/policy.js';
import { toFunctionUrlResult, type FunctionUrlResult } from './http/response-builder.js';
import { createMcpEndpoint, type McpEndpoint } from './mcp/endpoint.js';
import { jsonRpcError } from './mcp/json-rpc.js';
import { publishRequestMetrics } from './metrics.js';
import type { RequestTrace } from './mcp/tool-context.js';
import { oauthStep } from './oauth/index.js';
import { createRuntime, type Runtime } from './runtime.js';

export { TOOLS_HEADER } from './mcp/endpoint.js';

/** The part of the Lambda context the handler uses; the local server provides the same. */
export type InvocationContext = Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>;

export type FunctionUrlHandler = (event: LambdaFunctionURLEvent, context: InvocationContext) => Promise<FunctionUrlResult>;

/**
 * One HTTP request, top to bottom: Function URL event -> web Request and the caller's credential -> the
 * HTTP policy (OAuth, origin, paths, methods, CORS, health) -> the MCP endpoint -> Function URL result -> one log line.
 */
export function createHandler(runtime: Runtime, endpoint: McpEndpoint = createMcpEndpoint(runtime)): FunctionUrlHandler {
  return async (event, context) => {
    const started = performance.now();
    const trace: RequestTrace = {};
    let parsed: ParsedEvent | undefined;
    let response: Response;
    try {
      parsed = parseFunctionUrlEvent(event);
      // OAuth first (src/oauth): its own endpoints, the 401 for /mcp without a credential, our tokens unsealed.
      const oauth = await oauthStep(parsed.request, parsed.credential, runtime.oauth, runtime.config);
      if (oauth.kind === 'continue') parsed = { ...parsed, credential: oauth.credential };
      const route = oauth.kind === 'respond' ? oauth : routeHttp(parsed.request, runtime);
      response =
        route.kind === 'respond'
          ? route.response
          : await endpoint(parsed.request, { credential: parsed.credential, deadline: deadlineFrom(context.getRemainingTimeInMillis()), trace });
    } catch (error) {
      response = failureResponse(error, runtime);
    }
    const result = await toFunctionUrlResult(withCors(response, allowedOrigin(parsed, runtime)));
    logRequest(runtime, event, context, parsed, result.statusCode ?? 200, trace, performance.now() - started);
    return result;
  };
}

/** The request's Origin when CORS headers should answer it: present and allowed. */
function allowedOrigin(parsed: ParsedEvent | undefined, runtime: Runtime): string | null {
  const origin = parsed?.request.headers.get('origin') ?? null;
  return origin !== null && isOriginAllowed(origin, runtime.config.allowedOrigins, parsed?.request.headers.get('host') ?? null) ? origin : null;
}

/** An event that is no request, or a failure nothing else caught: a well-formed answer, never a stack trace. */
function failureResponse(error: unknown, runtime: Runtime): Response {
  if (error instanceof MalformedEventError) return jsonRpcError(400, -32700, `Parse error: ${error.message}`);
  runtime.logger.error('request failed unexpectedly', {
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
  return jsonRpcError(400, -32603, 'Internal error in this server; the failure has been logged. Try again.');
}

/** One line per request. Never the key (it is not in any of these fields), the text, or a URL's signature. */
function logRequest(
  runtime: Runtime,
  event: LambdaFunctionURLEvent,
  context: InvocationContext,
  parsed: ParsedEvent | undefined,
  status: number,
  trace: RequestTrace,
  durationMs: number,
): void {
  runtime.logger.info('request', {
    requestId: context.awsRequestId,
    httpMethod: event.requestContext?.http?.method,
    path: event.rawPath,
    status,
    durationMs: Math.round(durationMs * 10) / 10,
    rpc: trace.rpc ?? [],
    protocolVersion: trace.protocolVersion,
    tool: trace.tool,
    caller: parsed?.credential.kind === 'present' ? parsed.credential.callerId.slice(0, 12) : parsed?.credential.kind,
    upstreamStatus: trace.upstreamStatus,
    charactersBilled: trace.charactersBilled,
    ...trace.error,
  });
  publishRequestMetrics(runtime.metrics, trace, { status, methods: trace.rpc ?? [] });
}

const runtime = createRuntime(process.env);

/** The Lambda entry point (`handler.handler` in template.yaml). */
export const handler: FunctionUrlHandler = createHandler(runtime);
