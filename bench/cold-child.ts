/**
 * A cold start, as small as it can be: a fresh Node process that imports a built handler and sends it
 * Function URL events one after another, then reports its own clock readings on file descriptor 3
 * (stdout is the handler's log). The parent measures from spawn to the report in hand.
 *
 *   node build/bench/cold-child.mjs <handler.mjs> <events.json: {"steps": [{"name", "event"}...]}>
 */
import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { messageText } from './lib/answer.js';

const scriptStart = performance.now();
const [handlerPath, eventsPath] = process.argv.slice(2) as [string, string];
const { steps } = JSON.parse(readFileSync(eventsPath, 'utf8')) as { steps: Array<{ name: string; event: unknown }> };
const context = { awsRequestId: 'bench-cold', getRemainingTimeInMillis: () => 300_000 };

const importStart = performance.now();
const { handler } = (await import(pathToFileURL(handlerPath).href)) as {
  handler: (event: unknown, ctx: typeof context) => Promise<{ statusCode?: number; body?: string }>;
};
const importEnd = performance.now();
const rssAfterImport = process.memoryUsage.rss();

const results = [];
for (const { name, event } of steps) {
  const started = performance.now();
  const result = await handler(event, context);
  const ms = performance.now() - started;
  results.push({ name, ms, rss: process.memoryUsage.rss(), status: result.statusCode ?? 200, body: result.body });
}
const answered = performance.now();

const report = {
  timeOrigin: performance.timeOrigin,
  scriptStart,
  importStart,
  importMs: importEnd - importStart,
  rssAfterImport,
  answered,
  steps: results.map((step) => ({ ...step, body: outline(step.body) })),
};
writeSync(3, `${JSON.stringify(report)}\n`);
process.exit(0);

/** Enough of a JSON-RPC answer for the parent to check it (the whole tools/list would be 20 KB). */
function outline(body: string | undefined): Record<string, unknown> {
  if (!body) return {};
  const text = messageText(body);
  const message = JSON.parse(text) as { error?: { message?: string }; result?: Record<string, any> };
  const result = message.result;
  return {
    bytes: text.length,
    error: message.error?.message,
    serverName: result?.serverInfo?.name,
    tools: Array.isArray(result?.tools) ? result.tools.length : undefined,
    isError: result?.isError,
    url: typeof result?.structuredContent?.url === 'string' ? result.structuredContent.url.slice(0, 60) : undefined,
    text: result?.isError ? String(result.content?.[0]?.text ?? '').slice(0, 300) : undefined,
  };
}
