import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from './config.js';

/** Field names that could carry a credential; their values are replaced before a log line is written. */
const SECRET_FIELD = /^(x-elevenlabs-api-key|xi-api-key|authorization|api_?key|apikey|token|cookie|set-cookie)$/i;

/** A presigned URL's query carries its signature and the role's session token: keep the path only. */
const PRESIGNED_QUERY = /(https?:\/\/[^\s"?]+)\?[^\s"]*X-Amz-[^\s"]*/g;

/** A log line's fields, all told, are cut to about this many characters of JSON (a line stays a few KB). */
export const MAX_LOG_FIELDS_CHARS = 3_000;
const MAX_LOG_STRING = 300;
const MAX_LOG_ITEMS = 20;
const MAX_LOG_DEPTH = 5;

/**
 * A copy of `value` small enough to log whatever a request held: strings cut to a few hundred
 * characters, arrays and objects to their first items (with a count of what was left out), nesting to
 * a few levels, and everything to about `budget` characters of JSON in all. Work is bounded too: an
 * array of a million items costs as much as one of twenty.
 */
export function boundForLog(value: unknown, budget = MAX_LOG_FIELDS_CHARS): unknown {
  let left = budget;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const cut = v.length > MAX_LOG_STRING ? `${v.slice(0, MAX_LOG_STRING)}...(${v.length} chars)` : v;
      left -= cut.length + 3;
      return cut;
    }
    if (v === null || typeof v !== 'object') {
      left -= 8;
      return v;
    }
    if (v instanceof Error) return v;
    if (depth >= MAX_LOG_DEPTH) {
      left -= 8;
      return '[nested]';
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const item of v.slice(0, MAX_LOG_ITEMS)) {
        if (left <= 0) break;
        out.push(walk(item, depth + 1));
      }
      if (out.length < v.length) out.push(`...${v.length - out.length} more`);
      return out;
    }
    // Plain fields first, so that one huge nested field cannot crowd out the status or the tool name;
    // the output keeps the original order.
    const record = v as Record<string, unknown>;
    const keys: string[] = [];
    let total = 0;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      total += 1;
      if (keys.length < MAX_LOG_ITEMS * 2) keys.push(key);
    }
    const kept = new Map<string, unknown>();
    const isNested = (key: string): boolean => record[key] !== null && typeof record[key] === 'object';
    for (const key of [...keys.filter((k) => !isNested(k)), ...keys.filter(isNested)]) {
      if (kept.size >= MAX_LOG_ITEMS || left <= 0) break;
      left -= Math.min(key.length, MAX_LOG_STRING) + 4;
      kept.set(key, walk(record[key], depth + 1));
    }
    const out: Record<string, unknown> = {};
    for (const key of keys)
      if (kept.has(key)) out[key.length > MAX_LOG_STRING ? `${key.slice(0, MAX_LOG_STRING)}...` : key] = kept.get(key);
    if (kept.size < total) out['...'] = `${total - kept.size} more fields`;
    return out;
  };
  return walk(value, 0);
}

function redact(key: string, value: unknown): unknown {
  // The whole log record comes first (key ''): bound it once, and its parts are then redacted one by one.
  if (key === '' && value !== null && typeof value === 'object') return boundForLog(value);
  if (SECRET_FIELD.test(key) && value !== undefined && value !== null && value !== '') return '[redacted]';
  if (typeof value === 'string' && value.includes('X-Amz-'))
    return value.replace(PRESIGNED_QUERY, '$1?[signature redacted]');
  return value;
}

/**
 * The process-wide logger: one JSON object per line (Powertools for AWS Lambda), with a replacer that
 * blanks credential-named fields and presigned-URL signatures whatever a caller of the logger passes,
 * and bounds every line to a few KB (`boundForLog`) whatever a request held.
 */
/** For the log: a failure's class, message and stack, which hold no key (no key is ever in an error's message). */
export function describeFailure(error: unknown): Record<string, unknown> {
  return error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { value: String(error) };
}

export function createLogger(level: LogLevel): Logger {
  return new Logger({
    serviceName: 'elevenlabs-mcp',
    logLevel: level.toUpperCase() as Uppercase<LogLevel>,
    jsonReplacerFn: redact,
  });
}

export type { Logger };
