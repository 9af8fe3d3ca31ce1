import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { z } from 'zod';

/** How a voice appears in lists: enough to choose one, nothing bulky (no samples). */
export const voiceSummaryShape = {
  voice_id: z.string(),
  name: z.string().nullable(),
  category: z.string().nullable().describe('premade, cloned, generated, professional...'),
  description: z.string().nullable(),
  labels: z.record(z.string(), z.string()).describe('Accent, age, gender, use case...'),
  preview_url: z.string().nullable().describe('A short public sample of the voice.'),
};

export type VoiceSummary = z.infer<z.ZodObject<typeof voiceSummaryShape>>;

export function toVoiceSummary(voice: ElevenLabs.Voice): VoiceSummary {
  return {
    voice_id: voice.voiceId,
    name: voice.name ?? null,
    category: voice.category ?? null,
    description: voice.description ?? null,
    labels: voice.labels ?? {},
    preview_url: voice.previewUrl ?? null,
  };
}

export function voiceLine(voice: VoiceSummary): string {
  const labels = Object.values(voice.labels).filter(Boolean).join(', ');
  return (
    `- ${voice.name ?? '(unnamed)'} ` +
    `(${voice.voice_id})${voice.category ? ` [${voice.category}]` : ''}${labels ? `: ${labels}` : ''}`
  );
}
