// `npm run bench` (after `node esbuild.config.mjs` has built dist/ and build/local/):
//
//   node bench/run.mjs                  the benchmark: table on stdout, figures in bench/results.json
//                                       (a full run on Node 24; other Nodes write bench/results/)
//   node bench/run.mjs --quick          fewer processes and iterations (a smoke run; not for the README)
//   --wait-idle                         first wait until other processes leave the CPU alone
//   --node=PATH                         run the handler processes with another Node binary (by default
//                                       Node 24, Lambda's nodejs24.x, from tools/node24, installed on demand)
//
// It copies our build (dist/, build/meta.json) to build/bench/ours/, bundles the naive pattern
// (bench/naive/handler.ts), the floor (bench/floor/handler.ts) and the SDK floor (bench/sdk-floor/handler.ts)
// exactly as esbuild.config.mjs bundles ours, and the bench itself (TypeScript, with the fake ElevenLabs API of
// src/local/fake-elevenlabs), all into build/bench/, then runs the bench in a fresh Node process.
import { spawnSync } from 'node:child_process';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { LAMBDA_BUILD_OPTIONS, NODE_SCRIPT_BUILD_OPTIONS } from '../esbuild.config.mjs';
import { node24 } from '../scripts/node24.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'bench');

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  const { readFileSync } = await import('node:fs');
  const usage = readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('//'))
    .map((line) => line.slice(3));
  process.stdout.write(`${usage.join('\n')}\n`);
  process.exit(0);
}

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

// A snapshot of our build (dist/ and its metafile), so that a rebuild of dist/ during the run cannot
// change what is measured.
await cp(join(root, 'dist'), join(out, 'ours'), { recursive: true });
await cp(join(root, 'build', 'meta.json'), join(out, 'ours-meta.json'));

const naive = await esbuild.build({
  ...LAMBDA_BUILD_OPTIONS,
  absWorkingDir: root,
  entryPoints: { handler: 'bench/naive/handler.ts' },
  outdir: join(out, 'naive'),
});
await writeFile(join(out, 'naive-meta.json'), JSON.stringify(naive.metafile));
// The floor of the cold start, bundled the same way: a fresh Node, one web Request in, one web Response out.
await esbuild.build({
  ...LAMBDA_BUILD_OPTIONS,
  absWorkingDir: root,
  entryPoints: { handler: 'bench/floor/handler.ts' },
  outdir: join(out, 'floor'),
});
// The least an MCP server on the v2 SDK can be: what any server answering through the SDK starts from.
await esbuild.build({
  ...LAMBDA_BUILD_OPTIONS,
  absWorkingDir: root,
  entryPoints: { handler: 'bench/sdk-floor/handler.ts' },
  outdir: join(out, 'sdk-floor'),
});

await esbuild.build({
  ...NODE_SCRIPT_BUILD_OPTIONS,
  absWorkingDir: root,
  entryPoints: {
    main: 'bench/main.ts',
    'cold-child': 'bench/cold-child.ts',
    'warm-child': 'bench/warm-child.ts',
  },
  outdir: out,
});

const node = args.some((arg) => arg.startsWith('--node=')) ? [] : [`--node=${node24()}`];
const { status } = spawnSync(process.execPath, [join(out, 'main.mjs'), ...args, ...node], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(status ?? 1);
