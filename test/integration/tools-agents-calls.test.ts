import { describe, expect, it } from 'vitest';
import { agentsOf, type FakePhoneNumber } from '../../src/local/fake-elevenlabs/fake-routes/agents.js';
import { useAgentsStack } from '../support/agents-stack.js';
import { call, KEY_A, textOf } from '../support/harness.js';

/**
 * list_phone_numbers and make_outbound_call through the real handler and the real SDK against the fake
 * ElevenLabs API, and how tools/list presents the whole agents group. Each test runs under an API key of its own,
 * so the agents and phone numbers it sees are only the ones it made.
 */

const stack = useAgentsStack();
const { freshKey, callChecked, convaiRequests, createAgent } = stack;

describe('list_phone_numbers and make_outbound_call', () => {
  function seedNumbers(key: string, agentId: string): FakePhoneNumber[] {
    const numbers: FakePhoneNumber[] = [
      {
        phone_number_id: 'phnum_twilio1',
        phone_number: '+14155550100',
        label: 'Sales',
        provider: 'twilio',
        assigned_agent: { agent_id: agentId, agent_name: 'Support' },
      },
      { phone_number_id: 'phnum_sip1', phone_number: '+442071234567', label: 'London PBX', provider: 'sip_trunk' },
      { phone_number_id: 'phnum_exotel1', phone_number: '+918041234567', label: 'India', provider: 'exotel' },
      {
        phone_number_id: 'phnum_inbound',
        phone_number: '+14155550199',
        label: 'Hotline',
        provider: 'twilio',
        supports_outbound: false,
      },
    ];
    agentsOf(stack.fake, key).phoneNumbers.push(...numbers);
    return numbers;
  }

  it("lists the account's numbers with provider, label and assigned agent, filtered and paged", async () => {
    const key = freshKey();
    seedNumbers(key, 'agent_a');

    const all = await callChecked(stack.handler, 'list_phone_numbers', { page_size: 3 }, key);
    expect(stack.fake.requests[0]!.path).toBe('/v1/convai/phone-numbers');
    expect(all.structuredContent.total).toBe(4);
    expect(all.structuredContent.next_offset).toBe(3);
    expect(all.structuredContent.phone_numbers[0]).toEqual({
      phone_number_id: 'phnum_twilio1',
      phone_number: '+14155550100',
      provider: 'twilio',
      label: 'Sales',
      assigned_agent: { agent_id: 'agent_a', agent_name: 'Support' },
      supports_outbound: true,
      supports_inbound: true,
    });
    expect(textOf(all)).toContain('- +442071234567 (phnum_sip1), sip_trunk, label "London PBX", agent none');
    expect(textOf(all)).toContain('more: call again with offset 3');
    const rest = await callChecked(stack.handler, 'list_phone_numbers', { page_size: 3, offset: 3 }, key);
    expect(rest.structuredContent.phone_numbers.map((n: any) => n.phone_number_id)).toEqual(['phnum_inbound']);
    expect(rest.structuredContent.next_offset).toBeNull();

    const twilio = await callChecked(
      stack.handler,
      'list_phone_numbers',
      { provider: 'twilio', agent_id: 'agent_a' },
      key,
    );
    expect(Object.fromEntries(stack.fake.requests.at(-1)!.query)).toEqual({ provider: 'twilio', agent_id: 'agent_a' });
    expect(twilio.structuredContent.phone_numbers.map((n: any) => n.phone_number_id)).toEqual(['phnum_twilio1']);
  });

  it("calls through the number's provider: Twilio, SIP trunk or Exotel", async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    seedNumbers(key, agentId);
    const cases = [
      { id: 'phnum_twilio1', path: '/v1/convai/twilio/outbound-call', provider: 'twilio', sid: /^CA[0-9a-f]{32}$/ },
      {
        id: 'phnum_sip1',
        path: '/v1/convai/sip-trunk/outbound-call',
        provider: 'sip_trunk',
        sid: /^sip_[0-9a-f]{32}$/,
      },
      { id: 'phnum_exotel1', path: '/v1/convai/exotel/outbound-call', provider: 'exotel', sid: /^CA[0-9a-f]{32}$/ },
    ];
    for (const c of cases) {
      stack.fake.clear();
      const result = await callChecked(
        stack.handler,
        'make_outbound_call',
        { agent_id: agentId, agent_phone_number_id: c.id, to_number: '+14155550123' },
        key,
      );
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(convaiRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /v1/convai/phone-numbers',
        `POST ${c.path}`,
      ]);
      expect(convaiRequests()[1]!.json).toEqual({
        agent_id: agentId,
        agent_phone_number_id: c.id,
        to_number: '+14155550123',
      });
      const s = result.structuredContent;
      expect(s).toMatchObject({
        success: true,
        message: 'Success',
        provider: c.provider,
        to_number: '+14155550123',
        agent_id: agentId,
      });
      expect(s.conversation_id).toMatch(/^conv_/);
      expect(s.call_sid).toMatch(c.sid);
      expect(textOf(result)).toContain(`conversation_id ${s.conversation_id}`);
    }
  });

  it('refuses a bad number or id before calling out, an unknown or inbound-only number before dialling', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    seedNumbers(key, agentId);
    stack.fake.clear();
    for (const to_number of [
      '4155550123',
      '+1 415 555 0123',
      '+0155550123',
      '+1415',
      '+1415555012345678',
      '+1415555012a',
    ]) {
      const result = await callChecked(
        stack.handler,
        'make_outbound_call',
        { agent_id: agentId, agent_phone_number_id: 'phnum_twilio1', to_number },
        key,
      );
      expect(textOf(result), to_number).toMatch(
        /^Invalid arguments for make_outbound_call: to_number: must be an E\.164 phone number/,
      );
    }
    const badId = await callChecked(
      stack.handler,
      'make_outbound_call',
      { agent_id: agentId, agent_phone_number_id: 'phnum_1?x=1', to_number: '+14155550123' },
      key,
    );
    expect(textOf(badId)).toMatch(/^Invalid arguments for make_outbound_call: agent_phone_number_id/);
    expect(stack.fake.requests).toHaveLength(0);

    const unknown = await callChecked(
      stack.handler,
      'make_outbound_call',
      { agent_id: agentId, agent_phone_number_id: 'phnum_nope', to_number: '+14155550123' },
      key,
    );
    expect(textOf(unknown)).toMatch(
      /^Phone number phnum_nope was not found in this ElevenLabs account\. list_phone_numbers/,
    );
    const inbound = await callChecked(
      stack.handler,
      'make_outbound_call',
      { agent_id: agentId, agent_phone_number_id: 'phnum_inbound', to_number: '+14155550123' },
      key,
    );
    expect(textOf(inbound)).toContain('cannot place outbound calls');
    expect(stack.fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    const noAgent = await callChecked(
      stack.handler,
      'make_outbound_call',
      { agent_id: 'agent_0000', agent_phone_number_id: 'phnum_twilio1', to_number: '+14155550123' },
      key,
    );
    expect(textOf(noAgent)).toMatch(/^Agent agent_0000 or phone number phnum_twilio1 was not found/);
  });
});

