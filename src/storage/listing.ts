import type { _Object } from '@aws-sdk/client-s3';
import { typeForExtension } from '../audio/media-types.js';
import { InvalidArgumentsError } from '../errors/index.js';
import { afterIdsIssuedFrom, LEGACY_IDS_AFTER, parseFileId, type FileIdParts } from './file-ids.js';
import type { S3Kit } from './s3.js';
import type { FilePage, StoredObject } from './store-types.js';

/** Legacy-form objects a listing reads at most; a caller with more sees the first this many by key. */
export const MAX_LISTED_OBJECTS = 5_000;
/** S3's largest page. */
const S3_PAGE = 1000;

/** Where one listing reads: one caller's prefix of one bucket. */
export interface ListingScope {
  readonly kit: S3Kit;
  readonly bucket: string;
  readonly prefix: string;
  readonly signal: AbortSignal | undefined;
}

/** A place in the newest-first order: what a cursor holds. */
export interface ListPosition {
  /** Epoch ms: a time-ordered id's own time, a legacy object's LastModified. */
  readonly time: number;
  readonly id: FileIdParts;
}

interface Listed {
  readonly object: StoredObject;
  readonly position: ListPosition;
}

/**
 * One page of the caller's files, newest first, after the position `after` (from decodeCursor).
 *
 * How the two id forms merge: under the prefix every time-ordered key sorts before every legacy key (a digit
 * against a letter, split at `${prefix}:`). S3 lists time-ordered keys newest first, so they are read from the
 * cursor's place on (a Marker) and only until limit + 1 are found: one S3 request for any page. Legacy keys
 * come in kind order, so their whole range (from `${prefix}:` on, at most MAX_LISTED_OBJECTS) is read and
 * sorted by LastModified, as deployed servers did; the two lists are then merged by time, so a legacy file
 * stored after time-ordered ones (a server of the old version still running, a rollback) still lists in its
 * place. Once the bucket's lifecycle rule has expired the legacy range, it costs one empty LIST, sent
 * alongside the other.
 */
export async function listFiles(
  scope: ListingScope,
  limit: number,
  after: ListPosition | undefined,
): Promise<FilePage> {
  const [legacy, timeOrdered] = await Promise.all([listLegacy(scope), listTimeOrdered(scope, after, limit + 1)]);
  const laterLegacy = after ? legacy.found.filter((item) => newestFirst(item.position, after) > 0) : legacy.found;
  const candidates = [...timeOrdered.found, ...laterLegacy].sort((a, b) => newestFirst(a.position, b.position));
  const items = candidates.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map((item) => item.object),
    nextCursor: candidates.length > limit && last ? encodeCursor(last.position) : undefined,
    total: legacy.found.length + timeOrdered.found.length,
    complete: legacy.complete && timeOrdered.complete,
  };
}

/**
 * Newest first. Time-ordered ids go by the time they carry, then by id: exactly S3's key order, so that a
 * cursor can be a Marker. Legacy ones go by LastModified, then by id descending, as deployed servers
 * ordered them, so that cursors those issued keep their place. At equal times time-ordered ids come first.
 */
export function newestFirst(a: ListPosition, b: ListPosition): number {
  const byTime = b.time - a.time;
  if (byTime !== 0) return byTime;
  if (a.id.form !== b.id.form) return a.id.form === 'time-ordered' ? -1 : 1;
  const ascending = a.id.id < b.id.id ? -1 : a.id.id > b.id.id ? 1 : 0;
  return a.id.form === 'time-ordered' ? ascending : -ascending;
}

// A position, not an offset: files stored meanwhile do not shift pages. The format (time, a colon, the id) is
// the one deployed servers issued, so their cursors stay valid.
function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.time}:${position.id.id}`, 'utf8').toString('base64url');
}

/** The position a `nextCursor` stands for; InvalidArgumentsError for anything list_audio did not return. */
export function decodeCursor(cursor: string): ListPosition {
  const match = /^(\d{1,15}):(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const id = match ? parseFileId(match[2]!) : undefined;
  if (!match || !id) {
    throw new InvalidArgumentsError(
      'continuation_token is not one list_audio returned. Omit it to start from the newest file.',
    );
  }
  return { time: id.issuedAt ?? Number(match[1]), id };
}

async function listTimeOrdered(scope: ListingScope, after: ListPosition | undefined, want: number) {
  const { prefix } = scope;
  // After a legacy position, the time-ordered ids still to come are those issued strictly before its time.
  const from =
    after === undefined ? undefined : after.id.form === 'time-ordered' ? after.id.id : afterIdsIssuedFrom(after.time);
  const marker = from === undefined ? undefined : `${prefix}${from}`;
  const found: Listed[] = [];
  let scanned = 0;
  // The first request asks for just the page (and one more, to know whether there is a next): only keys that
  // are not ids, nothing this server writes, can make a second request necessary.
  pages: for await (const { objects, truncated } of pagesAfter(scope, marker, Math.min(S3_PAGE, want))) {
    for (const object of objects) {
      const name = object.Key?.startsWith(prefix) ? object.Key.slice(prefix.length) : '';
      if (name > LEGACY_IDS_AFTER) break pages;
      const id = parseFileId(name);
      if (id?.form === 'time-ordered') found.push(listed(object, id));
      if (found.length >= want) break pages;
    }
    scanned += objects.length;
    if (truncated && scanned >= MAX_LISTED_OBJECTS) return { found, complete: false };
  }
  return { found, complete: true };
}

async function listLegacy(scope: ListingScope) {
  const { prefix } = scope;
  const found: Listed[] = [];
  for await (const { objects, truncated } of pagesAfter(scope, `${prefix}${LEGACY_IDS_AFTER}`, S3_PAGE)) {
    for (const object of objects) {
      const id = object.Key?.startsWith(prefix) ? parseFileId(object.Key.slice(prefix.length)) : undefined;
      if (id?.form === 'legacy') found.push(listed(object, id));
    }
    if (truncated && found.length >= MAX_LISTED_OBJECTS) return { found, complete: false };
  }
  return { found, complete: true };
}

/**
 * The objects under the prefix in key order, after `marker`, one S3 page at a time. ListObjects (V1), whose
 * pages go on from the last key (a Marker, which is also the way to start at a cursor), rather than V2:
 * s3rver, the local S3, makes V2's continuation tokens with DES, which Node 17 and later refuse, so it
 * fails every V2 listing that does not fit one page, and short pages are the point here.
 */
async function* pagesAfter(
  scope: ListingScope,
  marker: string | undefined,
  firstPageSize: number,
): AsyncGenerator<{ objects: _Object[]; truncated: boolean }> {
  const { kit, bucket, prefix, signal } = scope;
  let after = marker;
  let size = firstPageSize;
  for (;;) {
    const command = new kit.sdk.ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: after, MaxKeys: size });
    const page = await kit.client.send(command, { abortSignal: signal });
    const objects = page.Contents ?? [];
    const last = objects.at(-1)?.Key;
    const truncated = Boolean(page.IsTruncated && last);
    yield { objects, truncated };
    if (!truncated) return;
    after = last;
    size = S3_PAGE;
  }
}

function listed(object: _Object, id: FileIdParts): Listed {
  const lastModified = (object.LastModified ?? new Date(0)).toISOString();
  return {
    object: {
      audioId: id.id,
      key: object.Key!,
      kind: id.kind,
      bytes: object.Size ?? 0,
      mimeType: typeForExtension(id.extension) ?? 'application/octet-stream',
      lastModified,
    },
    position: { time: id.issuedAt ?? Date.parse(lastModified), id },
  };
}
