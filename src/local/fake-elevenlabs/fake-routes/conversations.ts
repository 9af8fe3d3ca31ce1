import { randomBytes } from 'node:crypto';
import type { FakeElevenLabs } from '../fake-elevenlabs.js';
import { detail } from '../fake-wire.js';
import { agentNotFound, agentsOf, jsonObject, listPage, optionalInt, validation } from './agents-store.js';

/**
 * The agents platform's calls: conversations (GET /v1/convai/conversations and /{id}), phone numbers
 * (GET /v1/convai/phone-numbers) and outbound calls (POST /v1/convai/{twilio|sip-trunk|exotel}/outbound-call),
 * over the data `agentsOf` holds for each API key.
 */

const TELEPHONY_PATHS = { twilio: 'twilio', 'sip-trunk': 'sip_trunk', exotel: 'exotel' } as const;

export function installConversationRoutes(fake: FakeElevenLabs): void {
  fake.route('GET', /^\/v1\/convai\/conversations$/, (request, _params, account) => {
    const agentId = request.query.get('agent_id');
    const before = optionalInt(request.query.get('call_start_before_unix'));
    const after = optionalInt(request.query.get('call_start_after_unix'));
    if (before === null) return validation('query.call_start_before_unix', 'Input should be a valid integer');
    if (after === null) return validation('query.call_start_after_unix', 'Input should be a valid integer');
    const matching = agentsOf(fake, account.key)
      .conversations.filter(
        (c) =>
          (!agentId || c.agent_id === agentId) &&
          (before === undefined || c.start_time_unix_secs < before) &&
          (after === undefined || c.start_time_unix_secs > after),
      )
      .sort((a, b) => b.start_time_unix_secs - a.start_time_unix_secs);
    return listPage(request, matching, 'conversations', (c) => ({
      agent_id: c.agent_id,
      agent_name: c.agent_name,
      conversation_id: c.conversation_id,
      start_time_unix_secs: c.start_time_unix_secs,
      call_duration_secs: c.call_duration_secs,
      message_count: c.transcript.length,
      status: c.status,
      call_successful: c.call_successful,
      call_summary_title: c.call_summary_title,
    }));
  });

  fake.route('GET', /^\/v1\/convai\/conversations\/([^/]+)$/, (_request, [conversationId], account) => {
    const c = agentsOf(fake, account.key).conversations.find((x) => x.conversation_id === conversationId);
    if (!c) return detail(404, 'conversation_not_found', `Conversation ${conversationId} not found.`);
    return {
      body: {
        agent_id: c.agent_id,
        agent_name: c.agent_name,
        status: c.status,
        metadata: {
          start_time_unix_secs: c.start_time_unix_secs,
          call_duration_secs: c.call_duration_secs,
          termination_reason: c.termination_reason,
        },
        analysis:
          c.transcript_summary === undefined
            ? undefined
            : {
                call_successful: c.call_successful,
                transcript_summary: c.transcript_summary,
                call_summary_title: c.call_summary_title,
                evaluation_criteria_results: {},
                data_collection_results: {},
              },
        conversation_id: c.conversation_id,
        has_audio: true,
        has_user_audio: true,
        has_response_audio: true,
        has_auxiliary_audio: false,
        transcript: c.transcript,
      },
    };
  });

  fake.route('GET', /^\/v1\/convai\/phone-numbers$/, (request, _params, account) => {
    const provider = request.query.get('provider');
    if (provider !== null && !['twilio', 'sip_trunk', 'exotel'].includes(provider)) {
      return validation('query.provider', "Input should be 'twilio', 'exotel' or 'sip_trunk'");
    }
    const agentId = request.query.get('agent_id');
    const numbers = agentsOf(fake, account.key).phoneNumbers.filter(
      (n) => (!provider || n.provider === provider) && (!agentId || n.assigned_agent?.agent_id === agentId),
    );
    return {
      body: numbers.map((n) => ({
        phone_number: n.phone_number,
        label: n.label,
        supports_inbound: true,
        supports_outbound: n.supports_outbound ?? true,
        phone_number_id: n.phone_number_id,
        ...(n.assigned_agent ? { assigned_agent: n.assigned_agent } : {}),
        provider: n.provider,
        ...(n.provider === 'sip_trunk' ? { livekit_stack: 'standard' } : {}),
      })),
    };
  });

  fake.route('POST', /^\/v1\/convai\/(twilio|sip-trunk|exotel)\/outbound-call$/, (request, [route], account) => {
    const provider = TELEPHONY_PATHS[route as keyof typeof TELEPHONY_PATHS];
    const body = jsonObject(request);
    for (const field of ['agent_id', 'agent_phone_number_id', 'to_number']) {
      if (typeof body?.[field] !== 'string') return validation(`body.${field}`, 'Field required');
    }
    const data = agentsOf(fake, account.key);
    const number = data.phoneNumbers.find((n) => n.phone_number_id === body!.agent_phone_number_id);
    if (!number) return detail(404, 'phone_number_not_found', `Phone number ${body!.agent_phone_number_id} not found.`);
    if (number.provider !== provider) {
      return detail(400, 'invalid_phone_number', `Phone number ${number.phone_number_id} is not a ${route} number.`);
    }
    if (!data.agents.has(body!.agent_id as string)) return agentNotFound(body!.agent_id as string);
    const conversationId = `conv_${randomBytes(14).toString('hex')}`;
    const callId = randomBytes(16).toString('hex');
    const extra = provider === 'sip_trunk' ? { sip_call_id: `sip_${callId}` } : { callSid: `CA${callId}` };
    return { body: { success: true, message: 'Success', conversation_id: conversationId, ...extra } };
  });
}
