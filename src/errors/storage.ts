/** Errors of the caller's stored files in S3: nothing configured, a failed operation, a missing file. */
import { ToolError } from './tool-error.js';

export class StorageNotConfiguredError extends ToolError {
  readonly kind = 'storage_not_configured';
  constructor() {
    super(
      'This server has no audio bucket configured (AUDIO_BUCKET), so it cannot store or sign audio. Ask its operator ' +
        'to set AUDIO_BUCKET.',
    );
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
      ? " This is a problem of this server's setup, not of your request; its operator must fix it (retrying will not " +
        'help).'
      : ' Try again in a moment.';
    super(`The audio could not be saved to storage (${reason}), so no URL was issued.${billed}${next}`, options);
    this.retryable = !options.misconfigured;
  }

  override logFields(): Record<string, unknown> {
    return { errorKind: this.kind, storageReason: this.reason, charactersBilled: this.charactersBilled };
  }
}

/** A storage operation (reading, listing, deleting, signing) failed; `action` says which, `reason` why. */
abstract class StorageActionError extends ToolError {
  constructor(
    message: string,
    readonly action: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  override logFields(): Record<string, unknown> {
    return { errorKind: this.kind, storageAction: this.action, storageReason: this.reason };
  }
}

/** A storage operation other than saving new audio failed (reading, listing, deleting, signing). */
export class StorageUnavailableError extends StorageActionError {
  readonly kind = 'storage_unavailable';
  override readonly retryable = true;
  constructor(action: string, reason: string, options?: ErrorOptions) {
    super(
      `Storage could not ${action} (${reason}). Nothing was changed; try again in a moment.`,
      action,
      reason,
      options,
    );
  }
}

/**
 * The deployment's storage itself is broken (the bucket is missing, or the function's role may not use
 * it): distinct from a missing file, and nothing the caller can fix by retrying or changing arguments.
 */
export class StorageMisconfiguredError extends StorageActionError {
  readonly kind = 'storage_misconfigured';
  constructor(action: string, reason: string, options?: ErrorOptions) {
    super(
      `Storage could not ${action}: ${reason}. This is a problem of this server's setup, not of your request or your ` +
        `files; its operator must fix it (retrying will not help).`,
      action,
      reason,
      options,
    );
  }
}

/** No stored file (audio, transcript, upload) of this caller has that id. */
export class StoredFileNotFoundError extends ToolError {
  readonly kind = 'file_not_found';
  constructor(audioId: string) {
    super(
      `No stored file with audio_id ${audioId} exists for your API key. Use an audio_id returned by an earlier call ` +
        `made with the same key (list_audio lists them); ` +
        'an audio_id from create_upload_url exists only once the file has been uploaded to its upload_url.',
    );
  }
}
