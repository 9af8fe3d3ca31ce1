import { z } from 'zod';
import { isTypeAllowed } from '../audio/media-types.js';
import { InvalidArgumentsError } from '../errors/index.js';
import { defineTool } from '../toolkit/define-tool.js';
import { storedFileIdField } from '../toolkit/shared-inputs.js';
import { dataResult } from '../toolkit/results.js';
import { SUBTITLES_TYPE, TRANSCRIPT_TYPE } from '../audio/media-types.js';
import { maxCharactersField, pageOf, textPageShape } from '../toolkit/text-pages.js';

/** Far above any transcript speech_to_text stores; a bound on what one call reads into memory. */
const MAX_TEXT_BYTES = 50 * 1024 * 1024;

const input = z
  .object({
    transcript_id: storedFileIdField.describe(
      'The transcript_id (or srt_id) speech_to_text returned, e.g. stt_20261121T160512Z_3f9a1c7e2b4d.txt.',
    ),
    offset: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe("Character to start at: the previous page's next_offset (0: the start)."),
    max_characters: maxCharactersField,
  })
  .strict();

const output = z.object({
  transcript_id: z.string(),
  text: z.string().describe('This page of the stored text.'),
  ...textPageShape,
});

export default defineTool({
  title: 'Read a stored transcript',
  description:
    'Read a page, from a character offset, of a transcript (or SRT) speech_to_text stored: the rest of a long ' +
    'transcript without transcribing again. ' +
    'Only files of the same API key. Free: it does not call ElevenLabs.',
  input,
  output,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  groups: ['speech'],
  async handler(args, ctx) {
    const file = await ctx.audio().read(args.transcript_id, MAX_TEXT_BYTES);
    if (!isTypeAllowed(file.mimeType, [TRANSCRIPT_TYPE, SUBTITLES_TYPE])) {
      throw new InvalidArgumentsError(
        `${file.audioId} is not a transcript but ${file.mimeType}; pass the transcript_id or srt_id speech_to_text ` +
          `returned.`,
      );
    }
    const page = pageOf(Buffer.from(file.bytes).toString('utf8'), args.offset, args.max_characters);
    const end = page.offset + page.text.length;
    const more =
      page.next_offset === null
        ? 'This is the end of the text.'
        : `More: call read_transcript with transcript_id "${file.audioId}" and offset ${page.next_offset}.`;
    return dataResult(
      `${file.audioId}, characters ${page.offset} to ${end} of ${page.total_characters}:\n${page.text}\n\n${more}`,
      {
        transcript_id: file.audioId,
        ...page,
      },
    );
  },
});
