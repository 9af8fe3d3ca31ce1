import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { PLAYER_TOOL_META } from '../ui/player-meta.js';
import { formatBytes } from '../bytes.js';
import { dataResult } from '../toolkit/results.js';

const input = z
  .object({
    limit: z.number().int().min(1).max(100).default(20).describe('Files to return.'),
    continuation_token: z
      .string()
      .trim()
      .min(1)
      .max(512)
      .optional()
      .describe(
        'The next_continuation_token of the previous page, to get the page after it. Omit it to start from the ' +
          'newest file.',
      ),
  })
  .strict();

const item = z.object({
  audio_id: z
    .string()
    .describe(
      'Pass it to get_audio_url for a download link, to delete_audio, or as audio_id to tools that take a file.',
    ),
  key: z.string(),
  kind: z.string().describe('What made it: tts (text_to_speech), upload (create_upload_url), ...'),
  bytes: z.number().int().nonnegative(),
  mime_type: z.string().describe("Media type, from the file's extension."),
  last_modified: z.string().describe('When it was stored (ISO 8601, UTC).'),
});

const output = z.object({
  items: z.array(item).describe('Newest first.'),
  count: z.number().int().describe('Files on this page.'),
  total: z.number().int().describe('Files counted: all of them on a single page; with more pages, a lower bound.'),
  complete: z
    .boolean()
    .describe('False when there are so many files that only the first 5000 by name were considered.'),
  next_continuation_token: z
    .string()
    .nullable()
    .describe('Pass it as continuation_token for the next page; null on the last page.'),
});

export default defineTool({
  title: 'List stored audio and uploads',
  description:
    'List the files stored for your API key (generated audio and uploads), newest first, with audio_id, size, type ' +
    'and time. ' +
    'It returns no links: get_audio_url signs a download link for one. Paginated with continuation_token. Free: it ' +
    'does not call ElevenLabs.',
  input,
  output,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  groups: ['audio'],
  // The player lists the files and plays one on demand (it asks get_audio_url for the link).
  meta: PLAYER_TOOL_META,
  async handler(args, ctx) {
    const page = await ctx.audio().list({ limit: args.limit, cursor: args.continuation_token });
    const lines = page.items.map((o) => `- ${o.audioId} (${o.mimeType}, ${formatBytes(o.bytes)}, ${o.lastModified})`);
    const heading =
      page.items.length === 0
        ? args.continuation_token
          ? 'No more stored files.'
          : 'No files are stored for this API key.'
        : page.nextCursor === undefined && !args.continuation_token
          ? `${page.items.length} of ${page.total} stored files, newest first:`
          : `${page.items.length} stored files, newest first${args.continuation_token ? ' (a later page)' : ''}:`;
    const more = page.nextCursor ? `\nMore: call list_audio with continuation_token "${page.nextCursor}".` : '';
    const partial = page.complete
      ? ''
      : '\nThere are more than 5000 files; only the first 5000 by name were considered.';
    return dataResult([heading, ...lines].join('\n') + more + partial, {
      items: page.items.map((o) => ({
        audio_id: o.audioId,
        key: o.key,
        kind: o.kind,
        bytes: o.bytes,
        mime_type: o.mimeType,
        last_modified: o.lastModified,
      })),
      count: page.items.length,
      total: page.total,
      complete: page.complete,
      next_continuation_token: page.nextCursor ?? null,
    });
  },
});
