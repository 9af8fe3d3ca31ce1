import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { FunctionUrlHandler } from '../../src/handler.js';
import { invoke, JSON_HEADERS, KEY_A, lambdaContext, rpc, type EventSpec, type HandlerAnswer } from './harness.js';

/**
 * The vocabulary of test/reliability/bad-input.test.ts's case tables (bad-input-protocol-cases.ts and
 * bad-input-tool-cases.ts): what a case sends, how, and what it must get back.
 */

/** What a case looks at in an answer. */
export type Answer = Pick<HandlerAnswer, 'status' | 'text' | 'json'>;

/** An HTTP status (with its JSON-RPC error), a JSON-RPC error in a 200, or a tool result with isError. */
export type Expectation =
  | { http: number; code?: number; says?: RegExp }
  | { rpcError: number; says?: RegExp }
  | { isError: RegExp };

export interface Case {
  name: string;
  run: () => Promise<Answer>;
  expect: Expectation;
  /** The case must not reach ElevenLabs at all (default), or at most read /v1/models. */
  upstream?: 'none' | 'models-only' | 'any';
}

/** The ways a case sends its input to the suite's handler. */
export interface Requests {
  send(spec: EventSpec): Promise<Answer>;
  /** A POST /mcp with the JSON headers (and these). */
  post(body: string | Buffer, headers?: Record<string, string>): Promise<Answer>;
  /** A tools/call, with KEY_A unless other headers are given. */
  tool(name: string, args: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** A case's run: text_to_speech of 'Hello' with these arguments added (or replacing the text). */
  tts(args: Record<string, unknown>): () => Promise<Answer>;
  /** An event as built, for what an EventSpec cannot say. */
  raw(event: LambdaFunctionURLEvent): Promise<Answer>;
}

/** Requests to a handler that exists once the suite's stack is up (the tables are built before that). */
export function requestsTo(handler: () => FunctionUrlHandler): Requests {
  const send = (spec: EventSpec): Promise<Answer> => invoke(handler(), spec);
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    send({ headers: { ...JSON_HEADERS, ...headers }, body });
  const tool = (name: string, args: unknown, headers: Record<string, string> = { 'x-elevenlabs-api-key': KEY_A }) =>
    post(rpc('tools/call', { name, arguments: args as Record<string, unknown> }), headers);
  return {
    send,
    post,
    tool,
    tts: (args) => () => tool('text_to_speech', { text: 'Hello', ...args }),
    async raw(event) {
      const result = await handler()(event, lambdaContext());
      return { status: result.statusCode ?? 200, text: result.body ?? '', json: JSON.parse(result.body ?? '{}') };
    },
  };
}
