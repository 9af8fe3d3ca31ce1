/**
 * The JSON-RPC message of a handler's answer, as text: the body itself when it is JSON, or the data of the
 * last event when it is an SSE stream (the v2 SDK's `createMcpHandler`, as the naive pattern uses it, answers
 * 2025-era requests with one `message` event). Slices, without splitting or parsing, so that the warm loop
 * leaves no garbage for its next timed call.
 */
export function messageText(body: string): string {
  if (!body.startsWith('event:') && !body.startsWith('data:')) return body;
  const at = body.startsWith('data:') && body.indexOf('\ndata:') === -1 ? 0 : body.lastIndexOf('\ndata:') + 1;
  const end = body.indexOf('\n', at);
  return body.slice(at + 'data:'.length, end === -1 ? undefined : end).trimStart();
}
