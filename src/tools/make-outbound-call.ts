import { z } from 'zod';
import { InvalidArgumentsError, NotFoundError } from '../errors/index.js';
import { COST_NOTE, defineTool } from '../toolkit/define-tool.js';
import { dataResult } from '../toolkit/results.js';
import { agentIdField, phoneNumberIdField } from '../toolkit/shared-inputs.js';

const PROVIDER_NAMES = { twilio: 'Twilio', sip_trunk: 'SIP trunk', exotel: 'Exotel' } as const;

const input = z
  .object({
    agent_id: agentIdField.describe('The agent that talks on the call.'),
    agent_phone_number_id: phoneNumberIdField.describe(
      'The number to call from: a phone_number_id from list_phone_numbers.',
    ),
    to_number: z
      .string()
      .trim()
      .regex(
        /^\+[1-9]\d{6,14}$/,
        'must be an E.164 phone number: + then the country code and number, digits only, e.g. +14155550123',
      )
      .describe('The number to call, in E.164 form: + then country code and number, no spaces, e.g. +14155550123.'),
  })
  .strict();

const output = z.object({
  success: z.boolean().describe('Whether ElevenLabs started the call.'),
  message: z.string().describe("ElevenLabs' message about the call."),
  conversation_id: z.string().nullable().describe('For get_conversation once the call has ended.'),
  call_sid: z.string().nullable().describe("The telephony provider's call id (Twilio or Exotel CallSid, SIP call id)."),
  provider: z.string(),
  from_number: z.string(),
  to_number: z.string(),
  agent_id: z.string(),
});

export default defineTool({
  title: 'Call a phone number with an agent',
  description:
    'Place a real phone call: the agent calls to_number from an account number (list_phone_numbers) via its ' +
    'provider. Returns whether it started and its conversation_id. ' +
    'It rings a real person: only call it when the user explicitly asked to call this number. ' +
    COST_NOTE +
    " Billed per minute, plus the provider's charges.",
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  groups: ['agents'],
  async handler(args, ctx) {
    const numbers = await ctx.elevenlabs((client) => client.conversationalAi.phoneNumbers.list());
    const from = numbers.find((n) => n.phoneNumberId === args.agent_phone_number_id);
    if (!from) {
      throw new NotFoundError(
        `Phone number ${args.agent_phone_number_id} was not found in this ElevenLabs account. list_phone_numbers ` +
          `lists the numbers you can call from. No call was placed.`,
      );
    }
    if (from.supportsOutbound === false) {
      throw new InvalidArgumentsError(
        `Phone number ${from.phoneNumber} (${from.phoneNumberId}) cannot place outbound calls. Pick another with ` +
          `list_phone_numbers. No call was placed.`,
      );
    }
    const provider: string = from.provider;
    if (!(provider in PROVIDER_NAMES)) {
      throw new InvalidArgumentsError(
        `Phone number ${from.phoneNumber} uses the provider "${provider}", which this server cannot place calls ` +
          `through. No call was placed.`,
      );
    }

    const request = { agentId: args.agent_id, agentPhoneNumberId: from.phoneNumberId, toNumber: args.to_number };
    const result = await ctx.elevenlabs(
      async (client) => {
        const ai = client.conversationalAi;
        switch (from.provider) {
          case 'twilio': {
            const r = await ai.twilio.outboundCall(request);
            return { ...r, callId: r.callSid };
          }
          case 'exotel': {
            const r = await ai.exotel.outboundCall(request);
            return { ...r, callId: r.callSid };
          }
          case 'sip_trunk': {
            const r = await ai.sipTrunk.outboundCall(request);
            return { ...r, callId: r.sipCallId };
          }
        }
      },
      { notFound: `Agent ${args.agent_id} or phone number ${args.agent_phone_number_id}` },
    );

    const via = PROVIDER_NAMES[from.provider];
    const text = result.success
      ? `Calling ${args.to_number} from ${from.phoneNumber} via ${via} with agent ${args.agent_id}: ${result.message}` +
        (result.conversationId
          ? `\nconversation_id ${result.conversationId}: get_conversation shows the transcript once the call has ended.`
          : '')
      : `ElevenLabs did not place the call to ${args.to_number} via ${via}: ${result.message}`;
    return dataResult(text, {
      success: result.success,
      message: result.message,
      conversation_id: result.conversationId ?? null,
      call_sid: result.callId ?? null,
      provider: from.provider,
      from_number: from.phoneNumber,
      to_number: args.to_number,
      agent_id: args.agent_id,
    });
  },
});
