/**
 * What a call to ElevenLabs can throw (SDK errors with a status, connection failures, aborts,
 * unreadable bodies), mapped to the taxonomy here and only here. Duck-typed, so that this module never
 * loads the SDK.
 */
import { networkCode, whyNotConnected } from './network.js';
import { ToolError } from './tool-error.js';
import {
  ArgumentsRejectedError,
  FeatureNotInPlanError,
  InvalidApiKeyError,
  MAX_RETRY_AFTER_SECONDS,
  NotFoundError,
  PermissionDeniedError,
  QuotaExceededError,
  RateLimitedError,
  UpstreamStalledError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  UpstreamUnreachableError,
  VoiceNotFoundError,
} from './upstream.js';

interface SdkErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  body?: unknown;
  rawResponse?: { headers?: { get(name: string): string | null } };
}

interface UpstreamDetail {
  code: string | undefined;
  message: string | undefined;
  /** `detail.data`, where the music API puts its suggested rewording. */
  data?: Record<string, unknown>;
}

/** ElevenLabs bodies: `{detail:{status|code, message}}`, FastAPI's `{detail:[{loc,msg}]}`, or `{detail:"..."}`. */
export function readUpstreamDetail(body: unknown): UpstreamDetail {
  const parsed = typeof body === 'string' ? tryParseJson(body) : body;
  const detail = isRecord(parsed) ? parsed.detail : undefined;
  if (typeof detail === 'string') return { code: undefined, message: clip(detail) };
  if (Array.isArray(detail)) {
    const parts = detail.filter(isRecord).map((item) => {
      const where = Array.isArray(item.loc) ? item.loc.filter((p) => p !== 'body').join('.') : '';
      const msg = typeof item.msg === 'string' ? item.msg : 'invalid';
      return where ? `${where}: ${msg}` : msg;
    });
    return { code: 'validation_error', message: parts.length ? clip(parts.join('; ')) : undefined };
  }
  if (isRecord(detail)) {
    const code = [detail.status, detail.code, detail.type].find((v): v is string => typeof v === 'string');
    const message = typeof detail.message === 'string' ? clip(detail.message) : undefined;
    return isRecord(detail.data) ? { code, message, data: detail.data } : { code, message };
  }
  if (isRecord(parsed) && typeof parsed.message === 'string') return { code: undefined, message: clip(parsed.message) };
  return { code: undefined, message: undefined };
}

/** What ElevenLabs refused with, for a tool's own reading of it (`UpstreamContext.refuse`). */
export interface UpstreamRefusal {
  readonly status: number;
  readonly code: string | undefined;
  readonly message: string | undefined;
  /** `detail.data`, where the music API puts its suggested rewording. */
  readonly data: Record<string, unknown> | undefined;
}

/** What a tool tells the mapping about its call, so that each message names the right thing. */
export interface UpstreamContext {
  /** What a 404 means for this call, e.g. `{ voiceId }`. */
  voiceId?: string;
  notFound?: string;
  /** What a 402 (not quota) means for this family of calls, e.g. that the music API needs a paid plan. */
  planNeeds?: string;
  /** A refusal only this tool knows the meaning of (e.g. a 403 for a feature); undefined for the usual mapping. */
  refuse?: (refusal: UpstreamRefusal) => ToolError | undefined;
  /** Seconds the call had, for a timeout message. */
  budgetSeconds?: number;
  /** Set once the deadline's abort signal has fired. */
  deadlineExceeded?: boolean;
  /** The ElevenLabs base URL in use, so that a connection failure names its host. */
  baseUrl?: string;
}

/**
 * Maps what a call to ElevenLabs can throw (SDK errors with a status, connection failures, aborts,
 * unreadable bodies) to the taxonomy. Anything else is a bug of ours, not an upstream failure, and
 * gives undefined so that it is reported as an internal error.
 */
