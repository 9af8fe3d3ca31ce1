/** S3 metadata is sent as HTTP headers: ASCII names and values, no empty values, bounded lengths. */
export function s3Metadata(fields: Readonly<Record<string, string | number | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === '') continue;
    out[name.toLowerCase().replace(/[^a-z0-9-]/g, '-')] = String(value)
      .replace(/[^\x20-\x7e]/g, '?')
      .slice(0, 256);
  }
  return out;
}
