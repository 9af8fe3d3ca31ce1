import { describe, expect, it } from 'vitest';
import { KeyVerdicts } from '../../src/elevenlabs/key-check.js';
import {
  InvalidApiKeyError,
  PermissionDeniedError,
  retryAfterSeconds,
  UpstreamUnavailableError,
} from '../../src/errors/index.js';

const rejected = () => new InvalidApiKeyError('Invalid API key.', 401, 'invalid_api_key');

describe('KeyVerdicts', () => {
  it('probes once for concurrent and later checks of an accepted caller, until the verdict expires', async () => {
    const verdicts = new KeyVerdicts(1_000, 100);
    let probes = 0;
    const probe = async () => void (probes += 1);
    await Promise.all([verdicts.verify('a', probe), verdicts.verify('a', probe), verdicts.verify('a', probe)]);
    await verdicts.verify('a', probe);
    expect(probes).toBe(1);
    await verdicts.verify('a', probe, Date.now() + 2_000);
    expect(probes).toBe(2);
  });

  it('throws the same rejection again without probing, for less time than an acceptance lasts', async () => {
    const verdicts = new KeyVerdicts(60_000, 1_000);
    let probes = 0;
    const probe = async () => {
      probes += 1;
      throw rejected();
    };
    const first = await verdicts.verify('b', probe).catch((e: unknown) => e);
    const second = await verdicts.verify('b', probe).catch((e: unknown) => e);
    expect(second).toBe(first);
    expect(probes).toBe(1);
    await verdicts.verify('b', probe, Date.now() + 2_000).catch(() => undefined);
    expect(probes).toBe(2);
  });

  it('accepts a restricted key and remembers no outage', async () => {
    const verdicts = new KeyVerdicts();
    await verdicts.verify('c', async () => {
      throw new PermissionDeniedError('missing permission.', 401, 'missing_permissions');
    });
    await expect(
      verdicts.verify('d', async () => Promise.reject(new UpstreamUnavailableError('HTTP 503', 503))),
    ).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(verdicts.size).toBe(1);
  });

  it('holds at most its bound of callers, dropping the oldest', async () => {
    const verdicts = new KeyVerdicts(60_000, 1_000, 3);
    for (const id of ['1', '2', '3', '4', '5']) await verdicts.verify(id, async () => undefined);
    expect(verdicts.size).toBe(3);
    let probed = false;
    await verdicts.verify('1', async () => void (probed = true));
    expect(probed).toBe(true);
  });
});

describe('retryAfterSeconds', () => {
  const headers = (value: string) => new Headers({ 'retry-after': value });
  it('caps absurd values at a day', () => {
    expect(retryAfterSeconds(headers('99999999999999999999'))).toBe(86_400);
    expect(retryAfterSeconds(headers('7'))).toBe(7);
    expect(retryAfterSeconds(headers(new Date(Date.now() + 10 * 365 * 86_400_000).toUTCString()))).toBe(86_400);
  });
});
