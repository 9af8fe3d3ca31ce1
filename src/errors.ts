/**
 * The error taxonomy. Every failure a tool can meet becomes one of these classes, here and only here
 * (`toToolError`); what the model reads is `error.message`, a specific sentence that says what to do.
 * Details worth keeping for operators go to the log through `logFields()`, never to the model.
 * No message, field or cause here ever holds the caller's key.
 */

export const API_KEY_HEADER = 'x-elevenlabs-api-key';

/** A value from the client echoed in a message: quoted, printable ASCII only, and short. */
export function quoteForMessage(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(printable.length > 80 ? `${printable.slice(0, 77)}...` : printable);
}

const KEY_FIX =
  `Send your ElevenLabs API key in the \`${API_KEY_HEADER}\` header (or as \`Authorization: Bearer <key>\`). ` +
  'With Claude Desktop, run mcp-remote with these args: ' +
  `["-y", "mcp-remote", "https://<your-function-url>/mcp", "--header", "${API_KEY_HEADER}:\${ELEVENLABS_API_KEY}"] ` +
  'and set ELEVENLABS_API_KEY in its "env" (no space after the colon). ' +
  'Keys are at https://elevenlabs.io/app/settings/api-keys.';

/** Base of every error a tool reports as an `isError` result. */
export abstract class ToolError extends Error {
  abstract readonly kind: string;
  /** Whether the same call may succeed later without any change. */
  readonly retryable: boolean = false;

  logFields(): Record<string, unknown> {
    return { errorKind: this.kind };
  }
}

export class MissingApiKeyError extends ToolError {
  readonly kind = 'missing_api_key';
  constructor() {
    super(`This tool calls ElevenLabs and no API key came with the request. ${KEY_FIX}`);
  }
}

export class MalformedApiKeyError extends ToolError {
  readonly kind = 'malformed_api_key';
  constructor(problem: string) {
    super(`The ElevenLabs API key sent with the request is not usable: ${problem}. ${KEY_FIX}`);
  }
}

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
    return { errorKind: this.kind, upstreamStatus: this.status, upstreamCode: this.code, cause: describeCause(this.cause) };
  }
}

/** For the log: what a low-level failure was (e.g. `TypeError: fetch failed (ECONNREFUSED)`). Never request headers. */
function describeCause(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  const inner = cause.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = inner && typeof inner === 'object' ? (typeof inner.code === 'string' ? inner.code : typeof inner.message === 'string' ? inner.message : '') : '';
  return `${cause.name}: ${cause.message.split('\n')[0]!.slice(0, 200)}${detail ? ` (${String(detail).slice(0, 200)})` : ''}`;
}

export class InvalidApiKeyError extends UpstreamError {
  readonly kind = 'invalid_api_key';
  constructor(detail: string, status: number, code: string | undefined) {
    super(`ElevenLabs rejected the API key: ${detail} Check or create a key at https://elevenlabs.io/app/settings/api-keys and send it in the \`${API_KEY_HEADER}\` header.`, status, code);
  }
}

export class QuotaExceededError extends UpstreamError {
  readonly kind = 'quota_exceeded';
  constructor(detail: string, status: number, code: string | undefined) {
    super(`Your ElevenLabs credit quota is exhausted: ${detail} ElevenLabs refused the request, so nothing was billed. Check usage with check_subscription, wait for the monthly reset or upgrade the plan at https://elevenlabs.io/app/subscription.`, status, code);
  }
}

export class PermissionDeniedError extends UpstreamError {
  readonly kind = 'permission_denied';
  constructor(detail: string, status: number, code: string | undefined) {
    super(`ElevenLabs refused this operation for this API key: ${detail} If the key is restricted, enable the permission it names at https://elevenlabs.io/app/settings/api-keys.`, status, code);
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
      `Voice ${voice} was not found in this ElevenLabs account. Use search_voices to find the voice_id of a voice in your library, or pass voice_name.`,
      status,
      code,
    );
  }
}

