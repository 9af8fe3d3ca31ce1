import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { dataResult } from '../toolkit/results.js';
import { agentIdField } from '../toolkit/shared-inputs.js';

const input = z
  .object({
    provider: z
      .enum(['twilio', 'sip_trunk', 'exotel'])
      .optional()
      .describe('Only numbers from this telephony provider.'),
    agent_id: agentIdField.optional().describe('Only numbers assigned to this agent.'),
    page_size: z.number().int().min(1).max(100).default(50).describe('Numbers per page.'),
    offset: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('How many numbers to skip: pass next_offset from a previous result to continue.'),
  })
  .strict();

const phoneNumberShape = z.object({
  phone_number_id: z.string().describe('Pass as agent_phone_number_id to make_outbound_call.'),
  phone_number: z.string(),
  provider: z.string().describe('twilio, sip_trunk or exotel.'),
  label: z.string(),
  assigned_agent: z
    .object({ agent_id: z.string(), agent_name: z.string() })
    .nullable()
    .describe('The agent that answers calls to this number.'),
  supports_outbound: z.boolean().nullable(),
  supports_inbound: z.boolean().nullable(),
});

const output = z.object({
  phone_numbers: z.array(phoneNumberShape),
  total: z.number().int().describe('Numbers matching the filters.'),
  next_offset: z.number().int().nullable().describe('Pass as offset for the next page; null on the last page.'),
});

type PhoneNumberSummary = z.infer<typeof phoneNumberShape>;

export default defineTool({
  title: 'List agent phone numbers',
  description:
    "List the phone numbers imported into the caller's ElevenLabs agents platform: number, phone_number_id, provider " +
    '(Twilio, SIP trunk, Exotel), label and assigned agent. ' +
    'make_outbound_call needs a phone_number_id from here. Free.',
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: true },
  groups: ['agents'],
  async handler(args, ctx) {
    const all = await ctx.elevenlabs((client) =>
      client.conversationalAi.phoneNumbers.list(compact({ provider: args.provider, agentId: args.agent_id })),
    );
    const numbers = all.map(toPhoneNumberSummary);
    const shown = numbers.slice(args.offset, args.offset + args.page_size);
    const end = args.offset + shown.length;
    const nextOffset = end < numbers.length ? end : null;
    const lines = shown.map(
      (n) =>
        `- ${n.phone_number} (${n.phone_number_id}), ${n.provider}, label "${n.label}", agent ` +
        `${n.assigned_agent ? `${n.assigned_agent.agent_name} (${n.assigned_agent.agent_id})` : 'none'}` +
        (n.supports_outbound === false ? ', inbound only' : ''),
    );
    const more = nextOffset === null ? '' : `\nmore: call again with offset ${nextOffset}`;
    const text = shown.length
      ? `Phone numbers ${args.offset + 1}-${end} of ${numbers.length}:\n${lines.join('\n')}${more}`
      : numbers.length
        ? `No phone numbers past offset ${args.offset}; there are ${numbers.length}.`
        : 'No phone numbers match. Import one (Twilio or SIP trunk) in the ElevenLabs dashboard under Agents > Phone ' +
          'numbers.';
    return dataResult(text, { phone_numbers: shown, total: numbers.length, next_offset: nextOffset });
  },
});

function toPhoneNumberSummary(phone: ElevenLabs.conversationalAi.PhoneNumbersListResponseItem): PhoneNumberSummary {
  return {
    phone_number_id: phone.phoneNumberId,
    phone_number: phone.phoneNumber,
    provider: phone.provider,
    label: phone.label,
    assigned_agent: phone.assignedAgent
      ? { agent_id: phone.assignedAgent.agentId, agent_name: phone.assignedAgent.agentName }
      : null,
    supports_outbound: phone.supportsOutbound ?? null,
    supports_inbound: phone.supportsInbound ?? null,
  };
}
