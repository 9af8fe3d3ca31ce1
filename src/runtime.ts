import { ConfigError, parseConfig, type Config } from './config.js';
import type { CallBudget } from './elevenlabs/client.js';
import { KeyVerdicts } from './elevenlabs/key-check.js';
import { ModelListCache } from './elevenlabs/models.js';
import { createLogger, type Logger } from './logger.js';
import { ToolCatalog, ToolSelectionError } from './mcp/catalog.js';
import { servedEntries } from './mcp/catalog.js';
import { createMetrics, type Metrics } from './metrics.js';
import { lazySafeFetcher } from './net/lazy-fetcher.js';
import type { SafeFetcher } from './net/safe-fetch.js';
import { createOAuthServer, type OAuthOverrides, type OAuthServer } from './oauth/index.js';
import { lazyS3, type S3Kit } from './storage/s3.js';

/**
 * What the process holds across invocations: the same for every caller, nothing derived from any
 * caller's key (the model cache and the key verdicts are keyed by caller id and never answer one caller with
 * another's).
 */
export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  /** Request metrics as EMF log lines (src/metrics.ts). */
  readonly metrics: Metrics;
  readonly s3: () => Promise<S3Kit>;
  readonly models: ModelListCache;
  /** Whether ElevenLabs accepted a key, by caller id, for the storage and download tools (key-check.ts). */
  readonly keyVerdicts: KeyVerdicts;
  readonly catalog: ToolCatalog;
  /** Downloads callers' input URLs: https and public addresses only, loaded on first use. It holds no caller data. */
  readonly fetcher: SafeFetcher;
  /** The OAuth authorization server (src/oauth); holds no caller data, loads its secret on first use. */
  readonly oauth: OAuthServer;
  /** How long calls to ElevenLabs may stall (`budgetFor` in src/elevenlabs/client.ts); only tests set it. */
  readonly budgets?: (path: string) => CallBudget;
}

export function createRuntime(
  env: NodeJS.ProcessEnv,
  overrides: Partial<Runtime> = {},
  oauth: OAuthOverrides = {},
): Runtime {
  const config = overrides.config ?? parseConfig(env);
  const logger = overrides.logger ?? createLogger(config.logLevel);
  if (env.ELEVENLABS_API_KEY) {
    // The ElevenLabs SDK falls back to this variable when a client has no key. We always pass the
    // caller's, but a deployment-wide key must never be able to serve anyone: remove it.
    delete env.ELEVENLABS_API_KEY;
    logger.warn(
      'ELEVENLABS_API_KEY was set in the environment and has been removed: every caller sends their own key.',
    );
  }
  const s3 = overrides.s3 ?? lazyS3({ region: config.awsRegion, endpoint: config.s3Endpoint });
  const fetcher = overrides.fetcher ?? lazySafeFetcher();
  return {
    config,
    logger,
    metrics: overrides.metrics ?? createMetrics(env, logger),
    s3,
    models: overrides.models ?? new ModelListCache(),
    keyVerdicts: overrides.keyVerdicts ?? new KeyVerdicts(),
    catalog: overrides.catalog ?? catalogFor(config),
    fetcher,
    oauth: overrides.oauth ?? createOAuthServer({ config, logger, fetcher, s3 }, oauth),
    budgets: overrides.budgets,
  };
}

function catalogFor(config: Config): ToolCatalog {
  try {
    return new ToolCatalog(servedEntries(), config.enabledTools);
  } catch (error) {
    if (error instanceof ToolSelectionError)
      throw new ConfigError(`Invalid configuration: ENABLED_TOOLS: ${error.message}`);
    throw error;
  }
}
