import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  createSafeFetcher,
  type HostLookup,
  isPublicAddress,
  type ResolvedAddress,
  type SafeFetcher,
} from '../../src/net/safe-fetch.js';

/**
 * What test/integration/safe-fetch.test.ts downloads from: a plain HTTP server on 127.0.0.1 with a path
 * for each way a download can go (a file, redirects, caps, stalls, failures), a host name table standing
 * in for DNS, and fetchers with the production address policy plus exactly that server's address.
 */

/** `size` bytes that depend on `seed` only, so a download can be compared byte for byte. */
function bytes(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** What /file.mp3 (and every redirect chain's end) serves. */
export const FILE = bytes(1000, 'file');

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://local');
  const redirect = /^\/redirect\/(\d+)$/.exec(url.pathname);
  if (redirect) {
    const left = Number(redirect[1]);
    // Relative Location headers, resolved against the URL that answered.
    res.writeHead(302, { location: left > 1 ? `/redirect/${left - 1}` : '/file.mp3' }).end();
    return;
  }
  switch (url.pathname) {
    case '/file.mp3':
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(FILE.length) }).end(FILE);
      return;
    case '/download':
      res
        .writeHead(200, {
          'content-type': 'application/octet-stream; charset=binary',
          'content-disposition': 'attachment; filename="talk.wav"',
        })
        .end(FILE);
      return;
    case '/to':
      res
        .writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('location') ?? '' })
        .end();
      return;
    case '/big':
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': '5000' }).end(bytes(5000, 'big'));
      return;
    case '/big-chunked': {
      // No Content-Length: the cap has to be enforced while streaming.
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed || sent >= 100) {
          clearInterval(timer);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(bytes(400, `chunk${sent++}`));
      }, 5);
      return;
    }
    case '/hang':
      return;
    case '/slow-body':
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': '1000' });
      res.write(bytes(10, 'start'));
      return;
    case '/truncate':
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': '1000' });
      res.write(bytes(500, 'half'), () => res.socket?.destroy());
      return;
    case '/empty':
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': '0' }).end();
      return;
    default: {
      const status = /^\/status\/(\d{3})$/.exec(url.pathname);
      res.writeHead(status ? Number(status[1]) : 404, { 'content-type': 'text/plain' }).end('no');
    }
  }
}

/**
 * The server, on a port of its own. Its address is there from `start()` on (useDownloadServer calls it in
 * beforeAll); `seen` holds the requests since the last `forget()`, each test's requests with useDownloadServer.
 */
export class DownloadServer {
  readonly seen: Array<{ path: string; host: string | undefined }> = [];
  #server: Server | undefined;
  #port: number | undefined;
  readonly #sockets = new Set<Socket>();

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.seen.push({ path: new URL(req.url ?? '/', 'http://local').pathname, host: req.headers.host });
      route(req, res);
    });
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
  }

  /** Ends the connections the stalling paths leave open, then closes. */
  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  forget(): void {
    this.seen.length = 0;
  }

  get port(): number {
    if (this.#port === undefined) throw new Error('the download server is used before start()');
    return this.#port;
  }

  /** `http://127.0.0.1:<port>`. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}

/** A DownloadServer started before the file's tests, stopped after them, its `seen` emptied before each. */
export function useDownloadServer(): DownloadServer {
  const server = new DownloadServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => server.forget());
  return server;
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });

/** Host names of the tests, answered from a table; `asked` lists every name looked up. */
function testLookup(): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const table: Record<string, ResolvedAddress[]> = {
    'files.test': [v4('127.0.0.1')],
    'metadata.test': [v4('169.254.169.254')],
    'intranet.test': [v4('10.0.0.7')],
  };
  const lookup = async (hostname: string): Promise<ResolvedAddress[]> => {
    asked.push(hostname);
    // A rebinding name: the first answer passes the check, every later one points inside.
    if (hostname === 'rebind.test')
      return asked.filter((h) => h === hostname).length === 1 ? [v4('127.0.0.1')] : [v4('10.0.0.1')];
    const answer = table[hostname];
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answer;
  };
  return Object.assign(lookup, { asked });
}

/** Production address policy, plus the loopback address the test server listens on. */
const productionPlusTestServer = (address: string): boolean => address === '127.0.0.1' || isPublicAddress(address);

/** A fetcher allowing http and the test server's address, looking names up in the test table. */
export function fetcher(options: { timeoutMs?: number; firstByteMs?: number; idleMs?: number } = {}): {
  lookup: HostLookup & { asked: string[] };
  fetcher: SafeFetcher;
} {
  const lookup = testLookup();
  return {
    lookup,
    fetcher: createSafeFetcher({ allowHttp: true, isAllowedAddress: productionPlusTestServer, lookup, ...options }),
  };
}

/** The caller's limits: at most `maxBytes`, within `ms`. */
export const limits = (maxBytes = 10_000, ms = 10_000) => ({ maxBytes, signal: AbortSignal.timeout(ms) });

/** The error a fetch fails with (and a failure of the test if it does not fail). */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (error: Error) => error,
  );
}
