import type { CallToolResult } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { fileInputShape, resolveInputOrUrl } from '../audio/inputs.js';
import { AUDIO_VIDEO_TYPES, SUBTITLES_TYPE, TRANSCRIPT_TYPE } from '../audio/media-types.js';
import { ToolError } from '../errors/index.js';
import { MAX_UPLOAD_BYTES, type SignedFile } from '../storage/file-store.js';
import { COST_NOTE, defineTool, type ToolContext } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { uploadable } from '../toolkit/generated-audio.js';
import { aliasNote, fromAlias, languageCodeField } from '../toolkit/shared-inputs.js';
import { maxCharactersField, pageOf, textPageShape } from '../toolkit/text-pages.js';
import {
  labelSpeakers,
  speakerCount,
  srtOf,
  toTranscriptWord,
  transcriptWordShape,
} from '../toolkit/transcript-format.js';

/** Batch transcription models (scribe_v2_realtime is for streaming only). */
const STT_MODELS = ['scribe_v2', 'scribe_v1'] as const;
/** The official server's model, and the one SDK 2.73's examples use. */
const DEFAULT_STT_MODEL = 'scribe_v2';
/** Word timings beyond this many would crowd the 6 MB response; srt covers long recordings. */
const MAX_WORDS = 20_000;
const input = z
  .object({
    ...fileInputShape({ noun: 'audio or video file', passThrough: true }),
    model_id: z.enum(STT_MODELS).default(DEFAULT_STT_MODEL).describe('scribe_v2 (most accurate) or scribe_v1 (older).'),
    language_code: languageCodeField
      .optional()
      .describe(
        'ISO 639-1 or 639-3 code of the spoken language (en or eng...), if known, for accuracy. Omit to detect it.',
      ),
    diarize: z.boolean().default(false).describe('Label the transcript by speaker (SPEAKER 0: ..., SPEAKER 1: ...).'),
    num_speakers: z
      .number()
      .int()
      .min(1)
      .max(32)
      .optional()
      .describe('Most speakers in the recording, to help diarization. Omit to let the model decide.'),
    timestamps_granularity: z
      .enum(['none', 'word', 'character'])
      .default('word')
      .describe('Timing detail: word, character (also each character) or none.'),
    tag_audio_events: z.boolean().default(true).describe('Mark non-speech sounds, e.g. (laughter).'),
    include_words: z
      .boolean()
      .default(false)
      .describe(
        `Also return each word with start and end seconds and speaker (structuredContent.words; first ${MAX_WORDS} ` +
          `words at most).`,
      ),
    srt: z.boolean().default(false).describe('Also return SRT subtitles (structuredContent.srt).'),
    store_transcript: z
      .boolean()
      .optional()
      .describe(
        'Also store the full transcript (and SRT) and return download links (default false). Always done when longer ' +
          'than max_characters.',
      ),
    save_transcript_to_file: z.boolean().optional().describe(aliasNote('store_transcript')),
    return_transcript_to_client_directly: z
      .boolean()
      .optional()
      .describe(
        'Accepted for official-server prompts; no effect: the transcript (first page when long) always comes back.',
      ),
    max_characters: maxCharactersField.describe(
      'Most characters of transcript (and of SRT) to return inline. A longer one is stored whole and its first page ' +
        'returned; read_transcript reads the rest without transcribing again.',
    ),
  })
  .strict();

