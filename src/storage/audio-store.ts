import { randomBytes } from 'node:crypto';
import { formatInfo, type AudioFormat } from '../audio/formats.js';
import { AudioNotFoundError, StorageError, StorageNotConfiguredError } from '../errors.js';
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

export interface AudioStore {
  /** Stores the audio under the caller's prefix and signs a URL for it. Throws StorageError; never returns a URL to nothing. */
  save(audio: NewAudio): Promise<SignedAudio>;
  /** A fresh URL for an object of this caller; another caller's object or a missing one is AudioNotFoundError. */
  sign(audioIdOrKey: string): Promise<SignedAudio>;
}

export interface AudioStoreOptions {
  readonly s3: () => Promise<S3Kit>;
  readonly bucket: string | undefined;
  readonly urlTtlSeconds: number;
  /** The caller's storage identity (a hash of their key). */
  readonly callerId: string;
  /** Aborts S3 calls when the invocation runs out of time. */
  readonly signal?: AbortSignal;
}

const KEY_ROOT = 'audio';
/** `tts_20261121T160512Z_3f9a1c7e2b4d.mp3`: kind, UTC time, 48 random bits, extension. */
const AUDIO_ID = /^[a-z][a-z0-9]{0,15}_\d{8}T\d{6}Z_[0-9a-f]{12}\.[a-z0-9]{2,5}$/;

export function isAudioId(value: string): boolean {
  return AUDIO_ID.test(value);
}

/** The prefix that holds one caller's objects. */
export function callerPrefix(callerId: string): string {
  return `${KEY_ROOT}/${callerId}/`;
}

export function createAudioStore(options: AudioStoreOptions): AudioStore {
  const prefix = callerPrefix(options.callerId);

  const bucketOrThrow = (): string => {
    if (!options.bucket) throw new StorageNotConfiguredError();
    return options.bucket;
  };

  const presign = async (kit: S3Kit, bucket: string, key: string): Promise<{ url: string; expiresAt: string }> => {
    const url = await kit.getSignedUrl(kit.client, new kit.sdk.GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: options.urlTtlSeconds,
    });
    return { url, expiresAt: new Date(Date.now() + options.urlTtlSeconds * 1000).toISOString() };
  };

  return {
    async save(audio) {
      const bucket = bucketOrThrow();
      const info = formatInfo(audio.format);
      const audioId = newAudioId(audio.kind, info.extension);
      const key = `${prefix}${audioId}`;
      try {
        const kit = await options.s3();
        await kit.client.send(
          new kit.sdk.PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: audio.bytes,
            ContentLength: audio.bytes.byteLength,
            ContentType: info.mimeType,
            ContentDisposition: `attachment; filename="${audioId}"`,
            Metadata: s3Metadata({ ...audio.metadata, format: audio.format, kind: audio.kind }),
          }),
          { abortSignal: options.signal },
        );
        return { audioId, key, mimeType: info.mimeType, bytes: audio.bytes.byteLength, filename: audioId, ...(await presign(kit, bucket, key)) };
      } catch (error) {
        throw new StorageError(describeS3Failure(error, options.signal), audio.charactersBilled, { cause: error });
      }
    },

    async sign(audioIdOrKey) {
      const bucket = bucketOrThrow();
      const audioId = audioIdOrKey.startsWith(prefix) ? audioIdOrKey.slice(prefix.length) : audioIdOrKey;
      // Anything that is not one of our ids (another caller's key, a path, a traversal) cannot name an
      // object of this caller, and is answered exactly like a missing object.
      if (!isAudioId(audioId)) throw new AudioNotFoundError(printable(audioIdOrKey));
      const key = `${prefix}${audioId}`;
      try {
        const kit = await options.s3();
        const head = await kit.client.send(new kit.sdk.HeadObjectCommand({ Bucket: bucket, Key: key }), {
          abortSignal: options.signal,
        });
        return {
          audioId,
          key,
          mimeType: head.ContentType ?? formatInfo(head.Metadata?.format ?? '').mimeType,
          bytes: head.ContentLength ?? 0,
          filename: audioId,
          ...(await presign(kit, bucket, key)),
        };
      } catch (error) {
        if (isMissingObject(error)) throw new AudioNotFoundError(audioId);
        throw new StorageError(describeS3Failure(error, options.signal), undefined, { cause: error });
      }
    },
  };
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
      return 'the audio bucket does not exist';
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

function printable(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > 80 ? `${clean.slice(0, 77)}...` : clean);
}
