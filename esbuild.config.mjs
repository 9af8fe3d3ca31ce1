// Builds the Lambda bundle (dist/) and the local server (build/local/).
//
//   node esbuild.config.mjs            both, into dist/ and build/
//   node esbuild.config.mjs <outdir>   the Lambda bundle only, into <outdir> (SAM's makefile build uses this)
//
// The Lambda bundle is ESM with code splitting: the ElevenLabs SDK and the S3 client are reached through
// dynamic import() and land in chunks of their own, which load on the first tool call that needs them.
// initialize, ping and tools/list load neither.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));

// Without this, a CommonJS dependency inside an ESM bundle can fail with `Dynamic require of "node:https"`.
const requireShim = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** Builds the handler bundle into `outdir`; returns esbuild's metafile. */
export async function buildLambda({ outdir = join(root, 'dist'), metafile = join(root, 'build', 'meta.json') } = {}) {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { handler: 'src/handler.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
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
  });
  // Outside the deployed folder: it is a build report, not code.
  await mkdir(dirname(metafile), { recursive: true });
  await writeFile(metafile, JSON.stringify(result.metafile));
  return result.metafile;
}

/** Builds the local server (npm start); its dependencies, s3rver among them, stay in node_modules. */
export async function buildLocal({ outdir = join(root, 'build', 'local') } = {}) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: 'src/local/main.ts' },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2];
  if (outdir) {
    await buildLambda({ outdir: resolve(outdir) });
  } else {
    await Promise.all([buildLambda(), buildLocal()]);
  }
}
