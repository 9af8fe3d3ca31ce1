import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { audioInputShape, resolveInput } from '../../src/audio/inputs.js';
import { callerIdOf } from '../../src/caller.js';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { catalogOf } from '../../src/mcp/tool-listing.js';
import { createRuntime } from '../../src/runtime.js';
import { isFileId, MAX_UPLOAD_BYTES } from '../../src/storage/file-store.js';
import { defineTool } from '../../src/toolkit/define-tool.js';
import { loadAllTools } from '../../src/tools/index.js';
import { dataResult } from '../../src/toolkit/results.js';
import {
  call,
  callTool,
  KEY_A,
  KEY_B,
  startStack,
  textOf,
  type Stack,
  serveFiles,
  uploadThroughTool,
  loopbackFetcher,
} from '../support/harness.js';

const ALL_TOOLS = await loadAllTools();

/**
 * create_upload_url, list_audio, delete_audio and FileStore.read through the real handler, against
 * s3rver with real presigned URLs. s3rver does not verify signatures, so nothing here relies on a
 * signature being rejected; what is signed is checked in the URL itself.
 */

/** A tool that only resolves its input, so the input layer runs inside a real request. Test-only. */
const probeInput = {
  name: 'probe_input',
  ...defineTool({
    title: 'Probe input',
    description: 'Test tool: resolves a file input and reports what it got.',
    input: z
      .object({
        ...audioInputShape,
        max_bytes: z
          .number()
          .int()
          .positive()
          .default(1024 * 1024)
          .describe('Cap.'),
      })
      .strict(),
    output: z.object({
      bytes: z.number(),
      sha256: z.string(),
      mime_type: z.string(),
      filename: z.string(),
      source: z.string(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    groups: ['test'],
    async handler(args, ctx) {
      const file = await resolveInput(args, ctx, {
        allowedTypes: ['audio/*', 'video/*'],
        maxBytes: args.max_bytes,
        purpose: 'probe_input',
      });
      return dataResult('ok', {
        bytes: file.bytes.byteLength,
        sha256: sha256(file.bytes),
        mime_type: file.mimeType,
        filename: file.filename,
        source: file.source,
      });
    },
  }),
};

let stack: Stack;
/** The real handler with the probe tool and a fetcher admitting the local file server (127.0.0.1, http). */
let probing: FunctionUrlHandler;
/** The real handler with the probe tool and the production fetcher. */
let probingStrict: FunctionUrlHandler;
let files: Awaited<ReturnType<typeof serveFiles>>;
let filesOrigin: string;
const AUDIO = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), randomBytes(70_000)]);

beforeAll(async () => {
  stack = await startStack();
  const catalog = catalogOf([...ALL_TOOLS, probeInput]);
  probing = createHandler(createRuntime({ ...stack.env }, { catalog, fetcher: loopbackFetcher() }));
  probingStrict = createHandler(createRuntime({ ...stack.env }, { catalog }));
  files = await serveFiles({ '/voice.mp3': { type: 'audio/mpeg', body: AUDIO } });
  filesOrigin = files.origin;
});
afterAll(async () => {
  await files.close();
  await stack.stop();
});

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A key of its own for one test, one ElevenLabs accepts (storage is only for those): the prefix starts empty. */
function freshKey(): string {
  const key = `sk_test_${randomBytes(16).toString('hex')}`;
  stack.fake.addKey(key);
  return key;
}

/** create_upload_url, then the PUT a client would make with the headers it returned. */
function upload(key: string, body: Buffer, filename = 'interview.mp3', contentType = 'audio/mpeg') {
  return uploadThroughTool(stack.handler, key, body, filename, contentType);
}

