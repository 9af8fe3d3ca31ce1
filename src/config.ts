import { z } from 'zod';

/** Public API hosts, one per data-residency region (see the ElevenLabs SDK's `ElevenLabsEnvironment`). */
export const RESIDENCY_BASE_URLS = {
  us: 'https://api.us.elevenlabs.io',
  eu: 'https://api.eu.residency.elevenlabs.io',
  in: 'https://api.in.residency.elevenlabs.io',
  sg: 'https://api.sg.residency.elevenlabs.io',
} as const;

export const DEFAULT_BASE_URL = 'https://api.elevenlabs.io';

/** The voice the official ElevenLabs MCP server falls back to when neither voice_id nor voice_name is given. */
export const DEFAULT_VOICE_ID = 'cgSgspJ2msm6clMCkdW9';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const optionalString = z
  .string()
  .transform((value) => value.trim())
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^\s/]+/i.test(value) && URL.canParse(value), 'must be an http(s) URL')
  .transform((value) => value.replace(/\/+$/, ''));

function isLoopbackUrl(value: string): boolean {
  const host = new URL(value).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ELEVENLABS_BASE_URL: httpUrl.optional().or(z.literal('').transform(() => undefined)),
  ELEVENLABS_RESIDENCY: z
    .enum(['us', 'eu', 'in', 'sg'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ELEVENLABS_DEFAULT_VOICE_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/, 'must be an ElevenLabs voice id (letters and digits)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  AUDIO_BUCKET: optionalString.pipe(
    z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)',
      )
      .optional(),
  ),
  AWS_REGION: optionalString,
  AWS_ENDPOINT_URL_S3: httpUrl.optional().or(z.literal('').transform(() => undefined)),
  AUDIO_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60, 'must be at least 60 seconds')
    .max(604800, 'must be at most 604800 seconds (7 days, the SigV4 limit)')
    .default(3600),
  ALLOWED_ORIGINS: commaList.pipe(
    z.array(
      z
        .string()
        .refine(
          (origin) => origin === '*' || /^https?:\/\/[^/\s]+$/i.test(origin),
          'each entry must be an origin such as https://app.example.com (scheme and host, no path) or *',
        ),
    ),
  ),
  ENABLED_TOOLS: commaList,
  OAUTH: z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim().toLowerCase() || 'on')
    .pipe(z.enum(['on', 'off', 'true', 'false', '1', '0']))
    .transform((value) => value === 'on' || value === 'true' || value === '1'),
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60, 'must be at least 60 seconds')
    .max(86400, 'must be at most 86400 seconds (a day)')
    .default(3600),
  OAUTH_REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(3600, 'must be at least 3600 seconds')
    // The bucket's lifecycle rule keeps redemption records 31 days: a refresh token must not outlive its record.
    .max(30 * 86400, 'must be at most 2592000 seconds (30 days, what the redemption records are kept for)')
    .default(30 * 86400),
  PUBLIC_BASE_URL: httpUrl
    .refine(
      (value) => new URL(value).pathname === '/' && !new URL(value).search && !new URL(value).hash,
      'must be an origin such as https://mcp.example.com (no path)',
    )
    .refine(
      (value) => value.startsWith('https://') || isLoopbackUrl(value),
      'must be https (plain http only on a loopback address)',
    )
    .optional()
    .or(z.literal('').transform(() => undefined)),
  OAUTH_SECRET_ARN: optionalString,
  OAUTH_SECRET_FILE: optionalString,
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim().toLowerCase() || 'info')
    .pipe(z.enum(LOG_LEVELS)),
});

export interface Config {
  port: number;
  elevenLabsBaseUrl: string;
  defaultVoiceId: string;
  audioBucket: string | undefined;
  /** Set by Lambda; us-east-1 for a local S3-compatible server. */
  awsRegion: string;
  s3Endpoint: string | undefined;
  audioUrlTtlSeconds: number;
  allowedOrigins: readonly string[];
  /** Tool names or groups this deployment offers; empty means every tool. Checked against the catalog at start-up. */
  enabledTools: readonly string[];
  logLevel: LogLevel;
  /** The OAuth authorization server and the 401 for requests without a credential (src/oauth). */
  oauth: OAuthConfig;
}

export interface OAuthConfig {
  enabled: boolean;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** The origin clients reach this server at, when a proxy or custom domain hides it from the request. */
  publicBaseUrl: string | undefined;
  /** The Secrets Manager secret holding the token-sealing secret (template.yaml sets it). */
  secretArn: string | undefined;
  /** A local file holding it, generated when missing (`npm start`). */
  secretFile: string | undefined;
}

/** Thrown at start-up when the environment is invalid; the message names every offending variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the deployment's environment once, at start-up. Fails fast with a message that names each
 * invalid variable and says what it must be.
 */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.ELEVENLABS_BASE_URL && e.ELEVENLABS_RESIDENCY) {
    throw new ConfigError('Invalid configuration: set ELEVENLABS_BASE_URL or ELEVENLABS_RESIDENCY, not both');
  }
  return {
    port: e.PORT,
    elevenLabsBaseUrl:
      e.ELEVENLABS_BASE_URL ??
      (e.ELEVENLABS_RESIDENCY ? RESIDENCY_BASE_URLS[e.ELEVENLABS_RESIDENCY] : DEFAULT_BASE_URL),
    defaultVoiceId: e.ELEVENLABS_DEFAULT_VOICE_ID ?? DEFAULT_VOICE_ID,
    audioBucket: e.AUDIO_BUCKET,
    awsRegion: e.AWS_REGION ?? 'us-east-1',
    s3Endpoint: e.AWS_ENDPOINT_URL_S3,
    audioUrlTtlSeconds: e.AUDIO_URL_TTL_SECONDS,
    allowedOrigins: e.ALLOWED_ORIGINS,
    enabledTools: e.ENABLED_TOOLS,
    logLevel: e.LOG_LEVEL,
    oauth: {
      enabled: e.OAUTH,
      accessTokenTtlSeconds: e.OAUTH_ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: e.OAUTH_REFRESH_TOKEN_TTL_SECONDS,
      publicBaseUrl: e.PUBLIC_BASE_URL,
      secretArn: e.OAUTH_SECRET_ARN,
      secretFile: e.OAUTH_SECRET_FILE,
    },
  };
}