const output = z.object({
  text: z
    .string()
    .describe(
      'The transcript, or its first page when it is longer than max_characters; labelled by speaker when diarized.',
    ),
  ...textPageShape,
  language_code: z.string().describe('Language ElevenLabs detected or was told (ISO 639-3, e.g. eng).'),
  language_probability: z.number().describe('Confidence of the language detection, 0 to 1.'),
  speakers: z.number().int().nullable().describe('Distinct speakers found, when diarize was set.'),
  words: z
    .array(transcriptWordShape)
    .nullable()
    .describe('Word timings (spacing left out), when include_words was set.'),
  words_truncated: z
    .boolean()
    .describe(`True when there were more than ${MAX_WORDS} words and only the first ones are in words.`),
  srt: z
    .string()
    .nullable()
    .describe('SRT subtitles, when srt was set and they fit in max_characters (else see srt_id).'),
  transcript_id: z
    .string()
    .nullable()
    .describe(
      'Id of the stored full transcript (text/plain): read_transcript pages through it; get_audio_url re-signs its ' +
        'link.',
    ),
  transcript_url: z.string().nullable().describe('Presigned download URL of the stored transcript.'),
  srt_id: z.string().nullable().describe('Id of the stored SRT file, when stored.'),
  srt_url: z.string().nullable(),
  expires_at: z.string().nullable().describe('When the download URLs stop working (ISO 8601, UTC).'),
  transcription_id: z.string().nullable().describe("ElevenLabs' id of this transcription."),
  audio_duration_secs: z.number().nullable(),
  model_id: z.string(),
  source: z.enum(['url', 'audio_id', 'base64']).describe('How the file came: url is fetched by ElevenLabs itself.'),
});

export default defineTool({
  title: 'Speech to text',
  description:
    'Transcribe speech in an audio or video file (url, audio_id or base64) to text with the detected language; ' +
    'optionally by speaker (diarize), ' +
    'with word timings (include_words) and SRT subtitles (srt). A transcript over max_characters is stored whole; ' +
    'read_transcript reads further pages for free. ' +
    COST_NOTE +
    ' Billed per minute of audio.',
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  groups: ['speech'],
  async handler(args, ctx) {
    const store = fromAlias(args, 'store_transcript', 'save_transcript_to_file') ?? false;
    const file = await resolveInputOrUrl(args, ctx, {
      allowedTypes: AUDIO_VIDEO_TYPES,
      maxBytes: MAX_UPLOAD_BYTES,
      purpose: 'speech_to_text',
    });
    const request = compact({
      modelId: args.model_id,
      // source_url, not cloud_storage_url: SDK 2.73 marks the latter deprecated in favour of it.
      ...(file.kind === 'url' ? { sourceUrl: file.url } : { file: uploadable(file) }),
      languageCode: args.language_code,
      diarize: args.diarize,
      numSpeakers: args.num_speakers,
      timestampsGranularity: args.timestamps_granularity,
      tagAudioEvents: args.tag_audio_events,
      additionalFormats: args.srt ? [{ format: 'srt' as const }] : undefined,
    });
    const result = await ctx.elevenlabs((client) => client.speechToText.convert(request));

    const transcript = args.diarize ? labelSpeakers(result) : result.text;
    const srt = args.srt ? srtOf(result) : null;
    const page = pageOf(transcript, 0, args.max_characters);
    const srtFits = srt !== null && srt.length <= args.max_characters;
    const stored =
      store || page.next_offset !== null || (srt !== null && !srtFits)
        ? await storeTexts(ctx, transcript, srt, { 'model-id': args.model_id, 'language-code': result.languageCode })
        : undefined;

    const words = args.include_words ? result.words.filter((w) => w.type !== 'spacing') : null;
    const speakers = args.diarize ? speakerCount(result) : null;
    const structured = {
      ...page,
      language_code: result.languageCode,
      language_probability: result.languageProbability,
      speakers,
      words: words ? words.slice(0, MAX_WORDS).map(toTranscriptWord) : null,
      words_truncated: (words?.length ?? 0) > MAX_WORDS,
      srt: srtFits ? srt : null,
      transcript_id: stored?.transcript?.audioId ?? null,
      transcript_url: stored?.transcript?.url ?? null,
      srt_id: stored?.srt?.audioId ?? null,
      srt_url: stored?.srt?.url ?? null,
      expires_at: stored?.transcript?.expiresAt ?? null,
      transcription_id: result.transcriptionId ?? null,
      audio_duration_secs: result.audioDurationSecs ?? null,
      model_id: args.model_id,
      source: file.kind === 'url' ? ('url' as const) : file.source,
    };
    return { content: describe(structured, srt, args.srt, stored), structuredContent: structured };
  },
});

