import { describe, expect, it } from 'vitest';
import { useAgentsStack } from '../support/agents-stack.js';
import { textOf } from '../support/harness.js';

/**
 * simulate_conversation through the real handler and the real SDK against the fake ElevenLabs API: the
 * simulation it asks for, the transcript and evaluation it returns, and the endpoint's retirement. Each test runs
 * under an API key of its own, so the agents it sees are only the ones it made.
 */

const stack = useAgentsStack();
const { freshKey, callChecked, createAgent } = stack;

describe('simulate_conversation', () => {
  it(
    "takes the official server's first_message and max_turns as aliases, and refuses them when they " +
      'contradict ours',
    async () => {
      const key = freshKey();
      const agentId = await createAgent(key, { name: 'Shop', first_message: 'Welcome to the shop!' });
      stack.fake.clear();

      const official = {
        agent_id: agentId,
        simulated_user_prompt: 'You are an impatient customer.',
        first_message: 'Where is my parcel?',
        max_turns: 3,
        extra_evaluation_criteria: [
          { id: 'helped', name: 'Helped', conversation_goal_prompt: 'The agent helps.', use_knowledge_base: true },
        ],
      };
      const result = await callChecked(stack.handler, 'simulate_conversation', official, key);
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(stack.fake.requests[0]!.json).toEqual({
        simulation_specification: {
          simulated_user_config: {
            first_message: 'Where is my parcel?',
            prompt: { prompt: 'You are an impatient customer.' },
          },
        },
        extra_evaluation_criteria: [
          { id: 'helped', name: 'Helped', conversation_goal_prompt: 'The agent helps.', use_knowledge_base: true },
        ],
        new_turns_limit: 3,
      });

      stack.fake.clear();
      const same = await callChecked(
        stack.handler,
        'simulate_conversation',
        { ...official, new_turns_limit: 3, simulated_user_first_message: 'Where is my parcel?' },
        key,
      );
      expect(same.isError, textOf(same)).toBeFalsy();

      stack.fake.clear();
      const contradicting = await callChecked(
        stack.handler,
        'simulate_conversation',
        { ...official, new_turns_limit: 4 },
        key,
      );
      expect(contradicting.isError).toBe(true);
      expect(textOf(contradicting)).toBe(
        "max_turns is the official server's name for new_turns_limit; give one of them, or the same value to both " +
          '(got "3" and "4").',
      );
      const otherFirst = await callChecked(
        stack.handler,
        'simulate_conversation',
        { ...official, simulated_user_first_message: 'Hello.' },
        key,
      );
      expect(textOf(otherFirst)).toContain(
        "first_message is the official server's name for simulated_user_first_message",
      );
      expect(stack.fake.requests).toHaveLength(0);
    },
  );

  it('sends the simulation specification and returns the transcript and analysis', async () => {
    const key = freshKey();
    const agentId = await createAgent(key, { name: 'Shop', first_message: 'Welcome to the shop!' });
    stack.fake.clear();

    const result = await callChecked(
      stack.handler,
      'simulate_conversation',
      {
        agent_id: agentId,
        simulated_user_prompt: 'You are an impatient customer who wants a refund.',
        simulated_user_first_message: 'My order arrived broken.',
        simulated_user_language: 'en',
        simulated_user_llm: 'gpt-4o-mini',
        new_turns_limit: 5,
        extra_evaluation_criteria: [
          { id: 'offered_refund', name: 'Offered a refund', conversation_goal_prompt: 'The agent offers a refund.' },
        ],
      },
      key,
    );
    expect(result.isError, textOf(result)).toBeFalsy();
    const [request] = stack.fake.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(`/v1/convai/agents/${agentId}/simulate-conversation`);
    expect(request!.json).toEqual({
      simulation_specification: {
        simulated_user_config: {
          first_message: 'My order arrived broken.',
          language: 'en',
          prompt: { prompt: 'You are an impatient customer who wants a refund.', llm: 'gpt-4o-mini' },
        },
      },
      extra_evaluation_criteria: [
        { id: 'offered_refund', name: 'Offered a refund', conversation_goal_prompt: 'The agent offers a refund.' },
      ],
      new_turns_limit: 5,
    });
    const s = result.structuredContent;
    expect(s.message_count).toBe(5);
    expect(s.messages.map((m: any) => m.role)).toEqual(['agent', 'user', 'agent', 'user', 'agent']);
    expect(s.messages[0].message).toBe('Welcome to the shop!');
    expect(s.messages[1].message).toBe('My order arrived broken.');
    expect(s).toMatchObject({ truncated: false, call_successful: 'success', summary_title: 'Simulated conversation' });
    expect(s.evaluation).toEqual([
      { criteria_id: 'offered_refund', result: 'success', rationale: 'Met: The agent offers a refund.' },
    ]);
    expect(textOf(result)).toContain('Criterion offered_refund: success');
  });

  it('bounds a long simulated transcript by max_characters', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    const result = await callChecked(
      stack.handler,
      'simulate_conversation',
      { agent_id: agentId, simulated_user_prompt: 'Chatty user.', new_turns_limit: 60, max_characters: 500 },
      key,
    );
    const s = result.structuredContent;
    expect(s.message_count).toBe(60);
    expect(s.truncated).toBe(true);
    expect(s.messages.length).toBeLessThan(60);
    expect(textOf(result)).toContain(`${60 - s.messages.length} later messages not shown`);
  });

  it('says plainly when ElevenLabs has removed the endpoint, and tells a missing agent apart', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    for (const reply of [
      { status: 404, body: { detail: 'Not Found' } },
      { status: 410, body: { detail: { status: 'gone', message: 'This endpoint was removed.' } } },
    ]) {
      stack.fake.inject(/simulate-conversation$/, { kind: 'reply', reply });
      const result = await callChecked(
        stack.handler,
        'simulate_conversation',
        { agent_id: agentId, simulated_user_prompt: 'Hi.' },
        key,
      );
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^ElevenLabs no longer offers the simulate-conversation endpoint .* agent tests/);
    }
    const missing = await callChecked(
      stack.handler,
      'simulate_conversation',
      { agent_id: 'agent_0000', simulated_user_prompt: 'Hi.' },
      key,
    );
    expect(textOf(missing)).toMatch(/^Agent agent_0000 was not found/);
  });
});
