import { randomBytes } from 'node:crypto';
import { formatInfo, type AudioFormat } from '../audio/formats.js';
import { extensionForType, extensionOf, isTypeAllowed, servedAs, typeForExtension, UPLOAD_TYPES } from '../audio/media-types.js';
import {
  StoredFileNotFoundError,
  InputTooLargeError,
  InvalidArgumentsError,
  quoteForMessage,
  StorageError,
  StorageMisconfiguredError,
  StorageNotConfiguredError,
  TooManyUploadUrlsError,
  StorageUnavailableError,
  ToolError,
} from '../errors/index.js';
import { readBounded } from '../net/read-bounded.js';
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

/** A stored object with a fresh presigned GET URL. */
export interface SignedAudio {
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
  /** What made it: `tts`, `upload`... (the id's prefix). */
  readonly kind: string;
  readonly bytes: number;
  readonly mimeType: string;
  readonly lastModified: string;
}

export interface AudioPage {
  readonly items: readonly StoredObject[];
  /** Pass back as `cursor` for the next page; undefined on the last page. */
  readonly nextCursor: string | undefined;
  /** Objects considered (at most MAX_LISTED_OBJECTS). */
  readonly total: number;
  /** False when the caller has more than MAX_LISTED_OBJECTS objects and only that many were considered. */
  readonly complete: boolean;
}

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

export interface AudioStore {
  /**
   * Stores the audio (typed by its `format`) or another file a tool produced (typed by its `mimeType`)
   * under the caller's prefix and signs a URL for it. Throws StorageError; never returns a URL to nothing.
   */
  save(item: NewAudio | NewFile): Promise<SignedAudio>;
  /** A fresh URL for an object of this caller; another caller's object or a missing one is StoredFileNotFoundError. */
  sign(audioIdOrKey: string): Promise<SignedAudio>;
  /** The content of an object of this caller, at most `maxBytes` (else InputTooLargeError); not-found as `sign`. */
  read(audioIdOrKey: string, maxBytes: number): Promise<StoredFile>;
  /** The caller's objects, newest first. `cursor` is a `nextCursor` an earlier page returned. */
  list(page: { readonly limit: number; readonly cursor?: string | undefined }): Promise<AudioPage>;
  /** Deletes an object of this caller; not-found as `sign`, so deleting twice reports not found the second time. */
  delete(audioIdOrKey: string): Promise<{ readonly audioId: string; readonly key: string }>;
  /** Signs a PUT of exactly `bytes` bytes of `contentType` to a new id under the caller's prefix. */
  createUploadUrl(upload: NewUpload): Promise<UploadTarget>;
}

