import type { AudioFormat } from '../audio/formats.js';
import type { S3Kit } from './s3.js';

/** Audio as a tool hands it over for storage: whole, never a stream that could end half-way. */
export interface NewAudio {
  readonly bytes: Uint8Array;
  readonly format: AudioFormat;
  /** Short prefix naming what made it: `tts`, `sfx`, `music`... */
  readonly kind: string;
  /** Non-secret facts kept as S3 metadata (voice id, model id...). Never the key or the text. */
  readonly metadata?: Readonly<Record<string, string | number | undefined>>;
  /** What ElevenLabs billed for it, so a storage failure can say what was spent. */
  readonly charactersBilled?: number;
}

/** A file a tool produced that is not audio in one of our output formats: a transcript, subtitles. */
export interface NewFile {
  readonly bytes: Uint8Array;
  /** Stored as the object's Content-Type. */
  readonly mimeType: string;
  /** Of the id, without the dot: `txt`, `srt`. */
  readonly extension: string;
  /** Short prefix naming what made it, as for audio: `stt`. */
  readonly kind: string;
  readonly metadata?: Readonly<Record<string, string | number | undefined>>;
}

/**
 * A stored object with a fresh presigned GET URL. `audioId` is named after the tools' `audio_id` argument,
 * which takes the id of any stored file.
 */
export interface SignedFile {
  readonly audioId: string;
  readonly key: string;
  readonly url: string;
  readonly expiresAt: string;
  readonly mimeType: string;
  readonly bytes: number;
  readonly filename: string;
}

/** A stored object's content, read whole. */
export interface StoredFile {
  readonly audioId: string;
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly mimeType: string;
  readonly filename: string;
}

/** One entry of a listing; the type comes from the id's extension (listings carry no headers). */
export interface StoredObject {
  readonly audioId: string;
  readonly key: string;
  /** What made it: `tts`, `upload`... (named by the id). */
  readonly kind: string;
  readonly bytes: number;
  readonly mimeType: string;
  readonly lastModified: string;
}

/** One page of a caller's files, newest first. */
export interface FilePage {
  readonly items: readonly StoredObject[];
  /** Pass back as `cursor` for the next page; undefined on the last page. */
  readonly nextCursor: string | undefined;
  /**
   * Objects the listing looked at: every legacy-form one (at most MAX_LISTED_OBJECTS) and the time-ordered
   * ones from the cursor on until the page was full. It is the count of everything stored only when
   * `nextCursor` is undefined and no cursor was given; otherwise it is a lower bound.
   */
  readonly total: number;
  /** False when the caller has more than MAX_LISTED_OBJECTS legacy-form objects and only that many were considered. */
  readonly complete: boolean;
}

/** What create_upload_url is asked to sign. */
export interface NewUpload {
  readonly filename: string;
  readonly contentType: string;
  /** The exact size the upload must have. */
  readonly bytes: number;
}

/** A presigned PUT URL and what the uploader must send with it. */
export interface UploadTarget {
  readonly audioId: string;
  readonly key: string;
  readonly url: string;
  readonly method: 'PUT';
  /** Headers the PUT must carry exactly: they are part of the signature. */
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
  readonly bytes: number;
  readonly contentType: string;
}

/**
 * One caller's files (generated audio, transcripts, uploaded documents and media) in S3. Every method takes
 * an id either as returned (`audioId`) or as the full key.
 */
export interface FileStore {
  /**
   * Stores the audio (typed by its `format`) or another file a tool produced (typed by its `mimeType`)
   * under the caller's prefix and signs a URL for it. Throws StorageError; never returns a URL to nothing.
   */
  save(item: NewAudio | NewFile): Promise<SignedFile>;
  /** A fresh URL for an object of this caller; another caller's object or a missing one is StoredFileNotFoundError. */
  sign(idOrKey: string): Promise<SignedFile>;
  /** The content of an object of this caller, at most `maxBytes` (else InputTooLargeError); not-found as `sign`. */
  read(idOrKey: string, maxBytes: number): Promise<StoredFile>;
  /** The caller's objects, newest first. `cursor` is a `nextCursor` an earlier page returned. */
  list(page: { readonly limit: number; readonly cursor?: string | undefined }): Promise<FilePage>;
  /** Deletes an object of this caller; not-found as `sign`, so deleting twice reports not found the second time. */
  delete(idOrKey: string): Promise<{ readonly audioId: string; readonly key: string }>;
  /** Signs a PUT of exactly `bytes` bytes of `contentType` to a new id under the caller's prefix. */
  createUploadUrl(upload: NewUpload): Promise<UploadTarget>;
}

/** A count of upload URLs left for one request. */
export interface UploadAllowance {
  remaining: number;
}

/** What a store of one caller, in one request, is made of. */
export interface FileStoreOptions {
  readonly s3: () => Promise<S3Kit>;
  readonly bucket: string | undefined;
  readonly urlTtlSeconds: number;
  /** The caller's storage identity (a hash of their key). */
  readonly callerId: string;
  /** Aborts S3 calls when the invocation runs out of time. */
  readonly signal?: AbortSignal;
  /**
   * Resolves once ElevenLabs has accepted the caller's key, else throws (see elevenlabs/key-check.ts).
   * Awaited before every S3 call except `save`, which only stores what ElevenLabs has just generated.
   */
  readonly verifyCaller?: () => Promise<void>;
  /** Upload URLs this request may still sign, shared by every store of one request (a batch included). */
  readonly uploadAllowance?: UploadAllowance;
  /** Told the size of each object saved (for the request's metrics). */
  readonly onStored?: (bytes: number) => void;
}