describe('create_upload_url', () => {
  it("signs a PUT of exactly this size and type, under the caller's prefix, for 15 minutes", async () => {
    const result = await callTool(
      stack.handler,
      'create_upload_url',
      { filename: 'interview.mp3', content_type: 'Audio/MPEG', bytes: 123_456 },
      KEY_A,
    );
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
    const pdf = await callTool(
      stack.handler,
      'create_upload_url',
      { filename: 'Manual.PDF', content_type: 'application/pdf', bytes: 10 },
      KEY_A,
    );
    expect(pdf.structuredContent.audio_id).toMatch(/\.pdf$/);
    const mov = await callTool(
      stack.handler,
      'create_upload_url',
      { filename: 'clip', content_type: 'video/quicktime', bytes: 10 },
      KEY_A,
    );
    expect(mov.structuredContent.audio_id).toMatch(/\.mov$/);
    const odd = await callTool(
      stack.handler,
      'create_upload_url',
      { filename: 'song.aifc', content_type: 'audio/x-aifc', bytes: 10 },
      KEY_A,
    );
    expect(odd.structuredContent.audio_id).toMatch(/\.aifc$/);
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
    const result = await callTool(stack.handler, 'create_upload_url', { filename: 'x.mp3', ...args }, KEY_A);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(reason);
  });

  it('needs a key, since the key names the prefix', async () => {
    const result = await callTool(
      stack.handler,
      'create_upload_url',
      { filename: 'x.mp3', content_type: 'audio/mpeg', bytes: 10 },
      '',
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('x-elevenlabs-api-key');
    expect(textOf(result)).not.toMatch(/unauthorized/i);
  });
});

describe('an uploaded file, from upload to deletion', () => {
  it('is listed, signed, readable by tools and deletable, byte for byte', async () => {
    const key = freshKey();
    const uploaded = await upload(key, AUDIO);

    const listed = await callTool(stack.handler, 'list_audio', {}, key);
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

    const signed = await callTool(stack.handler, 'get_audio_url', { audio_id: uploaded.audio_id }, key);
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
      const probed = await callTool(probing, 'probe_input', { audio_id: ref }, key);
      expect(probed.structuredContent).toEqual({
        bytes: AUDIO.length,
        sha256: sha256(AUDIO),
        mime_type: 'audio/mpeg',
        filename: uploaded.audio_id,
        source: 'audio_id',
      });
    }
    const tooBig = await callTool(probing, 'probe_input', { audio_id: uploaded.audio_id, max_bytes: 1000 }, key);
    expect(tooBig.isError).toBe(true);
    expect(textOf(tooBig)).toContain('larger than');

    const deleted = await callTool(stack.handler, 'delete_audio', { audio_id: uploaded.audio_id }, key);
    expect(deleted.structuredContent).toEqual({ audio_id: uploaded.audio_id, key: uploaded.key, deleted: true });
    expect((await callTool(stack.handler, 'list_audio', {}, key)).structuredContent).toMatchObject({
      count: 0,
      items: [],
    });
    expect((await fetch(signed.structuredContent.url)).status).toBe(404);
    for (const tool of ['get_audio_url', 'delete_audio']) {
      const again = await callTool(stack.handler, tool, { audio_id: uploaded.audio_id }, key);
      expect(again.isError).toBe(true);
      expect(textOf(again)).toContain(`No stored file with audio_id "${uploaded.audio_id}" exists for your API key`);
    }
  });

  it('lists generated audio too, and pages through everything with continuation tokens', async () => {
    const key = freshKey();
    const made = [
      await upload(key, AUDIO.subarray(0, 500)),
      await upload(key, AUDIO.subarray(0, 600), 'b.wav', 'audio/wav'),
      await upload(key, AUDIO.subarray(0, 700)),
    ];
    const seen: string[] = [];
    let token: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: any = await callTool(
        stack.handler,
        'list_audio',
        { limit: 1, ...(token ? { continuation_token: token } : {}) },
        key,
      );
      expect(page.structuredContent.count).toBeLessThanOrEqual(1);
      seen.push(...page.structuredContent.items.map((i: { audio_id: string }) => i.audio_id));
      token = page.structuredContent.next_continuation_token;
      if (!token) break;
    }
    expect(seen.sort()).toEqual(made.map((m) => m.audio_id).sort());

    const invalid = await callTool(stack.handler, 'list_audio', { continuation_token: 'not-one-of-ours' }, key);
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toContain('continuation_token is not one list_audio returned');
    const limits = await callTool(stack.handler, 'list_audio', { limit: 101 }, key);
    expect(limits.isError).toBe(true);
  });
});

