import { formatInfo } from '../audio/formats.js';
import { extensionOf, servedAs, typeForExtension } from '../audio/media-types.js';
import {
  StoredFileNotFoundError,
  InputTooLargeError,
  quoteForMessage,
  StorageError,
  StorageMisconfiguredError,
  StorageNotConfiguredError,
  StorageUnavailableError,
  ToolError,
} from '../errors/index.js';
import { readBounded } from '../net/read-bounded.js';
import { callerPrefix, isFileId, newFileId } from './file-ids.js';
import { decodeCursor, listFiles } from './listing.js';
import { s3Metadata } from './metadata.js';
import { describeS3Failure, isMisconfigured, isMissingObject, type S3ErrorLike } from './s3-failures.js';
import type { S3Kit } from './s3.js';
import type { FileStore, FileStoreOptions } from './store-types.js';
import { checkUpload, signUpload, spendUploadUrl } from './uploads.js';

export { callerPrefix, isFileId, parseFileId, type FileIdParts } from './file-ids.js';
export { MAX_LISTED_OBJECTS } from './listing.js';
export type * from './store-types.js';
export { MAX_UPLOAD_BYTES, MAX_UPLOAD_URLS_PER_REQUEST, UPLOAD_URL_TTL_SECONDS } from './uploads.js';

