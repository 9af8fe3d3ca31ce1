import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { dataResult } from '../toolkit/results.js';
import { languageCodeField, searchTextField } from '../toolkit/shared-inputs.js';

const filterWord = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z _-]{0,49}$/, 'must be a word such as british or middle_aged');

const input = z
  .object({
    page: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(0)
      .describe("Page to return, counting from 0; pass a result's next_page for the following one."),
    page_size: z.number().int().min(1).max(100).default(10).describe('Voices per page.'),
    search: searchTextField
      .optional()
      .describe('Words to look for in the voices\' names, descriptions and labels, e.g. "deep narrator" or "pirate".'),
    category: z
      .enum(['professional', 'famous', 'high_quality'])
      .optional()
      .describe(
        'professional: cloned professionally by their owners; high_quality: curated high-quality voices; famous: ' +
          'iconic voices.',
      ),
    gender: filterWord.optional().describe('male, female or neutral.'),
    age: filterWord.optional().describe('young, middle_aged or old.'),
    accent: filterWord
      .optional()
      .describe('An accent, lower case, e.g. american, british, australian, indian, irish, scottish.'),
    language: languageCodeField
      .optional()
      .describe('ISO 639-1 code of the language the voice speaks, e.g. en, es, de, ja.'),
    use_cases: z
      .array(filterWord)
      .max(10)
      .optional()
      .describe(
        'Use cases, any of: narrative_story, conversational, characters_animation, social_media, entertainment_tv, ' +
          'advertisement, informative_educational.',
      ),
    featured: z.boolean().optional().describe('true for the voices ElevenLabs features.'),
    sort: z
      .enum(['trending', 'created_date', 'usage_character_count_1y', 'cloned_by_count'])
      .optional()
      .describe(
        'Order: trending, created_date (newest first), usage_character_count_1y (most used) or cloned_by_count (most ' +
          "added). ElevenLabs' default otherwise.",
      ),
  })
  .strict();

const libraryVoiceShape = z.object({
  voice_id: z.string(),
  public_owner_id: z.string().describe('Pass it with voice_id to add_shared_voice.'),
  name: z.string(),
  category: z.string(),
  gender: z.string().nullable(),
  age: z.string().nullable(),
  accent: z.string().nullable(),
  use_case: z.string().nullable(),
  descriptive: z.string().nullable().describe('A word for its character, e.g. calm, deep, husky.'),
  languages: z.array(z.string()).describe('Languages it speaks (with accents), its main language first.'),
  description: z.string().nullable().describe("The owner's description, cut at 300 characters."),
  preview_url: z.string().nullable().describe('A short public sample to listen to.'),
  cloned_by_count: z.number().describe('How many users added it.'),
  rate: z.number().nullable().describe('Credit cost multiplier its owner set, when it has one.'),
  is_added_by_user: z.boolean().nullable().describe('Whether the caller already added it to their voices.'),
});

const output = z.object({
  voices: z.array(libraryVoiceShape),
  page: z.number().int(),
  has_more: z.boolean(),
  next_page: z.number().int().nullable().describe('Pass as page for the next page; null on the last page.'),
});

type LibraryVoice = z.infer<typeof libraryVoiceShape>;

export default defineTool({
  title: 'Search the voice library',
  description:
    "Search ElevenLabs' shared library of community and professional voices by words and filters; paginated. Returns " +
    'voice_id, public_owner_id, labels, languages, preview URL. ' +
    'To speak with one, add it with add_shared_voice, then use the voice_id it returns. search_voices searches the ' +
    "caller's own voices. Free.",
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: true },
  groups: ['voices'],
  async handler(args, ctx) {
    const response = await ctx.elevenlabs((client) =>
      client.voices.getShared(
        compact({
          page: args.page,
          pageSize: args.page_size,
          search: args.search || undefined,
          category: args.category,
          gender: args.gender?.toLowerCase(),
          age: args.age?.toLowerCase(),
          accent: args.accent?.toLowerCase(),
          language: args.language?.toLowerCase(),
          useCases: args.use_cases?.length ? args.use_cases : undefined,
          featured: args.featured,
          sort: args.sort,
        }),
      ),
    );
    const voices = response.voices.map(toLibraryVoice);
    const nextPage = response.hasMore ? args.page + 1 : null;
    const more = nextPage === null ? '' : `\nMore voices: call again with page ${nextPage}.`;
    const text = voices.length
      ? `${voices.length} shared voices (page ${args.page}). To use one, add it with add_shared_voice ` +
        `(public_owner_id and voice_id).\n${voices.map(libraryLine).join('\n')}${more}`
      : `No shared voices match${args.page > 0 ? ` on page ${args.page}` : ''}. Try fewer filters or other words.`;
    return dataResult(text, { voices, page: args.page, has_more: response.hasMore, next_page: nextPage });
  },
});

function toLibraryVoice(voice: ElevenLabs.LibraryVoiceResponse): LibraryVoice {
  const languages = (voice.verifiedLanguages ?? []).map((l) => (l.accent ? `${l.language} (${l.accent})` : l.language));
  if (voice.language && !voice.verifiedLanguages?.some((l) => l.language === voice.language))
    languages.unshift(voice.language);
  return {
    voice_id: voice.voiceId,
    public_owner_id: voice.publicOwnerId,
    name: voice.name,
    category: voice.category,
    gender: voice.gender || null,
    age: voice.age || null,
    accent: voice.accent || null,
    use_case: voice.useCase || null,
    descriptive: voice.descriptive || null,
    languages: [...new Set(languages)],
    description: voice.description ? cut(voice.description, 300) : null,
    preview_url: voice.previewUrl ?? null,
    cloned_by_count: voice.clonedByCount,
    rate: voice.rate ?? null,
    is_added_by_user: voice.isAddedByUser ?? null,
  };
}

function libraryLine(voice: LibraryVoice): string {
  const traits = [voice.gender, voice.age, voice.accent, voice.descriptive, voice.use_case].filter(Boolean).join(', ');
  return [
    `- ${voice.name} (voice_id ${voice.voice_id}, public_owner_id ${voice.public_owner_id}) ` +
      `[${voice.category}]${traits ? `: ${traits}` : ''}`,
    voice.languages.length ? `  Languages: ${voice.languages.join(', ')}` : undefined,
    voice.description ? `  ${cut(voice.description, 160)}` : undefined,
    voice.preview_url ? `  Preview: ${voice.preview_url}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
}

function cut(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 3)}...` : oneLine;
}
