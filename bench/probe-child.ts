/**
 * Small fresh-process experiments for bench/investigate.ts, reporting on file descriptor 3 like
 * cold-child.ts does.
 *
 *   probe-child.mjs import <file>...             imports the files one after another
 *   probe-child.mjs import-parallel <file>...    imports them all at once
 *   probe-child.mjs web-globals                   first use of Headers, Request and Response (Node's
 *                                                 built-in undici, loaded on first use)
 */
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const scriptStart = performance.now();
const [mode, ...files] = process.argv.slice(2) as [string, ...string[]];
const rssBefore = process.memoryUsage.rss();
const started = performance.now();
if (mode === 'import') {
  for (const file of files) await import(pathToFileURL(file).href);
} else if (mode === 'import-parallel') {
  await Promise.all(files.map((file) => import(pathToFileURL(file).href)));
} else if (mode === 'web-globals') {
  const request = new Request('https://example.com/mcp', { method: 'POST', headers: new Headers({ 'content-type': 'application/json' }), body: '{}' });
  await new Response(await request.text()).text();
} else {
  throw new Error(`unknown mode ${mode}`);
}
const answered = performance.now();
writeSync(
  3,
  `${JSON.stringify({ timeOrigin: performance.timeOrigin, scriptStart, answered, ms: answered - started, rssBeforeMB: rssBefore / 2 ** 20, rssAfterMB: process.memoryUsage.rss() / 2 ** 20 })}\n`,
);
process.exit(0);
