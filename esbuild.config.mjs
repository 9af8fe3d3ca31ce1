// Builds the Lambda bundle (dist/) and the local server (build/local/).
//
//   node esbuild.config.mjs            both, into dist/ and build/
//   node esbuild.config.mjs <outdir>   the Lambda bundle only, into <outdir> (SAM's makefile build uses this)
//
// The Lambda bundle is ESM with code splitting: the ElevenLabs SDK, the S3 client and every tool module
// are reached through dynamic import() and land in chunks of their own, which load on the first tool
// call that needs them. initialize, ping and tools/list load none of them (tools/list is answered from
// src/tools/catalog.generated.ts, which this script regenerates first).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { coldPathStubs } from './scripts/cold-path-stubs.mjs';
import { generateCatalog } from './scripts/generate-catalog.mjs';
import { lazyReexports } from './scripts/lazy-reexports.mjs';

const root = dirname(fileURLToPath(import.meta.url));

// Without this, a CommonJS dependency inside an ESM bundle can fail with `Dynamic require of "node:https"`.
const requireShim = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * How any Lambda bundle is built: ESM with code splitting, minified, for Node 24 (nodejs24.x). The benchmark
 * builds the naive pattern with exactly these options (without our plugins), so the comparison is fair.
 * `npm start` runs the same bundle on the machine's Node (20.19 or later): the lazy-loading test imports it
 * on both.
 */
export const LAMBDA_BUILD_OPTIONS = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: requireShim },
  // Optional native add-ons of `ws` (used by the SDK's realtime clients, never by us).
  external: ['bufferutil', 'utf-8-validate'],
  metafile: true,
  logLevel: 'warning',
};

/** Builds the handler bundle into `outdir`; returns esbuild's metafile. */
export async function buildLambda({ outdir = join(root, 'dist'), metafile = join(root, 'build', 'meta.json') } = {}) {
  // Chunk names carry content hashes: without this, stale chunks of earlier builds would pile up.
  await rm(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    ...LAMBDA_BUILD_OPTIONS,
    absWorkingDir: root,
    entryPoints: { handler: 'src/handler.ts' },
    outdir,
    // Loading the ElevenLabs SDK would otherwise build the schemas of its whole API; Ajv and zod's
    // translations would be parsed at every cold start and never used (see each plugin).
    plugins: [lazyReexports({ packages: ['@elevenlabs/elevenlabs-js'] }), coldPathStubs()],
  });
  // Outside the deployed folder: it is a build report, not code.
  await mkdir(dirname(metafile), { recursive: true });
  await writeFile(metafile, JSON.stringify(result.metafile));
  return result.metafile;
}

/** How a script that runs from this checkout is built (the local server, the benchmark): dependencies stay in node_modules. */
export const NODE_SCRIPT_BUILD_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
};

/** Builds the local server (npm start); its dependencies, s3rver among them, stay in node_modules. */
export async function buildLocal({ outdir = join(root, 'build', 'local') } = {}) {
  await esbuild.build({ ...NODE_SCRIPT_BUILD_OPTIONS, absWorkingDir: root, entryPoints: { main: 'src/local/main.ts' }, outdir });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // tools/list is served from the generated catalog: refresh it from the tool modules first.
  await generateCatalog();
  const outdir = process.argv[2];
  if (outdir) {
    await buildLambda({ outdir: resolve(outdir) });
  } else {
    await Promise.all([buildLambda(), buildLocal()]);
  }
}
