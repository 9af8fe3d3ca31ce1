import { AUTHORIZATION_SERVER_PATH, type ServerUrls } from './urls.js';

/** RFC 8414 authorization server metadata: what a client needs to sign in here. */
export function authorizationServerMetadata(urls: ServerUrls): Record<string, unknown> {
  return {
    issuer: urls.issuer,
    authorization_endpoint: urls.authorize,
    token_endpoint: urls.token,
    registration_endpoint: urls.register,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post'],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}

/**
 * The two discovery documents. The protected resource metadata is the SDK's (RFC 9728), served at both
 * the path-aware location the 401 names and the root one older clients try; this server has one
 * resource, its MCP endpoint, so both describe it.
 */
export async function metadataResponse(request: Request, path: string, urls: ServerUrls): Promise<Response> {
  if (request.method === 'OPTIONS') {
    return new Response(null, {
      status: 204,
      headers: { ...PUBLIC, 'access-control-allow-methods': 'GET, HEAD, OPTIONS', 'access-control-allow-headers': '*' },
    });
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return Response.json(
      { error: 'invalid_request', error_description: `Use GET for ${path}.` },
      { status: 405, headers: { ...PUBLIC, allow: 'GET, HEAD, OPTIONS' } },
    );
  }
  const oauthMetadata = authorizationServerMetadata(urls);
  let document: Record<string, unknown> = oauthMetadata;
  if (path !== AUTHORIZATION_SERVER_PATH) {
    const { buildOAuthProtectedResourceMetadata } = await import('@modelcontextprotocol/server');
    document = buildOAuthProtectedResourceMetadata({
      oauthMetadata: oauthMetadata as never,
      resourceServerUrl: new URL(urls.resource),
      resourceName: 'ElevenLabs MCP server',
      // The issuer is http only on loopback, where the SDK allows it anyway.
      dangerouslyAllowInsecureIssuerUrl: false,
    }) as unknown as Record<string, unknown>;
    document = { ...document, bearer_methods_supported: ['header'] };
  }
  return new Response(request.method === 'HEAD' ? null : JSON.stringify(document), {
    status: 200,
    headers: { ...PUBLIC, 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
  });
}

/** Discovery documents are public: any page may read them (as the SDK's metadata router allows). */
const PUBLIC = { 'access-control-allow-origin': '*' };
