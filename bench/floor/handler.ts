/**
 * THE FLOOR, for comparison only (never deployed): the least a Lambda handler behind a Function URL can do
 * with a JSON-RPC request. It turns the event's JSON body into a web `Request`, reads it back, and answers a
 * web `Response` (an empty JSON-RPC result), which it turns into the Function URL result. No MCP server, no
 * validation, no logging, no dependency: no MCP server written in this style can start faster, so our cold
 * start is also judged as a multiple of this one, measured in the same run by the same harness.
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';

export interface FloorResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A Function URL event as a web Request, as plainly as it can be done (the SDK floor uses it too). */
export function floorRequest(event: LambdaFunctionURLEvent): Request {
  const body =
    event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
  return new Request(`https://${event.requestContext.domainName}${event.rawPath}`, {
    method: event.requestContext.http.method,
    headers: event.headers as Record<string, string>,
    body,
  });
}

export async function handler(event: LambdaFunctionURLEvent): Promise<FloorResult> {
  const request = floorRequest(event);
  const message = (await request.json()) as { id?: string | number };
  const response = Response.json({ jsonrpc: '2.0', id: message.id ?? null, result: {} });
  return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}
