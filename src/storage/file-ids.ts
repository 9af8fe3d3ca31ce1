/**
 * Ids of stored files, and the keys they live under (`audio/<callerId>/<id>`). Buckets hold two forms:
 *
 * - time-ordered, issued now: `8204722887999_tts_3f9a1c7e2b4d.mp3`, the reversed time (REVERSED_TIME_MAX minus
 *   epoch milliseconds, 13 digits), the kind, 48 random bits, the extension. S3 lists keys in ascending byte
 *   order, so under a caller's prefix these come newest first and a listing can stop after one page.
 * - legacy, issued by servers deployed before: `tts_20261121T160512Z_3f9a1c7e2b4d.mp3`, kind first, so S3 lists
 *   them grouped by kind. They stay valid (a bucket keeps them until its lifecycle rule expires them).
 *
 * Time-ordered ids start with a digit and legacy ids with a letter, so under one prefix every time-ordered key
 * sorts before every legacy key, and LEGACY_IDS_AFTER separates the two ranges.
 *
 * Nothing here imports Node modules, so the player UI can parse ids too.
 */

/** The form of an id: decides where its key sorts and what time orders it in a listing. */
export type FileIdForm = 'time-ordered' | 'legacy';

/** What an id says about its file. */
export interface FileIdParts {
  readonly id: string;
  readonly form: FileIdForm;
  /** What made it: `tts`, `upload`, `stt`... */
  readonly kind: string;
  /** Without the dot: `mp3`, `txt`. */
  readonly extension: string;
  /** When a time-ordered id was issued (epoch ms); legacy ids carry only seconds and are ordered by S3's time. */
  readonly issuedAt: number | undefined;
}

/** Epoch ms of 2286-11-20: reversed times stay 13 digits, and so sort as numbers, until then. */
export const REVERSED_TIME_MAX = 9_999_999_999_999;
/** Sorts after every digit and before every letter: time-ordered keys are below `${prefix}:`, legacy keys above. */
export const LEGACY_IDS_AFTER = ':';

const KEY_ROOT = 'audio';
const KIND = '[a-z][a-z0-9]{0,15}';
const RANDOM_AND_EXTENSION = '[0-9a-f]{12}\\.([a-z0-9]{2,5})';
const TIME_ORDERED_ID = new RegExp(`^(\\d{13})_(${KIND})_${RANDOM_AND_EXTENSION}$`);
const LEGACY_ID = new RegExp(`^(${KIND})_\\d{8}T\\d{6}Z_${RANDOM_AND_EXTENSION}$`);

/** The prefix that holds one caller's objects. */
export function callerPrefix(callerId: string): string {
  return `${KEY_ROOT}/${callerId}/`;
}

/** The parts of an id of either form, or undefined for anything else (a path, another caller's key, junk). */
export function parseFileId(value: string): FileIdParts | undefined {
  const timeOrdered = TIME_ORDERED_ID.exec(value);
  if (timeOrdered) {
    const issuedAt = REVERSED_TIME_MAX - Number(timeOrdered[1]);
    return { id: value, form: 'time-ordered', kind: timeOrdered[2]!, extension: timeOrdered[3]!, issuedAt };
  }
  const legacy = LEGACY_ID.exec(value);
  if (legacy) return { id: value, form: 'legacy', kind: legacy[1]!, extension: legacy[2]!, issuedAt: undefined };
  return undefined;
}

/** True for an id of either form. */
export function isFileId(value: string): boolean {
  return parseFileId(value) !== undefined;
}

/** A new time-ordered id; `kind` must be a short lowercase word and `extension` 2 to 5 lowercase letters or digits. */
export function newFileId(kind: string, extension: string, now: number = Date.now()): string {
  const random = crypto.getRandomValues(new Uint8Array(6));
  const hex = Array.from(random, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${reversedTime(now)}_${kind}_${hex}.${extension}`;
}

/**
 * The 13 digits that start the ids issued at `epochMs`. Clamped, so that a forged cursor's time still makes
 * a well-formed listing position.
 */
export function reversedTime(epochMs: number): string {
  const clamped = Math.min(REVERSED_TIME_MAX, Math.max(0, Math.trunc(epochMs)));
  return String(REVERSED_TIME_MAX - clamped).padStart(13, '0');
}

/**
 * Sorts after every time-ordered id issued at or after `epochMs` and before every one issued earlier: the
 * reversed time followed by `~`, which sorts after the `_` that ends the digits of an id.
 */
export function afterIdsIssuedFrom(epochMs: number): string {
  return `${reversedTime(epochMs)}~`;
}
