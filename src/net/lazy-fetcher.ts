import type { SafeFetcher } from './safe-fetch.js';

/**
 * The production fetcher behind a dynamic import(): safe-fetch and what it brings (node:http,
 * node:https, node:dns) load on the first download or URL check, not at every cold start, which
 * mostly serves requests that fetch nothing. `load` exists for tests.
 */
export function lazySafeFetcher(load: () => Promise<SafeFetcher> = loadSafeFetcher): SafeFetcher {
  let loading: Promise<SafeFetcher> | undefined;
  const fetcher = (): Promise<SafeFetcher> => {
    // A failed load is not kept: the next call tries again rather than failing for the process's life.
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    fetch: async (url, limits) => (await fetcher()).fetch(url, limits),
    check: async (url, options) => (await fetcher()).check(url, options),
  };
}

async function loadSafeFetcher(): Promise<SafeFetcher> {
  const { createSafeFetcher } = await import('./safe-fetch.js');
  return createSafeFetcher();
}
