import { resolve } from 'node:path';

/** The repository: two levels up both from bench/lib/*.ts and from the built build/bench/*.mjs. */
export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BENCH_BUILD = resolve(ROOT, 'build', 'bench');

/** Our deployable bundle as bench/run.mjs copied it from dist/, and esbuild's metafile of that build. */
export const OURS_DIR = resolve(BENCH_BUILD, 'ours');
export const OURS_META = resolve(BENCH_BUILD, 'ours-meta.json');
export const NAIVE_META = resolve(BENCH_BUILD, 'naive-meta.json');

/** Where an output of our build (`dist/...` in the metafile) is in the snapshot. */
export function oursOutput(file: string): string {
  return resolve(OURS_DIR, file.replace(/^dist\//, ''));
}

/** What is measured: our deployable bundle, and the naive pattern built the same way. */
export const BUNDLES = {
  ours: resolve(OURS_DIR, 'handler.mjs'),
  naive: resolve(BENCH_BUILD, 'naive', 'handler.mjs'),
} as const;

export type Pattern = keyof typeof BUNDLES;

/** The floor (bench/floor/handler.ts): one JSON body into a web Request, a web Response out, nothing else. */
export const FLOOR_BUNDLE = resolve(BENCH_BUILD, 'floor', 'handler.mjs');

/** The SDK floor (bench/sdk-floor/handler.ts): the v2 SDK's server and transport with one tool, nothing else. */
export const SDK_FLOOR_BUNDLE = resolve(BENCH_BUILD, 'sdk-floor', 'handler.mjs');
