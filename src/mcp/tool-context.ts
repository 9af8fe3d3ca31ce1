import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { requireKey, type Credential } from '../caller.js';
import { createElevenLabsClient, type ClientOptions, type Deadline } from '../elevenlabs/client.js';
import { createDirectApi, type DirectApi } from '../elevenlabs/direct.js';
import { toToolError, ToolError, type UpstreamContext } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { createAudioStore } from '../storage/audio-store.js';
import type { ToolContext } from '../tools/define-tool.js';
import { readAll } from '../tools/results.js';

/** What one request contributes to its log line. */
export interface RequestTrace {
  tool?: string;
  upstreamStatus?: number;
  charactersBilled?: number;
  // ops (metrics): set by the upstream wrapper and the audio store below; read by src/metrics.ts.
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
  });

  /** Runs an upstream call, mapping what it throws to the taxonomy and noting the status for the log. */
  const upstream = async <T>(run: () => Promise<T>, context: UpstreamContext = {}): Promise<T> => {
    const budget = budgetSeconds();
    const started = performance.now(); // ops (metrics): upstream latency
    try {
      const result = await run();
      trace.upstreamStatus = 200;
      return result;
    } catch (error) {
      if (error instanceof ToolError) throw error;
      const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
      if (typeof status === 'number') trace.upstreamStatus = status;
      // An error that is no upstream failure is ours: it propagates and is reported as internal.
      throw toToolError(error, { ...context, budgetSeconds: budget, deadlineExceeded: deadline.signal.aborted }) ?? error;
    } finally {
      trace.upstreamCalls = (trace.upstreamCalls ?? 0) + 1; // ops (metrics)
      trace.upstreamMs = (trace.upstreamMs ?? 0) + (performance.now() - started); // ops (metrics)
    }
  };

  const elevenlabs: ToolContext['elevenlabs'] = (call, context) =>
    upstream(async () => call(await (client ??= createElevenLabsClient(clientOptions()))), context);
  const http: ToolContext['http'] = (call, context) => upstream(() => call((direct ??= createDirectApi(clientOptions(), readAll))), context);

  return {
    elevenlabs,
    http,
    audio() {
      const { callerId } = requireKey(credential);
      return createAudioStore({
        s3: runtime.s3,
        bucket: runtime.config.audioBucket,
        urlTtlSeconds: runtime.config.audioUrlTtlSeconds,
        callerId,
        signal: deadline.signal,
        onStored: (bytes) => (trace.bytesStored = (trace.bytesStored ?? 0) + bytes), // ops (metrics)
      });
    },
    models() {
      const { callerId } = requireKey(credential);
      return runtime.models.get(callerId, () => http((api) => api.listModels()));
    },
    fetcher: runtime.fetcher,
    defaults: { voiceId: runtime.config.defaultVoiceId },
    note(fields) {
      if (fields.charactersBilled !== undefined) trace.charactersBilled = fields.charactersBilled;
      if (fields.upstreamStatus !== undefined) trace.upstreamStatus = fields.upstreamStatus;
    },
    signal: deadline.signal,
  };
}
