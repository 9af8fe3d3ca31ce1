import { ProtocolError, ProtocolErrorCode, Server, type CallToolResult, type jsonSchemaValidator } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { ToolError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import type { ToolContext } from '../tools/define-tool.js';
import { listUiResources, readUiResource, UnknownUiResourceError } from '../ui/resources.js';
import { SERVER_NAME, VERSION } from '../version.js';
import type { AnyTool, ToolView } from './catalog.js';
import { forProtocol } from './protocol-versions.js';
import { createToolContext, type Invocation } from './tool-context.js';

const INSTRUCTIONS =
  'ElevenLabs speech, voices and audio tools. Generated audio is stored privately for the API key that made it and returned as a ' +
  'download link (in the text, and as resource_link / structuredContent.url where the client supports them) that expires; ' +
  'get_audio_url issues a fresh one from the audio_id. ' +
  "Tools marked as costing credits spend the caller's ElevenLabs credits: call them only when the user asked.";

/**
 * 2026-07-28 cache hints. The tool list changes only with a deployment, but it depends on a request header
 * (`x-elevenlabs-tools`) that a shared cache would not key on: a client may keep it a few minutes, no
 * intermediary may. What server/discover says is the same for every caller and every header.
 */
const CACHE_HINTS = {
  'tools/list': { ttlMs: 300_000, cacheScope: 'private' },
  'server/discover': { ttlMs: 300_000, cacheScope: 'public' },
  // The player (its HTML and CSP) depends on the deployment alone.
  'resources/list': { ttlMs: 300_000, cacheScope: 'public' },
  'resources/templates/list': { ttlMs: 300_000, cacheScope: 'public' },
  'resources/read': { ttlMs: 300_000, cacheScope: 'public' },
  'prompts/list': { ttlMs: 300_000, cacheScope: 'public' },
} as const;

/**
 * The server never validates JSON Schemas itself (that is for elicitation, which a stateless server does
 * not do); passing this keeps the SDK from building an Ajv validator for every request.
 */
const NO_SCHEMA_VALIDATION: jsonSchemaValidator = {
  getValidator: () => (input) => ({ valid: true, data: input as never, errorMessage: undefined }),
};

/**
 * A fresh MCP server for one request and one caller, offering the tools in `tools` (a view of the
 * shared, static catalog) in the shapes `protocolVersion` knows. Everything bound to the caller lives in
 * the tool context created here.
 */
export function createMcpServer(runtime: Runtime, invocation: Invocation, tools: ToolView, protocolVersion: string): Server {
  const server = new Server(
    { name: SERVER_NAME, title: 'ElevenLabs', version: VERSION },
    {
      // No prompts and no log messages to send, but both declared so that clients asking get an answer
      // (an empty list; a level accepted) rather than "method not found".
      capabilities: { tools: { listChanged: false }, resources: { listChanged: false }, prompts: { listChanged: false }, logging: {} },
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: NO_SCHEMA_VALIDATION,
      cacheHints: CACHE_HINTS,
    },
  );
  const shape = forProtocol(protocolVersion);
  let context: ToolContext | undefined;

  server.setRequestHandler('tools/list', () => tools.list(shape));

  // The MCP Apps player (src/ui) is this server's one resource.
  server.setRequestHandler('resources/list', () => ({ resources: listUiResources(runtime.config) }));
  server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: [] }));
  server.setRequestHandler('prompts/list', () => ({ prompts: [] }));
  server.setRequestHandler('resources/read', async (request) => {
    try {
      const { contents } = await readUiResource(request.params.uri, runtime.config);
      return { contents };
    } catch (error) {
      // SEP-2164: an unknown resource is Invalid params, naming the URI.
      if (error instanceof UnknownUiResourceError) throw new ProtocolError(error.code, error.message, { uri: error.uri });
      throw error;
    }
  });

  server.setRequestHandler('tools/call', async (request) => {
    const { name, arguments: args } = request.params;
    const entry = tools.find(name);
    if (!entry) {
      // A protocol error, as in the specification's example: the model named no tool of ours.
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown tool: ${JSON.stringify(name.slice(0, 100))}. Call tools/list for the tools this server offers.`,
      );
    }
    invocation.trace.tool = entry.name;
    context ??= createToolContext(runtime, invocation);
    return shape.toolResult(await runTool(await entry.load(), args ?? {}, context, runtime, invocation));
  });

  return server;
}

async function runTool(tool: AnyTool, args: unknown, context: ToolContext, runtime: Runtime, invocation: Invocation): Promise<CallToolResult> {
  const parsed = (tool.input as z.ZodType).safeParse(args);
  if (!parsed.success) {
    invocation.trace.error = { errorKind: 'invalid_arguments' };
    return errorResult(`Invalid arguments for ${tool.name}: ${describeIssues(parsed.error)}. Nothing was sent to ElevenLabs.`);
  }
  try {
    const result = await tool.handler(parsed.data, context);
    return { content: result.content, structuredContent: result.structuredContent };
  } catch (error) {
    if (error instanceof ToolError) {
      invocation.trace.error = error.logFields();
      return errorResult(error.message);
    }
    invocation.trace.error = { errorKind: 'internal' };
    runtime.logger.error('tool failed unexpectedly', { tool: tool.name, error: describeInternal(error) });
    return errorResult(
      `${tool.name} failed because of an internal error in this server. The failure has been logged; try again, and report it to the server's operator if it persists.`,
    );
  }
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

/** The first issues, each cut to a readable length: 650,000 unknown argument names make one issue of megabytes. */
const DESCRIBED_ISSUES = 8;
const ISSUE_CHARACTERS = 1000;

function describeIssues(error: z.ZodError): string {
  const described = error.issues.slice(0, DESCRIBED_ISSUES).map((issue) => {
    const text = issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
    return text.length > ISSUE_CHARACTERS ? `${text.slice(0, ISSUE_CHARACTERS)}… (cut)` : text;
  });
  const more = error.issues.length - DESCRIBED_ISSUES;
  return described.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** For the log: the error's class, message and stack, which never hold the key (it is not in scope here). */
function describeInternal(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
}
