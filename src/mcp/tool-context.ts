import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { requireKey, type Credential } from '../caller.js';
import { createElevenLabsClient, type ClientOptions, type Deadline } from '../elevenlabs/client.js';
import { createDirectApi, type DirectApi } from '../elevenlabs/direct.js';
import { verifiedFetcher } from '../net/verified-fetcher.js';
import { toToolError, ToolError, type UpstreamContext } from '../errors/index.js';
import type { Runtime } from '../runtime.js';
import { createFileStore, MAX_UPLOAD_URLS_PER_REQUEST, type UploadAllowance } from '../storage/file-store.js';
import type { AnyTool, ToolContext } from '../toolkit/define-tool.js';
import type { z } from 'zod';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { describeFailure } from '../logger.js';
import { readAll } from '../toolkit/results.js';

/** What one request contributes to its log line. */
export interface RequestTrace {
  /** The JSON-RPC methods the request carried, in order. */
  rpc?: string[];
  /** The protocol version the request was served in. */
  protocolVersion?: string;
  tool?: string;
  upstreamStatus?: number;
  charactersBilled?: number;
  // For the request metrics (src/metrics.ts), set by the upstream wrapper and the audio store.
  /** Calls made to ElevenLabs, and the milliseconds spent waiting for them in all. */
  upstreamCalls?: number;
  upstreamMs?: number;
  /** Bytes put into the audio bucket. */
  bytesStored?: number;
  /** The failure's kind and its details for operators (ToolError.logFields()), never shown to the model. */
  error?: Record<string, unknown>;
}

export interface Invocation {
  readonly credential: Credential;
  readonly deadline: Deadline;
  readonly trace: RequestTrace;
}

/** Builds the per-request context tools receive: every dependency bound to this caller, created lazily. */
export function createToolContext(runtime: Runtime, invocation: Invocation): ToolContext {
  const { credential, deadline, trace } = invocation;
  let client: Promise<ElevenLabsClient> | undefined;
  let direct: DirectApi | undefined;
  const budgetSeconds = (): number => Math.max(1, Math.round((deadline.at - Date.now()) / 1000));
  const clientOptions = (): ClientOptions => ({
    apiKey: requireKey(credential).apiKey,
    baseUrl: runtime.config.elevenLabsBaseUrl,
    deadline,
    observe: (exchange) => runtime.logger.debug('upstream', { ...exchange }),
    budgets: runtime.budgets,
  });

  /** Runs an upstream call, mapping what it throws to the taxonomy and noting the status for the log. */
  const upstream = async <T>(run: () => Promise<T>, context: UpstreamContext = {}): Promise<T> => {
    const budget = budgetSeconds();
    const started = performance.now();
    try {
      const result = await run();
      trace.upstreamStatus = 200;
      return result;
    } catch (error) {
      if (error instanceof ToolError) throw error;
      const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
      if (typeof status === 'number') trace.upstreamStatus = status;
      // An error that is no upstream failure is ours: it propagates and is reported as internal.
      throw (
        toToolError(error, {
          ...context,
          budgetSeconds: budget,
          deadlineExceeded: deadline.signal.aborted,
          baseUrl: runtime.config.elevenLabsBaseUrl,
        }) ?? error
      );
    } finally {
      trace.upstreamCalls = (trace.upstreamCalls ?? 0) + 1;
      trace.upstreamMs = (trace.upstreamMs ?? 0) + (performance.now() - started);
    }
  };

  const elevenlabs: ToolContext['elevenlabs'] = (call, context) =>
    upstream(async () => call(await (client ??= createElevenLabsClient(clientOptions()))), context);
  const http: ToolContext['http'] = (call, context) =>
    upstream(() => call((direct ??= createDirectApi(clientOptions(), readAll))), context);
  const models: ToolContext['models'] = () => {
    const { callerId } = requireKey(credential);
    return runtime.models.get(callerId, () => http((api) => api.listModels()));
  };
  // Storage and URL downloads only for a key ElevenLabs accepts; the model list is the probe (cached,
  // and text_to_speech needs it anyway). One allowance of upload URLs for the whole request.
  const verifyCaller = (): Promise<void> => runtime.keyVerdicts.verify(requireKey(credential).callerId, models);
  const uploadAllowance: UploadAllowance = { remaining: MAX_UPLOAD_URLS_PER_REQUEST };

  return {
    elevenlabs,
    http,
    audio() {
      const { callerId } = requireKey(credential);
      return createFileStore({
        s3: runtime.s3,
        bucket: runtime.config.audioBucket,
        urlTtlSeconds: runtime.config.audioUrlTtlSeconds,
        callerId,
        signal: deadline.signal,
        verifyCaller,
        uploadAllowance,
        onStored: (bytes) => (trace.bytesStored = (trace.bytesStored ?? 0) + bytes),
      });
    },
    models,
    fetcher: verifiedFetcher(runtime.fetcher, verifyCaller),
    defaults: { voiceId: runtime.config.defaultVoiceId },
    note(fields) {
      if (fields.charactersBilled !== undefined) trace.charactersBilled = fields.charactersBilled;
      if (fields.upstreamStatus !== undefined) trace.upstreamStatus = fields.upstreamStatus;
    },
    signal: deadline.signal,
  };
}

/** Runs the tools of one request: each call's arguments checked, its failures turned into tool results. */
export interface ToolCalls {
  run(tool: AnyTool, args: unknown): Promise<CallToolResult>;
}

/** Tool calls for one request, sharing one tool context (created on the first call). */
export function createToolCalls(runtime: Runtime, invocation: Invocation): ToolCalls {
  let context: ToolContext | undefined;
  return {
    run: (tool, args) => runTool(tool, args, (context ??= createToolContext(runtime, invocation)), runtime, invocation),
  };
}

async function runTool(
  tool: AnyTool,
  args: unknown,
  context: ToolContext,
  runtime: Runtime,
  invocation: Invocation,
): Promise<CallToolResult> {
  const parsed = (tool.input as z.ZodType).safeParse(args);
  if (!parsed.success) {
    invocation.trace.error = { errorKind: 'invalid_arguments' };
    return errorResult(
      `Invalid arguments for ${tool.name}: ${describeIssues(parsed.error)}. Nothing was sent to ElevenLabs.`,
    );
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
    runtime.logger.error('tool failed unexpectedly', { tool: tool.name, error: describeFailure(error) });
    return errorResult(
      `${tool.name} failed because of an internal error in this server. The failure has been logged; try again, and ` +
        `report it to the server's operator if it persists.`,
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