export function toToolError(error: unknown, context: UpstreamContext = {}): ToolError | undefined {
  if (error instanceof ToolError) return error;
  const err = (isRecord(error) ? error : {}) as SdkErrorLike & { code?: unknown; cause?: unknown };
  // The SDK wraps what its fetch threw (our stall budgets among it) as the cause of its own error.
  if (err.cause instanceof UpstreamStalledError) return err.cause;
  const budget = context.budgetSeconds ?? 0;

  if (
    context.deadlineExceeded ||
    err.name === 'AbortError' ||
    err.name === 'TimeoutError' ||
    err.name === 'ElevenLabsTimeoutError'
  ) {
    return new UpstreamTimeoutError(Math.max(1, Math.round(budget)), { cause: error });
  }
  if (err.name === 'ParseError') {
    return new UpstreamUnavailableError('it answered with a body this server could not read', undefined, {
      cause: error,
    });
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : undefined;
  if (status === undefined) return connectionFailure(err, context.baseUrl);

  const { code, message, data } = readUpstreamDetail(err.body);
  const refusal = { status, code, message, data };
  const specific = context.refuse?.(refusal) ?? contentRefusal(refusal);
  if (specific) return specific;
  const said = sentence(message);
  switch (true) {
    case code === 'quota_exceeded':
      return new QuotaExceededError(said || 'the request needs more credits than remain.', status, code);
    case status === 401 && (code === 'missing_permissions' || code === 'detected_unusual_activity'):
    case status === 403:
      return new PermissionDeniedError(said || `HTTP ${status}.`, status, code);
    case status === 401:
      return new InvalidApiKeyError(said || 'the key is invalid or was revoked.', status, code);
    case status === 402:
      return new FeatureNotInPlanError(
        `ElevenLabs refused this on the account's current plan: ${said || 'the feature is not included.'} It refused ` +
          `the request, so nothing was billed. ` +
          `${context.planNeeds ? `${context.planNeeds}; ` : ''}check_subscription shows the plan; ` +
          `https://elevenlabs.io/app/subscription upgrades it.`,
        status,
        code,
      );
    case status === 404 &&
      context.voiceId !== undefined &&
      (!code || /voice/i.test(code) || /voice/i.test(message ?? '')):
      return new VoiceNotFoundError(context.voiceId, status, code);
    case status === 404:
      return new NotFoundError(
        `${context.notFound ?? 'The requested item'} was not found${said ? `: ${said}` : '.'}`,
        status,
        code,
      );
    case status === 429:
      return new RateLimitedError(said, retryAfterSeconds(err.rawResponse?.headers), status, code);
    case status === 400 || status === 409 || status === 413 || status === 415 || status === 422:
      return new ArgumentsRejectedError(
        `ElevenLabs rejected the request: ${said || `HTTP ${status}.`} Change the arguments it names and try again.`,
        status,
        code,
      );
    case status === 408 || status === 504:
      return new UpstreamTimeoutError(Math.max(1, Math.round(budget)), { cause: error });
    case status >= 500:
      return new UpstreamUnavailableError(`HTTP ${status}`, status, { cause: error, notProcessed: status === 503 });
    default:
      return new ArgumentsRejectedError(`ElevenLabs answered HTTP ${status}${said ? `: ${said}` : '.'}`, status, code);
  }
}

/**
 * The music API's refusals of content it will not generate (named artists, copyrighted lyrics), with
 * the rewording ElevenLabs suggests: what to change, not a bare 400.
 */
function contentRefusal(refusal: UpstreamRefusal): ToolError | undefined {
  const said = sentence(refusal.message);
  if (refusal.code === 'bad_prompt') {
    const suggestion = refusal.data?.prompt_suggestion;
    return new ArgumentsRejectedError(
      `ElevenLabs refused the prompt: ${said || 'it may name copyrighted material.'}` +
        (typeof suggestion === 'string' ? ` It suggests this prompt instead: "${suggestion.slice(0, 2000)}".` : '') +
        ' Nothing was generated. Describe genre, mood and instruments instead of naming artists, bands or ' +
        'copyrighted lyrics.',
      refusal.status,
      refusal.code,
    );
  }
  if (refusal.code === 'bad_composition_plan') {
    const suggestion = JSON.stringify(refusal.data?.composition_plan_suggestion ?? null);
    return new ArgumentsRejectedError(
      `ElevenLabs refused the composition plan: ${said || 'it may name copyrighted material.'}` +
        (suggestion !== 'null' && suggestion.length <= 20_000
          ? ` It suggests this plan instead (usable as composition_plan): ${suggestion}`
          : '') +
        ' Nothing was generated. Replace styles or lyrics that name artists or copyrighted works.',
      refusal.status,
      refusal.code,
    );
  }
  return undefined;
}

/** ElevenLabs' message as a sentence, for quoting: `''` when it said nothing. */
export function sentence(message: string | undefined): string {
  return message ? (/[.!?]$/.test(message) ? message : `${message}.`) : '';
}

/**
 * Seconds from a `Retry-After` header (delta-seconds or HTTP date), at most MAX_RETRY_AFTER_SECONDS;
 * undefined when absent or unreadable. A 20-digit value is a server's bug or a hostile upstream, and
 * repeating it to the model as is would only confuse it.
 */
export function retryAfterSeconds(
  headers: { get(name: string): string | null } | undefined,
  now = Date.now(),
): number | undefined {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value))
    return Math.min(MAX_RETRY_AFTER_SECONDS, value.length > 6 ? MAX_RETRY_AFTER_SECONDS : Number(value));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, Math.ceil((at - now) / 1000)));
}

