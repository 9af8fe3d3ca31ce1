import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  audioInputShape,
  chooseSource,
  fileInputShape,
  MAX_BASE64_BYTES,
  MAX_BASE64_CHARS,
  resolveInput,
  resolveInputOrUrl,
  type FileInputArgs,
  type InputContext,
  type ResolveOptions,
} from '../../src/audio/inputs.js';
import { StoredFileNotFoundError, InputTooLargeError, InvalidArgumentsError } from '../../src/errors/index.js';
import type { FetchedFile, FetchLimits, SafeFetcher } from '../../src/net/safe-fetch.js';
import type { FileStore, StoredFile } from '../../src/storage/file-store.js';

const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), Buffer.alloc(300, 7)]);
const AUDIO: ResolveOptions = { allowedTypes: ['audio/*', 'video/*'], maxBytes: 4096, purpose: 'speech_to_text' };

interface Fakes {
  ctx: InputContext;
  fetched: Array<{ url: string; limits: FetchLimits }>;
  checked: string[];
  read: Array<{ id: string; maxBytes: number }>;
}

/** A context with a scripted fetcher and store: no network, no S3. */
function fakes(download: Partial<FetchedFile> = {}, stored?: Partial<StoredFile>): Fakes {
  const fetched: Fakes['fetched'] = [];
  const checked: string[] = [];
  const read: Fakes['read'] = [];
  const fetcher: SafeFetcher = {
    async fetch(url, limits) {
      fetched.push({ url, limits });
      return { bytes: MP3, url, contentType: 'audio/mpeg', filename: 'talk.mp3', ...download };
    },
    async check(url) {
      checked.push(url);
      return url;
    },
  };
  const unused = () => {
    throw new Error('not used by these tests');
  };
  const store: FileStore = {
    save: unused,
    sign: unused,
    list: unused,
    delete: unused,
    createUploadUrl: unused,
    async read(id, maxBytes) {
      read.push({ id, maxBytes });
      if (!stored) throw new StoredFileNotFoundError(JSON.stringify(id));
      return { audioId: id, key: `audio/x/${id}`, bytes: MP3, mimeType: 'audio/mpeg', filename: id, ...stored };
    },
  };
  return { ctx: { fetcher, audio: () => store, signal: new AbortController().signal }, fetched, checked, read };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: Error) => error,
  );
}

describe('exactly one source', () => {
  it('names the three ways when none is given, and counts empty strings as not given', () => {
    for (const args of [{}, { url: '', audio_id: '  ', base64: '' }] as FileInputArgs[]) {
      expect(() => chooseSource(args)).toThrow(InvalidArgumentsError);
      expect(() => chooseSource(args)).toThrow(/exactly one of: url .*audio_id .*base64/);
    }
  });

  it('names the fields given when there are several', () => {
    expect(() => chooseSource({ url: 'https://x.example/a.mp3', base64: 'AAAA', filename: 'a.mp3' })).toThrow(
      'this call gave url and base64',
    );
    expect(() => chooseSource({ url: 'https://x.example/a.mp3', audio_id: 'tts_x' })).toThrow(
      'this call gave url and audio_id',
    );
  });

  it('requires filename with base64', () => {
    expect(() => chooseSource({ base64: 'AAAA' })).toThrow('base64 needs filename');
  });
});

