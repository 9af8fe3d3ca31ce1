import { mkdir } from 'node:fs/promises';

/** An S3-compatible server on 127.0.0.1, so presigned URLs work on a laptop with nothing else installed. */
export interface EmbeddedS3 {
  readonly endpoint: string;
  readonly bucket: string;
  /** The credentials it accepts (it does not verify signatures). */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  close(): Promise<void>;
}

/**
 * Starts s3rver (a dev dependency: never part of the Lambda bundle) with the bucket created.
 * s3rver keeps objects as files under `directory`.
 */
export async function startEmbeddedS3(options: {
  directory: string;
  bucket: string;
  port?: number;
  address?: string;
}): Promise<EmbeddedS3> {
  await mkdir(options.directory, { recursive: true });
  const { default: S3rver } = await import('s3rver');
  const server = new S3rver({
    address: options.address ?? '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: options.bucket }],
  });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket: options.bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    close: () => server.close(),
  };
}