export class InvalidInputError extends UpstreamError {
  readonly kind = 'invalid_input';
  /** `detail` is ElevenLabs' own message, or ours when we refuse before calling out. */
  constructor(detail: string, status?: number, code?: string) {
    super(detail, status, code);
  }
}

export class RateLimitedError extends UpstreamError {
  readonly kind = 'rate_limited';
  override readonly retryable = true;
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
export class UpstreamUnavailableError extends UpstreamError {
  readonly kind = 'upstream_unavailable';
  override readonly retryable = true;
  constructor(what: string, status?: number, options?: ErrorOptions & { notProcessed?: boolean }) {
    super(`ElevenLabs is unavailable right now (${what}).${options?.notProcessed ? ` ${NOT_PROCESSED}` : ''} Try again in a minute.`, status, undefined, options);
  }
}

/**
 * The connection to ElevenLabs could not be opened (DNS, refused, no route, TLS, connect timeout): the
 * request was never sent, whatever the tool. Says which host and what failed, since the fix may be the
 * server's configuration (ELEVENLABS_BASE_URL, ELEVENLABS_RESIDENCY) or its network rather than waiting.
 */
export class UpstreamUnreachableError extends UpstreamError {
  readonly kind = 'upstream_unreachable';
  override readonly retryable = true;
  constructor(
    readonly host: string,
    readonly failure: string,
    readonly networkCode: string,
    options?: ErrorOptions,
  ) {
    super(
      `Could not reach ElevenLabs at ${host}: ${failure}. The request was not sent, so nothing was done or billed. ` +
        'Try again in a minute; if it keeps failing, the server\'s ELEVENLABS_BASE_URL (or ELEVENLABS_RESIDENCY) or its network needs its operator\'s attention.',
      undefined,
      networkCode,
      options,
    );
  }
}

export class UpstreamTimeoutError extends UpstreamError {
  readonly kind = 'upstream_timeout';
  override readonly retryable = true;
  constructor(seconds: number, options?: ErrorOptions) {
    super(
      `ElevenLabs did not finish within ${seconds} seconds, the time this request had left. Nothing was stored. Try again, or split long text into shorter calls.`,
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
export class UpstreamStalledError extends UpstreamError {
  readonly kind = 'upstream_stalled';
  override readonly retryable = true;
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
        (bound ? ` (${bound})` : ' (it ends stalled calls well before MCP clients give up on a request, after 60 seconds by default)') +
        '. Nothing was stored. Try again in a moment; if it keeps happening, ElevenLabs may be degraded (https://status.elevenlabs.io).',
      undefined,
      undefined,
    );
  }

  override logFields(): Record<string, unknown> {
    return { errorKind: this.kind, stalledCall: this.what, stallPhase: this.phase, stallSeconds: this.seconds };
  }
}

export class StorageNotConfiguredError extends ToolError {
  readonly kind = 'storage_not_configured';
  constructor() {
    super('This server has no audio bucket configured (AUDIO_BUCKET), so it cannot store or sign audio. Ask its operator to set AUDIO_BUCKET.');
  }
}

export class StorageError extends ToolError {
  readonly kind = 'storage_failed';
  override readonly retryable: boolean;
  /** `misconfigured`: the bucket is missing or refuses the function, which only the operator can fix. */
  constructor(
    readonly reason: string,
    readonly charactersBilled: number | undefined,
    options: ErrorOptions & { misconfigured?: boolean } = {},
  ) {
    const billed =
      charactersBilled === undefined
        ? ''
        : ` ElevenLabs already generated the audio and billed ${charactersBilled} characters for it.`;
    const next = options.misconfigured
      ? ' This is a problem of this server\'s setup, not of your request; its operator must fix it (retrying will not help).'
      : ' Try again in a moment.';
    super(`The audio could not be saved to storage (${reason}), so no URL was issued.${billed}${next}`, options);
    this.retryable = !options.misconfigured;
  }