describe('base64', () => {
  const resolve = (args: FileInputArgs, options = AUDIO) => resolveInput(args, fakes().ctx, options);

  it('decodes the bytes and takes the type from the extension', async () => {
    const file = await resolve({ base64: MP3.toString('base64'), filename: 'clip.mp3' });
    expect(Buffer.from(file.bytes).equals(MP3)).toBe(true);
    expect(file).toMatchObject({ kind: 'file', filename: 'clip.mp3', mimeType: 'audio/mpeg', source: 'base64' });
  });

  it('accepts line breaks, the URL-safe alphabet, missing padding and a data: URL (whose type it uses)', async () => {
    const standard = MP3.toString('base64');
    const wrapped = standard.replace(/.{76}/g, '$&\n');
    const urlSafe = MP3.toString('base64url');
    for (const base64 of [wrapped, urlSafe, standard.replace(/=+$/, '')]) {
      const file = await resolve({ base64, filename: 'clip.mp3' });
      expect(Buffer.from(file.bytes).equals(MP3)).toBe(true);
    }
    const fromDataUrl = await resolve({ base64: `data:audio/wav;base64,${standard}`, filename: 'clip' });
    expect(fromDataUrl).toMatchObject({ mimeType: 'audio/wav', filename: 'clip.wav' });
  });

  it.each([
    ['characters outside the alphabet', 'SGVsbG8@d29ybGQ='],
    ['a mixed alphabet', 'ab+c-d__'],
    ['a cut-off string', 'SGVsbG8gd'],
    ['bad padding', 'SGVsbG8=x'],
    ['padding in the middle', 'SGVs=bG8g'],
  ])('refuses %s', async (_what, base64) => {
    const error = await failure(resolve({ base64, filename: 'clip.mp3' }));
    expect(error).toBeInstanceOf(InvalidArgumentsError);
    expect(error.message).toContain('not valid base64');
  });

  it('refuses a data: URL that is not base64, and an empty string', async () => {
    await expect(resolve({ base64: 'data:audio/mpeg,hello', filename: 'a.mp3' })).rejects.toThrow('not base64-encoded');
    await expect(resolve({ base64: ' \n ', filename: 'a.mp3' })).rejects.toThrow(/exactly one of/);
  });

  it("refuses more than the tool's maxBytes, pointing to create_upload_url, before decoding", async () => {
    const error = await failure(resolve({ base64: Buffer.alloc(5000).toString('base64'), filename: 'a.mp3' }));
    expect(error).toBeInstanceOf(InputTooLargeError);
    expect(error.message).toContain('create_upload_url');
  });

  it('never takes more than the inline bound, whatever the tool allows', async () => {
    const huge = { ...AUDIO, maxBytes: 100 * 1024 * 1024 };
    const error = await failure(resolve({ base64: 'A'.repeat(MAX_BASE64_BYTES * 2), filename: 'a.mp3' }, huge));
    expect((error as InputTooLargeError).limitBytes).toBe(MAX_BASE64_BYTES);
  });

  it('uses mime_type over the extension, sniffs content when nothing else tells, asks for mime_type last', async () => {
    await expect(
      resolve({ base64: MP3.toString('base64'), filename: 'clip.bin', mime_type: 'audio/ogg' }),
    ).resolves.toMatchObject({ mimeType: 'audio/ogg' });
    await expect(resolve({ base64: MP3.toString('base64'), filename: 'recording' })).resolves.toMatchObject({
      mimeType: 'audio/mpeg',
      filename: 'recording.mp3',
    });
    await expect(
      resolve({ base64: Buffer.from('plain bytes').toString('base64'), filename: 'recording' }),
    ).rejects.toThrow(/pass mime_type, e\.g\. audio\/mpeg/);
  });

  it('refuses a type the tool does not take, naming the tool and what it takes', async () => {
    const error = await failure(
      resolve({ base64: Buffer.from('%PDF-1.7 ...').toString('base64'), filename: 'notes.pdf' }),
    );
    expect(error.message).toBe('speech_to_text takes audio files or video files; this file is application/pdf.');
  });

  it('strips path parts and quotes from the file name', async () => {
    const file = await resolve({ base64: MP3.toString('base64'), filename: '../../etc/"evil".mp3' });
    expect(file.filename).toBe('evil.mp3');
  });
});

