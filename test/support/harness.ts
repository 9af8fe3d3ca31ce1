import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { createHandler, type FunctionUrlHandler, type InvocationContext } from '../../src/handler.js';
import { startEmbeddedS3, type EmbeddedS3 } from '../../src/local/embedded-s3.js';
import { startLocalServer, type LocalServer } from '../../src/local/server.js';
import {
  createSafeFetcher,
  isPublicAddress,
  type SafeFetcher,
  type SafeFetchOptions,
} from '../../src/net/safe-fetch.js';
import type { OAuthOverrides } from '../../src/oauth/index.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { FakeElevenLabs } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';

/** Keys used by tests. They look like real keys and are not. */
export const KEY_A = 'sk_test_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const KEY_B = 'sk_test_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

export interface Stack {
  readonly fake: FakeElevenLabs;
  readonly s3: EmbeddedS3;
  readonly runtime: Runtime;
  readonly handler: FunctionUrlHandler;
  /** The S3 credentials the runtime uses, as environment variables. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The real handler wired to a fake ElevenLabs API and a real S3-compatible server, both on 127.0.0.1.
 * `env` adds or overrides configuration variables.
 */
export async function startStack(env: Record<string, string> = {}, oauth: OAuthOverrides = {}): Promise<Stack> {
  const fake = new FakeElevenLabs();
  const baseUrl = await fake.start();
  fake.addKey(KEY_A);
  fake.addKey(KEY_B);
  const directory = await mkdtemp(join(tmpdir(), 'el-mcp-s3-'));
  const s3 = await startEmbeddedS3({ directory, bucket: 'audio-test' });
  const fullEnv = {
    ELEVENLABS_BASE_URL: baseUrl,
    AUDIO_BUCKET: s3.bucket,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_REGION: 'us-east-1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The suites written before OAuth test keyless requests (initialize, tools/list, a tool's "send your
    // key" answer): that is the OAUTH=off behaviour, unchanged. The OAuth suites pass OAUTH=on.
    OAUTH: 'off',
    ...env,
  };
  // The S3 client reads credentials from the environment, as it does in Lambda.
  process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
  const runtime = createRuntime(fullEnv, {}, oauth);
  return {
    fake,
    s3,
    runtime,
    handler: createHandler(runtime),
    env: fullEnv,
    async stop() {
      await Promise.allSettled([fake.stop(), s3.close()]);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export function lambdaContext(remainingMs = 30_000): InvocationContext {
  const started = Date.now();
  return {
    awsRequestId: `test-${started}`,
    getRemainingTimeInMillis: () => Math.max(0, remainingMs - (Date.now() - started)),
  };
}

export interface EventSpec {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  base64?: boolean;
  query?: string;
}

/** A Function URL event shaped like those in events/ (and like AWS sends). */
export function functionUrlEvent(spec: EventSpec = {}): LambdaFunctionURLEvent {
  const method = spec.method ?? 'POST';
  const path = spec.path ?? '/mcp';
  const host = 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws';
  const headers: Record<string, string> = {
    host,
    'x-forwarded-proto': 'https',
    'user-agent': 'vitest',
    ...lowerKeys(spec.headers ?? {}),
  };
  const binary = spec.base64 ?? Buffer.isBuffer(spec.body);
  const body =
    spec.body === undefined ? undefined : binary ? Buffer.from(spec.body).toString('base64') : String(spec.body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: spec.query ?? '',
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnopqrstuvwxyz012345',
      domainName: host,
      domainPrefix: 'abcdefghijklmnopqrstuvwxyz012345',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'vitest' },
      requestId: `req-${Math.random().toString(16).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: '21/Nov/2026:16:00:00 +0000',
      timeEpoch: Date.now(),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: body !== undefined && binary,
  } as LambdaFunctionURLEvent;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
/** What a client sends after an initialize that negotiated 2025-11-25 (the newest `initialize`-era version). */
export const SESSION_HEADERS = { ...JSON_HEADERS, 'mcp-protocol-version': '2025-11-25' };

let nextId = 1;
export function rpc(method: string, params?: Record<string, unknown>, id: number | string = nextId++): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
}

/** What the handler answered to one event: status, headers, the body as text, and as JSON when it is. */
export interface HandlerAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

/** Sends one event of any shape (bad ones included) through the handler. */
export async function invoke(handler: FunctionUrlHandler, spec: EventSpec): Promise<HandlerAnswer> {
  const result = await handler(functionUrlEvent(spec), lambdaContext());
  const text = result.body ?? '';
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: result.statusCode ?? 200, headers: (result.headers ?? {}) as Record<string, string>, text, json };
}

/** POSTs one JSON-RPC request to /mcp through the handler; returns the status and parsed body. */
export async function call(
  handler: FunctionUrlHandler,
  method: string,
  params?: Record<string, unknown>,
  headers: Record<string, string> = {},
  context = lambdaContext(),
): Promise<{ status: number; headers: Record<string, string>; body: any }> {
  const result = await handler(
    functionUrlEvent({ headers: { ...SESSION_HEADERS, ...headers }, body: rpc(method, params) }),
    context,
  );
  return {
    status: result.statusCode ?? 200,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: result.body
      ? JSON.parse(result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString() : result.body)
      : undefined,
  };
}

export async function callTool(
  handler: FunctionUrlHandler,
  name: string,
  args: Record<string, unknown>,
  key: string | undefined = KEY_A,
  context = lambdaContext(),
): Promise<any> {
  const response = await call(
    handler,
    'tools/call',
    { name, arguments: args },
    key ? { 'x-elevenlabs-api-key': key } : {},
    context,
  );
  if (response.status !== 200 || !response.body.result)
    throw new Error(`tools/call ${name} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.result;
}

/** The text of a tool result's text blocks. */
export function textOf(result: { content: Array<{ type: string; text?: string }> }): string {
  return result.content
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

/** Serves a handler over HTTP like `npm start` does. */
export function serve(handler: FunctionUrlHandler, timeoutMs?: number): Promise<LocalServer> {
  return startLocalServer({ handler, ...(timeoutMs ? { timeoutMs } : {}) });
}

/** Everything written to stdout and stderr while `fn` runs (the logger writes JSON lines there). */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; output: string }> {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const grab = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return true;
  };
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  try {
    const result = await fn();
    return { result, output: chunks.join('') };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/**
 * Production's download policy, except that it may also reach 127.0.0.1 over plain http, where
 * `serveFiles` listens: for tests of the url input form (`options` may shorten its limits). The real stack
 * refuses those URLs.
 */
export function loopbackFetcher(options: SafeFetchOptions = {}): SafeFetcher {
  return createSafeFetcher({
    allowHttp: true,
    isAllowedAddress: (address) => address === '127.0.0.1' || isPublicAddress(address),
    ...options,
  });
}

/** A plain HTTP server on 127.0.0.1 serving these files by path (anything else is 404). */
export async function serveFiles(
  files: Record<string, { type: string; body: Buffer }>,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (file)
      res.writeHead(200, { 'content-type': file.type, 'content-length': String(file.body.length) }).end(file.body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** create_upload_url, then the PUT a client makes with the method and headers it returned. */
export async function uploadThroughTool(
  handler: FunctionUrlHandler,
  key: string,
  body: Buffer,
  filename: string,
  contentType: string,
): Promise<{ audio_id: string; key: string; upload_url: string }> {
  const created = await callTool(
    handler,
    'create_upload_url',
    { filename, content_type: contentType, bytes: body.length },
    key,
  );
  if (created.isError) throw new Error(`create_upload_url failed: ${textOf(created)}`);
  const target = created.structuredContent;
  const put = await fetch(target.upload_url, {
    method: target.method,
    headers: target.headers,
    body: new Uint8Array(body),
  });
  if (put.status !== 200) throw new Error(`the PUT to the upload URL answered ${put.status}`);
  return target;
}
