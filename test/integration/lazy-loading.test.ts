import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_A, startStack, type Stack } from '../support/harness.js';
import { buildForTest, type Built } from '../support/npm-start.js';
import { node24 } from '../../scripts/node24.mjs';

/**
 * The ElevenLabs SDK costs hundreds of milliseconds and tens of megabytes to load: initialize, ping and
 * tools/list must never load it, nor the S3 client, nor any tool's module. text_to_speech goes over plain
 * HTTP and loads the S3 client but still not the SDK; a tool that uses the SDK (check_subscription) is the
 * positive control that the recorder sees the SDK's chunk when it loads. The URL downloader (safe-fetch, with
 * node:http, node:https and node:dns) loads only when a tool is given a URL. Proven on the built bundle, in
 * a fresh process whose every module load is recorded, and in esbuild's metafile.
 */

const ROOT = resolve(import.meta.dirname, '../..');
let stack: Stack;
let built: Built;
let chunksOf: (what: string) => string[];
let meta: Metafile;

interface MetafileImport {
  path: string;
  kind: string;
  external?: boolean;
}

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown>; entryPoint?: string; imports: MetafileImport[] }>;
}

/** What loading `entry` loads before any dynamic import(): the outputs, their source files and the external modules. */
function staticClosure(entry: string): { inputs: string[]; externals: string[] } {
  const outputs = new Set<string>();
  const externals = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (outputs.has(file)) continue;
    outputs.add(file);
    for (const edge of meta.outputs[file]!.imports) {
      if (edge.kind !== 'import-statement') continue;
      if (edge.external) externals.add(edge.path);
      else pending.push(edge.path);
    }
  }
  return { inputs: [...outputs].flatMap((file) => Object.keys(meta.outputs[file]!.inputs)), externals: [...externals] };
}

beforeAll(async () => {
  stack = await startStack();
  built = await buildForTest('lazy');
  meta = JSON.parse(await readFile(join(built.dir, 'meta.json'), 'utf8')) as Metafile;
  // A package's chunks hold its files; a tool's chunk is the one its dynamic import() starts.
  chunksOf = (what) =>
    Object.entries(meta.outputs)
      .filter(([, output]) =>
        what.startsWith('src/')
          ? output.entryPoint?.startsWith(what)
          : Object.keys(output.inputs).some((input) => input.includes(`node_modules/${what}/`)),
      )
      .map(([file]) => basename(file));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await built?.remove();
});

/** The machine's Node (what `npm start` runs on) and the Lambda runtime's Node 24 (tools/node24, on demand). */
const RUNTIMES: Array<[name: string, node: string]> = [
  ["this machine's Node", process.execPath],
  ['Node 24 (the Lambda runtime)', node24()],
];

describe.each(RUNTIMES)('lazy loading of the heavy clients, on %s', (_name, node) => {
  it('loads no SDK, S3 client, tool module or downloader on the cold path, and no SDK for text_to_speech', async () => {
    const log = join(built.dir, `imports-${basename(node)}-${RUNTIMES.findIndex((r) => r[1] === node)}.log`);
    await rm(log, { force: true });
    const { stdout } = await promisify(execFile)(
      node,
      [
        '--import',
        join(ROOT, 'test/fixtures/import-recorder.mjs'),
        join(ROOT, 'test/fixtures/lazy-probe.mjs'),
        built.handler,
        join(ROOT, 'events'),
        KEY_A,
      ],
      { env: { ...process.env, ...stack.env, LOG_LEVEL: 'silent', IMPORT_LOG: log } },
    );
    expect(stdout).toContain('OK');

    // Chunks by file name; node's own modules as their URLs (node:dns/promises, whose file name would be `promises`).
    const name = (url: string): string => (url.startsWith('node:') ? url : basename(url));
    const phases = (await readFile(log, 'utf8'))
      .split(/PHASE \d\n/)
      .map((text) => text.split('\n').filter(Boolean).map(name));
    const [cold, speech, sdkTool, urlTool] = phases as [string[], string[], string[], string[]];

    const elevenlabs = chunksOf('@elevenlabs/elevenlabs-js');
    const s3 = chunksOf('@aws-sdk/client-s3');
    const tools = chunksOf('src/tools/');
    expect(elevenlabs.length).toBeGreaterThan(0);
    expect(s3.length).toBeGreaterThan(0);
    expect(tools.length).toBeGreaterThan(0);
    expect(cold).toContain('handler.mjs');
    const loaded = (files: string[], chunks: string[]) => files.filter((file) => chunks.includes(file));
    expect(loaded(cold, elevenlabs)).toEqual([]);
    expect(loaded(cold, s3)).toEqual([]);
    expect(loaded(cold, tools)).toEqual([]);
    expect(loaded(speech, elevenlabs)).toEqual([]);
    expect(loaded(speech, s3).length).toBeGreaterThan(0);
    // The control: a tool that uses the SDK loads it, so the recorder sees the chunk when it loads.
    expect(loaded(sdkTool, elevenlabs).length).toBeGreaterThan(0);

    // The downloader: not for requests without a URL; a URL (here refused, so nothing is fetched) loads it.
    // (The S3 client brings node:http and node:https of its own, so only the cold path goes without them.)
    const safeFetch = chunksOf('src/net/safe-fetch.ts');
    expect(safeFetch).toHaveLength(1);
    for (const phase of [cold, speech, sdkTool]) expect(loaded(phase, safeFetch)).toEqual([]);
    for (const builtin of ['node:http', 'node:https', 'node:dns/promises', 'node:net'])
      expect(cold).not.toContain(builtin);
    expect(loaded(urlTool, safeFetch)).toEqual(safeFetch);
    expect(urlTool).toContain('node:dns/promises');
  }, 60_000);
});

describe("the bundle's static imports", () => {
  it('reach neither safe-fetch nor the node modules only it uses (node:http, node:https, node:dns, node:net)', () => {
    const handler = Object.keys(meta.outputs).find((file) => basename(file) === 'handler.mjs')!;
    const { inputs, externals } = staticClosure(handler);
    expect(inputs).toContain('src/handler.ts');
    expect(inputs).toContain('src/net/lazy-fetcher.ts');
    for (const file of [
      'src/net/safe-fetch.ts',
      'src/net/address-policy.ts',
      'src/net/vet-url.ts',
      'src/net/pinned-get.ts',
    ]) {
      expect(inputs).not.toContain(file);
    }
    for (const builtin of ['node:http', 'node:https', 'node:dns/promises', 'node:net'])
      expect(externals).not.toContain(builtin);
    // The control: the chunk safe-fetch starts does import them.
    const chunk = Object.keys(meta.outputs).find((file) => meta.outputs[file]!.entryPoint === 'src/net/safe-fetch.ts')!;
    expect(staticClosure(chunk).externals).toEqual(
      expect.arrayContaining(['node:http', 'node:https', 'node:dns/promises', 'node:net']),
    );
  });
});
