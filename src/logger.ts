import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from './config.js';

/** Field names that could carry a credential; their values are replaced before a log line is written. */
const SECRET_FIELD = /^(x-elevenlabs-api-key|xi-api-key|authorization|api_?key|apikey|token|cookie|set-cookie)$/i;

/** A presigned URL's query carries its signature and the role's session token: keep the path only. */
const PRESIGNED_QUERY = /(https?:\/\/[^\s"?]+)\?[^\s"]*X-Amz-[^\s"]*/g;

function redact(key: string, value: unknown): unknown {
  if (SECRET_FIELD.test(key) && value !== undefined && value !== null && value !== '') return '[redacted]';
  if (typeof value === 'string' && value.includes('X-Amz-')) return value.replace(PRESIGNED_QUERY, '$1?[signature redacted]');
  return value;
}

/**
 * The process-wide logger: one JSON object per line (Powertools for AWS Lambda), with a replacer that
 * blanks credential-named fields and presigned-URL signatures whatever a caller of the logger passes.
 */
export function createLogger(level: LogLevel): Logger {
  return new Logger({
    serviceName: 'elevenlabs-mcp',
    logLevel: level.toUpperCase() as Uppercase<LogLevel>,
    jsonReplacerFn: redact,
  });
}

export type { Logger };
