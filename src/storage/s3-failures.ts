/** The parts of an S3 SDK error that say what went wrong. */
export interface S3ErrorLike {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const MISCONFIGURED = new Set([
  'NoSuchBucket',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AllAccessDisabled',
]);

/** The bucket is missing or refuses the function's role: nothing a caller can change. */
export function isMisconfigured(error: unknown): boolean {
  const e = (error ?? {}) as S3ErrorLike;
  return MISCONFIGURED.has(e.name ?? '');
}

/** A missing object (or, for a bodiless HEAD answer, possibly a missing bucket: see the store's confirmMissing). */
export function isMissingObject(error: unknown): boolean {
  const e = (error ?? {}) as S3ErrorLike;
  return (
    e.name === 'NotFound' ||
    e.name === 'NoSuchKey' ||
    (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket')
  );
}

/** A short reason for the caller; never the endpoint, bucket policy or credentials. */
export function describeS3Failure(error: unknown, signal: AbortSignal | undefined): string {
  const e = (error ?? {}) as S3ErrorLike;
  if (signal?.aborted) return 'storage did not answer before the request ran out of time';
  switch (e.name) {
    case 'NoSuchBucket':
      return "the server's storage is misconfigured: its audio bucket does not exist";
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
      if (e.code && /^E(CONNREFUSED|CONNRESET|NOTFOUND|AI_AGAIN|HOSTUNREACH|TIMEDOUT)$/.test(e.code))
        return 'storage is unreachable';
      return e.$metadata?.httpStatusCode
        ? `storage answered HTTP ${e.$metadata.httpStatusCode}`
        : 'storage is unreachable';
  }
}
