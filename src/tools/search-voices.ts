import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { dataResult } from '../toolkit/results.js';
import { searchTextField } from '../toolkit/shared-inputs.js';
import { voiceSummaryShape, toVoiceSummary, voiceLine } from '../toolkit/voice-summary.js';

const input = z
  .object({
    search: searchTextField
      .optional()
      .describe('Filter by text in name, description, labels and category. Omit to list all voices.'),
    sort: z
      .enum(['name', 'created_at_unix'])
      .default('name')
      .describe('Field to sort by. created_at_unix may be missing for older voices.'),
    sort_direction: z.enum(['asc', 'desc']).default('desc').describe('Sort order.'),
    page_size: z.number().int().min(1).max(100).default(10).describe('Voices per page.'),
    next_page_token: z
      .string()
      .max(1000)
      .optional()
      .describe("From a previous result's next_page_token, to get the following page."),
  })
  .strict();

const output = z.object({
  voices: z.array(z.object(voiceSummaryShape)),
  total_count: z.number().int(),
  has_more: z.boolean(),
  next_page_token: z
    .string()
    .nullable()
    .describe('Pass back as next_page_token for the next page; null on the last page.'),
});

export default defineTool({
  title: 'Search my voices',
  description:
    "Search the voices in the caller's ElevenLabs library (their own, cloned, designed and added voices, and the " +
    'premade ones) by name, description, labels or category. Returns voice ids for text_to_speech. Free.',
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: true },
  groups: ['voices'],
  async handler(args, ctx) {
    const page = await ctx.elevenlabs((client) =>
      client.voices.search(
        compact({
          search: args.search || undefined,
          sort: args.sort,
          sortDirection: args.sort_direction,
          pageSize: args.page_size,
          nextPageToken: args.next_page_token,
          includeTotalCount: true,
        }),
      ),
    );
    const voices = page.voices.map(toVoiceSummary);
    const more =
      page.hasMore && page.nextPageToken
        ? `\nMore voices: call again with next_page_token "${page.nextPageToken}".`
        : '';
    const text = voices.length
      ? `${voices.length} of ${page.totalCount} ` +
        `voices${args.search ? ` matching "${args.search}"` : ''}:\n${voices.map(voiceLine).join('\n')}${more}`
      : `No voices${args.search ? ` match "${args.search}"` : ' in this library'}. search_voice_library searches the ` +
        `shared library.`;
    return dataResult(text, {
      voices,
      total_count: page.totalCount,
      has_more: page.hasMore,
      next_page_token: page.hasMore ? (page.nextPageToken ?? null) : null,
    });
  },
});
