import { randomBytes } from 'node:crypto';

/**
 * The case tables of test/reliability/abuse.test.ts: the tools a made-up key must not get to use storage or
 * downloads through, the upload types refused, and how each accepted type is served.
 */

/** A WAV file the suite's file server answers every path with. */
export const WAV = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x24, 0x40, 0, 0]),
  Buffer.from('WAVEfmt '),
  randomBytes(16_000),
]);

/** What every tool answers a key ElevenLabs rejected. */
export const REJECTED =
  'ElevenLabs rejected the API key: Invalid API key. Check or create a key at ' +
  'https://elevenlabs.io/app/settings/api-keys';

/** Every tool that uses this server's storage or downloads a URL, as a made-up key would call it. */
export const GATED_CALLS: ReadonlyArray<{ tool: string; args: (origin: string) => Record<string, unknown> }> = [
  {
    tool: 'create_upload_url',
    args: () => ({ filename: 'big.mp3', content_type: 'audio/mpeg', bytes: 100 * 1024 * 1024 }),
  },
  { tool: 'list_audio', args: () => ({}) },
  { tool: 'get_audio_url', args: () => ({ audio_id: 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3' }) },
  { tool: 'delete_audio', args: () => ({ audio_id: 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3' }) },
  { tool: 'read_transcript', args: () => ({ transcript_id: 'stt_20261121T160512Z_3f9a1c7e2b4d.txt' }) },
  {
    tool: 'voice_clone',
    args: (origin) => ({
      name: 'Flood',
      files: Array.from({ length: 25 }, (_, i) => ({ url: `${origin}/sample-${i}.wav` })),
    }),
  },
  { tool: 'speech_to_speech', args: (origin) => ({ url: `${origin}/talk.wav` }) },
  { tool: 'isolate_audio', args: (origin) => ({ url: `${origin}/noisy.wav` }) },
];

/** Content types create_upload_url refuses to sign: what a browser would run or render as a page. */
export const REFUSED_UPLOAD_TYPES = [
  'text/html',
  'image/svg+xml',
  'application/xml',
  'text/xml',
  'application/xhtml+xml',
  'text/javascript',
  'application/javascript',
  'application/x-sh',
  'image/png',
  'audio/x-whatever+xml',
];

/** Uploads as [content type, filename, Content-Type served, Content-Disposition served]. */
export const SERVED_UPLOADS: ReadonlyArray<[string, string, string, RegExp]> = [
  ['audio/mpeg', 'song.mp3', 'audio/mpeg', /^inline; filename="\d{13}_upload_\w+\.mp3"$/],
  ['audio/wav', 'voice.wav', 'audio/wav', /^inline; filename="\d{13}_upload_\w+\.wav"$/],
  ['video/mp4', 'clip.mp4', 'video/mp4', /^inline; filename="\d{13}_upload_\w+\.mp4"$/],
  ['application/pdf', 'manual.pdf', 'application/pdf', /^attachment; filename="\d{13}_upload_\w+\.pdf"$/],
  ['text/plain', 'notes.txt', 'text/plain; charset=utf-8', /^attachment; filename="\d{13}_upload_\w+\.txt"$/],
  ['text/markdown', 'notes.md', 'text/plain; charset=utf-8', /^attachment; filename="\d{13}_upload_\w+\.md"$/],
  ['application/epub+zip', 'book.epub', 'application/epub+zip', /^attachment; filename="\d{13}_upload_\w+\.epub"$/],
];
