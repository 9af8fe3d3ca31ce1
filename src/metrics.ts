import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from './logger.js';
import type { RequestTrace } from './mcp/tool-context.js';

/**
 * Request metrics as CloudWatch Embedded Metric Format (Powertools Metrics): one JSON line on stdout per
 * request, which CloudWatch Logs turns into metrics on its own. No API call, no timer, no buffer kept
 * across requests: the hot path builds one object and writes one line, after the answer is built.
 *
 * Every line carries two dimension sets: `service` alone (what the alarms watch) and
 * `service, tool, outcome` (the dashboard's breakdowns: requests by tool and outcome, errors by kind).
 */

/** The CloudWatch namespace; template.yaml's alarms and dashboard name it too. */
export const METRICS_NAMESPACE = 'ElevenLabsMCP';
export const METRICS_SERVICE = 'elevenlabs-mcp';

/** Metric names, shared with template.yaml (a test checks that every name the template uses is one of these). */
export const METRIC = {
  /** Every request the function answered. */
  requests: 'Requests',
  /** Calls made to ElevenLabs (retries inside one call are one). */
  upstreamCalls: 'UpstreamCalls',
  /** Time spent waiting for ElevenLabs during the request, all its calls together. */
  upstreamLatency: 'UpstreamLatency',
  /** Requests that ended with an error ElevenLabs answered (or failed to), of any kind: see `outcome`. */
  upstreamErrors: 'UpstreamErrors',
  /** The part of those that is ElevenLabs' side, not the caller's: unavailable, or timed out. */
  upstreamFaults: 'UpstreamFaults',
  charactersBilled: 'CharactersBilled',
  /** Bytes this request put into the audio bucket. */
  bytesStored: 'BytesStored',
  /** Requests whose key ElevenLabs refused, or that was unusable before any call. */
  rejectedKeys: 'RejectedKeys',
} as const;

/** Error kinds (ToolError.kind) of the UpstreamError classes in src/errors/upstream.ts. */
export const UPSTREAM_ERROR_KINDS: ReadonlySet<string> = new Set([
  'invalid_api_key',
  'quota_exceeded',
  'permission_denied',
  'feature_not_in_plan',
  'not_found',
  'voice_not_found',
  'arguments_rejected',
  'rate_limited',
  'upstream_unavailable',
  'upstream_timeout',
  'upstream_stalled',
  'upstream_unreachable',
]);
const UPSTREAM_FAULT_KINDS: ReadonlySet<string> = new Set([
  'upstream_unavailable',
  'upstream_timeout',
  'upstream_stalled',
  'upstream_unreachable',
]);
const REJECTED_KEY_KINDS: ReadonlySet<string> = new Set(['invalid_api_key', 'malformed_api_key']);

/** What the request's log step knows besides the trace. */
export interface RequestFacts {
  /** The HTTP status answered. */
  readonly status: number;
  /** The JSON-RPC methods of the request (empty for requests answered before JSON-RPC, e.g. /health, 405). */
  readonly methods: readonly string[];
}

export type { Metrics };

/**
 * The `service` dimension is the function's name in Lambda (template.yaml's alarms and dashboard select
 * `service = <the function>`), so that two deployments in one account never mix their figures;
 * POWERTOOLS_SERVICE_NAME overrides it. POWERTOOLS_METRICS_DISABLED=true turns the lines off (the test
 * suite does, outside its metrics tests).
 */
export function createMetrics(env: NodeJS.ProcessEnv, logger?: Logger): Metrics {
  const serviceName = env.POWERTOOLS_SERVICE_NAME || env.AWS_LAMBDA_FUNCTION_NAME || METRICS_SERVICE;
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName, ...(logger ? { logger } : {}) });
}

/**
 * Writes the request's EMF line. `tool` is the tool called, else the JSON-RPC method (`initialize`,
 * `tools/list`, `batch` for several), else `http` (health, refused methods); `outcome` is `ok`, the error
 * kind (`invalid_api_key`, `rate_limited`, `internal`, ...), or `http_<status>` for a refusal without one.
 */
export function publishRequestMetrics(metrics: Metrics, trace: RequestTrace, facts: RequestFacts): void {
  try {
    writeRequestMetrics(metrics, trace, facts);
  } catch (error) {
    // Powertools throws on values CloudWatch would refuse (a value that is no number, too many dimensions).
    // The answer is already built: a metric must never turn it into a failed invocation. Say so on stderr
    // and drop the line.
    metrics.clearMetrics();
    metrics.clearDimensions();
    const warning = {
      level: 'WARN',
      message: 'request metrics not written',
      error: error instanceof Error ? error.message : String(error),
    };
    process.stderr.write(`${JSON.stringify(warning)}\n`);
  }
}

function writeRequestMetrics(metrics: Metrics, trace: RequestTrace, facts: RequestFacts): void {
  const kind = typeof trace.error?.errorKind === 'string' ? trace.error.errorKind : undefined;
  const tool =
    trace.tool ?? (facts.methods.length === 1 ? facts.methods[0]! : facts.methods.length > 1 ? 'batch' : 'http');
  const outcome = kind ?? (facts.status >= 400 ? `http_${facts.status}` : 'ok');
  const calls = trace.upstreamCalls ?? 0;
  const upstreamKind = kind !== undefined && calls > 0 && UPSTREAM_ERROR_KINDS.has(kind) ? kind : undefined;

  metrics.addDimensions({});
  metrics.addDimensions({ tool, outcome });
  metrics.addMetric(METRIC.requests, MetricUnit.Count, 1);
  if (calls > 0) {
    metrics.addMetric(METRIC.upstreamCalls, MetricUnit.Count, calls);
    metrics.addMetric(METRIC.upstreamLatency, MetricUnit.Milliseconds, Math.round((trace.upstreamMs ?? 0) * 10) / 10);
    // 0 or 1 on every request that called out, so their Average is a rate (the alarm's).
    metrics.addMetric(METRIC.upstreamErrors, MetricUnit.Count, upstreamKind ? 1 : 0);
    metrics.addMetric(
      METRIC.upstreamFaults,
      MetricUnit.Count,
      upstreamKind && UPSTREAM_FAULT_KINDS.has(upstreamKind) ? 1 : 0,
    );
  }
  // NaN would pass Powertools' checks and serialize as null, which CloudWatch refuses.
  if (trace.charactersBilled !== undefined && !Number.isNaN(trace.charactersBilled))
    metrics.addMetric(METRIC.charactersBilled, MetricUnit.Count, trace.charactersBilled);
  if (trace.bytesStored !== undefined) metrics.addMetric(METRIC.bytesStored, MetricUnit.Bytes, trace.bytesStored);
  // Always present, so that the alarm's sum is 0 rather than missing while all is well.
  metrics.addMetric(METRIC.rejectedKeys, MetricUnit.Count, kind !== undefined && REJECTED_KEY_KINDS.has(kind) ? 1 : 0);
  metrics.publishStoredMetrics();
}
