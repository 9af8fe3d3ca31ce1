import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { retryBackoff } from '../../src/elevenlabs/client.js';
import { createRuntime } from '../../src/runtime.js';
import { callTool, KEY_A, startStack, textOf, type Stack } from '../support/harness.js';

/**
 * ElevenLabs out of reach: a base URL whose host does not resolve (.invalid never does, RFC 6761) and one
 * at a closed port on this machine. Every tool says which host and what failed, and that the request was
 * never sent; none claims "nothing was generated", which would be odd for a tool that generates nothing.
 * Tools on both paths: plain HTTP (text_to_speech, list_models) and the SDK, reads and writes.
 */

let stack: Stack;
let unresolvable: FunctionUrlHandler;
let refused: FunctionUrlHandler;
let closedPort: number;

const productionBackoff = retryBackoff.firstMs;

beforeAll(async () => {
  // Reads retry a failed connection twice, after about 0.5 and 1 s: what the tools say after the last
  // attempt is the same without those waits (test/unit/fetch-within-deadline.test.ts covers the retries).
  retryBackoff.firstMs = 1;
  stack = await startStack();
  closedPort = await freePort();
  const handlerFor = (base: string) => createHandler(createRuntime({ ...stack.env, ELEVENLABS_BASE_URL: base }));
  unresolvable = handlerFor('https://api.elevenlabs.invalid');
  refused = handlerFor(`http://127.0.0.1:${closedPort}`);
});
afterAll(async () => {
  retryBackoff.firstMs = productionBackoff;
  await stack.stop();
});

/** A port that was free a moment ago: nothing listens on it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const CALLS: Array<[string, Record<string, unknown>]> = [
  ['text_to_speech', { text: 'Hello.' }],
  ['list_models', {}],
  ['check_subscription', {}],
  ['search_voices', { search: 'george' }],
  ['get_voice', { voice_id: 'JBFqnCBsd6RMkjVDRZzb' }],
  ['text_to_sound_effects', { text: 'A door creaks open' }],
  ['create_composition_plan', { prompt: 'A mellow jazz ballad' }],
  ['list_agents', {}],
  ['create_agent', { name: 'Support', first_message: 'Hi!', system_prompt: 'You help.' }],
];

const AFTER =
  ' The request was not sent, so nothing was done or billed. Try again in a minute; if it keeps failing, ' +
  "the server's ELEVENLABS_BASE_URL (or ELEVENLABS_RESIDENCY) or its network needs its operator's attention.";

describe('with ElevenLabs unreachable, every tool says what failed', () => {
  it.each(CALLS)(
    '%s, when the host name does not resolve',
    async (tool, args) => {
      const result = await callTool(unresolvable, tool, args, KEY_A);
      expect(result.isError).toBe(true);
      // ENOTFOUND where a resolver answers; EAI_AGAIN where none does: both are a failed DNS lookup.
      expect(textOf(result)).toMatch(
        new RegExp(
          String.raw`^Could not reach ElevenLabs at api\.elevenlabs\.invalid: DNS lookup failed ` +
            String.raw`\(the (host name does not resolve|resolver did not answer)\)\.`,
        ),
      );
      expect(textOf(result).endsWith(AFTER)).toBe(true);
      expect(textOf(result)).not.toMatch(/Nothing was generated|unavailable right now/);
    },
    20_000,
  );

  it.each(CALLS)(
    '%s, when nothing listens at the port',
    async (tool, args) => {
      const result = await callTool(refused, tool, args, KEY_A);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(
        `Could not reach ElevenLabs at 127.0.0.1:${closedPort}: the connection was refused (nothing listens at that ` +
          `address and port).${AFTER}`,
      );
    },
    20_000,
  );

  it('refuses storage until ElevenLabs has accepted the key, saying it could not be reached', async () => {
    const result = await callTool(unresolvable, 'list_audio', {}, KEY_A);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Could not reach ElevenLabs at [^:]+\.invalid/);
  });
});