interface StoredTexts {
  readonly transcript?: SignedFile;
  readonly srt?: SignedFile;
  /** Why nothing was stored: the transcription is billed already, so the first page still comes back. */
  readonly failure?: string;
}

async function storeTexts(
  ctx: ToolContext,
  transcript: string,
  srt: string | null,
  metadata: Record<string, string>,
): Promise<StoredTexts> {
  const text = (body: string, mimeType: string, extension: string) =>
    ctx.audio().save({ bytes: new TextEncoder().encode(body), mimeType, extension, kind: 'stt', metadata });
  try {
    const [saved, savedSrt] = await Promise.all([
      text(transcript, TRANSCRIPT_TYPE, 'txt'),
      srt === null ? undefined : text(srt, SUBTITLES_TYPE, 'srt'),
    ]);
    return { transcript: saved, ...(savedSrt ? { srt: savedSrt } : {}) };
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    return { failure: 'reason' in error && typeof error.reason === 'string' ? error.reason : error.message };
  }
}

function describe(
  s: z.infer<typeof output>,
  srt: string | null,
  srtRequested: boolean,
  stored: StoredTexts | undefined,
): CallToolResult['content'] {
  const facts = [
    `language ${s.language_code}, ${Math.round(s.language_probability * 100)}% confidence`,
    s.speakers === null ? undefined : `${s.speakers} speaker${s.speakers === 1 ? '' : 's'}`,
    s.audio_duration_secs === null ? undefined : `${s.audio_duration_secs} s of audio`,
    s.next_offset === null
      ? undefined
      : `characters ${s.offset} to ${s.offset + s.text.length} of ${s.total_characters}`,
  ].filter(Boolean);
  const lines = [`Transcript (${facts.join('; ')}):`, s.text];

  if (s.next_offset !== null) {
    lines.push(
      s.transcript_id
        ? `\nMore: the full transcript is stored. Call read_transcript with transcript_id "${s.transcript_id}" and ` +
            `offset ${s.next_offset} for the next page (free; calling speech_to_text again would transcribe and bill ` +
            `again).`
        : `\nThe transcript continues, but it could not be stored (${stored?.failure ?? 'storage failed'}), so only ` +
            `this page is available. Transcribe shorter parts of the recording to get the rest.`,
    );
  }
  if (s.srt !== null) lines.push(`\nSRT subtitles:\n${s.srt}`);
  else if (srt !== null)
    lines.push(
      s.srt_id
        ? `\nThe SRT subtitles are ${srt.length} characters, more than max_characters: stored as srt_id ${s.srt_id}.`
        : '\nThe SRT subtitles did not fit in max_characters and could not be stored.',
    );
  else if (srtRequested) lines.push('\nElevenLabs returned no SRT subtitles for this recording.');
  if (s.words_truncated)
    lines.push(
      `\nOnly the first ${MAX_WORDS} words have timings in structuredContent.words; ask for srt, or transcribe ` +
        `shorter parts, for the rest.`,
    );
  if (stored?.transcript)
    lines.push(
      `\nFull transcript: ${stored.transcript.url}\n(link expires ${stored.transcript.expiresAt}; transcript_id ` +
        `${stored.transcript.audioId})`,
    );
  else if (stored?.failure && s.next_offset === null)
    lines.push(`\nThe transcript could not be stored (${stored.failure}); it is all above.`);

  const content: CallToolResult['content'] = [{ type: 'text', text: lines.join('\n') }];
  for (const file of [stored?.transcript, stored?.srt]) {
    if (file)
      content.push({
        type: 'resource_link',
        uri: file.url,
        name: file.filename,
        mimeType: file.mimeType,
        size: file.bytes,
      });
  }
  return content;
}