/**
 * A failure without an HTTP status: the SDK's ElevenLabsError (no status, the fetch error as `cause`), or
 * undici's `fetch failed` / `terminated` TypeError, whose causes carry the system code. Undefined when it
 * is none of these (a bug of ours).
 */
function connectionFailure(
  err: { name?: string; message?: string; code?: unknown; cause?: unknown },
  baseUrl: string | undefined,
): ToolError | undefined {
  const code = networkCode(err);
  const known =
    err.name === 'ElevenLabsError' ||
    err.name === 'UnprocessableEntityError' ||
    (err.name === 'TypeError' && /^(fetch failed|terminated)/.test(err.message ?? '')) ||
    code !== undefined;
  if (!known) return undefined;
  const host = hostOf(baseUrl) ?? addressIn(err) ?? 'its API';
  const reason = code ? whyNotConnected(code) : undefined;
  if (reason) return new UpstreamUnreachableError(host, reason, code!, { cause: err });
  // Anything else broke an open connection: the request may have arrived, so nothing is claimed about it.
  return new UpstreamUnavailableError(`the connection to ${host} closed before its answer was complete`, undefined, {
    cause: err,
  });
}

/** `host[:port]` of the configured base URL. */
function hostOf(baseUrl: string | undefined): string | undefined {
  if (!baseUrl) return undefined;
  try {
    return new URL(baseUrl).host;
  } catch {
    return undefined;
  }
}

/** The host name or address:port a system error names, when no base URL was given. */
function addressIn(error: unknown, depth = 0): string | undefined {
  if (!isRecord(error) || depth > 5) return undefined;
  if (typeof error.hostname === 'string') return error.hostname;
  if (typeof error.address === 'string')
    return typeof error.port === 'number' ? `${error.address}:${error.port}` : error.address;
  return addressIn(error.cause, depth + 1);
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** ElevenLabs' messages are short; anything long is an HTML error page or worse and is not passed on. */
function clip(text: string): string | undefined {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine === '' || /<\/?[a-z][\s\S]*>/i.test(oneLine)) return undefined;
  return oneLine.length > 500 ? `${oneLine.slice(0, 497)}...` : oneLine;
}