  override logFields(): Record<string, unknown> {
    return { errorKind: this.kind, storageReason: this.reason, charactersBilled: this.charactersBilled };
  }
}

/** A storage operation other than saving new audio failed (reading, listing, deleting, signing). */
export class StorageUnavailableError extends ToolError {
  readonly kind = 'storage_unavailable';
  override readonly retryable = true;
  constructor(
    readonly action: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Storage could not ${action} (${reason}). Nothing was changed; try again in a moment.`, options);
  }

  override logFields(): Record<string, unknown> {
    return { errorKind: this.kind, storageAction: this.action, storageReason: this.reason };
  }
}

/**
 * The deployment's storage itself is broken (the bucket is missing, or the function's role may not use
 * it): distinct from a missing file, and nothing the caller can fix by retrying or changing arguments.
 */
export class StorageMisconfiguredError extends ToolError {
  readonly kind = 'storage_misconfigured';
  constructor(
    readonly action: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Storage could not ${action}: ${reason}. This is a problem of this server's setup, not of your request or your files; its operator must fix it (retrying will not help).`, options);
  }

  override logFields(): Record<string, unknown> {
    return { errorKind: this.kind, storageAction: this.action, storageReason: this.reason };
  }
}

/** One HTTP request (a 2025-03-26 batch included) asked for more upload URLs than it may sign. */
export class TooManyUploadUrlsError extends ToolError {
  readonly kind = 'too_many_upload_urls';
  constructor(limit: number) {
    super(`One request may create at most ${limit} upload URLs, and this one has had them. Upload those files first, then call create_upload_url again in a new request.`);
  }
}

export class AudioNotFoundError extends ToolError {
  readonly kind = 'audio_not_found';
  constructor(audioId: string) {
    super(
      `No audio with id ${audioId} exists for your API key. Use an audio_id returned by an earlier call made with the same key (list_audio lists them); ` +
        'an audio_id from create_upload_url exists only once the file has been uploaded to its upload_url.',
    );
  }
}

export class OutputTooLargeError extends ToolError {
  readonly kind = 'output_too_large';
  constructor(limitBytes: number) {
    super(`ElevenLabs returned more than ${Math.round(limitBytes / (1024 * 1024))} MB of audio, more than this server stores from one call. Nothing was stored; ask for shorter audio or a more compact output_format.`);
  }
}

/** An argument problem found before anything is sent upstream. */
export class InvalidArgumentsError extends ToolError {
  readonly kind = 'invalid_arguments';
}

const UPLOAD_FIX = 'Host the file at a public https URL, or upload it with create_upload_url and pass the audio_id it returns.';

/**
 * A URL this server will not fetch: not https, or its host is (or resolves to, or redirects to) an
 * address that is not on the public internet. The message names only the class of address, never the
 * address itself or anything else learned about the network.
 */
export class InputRefusedError extends ToolError {
  readonly kind = 'input_refused';
  constructor(readonly reason: string) {
    super(`The URL was refused: ${reason}. This server only downloads files from public https addresses. ${UPLOAD_FIX}`);
  }

  override logFields(): Record<string, unknown> {
    return { errorKind: this.kind, refusal: this.reason };
  }
}

/** A public URL that could not be downloaded (HTTP error, unreachable host, too slow). */
export class InputFetchError extends ToolError {
  readonly kind = 'input_fetch_failed';
  override readonly retryable: boolean;
  constructor(
    readonly reason: string,
    options: ErrorOptions & { retryable?: boolean } = {},
  ) {
    super(
      `The file at the URL could not be downloaded: ${reason}. Check that the link is a direct download that works without signing in. ${UPLOAD_FIX}`,
      options,
    );
    this.retryable = options.retryable ?? false;
  }

