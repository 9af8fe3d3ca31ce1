import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore } from '../../src/storage/file-store.js';
import { lazyS3 } from '../../src/storage/s3.js';

/**
 * Upload URLs as the deployed function signs them: real AWS endpoint, the SDK's default checksum
 * settings. Presigning is local computation; nothing here sends a request.
 */

const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
});
afterAll(() => {
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  else process.env.AWS_ACCESS_KEY_ID = saved.id;
  if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
});

describe('upload URLs against real S3', () => {
  it(
    'sign Content-Length and Content-Type, carry no checksum of an empty body, and point at the ' + "caller's prefix",
    async () => {
      const store = createFileStore({
        s3: lazyS3({ region: 'eu-west-1', endpoint: undefined }),
        bucket: 'audio-bucket',
        urlTtlSeconds: 3600,
        callerId: 'a'.repeat(32),
      });
      const target = await store.createUploadUrl({ filename: 'talk.m4a', contentType: 'audio/mp4', bytes: 2_000_000 });
      const url = new URL(target.url);
      expect(url.protocol).toBe('https:');
      expect(url.pathname).toBe(`/audio/${'a'.repeat(32)}/${target.audioId}`);
      expect(target.audioId).toMatch(/^\d{13}_upload_[0-9a-f]{12}\.m4a$/);
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
      // The SDK's default would add x-amz-checksum-crc32=AAAAAA== (the CRC of no bytes), and S3 would
      // then refuse every real upload.
      expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
      expect(target.headers).toEqual({ 'Content-Type': 'audio/mp4', 'Content-Length': '2000000' });
    },
  );
});
