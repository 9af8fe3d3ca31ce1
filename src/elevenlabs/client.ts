import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { retryAfterSeconds, UpstreamStalledError } from '../errors/index.js';
import { expiryOf, Watchdog, watchBody } from '../net/watchdog.js';
import { VERSION } from '../version.js';
import type { Deadline } from '../net/deadline.js';

export type { Deadline } from '../net/deadline.js';

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
  /** The stall budgets by path: `budgetFor` unless a test shortens them (Runtime.budgets). */
  readonly budgets?: (path: string) => CallBudget;
}

/**
 * An ElevenLabs client bound to one caller's key. The SDK (about 0.6 s and 150 MB to load) is imported
 * here, on the first tool call that needs it, never on initialize or tools/list.
 * The key is always passed explicitly: given none, the SDK would fall back to ELEVENLABS_API_KEY.
 */
export async function createElevenLabsClient(options: ClientOptions): Promise<ElevenLabsClient> {
  if (!options.apiKey) throw new Error("createElevenLabsClient needs the caller's key");
  const { ElevenLabsClient } = await import('./sdk.js');
  return new ElevenLabsClient({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    // Retries and time limits are ours (see `fetchWithinDeadline`): the SDK's retry sleeps ignore
    // aborts and honour a Retry-After of up to 60 s, which could outlive the Lambda.
    maxRetries: 0,
    // The SDK arms a timer per request and clears it only when its fetch resolves: a failed call left
    // it running for the whole timeout (and kept a process from exiting). With 0 it fires at once and is
    // gone; the signal it aborts is dropped below, since the deadline and the stall budgets are ours.
    timeoutInSeconds: 0,
    headers: { 'user-agent': `elevenlabs-mcp-lambda/${VERSION}` },
    fetch: (input, init) => {
      const target = streamingVariant(input, init?.method);
      const budget = options.budgets?.(pathOf(target));
      return fetchWithinDeadline(target, { ...init, signal: null }, options.deadline, fetch, options.observe, budget);
    },
  });
}

/**
 * How long one kind of call may take to start answering (response headers) and then go without a byte.
 * ElevenLabs' non-streaming endpoints send their headers only once the whole audio is made, so their
 * first-byte budget is the generation time; the streaming text-to-speech endpoint starts within a second.
 */
export interface CallBudget {
  /** For messages: "text to speech". */
  readonly what: string;
  readonly firstByteMs: number;
  readonly idleMs: number;
  /** Why a long budget is what it is, said in its error. */
  readonly bound?: string;
}

/**
 * MCP clients give up on a request after 60 s by default (the TypeScript and Python SDKs' request
 * timeout): waiting longer only bills the Lambda for an answer nobody reads. Long generations get up to
 * 50 s to start answering, which leaves the time to store and answer before 60 s.
 */
const CLIENT_PATIENCE =
  'MCP clients give up on a request after 60 seconds by default, so this server stops waiting before then';
const SHORT = { firstByteMs: 15_000, idleMs: 10_000 };
const GENERATION = { firstByteMs: 30_000, idleMs: 10_000 };
const LONG = { firstByteMs: 50_000, idleMs: 15_000, bound: CLIENT_PATIENCE };

const BUDGETS: ReadonlyArray<readonly [RegExp, CallBudget]> = [
  [/^\/v1\/text-to-speech\/[^/]+\/stream$/, { what: 'text to speech', ...SHORT }],
  [/^\/v1\/text-to-speech\/[^/]+(\/with-timestamps)?$/, { what: 'text to speech', ...GENERATION }],
  [/^\/v1\/text-to-dialogue\/stream$/, { what: 'text to dialogue', ...SHORT }],
  [/^\/v1\/speech-to-speech\/[^/]+\/stream$/, { what: 'speech to speech', ...SHORT }],
  [/^\/v1\/text-to-dialogue$/, { what: 'text to dialogue', ...GENERATION }],
  [/^\/v1\/speech-to-speech\/[^/]+$/, { what: 'speech to speech', ...GENERATION }],
  [/^\/v1\/sound-generation$/, { what: 'the sound effect', ...GENERATION }],
  [/^\/v1\/text-to-voice(\/design)?$/, { what: 'voice design', ...GENERATION }],
  [/^\/v1\/voices\/add$/, { what: 'voice cloning', ...GENERATION }],
  [/^\/v1\/music(\/detailed)?(\/stream)?$/, { what: 'music composition', ...LONG }],
  [/^\/v1\/music\/(video-to-music|upload)$/, { what: 'music generation', ...LONG }],
  [/^\/v1\/speech-to-text$/, { what: 'the transcription', ...LONG }],
  // The recording travels to ElevenLabs before any answer can start: up to 100 MiB.
  [/^\/v1\/audio-isolation(\/stream)?$/, { what: 'audio isolation', ...LONG }],
  [/^\/v1\/convai\/agents\/[^/]+\/simulate-conversation$/, { what: 'the simulated conversation', ...LONG }],
];