export interface AudioStoreOptions {
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

/** A count of upload URLs left for one request. */
export interface UploadAllowance {
  remaining: number;
}

/** Upload URLs one HTTP request may sign, a 2025-03-26 batch of create_upload_url calls included. */
export const MAX_UPLOAD_URLS_PER_REQUEST = 10;

const KEY_ROOT = 'audio';
/** `tts_20261121T160512Z_3f9a1c7e2b4d.mp3`: kind, UTC time, 48 random bits, extension. */
const AUDIO_ID = /^[a-z][a-z0-9]{0,15}_\d{8}T\d{6}Z_[0-9a-f]{12}\.[a-z0-9]{2,5}$/;

/**
 * The largest file create_upload_url signs for. Tools read an input whole into the function's memory
 * (1024 MB by default) and hand it to the ElevenLabs SDK, which copies it into a multipart body.
 */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** Upload URLs are for "upload now": short-lived, so a leaked one is soon useless. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
/** A listing sorts everything it considers; a caller with more objects sees the first this many by key. */
export const MAX_LISTED_OBJECTS = 5_000;

export function isAudioId(value: string): boolean {
  return AUDIO_ID.test(value);
}

/** The prefix that holds one caller's objects. */
export function callerPrefix(callerId: string): string {
  return `${KEY_ROOT}/${callerId}/`;
}

export function createAudioStore(options: AudioStoreOptions): AudioStore {
  // Start loading the S3 client now: a generating tool takes its store before calling ElevenLabs, so
  // the load overlaps the wait for the audio instead of following it.
  if (options.bucket) void options.s3().catch(() => undefined);
  const prefix = callerPrefix(options.callerId);

  const bucketOrThrow = (): string => {
    if (!options.bucket) throw new StorageNotConfiguredError();
    return options.bucket;
  };
  const verified = async (): Promise<void> => {
    await options.verifyCaller?.();
  };

  /**
   * The key of one of this caller's objects. Anything that is not one of our ids (another caller's
   * key, a path, a traversal) cannot name an object of this caller and is answered exactly like a
   * missing object: the same error, echoing what was asked.
   */
  const ownKey = (audioIdOrKey: string): { audioId: string; key: string } => {
    const audioId = audioIdOrKey.startsWith(prefix) ? audioIdOrKey.slice(prefix.length) : audioIdOrKey;
    if (!isAudioId(audioId)) throw notFound(audioIdOrKey);
    return { audioId, key: `${prefix}${audioId}` };
  };

  const failure = (action: string, error: unknown, audioIdOrKey?: string): ToolError => {
    if (error instanceof ToolError) return error;
    if (audioIdOrKey !== undefined && isMissingObject(error)) return notFound(audioIdOrKey);
    if (isMisconfigured(error)) return new StorageMisconfiguredError(action, describeS3Failure(error, options.signal), { cause: error });
    return new StorageUnavailableError(action, describeS3Failure(error, options.signal), { cause: error });
  };

  /**
   * A HEAD of a missing object and a HEAD in a missing bucket both come back as a bodiless 404. Before an
   * id is reported missing, a one-key listing (which the role may make under audio/) tells them apart: a
   * missing bucket is the operator's problem, not the caller's.
   */
  const confirmMissing = async (kit: S3Kit, bucket: string, key: string, error: unknown): Promise<never> => {
    if (!isMissingObject(error) || (error as S3ErrorLike).name === 'NoSuchKey') throw error;
    try {
      await kit.client.send(new kit.sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }), { abortSignal: options.signal });
    } catch (listing) {
      if (isMisconfigured(listing)) throw listing;
    }
    throw error;
  };

  // Served with our own type and disposition whatever was uploaded: audio and video play inline, the
  // rest downloads as a file, and nothing is ever rendered as a page from the bucket's origin.
  const presign = async (kit: S3Kit, bucket: string, key: string): Promise<{ url: string; expiresAt: string }> => {
    const served = servedAs(key.slice(prefix.length));
    const command = new kit.sdk.GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentType: served.contentType, ResponseContentDisposition: served.disposition });
    const url = await kit.getSignedUrl(kit.client, command, {
      expiresIn: options.urlTtlSeconds,
    });
    return { url, expiresAt: new Date(Date.now() + options.urlTtlSeconds * 1000).toISOString() };
  };

  return {
    async save(item) {
      const bucket = bucketOrThrow();
      const audio = 'format' in item ? item : undefined;
      const info = 'format' in item ? formatInfo(item.format) : { mimeType: item.mimeType, extension: item.extension };
      const audioId = newAudioId(item.kind, info.extension);
      const key = `${prefix}${audioId}`;
      try {
        const kit = await options.s3();
        const upload = kit.client.send(
          new kit.sdk.PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: item.bytes,
            ContentLength: item.bytes.byteLength,
            ContentType: info.mimeType,
            ContentDisposition: `attachment; filename="${audioId}"`,
            Metadata: s3Metadata({ ...item.metadata, format: audio?.format, kind: item.kind }),
          }),
          { abortSignal: options.signal },
        );
        // Signing needs no answer from S3: it runs while the upload travels. The URL is returned only
        // once the upload succeeded (a failed upload rejects the whole, and nothing is handed out).
        const [, signed] = await Promise.all([upload, presign(kit, bucket, key)]);
        options.onStored?.(item.bytes.byteLength);
        return { audioId, key, mimeType: info.mimeType, bytes: item.bytes.byteLength, filename: audioId, ...signed };
      } catch (error) {
        throw new StorageError(describeS3Failure(error, options.signal), audio?.charactersBilled, { cause: error, misconfigured: isMisconfigured(error) });
      }
    },

    async sign(audioIdOrKey) {
      const bucket = bucketOrThrow();
      const { audioId, key } = ownKey(audioIdOrKey);
      try {
        await verified();
        const kit = await options.s3();
        const head = await kit.client
          .send(new kit.sdk.HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal })
          .catch((error: unknown) => confirmMissing(kit, bucket, key, error));
        return {
          audioId,
          key,
          mimeType: head.ContentType ?? formatInfo(head.Metadata?.format ?? '').mimeType,
          bytes: head.ContentLength ?? 0,
          filename: audioId,
          ...(await presign(kit, bucket, key)),
        };
      } catch (error) {
        throw failure('sign a download URL', error, audioIdOrKey);
      }
    },

    async read(audioIdOrKey, maxBytes) {
      const bucket = bucketOrThrow();
      const { audioId, key } = ownKey(audioIdOrKey);
      try {
        await verified();
        const kit = await options.s3();
        const object = await kit.client.send(new kit.sdk.GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal });
        const body = object.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
        if ((object.ContentLength ?? 0) > maxBytes) {
          body?.destroy?.();
          throw new InputTooLargeError(maxBytes);
        }
        const bytes = body ? await readBounded(body, maxBytes, () => new InputTooLargeError(maxBytes)) : new Uint8Array(0);
        const mimeType = object.ContentType ?? typeForExtension(extensionOf(audioId)) ?? 'application/octet-stream';
        return { audioId, key, bytes, mimeType, filename: audioId };
      } catch (error) {
        throw failure('read the stored file', error, audioIdOrKey);
      }
    },

    async list({ limit, cursor }) {
      const bucket = bucketOrThrow();
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      const found: StoredObject[] = [];
      let complete = true;
      try {
        await verified();
        const kit = await options.s3();
        let token: string | undefined;
        do {
          const page = await kit.client.send(
            new kit.sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1000, ContinuationToken: token }),
            { abortSignal: options.signal },
          );
          for (const object of page.Contents ?? []) {
            const audioId = object.Key?.slice(prefix.length) ?? '';
            if (!object.Key?.startsWith(prefix) || !isAudioId(audioId)) continue;
            found.push({
              audioId,
              key: object.Key,
              kind: audioId.slice(0, audioId.indexOf('_')),
              bytes: object.Size ?? 0,
              mimeType: typeForExtension(extensionOf(audioId)) ?? 'application/octet-stream',
              lastModified: (object.LastModified ?? new Date(0)).toISOString(),
            });
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
          if (token && found.length >= MAX_LISTED_OBJECTS) complete = false;
        } while (token && complete);
      } catch (error) {
        throw failure('list your files', error);
      }
      // S3 lists by key, and keys start with the kind: newest first needs a sort of everything.
      found.sort(newestFirst);
      const rest = after ? found.filter((o) => newestFirst(o, after) > 0) : found;
      const items = rest.slice(0, limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor: rest.length > limit && last ? encodeCursor(last) : undefined,
        total: found.length,
        complete,
      };
    },

    async delete(audioIdOrKey) {
      const bucket = bucketOrThrow();
      const { audioId, key } = ownKey(audioIdOrKey);
      try {
        await verified();
        const kit = await options.s3();
        // DeleteObject succeeds for a missing key: look first, so that a wrong id is reported, not ignored.
        await kit.client
          .send(new kit.sdk.HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal })
          .catch((error: unknown) => confirmMissing(kit, bucket, key, error));
        await kit.client.send(new kit.sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal });
        return { audioId, key };
      } catch (error) {
        throw failure('delete the file', error, audioIdOrKey);
      }
    },

    async createUploadUrl(upload) {
      const bucket = bucketOrThrow();
      const contentType = upload.contentType.toLowerCase();
      if (!Number.isInteger(upload.bytes) || upload.bytes < 1 || upload.bytes > MAX_UPLOAD_BYTES) {
        throw new InvalidArgumentsError(`bytes must be a whole number from 1 to ${MAX_UPLOAD_BYTES}.`);
      }
      if (!isTypeAllowed(contentType, UPLOAD_TYPES)) throw new InvalidArgumentsError(`content_type must be one of ${UPLOAD_TYPES.join(', ')}.`);
      const audioId = newAudioId('upload', extensionForType(contentType, upload.filename));
      const key = `${prefix}${audioId}`;
      try {
        await verified();
        const allowance = options.uploadAllowance;
        if (allowance) {
          if (allowance.remaining <= 0) throw new TooManyUploadUrlsError(MAX_UPLOAD_URLS_PER_REQUEST);
          allowance.remaining -= 1;
        }
        const kit = await options.s3();
        // A presigned PUT cannot carry a size range, but a signed Content-Length and Content-Type make
        // S3 refuse any body of another length or type: the bound is exact.
        const url = await kit.getSignedUrl(
          kit.uploadSigner,
          new kit.sdk.PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType, ContentLength: upload.bytes }),
          { expiresIn: UPLOAD_URL_TTL_SECONDS, signableHeaders: new Set(['content-type', 'content-length']) },
        );
        return {
          audioId,
          key,
          url,
          method: 'PUT',
          headers: { 'Content-Type': contentType, 'Content-Length': String(upload.bytes) },
          expiresAt: new Date(Date.now() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString(),
          bytes: upload.bytes,
          contentType,
        };
      } catch (error) {
        throw failure('sign an upload URL', error);
      }
    },
  };
}

