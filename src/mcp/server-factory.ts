import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { JsonSchemaValidator, JsonSchemaValidatorResult, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { z } from 'zod';
import { ToolError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import type { ToolContext } from '../tools/define-tool.js';
import { SERVER_NAME, VERSION } from '../version.js';
import type { AnyTool, ToolView } from './catalog.js';
import { createToolContext, type Invocation } from './tool-context.js';

const INSTRUCTIONS =
  'ElevenLabs speech, voices and audio tools. Generated audio is stored privately for the API key that made it and returned as a ' +
  'download link (resource_link / structuredContent.url) that expires; get_audio_url issues a fresh one from the audio_id. ' +
  'Tools marked as costing credits spend the caller\'s ElevenLabs credits: call them only when the user asked.';

/**
 * The server never validates JSON Schemas itself (that is for elicitation, which a stateless JSON-mode
 * server cannot do); passing this keeps the SDK from building an Ajv instance on every request.
 */
const NO_SCHEMA_VALIDATION: jsonSchemaValidator = {
  getValidator<T>(): JsonSchemaValidator<T> {
    return (input) => ({ valid: true, data: input, errorMessage: undefined }) as JsonSchemaValidatorResult<T>;
  },
};

/**
 * A fresh MCP server for one request and one caller, offering the tools in `tools` (a view of the
 * shared, static catalog). Everything bound to the caller lives in the tool context created here.
 */
export function createMcpServer(runtime: Runtime, invocation: Invocation, tools: ToolView): Server {
  const server = new Server(
    { name: SERVER_NAME, title: 'ElevenLabs', version: VERSION },
    {
      capabilities: { tools: { listChanged: false } },
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: NO_SCHEMA_VALIDATION,
    },
  );
  let context: ToolContext | undefined;

  server.setRequestHandler(ListToolsRequestSchema, () => tools.list());

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: args } = request.params;
    const entry = tools.find(name);
    if (!entry) {
      // A protocol error, as in the 2025-11-25 specification's example: the model named no tool of ours.
      throw new ProtocolError(ErrorCode.InvalidParams, `Unknown tool: ${JSON.stringify(name.slice(0, 100))}. Call tools/list for the tools this server offers.`);
    }
    invocation.trace.tool = entry.name;
    context ??= createToolContext(runtime, invocation);
    return runTool(await entry.load(), args ?? {}, context, runtime, invocation);
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
    return errorResult(`${tool.name} failed because of an internal error in this server. The failure has been logged; try again, and report it to the server's operator if it persists.`);
  }
}

/**
 * A JSON-RPC error from a request handler. The SDK sends `message` and `code` as they are; its own
 * McpError would prefix the message with "MCP error <code>: ".
 */
class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** For the log: the error's class, message and stack, which never hold the key (it is not in scope here). */
function describeInternal(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
}
