import { specTypeSchemas, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/server';

/** A JSON-RPC error answer as it goes on the wire. */
export interface ErrorAnswer {
  readonly jsonrpc: '2.0';
  readonly id: RequestId | null;
  readonly error: { readonly code: number; readonly message: string; readonly data?: unknown };
}

export function errorAnswer(id: RequestId | null, error: ErrorAnswer['error']): ErrorAnswer {
  return { jsonrpc: '2.0', id, error };
}

/** A JSON-RPC error as an HTTP answer, for refusals the SDK never sees. */
export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  options: { id?: RequestId | null; data?: unknown; headers?: Record<string, string> } = {},
): Response {
  const error = options.data === undefined ? { code, message } : { code, message, data: options.data };
  return Response.json(errorAnswer(options.id ?? null, error), { status, headers: options.headers });
}

/** The id of a message, when it has a valid one. */
export function idOf(message: unknown): RequestId | null {
  const id = typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : undefined;
  return typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id)) ? id : null;
}

/** Why a value is not a JSON-RPC 2.0 request, notification or response; undefined when it is one. */
export function invalidMessageProblem(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'each message must be a JSON object.';
  const message = item as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return 'the "jsonrpc" member must be "2.0".';
  if ('id' in message && !(typeof message.id === 'string' || Number.isInteger(message.id))) {
    return 'the "id" member must be a string or an integer.';
  }
  if ('method' in message) {
    if (typeof message.method !== 'string') return 'the "method" member must be a string.';
    if (
      'params' in message &&
      (typeof message.params !== 'object' || message.params === null || Array.isArray(message.params))
    ) {
      return 'the "params" member must be an object.';
    }
    return undefined;
  }
  if (!('id' in message) || !('result' in message || 'error' in message)) {
    return 'a message needs a "method" (request or notification), or an "id" with a "result" or "error" (response).';
  }
  if ('result' in message && 'error' in message) return 'a response carries exactly one of "result" and "error".';
  return undefined;
}

/** Most messages and argument names a debug line describes; a batch of 100 or 10,000 argument names stays a few KB. */
const DESCRIBED_MESSAGES = 10;
const DESCRIBED_ARGUMENTS = 20;

/** For debug logs: methods, ids, tool names and argument names, never argument values (text, keys, URLs). */
export function describeMessages(messages: readonly unknown[]): Array<Record<string, unknown>> {
  const described = messages.slice(0, DESCRIBED_MESSAGES).map((item) => {
    const m = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const params =
      typeof m.params === 'object' && m.params !== null
        ? (m.params as { name?: unknown; arguments?: unknown })
        : undefined;
    const args = params?.arguments && typeof params.arguments === 'object' ? Object.keys(params.arguments) : undefined;
    return {
      ...(idOf(m) !== null ? { id: typeof m.id === 'string' ? m.id.slice(0, 64) : m.id } : {}),
      ...(typeof m.method === 'string' ? { method: m.method.slice(0, 64) } : { response: true }),
      ...(typeof params?.name === 'string' ? { tool: params.name.slice(0, 64) } : {}),
      ...(args
        ? { arguments: args.slice(0, DESCRIBED_ARGUMENTS).map((name) => name.slice(0, 64)), argumentCount: args.length }
        : {}),
    };
  });
  return messages.length > DESCRIBED_MESSAGES
    ? [...described, { more: messages.length - DESCRIBED_MESSAGES }]
    : described;
}

/** The methods whose params are checked here: the SDK answers bad params with a dump of schema issues. */
const PARAMS_SCHEMAS = {
  initialize: specTypeSchemas.InitializeRequest,
  ping: specTypeSchemas.PingRequest,
  'tools/list': specTypeSchemas.ListToolsRequest,
  'tools/call': specTypeSchemas.CallToolRequest,
} as const;
const INVALID_PARAMS = -32602;

/** A -32602 answer with a sentence, for a request whose params do not fit its method; undefined when they do. */
export function invalidParams(message: JSONRPCMessage): ErrorAnswer | undefined {
  if (!('method' in message) || !('id' in message)) return undefined;
  const schema = PARAMS_SCHEMAS[message.method as keyof typeof PARAMS_SCHEMAS];
  const verdict = schema?.['~standard'].validate(message);
  if (!verdict?.issues) return undefined;
  const issues = verdict.issues
    .slice(0, 5)
    .map((issue) => {
      const path = (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)).join('.');
      return `${path.slice(0, 100) || 'params'}: ${issue.message.slice(0, 200)}`;
    })
    .join('; ');
  return errorAnswer(message.id, { code: INVALID_PARAMS, message: `Invalid params for ${message.method}: ${issues}` });
}

/** Nesting deeper than this is no MCP message; refusing it keeps validation off deep recursion. */
const MAX_JSON_DEPTH = 64;

/** A request body read as one JSON value, or why it is none. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; problem: string };

export function parseBody(bytes: ArrayBuffer): ParsedBody {
  if (bytes.byteLength === 0) return { ok: false, problem: 'the request body is empty; send one JSON-RPC message.' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problem: 'the request body is not valid UTF-8.' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the request body is not valid JSON.' };
  }
  if (depthExceeds(value, MAX_JSON_DEPTH))
    return { ok: false, problem: `JSON nested deeper than ${MAX_JSON_DEPTH} levels.` };
  return { ok: true, value };
}

function depthExceeds(root: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}
