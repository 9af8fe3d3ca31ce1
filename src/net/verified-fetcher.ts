import type { SafeFetcher } from './safe-fetch.js';

/**
 * A fetcher that downloads only once `verify` has resolved (ElevenLabs accepted the caller's key), so
 * that a made-up key cannot make the function fetch anything. `check` downloads nothing (the URL goes to
 * ElevenLabs, which judges the key itself) and is passed through.
 */
export function verifiedFetcher(fetcher: SafeFetcher, verify: () => Promise<void>): SafeFetcher {
  return {
    async fetch(url, limits) {
      await verify();
      return fetcher.fetch(url, limits);
    },
    check: (url, options) => fetcher.check(url, options),
  };
}
