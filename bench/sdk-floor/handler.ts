/**
 * THE SDK FLOOR, for comparison only (never deployed): the least an MCP server on the v2 SDK can be behind
 * a Function URL. The SDK's `Server` with one tool and no input validation, its web-standard transport,
 * stateless with JSON answers, a fresh pair per request, as ours. No tools of ours, no ElevenLabs client,
 * no policy, no logging. Any server that answers through SDK v2 starts at least this slowly, so it shows
 * how much of our cold start is the SDK's and how much is ours; the bench measures it in the same rounds
 * as the floor (bench/floor/handler.ts), ours and the naive pattern.
 */
import { Server, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { type FloorResult, floorRequest } from '../floor/handler.js';

/** Accepts every input: the floor skips the JSON Schema validator the SDK would otherwise load. */
const acceptAll = {
  getValidator: () => (input: unknown) => ({ valid: true as const, data: input, errorMessage: undefined }),
};

export async function handler(event: LambdaFunctionURLEvent): Promise<FloorResult> {
  const request = floorRequest(event);
  const server = new Server(
    { name: 'sdk-floor', version: '1.0.0' },
    { capabilities: { tools: {} }, jsonSchemaValidator: acceptAll as never },
  );
  server.setRequestHandler('tools/list', () => ({
    tools: [{ name: 'noop', inputSchema: { type: 'object' as const } }],
  }));
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    const response = await transport.handleRequest(request);
    return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  } finally {
    await server.close();
  }
}