  override logFields(): Record<string, unknown> {
    return { errorKind: this.kind, fetchFailure: this.reason };
  }
}

/** An input file over the size the tool takes; `hint` says what to do instead. */
export class InputTooLargeError extends ToolError {
  readonly kind = 'input_too_large';
  constructor(
    readonly limitBytes: number,
    hint = 'Use a shorter or more compressed file.',
  ) {
    super(`The file is larger than ${mebibytes(limitBytes)}, the most this tool accepts. Nothing was sent to ElevenLabs. ${hint}`);
  }
}

/** A size for messages and descriptions: `10 MiB`, `0.001 MiB`. */
export function mebibytes(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(3))} MiB`;
}

// ---------------------------------------------------------------------------------------------
// Upstream (ElevenLabs SDK) errors -> taxonomy. Duck-typed so that this module never loads the SDK.

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
}

/** ElevenLabs bodies: `{detail:{status|code, message}}`, FastAPI's `{detail:[{loc,msg}]}`, or `{detail:"..."}`. */
export function readUpstreamDetail(body: unknown): UpstreamDetail {
  const parsed = typeof body === 'string' ? tryParseJson(body) : body;
  const detail = isRecord(parsed) ? parsed.detail : undefined;
  if (typeof detail === 'string') return { code: undefined, message: clip(detail) };
  if (Array.isArray(detail)) {
    const parts = detail
      .filter(isRecord)
      .map((item) => {
        const where = Array.isArray(item.loc) ? item.loc.filter((p) => p !== 'body').join('.') : '';
        const msg = typeof item.msg === 'string' ? item.msg : 'invalid';
        return where ? `${where}: ${msg}` : msg;
      });
    return { code: 'validation_error', message: parts.length ? clip(parts.join('; ')) : undefined };
  }
  if (isRecord(detail)) {
    const code = [detail.status, detail.code, detail.type].find((v): v is string => typeof v === 'string');
    const message = typeof detail.message === 'string' ? clip(detail.message) : undefined;
    return { code, message };
  }
  if (isRecord(parsed) && typeof parsed.message === 'string') return { code: undefined, message: clip(parsed.message) };
  return { code: undefined, message: undefined };
}

/** Context a tool gives so a 404 names the right thing. */
export interface UpstreamContext {
  /** What a 404 means for this call, e.g. `{ voiceId }`. */
  voiceId?: string;
  notFound?: string;
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

  if (context.deadlineExceeded || err.name === 'AbortError' || err.name === 'TimeoutError' || err.name === 'ElevenLabsTimeoutError') {
    return new UpstreamTimeoutError(Math.max(1, Math.round(budget)), { cause: error });
  }
  if (err.name === 'ParseError') {
    return new UpstreamUnavailableError('it answered with a body this server could not read', undefined, { cause: error });
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : undefined;
  if (status === undefined) return connectionFailure(err, context.baseUrl);

  const { code, message } = readUpstreamDetail(err.body);
  const said = message ? (/[.!?]$/.test(message) ? message : `${message}.`) : '';
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
        `ElevenLabs refused this on the account's current plan: ${said || 'the feature is not included.'} It refused the request, so nothing was billed. ` +
          'check_subscription shows the plan; https://elevenlabs.io/app/subscription upgrades it.',
        status,
        code,
      );
    case status === 404 && context.voiceId !== undefined && (!code || /voice/i.test(code) || /voice/i.test(message ?? '')):
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
      return new InvalidInputError(
        `ElevenLabs rejected the request: ${said || `HTTP ${status}.`} Change the arguments it names and try again.`,
        status,
        code,
      );
    case status === 408 || status === 504:
      return new UpstreamTimeoutError(Math.max(1, Math.round(budget)), { cause: error });
    case status >= 500:
      return new UpstreamUnavailableError(`HTTP ${status}`, status, { cause: error, notProcessed: status === 503 });
    default:
      return new InvalidInputError(`ElevenLabs answered HTTP ${status}${said ? `: ${said}` : '.'}`, status, code);
  }
}

/** The longest wait a `Retry-After` is taken to mean; anything longer is read as "a day or more". */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * Seconds from a `Retry-After` header (delta-seconds or HTTP date), at most MAX_RETRY_AFTER_SECONDS;
 * undefined when absent or unreadable. A 20-digit value is a server's bug or a hostile upstream, and
 * repeating it to the model as is would only confuse it.
 */