function notFound(audioIdOrKey: string): StoredFileNotFoundError {
  return new StoredFileNotFoundError(quoteForMessage(audioIdOrKey));
}

// Ids break ties (S3 times have one-second resolution) so that the order, and a cursor into it, are stable.
function newestFirst(a: Pick<StoredObject, 'lastModified' | 'audioId'>, b: Pick<StoredObject, 'lastModified' | 'audioId'>): number {
  const byTime = Date.parse(b.lastModified) - Date.parse(a.lastModified);
  if (byTime !== 0) return byTime;
  return a.audioId < b.audioId ? 1 : a.audioId > b.audioId ? -1 : 0;
}

// A position (time and id of a page's last item), not an offset: files stored meanwhile do not shift pages.
function encodeCursor(item: StoredObject): string {
  return Buffer.from(`${Date.parse(item.lastModified)}:${item.audioId}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Pick<StoredObject, 'lastModified' | 'audioId'> {
  const match = /^(\d{1,15}):(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || !isAudioId(match[2]!)) {
    throw new InvalidArgumentsError('continuation_token is not one list_audio returned. Omit it to start from the newest file.');
  }
  return { lastModified: new Date(Number(match[1])).toISOString(), audioId: match[2]! };
}

function newAudioId(kind: string, extension: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${kind}_${stamp}_${randomBytes(6).toString('hex')}.${extension}`;
}

/** S3 metadata is sent as HTTP headers: ASCII only, no empty values. */
function s3Metadata(fields: Record<string, string | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === '') continue;
    out[name.toLowerCase().replace(/[^a-z0-9-]/g, '-')] = String(value).replace(/[^\x20-\x7e]/g, '?').slice(0, 256);
  }
  return out;
}

