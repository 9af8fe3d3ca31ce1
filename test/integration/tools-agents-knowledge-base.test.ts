import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { agentsOf } from '../../src/local/fake-elevenlabs/fake-routes/agents.js';
import { useAgentsStack } from '../support/agents-stack.js';
import { textOf } from '../support/harness.js';

/**
 * add_knowledge_base_to_agent through the real handler and the real SDK against the fake ElevenLabs API: a
 * document from text, a URL, base64 or an upload, attached to the agent. Each test runs under an API key of its
 * own, so the agents and documents it sees are only the ones it made.
 */

const stack = useAgentsStack();
const { freshKey, callChecked, convaiRequests, createAgent } = stack;

/** add_knowledge_base_to_agent through `handler` (the production one unless given), which must succeed. */
async function addDocument(key: string, args: Record<string, unknown>, handler = stack.handler): Promise<any> {
  const result = await callChecked(handler, 'add_knowledge_base_to_agent', args, key);
  expect(result.isError, textOf(result)).toBeFalsy();
  return result;
}

describe('add_knowledge_base_to_agent', () => {
  it(
    "creates a text document, then appends its locator to the agent's knowledge base with a partial " + 'update',
    async () => {
      const key = freshKey();
      const agentId = await createAgent(key);
      stack.fake.clear();

      const result = await addDocument(key, {
        agent_id: agentId,
        knowledge_base_name: 'Returns policy',
        text: 'Returns are free within 30 days.',
      });
      const [get, create, patch] = convaiRequests();
      expect(convaiRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /v1/convai/agents/${agentId}`,
        'POST /v1/convai/knowledge-base/text',
        `PATCH /v1/convai/agents/${agentId}`,
      ]);
      expect(get!.headers['xi-api-key']).toBe(key);
      expect(create!.json).toEqual({ text: 'Returns are free within 30 days.', name: 'Returns policy' });
      const documentId = result.structuredContent.document_id;
      expect(patch!.json).toEqual({
        conversation_config: {
          agent: { prompt: { knowledge_base: [{ type: 'text', name: 'Returns policy', id: documentId }] } },
        },
      });
      expect(result.structuredContent).toEqual({
        document_id: documentId,
        document_name: 'Returns policy',
        source: 'text',
        agent_id: agentId,
        knowledge_base_size: 1,
      });

      // A second document is appended to the first, and the rest of the agent is left as it was.
      stack.fake.clear();
      const second = await addDocument(
        key,
        { agent_id: agentId, knowledge_base_name: 'FAQ', url: 'https://docs.example.com/faq' },
        stack.publicDns,
      );
      const appended = convaiRequests().at(-1)!.json as any;
      expect(appended.conversation_config.agent.prompt.knowledge_base).toEqual([
        { type: 'text', name: 'Returns policy', id: documentId },
        { type: 'url', name: 'FAQ', id: second.structuredContent.document_id },
      ]);
      const agent = await callChecked(stack.handler, 'get_agent', { agent_id: agentId }, key);
      expect(agent.structuredContent.knowledge_base.map((d: any) => d.name)).toEqual(['Returns policy', 'FAQ']);
      expect(agent.structuredContent.system_prompt).toBe('You help customers.');
    },
  );

  it("hands a public https URL to ElevenLabs' create-from-url endpoint without downloading it", async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    stack.fake.clear();
    const before = stack.downloads;

    const result = await addDocument(
      key,
      { agent_id: agentId, knowledge_base_name: 'Docs', url: 'https://docs.example.com/guide.html' },
      stack.publicDns,
    );
    expect(stack.downloads).toBe(before);
    const [create] = stack.fake.requestsTo(/^\/v1\/convai\/knowledge-base\//);
    expect(create!.path).toBe('/v1/convai/knowledge-base/url');
    expect(create!.json).toEqual({ url: 'https://docs.example.com/guide.html', name: 'Docs' });
    expect(agentsOf(stack.fake, key).documents.get(result.structuredContent.document_id)).toMatchObject({
      type: 'url',
      url: 'https://docs.example.com/guide.html',
    });
    expect(result.structuredContent.source).toBe('url');
  });

  it('refuses a URL on this machine or a private network, before calling ElevenLabs', async () => {
    const key = freshKey();
    for (const url of ['https://127.0.0.1/admin', 'http://127.0.0.1:8080/kb.html', 'https://10.1.2.3/kb.pdf']) {
      const result = await callChecked(
        stack.handler,
        'add_knowledge_base_to_agent',
        { agent_id: 'agent_1234', knowledge_base_name: 'x', url },
        key,
      );
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^The URL was refused: /);
    }
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('uploads a file given as base64 + filename, as multipart with its name and type', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    stack.fake.clear();
    const markdown = Buffer.from('# Opening hours\n\nMonday to Friday, 9 to 5.\n');

    const result = await addDocument(key, {
      agent_id: agentId,
      knowledge_base_name: 'Hours',
      base64: markdown.toString('base64'),
      filename: 'hours.md',
    });
    const [upload] = stack.fake.requestsTo(/^\/v1\/convai\/knowledge-base\//);
    expect(upload!.path).toBe('/v1/convai/knowledge-base/file');
    const form = await upload!.form();
    const file = form.get('file') as File;
    expect(file.name).toBe('hours.md');
    expect(file.type).toBe('text/markdown');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(markdown);
    expect(form.get('name')).toBe('Hours');
    expect((convaiRequests().at(-1)!.json as any).conversation_config.agent.prompt.knowledge_base).toEqual([
      { type: 'file', name: 'Hours', id: result.structuredContent.document_id },
    ]);
  });

  it('uploads a file stored with create_upload_url, by its audio_id', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(20_000)]);
    const created = await callChecked(
      stack.handler,
      'create_upload_url',
      { filename: 'handbook.pdf', content_type: 'application/pdf', bytes: pdf.length },
      key,
    );
    const target = created.structuredContent;
    expect(
      (await fetch(target.upload_url, { method: 'PUT', headers: target.headers, body: new Uint8Array(pdf) })).ok,
    ).toBe(true);
    stack.fake.clear();

    const result = await addDocument(key, {
      agent_id: agentId,
      knowledge_base_name: 'Handbook',
      audio_id: target.audio_id,
    });
    const stored = agentsOf(stack.fake, key).documents.get(result.structuredContent.document_id)!;
    expect(stored.file!.bytes).toEqual(pdf);
    expect(stored.file!.contentType).toBe('application/pdf');
    expect(stored.file!.filename).toMatch(/\.pdf$/);
  });

  it('names the created document when attaching it to the agent fails', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    stack.fake.route('PATCH', new RegExp(`^/v1/convai/agents/${agentId}$`), () => ({
      status: 409,
      body: { detail: { status: 'conflict', message: 'The agent was modified concurrently.' } },
    }));

    const result = await callChecked(
      stack.handler,
      'add_knowledge_base_to_agent',
      { agent_id: agentId, knowledge_base_name: 'x', text: 'hello' },
      key,
    );
    expect(result.isError).toBe(true);
    const [documentId] = agentsOf(stack.fake, key).documents.keys();
    expect(textOf(result)).toBe(
      `ElevenLabs rejected the request: The agent was modified concurrently. Change the arguments it names and try ` +
        `again. The document was created (document_id ${documentId}) but is not attached to the agent.`,
    );
  });

  it('refuses missing, doubled and unsupported inputs, and a missing agent, without creating a document', async () => {
    const key = freshKey();
    const agentId = await createAgent(key);
    stack.fake.clear();
    const call = (args: Record<string, unknown>) =>
      callChecked(
        stack.handler,
        'add_knowledge_base_to_agent',
        { agent_id: agentId, knowledge_base_name: 'x', ...args },
        key,
      );

    expect(textOf(await call({}))).toMatch(/^Give the document as exactly one of: url .*, text, audio_id/);
    expect(textOf(await call({ text: 'a', base64: 'YQ==', filename: 'a.txt' }))).toBe(
      'Give exactly one of url, text, audio_id or base64; this call gave text and base64.',
    );
    expect(textOf(await call({ base64: Buffer.from('ID3 audio').toString('base64'), filename: 'song.mp3' }))).toMatch(
      /^add_knowledge_base_to_agent takes application\/pdf, .* this file is audio\/mpeg/,
    );
    expect(textOf(await call({ base64: 'YQ==' }))).toContain('base64 needs filename');
    expect(stack.fake.requests).toHaveLength(0);

    const missing = await callChecked(
      stack.handler,
      'add_knowledge_base_to_agent',
      { agent_id: 'agent_0000', knowledge_base_name: 'x', text: 'hello' },
      key,
    );
    expect(textOf(missing)).toMatch(/^Agent agent_0000 was not found/);
    expect(convaiRequests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/convai/agents/agent_0000']);
    expect(agentsOf(stack.fake, key).documents.size).toBe(0);
  });
});
