import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scriptRecording, srtTime, type Utterance } from '../../src/local/fake-elevenlabs/fake-routes/speech.js';
import { textOf } from '../support/harness.js';
import {
  bucketless,
  callTool,
  DEFAULT_TRANSCRIPT,
  download,
  freshKey,
  RECORDING,
  upload,
  useSpeechStack,
} from '../support/speech-tools.js';
import { stack } from '../support/suite-stack.js';

/**
 * Transcripts that speech_to_text stores (a long one with its SRT, a short one on request, none without a
 * bucket) and read_transcript, which pages through them for free and only for the key that stored them,
 * through the real handler and the real SDK, against the fake ElevenLabs API and s3rver.
 */

useSpeechStack();

describe('stored transcripts: speech_to_text and read_transcript', () => {
  const STT = /^\/v1\/speech-to-text$/;

  it(
    'stores a long transcript and its SRT whole, returns the first page, and read_transcript pages through the rest ' +
      'for free',
    async () => {
      const key = freshKey();
      const long = Buffer.concat([RECORDING.subarray(0, 100), randomBytes(64)]);
      const script: Utterance[] = Array.from({ length: 40 }, (_, i) => ({
        speaker: `speaker_${i % 2}`,
        text: `Line ${i} of a long conversation, with enough words in it to fill the page quickly.`,
      }));
      scriptRecording(stack.fake, long, script);
      const full = script.map((u) => u.text).join(' ');
      const result = await callTool(
        stack.handler,
        'speech_to_text',
        { base64: long.toString('base64'), filename: 'long.mp3', max_characters: 1000, srt: true },
        key,
      );
      expect(result.isError).toBeFalsy();
      const s = result.structuredContent;

      expect(s.total_characters).toBe(full.length);
      expect(s.offset).toBe(0);
      expect(s.text.length).toBeLessThanOrEqual(1000);
      expect(s.text.length).toBeGreaterThan(900);
      expect(full.startsWith(s.text)).toBe(true);
      expect(s.next_offset).toBe(s.text.length);
      expect(s.transcript_id).toMatch(/^\d{13}_stt_[0-9a-f]{12}\.txt$/);
      expect(s.srt).toBeNull();
      expect(s.srt_id).toMatch(/^\d{13}_stt_[0-9a-f]{12}\.srt$/);
      expect(textOf(result)).toContain(
        `Call read_transcript with transcript_id "${s.transcript_id}" and offset ${s.next_offset}`,
      );
      expect(textOf(result)).toContain('calling speech_to_text again would transcribe and bill again');

      const stored = await download(s.transcript_url);
      expect(stored.type).toBe('text/plain; charset=utf-8');
      expect(stored.bytes.toString('utf8')).toBe(full);
      const subtitles = await download(s.srt_url);
      expect(subtitles.type).toBe('application/x-subrip');
      const cues = subtitles.bytes.toString('utf8').trimEnd().split('\n\n');
      expect(cues).toHaveLength(40);
      expect(cues[0]).toBe(`1\n${srtTime(0)} --> ${srtTime(7.9)}\n${script[0]!.text}`);

      let text = s.text;
      let offset: number | null = s.next_offset;
      for (let pages = 0; offset !== null && pages < 10; pages++) {
        const page = await callTool(
          stack.handler,
          'read_transcript',
          { transcript_id: s.transcript_id, offset, max_characters: 1000 },
          key,
        );
        expect(page.isError).toBeFalsy();
        expect(page.structuredContent).toMatchObject({
          transcript_id: s.transcript_id,
          offset,
          total_characters: full.length,
        });
        text += page.structuredContent.text;
        offset = page.structuredContent.next_offset;
      }
      expect(offset).toBeNull();
      expect(text).toBe(full);
      expect(stack.fake.requestsTo(STT)).toHaveLength(1);
    },
  );

  it('stores a short transcript when asked, and still answers in full when storage is not configured', async () => {
    const key = freshKey();
    const result = await callTool(
      stack.handler,
      'speech_to_text',
      { base64: RECORDING.toString('base64'), filename: 'memo.mp3', store_transcript: true, srt: true },
      key,
    );
    const s = result.structuredContent;
    expect(s.text).toBe(DEFAULT_TRANSCRIPT);
    expect(s.next_offset).toBeNull();
    expect((await download(s.transcript_url)).bytes.toString('utf8')).toBe(DEFAULT_TRANSCRIPT);
    expect((await download(s.srt_url)).bytes.toString('utf8')).toBe(s.srt);
    expect(
      result.content.filter((c: { type: string }) => c.type === 'resource_link').map((c: { uri: string }) => c.uri),
    ).toEqual([s.transcript_url, s.srt_url]);

    const noBucket = await callTool(
      bucketless,
      'speech_to_text',
      { base64: RECORDING.toString('base64'), filename: 'memo.mp3', store_transcript: true },
      key,
    );
    expect(noBucket.isError).toBeFalsy();
    expect(noBucket.structuredContent).toMatchObject({
      text: DEFAULT_TRANSCRIPT,
      transcript_id: null,
      transcript_url: null,
    });
    expect(textOf(noBucket)).toContain('The transcript could not be stored');
  });

  it('read_transcript reads only text stored for the same key', async () => {
    const key = freshKey();
    const stored = (
      await callTool(
        stack.handler,
        'speech_to_text',
        { base64: RECORDING.toString('base64'), filename: 'memo.mp3', store_transcript: true },
        key,
      )
    ).structuredContent;
    const whole = await callTool(stack.handler, 'read_transcript', { transcript_id: stored.transcript_id }, key);
    expect(whole.structuredContent).toEqual({
      transcript_id: stored.transcript_id,
      text: DEFAULT_TRANSCRIPT,
      offset: 0,
      next_offset: null,
      total_characters: DEFAULT_TRANSCRIPT.length,
    });
    expect(textOf(whole)).toContain('This is the end of the text.');

    const other = await callTool(stack.handler, 'read_transcript', { transcript_id: stored.transcript_id }, freshKey());
    expect(other.isError).toBe(true);
    expect(textOf(other)).toContain('No stored file with audio_id');

    const audioId = await upload(key, RECORDING, 'talk.mp3', 'audio/mpeg');
    const audio = await callTool(stack.handler, 'read_transcript', { transcript_id: audioId }, key);
    expect(textOf(audio)).toContain(`${audioId} is not a transcript but audio/mpeg`);
    const past = await callTool(
      stack.handler,
      'read_transcript',
      { transcript_id: stored.transcript_id, offset: 10_000 },
      key,
    );
    expect(textOf(past)).toContain(
      `offset 10000 is past the end of the text, which has ${DEFAULT_TRANSCRIPT.length} characters`,
    );
  });
});
