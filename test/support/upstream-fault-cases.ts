import type { Fault } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';

// The upstream faults test/reliability/upstream-faults.test.ts injects into the fake ElevenLabs.

/** One fault: what ElevenLabs does, and what the caller must read. */
export interface FaultCase {
  name: string;
  fault: Fault;
  times?: number;
  tool?: string;
  args?: Record<string, unknown>;
  says: RegExp;
  /** How many times the failing endpoint may be called (retries). */
  attempts?: number;
  remainingMs?: number;
}

export const TTS = { text: 'Fault injection.' };
/** What a caller reads when the connection to ElevenLabs closes before its answer is complete. */
const CUT_OFF = new RegExp(
  String.raw`^ElevenLabs is unavailable right now \(the connection to 127\.0\.0\.1:\d+ closed before its answer ` +
    String.raw`was complete\)\. Try again in a minute\.$`,
);
/** ElevenLabs' error body. */
export const detail = (status: string, message: string) => ({ detail: { status, message } });
export const reply = (status: number, body?: unknown, headers?: Record<string, string>): Fault => ({
  kind: 'reply',
  reply: { status, body, headers },
});

export const FAULTS: FaultCase[] = [
  {
    name: '401 invalid key',
    fault: reply(401, detail('invalid_api_key', 'Invalid API key')),
    says: /rejected the API key: Invalid API key\..*api-keys/,
  },
  {
    name: '401 quota exceeded',
    fault: reply(401, detail('quota_exceeded', 'This request exceeds your quota of 10000.')),
    says: /quota is exhausted: This request exceeds your quota of 10000\..*check_subscription/,
  },
  {
    name: '403 forbidden',
    fault: reply(403, detail('forbidden', 'Voice access is restricted.')),
    says: /refused this operation for this API key: Voice access is restricted\./,
  },
  {
    name: '404 voice',
    fault: reply(404, detail('voice_not_found', 'A voice with the voice_id X was not found.')),
    says: /Voice cgSgspJ2msm6clMCkdW9 was not found.*search_voices/,
  },
  {
    name: '422 with a validation body',
    fault: reply(422, {
      detail: [
        {
          loc: ['body', 'voice_settings', 'stability'],
          msg: 'ensure this value is less than or equal to 1',
          type: 'value_error',
        },
      ],
    }),
    says: /rejected the request: voice_settings\.stability: ensure this value is less than or equal to 1\./,
  },
  {
    name: "400 with ElevenLabs' own message",
    fault: reply(400, detail('invalid_language_code', 'Language code xx is not supported by this model.')),
    says: /Language code xx is not supported by this model\./,
  },
  {
    name: '429 with Retry-After beyond what we wait',
    fault: reply(429, detail('too_many_concurrent_requests', 'Too many concurrent requests.'), {
      'retry-after': '120',
    }),
    says: /rate-limiting.*Retry after 120 seconds/,
    attempts: 1,
  },
  {
    name: '429 without Retry-After, every time',
    fault: reply(429, detail('system_busy', 'The system is busy.')),
    times: 10,
    says: /rate-limiting.*Retry in a few seconds/,
    attempts: 3,
  },
  // A 500 to a POST may have taken effect: not retried.
  {
    name: '500 with an HTML body',
    fault: reply(500, '<html><body><h1>500 Internal Server Error</h1></body></html>'),
    times: 10,
    says: /unavailable right now \(HTTP 500\)/,
    attempts: 1,
  },
  {
    name: '503',
    fault: reply(503, { detail: 'Service Unavailable' }),
    times: 10,
    says: /unavailable right now \(HTTP 503\)\. It did not process the request, so nothing was done or billed\./,
    attempts: 3,
  },
  {
    name: 'a response that never comes',
    fault: { kind: 'hang' },
    says: /did not finish within \d+ seconds/,
    attempts: 1,
    remainingMs: 3_000,
  },
  {
    name: 'a connection reset',
    fault: { kind: 'reset' },
    says: CUT_OFF,
    attempts: 1,
  },
  {
    name: 'audio cut off mid-stream',
    fault: { kind: 'truncate' },
    says: CUT_OFF,
    attempts: 1,
  },
  {
    name: 'a 200 with a malformed JSON body',
    fault: reply(200, '{"tier": "creator", "character_count": '),
    tool: 'check_subscription',
    args: {},
    says: /body this server could not read/,
  },
  {
    name: 'a 200 with JSON of the wrong shape',
    fault: reply(200, { tier: 5 }),
    tool: 'check_subscription',
    args: {},
    says: /body this server could not read/,
  },
];
