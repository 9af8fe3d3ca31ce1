import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { callerIdOf } from '../../src/caller.js';
import type { EmbeddedS3 } from '../../src/local/embedded-s3.js';
import { callerPrefix } from '../../src/storage/file-ids.js';

/** The stack's bucket seen through an S3 client of the test's own: what the server stored, not what it says. */
export interface BucketView {
  /** Every key under `prefix`, across pages. */
  keys(prefix: string): Promise<string[]>;
  /**
   * Every key stored for the caller whose ElevenLabs key this is, under the prefix the file store writes to
   * (so that "nothing stored" cannot pass by looking in the wrong place; isolation.test.ts checks the layout).
   */
  keysOf(apiKey: string): Promise<string[]>;
  close(): void;
}

export function viewBucket(s3: EmbeddedS3): BucketView {
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  const keys = async (prefix: string) => {
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      found.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return found;
  };
  return {
    keys,
    keysOf: (apiKey) => keys(callerPrefix(callerIdOf(apiKey))),
    close: () => client.destroy(),
  };
}
