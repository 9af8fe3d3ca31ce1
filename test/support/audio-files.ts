import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { z } from 'zod';
import { audioInputShape, resolveInput } from '../../src/audio/inputs.js';
import { callerIdOf } from '../../src/caller.js';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { catalogOf } from '../../src/mcp/tool-listing.js';
import { createRuntime } from '../../src/runtime.js';
import { defineTool } from '../../src/toolkit/define-tool.js';
import { dataResult } from '../../src/toolkit/results.js';
import { loadAllTools } from '../../src/tools/index.js';
import { callTool, loopbackFetcher, serveFiles, startStack, type Stack, uploadThroughTool } from './harness.js';

/**
 * What the stored-file suites (test/integration/audio-files-*.test.ts) share: the stack with a test-only
 * tool that resolves a file input inside a real request, a local file server for url inputs, keys of
 * their own, uploads through create_upload_url, and objects written the way deployed servers wrote them.
 */

/** About 70 kB that start like an MP3 (an ID3 tag): what the suites upload, serve and read back. */
export const AUDIO = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), randomBytes(70_000)]);

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A tool that only resolves its input, so the input layer runs inside a real request. Test-only. */
const probeInput = {
  name: 'probe_input',
  ...defineTool({
    title: 'Probe input',
    description: 'Test tool: resolves a file input and reports what it got.',
    input: z
      .object({
        ...audioInputShape,
        max_bytes: z
          .number()
          .int()
          .positive()
          .default(1024 * 1024)
          .describe('Cap.'),
      })
      .strict(),
    output: z.object({
      bytes: z.number(),
      sha256: z.string(),
      mime_type: z.string(),
      filename: z.string(),
      source: z.string(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    groups: ['test'],
    async handler(args, ctx) {
      const file = await resolveInput(args, ctx, {
        allowedTypes: ['audio/*', 'video/*'],
        maxBytes: args.max_bytes,
        purpose: 'probe_input',
      });
      return dataResult('ok', {
        bytes: file.bytes.byteLength,
        sha256: sha256(file.bytes),
        mime_type: file.mimeType,
        filename: file.filename,
        source: file.source,
      });
    },
  }),
};

/**
 * The stack of one stored-file suite, with handlers that also offer probe_input and a file server
 * holding AUDIO as /voice.mp3. Its parts are there from `start()` on (useAudioFiles calls it in beforeAll).
 */
export class AudioFiles {
  #stack: Stack | undefined;
  #probing: FunctionUrlHandler | undefined;
  #probingStrict: FunctionUrlHandler | undefined;
  #files: Awaited<ReturnType<typeof serveFiles>> | undefined;

  async start(): Promise<void> {
    this.#stack = await startStack();
    const catalog = catalogOf([...(await loadAllTools()), probeInput]);
    this.#probing = createHandler(createRuntime({ ...this.#stack.env }, { catalog, fetcher: loopbackFetcher() }));
    this.#probingStrict = createHandler(createRuntime({ ...this.#stack.env }, { catalog }));
    this.#files = await serveFiles({ '/voice.mp3': { type: 'audio/mpeg', body: AUDIO } });
  }

  async stop(): Promise<void> {
    await this.#files?.close();
    await this.#stack?.stop();
  }

  get stack(): Stack {
    return started(this.#stack);
  }

  /** The stack's handler: the production tool catalog. */
  get handler(): FunctionUrlHandler {
    return this.stack.handler;
  }

  /** The real handler with the probe tool and a fetcher admitting the local file server (127.0.0.1, http). */
  get probing(): FunctionUrlHandler {
    return started(this.#probing);
  }

  /** The real handler with the probe tool and the production fetcher. */
  get probingStrict(): FunctionUrlHandler {
    return started(this.#probingStrict);
  }

  /** The local file server's origin: `${filesOrigin}/voice.mp3` is AUDIO. */
  get filesOrigin(): string {
    return started(this.#files).origin;
  }

  /** A key of its own for one test, one ElevenLabs accepts (storage is only for those): the prefix starts empty. */
  freshKey(): string {
    const key = `sk_test_${randomBytes(16).toString('hex')}`;
    this.stack.fake.addKey(key);
    return key;
  }

  /** create_upload_url, then the PUT a client would make with the headers it returned. */
  upload(key: string, body: Buffer, filename = 'interview.mp3', contentType = 'audio/mpeg') {
    return uploadThroughTool(this.handler, key, body, filename, contentType);
  }

  /** A legacy object exactly as the deployed servers wrote it (kind-first id), straight into the bucket. */
  async putLegacy(
    key: string,
    audioId: string,
    body: Buffer,
    contentType: string,
  ): Promise<{ audio_id: string; key: string }> {
    const objectKey = `audio/${callerIdOf(key)}/${audioId}`;
    const kit = await this.stack.runtime.s3();
    await kit.client.send(
      new kit.sdk.PutObjectCommand({
        Bucket: this.stack.s3.bucket,
        Key: objectKey,
        Body: body,
        ContentType: contentType,
        ContentDisposition: `attachment; filename="${audioId}"`,
        Metadata: { kind: audioId.slice(0, audioId.indexOf('_')) },
      }),
    );
    return { audio_id: audioId, key: objectKey };
  }

  /** Every audio_id list_audio gives `key`, page by page of `limit`, in the order it gives them. */
  async listedIds(key: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let token: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const page: any = await callTool(
        this.handler,
        'list_audio',
        { limit, ...(token ? { continuation_token: token } : {}) },
        key,
      );
      expect(page.isError).toBeFalsy();
      expect(page.structuredContent.count).toBeLessThanOrEqual(limit);
      seen.push(...page.structuredContent.items.map((i: { audio_id: string }) => i.audio_id));
      token = page.structuredContent.next_continuation_token;
      if (!token) return seen;
    }
    throw new Error('list_audio did not reach its last page');
  }
}

function started<T>(part: T | undefined): T {
  if (part === undefined) throw new Error('the stored-file stack is used before start()');
  return part;
}

/** An AudioFiles stack started before the file's tests and stopped after them. */
export function useAudioFiles(): AudioFiles {
  const audio = new AudioFiles();
  beforeAll(() => audio.start());
  afterAll(() => audio.stop());
  return audio;
}
