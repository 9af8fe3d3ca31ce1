/**
 * Drops keys whose value is undefined. The ElevenLabs SDK serializes a present-but-undefined optional
 * field as `null`; leaving the key out sends nothing, which is what an omitted argument means.
 */
export function compact<T extends Record<string, unknown>>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}
