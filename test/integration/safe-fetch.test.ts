import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputFetchError, InputRefusedError, InputTooLargeError } from '../../src/errors/index.js';
import { createSafeFetcher, isPublicAddress, type HostLookup, type ResolvedAddress } from '../../src/net/safe-fetch.js';

/**
 * The fetcher against real HTTP servers on 127.0.0.1. Local servers speak plain http on loopback, so
 * these fetchers allow http and admit exactly 127.0.0.1 on top of the production address policy;
 * every other address (private, link-local, ...) is judged as in production, and so are redirects.
 */

const FILE = bytes(1000, 'file');
let server: Server;
let origin: string;
let port: number;
const sockets = new Set<Socket>();
const seen: Array<{ path: string; host: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((req, res) => route(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
});

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://local');
  seen.push({ path: url.pathname, host: req.headers.host });
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

function bytes(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });

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

function fetcher(options: { timeoutMs?: number; firstByteMs?: number; idleMs?: number } = {}) {
  const lookup = testLookup();
  return {
    lookup,
    fetcher: createSafeFetcher({ allowHttp: true, isAllowedAddress: productionPlusTestServer, lookup, ...options }),
  };
}

const limits = (maxBytes = 10_000, ms = 10_000) => ({ maxBytes, signal: AbortSignal.timeout(ms) });

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (error: Error) => error,
  );
}

describe('downloading', () => {
  it('downloads the bytes with their type and a file name from the path', async () => {
    const { fetcher: f } = fetcher();
    const file = await f.fetch(`${origin}/file.mp3`, limits());
    expect(Buffer.from(file.bytes).equals(FILE)).toBe(true);
    expect(file).toMatchObject({ contentType: 'audio/mpeg', filename: 'file.mp3', url: `${origin}/file.mp3` });
  });

  it('takes the file name from Content-Disposition and drops media type parameters', async () => {
    const { fetcher: f } = fetcher();
    const file = await f.fetch(`${origin}/download`, limits());
    expect(file).toMatchObject({ contentType: 'application/octet-stream', filename: 'talk.wav' });
  });

  it('connects once to the address it checked, sending the host name as Host (no lookup to rebind)', async () => {
    const { fetcher: f, lookup } = fetcher();
    const file = await f.fetch(`http://rebind.test:${port}/file.mp3`, limits());
    expect(Buffer.from(file.bytes).equals(FILE)).toBe(true);
    expect(lookup.asked).toEqual(['rebind.test']);
    expect(seen).toEqual([{ path: '/file.mp3', host: `rebind.test:${port}` }]);
  });

  it('is refused by the production fetcher itself: the test server is plain http on loopback', async () => {
    const error = await failure(createSafeFetcher().fetch(`${origin}/file.mp3`, limits()));
    expect(error).toBeInstanceOf(InputRefusedError);
    expect(error.message).toMatch(/only https/);
    const https = await failure(createSafeFetcher().fetch(`https://127.0.0.1:${port}/file.mp3`, limits()));
    expect(https.message).toMatch(/loopback/);
    expect(seen).toEqual([]);
  });
});

describe('the size cap', () => {
  it('accepts a file of exactly the cap', async () => {
    const { fetcher: f } = fetcher();
    await expect(f.fetch(`${origin}/file.mp3`, limits(FILE.length))).resolves.toMatchObject({
      contentType: 'audio/mpeg',
    });
  });

  it('refuses from Content-Length, before reading the body', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${origin}/big`, limits(1000)));
    expect(error).toBeInstanceOf(InputTooLargeError);
    expect(error.message).toContain('larger than 1000 bytes');
  });

  it('aborts a stream without Content-Length once it passes the cap', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${origin}/big-chunked`, limits(1000)));
    expect(error).toBeInstanceOf(InputTooLargeError);
  });
});

