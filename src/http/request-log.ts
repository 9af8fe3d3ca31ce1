import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { Credential } from '../caller.js';
import type { InvocationContext } from '../handler.js';
import { jsonRpcError } from '../mcp/json-rpc.js';
import type { RequestTrace } from '../mcp/tool-context.js';
import { publishRequestMetrics } from '../metrics.js';
import { describeFailure } from '../logger.js';
import type { Runtime } from '../runtime.js';
import { MalformedEventError } from './event-parser.js';

/** What the request's log line says about it, besides the trace the MCP endpoint filled in. */
export interface RequestOutcome {
  readonly event: LambdaFunctionURLEvent;
  readonly context: InvocationContext;
  /** Undefined when the event was no request at all. */
  readonly credential: Credential | undefined;
  readonly status: number;
  readonly trace: RequestTrace;
  readonly durationMs: number;
}

/**
 * One line and one metric record per request. Never the key (it is in none of these fields), the text, or
 * a URL's signature.
 */
export function logRequest(
  runtime: Runtime,
  { event, context, credential, status, trace, durationMs }: RequestOutcome,
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
    caller: credential?.kind === 'present' ? credential.callerId.slice(0, 12) : credential?.kind,
    upstreamStatus: trace.upstreamStatus,
    charactersBilled: trace.charactersBilled,
    ...trace.error,
  });
  publishRequestMetrics(runtime.metrics, trace, { status, methods: trace.rpc ?? [] });
}

/** An event that is no request, or a failure nothing else caught: a well-formed answer, never a stack trace. */
export function failureResponse(error: unknown, runtime: Runtime): Response {
  if (error instanceof MalformedEventError) return jsonRpcError(400, -32700, `Parse error: ${error.message}`);
  runtime.logger.error('request failed unexpectedly', {
    error: describeFailure(error),
  });
  return jsonRpcError(400, -32603, 'Internal error in this server; the failure has been logged. Try again.');
}
