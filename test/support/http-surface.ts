import { afterAll, beforeAll } from 'vitest';
import type { FunctionUrlHandler } from '../../src/handler.js';
import { type EventSpec, type HandlerAnswer, invoke, JSON_HEADERS, rpc, startStack, type Stack } from './harness.js';

/**
 * What the HTTP surface suites (test/integration/http-surface-*.test.ts) share: a stack whose
 * ALLOWED_ORIGINS admits one browser origin, and events sent through its handler as they arrive.
 */

/** An initialize request in this protocol version. */
export function initialize(protocolVersion = '2025-06-18'): string {
  return rpc('initialize', { protocolVersion, capabilities: {}, clientInfo: { name: 'vitest', version: '1' } });
}

/**
 * The stack of one HTTP surface suite, admitting the browser origin https://app.example.com. Its parts
 * are there from `start()` on (useHttpSurface calls it in beforeAll); `send` and `post` are bound, so a
 * suite may take them out of the object.
 */
export class HttpSurface {
  #stack: Stack | undefined;

  async start(): Promise<void> {
    this.#stack = await startStack({ ALLOWED_ORIGINS: 'https://app.example.com' });
  }

  async stop(): Promise<void> {
    await this.#stack?.stop();
  }

  get stack(): Stack {
    if (!this.#stack) throw new Error('the HTTP surface stack is used before start()');
    return this.#stack;
  }

  /** Sends one event of any shape through this stack's handler, or through `handler`. */
  readonly send = (spec: EventSpec, handler: FunctionUrlHandler = this.stack.handler): Promise<HandlerAnswer> =>
    invoke(handler, spec);

  /** POSTs this body to /mcp with the JSON headers a client sends, and these on top. */
  readonly post = (body: string, headers: Record<string, string> = {}): Promise<HandlerAnswer> =>
    this.send({ headers: { ...JSON_HEADERS, ...headers }, body });
}

/** An HttpSurface started before the file's tests and stopped after them. */
export function useHttpSurface(): HttpSurface {
  const surface = new HttpSurface();
  beforeAll(() => surface.start());
  afterAll(() => surface.stop());
  return surface;
}
