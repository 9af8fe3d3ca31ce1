import type { OAuthContext } from './context.js';
import { register, RegistrationError } from './clients.js';
import type { SealingKeys } from './sealing.js';

/**
 * The dynamic client registration endpoint (RFC 7591): a client posts its metadata and gets a client id
 * that is its registration sealed, so nothing is stored. Answers carry CORS `*`: browser-based clients
 * register too, and the endpoint takes no cookies.
 */
export async function registrationEndpoint(request: Request, ctx: OAuthContext, keys: SealingKeys): Promise<Response> {
  if (request.method === 'OPTIONS')
    return new Response(null, {
      status: 204,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
      },
    });
  if (request.method !== 'POST')
    return Response.json(
      { error: 'invalid_request', error_description: 'Use POST.' },
      { status: 405, headers: { allow: 'POST' } },
    );
  let metadata: unknown;
  try {
    metadata = JSON.parse(await request.text());
  } catch {
    return Response.json(
      { error: 'invalid_client_metadata', error_description: 'The registration request must be JSON.' },
      { status: 400 },
    );
  }
  try {
    const answer = register(keys, metadata, ctx.now() * 1000);
    ctx.logger.info('oauth client registered', {
      clientName: answer.client_name,
      redirectHosts: (answer.redirect_uris as string[]).map((u) => new URL(u).host),
    });
    return Response.json(answer, {
      status: 201,
      headers: { 'cache-control': 'no-store', 'access-control-allow-origin': '*' },
    });
  } catch (error) {
    if (error instanceof RegistrationError)
      return Response.json(
        { error: error.code, error_description: error.message },
        { status: 400, headers: { 'access-control-allow-origin': '*' } },
      );
    throw error;
  }
}
