import type { FakeElevenLabs } from '../fake-elevenlabs.js';
import { detail, type FakeReply, type JsonObject, type RecordedRequest } from '../fake-wire.js';

/**
 * What the agents platform (/v1/convai/...) holds for each API key, as each ElevenLabs account holds
 * its own, and the request and answer conventions its routes share (agents.ts, conversations.ts).
 */

export interface FakeAgent {
  agent_id: string;
  name: string;
  /** As the client sent it (merged with each update): the fake reads a few fields and keeps the rest. */
  conversation_config: JsonObject;
  platform_settings: JsonObject;
  tags: string[];
  created_at_unix_secs: number;
  updated_at_unix_secs: number;
}

export interface FakeDocument {
  id: string;
  name: string;
  type: 'url' | 'text' | 'file';
  url?: string;
  text?: string;
  file?: { filename: string; contentType: string; bytes: Buffer };
}

export interface FakeTranscriptEntry {
  role: 'user' | 'agent';
  message: string | null;
  time_in_call_secs: number;
  tool_calls?: Array<{ request_id: string; tool_name: string; params_as_json: string; tool_has_been_called: boolean }>;
}

export interface FakeConversation {
  conversation_id: string;
  agent_id: string;
  agent_name?: string;
  status: 'initiated' | 'in-progress' | 'processing' | 'done' | 'failed';
  start_time_unix_secs: number;
  call_duration_secs: number;
  termination_reason?: string;
  call_successful: 'success' | 'failure' | 'unknown';
  transcript_summary?: string;
  call_summary_title?: string;
  transcript: FakeTranscriptEntry[];
}

export interface FakePhoneNumber {
  phone_number_id: string;
  phone_number: string;
  label: string;
  provider: 'twilio' | 'sip_trunk' | 'exotel';
  supports_outbound?: boolean;
  assigned_agent?: { agent_id: string; agent_name: string };
}

export interface AgentsAccount {
  readonly agents: Map<string, FakeAgent>;
  readonly documents: Map<string, FakeDocument>;
  readonly conversations: FakeConversation[];
  readonly phoneNumbers: FakePhoneNumber[];
}

const ACCOUNTS = new WeakMap<FakeElevenLabs, Map<string, AgentsAccount>>();

/** The agents-platform data the fake holds for one API key. */
export function agentsOf(fake: FakeElevenLabs, key: string): AgentsAccount {
  let byKey = ACCOUNTS.get(fake);
  if (!byKey) ACCOUNTS.set(fake, (byKey = new Map()));
  let account = byKey.get(key);
  if (!account)
    byKey.set(key, (account = { agents: new Map(), documents: new Map(), conversations: [], phoneNumbers: [] }));
  return account;
}

/** The answer to an agent id this account does not have. */
export function agentNotFound(agentId: string): FakeReply {
  return detail(404, 'agent_not_found', `Agent with id ${agentId} was not found.`);
}

/**
 * One page of `items` as the agents platform lists them: `{ [field]: [...], has_more, next_cursor }`, with
 * page_size and cursor from the query; or the error to answer for a bad page_size or cursor.
 */
export function listPage<T>(
  request: RecordedRequest,
  items: readonly T[],
  field: string,
  summary: (item: T) => unknown,
): FakeReply {
  const pageSize = pageSizeOf(request);
  if (typeof pageSize !== 'number') return pageSize;
  const page = paginate(items, request.query.get('cursor'), pageSize);
  if ('reply' in page) return page.reply;
  return {
    body: { [field]: page.items.map(summary), has_more: page.nextCursor !== null, next_cursor: page.nextCursor },
  };
}

/** page_size as the agents platform takes it: 1 to 100, 30 when absent; otherwise the 422 to answer. */
function pageSizeOf(request: RecordedRequest): number | FakeReply {
  const pageSize = Number(request.query.get('page_size') ?? 30);
  const valid = Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 100;
  return valid ? pageSize : validation('query.page_size', 'Input should be less than or equal to 100');
}

/** Offset cursors, opaque to the client as ElevenLabs' are. */
function paginate<T>(
  items: readonly T[],
  cursor: string | null,
  pageSize: number,
): { items: T[]; nextCursor: string | null } | { reply: FakeReply } {
  let start = 0;
  if (cursor !== null) {
    const decoded = /^o(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
    if (!decoded) return { reply: detail(400, 'invalid_cursor', 'Invalid cursor.') };
    start = Number(decoded[1]);
  }
  const end = start + pageSize;
  return {
    items: items.slice(start, end),
    nextCursor: end < items.length ? Buffer.from(`o${end}`).toString('base64url') : null,
  };
}

/** Lists replace, objects merge: how ElevenLabs applies a partial agent update. */
export function merge(target: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] = isObject(value) && isObject(current) ? merge(current, value) : value;
  }
  return out;
}

/** The request's JSON body when it is an object. */
export function jsonObject(request: RecordedRequest): JsonObject | undefined {
  return isObject(request.json) ? request.json : undefined;
}

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What lies at `path` inside nested JSON objects, as `valueAt(config, 'tts', 'voice_id')`; undefined when
 * anything on the way is missing or not an object.
 */
export function valueAt(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return current;
}

/** `name` when the client gave one, else `fallback`. */
export function nameOr(name: unknown, fallback: string): string {
  return typeof name === 'string' && name.trim() ? name : fallback;
}

/** A query parameter that must be an integer when given: undefined when absent, null when not an integer. */
export function optionalInt(value: string | null): number | undefined | null {
  if (value === null) return undefined;
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** Pydantic's 422 as the agents platform sends it: `loc` is the dotted path `where`. */
export function validation(where: string, msg: string): FakeReply {
  return { status: 422, body: { detail: [{ loc: where.split('.'), msg, type: 'value_error' }] } };
}
