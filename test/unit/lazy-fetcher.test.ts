import { describe, expect, it } from 'vitest';
import { InputRefusedError } from '../../src/errors/index.js';
import { lazySafeFetcher } from '../../src/net/lazy-fetcher.js';
import type { FetchedFile, SafeFetcher } from '../../src/net/safe-fetch.js';

const limits = () => ({ maxBytes: 1024, signal: AbortSignal.timeout(5_000) });

/** A fetcher that records what it was asked. */
function recordingFetcher(): SafeFetcher & { calls: string[] } {
  const calls: string[] = [];
  const file: FetchedFile = {
    bytes: new Uint8Array([1]),
    url: 'https://example.com/a.mp3',
    contentType: 'audio/mpeg',
    filename: 'a.mp3',
  };
  return {
    calls,
    fetch: async (url) => {
      calls.push(`fetch ${url}`);
      return file;
    },
    check: async (url) => {
      calls.push(`check ${url}`);
      return url;
    },
  };
}

describe('the lazy fetcher', () => {
  it('loads nothing until used, then loads once and passes every call through', async () => {
    // Prepare
    const inner = recordingFetcher();
    let loads = 0;
    const fetcher = lazySafeFetcher(async () => {
      loads += 1;
      return inner;
    });
    expect(loads).toBe(0);

    // Act
    const [checked, fetched] = await Promise.all([
      fetcher.check('https://example.com/x', { signal: AbortSignal.timeout(5_000) }),
      fetcher.fetch('https://example.com/a.mp3', limits()),
    ]);
    await fetcher.fetch('https://example.com/b.mp3', limits());

    // Assess
    expect(loads).toBe(1);
    expect(checked).toBe('https://example.com/x');
    expect(fetched.filename).toBe('a.mp3');
    expect(inner.calls).toEqual([
      'check https://example.com/x',
      'fetch https://example.com/a.mp3',
      'fetch https://example.com/b.mp3',
    ]);
  });

  it('tries to load again after a failed load instead of failing for the life of the process', async () => {
    const inner = recordingFetcher();
    let loads = 0;
    const fetcher = lazySafeFetcher(async () => {
      loads++;
      if (loads === 1) throw new Error('chunk failed to load');
      return inner;
    });
    await expect(fetcher.fetch('https://example.com/a.mp3', limits())).rejects.toThrow('chunk failed to load');
    const checked = fetcher.check('https://example.com/a.mp3', { signal: AbortSignal.timeout(5_000) });
    await expect(checked).resolves.toBe('https://example.com/a.mp3');
    expect(loads).toBe(2);
  });

  it('is, by default, the production fetcher: https only, public addresses only', async () => {
    const fetcher = lazySafeFetcher();
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://[::ffff:10.0.0.1]/a.mp3',
      'http://example.com/a.mp3',
    ]) {
      await expect(fetcher.check(url, { signal: AbortSignal.timeout(5_000) })).rejects.toBeInstanceOf(
        InputRefusedError,
      );
      await expect(fetcher.fetch(url, limits())).rejects.toBeInstanceOf(InputRefusedError);
    }
  });
});
