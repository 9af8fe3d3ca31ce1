import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { corsOrigin, withCors } from './http/cors.js';
import { parseFunctionUrlEvent, type ParsedEvent } from './http/event-parser.js';
import { routeHttp } from './http/policy.js';
import { failureResponse, logRequest } from './http/request-log.js';
import { toFunctionUrlResult, type FunctionUrlResult } from './http/response-builder.js';
import { createMcpEndpoint, type McpEndpoint } from './mcp/endpoint.js';
import type { RequestTrace } from './mcp/tool-context.js';
import { deadlineFrom } from './net/deadline.js';
import { oauthStep } from './oauth/index.js';
import { createRuntime, type Runtime } from './runtime.js';

/** The part of the Lambda context the handler uses; the local server provides the same. */
export type InvocationContext = Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>;

export type FunctionUrlHandler = (
  event: LambdaFunctionURLEvent,
  context: InvocationContext,
) => Promise<FunctionUrlResult>;

/**
 * One HTTP request, top to bottom: Function URL event -> web Request and the caller's credential -> the
 * HTTP policy (OAuth, origin, paths, methods, CORS, health) -> the MCP endpoint -> Function URL result -> one log line.
 */
export function createHandler(
  runtime: Runtime,
  endpoint: McpEndpoint = createMcpEndpoint(runtime),
): FunctionUrlHandler {
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
          : await endpoint(parsed.request, {
              credential: parsed.credential,
              deadline: deadlineFrom(context.getRemainingTimeInMillis()),
              trace,
            });
    } catch (error) {
      response = failureResponse(error, runtime);
    }
    const result = await toFunctionUrlResult(
      withCors(response, corsOrigin(parsed?.request, runtime.config.allowedOrigins)),
    );
    const durationMs = performance.now() - started;
    logRequest(runtime, {
      event,
      context,
      credential: parsed?.credential,
      status: result.statusCode ?? 200,
      trace,
      durationMs,
    });
    return result;
  };
}

const runtime = createRuntime(process.env);

/** The Lambda entry point (`handler.handler` in template.yaml). */
export const handler: FunctionUrlHandler = createHandler(runtime);