interface S3ErrorLike {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The bucket is missing or refuses the function's role: nothing a caller can change. */
function isMisconfigured(error: unknown): boolean {
  const e = (error ?? {}) as S3ErrorLike;
  return e.name === 'NoSuchBucket' || e.name === 'AccessDenied' || e.name === 'InvalidAccessKeyId' || e.name === 'SignatureDoesNotMatch' || e.name === 'AllAccessDisabled';
}

function isMissingObject(error: unknown): boolean {
  const e = (error ?? {}) as S3ErrorLike;
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket');
}

/** A short reason for the caller; never the endpoint, bucket policy or credentials. */
function describeS3Failure(error: unknown, signal: AbortSignal | undefined): string {
  const e = (error ?? {}) as S3ErrorLike;
  if (signal?.aborted) return 'storage did not answer before the request ran out of time';
  switch (e.name) {
    case 'NoSuchBucket':
      return 'the server\'s storage is misconfigured: its audio bucket does not exist';
    case 'AccessDenied':
    case 'Forbidden':
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch':
    case 'ExpiredToken':
      return 'the server was denied access to its audio bucket';
    case 'TimeoutError':
    case 'RequestTimeout':
    case 'AbortError':
      return 'storage did not answer in time';
    default:
      if (e.$metadata?.httpStatusCode === 403) return 'the server was denied access to its audio bucket';
      if (e.code && /^E(CONNREFUSED|CONNRESET|NOTFOUND|AI_AGAIN|HOSTUNREACH|TIMEDOUT)$/.test(e.code)) return 'storage is unreachable';
      return e.$metadata?.httpStatusCode ? `storage answered HTTP ${e.$metadata.httpStatusCode}` : 'storage is unreachable';
  }
}
