import type { FunctionUrlHandler } from '../handler.js';
import { FakeElevenLabs } from './fake-elevenlabs/fake-elevenlabs.js';

/**
 * `npm run demo`: the real Lambda bundle against the fake ElevenLabs API the tests use (on 127.0.0.1),
 * so that the server can be tried without an ElevenLabs key. Any key works, and so does none (the local
 * server sends DEMO_KEY for requests without one); nothing reaches ElevenLabs and nothing is billed.
 * Speech comes back as real, playable audio: a bundled MP3 clip saying it is a demo, or a chime for WAV
 * and PCM formats. Every tool answer is labelled. None of this is part of the Lambda bundle.
 */

/** The key the demo sends on behalf of requests that bring none. */
export const DEMO_KEY = 'sk_demo_00000000000000000000000000000000000000000000';

export const DEMO_NOTICE =
  '[DEMO MODE: answered by the fake ElevenLabs API of `npm run demo`, not by ElevenLabs. No key is checked, nothing ' +
  'is billed, and audio is a sample clip.]';

export interface DemoUpstream {
  readonly baseUrl: string;
  stop(): Promise<void>;
}

export async function startDemoUpstream(): Promise<DemoUpstream> {
  const fake = new FakeElevenLabs();
  fake.playableAudio = true;
  fake.acceptAnyKey = true;
  const baseUrl = await fake.start();
  // The fake records every request and every generation for tests to inspect: a demo forgets them.
  const forget = setInterval(() => {
    fake.clear();
  }, 60_000);
  forget.unref();
  return {
    baseUrl,
    stop: async () => {
      clearInterval(forget);
      await fake.stop();
    },
  };
}

/** The handler, with DEMO_KEY for requests without a key, and every tool answer labelled as a demo. */
export function demoHandler(handler: FunctionUrlHandler): FunctionUrlHandler {
  return async (event, context) => {
    const headers = { ...event.headers };
    const hasKey = Object.keys(headers).some((name) =>
      ['x-elevenlabs-api-key', 'authorization'].includes(name.toLowerCase()),
    );
    if (!hasKey) headers['x-elevenlabs-api-key'] = DEMO_KEY;
    const result = await handler({ ...event, headers }, context);
    return labelToolAnswers(result);
  };
}

type Result = Awaited<ReturnType<FunctionUrlHandler>>;

/** Prefixes the first text block of every tools/call result (errors included) with DEMO_NOTICE. */
export function labelToolAnswers(result: Result): Result {
  if (result.isBase64Encoded || typeof result.body !== 'string' || !result.body.includes('"content"')) return result;
  let body: unknown;
  try {
    body = JSON.parse(result.body);
  } catch {
    return result;
  }
  const answers = Array.isArray(body) ? body : [body];
  let labelled = false;
  for (const answer of answers) {
    const content = (answer as { result?: { content?: unknown } } | null)?.result?.content;
    if (!Array.isArray(content)) continue;
    const text = content.find(
      (block): block is { type: 'text'; text: string } => block?.type === 'text' && typeof block.text === 'string',
    );
    if (text) text.text = `${DEMO_NOTICE}\n${text.text}`;
    else content.unshift({ type: 'text', text: DEMO_NOTICE });
    labelled = true;
  }
  return labelled ? { ...result, body: JSON.stringify(body) } : result;
}
