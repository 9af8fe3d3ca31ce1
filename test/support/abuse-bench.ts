import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { createRuntime } from '../../src/runtime.js';
import { WAV } from './abuse-cases.js';
import { viewBucket } from './bucket.js';
import {
  callTool,
  functionUrlEvent,
  JSON_HEADERS,
  lambdaContext,
  loopbackFetcher,
  startStack,
  uploadThroughTool,
  type Stack,
} from './harness.js';

/**
 * What test/reliability/abuse.test.ts runs against: the real handler and its stack, the same handler with a
 * fetcher that admits a local file server, that file server, and a look into the bucket.
 */
export interface AbuseBench {
  readonly stack: Stack;
  /** The real handler with a fetcher that admits the local file server (http on 127.0.0.1). */
  readonly lenient: FunctionUrlHandler;
  /** The local file server, which answers every path with WAV. */
  readonly filesOrigin: string;
  /** How many requests the file server has had since the last clear(). */
  fileRequests(): number;
  /** Forgets what ElevenLabs and the file server were sent so far. */
  clear(): void;
  /** How many objects the bucket holds under a key's caller folder. */
  objectsOf(key: string): Promise<number>;
  /** A key ElevenLabs accepts, with a prefix of its own. */
  acceptedKey(status?: 'ok' | 'missing_permissions'): string;
  /** Uploads through create_upload_url and the PUT, re-signs with get_audio_url, and downloads the link. */
  servedHeaders(key: string, body: Buffer, filename: string, contentType: string): Promise<ServedHeaders>;
  /** One HTTP request holding a 2025-03-26 batch of create_upload_url calls; answers its JSON-RPC answers. */
  batchOfUploadUrls(key: string, count: number): Promise<any[]>;
  stop(): Promise<void>;
}

export interface ServedHeaders {
  readonly type: string | null;
  readonly disposition: string | null;
  readonly audioId: string;
}

/** A key nobody registered: ElevenLabs answers 401 invalid_api_key to it, as to any made-up key. */
export const madeUpKey = (): string => `sk_madeup_${randomBytes(20).toString('hex')}`;

export async function startAbuseBench(): Promise<AbuseBench> {
  const stack = await startStack();
  const handler = stack.handler;
  const bucket = viewBucket(stack.s3);
  let fileRequests = 0;
  const files = createServer((_req, res) => {
    fileRequests += 1;
    res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(WAV.length) }).end(WAV);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));

  // The same process as stack.handler (one model cache, one set of key verdicts), downloading from loopback.
  const { models, keyVerdicts } = stack.runtime;
  const lenient = createHandler(createRuntime({ ...stack.env }, { fetcher: loopbackFetcher(), models, keyVerdicts }));
  return {
    stack,
    lenient,
    filesOrigin: `http://127.0.0.1:${(files.address() as AddressInfo).port}`,
    fileRequests: () => fileRequests,
    clear() {
      stack.fake.clear();
      fileRequests = 0;
    },
    async objectsOf(key) {
      return (await bucket.keysOf(key)).length;
    },
    acceptedKey: (status = 'ok') => stack.fake.addKey(`sk_ok_${randomBytes(20).toString('hex')}`, status).key,
    async servedHeaders(key, body, filename, contentType) {
      const { audio_id } = await uploadThroughTool(handler, key, body, filename, contentType);
      const signed = await callTool(handler, 'get_audio_url', { audio_id }, key);
      const download = await fetch(signed.structuredContent.url);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(body)).toBe(true);
      return {
        type: download.headers.get('content-type'),
        disposition: download.headers.get('content-disposition'),
        audioId: audio_id,
      };
    },
    async batchOfUploadUrls(key, count) {
      const body = JSON.stringify(
        Array.from({ length: count }, (_, i) => ({
          jsonrpc: '2.0',
          id: i + 1,
          method: 'tools/call',
          params: {
            name: 'create_upload_url',
            arguments: { filename: `f${i}.mp3`, content_type: 'audio/mpeg', bytes: 100 * 1024 * 1024 },
          },
        })),
      );
      const result = await handler(
        functionUrlEvent({ headers: { ...JSON_HEADERS, 'x-elevenlabs-api-key': key }, body }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(200);
      return JSON.parse(result.body!) as any[];
    },
    async stop() {
      bucket.close();
      await new Promise<void>((resolve) => files.close(() => resolve()));
      await stack.stop();
    },
  };
}