/** The budget of a call to ElevenLabs, by its path; reads and small writes are short. */
export function budgetFor(path: string): CallBudget {
  return BUDGETS.find(([pattern]) => pattern.test(path))?.[1] ?? { what: 'the request', ...SHORT };
}

/**
 * SDK calls whose endpoint has a streaming twin taking the same query and body and answering the same
 * audio, chunked as it is made (SDK 2.73: `textToDialogue.stream`, `speechToSpeech.stream`,
 * `audioIsolation.stream`). The tools call `convert`, which answers only once the whole audio exists;
 * sent to the twin instead, the first bytes come within seconds, so a stall is told apart from a long
 * generation by the idle budget rather than by waiting out the generation time. Music stays on its
 * non-streaming endpoints: their answers carry the song id and timings the tools read.
 */
const STREAMING_TWINS: ReadonlyArray<RegExp> = [
  /^\/v1\/text-to-dialogue$/,
  /^\/v1\/speech-to-speech\/[^/]+$/,
  /^\/v1\/audio-isolation$/,
];

function streamingVariant(input: string | URL | Request, method: string | undefined): string | URL | Request {
  if ((method ?? 'GET').toUpperCase() !== 'POST' || input instanceof Request) return input;
  const url = new URL(input);
  if (!STREAMING_TWINS.some((pattern) => pattern.test(url.pathname))) return input;
  url.pathname = `${url.pathname}/stream`;
  return url;
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
 *
 * Each attempt also has the budget of its kind of call (`budgetFor`): no response headers within its
 * first-byte time, or no byte of the body for its idle time, ends it with an UpstreamStalledError, on
 * timers that are cleared however the exchange ends.
 */
export async function fetchWithinDeadline(
  input: string | URL | Request,
  init: RequestInit | undefined,
  deadline: Deadline,
  fetchImpl: typeof fetch = fetch,
  observe?: (exchange: UpstreamExchange) => void,
  budget: CallBudget = budgetFor(pathOf(input)),
): Promise<Response> {
  const method = (init?.method ?? 'GET').toUpperCase();
  const replayable = isReplayable(init?.body);
  const path = pathOf(input);
  const stalled = (phase: 'first-byte' | 'idle', ms: number) => () =>
    new UpstreamStalledError(budget.what, phase, Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0)), budget.bound);

  for (let attempt = 0; ; attempt++) {
    let response: Response;
    const started = performance.now();
    const watchdog = new Watchdog(deadline.signal, init?.signal);
    const release = (): void => watchdog.dispose();
    watchdog.arm('first-byte', budget.firstByteMs, stalled('first-byte', budget.firstByteMs));
    try {
      response = await fetchImpl(input, { ...init, signal: watchdog.signal });
      watchdog.disarm('first-byte');
      observe?.({ method, path, status: response.status, attempt, ms: Math.round(performance.now() - started) });
    } catch (error) {
      const expired = expiryOf(error, watchdog);
      release();
      observe?.({ method, path, status: 'failed', attempt, ms: Math.round(performance.now() - started) });
      if (expired) throw expired;
      const wait = backoffMs(attempt);
      if (deadline.signal.aborted || method !== 'GET' || attempt >= MAX_RETRIES || !fits(wait, deadline))
        throw deadline.signal.aborted ? deadline.signal.reason : error;
      await sleep(wait, deadline.signal);
      continue;
    }
    const retryable = NOT_PROCESSED.has(response.status) || (method === 'GET' && MAYBE_PROCESSED.has(response.status));
    if (!retryable || attempt >= MAX_RETRIES || !replayable)
      return watched(response, watchdog, { ms: budget.idleMs, error: stalled('idle', budget.idleMs) }, release);
    release();
    const advised = retryAfterSeconds(response.headers);
    const wait = advised === undefined ? backoffMs(attempt) : advised * 1000;
    if (wait > MAX_WAIT_MS || !fits(wait, deadline)) return response;
    await response.body?.cancel().catch(() => undefined);
    await sleep(wait, deadline.signal);
  }
}

/** The response with its body under the idle budget; the watchdog is released once the body ends. */
function watched(
  response: Response,
  watchdog: Watchdog,
  idle: { ms: number; error: () => Error },
  release: () => void,
): Response {
  if (!response.body) {
    release();
    return response;
  }
  const body = watchBody(response.body, watchdog, idle, release);
  const copy = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // Some readers look at the final URL (after redirects); keep it.
  Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
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

/**
 * The wait before the first retry that has no Retry-After to follow, in ms (the next one doubles it). Mutable
 * only so that a test whose every call fails can retry without waiting; the server never changes it.
 */
export const retryBackoff = { firstMs: 500 };

function backoffMs(attempt: number): number {
  return retryBackoff.firstMs * 2 ** attempt * (0.8 + Math.random() * 0.4);
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