describe('files stored by deployed servers (legacy, kind-first ids)', () => {
  /** A legacy object exactly as the deployed servers wrote it, straight into the bucket. */
  async function putLegacy(
    key: string,
    audioId: string,
    body: Buffer,
    contentType: string,
  ): Promise<{ audio_id: string; key: string }> {
    const objectKey = `audio/${callerIdOf(key)}/${audioId}`;
    const kit = await stack.runtime.s3();
    await kit.client.send(
      new kit.sdk.PutObjectCommand({
        Bucket: stack.s3.bucket,
        Key: objectKey,
        Body: body,
        ContentType: contentType,
        ContentDisposition: `attachment; filename="${audioId}"`,
        Metadata: { kind: audioId.slice(0, audioId.indexOf('_')) },
      }),
    );
    return { audio_id: audioId, key: objectKey };
  }
  // s3rver's LastModified has one-second resolution: a pause orders legacy objects against new ids.
  const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));
  const listedIds = async (key: string, limit: number): Promise<string[]> => {
    const seen: string[] = [];
    let token: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const page: any = await callTool(
        stack.handler,
        'list_audio',
        { limit, ...(token ? { continuation_token: token } : {}) },
        key,
      );
      expect(page.isError).toBeFalsy();
      seen.push(...page.structuredContent.items.map((i: { audio_id: string }) => i.audio_id));
      token = page.structuredContent.next_continuation_token;
      if (!token) return seen;
    }
    throw new Error('list_audio did not reach its last page');
  };

  it('lists newest first across both forms, and every legacy id still signs, reads and deletes', async () => {
    const key = freshKey();
    const oldest = await putLegacy(key, 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3', AUDIO.subarray(0, 900), 'audio/mpeg');
    await nextSecond();
    const older = await upload(key, AUDIO.subarray(0, 800));
    await nextSecond();
    const newer = await putLegacy(key, 'upload_20261121T160513Z_00000000abcd.wav', AUDIO.subarray(0, 700), 'audio/wav');
    await nextSecond();
    const newest = await upload(key, AUDIO.subarray(0, 600), 'b.wav', 'audio/wav');
    expect(isFileId(older.audio_id) && /^\d{13}_upload_/.test(older.audio_id)).toBe(true);

    const expected = [newest.audio_id, newer.audio_id, older.audio_id, oldest.audio_id];
    for (const limit of [100, 1, 2, 3]) expect(await listedIds(key, limit)).toEqual(expected);
    const listed = await callTool(stack.handler, 'list_audio', {}, key);
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
        const signed = await callTool(stack.handler, 'get_audio_url', { audio_id: ref }, key);
        expect(signed.structuredContent).toMatchObject({
          audio_id: legacy.audio_id,
          key: legacy.key,
          bytes: body.length,
          mime_type: type,
        });
        const download = await fetch(signed.structuredContent.url);
        expect(download.status).toBe(200);
        expect(Buffer.from(await download.arrayBuffer()).equals(body)).toBe(true);
        const probed = await callTool(probing, 'probe_input', { audio_id: ref }, key);
        const probedAs = { bytes: body.length, sha256: sha256(body), mime_type: type, filename: legacy.audio_id };
        expect(probed.structuredContent).toMatchObject(probedAs);
      }
      // Another caller cannot reach it, by id or by key.
      expect(textOf(await callTool(stack.handler, 'get_audio_url', { audio_id: legacy.key }, KEY_B))).toContain(
        'No stored file with audio_id',
      );
      const deleted = await callTool(stack.handler, 'delete_audio', { audio_id: legacy.audio_id }, key);
      expect(deleted.structuredContent).toEqual({ audio_id: legacy.audio_id, key: legacy.key, deleted: true });
      const again = await callTool(stack.handler, 'delete_audio', { audio_id: legacy.audio_id }, key);
      expect(textOf(again)).toContain(`No stored file with audio_id "${legacy.audio_id}" exists for your API key`);
    }
    expect(await listedIds(key, 1)).toEqual([newest.audio_id, older.audio_id]);
  });
});