describe('the time cap', () => {
  it("gives up when the caller's signal fires while waiting for an answer", async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${origin}/hang`, limits(10_000, 200)));
    expect(error).toBeInstanceOf(InputFetchError);
    expect(error.message).toContain('the request ran out of time before the download finished');
  });

  it('gives up when the body stalls half-way', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${origin}/slow-body`, limits(10_000, 200)));
    expect(error.message).toContain('the request ran out of time before the download finished');
  });

  it('gives up on a server that sends no answer, and on a body that stops, on its own timers', async () => {
    const { fetcher: f } = fetcher({ firstByteMs: 200 });
    const silent = await failure(f.fetch(`${origin}/hang`, limits(10_000, 60_000)));
    expect(silent.message).toContain('the server sent no answer within 0.2 seconds');
    const { fetcher: g } = fetcher({ idleMs: 200 });
    const stalled = await failure(g.fetch(`${origin}/slow-body`, limits(10_000, 60_000)));
    expect(stalled.message).toContain('the server stopped sending for 0.2 seconds before the whole file arrived');
  });

  it('has its own upper bound, whatever time the caller leaves', async () => {
    const { fetcher: f } = fetcher({ timeoutMs: 200 });
    const error = await failure(f.fetch(`${origin}/hang`, limits(10_000, 60_000)));
    expect(error.message).toContain('the download did not finish within 0.2 seconds');
  });
});

describe('redirects', () => {
  it('follows relative redirects up to five', async () => {
    const { fetcher: f } = fetcher();
    const file = await f.fetch(`${origin}/redirect/5`, limits());
    expect(Buffer.from(file.bytes).equals(FILE)).toBe(true);
    expect(file.url).toBe(`${origin}/file.mp3`);
    expect(seen.map((s) => s.path)).toEqual([
      '/redirect/5',
      '/redirect/4',
      '/redirect/3',
      '/redirect/2',
      '/redirect/1',
      '/file.mp3',
    ]);
  });

  it('stops at the sixth', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${origin}/redirect/6`, limits()));
    expect(error).toBeInstanceOf(InputFetchError);
    expect(error.message).toContain('redirected more than 5 times');
    expect(seen.map((s) => s.path)).not.toContain('/file.mp3');
  });

  it.each([
    ['http://10.0.0.1/secret', /a redirect points to a private network address/],
    ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', /a redirect points to a link-local address/],
    ['http://169.254.170.2/v2/credentials', /a redirect points to a link-local address/],
    ['http://[::ffff:169.254.169.254]/', /a redirect points to a link-local address/],
    ['http://metadata.test/latest/meta-data/', /host name in a redirect resolves to a link-local address/],
    ['http://intranet.test/', /host name in a redirect resolves to a private network address/],
    ['ftp://files.test/file.mp3', /only https URLs are accepted, and a redirect uses ftp:\/\//],
    ['file:///etc/passwd', /only https URLs are accepted, and a redirect uses file:\/\//],
  ])('re-checks a redirect to %s with the production policy', async (location, reason) => {
    const { fetcher: f } = fetcher();
    for (const status of [302, 307]) {
      const error = await failure(
        f.fetch(`${origin}/to?status=${status}&location=${encodeURIComponent(location)}`, limits()),
      );
      expect(error).toBeInstanceOf(InputRefusedError);
      expect(error.message).toMatch(reason);
      expect(error.message).not.toContain('10.0.0.7');
    }
  });

  it('refuses a redirect to localhost by name, even where the test policy admits 127.0.0.1', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(
      f.fetch(`${origin}/to?location=${encodeURIComponent(`http://localhost:${port}/file.mp3`)}`, limits()),
    );
    expect(error.message).toMatch(/a redirect points to a loopback address/);
    expect(seen.map((s) => s.path)).toEqual(['/to']);
  });

  it('refuses a redirect without a Location', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${origin}/to`, limits()));
    expect(error.message).toContain('without saying where to');
  });
});

describe('failures', () => {
  it.each([
    ['/status/404', /nothing is there \(HTTP 404\)/],
    ['/status/403', /refused access \(HTTP 403\)/],
    ['/status/503', /answered HTTP 503/],
    ['/truncate', /closed before the whole file arrived/],
    ['/empty', /empty file/],
  ])('reports %s as a download failure the model can act on', async (path, reason) => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${origin}${path}`, limits()));
    expect(error).toBeInstanceOf(InputFetchError);
    expect(error.message).toMatch(reason);
    expect(error.message).toContain('create_upload_url');
  });

  it('reports a closed port as a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`http://127.0.0.1:${closedPort}/file.mp3`, limits()));
    expect(error.message).toContain(
      'could not be downloaded: the connection was refused (nothing listens at that address and port).',
    );
    expect(error).toBeInstanceOf(InputFetchError);
    expect((error as InputFetchError).retryable).toBe(false);
  });
});
