import * as sdk from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentsError } from '../../src/errors/index.js';
import { reversedTime } from '../../src/storage/file-ids.js';
import { callerPrefix, createFileStore, MAX_LISTED_OBJECTS, type StoredObject } from '../../src/storage/file-store.js';
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

type ListInput = sdk.ListObjectsCommandInput;

function fakeS3(objects: FakeObject[], pageSize = 1000): { kit: S3Kit; calls: ListInput[] } {
  const calls: ListInput[] = [];
  const client = {
    async send(command: unknown) {
      if (!(command instanceof sdk.ListObjectsCommand)) throw new Error('only ListObjects is expected');
      const input = command.input;
      calls.push(input);
      // Like S3: key order, this prefix only, after the marker, pages of at most MaxKeys (and at most pageSize).
      const matching = objects
        .filter((o) => o.Key.startsWith(input.Prefix ?? '') && (input.Marker === undefined || o.Key > input.Marker))
        .sort((a, b) => (a.Key < b.Key ? -1 : 1));
      const size = Math.min(pageSize, input.MaxKeys ?? 1000);
      return { Contents: matching.slice(0, size), IsTruncated: size < matching.length };
    },
  };
  return {
    kit: {
      client,
      uploadSigner: client,
      sdk,
      getSignedUrl: () => Promise.reject(new Error('unused')),
    } as unknown as S3Kit,
    calls,
  };
}

function store(objects: FakeObject[], pageSize?: number) {
  const fake = fakeS3(objects, pageSize);
  return {
    store: createFileStore({ s3: async () => fake.kit, bucket: 'b', urlTtlSeconds: 60, callerId: CALLER }),
    calls: fake.calls,
  };
}

const at = (iso: string) => new Date(iso);
const obj = (id: string, iso: string, prefix = PREFIX): FakeObject => ({
  Key: `${prefix}${id}`,
  LastModified: at(iso),
  Size: 100,
});

const OBJECTS = [
  obj('tts_20261121T100000Z_000000000001.mp3', '2026-11-21T10:00:00Z'),
  obj('upload_20261121T090000Z_000000000002.wav', '2026-11-21T12:00:00Z'), // uploaded later than its id's time
  obj('tts_20261121T110000Z_000000000003.mp3', '2026-11-21T11:00:00Z'),
  obj('sfx_20261121T110000Z_000000000004.mp3', '2026-11-21T11:00:00Z'), // same second as the one above
  obj('upload_20261121T080000Z_000000000005.pdf', '2026-11-21T08:00:00Z'),
];

const ids = (items: readonly StoredObject[]) => items.map((o) => o.audioId);

