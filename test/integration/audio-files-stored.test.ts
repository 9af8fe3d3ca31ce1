import { describe, expect, it } from 'vitest';
import { callerIdOf } from '../../src/caller.js';
import { isFileId } from '../../src/storage/file-store.js';
import { AUDIO, sha256, useAudioFiles } from '../support/audio-files.js';
import { callTool, KEY_A, KEY_B, textOf } from '../support/harness.js';

/**
 * Stored files over their life, through the real handler against s3rver with real presigned URLs:
 * list_audio, get_audio_url, delete_audio and FileStore.read (through a test-only tool that only
 * resolves its input) on uploads and on the legacy objects deployed servers wrote, and one caller's
 * files kept from every other caller.
 */

const audio = useAudioFiles();

describe('an uploaded file, from upload to deletion', () => {
  it('is listed, signed, readable by tools and deletable, byte for byte', async () => {
    const key = audio.freshKey();
    const uploaded = await audio.upload(key, AUDIO);

    const listed = await callTool(audio.handler, 'list_audio', {}, key);
    expect(listed.isError).toBeFalsy();
    expect(listed.structuredContent).toMatchObject({
      count: 1,
      total: 1,
      complete: true,
      next_continuation_token: null,
    });
    expect(listed.structuredContent.items[0]).toMatchObject({
      audio_id: uploaded.audio_id,
      key: uploaded.key,
      kind: 'upload',
      bytes: AUDIO.length,
      mime_type: 'audio/mpeg',
    });
    expect(Number.isNaN(Date.parse(listed.structuredContent.items[0].last_modified))).toBe(false);
    expect(textOf(listed)).toContain(uploaded.audio_id);

    const signed = await callTool(audio.handler, 'get_audio_url', { audio_id: uploaded.audio_id }, key);
    expect(signed.structuredContent).toMatchObject({
      audio_id: uploaded.audio_id,
      bytes: AUDIO.length,
      mime_type: 'audio/mpeg',
    });
    const download = await fetch(signed.structuredContent.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await download.arrayBuffer()).equals(AUDIO)).toBe(true);

    // FileStore.read, as a tool taking audio_id (or the key) uses it.
    for (const ref of [uploaded.audio_id, uploaded.key]) {
      const probed = await callTool(audio.probing, 'probe_input', { audio_id: ref }, key);
      expect(probed.structuredContent).toEqual({
        bytes: AUDIO.length,
        sha256: sha256(AUDIO),
        mime_type: 'audio/mpeg',
        filename: uploaded.audio_id,
        source: 'audio_id',
      });
    }
    const tooBig = await callTool(audio.probing, 'probe_input', { audio_id: uploaded.audio_id, max_bytes: 1000 }, key);
    expect(tooBig.isError).toBe(true);
    expect(textOf(tooBig)).toContain('larger than');

    const deleted = await callTool(audio.handler, 'delete_audio', { audio_id: uploaded.audio_id }, key);
    expect(deleted.structuredContent).toEqual({ audio_id: uploaded.audio_id, key: uploaded.key, deleted: true });
    expect((await callTool(audio.handler, 'list_audio', {}, key)).structuredContent).toMatchObject({
      count: 0,
      items: [],
    });
    expect((await fetch(signed.structuredContent.url)).status).toBe(404);
    for (const tool of ['get_audio_url', 'delete_audio']) {
      const again = await callTool(audio.handler, tool, { audio_id: uploaded.audio_id }, key);
      expect(again.isError).toBe(true);
      expect(textOf(again)).toContain(`No stored file with audio_id "${uploaded.audio_id}" exists for your API key`);
    }
  });

  it('lists generated audio too, and pages through everything with continuation tokens', async () => {
    const key = audio.freshKey();
    const made = [
      await audio.upload(key, AUDIO.subarray(0, 500)),
      await audio.upload(key, AUDIO.subarray(0, 600), 'b.wav', 'audio/wav'),
      await audio.upload(key, AUDIO.subarray(0, 700)),
    ];
    const seen = await audio.listedIds(key, 1);
    expect(seen.sort()).toEqual(made.map((m) => m.audio_id).sort());

    const invalid = await callTool(audio.handler, 'list_audio', { continuation_token: 'not-one-of-ours' }, key);
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toContain('continuation_token is not one list_audio returned');
    const limits = await callTool(audio.handler, 'list_audio', { limit: 101 }, key);
    expect(limits.isError).toBe(true);
  });
});

