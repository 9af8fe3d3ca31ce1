import { quoteForMessage } from '../errors/index.js';
import { jsonRpcError } from '../mcp/json-rpc.js';
import { PROTOCOL_VERSIONS } from '../mcp/protocol-versions.js';
import type { Runtime } from '../runtime.js';
import { SERVER_NAME, VERSION } from '../version.js';
import { isOriginAllowed, preflightHeaders } from './cors.js';

export const MCP_PATH = '/mcp';
export const HEALTH_PATH = '/health';

/** What the HTTP policy decided: answered here, or a POST for the MCP endpoint. */
export type HttpRoute = { readonly kind: 'respond'; readonly response: Response } | { readonly kind: 'mcp' };

/** The methods each path serves; OPTIONS (CORS preflight) is answered on both. */
const ALLOW = { [MCP_PATH]: 'POST, OPTIONS', [HEALTH_PATH]: 'GET, HEAD, OPTIONS' } as const;

const STATELESS_NOTE =
  'This MCP server is stateless: it answers JSON-RPC over POST only, with no SSE stream and no sessions.';

/**
 * What a stateless MCP server answers before any JSON-RPC: the origin policy, the paths, the methods
 * each path serves, CORS preflights and health. Everything else is a POST to the MCP path.
 */
export function routeHttp(request: Request, runtime: Runtime): HttpRoute {
  const origin = request.headers.get('origin');
  if (!isOriginAllowed(origin, runtime.config.allowedOrigins, request.headers.get('host'))) {
    return respond(
      jsonRpcError(
        403,
        -32000,
        `Origin ${quoteForMessage(origin ?? '')} is not allowed to call this server. Its operator can list it in ` +
          `ALLOWED_ORIGINS.`,
      ),
    );
  }
  const path = new URL(request.url).pathname.replace(/\/+$/, '') || '/';
  if (path !== MCP_PATH && path !== HEALTH_PATH) {
    return respond(
      plainError(404, `No such path. The MCP endpoint is POST ${MCP_PATH}; health is GET ${HEALTH_PATH}.`),
    );
  }
  const allow = ALLOW[path];
  if (request.method === 'OPTIONS')
    return respond(new Response(null, { status: 204, headers: preflightHeaders(origin, allow) }));
  if (path === HEALTH_PATH) {
    return request.method === 'GET' || request.method === 'HEAD'
      ? respond(healthResponse(runtime))
      : respond(plainError(405, `Use GET ${HEALTH_PATH}.`, { allow }));
  }
  // Answered here and at once: the SDK's stateless transport would open an SSE stream for GET that
  // never closes, and a buffered Function URL would hang on it until the Lambda timeout.
  if (request.method !== 'POST') return respond(jsonRpcError(405, -32000, STATELESS_NOTE, { headers: { allow } }));
  return { kind: 'mcp' };
}

function healthResponse(runtime: Runtime): Response {
  return Response.json(
    {
      status: 'ok',
      name: SERVER_NAME,
      version: VERSION,
      protocolVersions: PROTOCOL_VERSIONS,
      latestProtocolVersion: PROTOCOL_VERSIONS[0],
      transport: 'streamable-http, stateless, JSON responses (POST /mcp)',
      tools: runtime.catalog.size,
      storage: runtime.config.audioBucket ? 'configured' : 'not configured',
    },
    { headers: { 'cache-control': 'no-store' } },
  );
}

function respond(response: Response): HttpRoute {
  return { kind: 'respond', response };
}

function plainError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: message }, { status, headers });
}