describe('url', () => {
  it("downloads through the context's fetcher with the tool's cap and the request's signal", async () => {
    const f = fakes();
    const file = await resolveInput({ url: ' https://cdn.example.com/talk.mp3 ' }, f.ctx, AUDIO);
    expect(file).toMatchObject({ filename: 'talk.mp3', mimeType: 'audio/mpeg', source: 'url' });
    expect(f.fetched).toEqual([
      { url: 'https://cdn.example.com/talk.mp3', limits: { maxBytes: 4096, signal: f.ctx.signal } },
    ]);
  });

  it('falls back from a generic Content-Type to the file name, then to the content', async () => {
    const named = await resolveInput(
      { url: 'https://x.example/a' },
      fakes({ contentType: 'application/octet-stream', filename: 'a.m4a' }).ctx,
      AUDIO,
    );
    expect(named.mimeType).toBe('audio/mp4');
    const sniffed = await resolveInput(
      { url: 'https://x.example/a' },
      fakes({ contentType: undefined, filename: undefined }).ctx,
      AUDIO,
    );
    expect(sniffed).toMatchObject({ mimeType: 'audio/mpeg', filename: 'input.mp3' });
  });

  it('says so when the link serves a web page instead of the file', async () => {
    const error = await failure(
      resolveInput(
        { url: 'https://x.example/share/123' },
        fakes({ contentType: 'text/html', filename: '123' }).ctx,
        AUDIO,
      ),
    );
    expect(error.message).toContain('The URL served a web page: link the file itself');
  });

  it('only checks the URL, and downloads nothing, when ElevenLabs will fetch it', async () => {
    const f = fakes();
    await expect(resolveInputOrUrl({ url: 'https://x.example/a.mp3' }, f.ctx, AUDIO)).resolves.toEqual({
      kind: 'url',
      url: 'https://x.example/a.mp3',
    });
    expect(f.checked).toEqual(['https://x.example/a.mp3']);
    expect(f.fetched).toEqual([]);
    const inline = await resolveInputOrUrl({ base64: MP3.toString('base64'), filename: 'a.mp3' }, f.ctx, AUDIO);
    expect(inline.kind).toBe('file');
  });
});

describe('audio_id', () => {
  it("reads the caller's stored file with the tool's cap and keeps its stored type", async () => {
    const f = fakes({}, { mimeType: 'video/mp4', filename: 'upload_20261121T160512Z_3f9a1c7e2b4d.mp4' });
    const file = await resolveInput({ audio_id: 'upload_20261121T160512Z_3f9a1c7e2b4d.mp4' }, f.ctx, AUDIO);
    expect(file).toMatchObject({
      mimeType: 'video/mp4',
      source: 'audio_id',
      filename: 'upload_20261121T160512Z_3f9a1c7e2b4d.mp4',
    });
    expect(f.read).toEqual([{ id: 'upload_20261121T160512Z_3f9a1c7e2b4d.mp4', maxBytes: 4096 }]);
  });

  it("passes the store's not-found through unchanged", async () => {
    await expect(resolveInput({ audio_id: 'tts_x' }, fakes().ctx, AUDIO)).rejects.toBeInstanceOf(
      StoredFileNotFoundError,
    );
  });
});

describe('the schema fragment', () => {
  const schema = z.object({ ...audioInputShape }).strict();

  it('describes every field for the model', () => {
    const json = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, { description?: string }> };
    for (const field of ['url', 'audio_id', 'base64', 'filename', 'mime_type'])
      expect(json.properties[field]?.description).toBeTruthy();
    expect(json.properties.base64!.description).toContain('create_upload_url');
  });

  it("bounds base64 so the whole request stays under the Function URL's 6 MB", () => {
    expect(MAX_BASE64_CHARS + 200 * 1024).toBeLessThan(6 * 1000 * 1000);
    expect(schema.safeParse({ base64: 'A'.repeat(MAX_BASE64_CHARS), filename: 'a.mp3' }).success).toBe(true);
    const over = schema.safeParse({ base64: 'A'.repeat(MAX_BASE64_CHARS + 1), filename: 'a.mp3' });
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]?.message).toContain('create_upload_url');
  });

  it('tailors the url description to pass-through tools', () => {
    const shape = fileInputShape({ noun: 'document', passThrough: true });
    expect(shape.url.description).toMatch(/^Public https URL of the document, .*\. ElevenLabs downloads it\./);
    expect(fileInputShape({ noun: 'document' }).url.description).toContain('This server downloads it');
  });
});