describe('files stored by deployed servers (legacy, kind-first ids)', () => {
  // s3rver's LastModified has one-second resolution: a pause orders legacy objects against new ids.
  const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));
  // Ids as the deployed servers made them: kind first, then the time and a random part.
  const LEGACY_TTS_ID = 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3';
  const LEGACY_UPLOAD_ID = 'upload_20261121T160513Z_00000000abcd.wav';

  it('lists newest first across both forms, and every legacy id still signs, reads and deletes', async () => {
    const key = audio.freshKey();
    const oldest = await audio.putLegacy(key, LEGACY_TTS_ID, AUDIO.subarray(0, 900), 'audio/mpeg');
    await nextSecond();
    const older = await audio.upload(key, AUDIO.subarray(0, 800));
    await nextSecond();
    const newer = await audio.putLegacy(key, LEGACY_UPLOAD_ID, AUDIO.subarray(0, 700), 'audio/wav');
    await nextSecond();
    const newest = await audio.upload(key, AUDIO.subarray(0, 600), 'b.wav', 'audio/wav');
    expect(isFileId(older.audio_id) && /^\d{13}_upload_/.test(older.audio_id)).toBe(true);

    const expected = [newest.audio_id, newer.audio_id, older.audio_id, oldest.audio_id];
    for (const limit of [100, 1, 2, 3]) expect(await audio.listedIds(key, limit)).toEqual(expected);
    const listed = await callTool(audio.handler, 'list_audio', {}, key);
    expect(listed.structuredContent).toMatchObject({ count: 4, total: 4, complete: true });
    const [, second, , fourth] = listed.structuredContent.items;
    expect(second).toMatchObject({
      audio_id: newer.audio_id,
      key: newer.key,
      kind: 'upload',
      bytes: 700,
      mime_type: 'audio/wav',
    });
    expect(fourth).toMatchObject({
      audio_id: oldest.audio_id,
      key: oldest.key,
      kind: 'tts',
      bytes: 900,
      mime_type: 'audio/mpeg',
    });

    for (const [legacy, body, type] of [
      [oldest, AUDIO.subarray(0, 900), 'audio/mpeg'],
      [newer, AUDIO.subarray(0, 700), 'audio/wav'],
    ] as const) {
      for (const ref of [legacy.audio_id, legacy.key]) {
        const signed = await callTool(audio.handler, 'get_audio_url', { audio_id: ref }, key);
        expect(signed.structuredContent).toMatchObject({
          audio_id: legacy.audio_id,
          key: legacy.key,
          bytes: body.length,
          mime_type: type,
        });
        const download = await fetch(signed.structuredContent.url);
        expect(download.status).toBe(200);
        expect(Buffer.from(await download.arrayBuffer()).equals(body)).toBe(true);
        const probed = await callTool(audio.probing, 'probe_input', { audio_id: ref }, key);
        const probedAs = { bytes: body.length, sha256: sha256(body), mime_type: type, filename: legacy.audio_id };
        expect(probed.structuredContent).toMatchObject(probedAs);
      }
      // Another caller cannot reach it, by id or by key.
      expect(textOf(await callTool(audio.handler, 'get_audio_url', { audio_id: legacy.key }, KEY_B))).toContain(
        'No stored file with audio_id',
      );
      const deleted = await callTool(audio.handler, 'delete_audio', { audio_id: legacy.audio_id }, key);
      expect(deleted.structuredContent).toEqual({ audio_id: legacy.audio_id, key: legacy.key, deleted: true });
      const again = await callTool(audio.handler, 'delete_audio', { audio_id: legacy.audio_id }, key);
      expect(textOf(again)).toContain(`No stored file with audio_id "${legacy.audio_id}" exists for your API key`);
    }
    expect(await audio.listedIds(key, 1)).toEqual([newest.audio_id, older.audio_id]);
  });
});

describe('callers are kept apart', () => {
  it("KEY_B can neither list, read, sign nor delete KEY_A's file, and gets just what a missing file gets", async () => {
    const mine = await audio.upload(KEY_A, AUDIO.subarray(0, 2048));
    const missingId = 'upload_20200101T000000Z_000000000000.mp3';
    const missingKey = `audio/${callerIdOf(KEY_B)}/${missingId}`;

    const listed = await callTool(audio.handler, 'list_audio', { limit: 100 }, KEY_B);
    expect(JSON.stringify(listed)).not.toContain(mine.audio_id);

    const normalized = (text: string, id: string) => text.replace(id, '<id>');
    for (const [handler, tool] of [
      [audio.handler, 'get_audio_url'],
      [audio.handler, 'delete_audio'],
      [audio.probing, 'probe_input'],
    ] as const) {
      const missingById = await callTool(handler, tool, { audio_id: missingId }, KEY_B);
      const missingByKey = await callTool(handler, tool, { audio_id: missingKey }, KEY_B);
      const othersById = await callTool(handler, tool, { audio_id: mine.audio_id }, KEY_B);
      const othersByKey = await callTool(handler, tool, { audio_id: mine.key }, KEY_B);
      for (const result of [missingById, missingByKey, othersById, othersByKey]) {
        expect(result.isError).toBe(true);
        expect(result.structuredContent).toBeUndefined();
      }
      expect(normalized(textOf(othersById), mine.audio_id)).toBe(normalized(textOf(missingById), missingId));
      expect(normalized(textOf(othersByKey), mine.key)).toBe(normalized(textOf(missingByKey), missingKey));
      expect(textOf(othersByKey)).toContain('No stored file with audio_id');
      expect(JSON.stringify([othersById, othersByKey])).not.toMatch(/https?:\/\//);
    }

    // Still there for its owner.
    const signed = await callTool(audio.handler, 'get_audio_url', { audio_id: mine.audio_id }, KEY_A);
    expect(signed.isError).toBeFalsy();
    expect(
      (await callTool(audio.handler, 'list_audio', { limit: 100 }, KEY_A)).structuredContent.items.map(
        (i: { audio_id: string }) => i.audio_id,
      ),
    ).toContain(mine.audio_id);
  });

  it('refuses ids that try to leave the prefix like any missing file', async () => {
    for (const audio_id of [
      `../${callerIdOf(KEY_A)}/x.mp3`,
      `audio/${callerIdOf(KEY_A)}/../../etc/passwd`,
      'tts_x.mp3?versionId=1',
    ]) {
      const result = await callTool(audio.handler, 'delete_audio', { audio_id }, KEY_B);
      expect(textOf(result)).toContain('No stored file with audio_id');
    }
  });
});
