import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionUrlHandler } from '../handler.js';
import { MAX_REQUEST_BYTES, toFunctionUrlEvent } from './function-url-event.js';

export interface LocalServerOptions {
  readonly handler: FunctionUrlHandler;
  readonly port?: number;
  readonly host?: string;
  /** The function timeout to emulate: what `getRemainingTimeInMillis` counts down from. */
  readonly timeoutMs?: number;
}

export interface LocalServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** The template's default function timeout. */
export const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * Serves the Lambda handler over HTTP the way a Function URL does: each request becomes the exact
 * payload 2.0 event, the handler's result becomes the response, bodies above 6 MB are refused.
 * Requests run concurrently, as concurrent Lambda invocations would (each in its own instance there).
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const server = createServer((req, res) => {
    serve(req, res, options.handler, timeoutMs).catch(() => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });
  // Long generations must not be cut by Node's own request timeout.
  server.requestTimeout = timeoutMs + 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  handler: FunctionUrlHandler,
  timeoutMs: number,
): Promise<void> {
  const body = await readBody(req);
  if (body === undefined) {
    // What a Function URL answers for a payload over its 6 MB limit.
    res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ message: 'Request Entity Too Large' }));
    req.socket.destroySoon?.();
    return;
  }
  const event = toFunctionUrlEvent(req, body);
  const started = Date.now();
  const result = await handler(event, {
    awsRequestId: event.requestContext.requestId,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
  });

  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string> | undefined) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const payload =
    result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  headers['content-length'] = String(payload.length);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(payload);
}

/** The whole body, or undefined once it passes the 6 MB limit (the rest is not read). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
