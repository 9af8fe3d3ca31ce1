import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedS3, type EmbeddedS3 } from '../../src/local/embedded-s3.js';
import { memoryRedemptionStore, s3RedemptionStore, type RedemptionStore } from '../../src/oauth/redemptions.js';
import { randomId } from '../../src/oauth/sealing.js';
import { lazyS3 } from '../../src/storage/s3.js';

/**
 * The single-use records behind codes and refresh tokens, with the real S3 client. s3rver ignores
 * `If-None-Match` on PUT (checked: its object controller reads it on GET only), so it is tested twice:
 * directly (the store's HEAD refuses a replay that comes after the first use, which is what `npm start`
 * relies on), and behind a stand-in that gives PUT the conditional-write semantics S3 documents (412
 * when the key exists, decided atomically per key), for two redemptions at once. The in-memory store,
 * which the OAuth flow suites use, must keep the same contract.
 */

let s3: EmbeddedS3;
let directory: string;
let conditional: Server;
let conditionalEndpoint: string;
const putsWithCondition: string[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'el-mcp-redeem-'));
  s3 = await startEmbeddedS3({ directory, bucket: 'redeem-test' });
  process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
  const upstream = new URL(s3.endpoint);
  const locks = new Map<string, Promise<void>>();
  const forward = (
    req: import('node:http').IncomingMessage,
    body: Buffer,
    method = req.method,
  ): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      // The existence check is a plain HEAD of the key (s3rver would answer If-None-Match on it with 304).
      const headers =
        method === 'HEAD' ? { ...req.headers, 'if-none-match': undefined, 'content-length': '0' } : req.headers;
      const path = method === 'HEAD' ? (req.url ?? '').split('?')[0] : req.url;
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, path, method, headers: JSON.parse(JSON.stringify(headers)) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      out.on('error', reject);
      out.end(method === 'HEAD' ? undefined : body);
    });
  conditional = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'PUT' && req.headers['if-none-match'] === '*') {
        const key = (req.url ?? '').split('?')[0]!;
        putsWithCondition.push(key);
        const before = locks.get(key) ?? Promise.resolve();
        let release!: () => void;
        locks.set(key, new Promise<void>((r) => (release = r)));
        await before;
        try {
          const head = await forward(req, Buffer.alloc(0), 'HEAD');
          if (head.status === 200) {
            res
              .writeHead(412, { 'content-type': 'application/xml' })
              .end('<Error><Code>PreconditionFailed</Code></Error>');
            return;
          }
          const put = await forward(req, body);
          res.writeHead(put.status, put.headers as Record<string, string>).end(put.body);
        } finally {
          release();
        }
        return;
      }
      const answer = await forward(req, body);
      res
        .writeHead(answer.status, answer.headers as Record<string, string>)
        .end(req.method === 'HEAD' ? undefined : answer.body);
    });
  });
  await new Promise<void>((resolve) => conditional.listen(0, '127.0.0.1', resolve));
  conditionalEndpoint = `http://127.0.0.1:${(conditional.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  await new Promise<void>((resolve) => conditional?.close(() => resolve()));
  await s3?.close();
  await rm(directory, { recursive: true, force: true });
});

const stores: Array<[string, () => RedemptionStore]> = [
  ['S3 (s3rver)', () => s3RedemptionStore(lazyS3({ region: 'us-east-1', endpoint: s3.endpoint }), s3.bucket)],
  [
    'S3 with conditional writes',
    () => s3RedemptionStore(lazyS3({ region: 'us-east-1', endpoint: conditionalEndpoint }), s3.bucket),
  ],
  ['memory', () => memoryRedemptionStore()],
];

describe.each(stores)('the %s redemption store', (name, make) => {
  it('lets an id be claimed once, and refuses every later claim', async () => {
    const store = make();
    const id = randomId();
    expect(await store.claim(id)).toBe(true);
    expect(await store.claim(id)).toBe(false);
    expect(await store.claim(id)).toBe(false);
    expect(await store.claim(randomId())).toBe(true);
  });

  it('records revoked families', async () => {
    const store = make();
    const family = randomId();
    expect(await store.isRevoked(family)).toBe(false);
    await store.revoke(family);
    expect(await store.isRevoked(family)).toBe(true);
  });

  if (name !== 'S3 (s3rver)') {
    it('lets exactly one of several simultaneous claims of the same id win', async () => {
      const store = make();
      const id = randomId();
      const results = await Promise.all(Array.from({ length: 6 }, () => store.claim(id)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  }
});

it('sends the conditional write S3 needs, under the private oauth/ prefix, with no body', async () => {
  putsWithCondition.length = 0;
  const store = s3RedemptionStore(lazyS3({ region: 'us-east-1', endpoint: conditionalEndpoint }), s3.bucket);
  const id = randomId();
  await store.claim(id);
  expect(putsWithCondition).toEqual([`/${s3.bucket}/oauth/used/${id}`]);
});
