import { describe, expect, it } from 'vitest';
import { agentsOf, type FakeConversation } from '../../src/local/fake-elevenlabs/fake-routes/agents.js';
import { useAgentsStack } from '../support/agents-stack.js';
import { textOf } from '../support/harness.js';

/**
 * list_conversations and get_conversation through the real handler and the real SDK against the fake ElevenLabs
 * API: filters, cursors and transcripts paged within a size bound. Each test runs under an API key of its own,
 * so the conversations it sees are only the ones it seeded.
 */

const stack = useAgentsStack();
const { freshKey, callChecked } = stack;

describe('list_conversations and get_conversation', () => {
  const START = 1_780_000_000;

  function conversation(index: number, agentId: string, messages = 4): FakeConversation {
    return {
      conversation_id: `conv_${String(index).padStart(4, '0')}`,
      agent_id: agentId,
      agent_name: `Agent ${agentId.slice(-1)}`,
      status: 'done',
      start_time_unix_secs: START + index * 60,
      call_duration_secs: 30 + index,
      call_successful: index % 2 ? 'success' : 'failure',
      call_summary_title: `Call number ${index}`,
      transcript: Array.from({ length: messages }, (_, i) => ({
        role: i % 2 ? 'user' : 'agent',
        message: `message ${i}`,
        time_in_call_secs: i * 5,
      })),
    };
  }

  it("sends the filters as query parameters and pages with ElevenLabs' cursor", async () => {
    const key = freshKey();
    const seeded = agentsOf(stack.fake, key).conversations;
    for (let i = 0; i < 6; i++) seeded.push(conversation(i, i < 5 ? 'agent_a' : 'agent_b'));

    const first = await callChecked(
      stack.handler,
      'list_conversations',
      { agent_id: 'agent_a', call_start_after_unix: START, call_start_before_unix: START + 3600, page_size: 2 },
      key,
    );
    const [request] = stack.fake.requests;
    expect(request!.path).toBe('/v1/convai/conversations');
    expect(Object.fromEntries(request!.query)).toEqual({
      agent_id: 'agent_a',
      call_start_before_unix: String(START + 3600),
      call_start_after_unix: String(START),
      page_size: '2',
    });
    // Newest first; conversation 0 started exactly at START, which "after" excludes.
    expect(first.structuredContent.conversations.map((c: any) => c.conversation_id)).toEqual([
      'conv_0004',
      'conv_0003',
    ]);
    expect(first.structuredContent.conversations[0]).toEqual({
      conversation_id: 'conv_0004',
      agent_id: 'agent_a',
      agent_name: 'Agent a',
      status: 'done',
      start_time: new Date((START + 240) * 1000).toISOString(),
      duration_secs: 34,
      message_count: 4,
      call_successful: 'failure',
      title: 'Call number 4',
    });
    expect(first.structuredContent.has_more).toBe(true);
    const cursor = first.structuredContent.next_cursor;
    expect(textOf(first)).toContain(`more: call again with cursor "${cursor}"`);

    const second = await callChecked(
      stack.handler,
      'list_conversations',
      { agent_id: 'agent_a', call_start_after_unix: START, call_start_before_unix: START + 3600, page_size: 2, cursor },
      key,
    );
    expect(stack.fake.requests[1]!.query.get('cursor')).toBe(cursor);
    expect(second.structuredContent.conversations.map((c: any) => c.conversation_id)).toEqual([
      'conv_0002',
      'conv_0001',
    ]);
    expect(second.structuredContent).toMatchObject({ has_more: false, next_cursor: null });
  });

  it('stops a page at max_length and resumes exactly where it stopped', async () => {
    const key = freshKey();
    for (let i = 0; i < 12; i++) agentsOf(stack.fake, key).conversations.push(conversation(i, 'agent_a'));

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let calls = 0; calls < 20; calls++) {
      const result = await callChecked(
        stack.handler,
        'list_conversations',
        { page_size: 5, max_length: 500, ...(cursor ? { cursor } : {}) },
        key,
      );
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(textOf(result).length).toBeLessThanOrEqual(500 + 120);
      seen.push(...result.structuredContent.conversations.map((c: any) => c.conversation_id));
      cursor = result.structuredContent.next_cursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `conv_${String(11 - i).padStart(4, '0')}`));
    // Resuming inside a page asks ElevenLabs for that page again, no more of it than needed.
    expect(stack.fake.requests.some((r) => r.query.get('page_size') !== '5')).toBe(true);

    const forged = await callChecked(stack.handler, 'list_conversations', { cursor: 'resume.bm9wZQ' }, key);
    expect(textOf(forged)).toMatch(/^cursor is not one this tool returned/);
  });

  it("pages a long transcript by message index within max_characters, with the conversation's details", async () => {
    const key = freshKey();
    const long: FakeConversation = {
      ...conversation(1, 'agent_a', 0),
      conversation_id: 'conv_long',
      termination_reason: 'Client disconnected',
      transcript_summary: 'The caller asked about a refund and got one.',
      call_summary_title: 'Refund request',
      call_successful: 'success',
      transcript: Array.from({ length: 40 }, (_, i) => ({
        role: i % 2 ? 'user' : 'agent',
        message: `Message ${i}: ${'lorem ipsum '.repeat(12)}`,
        time_in_call_secs: i * 7,
        ...(i === 5
          ? {
              tool_calls: [
                { request_id: 'r1', tool_name: 'lookup_order', params_as_json: '{}', tool_has_been_called: true },
              ],
            }
          : {}),
      })),
    };
    agentsOf(stack.fake, key).conversations.push(long);

    const collected: any[] = [];
    let offset = 0;
    let pages = 0;
    for (;;) {
      const result = await callChecked(
        stack.handler,
        'get_conversation',
        { conversation_id: 'conv_long', offset, max_characters: 1000 },
        key,
      );
      expect(result.isError, textOf(result)).toBeFalsy();
      pages += 1;
      const s = result.structuredContent;
      expect(s).toMatchObject({
        conversation_id: 'conv_long',
        agent_id: 'agent_a',
        status: 'done',
        duration_secs: 31,
        termination_reason: 'Client disconnected',
        call_successful: 'success',
        summary: 'The caller asked about a refund and got one.',
        summary_title: 'Refund request',
        message_count: 40,
        offset,
      });
      expect(s.messages.length).toBeGreaterThan(0);
      expect(s.messages[0].index).toBe(offset);
      collected.push(...s.messages);
      if (s.next_offset === null) break;
      expect(textOf(result)).toContain(`more: call again with offset ${s.next_offset}`);
      offset = s.next_offset;
    }
    expect(pages).toBeGreaterThan(3);
    expect(collected.map((m) => m.message)).toEqual(long.transcript.map((m) => m.message));
    expect(collected[5].tool_calls).toEqual(['lookup_order']);
    expect(collected.every((m) => !m.truncated)).toBe(true);

    const [request] = stack.fake.requests;
    expect(request!.path).toBe('/v1/convai/conversations/conv_long');

    const past = await callChecked(
      stack.handler,
      'get_conversation',
      { conversation_id: 'conv_long', offset: 40 },
      key,
    );
    expect(textOf(past)).toBe('offset 40 is past the end of the transcript, which has 40 messages.');
    const missing = await callChecked(stack.handler, 'get_conversation', { conversation_id: 'conv_nope' }, key);
    expect(textOf(missing)).toMatch(/^Conversation conv_nope was not found/);
    const bad = await callChecked(stack.handler, 'get_conversation', { conversation_id: 'conv/../x' }, key);
    expect(textOf(bad)).toMatch(/^Invalid arguments for get_conversation: conversation_id/);
  });

  it('cuts a single message longer than max_characters rather than never returning it', async () => {
    const key = freshKey();
    agentsOf(stack.fake, key).conversations.push({
      ...conversation(2, 'agent_a', 0),
      conversation_id: 'conv_huge',
      transcript: [
        { role: 'user', message: 'x'.repeat(3000), time_in_call_secs: 0 },
        { role: 'agent', message: 'short', time_in_call_secs: 1 },
      ],
    });
    const result = await callChecked(
      stack.handler,
      'get_conversation',
      { conversation_id: 'conv_huge', max_characters: 500 },
      key,
    );
    const [first] = result.structuredContent.messages;
    expect(first.truncated).toBe(true);
    expect(first.message.length).toBeLessThan(500);
    expect(result.structuredContent.next_offset).toBe(1);
  });
});
