import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import type { FakeElevenLabs, RecordedRequest } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { createSafeFetcher, type SafeFetcher } from '../../src/net/safe-fetch.js';
import { createRuntime } from '../../src/runtime.js';
import { loadAllTools } from '../../src/tools/index.js';
import { callTool, startStack, textOf, type Stack } from './harness.js';

/**
 * The shared setup of the agents-platform suites (test/integration/tools-agents-*.test.ts): one stack per file,
 * a handler that believes every host is public, and the helpers every one of those files calls.
 */

const ALL_TOOLS = await loadAllTools();

/** What an agents suite reads: the stack of its file, and helpers bound to it. */
export interface AgentsStack {
  /** The fake ElevenLabs API, cleared before each test. */
  readonly fake: FakeElevenLabs;
  /** The real handler with the production download policy. */
  readonly handler: FunctionUrlHandler;
  /** The real handler with a fetcher whose DNS answers a public address for every name, counting downloads. */
  readonly publicDns: FunctionUrlHandler;
  /** How many downloads `publicDns`'s fetcher has started so far. */
  readonly downloads: number;
  /** A key the fake accepts, with an empty agents platform. */
  freshKey(): string;
  /** callTool, also checking that a successful result's structuredContent is exactly what the tool declares. */
  callChecked(handler: FunctionUrlHandler, name: string, args: Record<string, unknown>, key: string): Promise<any>;
  /** The requests the fake received on the agents platform's paths. */
  convaiRequests(): RecordedRequest[];
  /** create_agent with a name, first message and prompt (overridden by `args`); returns the agent's id. */
  createAgent(key: string, args?: Record<string, unknown>): Promise<string>;
}

/**
 * Starts the stack before the file's tests and stops it after them, clearing the fake before each test.
 * Call it once, at the top of a test file; read `fake`, `handler`, `publicDns` and `downloads` inside tests.
 */
export function useAgentsStack(): AgentsStack {
  let stack: Stack;
  let publicDns: FunctionUrlHandler;
  let downloads = 0;

  beforeAll(async () => {
    stack = await startStack();
    const fetcher = createSafeFetcher({ lookup: async () => [{ address: '93.184.216.34', family: 4 }] });
    const counting: SafeFetcher = {
      fetch: (url, limits) => {
        downloads += 1;
        return fetcher.fetch(url, limits);
      },
      check: (url, options) => fetcher.check(url, options),
    };
    publicDns = createHandler(createRuntime({ ...stack.env }, { fetcher: counting }));
  });
  afterAll(() => stack.stop());
  beforeEach(() => stack.fake.clear());

  async function callChecked(
    handler: FunctionUrlHandler,
    name: string,
    args: Record<string, unknown>,
    key: string,
  ): Promise<any> {
    const result = await callTool(handler, name, args, key);
    const tool = ALL_TOOLS.find((t) => t.name === name)!;
    if (!result.isError) expect(tool.output.strict().safeParse(result.structuredContent).error, name).toBeUndefined();
    return result;
  }

  return {
    get fake() {
      return stack.fake;
    },
    get handler() {
      return stack.handler;
    },
    get publicDns() {
      return publicDns;
    },
    get downloads() {
      return downloads;
    },
    freshKey() {
      const key = `sk_test_${randomBytes(16).toString('hex')}`;
      stack.fake.addKey(key);
      return key;
    },
    callChecked,
    convaiRequests() {
      return stack.fake.requests.filter((r) => r.path.startsWith('/v1/convai/'));
    },
    async createAgent(key, args = {}) {
      const result = await callChecked(
        stack.handler,
        'create_agent',
        { name: 'Support', first_message: 'Hi, how can I help?', system_prompt: 'You help customers.', ...args },
        key,
      );
      expect(result.isError, textOf(result)).toBeFalsy();
      return result.structuredContent.agent_id;
    },
  };
}
