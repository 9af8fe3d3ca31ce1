// What each tool costs a model: its tools/list entry in bytes and in tokens, written into README.md between
// `<!-- tool-tokens:start -->` and `<!-- tool-tokens:end -->` (npm run tokens). A README test fails when the
// table no longer matches the served listings.
//
// Tokens are counted with o200k_base (the GPT-4o / ChatGPT tokenizer, gpt-tokenizer). Claude's tokenizer is not
// public; counts differ between models, so read the figures as an estimate of the same order.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(root, 'README.md');
const START = '<!-- tool-tokens:start -->\n';
const END = '<!-- tool-tokens:end -->';

const thousands = (n) => n.toLocaleString('en-US');

/**
 * The README block for these listings (tool name -> its tools/list entry as JSON text) and groups (tool name ->
 * its groups): one row per tool, the whole list, and what each group costs when a caller selects only it.
 */
export function tokenTable(listings, groups) {
  const cost = Object.entries(listings).map(([name, json]) => ({
    name,
    bytes: Buffer.byteLength(json),
    tokens: countTokens(json),
  }));
  const whole = JSON.stringify({ tools: Object.values(listings).map((json) => JSON.parse(json)) });
  const rows = cost.map(({ name, bytes, tokens }) => `| \`${name}\` | ${thousands(bytes)} | ${thousands(tokens)} |`);
  const byGroup = new Map();
  for (const [name, names] of Object.entries(groups)) {
    for (const group of names) byGroup.set(group, [...(byGroup.get(group) ?? []), name]);
  }
  const groupRows = [...byGroup].map(([group, names]) => {
    const tokens = countTokens(JSON.stringify({ tools: names.map((name) => JSON.parse(listings[name])) }));
    return `| \`${group}\` | ${names.length} | ${thousands(tokens)} |`;
  });
  return [
    '| Tool | Bytes | Tokens |',
    '|---|---:|---:|',
    ...rows,
    `| **all ${cost.length} tools** (the tools/list result) | ${thousands(Buffer.byteLength(whole))} | ` +
      `${thousands(countTokens(whole))} |`,
    '',
    '| Group (`x-elevenlabs-tools`) | Tools | Tokens |',
    '|---|---:|---:|',
    ...groupRows,
    '',
  ].join('\n');
}

/** The README text with the block replaced by `table`. */
export function withTokenTable(readme, table) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START.trim()} ... ${END} block`);
  return readme.slice(0, start + START.length) + table + readme.slice(end);
}

/** The block as README.md has it now. */
export function tokenTableIn(readme) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  return start < 0 || end < start ? undefined : readme.slice(start + START.length, end);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // The generated listings are data with a type-only import: esbuild turns them into a module node can load.
  const { code } = await esbuild
    .build({
      entryPoints: [join(root, 'src/tools/listings.generated.ts')],
      bundle: true,
      format: 'esm',
      write: false,
      logLevel: 'warning',
    })
    .then((result) => ({ code: result.outputFiles[0].text }));
  const { TOOL_LISTINGS_JSON, TOOL_GROUPS } = await import(`data:text/javascript,${encodeURIComponent(code)}`);
  const readme = await readFile(README, 'utf8');
  const next = withTokenTable(readme, tokenTable(TOOL_LISTINGS_JSON, TOOL_GROUPS));
  if (next !== readme) await writeFile(README, next);
  process.stdout.write(
    `tool-tokens: ${Object.keys(TOOL_LISTINGS_JSON).length} tools, README.md ` +
      `${next === readme ? 'unchanged' : 'updated'}\n`,
  );
}
