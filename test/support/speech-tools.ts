import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import type { RecordedRequest } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { createRuntime } from '../../src/runtime.js';
import { loadAllTools } from '../../src/tools/index.js';
import { callTool as callToolRaw, KEY_A, loopbackFetcher, serveFiles, textOf, uploadThroughTool } from './harness.js';
import { stack, useStack } from './suite-stack.js';

/**
 * The shared setup, fixtures and checks of the tools-speech-*.test.ts suites (speech_to_text, read_transcript,
 * speech_to_speech, isolate_audio, text_to_sound_effects and text_to_dialogue through the real handler and the
 * real SDK, against the fake ElevenLabs API and s3rver).
 */

const ALL_TOOLS = await loadAllTools();

export const RECORDING = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), randomBytes(20_000)]);
export const VIDEO = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), randomBytes(4000)]);
export const SMALL_VIDEO = VIDEO.subarray(0, 48).toString('base64');
export const GEORGE = 'JBFqnCBsd6RMkjVDRZzb';
export const SARAH = 'EXAVITQu4vr4xnSDxMaL';
export const DEFAULT_VOICE = 'cgSgspJ2msm6clMCkdW9';
export const DEFAULT_TRANSCRIPT = 'Hello, and welcome to the show. (laughter) Thanks for having me.';

// Like `stack`, these are live bindings that `useSpeechStack` sets before the file's first test.
/** The real handler whose fetcher admits the local file server (http, 127.0.0.1). */
export let downloading: FunctionUrlHandler;
/** The real handler without an audio bucket. */
export let bucketless: FunctionUrlHandler;
/** The origin of a plain HTTP server on 127.0.0.1 that serves RECORDING as /talk.mp3. */
export let filesOrigin: string;

/**
 * The file's stack (`useStack`), plus the handlers above and the file server, closed after the last test.
 * Call it once, at the top level of the test file.
 */
export function useSpeechStack(): void {
  useStack();
  let files: Awaited<ReturnType<typeof serveFiles>>;
  beforeAll(async () => {
    downloading = createHandler(createRuntime({ ...stack.env }, { fetcher: loopbackFetcher() }));
    bucketless = createHandler(createRuntime({ ...stack.env, AUDIO_BUCKET: '' }));
    files = await serveFiles({ '/talk.mp3': { type: 'audio/mpeg', body: RECORDING } });
    filesOrigin = files.origin;
  });
  afterAll(() => files.close());
}

/** callTool, checking that every successful result carries exactly the structured fields its output schema declares. */
export async function callTool(
  handler: FunctionUrlHandler,
  name: string,
  args: Record<string, unknown>,
  key: string = KEY_A,
): Promise<any> {
  const result = await callToolRaw(handler, name, args, key);
  if (!result.isError)
    ALL_TOOLS.find((tool) => tool.name === name)!
      .output.strict()
      .parse(result.structuredContent);
  return result;
}

/** A key of its own, known to the fake, whose storage prefix starts empty. */
export function freshKey(): string {
  const key = `sk_test_${randomBytes(16).toString('hex')}`;
  stack.fake.addKey(key);
  return key;
}

/** create_upload_url, then the PUT a client would make. */
export async function upload(key: string, body: Buffer, filename: string, contentType: string): Promise<string> {
  return (await uploadThroughTool(stack.handler, key, body, filename, contentType)).audio_id;
}

/** GETs a URL that must answer 200: its content type and bytes. */
export async function download(url: string): Promise<{ type: string | null; bytes: Buffer }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

/** The one request the fake got at `path`, with its multipart form. */
export async function onlyRequest(path: RegExp): Promise<{ request: RecordedRequest; form: FormData }> {
  const requests = stack.fake.requestsTo(path);
  expect(requests).toHaveLength(1);
  const request = requests[0]!;
  expect(request.method).toBe('POST');
  return {
    request,
    form: request.headers['content-type']?.startsWith('multipart/') ? await request.form() : new FormData(),
  };
}

/** The file a multipart form carries under `name`: its bytes, file name and type. */
export async function filePart(
  form: FormData,
  name: string,
): Promise<{ bytes: Buffer; filename: string; type: string }> {
  const part = form.get(name);
  expect(part).toBeInstanceOf(File);
  const file = part as File;
  return { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name, type: file.type };
}

/** The plain (non-file) fields of a multipart form. */
export function fields(form: FormData): Record<string, string> {
  return Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string') as Array<[string, string]>);
}

/** The last audio the fake produced for a key. */
export function lastAudio(key = KEY_A): Buffer {
  return stack.fake.account(key)!.audio.at(-1)!;
}

/** The result is an error that says `says`, and the fake got no request at `path`. */
export function expectRefusedBeforeCallingOut(result: any, says: RegExp, path: RegExp): void {
  expect(result.isError).toBe(true);
  expect(textOf(result)).toMatch(says);
  expect(stack.fake.requestsTo(path)).toHaveLength(0);
}
