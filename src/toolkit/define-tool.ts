import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { DirectApi } from '../elevenlabs/direct.js';
import type { UpstreamContext } from '../errors/index.js';
import type { ModelInfo } from '../elevenlabs/models.js';
import type { SafeFetcher } from '../net/safe-fetch.js';
import type { FileStore } from '../storage/file-store.js';

/**
 * What a tool gets for one call: everything bound to this request's caller, built per request and
 * passed in. Tools never import the ElevenLabs SDK, S3 or the configuration themselves.
 */
export interface ToolContext {
  /**
   * Runs `call` with an ElevenLabs client bound to the caller's key (the SDK is loaded on first use).
   * Anything it throws comes out mapped to the error taxonomy, `context` naming what a 404 means.
   * Throws MissingApiKeyError when the request carried no key.
   */
  elevenlabs<T>(call: (client: ElevenLabsClient) => Promise<T>, context?: UpstreamContext): Promise<T>;
  /**
   * The same, with plain HTTP for the endpoints on the way to a first audio file (text to speech, the
   * model list, a voice search by name), which spares a cold start the SDK's load (see direct.ts).
   */
  http<T>(call: (api: DirectApi) => Promise<T>, context?: UpstreamContext): Promise<T>;
  /** The caller's audio in S3. Throws MissingApiKeyError without a key (the key names the prefix). */
  audio(): FileStore;
  /** The models this caller can use, cached briefly per caller. */
  models(): Promise<readonly ModelInfo[]>;
  /**
   * Downloads input URLs (https, public addresses only, re-checked on every redirect). Tools reach it
   * through `resolveInput` in src/audio/inputs.ts rather than directly.
   */
  readonly fetcher: SafeFetcher;
  /** Deployment defaults a tool may fall back on. */
  readonly defaults: { readonly voiceId: string };
  /** Facts for the request's log line (never the key, never the text). */
  note(fields: { charactersBilled?: number; upstreamStatus?: number }): void;
  /** Fires when the invocation is about to run out of time. */
  readonly signal: AbortSignal;
}

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/** A tool as its file defines it; its name is the key it is listed under in src/tools/index.ts. */
export interface ToolDefinition<I extends ObjectSchema = ObjectSchema, O extends ObjectSchema = ObjectSchema> {
  /** Shown to people (tools/list `title`; `annotations.title` for clients of 2025-03-26). */
  readonly title: string;
  /** What the model reads to decide when and how to call the tool. Paid tools say they cost credits. */
  readonly description: string;
  readonly input: I;
  readonly output: O;
  /** The hints; the title is `title`, said once. */
  readonly annotations: Omit<ToolAnnotations, 'title'>;
  /** Tool groups it belongs to, for `x-elevenlabs-tools` and ENABLED_TOOLS. */
  readonly groups: readonly string[];
  /** The tools/list entry's `_meta`: for an audio tool, the MCP Apps player that renders its result. */
  readonly meta?: Readonly<Record<string, unknown>>;
  handler(args: z.output<I>, context: ToolContext): Promise<ToolResult<z.input<O>>>;
}

/** A definition under its name, as the catalog loads it. */
export type NamedTool<I extends ObjectSchema = ObjectSchema, O extends ObjectSchema = ObjectSchema> = ToolDefinition<
  I,
  O
> & { readonly name: string };

/** Any tool, whatever its schemas: what the catalog, the runner and the tests hold. */
// biome-ignore lint/suspicious/noExplicitAny: the schemas differ per tool; each file is checked against its own.
export type AnyTool = NamedTool<any, any>;

/** A successful result: text for the model, structured data matching the tool's output schema. */
export interface ToolResult<S> {
  readonly content: CallToolResult['content'];
  readonly structuredContent: S;
}

/** Identity, for inference: each tool file's default export is `defineTool({...})`. */
export function defineTool<I extends ObjectSchema, O extends ObjectSchema>(
  definition: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return definition;
}

/**
 * Schemas tools/list shows as a plain object with their description: a value the model hands back as it
 * received it, whose shape another tool's listing spells out (a composition plan). Arguments and results
 * are still checked against the whole schema.
 */
export const LISTED_AS_OBJECT = new WeakSet<z.ZodType>();

/** Marks `schema` itself: mark the outermost schema that carries a `.describe()`, or one that `.optional()` wraps. */
export function listedAsObject<T extends z.ZodType>(schema: T): T {
  LISTED_AS_OBJECT.add(schema);
  return schema;
}

export const COST_NOTE = "Costs ElevenLabs credits on the caller's account; only call it when the user asked for it.";
