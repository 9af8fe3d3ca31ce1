/**
 * THE NAIVE PATTERN, for comparison only (never deployed): the usual way of building such a server today,
 * as the v2 SDK documents it (typescript-sdk docs/serving/web-standard.md and http.md).
 *
 * - The ElevenLabs SDK is imported at the top, so every cold start loads it, even for initialize.
 * - `createMcpHandler` from `@modelcontextprotocol/server` serves every protocol era, with a factory that
 *   builds a fresh `McpServer` per request and registers every tool with its zod schemas (`registerTool`),
 *   so the SDK converts each tool's schemas to JSON Schema again on every tools/list.
 * - The caller is passed as the docs pass it: `fetch(request, { authInfo })`, read back by the factory.
 * - Every request with a key constructs an ElevenLabs client up front, whether a tool needs it or not.
 *
 * Everything else is ours, so that the comparison isolates the pattern: the same tool definitions and
 * handler functions (src/tools), the same event parsing and result building (src/http), the same
 * configuration, logger, model cache and lazily loaded S3 client (src/runtime.ts), the same upstream
 * fetch with deadline, and one log line per request. It skips our HTTP checks (route.ts): the events the
 * bench sends are all well-formed POSTs.
 */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { createMcpHandler, McpServer, type CallToolResult } from '@modelcontextprotocol/server';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { requireKey, type Credential } from '../../src/caller.js';
import { fetchWithinDeadline } from '../../src/elevenlabs/client.js';
import { deadlineFrom, type Deadline } from '../../src/net/deadline.js';
import type { DirectApi } from '../../src/elevenlabs/direct.js';
import { toToolError, ToolError } from '../../src/errors/index.js';
import type { InvocationContext } from '../../src/handler.js';
import { parseFunctionUrlEvent } from '../../src/http/event-parser.js';
import { toFunctionUrlResult, type FunctionUrlResult } from '../../src/http/response-builder.js';
import { createToolContext, type RequestTrace } from '../../src/mcp/tool-context.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import type { ToolContext } from '../../src/toolkit/define-tool.js';
import { loadAllTools } from '../../src/tools/index.js';

const ALL_TOOLS = await loadAllTools();
import { compact } from '../../src/toolkit/compact.js';
import { readAll } from '../../src/toolkit/results.js';
import { SERVER_NAME, VERSION } from '../../src/version.js';

const runtime = createRuntime(process.env);

/** What this request's tools run with, handed to the factory through `authInfo.extra`. */
interface PerRequest {
  readonly tools: ToolContext;
  readonly trace: RequestTrace;
}

const mcp = createMcpHandler(({ authInfo }) => {
  // handler() below passes authInfo with every request; without it the tools would have nothing to run with.
  if (!authInfo?.extra) throw new Error('the naive handler passes authInfo.extra with every request');
  const { tools, trace } = authInfo.extra as unknown as PerRequest;
  const server = new McpServer({ name: SERVER_NAME, version: VERSION });
  for (const tool of ALL_TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: tool.annotations,
      },
      // McpServer validates the arguments against `inputSchema`, and turns anything thrown (our
      // ToolErrors carry the model-facing sentence) into an isError result with its message.
      async (args: unknown): Promise<CallToolResult> => {
        trace.tool = tool.name;
        const result = await tool.handler(args as never, tools);
        return { content: result.content, structuredContent: result.structuredContent } as CallToolResult;
      },
    );
  }
  return server;
});

export async function handler(event: LambdaFunctionURLEvent, context: InvocationContext): Promise<FunctionUrlResult> {
  const started = performance.now();
  const parsed = parseFunctionUrlEvent(event);
  const deadline = deadlineFrom(context.getRemainingTimeInMillis());
  const trace: RequestTrace = {};
  const tools = toolContext(runtime, parsed.credential, deadline, trace);
  const perRequest: PerRequest = { tools, trace };
  const response = await mcp.fetch(parsed.request, {
    authInfo: {
      token: parsed.credential.kind === 'present' ? parsed.credential.apiKey : '',
      clientId: 'caller',
      scopes: [],
      extra: perRequest as unknown as Record<string, unknown>,
    },
  });
  const result = await toFunctionUrlResult(response);
  runtime.logger.info('request', {
    requestId: context.awsRequestId,
    status: result.statusCode,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    tool: trace.tool,
    upstreamStatus: trace.upstreamStatus,
  });
  return result;
}