export function retryAfterSeconds(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(MAX_RETRY_AFTER_SECONDS, value.length > 6 ? MAX_RETRY_AFTER_SECONDS : Number(value));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, Math.ceil((at - now) / 1000)));
}

/** "after 30 seconds", "after about 5 minutes", "in a day or more": a wait as a person would say it. */
export function phraseWait(seconds: number): string {
  if (seconds >= MAX_RETRY_AFTER_SECONDS) return 'in a day or more (ElevenLabs asked for a very long wait; check the plan\'s limits with check_subscription)';
  if (seconds < 600) return `after ${seconds} second${seconds === 1 ? '' : 's'}`;
  if (seconds < 7_200) return `after about ${Math.round(seconds / 60)} minutes`;
  return `after about ${Math.round(seconds / 3_600)} hours`;
}

/** Why a connection could not be opened, by the system or undici code: the request never left. */
const NOT_CONNECTED: ReadonlyArray<[RegExp, string]> = [
  [/^ENOTFOUND$/, 'DNS lookup failed (the host name does not resolve)'],
  [/^EAI_AGAIN$/, 'DNS lookup failed (the resolver did not answer)'],
  [/^ECONNREFUSED$/, 'the connection was refused (nothing listens at that address and port)'],
  [/^E(HOST|NET)UNREACH$|^ENETDOWN$/, 'there is no network route to it'],
  [/^UND_ERR_CONNECT_TIMEOUT$/, 'opening the connection timed out'],
  [/^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/, 'the TLS handshake failed (its certificate was not accepted)'],
];

/**
 * A failure without an HTTP status: the SDK's ElevenLabsError (no status, the fetch error as `cause`), or
 * undici's `fetch failed` / `terminated` TypeError, whose causes carry the system code. Undefined when it
 * is none of these (a bug of ours).
 */
function connectionFailure(err: { name?: string; message?: string; code?: unknown; cause?: unknown }, baseUrl: string | undefined): ToolError | undefined {
  const code = networkCode(err);
  const known =
    err.name === 'ElevenLabsError' ||
    err.name === 'UnprocessableEntityError' ||
    (err.name === 'TypeError' && /^(fetch failed|terminated)/.test(err.message ?? '')) ||
    code !== undefined;
  if (!known) return undefined;
  const host = hostOf(baseUrl) ?? addressIn(err) ?? 'its API';
  const reason = code ? NOT_CONNECTED.find(([pattern]) => pattern.test(code)) : undefined;
  if (reason) return new UpstreamUnreachableError(host, reason[1], code!, { cause: err });
  // Anything else broke an open connection: the request may have arrived, so nothing is claimed about it.
  return new UpstreamUnavailableError(`the connection to ${host} closed before its answer was complete`, undefined, { cause: err });
}

/**
 * Codes of network failures: system errnos (ECONNRESET, EAI_AGAIN), undici's, and TLS certificate errors.
 * Not Node's own ERR_* codes (an invalid argument is a bug of ours, not a network failure).
 */
const NETWORK_CODE = /^(E[A-Z]+|EAI_[A-Z]+|UND_ERR_\w+|ERR_TLS_\w+|ERR_SSL_\w+|CERT_\w+|UNABLE_TO_\w+|DEPTH_ZERO_\w+|SELF_SIGNED_\w+)$/;

/** The first network failure code in a cause chain (AggregateError's members included). */
function networkCode(error: unknown, depth = 0): string | undefined {
  if (!isRecord(error) || depth > 5) return undefined;
  if (typeof error.code === 'string' && NETWORK_CODE.test(error.code)) return error.code;
  for (const inner of Array.isArray(error.errors) ? error.errors : []) {
    const code = networkCode(inner, depth + 1);
    if (code) return code;
  }
  return networkCode(error.cause, depth + 1);
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
  if (typeof error.address === 'string') return typeof error.port === 'number' ? `${error.address}:${error.port}` : error.address;
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
