import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { dataResult } from '../toolkit/results.js';

const input = z.object({}).strict();

const output = z.object({
  models: z.array(
    z.object({
      model_id: z.string(),
      name: z.string().nullable(),
      description: z.string().nullable(),
      can_do_text_to_speech: z.boolean(),
      can_do_voice_conversion: z.boolean(),
      max_characters_per_request: z.number().int().nullable(),
      languages: z.array(z.object({ language_id: z.string(), name: z.string() })),
    }),
  ),
});

export default defineTool({
  title: 'List models',
  description:
    'List the ElevenLabs models this account can use, with their languages and per-request character limits. Free.',
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: true },
  groups: ['tts', 'speech'],
  async handler(_args, ctx) {
    const models = await ctx.models();
    const lines = models.map((m) => {
      const limit = m.maxCharacters ? `, up to ${m.maxCharacters} characters per request` : '';
      const abilities = [m.canDoTextToSpeech ? 'speech' : '', m.canDoVoiceConversion ? 'voice changer' : '']
        .filter(Boolean)
        .join(' + ');
      return (
        `- ${m.modelId}${m.name ? ` (${m.name})` : ''}: ${abilities || 'other'}, ${m.languages.length} ` +
        `languages${limit}`
      );
    });
    return dataResult(
      lines.length ? `${lines.length} models:\n${lines.join('\n')}` : 'No models are available to this account.',
      {
        models: models.map((m) => ({
          model_id: m.modelId,
          name: m.name ?? null,
          description: m.description ?? null,
          can_do_text_to_speech: m.canDoTextToSpeech,
          can_do_voice_conversion: m.canDoVoiceConversion,
          max_characters_per_request: m.maxCharacters ?? null,
          languages: m.languages.map((l) => ({ language_id: l.languageId, name: l.name })),
        })),
      },
    );
  },
});
