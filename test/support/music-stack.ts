import { randomBytes } from 'node:crypto';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { z } from 'zod';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import type { FakeElevenLabs, RecordedRequest } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { grantInpainting } from '../../src/local/fake-elevenlabs/fake-routes/music.js';
import { createRuntime } from '../../src/runtime.js';
import type { NamedTool } from '../../src/toolkit/define-tool.js';
import {
  callTool,
  KEY_A,
  loopbackFetcher,
  serveFiles,
  startStack,
  textOf,
  type Stack,
  uploadThroughTool,
} from './harness.js';

/**
 * The shared setup of the music suites (test/integration/tools-music-*.test.ts): one stack per file with an
 * enterprise account, a local file server for the url input form, the files it serves, and the helpers every
 * one of those files calls.
 */

/** An account with the inpainting feature (an enterprise plan); KEY_A has none. */
export const KEY_E = 'sk_test_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
/** An MP3 (by its ID3 header), served at /song.mp3. */
export const SONG = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), randomBytes(6_000)]);
/** An MP4 (by its ftyp box), served at /clip.mp4. */
export const VIDEO = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), randomBytes(9_000)]);

/** A music_v1 plan of two sections, as a client writes it (the optional fields left out of the first). */
export const SECTIONS_PLAN = {
  positive_global_styles: ['warm lo-fi hip hop', '75 bpm'],
  sections: [
    { section_name: 'Intro', positive_local_styles: ['vinyl crackle', 'soft rhodes'], duration_ms: 8_000 },
    {
      section_name: 'Verse 1',
      positive_local_styles: ['boom bap drums'],
      negative_local_styles: ['distortion'],
      duration_ms: 20_000,
      lines: ['Rain on the window', 'Coffee going cold'],
    },
  ],
};

const ajv = new AjvJsonSchemaValidator();

/** What a music suite reads: the stack of its file, and helpers bound to it. */
export interface MusicStack {
  /** The fake ElevenLabs API, cleared before each test. */
  readonly fake: FakeElevenLabs;
  /** The real handler with the production download policy. */
  readonly handler: FunctionUrlHandler;
  /** The real handler with a fetcher that also admits the local file server (http on 127.0.0.1). */
  readonly local: FunctionUrlHandler;
  /** The local file server's origin: `${filesOrigin}/clip.mp4` is VIDEO, `${filesOrigin}/song.mp3` is SONG. */
  readonly filesOrigin: string;
  /** The requests the fake received on the music API's paths. */
  musicRequests(): RecordedRequest[];
  /**
   * structuredContent checked as an MCP client checks it (Ajv against the listed output schema), and
   * parsed with the tool's own output schema for typed access.
   */
  conforming<O extends z.ZodObject<z.ZodRawShape>>(
    tool: NamedTool<z.ZodObject<z.ZodRawShape>, O>,
    structured: unknown,
  ): z.output<O>;
  /** A stored file, as create_upload_url and the client's PUT leave it; returns its audio_id. */
  uploaded(key: string, body: Buffer, filename: string, contentType: string): Promise<string>;
  /** The call fails with `message` and nothing reaches ElevenLabs. */
  refusedBeforeCalling(tool: string, args: Record<string, unknown>, message: string, key?: string): Promise<void>;
}

/**
 * Starts the stack and the file server before the file's tests and stops them after, clearing the fake before
 * each test. Call it once, at the top of a test file; read `fake`, `handler`, `local` and `filesOrigin` inside
 * tests.
 */
export function useMusicStack(): MusicStack {
  let stack: Stack;
  let local: FunctionUrlHandler;
  let files: Awaited<ReturnType<typeof serveFiles>>;

  beforeAll(async () => {
    stack = await startStack();
    stack.fake.addKey(KEY_E);
    grantInpainting(stack.fake, KEY_E);
    local = createHandler(createRuntime({ ...stack.env }, { fetcher: loopbackFetcher() }));
    files = await serveFiles({
      '/clip.mp4': { type: 'video/mp4', body: VIDEO },
      '/song.mp3': { type: 'audio/mpeg', body: SONG },
    });
  });
  afterAll(async () => {
    await files.close();
    await stack.stop();
  });
  beforeEach(() => stack.fake.clear());

  return {
    get fake() {
      return stack.fake;
    },
    get handler() {
      return stack.handler;
    },
    get local() {
      return local;
    },
    get filesOrigin() {
      return files.origin;
    },
    musicRequests() {
      return stack.fake.requestsTo(/^\/v1\/music/);
    },
    conforming(tool, structured) {
      const [listed] = stack.runtime.catalog.view(tool.name).list().tools;
      const verdict = ajv.getValidator(listed!.outputSchema!)(structured);
      expect(verdict.errorMessage).toBeUndefined();
      return tool.output.parse(structured);
    },
    async uploaded(key, body, filename, contentType) {
      return (await uploadThroughTool(stack.handler, key, body, filename, contentType)).audio_id;
    },
    async refusedBeforeCalling(tool, args, message, key = KEY_A) {
      const result = await callTool(stack.handler, tool, args, key);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(message);
      expect(stack.fake.requests).toHaveLength(0);
    },
  };
}

/** The body of a GET that must answer 200 (a stored file's presigned URL). */
export async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}
