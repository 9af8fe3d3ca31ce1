/**
 * Errors of an input file a tool was given (a URL, a stored file, base64): refused, not downloadable,
 * too large. "Input" means only that; the arguments themselves are InvalidArgumentsError's.
 */
import { formatBytes } from '../bytes.js';
import { ToolError } from './tool-error.js';

const UPLOAD_FIX =
  'Host the file at a public https URL, or upload it with create_upload_url and pass the audio_id it returns.';

/**
 * A URL this server will not fetch: not https, or its host is (or resolves to, or redirects to) an
 * address that is not on the public internet. The message names only the class of address, never the
 * address itself or anything else learned about the network.
 */
export class InputRefusedError extends ToolError {
  readonly kind = 'input_refused';
  constructor(readonly reason: string) {
    super(
      `The URL was refused: ${reason}. This server only downloads files from public https addresses. ${UPLOAD_FIX}`,
    );
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
      `The file at the URL could not be downloaded: ${reason}. Check that the link is a direct download that works ` +
        `without signing in. ${UPLOAD_FIX}`,
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
    super(
      `The file is larger than ${formatBytes(limitBytes)}, the most this tool accepts. Nothing was sent to ` +
        `ElevenLabs. ${hint}`,
    );
  }
}
