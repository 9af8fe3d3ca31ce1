import { describe, expect, it } from 'vitest';
import {
  FeatureNotInPlanError,
  InvalidApiKeyError,
  ArgumentsRejectedError,
  NotFoundError,
  PermissionDeniedError,
  QuotaExceededError,
  RateLimitedError,
  readUpstreamDetail,
  retryAfterSeconds,
  toToolError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  UpstreamUnreachableError,
  VoiceNotFoundError,
} from '../../src/errors/index.js';

/** What the SDK throws: an ElevenLabsError with statusCode, body and rawResponse. */
function sdkError(statusCode: number, body: unknown, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`Status code: ${statusCode}`), {
    name: 'ElevenLabsError',
    statusCode,
    body,
    rawResponse: { headers: new Headers(headers) },
  });
}
const detail = (status: string, message: string) => ({ detail: { status, message } });

describe('toToolError: upstream failures to specific, actionable errors', () => {
  it.each([
    [
      401,
      detail('invalid_api_key', 'Invalid API key'),
      InvalidApiKeyError,
      /rejected the API key: Invalid API key\..*api-keys/,
    ],
    [
      401,
      detail('quota_exceeded', 'This request exceeds your quota.'),
      QuotaExceededError,
      /quota is exhausted: This request exceeds your quota\. ElevenLabs refused the request, so nothing was billed/,
    ],
    [
      401,
      detail('missing_permissions', 'The API key is missing the permission text_to_speech.'),
      PermissionDeniedError,
      /missing the permission text_to_speech/,
    ],
    [403, detail('forbidden', 'Nope'), PermissionDeniedError, /refused this operation/],
    [404, { detail: 'Not Found' }, NotFoundError, /was not found: Not Found\./],
    [
      402,
      detail('limited_access', 'Music is not available on the free plan.'),
      FeatureNotInPlanError,
      /current plan: Music is not available on the free plan\. It refused the request, so nothing was billed/,
    ],
    [402, detail('quota_exceeded', 'Out of credits.'), QuotaExceededError, /quota is exhausted: Out of credits\./],
    [
      422,
      { detail: [{ loc: ['body', 'text'], msg: 'field required', type: 'value_error.missing' }] },
      ArgumentsRejectedError,
      /text: field required/,
    ],
    [
      400,
      detail('max_character_limit_exceeded', 'Text must not exceed 10000 characters.'),
      ArgumentsRejectedError,
      /Text must not exceed 10000 characters\./,
    ],
    [
      500,
      '<html><body>Internal Server Error</body></html>',
      UpstreamUnavailableError,
      /^ElevenLabs is unavailable right now \(HTTP 500\)\. Try again in a minute\.$/,
    ],
    [503, undefined, UpstreamUnavailableError, /HTTP 503/],
  ])('maps HTTP %i to the right class and message', (status, body, kind, message) => {
    const error = toToolError(sdkError(status, body));
    expect(error).toBeInstanceOf(kind);
    expect(error!.message).toMatch(message);
    expect(error!.message).not.toMatch(/unauthori[sz]ed|<html/i);
  });

  it('names the voice on a 404 for a voice', () => {
    const error = toToolError(sdkError(404, detail('voice_not_found', 'A voice with the voice_id x was not found.')), {
      voiceId: 'abc123',
    });
    expect(error).toBeInstanceOf(VoiceNotFoundError);
    expect(error!.message).toContain('Voice abc123 was not found');
  });

  it('passes the retry-after of a 429 on, in seconds or as an HTTP date', () => {
    const seconds = toToolError(
      sdkError(429, detail('too_many_concurrent_requests', 'Too many concurrent requests'), { 'retry-after': '7' }),
    );
    expect(seconds).toBeInstanceOf(RateLimitedError);
    expect(seconds!.message).toContain('Retry after 7 seconds');
    const without = toToolError(sdkError(429, detail('system_busy', 'Busy')));
    expect(without!.message).toContain('Retry in a few seconds');
    expect(
      retryAfterSeconds(new Headers({ 'retry-after': new Date(Date.now() + 30_000).toUTCString() })),
    ).toBeGreaterThanOrEqual(29);
  });

  it('maps a quota 429 to quota exceeded, not rate limiting', () => {
    expect(toToolError(sdkError(429, detail('quota_exceeded', 'Over quota')))).toBeInstanceOf(QuotaExceededError);
  });

  it('maps timeouts, aborts and connection failures', () => {
    expect(
      toToolError(Object.assign(new Error('timeout'), { name: 'ElevenLabsTimeoutError' }), { budgetSeconds: 12 })!
        .message,
    ).toContain('within 12 seconds');
    expect(toToolError(new DOMException('aborted', 'AbortError'))).toBeInstanceOf(UpstreamTimeoutError);
    expect(toToolError(new Error('x'), { deadlineExceeded: true })).toBeInstanceOf(UpstreamTimeoutError);
    expect(toToolError(Object.assign(new Error('fetch failed'), { name: 'ElevenLabsError' }))).toBeInstanceOf(
      UpstreamUnavailableError,
    );
    expect(toToolError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }))).toBeInstanceOf(
      UpstreamUnavailableError,
    );
    expect(toToolError(Object.assign(new Error('bad'), { name: 'ParseError' }))!.message).toContain('could not read');
  });

  describe('connection failures: which host, what failed, and no claim the tool cannot make', () => {
    /** What the SDK throws when fetch fails: an ElevenLabsError without status, undici's TypeError as its cause. */
    const sdkFetchFailure = (cause: unknown) =>
      Object.assign(new Error('fetch failed'), {
        name: 'ElevenLabsError',
        cause: Object.assign(new TypeError('fetch failed'), { cause }),
      });
    const base = { baseUrl: 'https://api.elevenlabs.io' };

    it.each([
      ['ENOTFOUND', 'DNS lookup failed (the host name does not resolve)'],
      ['EAI_AGAIN', 'DNS lookup failed (the resolver did not answer)'],
      ['ECONNREFUSED', 'the connection was refused (nothing listens at that address and port)'],
      ['EHOSTUNREACH', 'there is no network route to it'],
      ['UND_ERR_CONNECT_TIMEOUT', 'opening the connection timed out'],
      ['CERT_HAS_EXPIRED', 'the TLS handshake failed (its certificate was not accepted)'],
      ['ERR_SSL_WRONG_VERSION_NUMBER', 'the TLS handshake failed (no secure connection could be agreed on)'],
    ])('%s: the request never left', (code, failure) => {
      const error = toToolError(sdkFetchFailure({ code }), base);
      expect(error).toBeInstanceOf(UpstreamUnreachableError);
      expect(error!.message).toMatch(
        new RegExp(
          `^Could not reach ElevenLabs at api\\.elevenlabs\\.io: ${failure.replace(/[()]/g, '\\$&')}\\. The request ` +
            `was not sent, so nothing was done or billed\\.`,
        ),
      );
      expect(error!.message).not.toContain('Nothing was generated');
      expect(error!.logFields()).toMatchObject({ errorKind: 'upstream_unreachable', upstreamCode: code });
    });

    it(
      'reads the code from plain fetch errors and from every member of an AggregateError (several addresses ' +
        'tried)',
      () => {
        const direct = Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('connect ECONNREFUSED'), {
            code: 'ECONNREFUSED',
            address: '10.0.0.1',
            port: 443,
          }),
        });
        expect(toToolError(direct, base)!.message).toContain('at api.elevenlabs.io: the connection was refused');
        const aggregate = Object.assign(new TypeError('fetch failed'), {
          cause: new AggregateError([
            Object.assign(new Error('a'), { code: 'ENETUNREACH' }),
            Object.assign(new Error('b'), { code: 'ECONNREFUSED' }),
          ]),
        });
        expect(toToolError(aggregate, base)!.message).toContain('there is no network route to it');
      },
    );

    it('names the address from the error itself when no base URL is known', () => {
      const error = toToolError(sdkFetchFailure({ code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 }));
      expect(error!.message).toMatch(/^Could not reach ElevenLabs at 127\.0\.0\.1:9: /);
      expect(toToolError(sdkFetchFailure({ code: 'ENOTFOUND', hostname: 'api.elevenlabs.invalid' }))!.message).toMatch(
        /^Could not reach ElevenLabs at api\.elevenlabs\.invalid: DNS/,
      );
    });

    it('a connection that broke after the request left claims nothing about what was done', () => {
      for (const cause of [{ code: 'ECONNRESET' }, { code: 'UND_ERR_SOCKET' }]) {
        const error = toToolError(sdkFetchFailure(cause), base);
        expect(error).toBeInstanceOf(UpstreamUnavailableError);
        expect(error!.message).toBe(
          'ElevenLabs is unavailable right now (the connection to api.elevenlabs.io closed before its answer was ' +
            'complete). Try again in a minute.',
        );
      }
    });

    it(
      'says nothing was done only when the answer says so (503), never for a 500 to a request that may have taken ' +
        'effect',
      () => {
        expect(toToolError(sdkError(503, undefined))!.message).toContain(
          'It did not process the request, so nothing was done or billed.',
        );
        expect(toToolError(sdkError(500, undefined))!.message).not.toContain('nothing was done');
        expect(toToolError(sdkError(429, detail('system_busy', 'Busy.')))!.message).toContain(
          'It did not process the request, so nothing was done or billed.',
        );
      },
    );
  });

  it('leaves our own bugs alone, to be reported as internal errors', () => {
    expect(toToolError(new TypeError('x is not a function'))).toBeUndefined();
    expect(
      toToolError(
        Object.assign(new TypeError('The "url" argument must be of type string'), { code: 'ERR_INVALID_ARG_TYPE' }),
      ),
    ).toBeUndefined();
    expect(toToolError(new RangeError('nope'))).toBeUndefined();
  });

  it('never passes a long or HTML body on to the model', () => {
    expect(readUpstreamDetail('<!doctype html><h1>Bad gateway</h1>').message).toBeUndefined();
    expect(readUpstreamDetail({ detail: 'x'.repeat(2000) }).message!.length).toBeLessThanOrEqual(500);
    expect(readUpstreamDetail({ detail: { code: 'voice_not_found', message: 'gone' } })).toEqual({
      code: 'voice_not_found',
      message: 'gone',
    });
  });
});
