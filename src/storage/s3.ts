import type { S3Client } from '@aws-sdk/client-s3';

/** The S3 client and commands, loaded on first use so that initialize and tools/list never pay for them. */
export interface S3Kit {
  readonly client: S3Client;
  /**
   * Signs upload (PUT) URLs. It never sends a request itself; it differs from `client` only in adding no
   * flexible checksum: signed without a body, the default client bakes the CRC32 of an empty body into
   * the URL (`x-amz-checksum-crc32=AAAAAA==`) and S3 then rejects the real upload.
   */
  readonly uploadSigner: S3Client;
  readonly sdk: typeof import('@aws-sdk/client-s3');
  readonly getSignedUrl: typeof import('@aws-sdk/s3-request-presigner')['getSignedUrl'];
}

export interface S3Settings {
  readonly region: string;
  /** An S3-compatible endpoint (s3rver, MinIO, LocalStack); path-style addressing is used with it. */
  readonly endpoint: string | undefined;
}

/**
 * One S3 client for the process, the same for every caller (it holds the function's role credentials,
 * nothing of any caller), created on first use.
 */
export function lazyS3(settings: S3Settings): () => Promise<S3Kit> {
  let kit: Promise<S3Kit> | undefined;
  return () => {
    kit ??= load(settings).catch((error: unknown) => {
      kit = undefined;
      throw error;
    });
    return kit;
  };
}

async function load(settings: S3Settings): Promise<S3Kit> {
  const [sdk, presigner] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]);
  const common = {
    region: settings.region,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 20_000 },
    ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
  };
  const client = new sdk.S3Client({
    ...common,
    ...(settings.endpoint
      ? {
          // S3-compatible servers such as s3rver store aws-chunked checksum framing as object bytes.
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
  const uploadSigner = new sdk.S3Client({ ...common, requestChecksumCalculation: 'WHEN_REQUIRED' });
  return { client, uploadSigner, sdk, getSignedUrl: presigner.getSignedUrl };
}
