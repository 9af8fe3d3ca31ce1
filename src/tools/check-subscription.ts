import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { dataResult } from '../toolkit/results.js';

const input = z.object({}).strict();

const output = z.object({
  tier: z.string(),
  status: z.string(),
  character_count: z.number().describe('Credits used in the current period.'),
  character_limit: z.number().describe('Credits included in the current period.'),
  characters_remaining: z.number(),
  next_reset_at: z.string().nullable().describe('When the count resets (ISO 8601, UTC).'),
  voice_slots_used: z.number(),
  voice_limit: z.number(),
  professional_voice_limit: z.number(),
  can_use_instant_voice_cloning: z.boolean(),
  can_use_professional_voice_cloning: z.boolean(),
  billing_period: z.string().nullable(),
});

export default defineTool({
  title: 'Check subscription',
  description:
    "Show the caller's ElevenLabs plan and usage: tier, credits used and remaining in this period, when they reset, " +
    'and voice slots. Use it to see whether a paid call will fit. Free.',
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: true },
  groups: ['account'],
  async handler(_args, ctx) {
    const s = await ctx.elevenlabs((client) => client.user.subscription.get());
    const remaining = Math.max(0, s.characterLimit - s.characterCount);
    const resetAt = s.nextCharacterCountResetUnix ? new Date(s.nextCharacterCountResetUnix * 1000).toISOString() : null;
    const used = s.characterLimit > 0 ? ` (${Math.round((s.characterCount / s.characterLimit) * 100)}% used)` : '';
    const text =
      `Plan: ${s.tier} (${s.status}). Credits: ${s.characterCount} of ${s.characterLimit} used${used}, ${remaining} ` +
      `remaining` +
      `${resetAt ? `; resets ${resetAt}` : ''}. Voice slots: ${s.voiceSlotsUsed} of ${s.voiceLimit}. ` +
      `Instant cloning: ${s.canUseInstantVoiceCloning ? 'yes' : 'no'}; professional cloning: ` +
      `${s.canUseProfessionalVoiceCloning ? 'yes' : 'no'}.`;
    return dataResult(text, {
      tier: s.tier,
      status: String(s.status),
      character_count: s.characterCount,
      character_limit: s.characterLimit,
      characters_remaining: remaining,
      next_reset_at: resetAt,
      voice_slots_used: s.voiceSlotsUsed,
      voice_limit: s.voiceLimit,
      professional_voice_limit: s.professionalVoiceLimit,
      can_use_instant_voice_cloning: s.canUseInstantVoiceCloning,
      can_use_professional_voice_cloning: s.canUseProfessionalVoiceCloning,
      billing_period: s.billingPeriod ? String(s.billingPeriod) : null,
    });
  },
});
