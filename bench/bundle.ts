/**
 * Measurement 6: what is deployed and what a cold start loads, from esbuild's metafile (build/meta.json
 * for ours, build/bench/naive-meta.json for the naive pattern) and from the files of our build (the
 * snapshot of dist/ that bench/run.mjs took).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { NAIVE_META, OURS_DIR, OURS_META, oursOutput } from './lib/paths.js';

export interface BuildFigures {
  readonly entry: { readonly file: string; readonly bytes: number };
  /** The entry and every chunk it imports statically: what the first initialize loads. */
  readonly loadedAtColdStart: { readonly files: number; readonly bytes: number };
  /** Everything the build wrote (.mjs files). */
  readonly total: { readonly files: number; readonly bytes: number };
}

export interface BundleResult {
  readonly ours: BuildFigures & {
    /** dist/ as it was on disk (files the metafile does not name are left over from earlier builds). */
    readonly distOnDisk: {
      readonly files: number;
      readonly bytes: number;
      readonly staleFiles: number;
      readonly staleBytes: number;
    };
    /** The ten inputs that put the most bytes into the bundle, and where they went. */
    readonly largestInputs: Array<{ input: string; bytesInOutput: number; output: string; atColdStart: boolean }>;
    /** Bytes in the output per package (node_modules/<package>, or src/). */
    readonly byPackage: Array<{ package: string; bytesInOutput: number; atColdStart: number }>;
  };
  readonly naive: BuildFigures;
}

export function measureBundle(): BundleResult {
  const ours = JSON.parse(readFileSync(OURS_META, 'utf8')) as Metafile;
  const naive = JSON.parse(readFileSync(NAIVE_META, 'utf8')) as Metafile;
  const figures = buildFigures(ours);
  const cold = coldOutputs(ours);

  const written = new Set(Object.keys(ours.outputs).map(oursOutput));
  const onDisk = walk(OURS_DIR);
  const stale = onDisk.filter((file) => !written.has(file.path));

  const inputs = Object.entries(ours.outputs).flatMap(([output, { inputs }]) =>
    Object.entries(inputs).map(([input, { bytesInOutput }]) => ({
      input,
      bytesInOutput,
      output,
      atColdStart: cold.has(output),
    })),
  );
  const byPackage = new Map<string, { bytesInOutput: number; atColdStart: number }>();
  for (const entry of inputs) {
    const name = packageOf(entry.input);
    const sum = byPackage.get(name) ?? { bytesInOutput: 0, atColdStart: 0 };
    sum.bytesInOutput += entry.bytesInOutput;
    if (entry.atColdStart) sum.atColdStart += entry.bytesInOutput;
    byPackage.set(name, sum);
  }

  return {
    ours: {
      ...figures,
      distOnDisk: {
        files: onDisk.length,
        bytes: sum(onDisk.map((f) => f.bytes)),
        staleFiles: stale.length,
        staleBytes: sum(stale.map((f) => f.bytes)),
      },
      largestInputs: inputs.sort((a, b) => b.bytesInOutput - a.bytesInOutput).slice(0, 10),
      byPackage: [...byPackage.entries()]
        .map(([name, v]) => ({ package: name, ...v }))
        .sort((a, b) => b.bytesInOutput - a.bytesInOutput),
    },
    naive: buildFigures(naive),
  };
}

/** The Lambda's entry: handler.mjs (the chunks of dynamic imports have entry points too). */
function entryOf(meta: Metafile): string {
  return Object.keys(meta.outputs).find((file) => file.endsWith('/handler.mjs'))!;
}

function buildFigures(meta: Metafile): BuildFigures {
  const entryFile = entryOf(meta);
  const entry = meta.outputs[entryFile]!;
  const cold = coldOutputs(meta);
  const files = Object.entries(meta.outputs).filter(([file]) => file.endsWith('.mjs'));
  return {
    entry: { file: entryFile, bytes: entry.bytes },
    loadedAtColdStart: { files: cold.size, bytes: sum([...cold].map((file) => meta.outputs[file]!.bytes)) },
    total: { files: files.length, bytes: sum(files.map(([, output]) => output.bytes)) },
  };
}

/** The entry point's output and the closure of its static imports. */
function coldOutputs(meta: Metafile): Set<string> {
  const entry = entryOf(meta);
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || !meta.outputs[file]) return;
    seen.add(file);
    for (const imported of meta.outputs[file]!.imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  return seen;
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? match[1]! : input.startsWith('src/') ? 'src (ours)' : input.split('/')[0]!;
}

function walk(dir: string): Array<{ path: string; bytes: number }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [{ path, bytes: statSync(path).size }];
  });
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
