import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { retryAfterSeconds } from '../errors.js';
import { VERSION } from '../version.js';

/** The point in time by which this invocation's upstream work must be over. */
export interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Aborts at `at`: fetches, body reads and S3 calls all listen to it. */
  readonly signal: AbortSignal;
}

/**
 * Leaves a margin of the Lambda's remaining time (10%, between 0.5 s and 5 s) to store the audio and
 * answer, so that a slow upstream becomes a clean error rather than a Lambda timeout.
 */
export function deadlineFrom(remainingMs: number, now = Date.now()): Deadline {
  const margin = Math.min(5_000, Math.max(500, remainingMs * 0.1));
  const budget = Math.max(1, Math.floor(remainingMs - margin));
  return { at: now + budget, signal: AbortSignal.timeout(budget) };
}

/** One upstream exchange, for debug logs: method, path and status only (never headers, so never the key). */
export interface UpstreamExchange {
  readonly method: string;
  readonly path: string;
  readonly status: number | 'failed';
  readonly attempt: number;
  readonly ms: number;
}

export interface ClientOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly deadline: Deadline;
  readonly observe?: (exchange: UpstreamExchange) => void;
}

/**
 * An ElevenLabs client bound to one caller's key. The SDK (about 0.6 s and 150 MB to load) is imported
 * here, on the first tool call that needs it, never on initialize or tools/list.
 * The key is always passed explicitly: given none, the SDK would fall back to ELEVENLABS_API_KEY.
 */
export async function createElevenLabsClient(options: ClientOptions): Promise<ElevenLabsClient> {
  if (!options.apiKey) throw new Error('createElevenLabsClient needs the caller\'s key');
  const { ElevenLabsClient } = await import('./sdk.js');
  return new ElevenLabsClient({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    // Retries and time limits are ours (see `fetchWithinDeadline`): the SDK's retry sleeps ignore
    // aborts and honour a Retry-After of up to 60 s, which could outlive the Lambda.
    maxRetries: 0,
    timeoutInSeconds: Math.max(1, Math.ceil((options.deadline.at - Date.now()) / 1000) + 1),
    headers: { 'user-agent': `elevenlabs-mcp-lambda/${VERSION}` },
    fetch: (input, init) => fetchWithinDeadline(input, init, options.deadline, fetch, options.observe),
  });
}

/** Answers that say the request was not processed: safe to send again, whatever it does. */
const NOT_PROCESSED = new Set([429, 503]);
/** Answers that leave it open whether the request took effect: retried only for reads. */
const MAYBE_PROCESSED = new Set([408, 500, 502, 504]);
const MAX_RETRIES = 2;
/** A Retry-After longer than this is handed back to the caller instead of waited out. */
const MAX_WAIT_MS = 10_000;
/** Do not start an attempt with less time than this left. */
const MIN_ATTEMPT_MS = 2_000;

/**
 * fetch, aborted at the deadline (which also covers reading a streamed body), with at most two retries,
 * each only if its wait and a useful attempt fit before the deadline. 429 and 503 are retried for any
 * request; other 5xx, 408 and connection failures only for reads, since a POST may already have taken
 * effect (billed audio, a created agent, a phone call placed).
 */
export async function fetchWithinDeadline(
  input: string | URL | Request,
  init: RequestInit | undefined,
  deadline: Deadline,
  fetchImpl: typeof fetch = fetch,
  observe?: (exchange: UpstreamExchange) => void,
): Promise<Response> {
  const signal = init?.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal;
  const request: RequestInit = { ...init, signal };
  const method = (init?.method ?? 'GET').toUpperCase();
  const replayable = isReplayable(init?.body);
  const path = pathOf(input);

  for (let attempt = 0; ; attempt++) {
    let response: Response;
    const started = performance.now();
    try {
      response = await fetchImpl(input, request);
      observe?.({ method, path, status: response.status, attempt, ms: Math.round(performance.now() - started) });
    } catch (error) {
      observe?.({ method, path, status: 'failed', attempt, ms: Math.round(performance.now() - started) });
      const wait = backoffMs(attempt);
      if (deadline.signal.aborted || method !== 'GET' || attempt >= MAX_RETRIES || !fits(wait, deadline)) throw error;
      await sleep(wait, deadline.signal);
      continue;
    }
    const retryable = NOT_PROCESSED.has(response.status) || (method === 'GET' && MAYBE_PROCESSED.has(response.status));
    if (!retryable || attempt >= MAX_RETRIES || !replayable) return response;
    const advised = retryAfterSeconds(response.headers);
    const wait = advised === undefined ? backoffMs(attempt) : advised * 1000;
    if (wait > MAX_WAIT_MS || !fits(wait, deadline)) return response;
    await response.body?.cancel().catch(() => undefined);
    await sleep(wait, deadline.signal);
  }
}

function pathOf(input: string | URL | Request): string {
  try {
    return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname;
  } catch {
    return '?';
  }
}

function fits(waitMs: number, deadline: Deadline): boolean {
  return Date.now() + waitMs + MIN_ATTEMPT_MS < deadline.at;
}

function backoffMs(attempt: number): number {
  return 500 * 2 ** attempt * (0.8 + Math.random() * 0.4);
}

function isReplayable(body: RequestInit['body']): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof FormData ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body)
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