describe('FileStore.list of legacy ids (kind first, as deployed servers stored them)', () => {
  it("lists only the caller's prefix, newest first by LastModified (not by key), ties broken by id", async () => {
    const { store: s, calls } = store([
      ...OBJECTS,
      obj('tts_20261121T130000Z_00000000000f.mp3', '2026-11-21T13:00:00Z', `audio/${'d'.repeat(32)}/`),
    ]);
    const page = await s.list({ limit: 20 });
    // One request per range of the prefix: the time-ordered ids (which finds none) and the legacy ones.
    expect(calls.map((c) => [c.Prefix, c.Marker])).toEqual([
      [PREFIX, `${PREFIX}:`],
      [PREFIX, undefined],
    ]);
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

  it('pages with a cursor: no overlap, nothing missed, no shift when a newer file arrives', async () => {
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
    const many = Array.from({ length: 7 }, (_, i) =>
      obj(`tts_20261121T10000${i}Z_00000000000${i}.mp3`, `2026-11-21T10:00:0${i}Z`),
    );
    const { store: s } = store(
      [...many, { Key: `${PREFIX}nested/x.mp3`, LastModified: at('2026-11-21T15:00:00Z'), Size: 1 }],
      3,
    );
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

/** A time-ordered id issued at `iso`, with a chosen random part so that tests can name it. */
const newId = (kind: string, iso: string, random: string, extension = 'mp3') =>
  `${reversedTime(Date.parse(iso))}_${kind}_${random}.${extension}`;

describe('FileStore.list of time-ordered ids, and of both forms together', () => {
  const fresh = {
    tts: newId('tts', '2026-11-21T13:00:00Z', 'a00000000001'),
    stt: newId('stt', '2026-11-21T11:30:00Z', 'a00000000002', 'txt'),
    music: newId('music', '2026-11-21T11:00:00Z', 'a00000000003'), // the same time as two legacy ones
    // uploaded at 12:30, ordered by its id's time
    upload: newId('upload', '2026-11-21T09:30:00Z', 'a00000000004', 'wav'),
  };
  const MIXED = [
    ...OBJECTS,
    obj(fresh.tts, '2026-11-21T13:00:01Z'),
    obj(fresh.stt, '2026-11-21T11:30:00Z'),
    obj(fresh.music, '2026-11-21T11:00:00Z'),
    obj(fresh.upload, '2026-11-21T12:30:00Z'),
  ];
  const NEWEST_FIRST = [
    fresh.tts,
    'upload_20261121T090000Z_000000000002.wav',
    fresh.stt,
    fresh.music,
    'tts_20261121T110000Z_000000000003.mp3',
    'sfx_20261121T110000Z_000000000004.mp3',
    'tts_20261121T100000Z_000000000001.mp3',
    fresh.upload,
    'upload_20261121T080000Z_000000000005.pdf',
  ];

  it("merges both forms newest first: time-ordered ones by their id's time, legacy ones by LastModified", async () => {
    const page = await store(MIXED).store.list({ limit: 20 });
    expect(ids(page.items)).toEqual(NEWEST_FIRST);
    expect(page).toMatchObject({ total: 9, complete: true, nextCursor: undefined });
    expect(page.items.find((o) => o.audioId === fresh.stt)).toEqual({
      audioId: fresh.stt,
      key: `${PREFIX}${fresh.stt}`,
      kind: 'stt',
      bytes: 100,
      mimeType: 'text/plain',
      lastModified: '2026-11-21T11:30:00.000Z',
    });
  });

  it.each([1, 2, 3, 4])(
    'pages across both forms with cursors, %i at a time, without gaps or overlaps',
    async (limit) => {
      const { store: s } = store(MIXED);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await s.list({ limit, cursor });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...ids(page.items));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(NEWEST_FIRST);
    },
  );

  it('reads one S3 page of time-ordered keys per page, however many are stored, seeking to the cursor', async () => {
    const start = Date.parse('2026-11-22T00:00:00Z'); // all newer than OBJECTS
    const many = Array.from({ length: 3000 }, (_, i) => {
      const iso = new Date(start + i * 1000).toISOString();
      return obj(newId('tts', iso, i.toString(16).padStart(12, '0')), iso);
    });
    const { store: s, calls } = store([...many, ...OBJECTS]);
    const first = await s.list({ limit: 20 });
    expect(ids(first.items)).toEqual(
      many
        .slice(-20)
        .reverse()
        .map((o) => o.Key.slice(PREFIX.length)),
    );
    const timeOrdered = calls.filter((c) => c.Marker !== `${PREFIX}:`);
    expect(timeOrdered).toEqual([expect.objectContaining({ Prefix: PREFIX, MaxKeys: 21, Marker: undefined })]);
    expect(first).toMatchObject({ total: 21 + OBJECTS.length, complete: true });

    calls.length = 0;
    const second = await s.list({ limit: 20, cursor: first.nextCursor });
    expect(ids(second.items)).toEqual(
      many
        .slice(-40, -20)
        .reverse()
        .map((o) => o.Key.slice(PREFIX.length)),
    );
    expect(calls.filter((c) => c.Marker !== `${PREFIX}:`)).toEqual([
      expect.objectContaining({ MaxKeys: 21, Marker: first.items.at(-1)!.key }),
    ]);
  });

  it('after a legacy cursor, goes on with time-ordered ids issued strictly before its time', async () => {
    const { store: s } = store(MIXED);
    const page = await s.list({ limit: 2 }); // ends on the legacy upload (LastModified 12:00)
    expect(ids(page.items)).toEqual(NEWEST_FIRST.slice(0, 2));
    const next = await s.list({ limit: 20, cursor: page.nextCursor });
    expect(ids(next.items)).toEqual(NEWEST_FIRST.slice(2));
  });

  it('accepts a cursor a deployed server issued (LastModified ms and a legacy id)', async () => {
    const cursor = Buffer.from(`${Date.parse('2026-11-21T11:00:00Z')}:tts_20261121T110000Z_000000000003.mp3`).toString(
      'base64url',
    );
    const page = await store(MIXED).store.list({ limit: 20, cursor });
    expect(ids(page.items)).toEqual(NEWEST_FIRST.slice(5));
  });

  it('skips keys in the time-ordered range that are not ids, and says so if they fill its scan', async () => {
    const junk = Array.from({ length: 2 * MAX_LISTED_OBJECTS }, (_, i) => ({
      Key: `${PREFIX}0${String(i).padStart(12, '0')}.tmp`,
      LastModified: at('2026-11-21T15:00:00Z'),
      Size: 1,
    }));
    const { store: s } = store([...junk, obj(fresh.tts, '2026-11-21T13:00:01Z')], 1000);
    const page = await s.list({ limit: 5 });
    expect(ids(page.items)).toEqual([]);
    expect(page.complete).toBe(false);
    const fewer = await store([...junk.slice(0, 10), obj(fresh.tts, '2026-11-21T13:00:01Z'), ...OBJECTS]).store.list({
      limit: 1,
    });
    expect(ids(fewer.items)).toEqual([fresh.tts]);
    expect(fewer.complete).toBe(true);
  });
});
