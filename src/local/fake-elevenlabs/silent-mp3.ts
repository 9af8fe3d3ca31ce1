// Audio the fake answers with: real MP3 a browser plays (the player's test needs one), of any size asked for.

/** MPEG-2 Layer III, 8 kbit/s, 16 kHz, mono, no CRC: 36-byte frames of 576 samples (36 ms), 1000 bytes a second. */
const MP3_FRAME_HEADER = Buffer.from([0xff, 0xf3, 0x18, 0xc0]);
const MP3_FRAME_BYTES = 36;
/** The ID3 tag before padding: its header, the PRIV frame's header, the owner and a SHA-256. */
const SILENT_MP3_TAG_BYTES = 10 + 10 + 16 + 32;

/**
 * `size` bytes of real MP3: an ID3v2.4 tag whose PRIV frame holds `tag` (what makes two texts' audio
 * differ), padded so that the rest is whole frames of silence (side information and main data all zero
 * decode to silence). About 64 ms of audio per character at the default 64 bytes per character, near the
 * 70 ms per character the with-timestamps route reports.
 */
export function silentMp3(tag: Buffer, size: number): Buffer {
  const owner = Buffer.from('fake-elevenlabs\0', 'latin1');
  const privBody = Buffer.concat([owner, tag]);
  const minimumTag = 10 + 10 + privBody.length;
  if (minimumTag !== SILENT_MP3_TAG_BYTES) throw new Error('the tag must be a SHA-256');
  if (size < minimumTag + MP3_FRAME_BYTES) throw new Error(`an MP3 of ${size} bytes is too small for one frame`);
  const frames = Math.floor((size - minimumTag) / MP3_FRAME_BYTES);
  const padding = size - minimumTag - frames * MP3_FRAME_BYTES;
  const privHeader = Buffer.concat([Buffer.from('PRIV', 'latin1'), syncsafe(privBody.length), Buffer.from([0, 0])]);
  const tagBody = Buffer.concat([privHeader, privBody, Buffer.alloc(padding)]);
  const header = Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.from([4, 0, 0]), syncsafe(tagBody.length)]);
  const frame = Buffer.concat([MP3_FRAME_HEADER, Buffer.alloc(MP3_FRAME_BYTES - MP3_FRAME_HEADER.length)]);
  return Buffer.concat([header, tagBody, ...Array.from({ length: frames }, () => frame)]);
}

/** How long silentMp3(tag, size) plays, in seconds. */
export function silentMp3Seconds(size: number): number {
  return Math.floor((size - SILENT_MP3_TAG_BYTES) / MP3_FRAME_BYTES) * 0.036;
}

/** ID3v2's 28-bit integer in four 7-bit bytes. */
function syncsafe(value: number): Buffer {
  return Buffer.from([(value >> 21) & 0x7f, (value >> 14) & 0x7f, (value >> 7) & 0x7f, value & 0x7f]);
}