describe('tools/list', () => {
  it('offers the agents tools with honest annotations', async () => {
    const listed = await call(stack.handler, 'tools/list', undefined, {
      'x-elevenlabs-api-key': KEY_A,
      'x-elevenlabs-tools': 'agents',
    });
    const byName = Object.fromEntries(
      (
        listed.body.result.tools as Array<{ name: string; annotations: Record<string, unknown>; description: string }>
      ).map((t) => [t.name, t]),
    );
    expect(Object.keys(byName).sort()).toEqual(
      // create_upload_url comes along: add_knowledge_base_to_agent takes files too large for base64 through it.
      [
        'add_knowledge_base_to_agent',
        'create_agent',
        'create_upload_url',
        'get_agent',
        'get_conversation',
        'list_agents',
        'list_conversations',
        'list_phone_numbers',
        'make_outbound_call',
        'simulate_conversation',
      ].sort(),
    );
    for (const name of ['list_agents', 'get_agent', 'list_conversations', 'get_conversation', 'list_phone_numbers']) {
      expect(byName[name]!.annotations, name).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    }
    for (const name of ['create_agent', 'add_knowledge_base_to_agent', 'simulate_conversation']) {
      expect(byName[name]!.annotations, name).toMatchObject({
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      });
    }
    expect(byName.make_outbound_call!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(byName.make_outbound_call!.description).toContain('Costs ElevenLabs credits');
    expect(byName.simulate_conversation!.description).toContain('31 Oct 2026');
  });
});
