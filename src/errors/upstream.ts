/**
 * Errors of calls to ElevenLabs: what it answered, or that it could not be reached or did not answer in
 * time. Each says whether anything was done or billed only when that is known. `toToolError`
 * (from-elevenlabs.ts) is the one place that decides which applies.
 */
import { API_KEY_HEADER, ToolError } from './tool-error.js';

/** An error ElevenLabs answered with; `status` and `code` are kept for the log. */
export abstract class UpstreamError extends ToolError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  override logFields(): Record<string, unknown> {
    return {
      errorKind: this.kind,
      upstreamStatus: this.status,
      upstreamCode: this.code,
      cause: describeCause(this.cause),
    };
  }
}

/**
 * ElevenLabs could not serve the call now, but the same call may succeed later. Not exported: the taxonomy
 * is the concrete classes, each with its kind.
 */
abstract class TransientUpstreamError extends UpstreamError {
  override readonly retryable = true;
}

/** For the log: what a low-level failure was (e.g. `TypeError: fetch failed (ECONNREFUSED)`). Never request headers. */
function describeCause(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  const inner = cause.cause as { code?: unknown; message?: unknown } | undefined;
  const detail =
    inner && typeof inner === 'object'
      ? typeof inner.code === 'string'
        ? inner.code
        : typeof inner.message === 'string'
          ? inner.message
          : ''
      : '';
  return (
    `${cause.name}: ` +
    `${cause.message.split('\n')[0]!.slice(0, 200)}${detail ? ` (${String(detail).slice(0, 200)})` : ''}`
  );
}

export class InvalidApiKeyError extends UpstreamError {
  readonly kind = 'invalid_api_key';
  constructor(detail: string, status: number, code: string | undefined) {
    super(
      `ElevenLabs rejected the API key: ${detail} Check or create a key at ` +
        `https://elevenlabs.io/app/settings/api-keys and send it in the \`${API_KEY_HEADER}\` header.`,
      status,
      code,
    );
  }
}

export class QuotaExceededError extends UpstreamError {
  readonly kind = 'quota_exceeded';
  constructor(detail: string, status: number, code: string | undefined) {
    super(
      `Your ElevenLabs credit quota is exhausted: ${detail} ElevenLabs refused the request, so nothing was billed. ` +
        `Check usage with check_subscription, wait for the monthly reset or upgrade the plan at ` +
        `https://elevenlabs.io/app/subscription.`,
      status,
      code,
    );
  }
}

export class PermissionDeniedError extends UpstreamError {
  readonly kind = 'permission_denied';
  constructor(detail: string, status: number, code: string | undefined) {
    super(
      `ElevenLabs refused this operation for this API key: ${detail} If the key is restricted, enable the permission ` +
        `it names at https://elevenlabs.io/app/settings/api-keys.`,
      status,
      code,
    );
  }
}

/** ElevenLabs refused a feature the caller's plan does not include; the message says what to do instead. */
export class FeatureNotInPlanError extends UpstreamError {
  readonly kind = 'feature_not_in_plan';
}

export class NotFoundError extends UpstreamError {
  readonly kind: string = 'not_found';
  constructor(message: string, status: number | undefined = 404, code?: string) {
    super(message, status, code);
  }
}

export class VoiceNotFoundError extends NotFoundError {
  override readonly kind = 'voice_not_found';
  constructor(voice: string, status?: number, code?: string) {
    super(
      `Voice ${voice} was not found in this ElevenLabs account. Use search_voices to find the voice_id of a voice in ` +
        `your library, or pass voice_name.`,
      status,
      code,
    );
  }
}

/** ElevenLabs refused the call's arguments (400, 422...); `detail` is its own message, or ours when we refuse first. */
export class ArgumentsRejectedError extends UpstreamError {
  readonly kind = 'arguments_rejected';
  constructor(detail: string, status?: number, code?: string) {
    super(detail, status, code);
  }
}

export class RateLimitedError extends TransientUpstreamError {
  readonly kind = 'rate_limited';
  constructor(
    detail: string,
    readonly retryAfterSeconds: number | undefined,
    status = 429,
    code?: string,
  ) {
    super(
      `ElevenLabs is rate-limiting this account${detail ? `: ${detail}` : '.'} ${NOT_PROCESSED} ` +
        (retryAfterSeconds !== undefined
          ? `Retry ${phraseWait(retryAfterSeconds)}.`
          : 'Retry in a few seconds, or send fewer requests at once (your plan limits concurrent requests).'),
      status,
      code,
    );
  }

