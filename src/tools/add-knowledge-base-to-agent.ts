import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { z } from 'zod';
import { fileInputShape, resolveInputOrUrl, type PassThroughUrl, type ResolvedFile } from '../audio/inputs.js';
import { DOCUMENT_TYPES } from '../audio/media-types.js';
import { InvalidArgumentsError, ToolError } from '../errors/index.js';
import { defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { formatBytes } from '../bytes.js';
import { dataResult } from '../toolkit/results.js';
import { agentIdField } from '../toolkit/shared-inputs.js';

const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
const MAX_TEXT_CHARACTERS = 1_000_000;
const SOURCES = ['url', 'text', 'audio_id', 'base64'] as const;

const file = fileInputShape({ noun: 'document', maxBytes: MAX_DOCUMENT_BYTES });

const input = z
  .object({
    agent_id: agentIdField.describe('The agent to give the document to, e.g. from list_agents or create_agent.'),
    knowledge_base_name: z.string().trim().min(1).max(200).describe('Name of the document in the knowledge base.'),
    url: file.url.describe(
      'Public https URL of a web page or document; ElevenLabs fetches and indexes it. ' +
        'Give exactly one of url, text, audio_id or base64.',
    ),
    text: z
      .string()
      .max(MAX_TEXT_CHARACTERS)
      .optional()
      .describe(`The document as plain text (at most ${MAX_TEXT_CHARACTERS} characters).`),
    audio_id: file.audio_id.describe(
      'A document uploaded with create_upload_url (pdf, docx, txt, html, md or epub): pass the audio_id it returned. ' +
        'Best for files over a few MB.',
    ),
    base64: file.base64,
    filename: file.filename.describe(
      'File name with its extension, e.g. handbook.pdf. Required with base64; its extension tells the type (pdf, ' +
        'docx, txt, html, md, epub).',
    ),
    mime_type: file.mime_type.describe(
      'Media type of the document, e.g. application/pdf. Optional: by default it comes from the stored file, the ' +
        'file name or the content.',
    ),
  })
  .strict();

const output = z.object({
  document_id: z.string().describe('Id of the new knowledge-base document.'),
  document_name: z.string(),
  source: z.enum(['url', 'text', 'file']),
  agent_id: z.string(),
  knowledge_base_size: z.number().int().describe('Documents the agent has now.'),
});

type Content = PassThroughUrl | ResolvedFile | { readonly kind: 'text'; readonly text: string };

export default defineTool({
  title: "Add a document to an agent's knowledge base",
  description:
    'Create a knowledge-base document from a URL, plain text or a file (pdf, docx, txt, html, md, epub) and attach ' +
    'it to an agent, which can then answer from it. ' +
    "Returns the document_id. It changes the agent and uses the plan's knowledge-base limits; only call it when the " +
    'user asked for it.',
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  groups: ['agents'],
  async handler(args, ctx) {
    const given = SOURCES.filter((field) => (args[field] ?? '').trim() !== '');
    if (given.length !== 1) {
      throw new InvalidArgumentsError(
        given.length === 0
          ? 'Give the document as exactly one of: url (a public https page), text, audio_id (a file uploaded with ' +
              'create_upload_url) or base64 (small files, with filename).'
          : `Give exactly one of url, text, audio_id or base64; this call gave ${given.join(' and ')}.`,
      );
    }
    const content: Content =
      given[0] === 'text'
        ? { kind: 'text', text: args.text! }
        : await resolveInputOrUrl(args, ctx, {
            allowedTypes: DOCUMENT_TYPES,
            maxBytes: MAX_DOCUMENT_BYTES,
            purpose: 'add_knowledge_base_to_agent',
          });

    // The agent first: a wrong agent_id must not leave an orphaned document behind.
    const agent = await ctx.elevenlabs((client) => client.conversationalAi.agents.get(args.agent_id), {
      notFound: `Agent ${args.agent_id}`,
    });
    const name = args.knowledge_base_name;
    const document = await ctx.elevenlabs((client) => {
      const documents = client.conversationalAi.knowledgeBase.documents;
      switch (content.kind) {
        case 'url':
          return documents.createFromUrl({ url: content.url, name });
        case 'text':
          return documents.createFromText({ text: content.text, name });
        case 'file':
          return documents.createFromFile({
            file: { data: content.bytes, filename: content.filename, contentType: content.mimeType },
            name,
          });
      }
    });

    const locator: ElevenLabs.KnowledgeBaseLocator = {
      type: content.kind,
      name: document.name || name,
      id: document.id,
    };
    const existing = (agent.conversationConfig.agent?.prompt?.knowledgeBase ?? []).map(
      ({ type, name, id, usageMode }) => compact({ type, name, id, usageMode }),
    );
    const knowledgeBase = [...existing, locator];
    try {
      // Only the list changes: a partial update leaves the rest of the agent as it is.
      await ctx.elevenlabs(
        (client) =>
          client.conversationalAi.agents.update(args.agent_id, {
            conversationConfig: { agent: { prompt: { knowledgeBase } } },
          }),
        {
          notFound: `Agent ${args.agent_id}`,
        },
      );
    } catch (error) {
      if (error instanceof ToolError)
        error.message += ` The document was created (document_id ${document.id}) but is not attached to the agent.`;
      throw error;
    }

    const what =
      content.kind === 'url'
        ? content.url
        : content.kind === 'text'
          ? `${content.text.length} characters of text`
          : `${content.filename} (${formatBytes(content.bytes.byteLength)})`;
    const text =
      `Added "${locator.name}" (document_id ${document.id}, from ${what}) to agent ${args.agent_id}, ` +
      `which now has ${knowledgeBase.length} knowledge-base document${knowledgeBase.length === 1 ? '' : 's'}.`;
    return dataResult(text, {
      document_id: document.id,
      document_name: locator.name,
      source: content.kind,
      agent_id: args.agent_id,
      knowledge_base_size: knowledgeBase.length,
    });
  },
});
