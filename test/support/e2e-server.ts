import { expect } from 'vitest';
import { FakeElevenLabs } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { KEY_A, KEY_B } from './harness.js';
import { buildForTest, startServerProcess, type Built } from './npm-start.js';

/**
 * What the end-to-end client suites (test/e2e/clients*.test.ts, test/e2e/oauth-*.test.ts) run against: the
 * server `npm start` runs (the built Lambda bundle behind the local Function URL emulation, with its embedded
 * S3 and OAuth on by default), logging at debug level and talking to a fake ElevenLabs API that knows KEY_A
 * and KEY_B.
 */
export interface E2eServer {
  /** Where the server listens (its endpoint is `${url}/mcp`). */
  readonly url: string;
  readonly fake: FakeElevenLabs;
  /** The test file's build folder: the server's S3 folder, its generated OAuth secret. */
  readonly built: Built;
  /** Everything the server printed so far. */
  output(): string;
  /** Downloads a presigned URL and checks that it serves byte for byte the audio last produced for the key. */
  expectDownloadMatches(url: string, key: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the fake ElevenLabs and the `npm start` server, with a build folder named after the test file. */
export async function startE2eServer(name: string): Promise<E2eServer> {
  const fake = new FakeElevenLabs();
  const baseUrl = await fake.start();
  fake.addKey(KEY_A);
  fake.addKey(KEY_B);
  let built: Built | undefined;
  try {
    built = await buildForTest(name);
    const server = await startServerProcess(built, { ELEVENLABS_BASE_URL: baseUrl, LOG_LEVEL: 'debug' });
    return {
      url: server.url,
      fake,
      built,
      output: server.output,
      async expectDownloadMatches(url, key) {
        const produced = fake.account(key)!.audio.at(-1)!;
        const download = await fetch(url);
        expect(download.status).toBe(200);
        expect(Buffer.from(await download.arrayBuffer()).equals(produced)).toBe(true);
      },
      async stop() {
        await server.stop();
        await fake.stop();
        await built?.remove();
      },
    };
  } catch (error) {
    await fake.stop();
    await built?.remove();
    throw error;
  }
}

/** The download link of a text_to_speech result: structuredContent where the version has it, else the text. */
export function downloadUrl(answer: unknown): string {
  const result = answer as { structuredContent?: unknown; content?: unknown };
  const structured = result.structuredContent as { url?: string } | undefined;
  if (structured?.url) return structured.url;
  const text = (result.content as Array<{ type: string; text?: string }>).find((block) => block.type === 'text')!.text!;
  return /Download: (\S+)/.exec(text)![1]!;
}