describe('callers are kept apart', () => {
  it(
    "KEY_B can neither list, read, sign nor delete KEY_A's file, and is told exactly what a missing " + 'file gets',
    async () => {
      const mine = await upload(KEY_A, AUDIO.subarray(0, 2048));
      const missingId = 'upload_20200101T000000Z_000000000000.mp3';
      const missingKey = `audio/${callerIdOf(KEY_B)}/${missingId}`;

      const listed = await callTool(stack.handler, 'list_audio', { limit: 100 }, KEY_B);
      expect(JSON.stringify(listed)).not.toContain(mine.audio_id);

      const normalized = (text: string, id: string) => text.replace(id, '<id>');
      for (const [handler, tool] of [
        [stack.handler, 'get_audio_url'],
        [stack.handler, 'delete_audio'],
        [probing, 'probe_input'],
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
      const signed = await callTool(stack.handler, 'get_audio_url', { audio_id: mine.audio_id }, KEY_A);
      expect(signed.isError).toBeFalsy();
      expect(
        (await callTool(stack.handler, 'list_audio', { limit: 100 }, KEY_A)).structuredContent.items.map(
          (i: { audio_id: string }) => i.audio_id,
        ),
      ).toContain(mine.audio_id);
    },
  );

  it('refuses ids that try to leave the prefix like any missing file', async () => {
    for (const audio_id of [
      '../' + callerIdOf(KEY_A) + '/x.mp3',
      `audio/${callerIdOf(KEY_A)}/../../etc/passwd`,
      'tts_x.mp3?versionId=1',
    ]) {
      const result = await callTool(stack.handler, 'delete_audio', { audio_id }, KEY_B);
      expect(textOf(result)).toContain('No stored file with audio_id');
    }
  });
});

describe('file inputs inside a request', () => {
  it('downloads a url (through the injected fetcher) and decodes base64', async () => {
    const byUrl = await callTool(probing, 'probe_input', { url: `${filesOrigin}/voice.mp3` }, KEY_A);
    expect(byUrl.structuredContent).toEqual({
      bytes: AUDIO.length,
      sha256: sha256(AUDIO),
      mime_type: 'audio/mpeg',
      filename: 'voice.mp3',
      source: 'url',
    });
    const small = AUDIO.subarray(0, 3000);
    const inline = await callTool(
      probing,
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
      `${filesOrigin}/voice.mp3`,
    ]) {
      const result = await callTool(probingStrict, 'probe_input', { url }, KEY_A);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^The URL was refused: /);
      expect(textOf(result)).toContain('upload it with create_upload_url');
    }
  });

  it('enforces exactly one source with a clear message', async () => {
    const none = await callTool(probing, 'probe_input', {}, KEY_A);
    expect(textOf(none)).toContain('exactly one of: url');
    const two = await callTool(probing, 'probe_input', { url: `${filesOrigin}/voice.mp3`, audio_id: 'x' }, KEY_A);
    expect(textOf(two)).toContain('this call gave url and audio_id');
  });
});

describe('tools/list', () => {
  it('offers the three tools with honest annotations, after the existing ones', async () => {
    const listed = await call(stack.handler, 'tools/list');
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
