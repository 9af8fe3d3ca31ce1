/**
 * The base of the error taxonomy and the errors of a request itself (its key, its arguments, its size).
 * What the model reads is `error.message`, a specific sentence that says what to do; details worth
 * keeping for operators go to the log through `logFields()`, never to the model. No message, field or
 * cause ever holds the caller's key.
 */
import { formatBytes } from '../bytes.js';

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

/** An argument problem found before anything is sent upstream. */
export class InvalidArgumentsError extends ToolError {
  readonly kind = 'invalid_arguments';
}

/** One HTTP request (a 2025-03-26 batch included) asked for more upload URLs than it may sign. */
export class TooManyUploadUrlsError extends ToolError {
  readonly kind = 'too_many_upload_urls';
  constructor(limit: number) {
    super(
      `One request may create at most ${limit} upload URLs, and this one has had them. Upload those files first, ` +
        `then call create_upload_url again in a new request.`,
    );
  }
}

export class OutputTooLargeError extends ToolError {
  readonly kind = 'output_too_large';
  constructor(limitBytes: number) {
    super(
      `ElevenLabs returned more than ${formatBytes(limitBytes)} of audio, more than this server stores from one ` +
        `call. Nothing was stored; ask for shorter audio or a more compact output_format.`,
    );
  }
}