  override logFields(): Record<string, unknown> {
    return { ...super.logFields(), retryAfterSeconds: this.retryAfterSeconds };
  }
}

/** Said only when ElevenLabs' answer means the request was not processed (429, 503): true of any tool. */
const NOT_PROCESSED = 'It did not process the request, so nothing was done or billed.';

/**
 * ElevenLabs answered, or the connection broke once the request was on its way: whether anything was done
 * is only claimed when the answer says so (`notProcessed`), since a POST may have taken effect.
 */
export class UpstreamUnavailableError extends TransientUpstreamError {
  readonly kind = 'upstream_unavailable';
  constructor(what: string, status?: number, options?: ErrorOptions & { notProcessed?: boolean }) {
    super(
      `ElevenLabs is unavailable right now (${what}).${options?.notProcessed ? ` ${NOT_PROCESSED}` : ''} Try again ` +
        `in a minute.`,
      status,
      undefined,
      options,
    );
  }
}

/**
 * The connection to ElevenLabs could not be opened (DNS, refused, no route, TLS, connect timeout): the
 * request was never sent, whatever the tool. Says which host and what failed, since the fix may be the
 * server's configuration (ELEVENLABS_BASE_URL, ELEVENLABS_RESIDENCY) or its network rather than waiting.
 */
export class UpstreamUnreachableError extends TransientUpstreamError {
  readonly kind = 'upstream_unreachable';
  constructor(
    readonly host: string,
    readonly failure: string,
    readonly networkCode: string,
    options?: ErrorOptions,
  ) {
    super(
      `Could not reach ElevenLabs at ${host}: ${failure}. The request was not sent, so nothing was done or billed. ` +
        "Try again in a minute; if it keeps failing, the server's ELEVENLABS_BASE_URL (or ELEVENLABS_RESIDENCY) or " +
        "its network needs its operator's attention.",
      undefined,
      networkCode,
      options,
    );
  }
}

export class UpstreamTimeoutError extends TransientUpstreamError {
  readonly kind = 'upstream_timeout';
  constructor(seconds: number, options?: ErrorOptions) {
    super(
      `ElevenLabs did not finish within ${seconds} seconds, the time this request had left. Nothing was stored. Try ` +
        `again, or split long text into shorter calls.`,
      undefined,
      undefined,
      options,
    );
  }
}

/**
 * ElevenLabs started no answer within the first-byte budget of this kind of call, or stopped sending
 * mid-way for longer than the idle budget. Ended here, well before an MCP client gives up on the request
 * (60 s by default) and before the Lambda's own timeout, so the caller gets an answer it can act on.
 */
export class UpstreamStalledError extends TransientUpstreamError {
  readonly kind = 'upstream_stalled';
  constructor(
    readonly what: string,
    readonly phase: 'first-byte' | 'idle',
    readonly seconds: number,
    /** Why the budget is what it is, for long calls: the client's patience or the function's time. */
    readonly bound?: string,
  ) {
    super(
      (phase === 'first-byte'
        ? `ElevenLabs sent no answer to ${what} within ${seconds} seconds, so this server stopped waiting`
        : `ElevenLabs stopped sending ${what} for ${seconds} seconds mid-way, so this server stopped waiting`) +
        (bound
          ? ` (${bound})`
          : ' (it ends stalled calls well before MCP clients give up on a request, after 60 seconds by default)') +
        '. Nothing was stored. Try again in a moment; if it keeps happening, ElevenLabs may be degraded ' +
        '(https://status.elevenlabs.io).',
      undefined,
      undefined,
    );
  }

  override logFields(): Record<string, unknown> {
    return { errorKind: this.kind, stalledCall: this.what, stallPhase: this.phase, stallSeconds: this.seconds };
  }
}

/** The longest wait a `Retry-After` is taken to mean; anything longer is read as "a day or more". */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

/** "after 30 seconds", "after about 5 minutes", "in a day or more": a wait as a person would say it. */
export function phraseWait(seconds: number): string {
  if (seconds >= MAX_RETRY_AFTER_SECONDS)
    return "in a day or more (ElevenLabs asked for a very long wait; check the plan's limits with check_subscription)";
  if (seconds < 600) return `after ${seconds} second${seconds === 1 ? '' : 's'}`;
  if (seconds < 7_200) return `after about ${Math.round(seconds / 60)} minutes`;
  return `after about ${Math.round(seconds / 3_600)} hours`;
}
