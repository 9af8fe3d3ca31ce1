import * as sdk from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentsError } from '../../src/errors/index.js';
import { callerPrefix, createAudioStore, MAX_LISTED_OBJECTS, type StoredObject } from '../../src/storage/audio-store.js';
import type { S3Kit } from '../../src/storage/s3.js';

/**
 * Ordering and pagination of list(), against a fake S3 that serves ListObjectsV2 pages from a table
 * (s3rver stamps LastModified itself, so a real server cannot give objects chosen times).
 */

const CALLER = 'c'.repeat(32);
const PREFIX = callerPrefix(CALLER);

interface FakeObject {
  Key: string;
  LastModified: Date;
  Size: number;
}

function fakeS3(objects: FakeObject[], pageSize = 1000): { kit: S3Kit; prefixes: string[] } {
  const prefixes: string[] = [];
  const client = {
    async send(command: unknown) {
      if (!(command instanceof sdk.ListObjectsV2Command)) throw new Error('only ListObjectsV2 is expected');
      const input = command.input;
      prefixes.push(input.Prefix ?? '');
      // Like S3: key order, this prefix only, pages with an opaque continuation token.
      const matching = objects.filter((o) => o.Key.startsWith(input.Prefix ?? '')).sort((a, b) => (a.Key < b.Key ? -1 : 1));
      const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
      const size = Math.min(pageSize, input.MaxKeys ?? 1000);
      const end = start + size;
      return {
        Contents: matching.slice(start, end),
        IsTruncated: end < matching.length,
        NextContinuationToken: end < matching.length ? String(end) : undefined,
      };
    },
  };
  return { kit: { client, uploadSigner: client, sdk, getSignedUrl: () => Promise.reject(new Error('unused')) } as unknown as S3Kit, prefixes };
}

function store(objects: FakeObject[], pageSize?: number) {
  const fake = fakeS3(objects, pageSize);
  return { store: createAudioStore({ s3: async () => fake.kit, bucket: 'b', urlTtlSeconds: 60, callerId: CALLER }), prefixes: fake.prefixes };
}

const at = (iso: string) => new Date(iso);
const obj = (id: string, iso: string, prefix = PREFIX): FakeObject => ({ Key: `${prefix}${id}`, LastModified: at(iso), Size: 100 });

const OBJECTS = [
  obj('tts_20261121T100000Z_000000000001.mp3', '2026-11-21T10:00:00Z'),
  obj('upload_20261121T090000Z_000000000002.wav', '2026-11-21T12:00:00Z'), // uploaded later than its id's time
  obj('tts_20261121T110000Z_000000000003.mp3', '2026-11-21T11:00:00Z'),
  obj('sfx_20261121T110000Z_000000000004.mp3', '2026-11-21T11:00:00Z'), // same second as the one above
  obj('upload_20261121T080000Z_000000000005.pdf', '2026-11-21T08:00:00Z'),
];

const ids = (items: readonly StoredObject[]) => items.map((o) => o.audioId);

describe('AudioStore.list', () => {
  it('lists only the caller\'s prefix, newest first by LastModified (not by key), ties broken by id', async () => {
    const { store: s, prefixes } = store([...OBJECTS, obj('tts_20261121T130000Z_00000000000f.mp3', '2026-11-21T13:00:00Z', `audio/${'d'.repeat(32)}/`)]);
    const page = await s.list({ limit: 20 });
    expect(prefixes).toEqual([PREFIX]);
    expect(ids(page.items)).toEqual([
      'upload_20261121T090000Z_000000000002.wav',
      'tts_20261121T110000Z_000000000003.mp3',
      'sfx_20261121T110000Z_000000000004.mp3',
      'tts_20261121T100000Z_000000000001.mp3',
      'upload_20261121T080000Z_000000000005.pdf',
    ]);
    expect(page).toMatchObject({ total: 5, complete: true, nextCursor: undefined });
    expect(page.items[0]).toEqual({
      audioId: 'upload_20261121T090000Z_000000000002.wav',
      key: `${PREFIX}upload_20261121T090000Z_000000000002.wav`,
      kind: 'upload',
      bytes: 100,
      mimeType: 'audio/wav',
      lastModified: '2026-11-21T12:00:00.000Z',
    });
    expect(page.items.at(-1)!.mimeType).toBe('application/pdf');
  });

  it('pages with a cursor: pages do not overlap, cover everything, and do not shift when a newer file arrives', async () => {
    const objects = [...OBJECTS];
    const { store: s } = store(objects);
    const first = await s.list({ limit: 2 });
    expect(first.nextCursor).toBeDefined();
    objects.push(obj('tts_20261121T140000Z_000000000006.mp3', '2026-11-21T14:00:00Z'));
    const second = await s.list({ limit: 2, cursor: first.nextCursor });
    const third = await s.list({ limit: 2, cursor: second.nextCursor });
    expect(third.nextCursor).toBeUndefined();
    expect([...ids(first.items), ...ids(second.items), ...ids(third.items)]).toEqual([
      'upload_20261121T090000Z_000000000002.wav',
      'tts_20261121T110000Z_000000000003.mp3',
      'sfx_20261121T110000Z_000000000004.mp3',
      'tts_20261121T100000Z_000000000001.mp3',
      'upload_20261121T080000Z_000000000005.pdf',
    ]);
  });

  it('reads every S3 page, and skips keys under the prefix that are not ids of ours', async () => {
    const many = Array.from({ length: 7 }, (_, i) => obj(`tts_20261121T10000${i}Z_00000000000${i}.mp3`, `2026-11-21T10:00:0${i}Z`));
    const { store: s } = store([...many, { Key: `${PREFIX}nested/x.mp3`, LastModified: at('2026-11-21T15:00:00Z'), Size: 1 }], 3);
    const page = await s.list({ limit: 100 });
    expect(page.total).toBe(7);
    expect(page.items[0]!.audioId).toBe('tts_20261121T100006Z_000000000006.mp3');
  });

  it('considers at most MAX_LISTED_OBJECTS and says so', async () => {
    const many = Array.from({ length: MAX_LISTED_OBJECTS + 3 }, (_, i) => {
      const n = i.toString(16).padStart(12, '0');
      return obj(`tts_20261121T100000Z_${n}.mp3`, '2026-11-21T10:00:00Z');
    });
    const page = await store(many).store.list({ limit: 1 });
    expect(page).toMatchObject({ total: MAX_LISTED_OBJECTS, complete: false });
  });

  it('refuses a continuation token it did not issue', async () => {
    const { store: s } = store(OBJECTS);
    for (const cursor of ['nonsense', Buffer.from('123:../../other').toString('base64url')]) {
      await expect(s.list({ limit: 2, cursor })).rejects.toBeInstanceOf(InvalidArgumentsError);
    }
  });
});
