import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlayer } from '../../esbuild.config.mjs';
import { parseConfig } from '../../src/config.js';
import { servedEntries } from '../../src/mcp/catalog.js';
import type { ToolName } from '../../src/tools/index.js';
import { TOOL_LISTINGS_JSON } from '../../src/tools/listings.generated.js';
import {
  audioOrigin,
  listUiResources,
  MCP_APP_MIME_TYPE,
  PLAYER_URI,
  readUiResource,
  UnknownUiResourceError,
} from '../../src/ui/resources.js';
import { clock, spokenIndex, viewOf } from '../../src/ui/player/result.js';

/** Every tool that stores audio and returns its link, and list_audio (the player plays its files on demand). */
const AUDIO_TOOLS = [
  'text_to_speech',
  'text_to_dialogue',
  'text_to_sound_effects',
  'speech_to_speech',
  'isolate_audio',
  'compose_music',
  'video_to_music',
  'text_to_voice',
  'get_audio_url',
  'list_audio',
];

const config = (env: Record<string, string>) =>
  parseConfig({ AUDIO_BUCKET: 'my-audio', AWS_REGION: 'eu-west-1', ...env });

describe('the player resource', () => {
  let sizes: Awaited<ReturnType<typeof buildPlayer>>;
  beforeAll(async () => {
    sizes = await buildPlayer();
  });

  it('is listed with the MCP Apps mimeType', () => {
    expect(listUiResources(config({}))).toEqual([
      expect.objectContaining({
        uri: PLAYER_URI,
        name: 'audio_player',
        mimeType: 'text/html;profile=mcp-app',
        _meta: { ui: { prefersBorder: false } },
      }),
    ]);
    expect(PLAYER_URI).toMatch(/^ui:\/\//);
  });

  it('reads as one self-contained HTML document that loads nothing but the audio', async () => {
    const { contents } = await readUiResource(PLAYER_URI, config({}));
    expect(contents).toHaveLength(1);
    const [content] = contents;
    expect(content!.uri).toBe(PLAYER_URI);
    expect(content!.mimeType).toBe(MCP_APP_MIME_TYPE);
    const html = content!.text;
    expect(html).toMatch(/^<!doctype html>/i);
    expect(Buffer.byteLength(html)).toBe(sizes.htmlBytes);
    // One inline module script and one inline style; no external script, style sheet, image or font.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="module">']);
    expect(html.match(/<style\b[^>]*>/g)).toEqual(['<style>']);
    expect(html).not.toMatch(/<(link|img|iframe)\b/i);
    expect(html).not.toMatch(/\bsrc\s*=\s*["']https?:/i);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(style).not.toMatch(/@import|url\(/i);
  });

  it('keeps the HTML off the cold path: bundled, it is a chunk of its own that only readUiResource loads', async () => {
    const root = join(import.meta.dirname, '../..');
    const built = await esbuild.build({
      stdin: {
        contents: "export { listUiResources, readUiResource } from './src/ui/resources.ts';",
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      outdir: join(root, 'build', 'ui-chunk-test'),
      write: false,
      metafile: true,
      logLevel: 'warning',
    });
    const entry = built.outputFiles.find((file) => file.path.endsWith('stdin.js'))!;
    const chunks = built.outputFiles.filter((file) => file !== entry);
    expect(entry.text.length).toBeLessThan(10_000);
    expect(entry.text).not.toContain('ElevenLabs audio player');
    expect(entry.text).toMatch(/import\(\s*"\.\/html\.generated-[A-Z0-9]+\.js"\s*\)/);
    expect(chunks.filter((file) => file.text.includes('ElevenLabs audio player'))).toHaveLength(1);
  });

  it('declares, as its only CSP origin, the origin the S3 presigner really signs for', async () => {
    const cases: Array<[region: string, bucket: string]> = [
      ['us-east-1', 'my-audio'],
      ['eu-west-1', 'my-audio'],
      ['eu-central-1', 'audio.example.com'],
      ['ap-southeast-5', 'abc'],
      ['us-gov-west-1', 'gov-audio'],
      ['cn-north-1', 'cn-audio'],
      ['eusc-de-east-1', 'eusc-audio'],
      ['us-iso-east-1', 'iso-audio'],
    ];
    for (const [region, bucket] of cases) {
      const client = new S3Client({ region, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
      const signed = await getSignedUrl(
        client,
        new GetObjectCommand({ Bucket: bucket, Key: 'audio/caller/tts_20261121T160512Z_3f9a1c7e2b4d.mp3' }),
        { expiresIn: 60 },
      );
      const cfg = config({ AUDIO_BUCKET: bucket, AWS_REGION: region });
      expect(audioOrigin(cfg), `${region} ${bucket}`).toBe(new URL(signed).origin);
      const { contents } = await readUiResource(PLAYER_URI, cfg);
      expect(contents[0]!._meta.ui.csp).toEqual({ resourceDomains: [new URL(signed).origin] });
    }
  });

  it(
    "declares the local endpoint's origin with AWS_ENDPOINT_URL_S3, and no origin without a bucket; " +
      'never a wildcard',
    async () => {
      const local = config({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569/', AWS_REGION: 'us-east-1' });
      expect((await readUiResource(PLAYER_URI, local)).contents[0]!._meta.ui.csp).toEqual({
        resourceDomains: ['http://127.0.0.1:4569'],
      });
      const none = parseConfig({});
      expect((await readUiResource(PLAYER_URI, none)).contents[0]!._meta.ui.csp).toEqual({});
      for (const cfg of [local, none, config({})])
        expect(JSON.stringify((await readUiResource(PLAYER_URI, cfg)).contents[0]!._meta)).not.toContain('*');
    },
  );

  it("refuses any other URI with a typed error carrying SEP-2164's code", async () => {
    for (const uri of ['ui://elevenlabs/other.html', `${PLAYER_URI}?x=1`, 'https://example.com/']) {
      const error = await readUiResource(uri, config({})).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownUiResourceError);
      expect(error).toMatchObject({ uri, code: -32602 });
    }
  });
});

describe('tools name the player', () => {
  it(
    "every audio tool's tools/list entry carries _meta.ui.resourceUri and the older ui/resourceUri key, in the " +
      'generated catalog too',
    () => {
      const served = new Map(servedEntries().map((entry) => [entry.name, entry.listing()]));
      for (const name of AUDIO_TOOLS) {
        const expected = { ui: { resourceUri: PLAYER_URI }, 'ui/resourceUri': PLAYER_URI };
        expect(JSON.parse(TOOL_LISTINGS_JSON[name as ToolName])._meta, name).toEqual(expected);
        expect(served.get(name)?._meta, name).toEqual(expected);
      }
      const others = Object.keys(TOOL_LISTINGS_JSON).filter((name) => !AUDIO_TOOLS.includes(name));
      expect(others.length).toBeGreaterThan(10);
      for (const name of others) expect(JSON.parse(TOOL_LISTINGS_JSON[name as ToolName])._meta, name).toBeUndefined();
    },
  );
});

describe('what the player reads from structuredContent', () => {
  const stored = {
    audio_id: 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3',
    url: 'https://b.s3.eu-west-1.amazonaws.com/x',
    expires_at: '2026-11-21T17:05:12.000Z',
    key: 'k',
    mime_type: 'audio/mpeg',
    bytes: 1000,
    filename: 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3',
  };

  it('summarises a text_to_speech result and keeps its alignment', () => {
    const view = viewOf({
      ...stored,
      format: 'mp3_44100_128',
      voice_id: 'v1',
      voice_name: 'George',
      model_id: 'eleven_v3',
      characters_billed: 1234,
      alignment: {
        characters: ['a', 'b'],
        character_start_times_seconds: [0, 0.1],
        character_end_times_seconds: [0.1, 0.2],
      },
    });
    expect(view).toMatchObject({
      kind: 'single',
      title: 'Speech',
      facts: [
        { label: 'Voice', value: 'George' },
        { label: 'Model', value: 'eleven_v3' },
        { label: 'Format', value: 'MP3, 44.1 kHz, 128 kbps' },
        { label: 'Characters billed', value: '1,234' },
      ],
      alignment: { characters: ['a', 'b'], starts: [0, 0.1] },
    });
  });

  it('lists text_to_voice previews and list_audio files, and gives up on a result without audio', () => {
    const view = viewOf({
      previews: [{ ...stored, generated_voice_id: 'g1', duration_secs: 3, language: 'en' }],
      text: 'Hi',
      format: 'mp3_44100_128',
      model_id: 'm',
    });
    expect(view).toMatchObject({
      kind: 'previews',
      previews: [{ generatedVoiceId: 'g1', durationSecs: 3, clip: { url: stored.url } }],
      text: 'Hi',
    });
    expect(
      viewOf({
        items: [
          {
            audio_id: 'tts_1.mp3',
            kind: 'tts',
            mime_type: 'audio/mpeg',
            bytes: 5,
            last_modified: '2026-11-21T16:05:12.000Z',
          },
        ],
        total: 3,
        next_continuation_token: 'n',
      }),
    ).toEqual({
      kind: 'library',
      title: 'Stored files',
      items: [
        {
          audioId: 'tts_1.mp3',
          kind: 'tts',
          mimeType: 'audio/mpeg',
          bytes: 5,
          lastModified: '2026-11-21T16:05:12.000Z',
        },
      ],
      total: 3,
      more: true,
    });
    expect(viewOf({ voices: [] })).toBeUndefined();
    expect(viewOf(undefined)).toBeUndefined();
  });

  it('finds the character being spoken', () => {
    const alignment = { characters: ['a', 'b', 'c'], starts: [0, 0.5, 1], ends: [0.5, 1, 1.5] };
    expect([-1, 0, 0.49, 0.5, 1.2, 9].map((t) => spokenIndex(alignment, t))).toEqual([-1, 0, 0, 1, 2, 2]);
    expect([0, 59.9, 61, 3600].map(clock)).toEqual(['0:00', '0:59', '1:01', '60:00']);
  });
});
