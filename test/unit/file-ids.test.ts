import { describe, expect, it } from 'vitest';
import {
  afterIdsIssuedFrom,
  isFileId,
  LEGACY_IDS_AFTER,
  newFileId,
  parseFileId,
  REVERSED_TIME_MAX,
  reversedTime,
} from '../../src/storage/file-ids.js';

describe('file ids', () => {
  it('issues time-ordered ids: reversed ms, kind, 48 random bits, extension', () => {
    const at = Date.parse('2026-11-21T16:05:12.345Z');
    const id = newFileId('tts', 'mp3', at);
    expect(id).toMatch(/^\d{13}_tts_[0-9a-f]{12}\.mp3$/);
    expect(id.slice(0, 13)).toBe(String(REVERSED_TIME_MAX - at));
    expect(parseFileId(id)).toEqual({ id, form: 'time-ordered', kind: 'tts', extension: 'mp3', issuedAt: at });
    expect(newFileId('tts', 'mp3', at)).not.toBe(id);
  });

  it('orders keys newest first in byte order, as S3 lists them', () => {
    const dates = ['2026-11-21T16:05:12Z', '2026-11-21T16:05:12.001Z', '2099-01-01T00:00:00Z'];
    const times = [0, 1, 999, 1_000, ...dates.map((d) => Date.parse(d))];
    const ids = times.map((t) => newFileId('upload', 'wav', t));
    const byKey = [...ids].sort();
    expect(byKey).toEqual([...ids].reverse());
  });

  it('still parses the legacy ids deployed servers issued', () => {
    expect(parseFileId('tts_20261121T160512Z_3f9a1c7e2b4d.mp3')).toEqual({
      id: 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3',
      form: 'legacy',
      kind: 'tts',
      extension: 'mp3',
      issuedAt: undefined,
    });
    expect(parseFileId('upload_20261121T160512Z_3f9a1c7e2b4d.aifc')?.kind).toBe('upload');
  });

  it('splits the two ranges at LEGACY_IDS_AFTER, and places a time between ids', () => {
    const at = Date.parse('2026-11-21T16:05:12Z');
    const fresh = newFileId('zzzzzzzzzzzzzzzz', 'zzzzz', 0);
    expect(fresh < LEGACY_IDS_AFTER && LEGACY_IDS_AFTER < 'a_20261121T160512Z_000000000000.mp3').toBe(true);
    const sameTime = newFileId('zzzz', 'mp3', at);
    const earlier = newFileId('aaaa', 'mp3', at - 1);
    expect(sameTime < afterIdsIssuedFrom(at) && afterIdsIssuedFrom(at) < earlier).toBe(true);
    expect(reversedTime(-5)).toBe(String(REVERSED_TIME_MAX));
    expect(reversedTime(REVERSED_TIME_MAX + 5)).toBe('0000000000000');
  });

  it.each([
    '',
    '../x.mp3',
    'tts_x.mp3',
    '8204722887999_tts_3f9a1c7e2b4d',
    '820472288799_tts_3f9a1c7e2b4d.mp3',
    '8204722887999_TTS_3f9a1c7e2b4d.mp3',
    '8204722887999_tts_3f9a1c7e2b4d.mp3/x',
    'audio/c/8204722887999_tts_3f9a1c7e2b4d.mp3',
    'tts_20261121T160512Z_3f9a1c7e2b4d.mp3?versionId=1',
  ])('refuses %j', (value) => {
    expect(isFileId(value)).toBe(false);
  });
});
