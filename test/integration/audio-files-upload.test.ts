import { describe, expect, it } from 'vitest';
import { callerIdOf } from '../../src/caller.js';
import { isFileId, MAX_UPLOAD_BYTES } from '../../src/storage/file-store.js';
import { AUDIO, sha256, useAudioFiles } from '../support/audio-files.js';
import { call, callTool, KEY_A, textOf } from '../support/harness.js';

/**
 * How files reach the tools, through the real handler against s3rver with real presigned URLs:
 * create_upload_url and what it signs, the url and base64 inputs (through a test-only tool that only
 * resolves its input), and how tools/list presents the stored-file tools. s3rver does not verify
 * signatures, so nothing here relies on a signature being rejected; what is signed is checked in the URL.
 */

const audio = useAudioFiles();

/** create_upload_url with these arguments, for `key`. */
const createUploadUrl = (args: Record<string, unknown>, key = KEY_A) =>
  callTool(audio.handler, 'create_upload_url', args, key);

describe('create_upload_url', () => {
  it("signs a PUT of exactly this size and type, under the caller's prefix, for 15 minutes", async () => {
    const result = await createUploadUrl({ filename: 'interview.mp3', content_type: 'Audio/MPEG', bytes: 123_456 });
    expect(result.isError).toBeFalsy();
    const s = result.structuredContent;
    expect(s).toMatchObject({
      method: 'PUT',
      headers: { 'Content-Type': 'audio/mpeg', 'Content-Length': '123456' },
      content_type: 'audio/mpeg',
      bytes: 123_456,
      max_bytes: MAX_UPLOAD_BYTES,
    });
    expect(s.audio_id).toMatch(/^\d{13}_upload_[0-9a-f]{12}\.mp3$/);
    expect(isFileId(s.audio_id)).toBe(true);
    expect(s.key).toBe(`audio/${callerIdOf(KEY_A)}/${s.audio_id}`);
    const ttl = Date.parse(s.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(15 * 60 * 1000);

    const url = new URL(s.upload_url);
    expect(url.pathname).toBe(`/audio-test/${s.key}`);
    // Both headers are signed, so S3 refuses a body of another length or type; and no checksum of an
    // empty body is baked in (the SDK's default for PutObject, which would make every upload fail).
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);

    const text = textOf(result);
    expect(text).toContain(`curl -X PUT -H 'Content-Type: audio/mpeg' --upload-file 'interview.mp3' '${s.upload_url}'`);
    expect(text).toContain(`audio_id ${s.audio_id}`);
    expect(JSON.stringify(result)).not.toContain(KEY_A);
  });

  it('names stored documents and videos by their type', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['Manual.PDF', 'application/pdf', /\.pdf$/],
      ['clip', 'video/quicktime', /\.mov$/],
      ['song.aifc', 'audio/x-aifc', /\.aifc$/],
    ];
    for (const [filename, content_type, extension] of cases) {
      const result = await createUploadUrl({ filename, content_type, bytes: 10 });
      expect(result.structuredContent.audio_id).toMatch(extension);
    }
  });

  it.each([
    [
      { content_type: 'application/x-msdownload', bytes: 10 },
      /content_type must be one of audio\/mpeg, .*\(no web pages, images or scripts\)/,
    ],
    [{ content_type: 'image/png', bytes: 10 }, /content_type must be/],
    [{ content_type: 'audio/mpeg', bytes: 0 }, /bytes must be at least 1/],
    [{ content_type: 'audio/mpeg', bytes: MAX_UPLOAD_BYTES + 1 }, /bytes must be at most 104857600/],
    [{ content_type: 'audio/mpeg', bytes: 1.5 }, /bytes/],
  ])('refuses %j before signing anything', async (args, reason) => {
    const result = await createUploadUrl({ filename: 'x.mp3', ...args });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(reason);
  });

  it('needs a key, since the key names the prefix', async () => {
    const result = await createUploadUrl({ filename: 'x.mp3', content_type: 'audio/mpeg', bytes: 10 }, '');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('x-elevenlabs-api-key');
    expect(textOf(result)).not.toMatch(/unauthorized/i);
  });
});

describe('file inputs inside a request', () => {
  it('downloads a url (through the injected fetcher) and decodes base64', async () => {
    const byUrl = await callTool(audio.probing, 'probe_input', { url: `${audio.filesOrigin}/voice.mp3` }, KEY_A);
    expect(byUrl.structuredContent).toEqual({
      bytes: AUDIO.length,
      sha256: sha256(AUDIO),
      mime_type: 'audio/mpeg',
      filename: 'voice.mp3',
      source: 'url',
    });
    const small = AUDIO.subarray(0, 3000);
    const inline = await callTool(
      audio.probing,
      'probe_input',
      { base64: small.toString('base64'), filename: 'memo.mp3' },
      KEY_A,
    );
    expect(inline.structuredContent).toMatchObject({
      bytes: 3000,
      sha256: sha256(small),
      mime_type: 'audio/mpeg',
      source: 'base64',
    });
  });

  it('refuses private and non-https URLs with the production fetcher, saying what to do instead', async () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/a.mp3',
      'https://[::1]/a.mp3',
      `${audio.filesOrigin}/voice.mp3`,
    ]) {
      const result = await callTool(audio.probingStrict, 'probe_input', { url }, KEY_A);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^The URL was refused: /);
      expect(textOf(result)).toContain('upload it with create_upload_url');
    }
  });

  it('enforces exactly one source with a clear message', async () => {
    const none = await callTool(audio.probing, 'probe_input', {}, KEY_A);
    expect(textOf(none)).toContain('exactly one of: url');
    const two = await callTool(
      audio.probing,
      'probe_input',
      { url: `${audio.filesOrigin}/voice.mp3`, audio_id: 'x' },
      KEY_A,
    );
    expect(textOf(two)).toContain('this call gave url and audio_id');
  });
});

describe('tools/list', () => {
  it('offers the three tools with honest annotations, after the existing ones', async () => {
    const listed = await call(audio.handler, 'tools/list');
    const tools = listed.body.result.tools as Array<{
      name: string;
      annotations: Record<string, unknown>;
      description: string;
    }>;
    const names = tools.map((t) => t.name);
    expect(names.indexOf('create_upload_url')).toBeGreaterThan(names.indexOf('get_audio_url'));
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.create_upload_url!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      openWorldHint: false,
    });
    expect(byName.list_audio!.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(byName.delete_audio!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    });
    for (const name of ['create_upload_url', 'list_audio', 'delete_audio'])
      expect(byName[name]!.description).toMatch(/Free: it does not call ElevenLabs/);
  });
});
