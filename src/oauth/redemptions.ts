import type { S3Kit } from '../storage/s3.js';

/**
 * Makes stateless codes and refresh tokens single-use. Each carries a random id; redeeming it first
 * records the id with a write that succeeds only if nothing is there yet. The one request whose write
 * succeeds gets tokens; a replay (or a concurrent duplicate) finds the record and is refused. Records
 * need to live only as long as what they guard, and the bucket's lifecycle rule deletes them.
 */
export interface RedemptionStore {
  /** True the first time an id is claimed, false ever after. */
  claim(id: string): Promise<boolean>;
  /** Marks a refresh-token family as revoked (a refresh token was replayed: someone else may hold it). */
  revoke(family: string): Promise<void>;
  isRevoked(family: string): Promise<boolean>;
}

/** Under this prefix of the audio bucket; template.yaml's lifecycle rule expires it after 31 days. */
export const REDEMPTION_PREFIX = 'oauth/';

/**
 * S3 conditional writes: PutObject with `If-None-Match: *` answers 412 when the key exists, atomically
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html). No body, no caller data:
 * the key is a random id.
 */
export function s3RedemptionStore(s3: () => Promise<S3Kit>, bucket: string): RedemptionStore {
  return {
    async claim(id) {
      const { client, sdk } = await s3();
      const key = `${REDEMPTION_PREFIX}used/${id}`;
      // A replay usually comes after the first use: a HEAD finds it even on an S3-compatible server that
      // ignores If-None-Match (s3rver, which `npm start` runs). The conditional PUT settles the race of
      // two requests at once, on S3.
      if (await exists(client, sdk, key)) return false;
      try {
        await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: '', IfNoneMatch: '*' }));
        return true;
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        // 412: already there. 409 ConditionalRequestConflict: a concurrent write of the same key won.
        if (status === 412 || status === 409) return false;
        throw error;
      }
    },
    async revoke(family) {
      const { client, sdk } = await s3();
      await client.send(
        new sdk.PutObjectCommand({ Bucket: bucket, Key: `${REDEMPTION_PREFIX}revoked/${family}`, Body: '' }),
      );
    },
    async isRevoked(family) {
      const { client, sdk } = await s3();
      return exists(client, sdk, `${REDEMPTION_PREFIX}revoked/${family}`);
    },
  };

  async function exists(client: S3Kit['client'], sdk: S3Kit['sdk'], key: string): Promise<boolean> {
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
  }
}

/**
 * The same contract in memory, for tests (s3rver ignores `If-None-Match` on PUT, so it cannot show what
 * S3's conditional writes do for two requests at once). Never in a deployment: containers share no memory.
 */
export function memoryRedemptionStore(): RedemptionStore {
  const used = new Set<string>();
  const revoked = new Set<string>();
  return {
    claim: (id) => {
      if (used.has(id)) return Promise.resolve(false);
      used.add(id);
      return Promise.resolve(true);
    },
    revoke: (family) => {
      revoked.add(family);
      return Promise.resolve();
    },
    isRevoked: (family) => Promise.resolve(revoked.has(family)),
  };
}