/** The store of one caller's files for one request; nothing is sent to S3 until a method is called. */
export function createFileStore(options: FileStoreOptions): FileStore {
  // Start loading the S3 client now: a generating tool takes its store before calling ElevenLabs, so
  // the load overlaps the wait for the audio instead of following it.
  if (options.bucket) void options.s3().catch(() => undefined);
  const prefix = callerPrefix(options.callerId);
  const signal = options.signal;

  const bucketOrThrow = (): string => {
    if (!options.bucket) throw new StorageNotConfiguredError();
    return options.bucket;
  };
  const verified = async (): Promise<void> => {
    await options.verifyCaller?.();
  };

  /**
   * The key of one of this caller's objects, for an id of either form. Anything that is not one of our ids
   * (another caller's key, a path, a traversal) cannot name an object of this caller and is answered exactly
   * like a missing object: the same error, echoing what was asked.
   */
  const ownKey = (idOrKey: string): { audioId: string; key: string } => {
    const audioId = idOrKey.startsWith(prefix) ? idOrKey.slice(prefix.length) : idOrKey;
    if (!isFileId(audioId)) throw notFound(idOrKey);
    return { audioId, key: `${prefix}${audioId}` };
  };

  const failure = (action: string, error: unknown, idOrKey?: string): ToolError => {
    if (error instanceof ToolError) return error;
    if (idOrKey !== undefined && isMissingObject(error)) return notFound(idOrKey);
    if (isMisconfigured(error))
      return new StorageMisconfiguredError(action, describeS3Failure(error, signal), { cause: error });
    return new StorageUnavailableError(action, describeS3Failure(error, signal), { cause: error });
  };

  /**
   * A HEAD of a missing object and a HEAD in a missing bucket both come back as a bodiless 404. Before an
   * id is reported missing, a one-key listing (which the role may make under audio/) tells them apart: a
   * missing bucket is the operator's problem, not the caller's.
   */
  const confirmMissing = async (kit: S3Kit, bucket: string, key: string, error: unknown): Promise<never> => {
    if (!isMissingObject(error) || (error as S3ErrorLike).name === 'NoSuchKey') throw error;
    try {
      await kit.client.send(new kit.sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }), {
        abortSignal: signal,
      });
    } catch (listing) {
      if (isMisconfigured(listing)) throw listing;
    }
    throw error;
  };

  const head = (kit: S3Kit, bucket: string, key: string) =>
    kit.client
      .send(new kit.sdk.HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal })
      .catch((error: unknown) => confirmMissing(kit, bucket, key, error));

  // Served with our own type and disposition whatever was uploaded: audio and video play inline, the
  // rest downloads as a file, and nothing is ever rendered as a page from the bucket's origin.
  const presign = async (kit: S3Kit, bucket: string, key: string): Promise<{ url: string; expiresAt: string }> => {
    const served = servedAs(key.slice(prefix.length));
    const command = new kit.sdk.GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ResponseContentType: served.contentType,
      ResponseContentDisposition: served.disposition,
    });
    const url = await kit.getSignedUrl(kit.client, command, { expiresIn: options.urlTtlSeconds });
    return { url, expiresAt: new Date(Date.now() + options.urlTtlSeconds * 1000).toISOString() };
  };

  return {
    async save(item) {
      const bucket = bucketOrThrow();
      const audio = 'format' in item ? item : undefined;
      const info = 'format' in item ? formatInfo(item.format) : { mimeType: item.mimeType, extension: item.extension };
      const audioId = newFileId(item.kind, info.extension);
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
          { abortSignal: signal },
        );
        // Signing needs no answer from S3: it runs while the upload travels. The URL is returned only
        // once the upload succeeded (a failed upload rejects the whole, and nothing is handed out).
        const [, signed] = await Promise.all([upload, presign(kit, bucket, key)]);
        options.onStored?.(item.bytes.byteLength);
        return { audioId, key, mimeType: info.mimeType, bytes: item.bytes.byteLength, filename: audioId, ...signed };
      } catch (error) {
        const misconfigured = isMisconfigured(error);
        throw new StorageError(describeS3Failure(error, signal), audio?.charactersBilled, {
          cause: error,
          misconfigured,
        });
      }
    },

    async sign(idOrKey) {
      const bucket = bucketOrThrow();
      const { audioId, key } = ownKey(idOrKey);
      try {
        await verified();
        const kit = await options.s3();
        const found = await head(kit, bucket, key);
        return {
          audioId,
          key,
          mimeType: found.ContentType ?? formatInfo(found.Metadata?.format ?? '').mimeType,
          bytes: found.ContentLength ?? 0,
          filename: audioId,
          ...(await presign(kit, bucket, key)),
        };
      } catch (error) {
        throw failure('sign a download URL', error, idOrKey);
      }
    },

    async read(idOrKey, maxBytes) {
      const bucket = bucketOrThrow();
      const { audioId, key } = ownKey(idOrKey);
      try {
        await verified();
        const kit = await options.s3();
        const object = await kit.client.send(new kit.sdk.GetObjectCommand({ Bucket: bucket, Key: key }), {
          abortSignal: signal,
        });
        const body = object.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
        if ((object.ContentLength ?? 0) > maxBytes) {
          body?.destroy?.();
          throw new InputTooLargeError(maxBytes);
        }
        const bytes = body
          ? await readBounded(body, maxBytes, () => new InputTooLargeError(maxBytes))
          : new Uint8Array(0);
        const mimeType = object.ContentType ?? typeForExtension(extensionOf(audioId)) ?? 'application/octet-stream';
        return { audioId, key, bytes, mimeType, filename: audioId };
      } catch (error) {
        throw failure('read the stored file', error, idOrKey);
      }
    },

    async list({ limit, cursor }) {
      const bucket = bucketOrThrow();
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      try {
        await verified();
        return await listFiles({ kit: await options.s3(), bucket, prefix, signal }, limit, after);
      } catch (error) {
        throw failure('list your files', error);
      }
    },

    async delete(idOrKey) {
      const bucket = bucketOrThrow();
      const { audioId, key } = ownKey(idOrKey);
      try {
        await verified();
        const kit = await options.s3();
        // DeleteObject succeeds for a missing key: look first, so that a wrong id is reported, not ignored.
        await head(kit, bucket, key);
        await kit.client.send(new kit.sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
        return { audioId, key };
      } catch (error) {
        throw failure('delete the file', error, idOrKey);
      }
    },

    async createUploadUrl(upload) {
      const bucket = bucketOrThrow();
      const checked = checkUpload(upload);
      const audioId = newFileId('upload', checked.extension);
      const key = `${prefix}${audioId}`;
      try {
        await verified();
        spendUploadUrl(options.uploadAllowance);
        const signed = await signUpload(await options.s3(), bucket, key, checked);
        return { audioId, key, method: 'PUT', bytes: checked.bytes, contentType: checked.contentType, ...signed };
      } catch (error) {
        throw failure('sign an upload URL', error);
      }
    },
  };
}

function notFound(idOrKey: string): StoredFileNotFoundError {
  return new StoredFileNotFoundError(quoteForMessage(idOrKey));
}
