import { extensionForType, isTypeAllowed, UPLOAD_TYPES } from '../audio/media-types.js';
import { InvalidArgumentsError, TooManyUploadUrlsError } from '../errors/index.js';
import type { S3Kit } from './s3.js';
import type { NewUpload, UploadAllowance } from './store-types.js';

/**
 * The largest file create_upload_url signs for. Tools read an input whole into the function's memory
 * (1024 MB by default) and hand it to the ElevenLabs SDK, which copies it into a multipart body.
 */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** Upload URLs are for "upload now": short-lived, so a leaked one is soon useless. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
/** Upload URLs one HTTP request may sign, a 2025-03-26 batch of create_upload_url calls included. */
export const MAX_UPLOAD_URLS_PER_REQUEST = 10;

/** An upload as it will be signed: its type normalized and the extension its id takes. */
export interface CheckedUpload {
  readonly contentType: string;
  readonly bytes: number;
  readonly extension: string;
}

/** Refuses, before anything is signed, a size or type create_upload_url does not accept. */
export function checkUpload(upload: NewUpload): CheckedUpload {
  const contentType = upload.contentType.toLowerCase();
  if (!Number.isInteger(upload.bytes) || upload.bytes < 1 || upload.bytes > MAX_UPLOAD_BYTES) {
    throw new InvalidArgumentsError(`bytes must be a whole number from 1 to ${MAX_UPLOAD_BYTES}.`);
  }
  if (!isTypeAllowed(contentType, UPLOAD_TYPES))
    throw new InvalidArgumentsError(`content_type must be one of ${UPLOAD_TYPES.join(', ')}.`);
  return { contentType, bytes: upload.bytes, extension: extensionForType(contentType, upload.filename) };
}

/** Takes one upload URL from the request's allowance, or refuses with TooManyUploadUrlsError. */
export function spendUploadUrl(allowance: UploadAllowance | undefined): void {
  if (!allowance) return;
  if (allowance.remaining <= 0) throw new TooManyUploadUrlsError(MAX_UPLOAD_URLS_PER_REQUEST);
  allowance.remaining -= 1;
}

/** A presigned PUT of exactly this upload to `key`, and the headers it must be sent with. */
export async function signUpload(
  kit: S3Kit,
  bucket: string,
  key: string,
  upload: CheckedUpload,
): Promise<{ url: string; headers: Record<string, string>; expiresAt: string }> {
  // A presigned PUT cannot carry a size range, but a signed Content-Length and Content-Type make S3 refuse
  // any body of another length or type: the bound is exact.
  const url = await kit.getSignedUrl(
    kit.uploadSigner,
    new kit.sdk.PutObjectCommand({
      Bucket: bucket,
      Key: key,
      ContentType: upload.contentType,
      ContentLength: upload.bytes,
    }),
    { expiresIn: UPLOAD_URL_TTL_SECONDS, signableHeaders: new Set(['content-type', 'content-length']) },
  );
  return {
    url,
    headers: { 'Content-Type': upload.contentType, 'Content-Length': String(upload.bytes) },
    expiresAt: new Date(Date.now() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString(),
  };
}
