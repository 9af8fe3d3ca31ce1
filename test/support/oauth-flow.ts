import { afterAll, beforeAll, expect } from 'vitest';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import type { OAuthOverrides } from '../../src/oauth/index.js';
import { memoryRedemptionStore } from '../../src/oauth/redemptions.js';
import { fixedSecret } from '../../src/oauth/secret.js';
import { createRuntime } from '../../src/runtime.js';
import { KEY_A, startStack, type Stack } from './harness.js';
import { authorizePage, pkce, registerClient, RESOURCE, sealedRequestOf, submitKey, TEST_SECRET } from './oauth.js';

/**
 * What the OAuth flow suites (test/integration/oauth-flow-*.test.ts) share: the stack with OAuth on, the
 * test secret, a clock the tests can move, and the steps of the flow up to an authorization code. Codes
 * and refresh tokens are made single-use by the in-memory redemption store: s3rver ignores `If-None-Match`
 * on PUT (test/integration/oauth-redemptions.test.ts runs the S3 store against a conditional-write stand-in).
 */

/** The redirect URI of the clients the flow suites register. */
export const REDIRECT = 'https://client.example/callback';

/**
 * The stack of one flow suite: the real handler with OAuth on, the test secret, the in-memory redemption
 * store and a clock of its own. Its parts are there from `start()` on (useOAuthFlow calls it in beforeAll).
 */
export class OAuthFlow {
  #stack: Stack | undefined;
  #clock = Math.floor(Date.now() / 1000);

  async start(): Promise<void> {
    this.#stack = await startStack(
      { OAUTH: 'on' },
      { keys: fixedSecret(TEST_SECRET), redemptions: memoryRedemptionStore(), now: this.now },
    );
  }

  async stop(): Promise<void> {
    await this.#stack?.stop();
  }

  get stack(): Stack {
    if (!this.#stack) throw new Error('the OAuth flow stack is used before start()');
    return this.#stack;
  }

  /** The real handler with OAuth on, reading the clock below. */
  get handler(): FunctionUrlHandler {
    return this.stack.handler;
  }

  /** The time the handler reads, in seconds since the epoch. */
  readonly now = (): number => this.#clock;

  /** Runs `fn` with the clock `seconds` ahead, then sets it back. */
  async later<T>(seconds: number, fn: () => Promise<T>): Promise<T> {
    this.#clock += seconds;
    try {
      return await fn();
    } finally {
      this.#clock -= seconds;
    }
  }

  /** Another handler on the same stack with these OAuth overrides; OAuth is on unless `env` says otherwise. */
  handlerWith(oauth: OAuthOverrides, env: Record<string, string> = {}): FunctionUrlHandler {
    return createHandler(createRuntime({ ...this.stack.env, OAUTH: 'on', ...env }, {}, oauth));
  }
}

/** An OAuthFlow started before the file's tests and stopped after them. */
export function useOAuthFlow(): OAuthFlow {
  const flow = new OAuthFlow();
  beforeAll(() => flow.start(), 60_000);
  afterAll(() => flow.stop());
  return flow;
}

/** The query of an authorization request for REDIRECT, with a fresh PKCE pair; `overrides` replace parameters. */
export function authorizeParams(
  clientId: string,
  overrides: Record<string, string> = {},
): { params: Record<string, string>; verifier: string } {
  const { verifier, challenge } = pkce();
  return {
    verifier,
    params: {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
      resource: RESOURCE,
      ...overrides,
    },
  };
}

/** Registers a public client named Test Client (unless `extra` says otherwise) and returns its id. */
export async function registered(handler: FunctionUrlHandler, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await registerClient(handler, {
    client_name: 'Test Client',
    redirect_uris: [REDIRECT],
    token_endpoint_auth_method: 'none',
    ...extra,
  });
  expect(answer.status).toBe(201);
  return answer.json.client_id;
}

/** The sign-in page, then the key: the code the redirect carries, its verifier and the whole redirect. */
export async function codeFor(
  handler: FunctionUrlHandler,
  clientId: string,
  key = KEY_A,
): Promise<{ code: string; verifier: string; location: URL }> {
  const { params, verifier } = authorizeParams(clientId);
  const page = await authorizePage(handler, params);
  const submitted = await submitKey(handler, sealedRequestOf(page), key);
  expect(submitted.status).toBe(303);
  const location = new URL(submitted.headers.location!);
  return { code: location.searchParams.get('code')!, verifier, location };
}
