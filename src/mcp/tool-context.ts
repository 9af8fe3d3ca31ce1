import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { requireKey, type Credential } from '../caller.js';
import { createElevenLabsClient, type Deadline } from '../elevenlabs/client.js';
import { toModelInfo } from '../elevenlabs/models.js';
import { toToolError, ToolError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { createAudioStore } from '../storage/audio-store.js';
import type { ToolContext } from '../tools/define-tool.js';

/** What one request contributes to its log line. */
export interface RequestTrace {
  tool?: string;
  upstreamStatus?: number;
  charactersBilled?: number;
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
  const budgetSeconds = (): number => Math.max(1, Math.round((deadline.at - Date.now()) / 1000));

  const elevenlabs: ToolContext['elevenlabs'] = async (call, context = {}) => {
    const { apiKey } = requireKey(credential);
    const budget = budgetSeconds();
    try {
      client ??= createElevenLabsClient({
        apiKey,
        baseUrl: runtime.config.elevenLabsBaseUrl,
        deadline,
        observe: (exchange) => runtime.logger.debug('upstream', { ...exchange }),
      });
      const result = await call(await client);
      trace.upstreamStatus = 200;
      return result;
    } catch (error) {
      if (error instanceof ToolError) throw error;
      const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
      if (typeof status === 'number') trace.upstreamStatus = status;
      // An error that is no upstream failure is ours: it propagates and is reported as internal.
      throw toToolError(error, { ...context, budgetSeconds: budget, deadlineExceeded: deadline.signal.aborted }) ?? error;
    }
  };

  return {
    elevenlabs,
    audio() {
      const { callerId } = requireKey(credential);
      return createAudioStore({
        s3: runtime.s3,
        bucket: runtime.config.audioBucket,
        urlTtlSeconds: runtime.config.audioUrlTtlSeconds,
        callerId,
        signal: deadline.signal,
      });
    },
    models() {
      const { callerId } = requireKey(credential);
      return runtime.models.get(callerId, () => elevenlabs(async (c) => (await c.models.list()).map(toModelInfo)));
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