/** Our tool context, with the ElevenLabs client created eagerly for every request that has a key. */
function toolContext(runtime: Runtime, credential: Credential, deadline: Deadline, trace: RequestTrace): ToolContext {
  const client =
    credential.kind === 'present'
      ? new ElevenLabsClient({
          apiKey: credential.apiKey,
          baseUrl: runtime.config.elevenLabsBaseUrl,
          maxRetries: 0,
          timeoutInSeconds: Math.max(1, Math.ceil((deadline.at - Date.now()) / 1000) + 1),
          fetch: (input, init) => fetchWithinDeadline(input, init, deadline),
        })
      : undefined;

  const elevenlabs: ToolContext['elevenlabs'] = async (call, upstream = {}) => {
    const { apiKey } = requireKey(credential);
    if (!client || !apiKey) throw new Error('unreachable: a key without a client');
    try {
      const result = await call(client);
      trace.upstreamStatus = 200;
      return result;
    } catch (error) {
      if (error instanceof ToolError) throw error;
      throw (
        toToolError(error, {
          ...upstream,
          budgetSeconds: (deadline.at - Date.now()) / 1000,
          deadlineExceeded: deadline.signal.aborted,
        }) ?? error
      );
    }
  };

  // The usual way has no plain-HTTP path: what our tools send over plain HTTP goes through the SDK here.
  const http: ToolContext['http'] = (call, upstream) => elevenlabs((c) => call(viaSdk(c)), upstream);

  return {
    // Storage, fetcher, defaults and notes exactly as ours (the S3 client stays lazy in both).
    ...createToolContext(runtime, { credential, deadline, trace }),
    elevenlabs,
    http,
    models() {
      const { callerId } = requireKey(credential);
      return runtime.models.get(callerId, () => http((api) => api.listModels()));
    },
  };
}

/** Our plain-HTTP calls (src/elevenlabs/direct.ts) made with the SDK instead, as a server without them would. */
function viaSdk(client: ElevenLabsClient): DirectApi {
  return {
    async textToSpeech({ voiceId, outputFormat, withTimestamps, body }) {
      const b = body as Record<string, any>;
      const settings = b.voice_settings as Record<string, any> | undefined;
      const request = compact({
        text: b.text as string,
        modelId: b.model_id,
        outputFormat: outputFormat as 'mp3_44100_128',
        voiceSettings: settings && {
          stability: settings.stability,
          similarityBoost: settings.similarity_boost,
          style: settings.style,
          useSpeakerBoost: settings.use_speaker_boost,
          speed: settings.speed,
        },
        languageCode: b.language_code,
        seed: b.seed,
        previousText: b.previous_text,
        nextText: b.next_text,
      });
      if (!withTimestamps) {
        const { data, rawResponse } = await client.textToSpeech.convert(voiceId, request).withRawResponse();
        return { audio: await readAll(data), headers: rawResponse.headers, alignment: null, normalizedAlignment: null };
      }
      const { data, rawResponse } = await client.textToSpeech.convertWithTimestamps(voiceId, request).withRawResponse();
      const alignment = (a: typeof data.alignment) =>
        a
          ? {
              characters: a.characters,
              character_start_times_seconds: a.characterStartTimesSeconds,
              character_end_times_seconds: a.characterEndTimesSeconds,
            }
          : null;
      return {
        audio: new Uint8Array(Buffer.from(data.audioBase64, 'base64')),
        headers: rawResponse.headers,
        alignment: alignment(data.alignment),
        normalizedAlignment: alignment(data.normalizedAlignment),
      };
    },
    async listModels() {
      return (await client.models.list()).map((m) => ({
        modelId: m.modelId,
        name: m.name,
        description: m.description,
        canDoTextToSpeech: m.canDoTextToSpeech ?? false,
        canDoVoiceConversion: m.canDoVoiceConversion ?? false,
        maxCharacters:
          m.maximumTextLengthPerRequest ?? m.maxCharactersRequestSubscribedUser ?? m.maxCharactersRequestFreeUser,
        languages: (m.languages ?? []).map((l) => ({ languageId: l.languageId, name: l.name })),
      }));
    },
    async searchVoices(search) {
      const page = await client.voices.search({ search, pageSize: 100 });
      return page.voices.map((v) => ({ voiceId: v.voiceId, name: v.name }));
    },
  };
}
