import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InputFetchError, InputRefusedError, InputTooLargeError } from '../../src/errors/index.js';
import { createSafeFetcher } from '../../src/net/safe-fetch.js';
import { FILE, failure, fetcher, limits, useDownloadServer } from '../support/download-server.js';

/**
 * The fetcher against a real HTTP server on 127.0.0.1 (test/support/download-server.ts). Local servers
 * speak plain http on loopback, so these fetchers allow http and admit exactly 127.0.0.1 on top of the
 * production address policy; every other address (private, link-local, ...) is judged as in production,
 * and so are redirects.
 */

const server = useDownloadServer();

describe('downloading', () => {
  it('downloads the bytes with their type and a file name from the path', async () => {
    const { fetcher: f } = fetcher();
    const file = await f.fetch(`${server.origin}/file.mp3`, limits());
    expect(Buffer.from(file.bytes).equals(FILE)).toBe(true);
    expect(file).toMatchObject({ contentType: 'audio/mpeg', filename: 'file.mp3', url: `${server.origin}/file.mp3` });
  });

  it('takes the file name from Content-Disposition and drops media type parameters', async () => {
    const { fetcher: f } = fetcher();
    const file = await f.fetch(`${server.origin}/download`, limits());
    expect(file).toMatchObject({ contentType: 'application/octet-stream', filename: 'talk.wav' });
  });

  it('connects once to the address it checked, sending the host name as Host (no lookup to rebind)', async () => {
    const { fetcher: f, lookup } = fetcher();
    const file = await f.fetch(`http://rebind.test:${server.port}/file.mp3`, limits());
    expect(Buffer.from(file.bytes).equals(FILE)).toBe(true);
    expect(lookup.asked).toEqual(['rebind.test']);
    expect(server.seen).toEqual([{ path: '/file.mp3', host: `rebind.test:${server.port}` }]);
  });

  it('is refused by the production fetcher itself: the test server is plain http on loopback', async () => {
    const error = await failure(createSafeFetcher().fetch(`${server.origin}/file.mp3`, limits()));
    expect(error).toBeInstanceOf(InputRefusedError);
    expect(error.message).toMatch(/only https/);
    const https = await failure(createSafeFetcher().fetch(`https://127.0.0.1:${server.port}/file.mp3`, limits()));
    expect(https.message).toMatch(/loopback/);
    expect(server.seen).toEqual([]);
  });
});

describe('the size cap', () => {
  it('accepts a file of exactly the cap', async () => {
    const { fetcher: f } = fetcher();
    await expect(f.fetch(`${server.origin}/file.mp3`, limits(FILE.length))).resolves.toMatchObject({
      contentType: 'audio/mpeg',
    });
  });

  it('refuses from Content-Length, before reading the body', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${server.origin}/big`, limits(1000)));
    expect(error).toBeInstanceOf(InputTooLargeError);
    expect(error.message).toContain('larger than 1000 bytes');
  });

  it('aborts a stream without Content-Length once it passes the cap', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${server.origin}/big-chunked`, limits(1000)));
    expect(error).toBeInstanceOf(InputTooLargeError);
  });
});

describe('the time cap', () => {
  it("gives up when the caller's signal fires while waiting for an answer", async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${server.origin}/hang`, limits(10_000, 200)));
    expect(error).toBeInstanceOf(InputFetchError);
    expect(error.message).toContain('the request ran out of time before the download finished');
  });

  it('gives up when the body stalls half-way', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${server.origin}/slow-body`, limits(10_000, 200)));
    expect(error.message).toContain('the request ran out of time before the download finished');
  });

  it('gives up on a server that sends no answer, and on a body that stops, on its own timers', async () => {
    const { fetcher: f } = fetcher({ firstByteMs: 200 });
    const silent = await failure(f.fetch(`${server.origin}/hang`, limits(10_000, 60_000)));
    expect(silent.message).toContain('the server sent no answer within 0.2 seconds');
    const { fetcher: g } = fetcher({ idleMs: 200 });
    const stalled = await failure(g.fetch(`${server.origin}/slow-body`, limits(10_000, 60_000)));
    expect(stalled.message).toContain('the server stopped sending for 0.2 seconds before the whole file arrived');
  });

  it('has its own upper bound, whatever time the caller leaves', async () => {
    const { fetcher: f } = fetcher({ timeoutMs: 200 });
    const error = await failure(f.fetch(`${server.origin}/hang`, limits(10_000, 60_000)));
    expect(error.message).toContain('the download did not finish within 0.2 seconds');
  });
});

describe('redirects', () => {
  it('follows relative redirects up to five', async () => {
    const { fetcher: f } = fetcher();
    const file = await f.fetch(`${server.origin}/redirect/5`, limits());
    expect(Buffer.from(file.bytes).equals(FILE)).toBe(true);
    expect(file.url).toBe(`${server.origin}/file.mp3`);
    expect(server.seen.map((s) => s.path)).toEqual([
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
    const error = await failure(f.fetch(`${server.origin}/redirect/6`, limits()));
    expect(error).toBeInstanceOf(InputFetchError);
    expect(error.message).toContain('redirected more than 5 times');
    expect(server.seen.map((s) => s.path)).not.toContain('/file.mp3');
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
        f.fetch(`${server.origin}/to?status=${status}&location=${encodeURIComponent(location)}`, limits()),
      );
      expect(error).toBeInstanceOf(InputRefusedError);
      expect(error.message).toMatch(reason);
      expect(error.message).not.toContain('10.0.0.7');
    }
  });

  it('refuses a redirect to localhost by name, even where the test policy admits 127.0.0.1', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(
      f.fetch(
        `${server.origin}/to?location=${encodeURIComponent(`http://localhost:${server.port}/file.mp3`)}`,
        limits(),
      ),
    );
    expect(error.message).toMatch(/a redirect points to a loopback address/);
    expect(server.seen.map((s) => s.path)).toEqual(['/to']);
  });

  it('refuses a redirect without a Location', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(`${server.origin}/to`, limits()));
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
    const error = await failure(f.fetch(`${server.origin}${path}`, limits()));
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
