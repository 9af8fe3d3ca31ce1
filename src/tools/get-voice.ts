import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { dataResult } from '../toolkit/results.js';
import { voiceIdField } from '../toolkit/shared-inputs.js';
import { toVoiceSummary, voiceLine, voiceSummaryShape } from '../toolkit/voice-summary.js';

const input = z
  .object({
    voice_id: voiceIdField.describe('The voice to describe, e.g. from search_voices.'),
  })
  .strict();

const output = z.object({
  ...voiceSummaryShape,
  settings: z
    .object({
      stability: z.number().nullable(),
      similarity_boost: z.number().nullable(),
      style: z.number().nullable(),
      use_speaker_boost: z.boolean().nullable(),
      speed: z.number().nullable(),
    })
    .nullable()
    .describe("The voice's stored default settings."),
  fine_tuning_state: z.record(z.string(), z.string()).describe('Professional fine-tuning state per model, when any.'),
  verified_languages: z.array(z.string()).describe('Languages ElevenLabs verified this voice for.'),
});

export default defineTool({
  title: 'Get voice details',
  description:
    'Get the details of one voice by voice_id: name, category, labels, description, preview URL, default settings ' +
    'and fine-tuning state. Free.',
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: true },
  groups: ['voices'],
  async handler(args, ctx) {
    const voice = await ctx.elevenlabs((client) => client.voices.get(args.voice_id), { voiceId: args.voice_id });
    const summary = toVoiceSummary(voice);
    const settings = voice.settings
      ? {
          stability: voice.settings.stability ?? null,
          similarity_boost: voice.settings.similarityBoost ?? null,
          style: voice.settings.style ?? null,
          use_speaker_boost: voice.settings.useSpeakerBoost ?? null,
          speed: voice.settings.speed ?? null,
        }
      : null;
    const fineTuning = Object.fromEntries(
      Object.entries(voice.fineTuning?.state ?? {}).flatMap(([model, state]) =>
        state ? [[model, String(state)]] : [],
      ),
    );
    const languages = (voice.verifiedLanguages ?? []).map((l) => [l.language, l.accent].filter(Boolean).join(' '));
    const lines = [
      voiceLine(summary).slice(2),
      summary.description ? `Description: ${summary.description}` : undefined,
      settings
        ? `Default settings: stability ${settings.stability}, similarity_boost ${settings.similarity_boost}, style ` +
          `${settings.style}, speed ${settings.speed}`
        : undefined,
      languages.length ? `Verified languages: ${languages.join(', ')}` : undefined,
      Object.keys(fineTuning).length
        ? `Fine-tuning: ${Object.entries(fineTuning)
            .map(([m, s]) => `${m} ${s}`)
            .join(', ')}`
        : undefined,
      summary.preview_url ? `Preview: ${summary.preview_url}` : undefined,
    ].filter(Boolean);
    return dataResult(lines.join('\n'), {
      ...summary,
      settings,
      fine_tuning_state: fineTuning,
      verified_languages: languages,
    });
  },
});
