/**
 * Reads a byte stream (a web ReadableStream, a Node stream, an S3 body) to its end into one array,
 * throwing `tooLarge()` as soon as more than `maxBytes` have arrived. Leaving the loop early cancels or
 * destroys the source, which frees its connection. `onChunk` runs as each chunk arrives (an idle timer).
 */
export async function readBounded(
  source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: () => Error,
  onChunk?: () => void,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source as AsyncIterable<Uint8Array>) {
    onChunk?.();
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
