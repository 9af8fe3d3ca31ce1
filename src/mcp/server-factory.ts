import { ProtocolError, ProtocolErrorCode, Server, type jsonSchemaValidator } from '@modelcontextprotocol/server';
import type { Runtime } from '../runtime.js';
import { listUiResources, readUiResource, UnknownUiResourceError } from '../ui/resources.js';
import { SERVER_NAME, VERSION } from '../version.js';
import type { ToolView } from './catalog.js';
import { forProtocol } from './protocol-versions.js';
import type { Invocation, ToolCalls } from './tool-context.js';

const INSTRUCTIONS =
  'ElevenLabs speech, voices and audio tools. Generated audio is stored privately for the API key that made it and ' +
  'returned as a ' +
  'download link (in the text, and as resource_link / structuredContent.url where the client supports them) that ' +
  'expires; ' +
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
export function createMcpServer(
  runtime: Runtime,
  invocation: Invocation,
  tools: ToolView,
  protocolVersion: string,
): Server {
  const server = new Server(
    { name: SERVER_NAME, title: 'ElevenLabs', version: VERSION },
    {
      // No prompts and no log messages to send, but both declared so that clients asking get an answer
      // (an empty list; a level accepted) rather than "method not found".
      capabilities: {
        tools: { listChanged: false },
        resources: { listChanged: false },
        prompts: { listChanged: false },
        logging: {},
      },
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: NO_SCHEMA_VALIDATION,
      cacheHints: CACHE_HINTS,
    },
  );
  const shape = forProtocol(protocolVersion);
  // Tool calls need the ElevenLabs clients, the file store and the error taxonomy: loaded on the first
  // call, so that initialize and tools/list never parse them.
  let calls: Promise<ToolCalls> | undefined;

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
      if (error instanceof UnknownUiResourceError)
        throw new ProtocolError(error.code, error.message, { uri: error.uri });
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
    calls ??= import('./tool-context.js').then(({ createToolCalls }) => createToolCalls(runtime, invocation));
    const [tool, { run }] = await Promise.all([entry.load(), calls]);
    return shape.toolResult(await run(tool, args ?? {}));
  });

  return server;
}
