/**
 * What a run leaves behind: its figures, goals and settings as JSON (bench/results.json for a full run on
 * Node 24, Lambda's; bench/results/ for any other) and every sample in bench/results/raw-<date>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Figures, oursOverFloor, sdkOverFloor } from './figures.js';
import { ROOT } from './lib/paths.js';
import { round } from './lib/stats.js';
import { AUDIO_BYTES } from './lib/upstream.js';
import type { BenchRun } from './measure.js';
import type { Goal } from './report.js';
import type { Warnings } from './summary.js';

/** The summary results.json holds. */
export function resultsOf(run: BenchRun, figures: Figures, goals: readonly Goal[], warnings: Warnings) {
  const { machine, cpuShares, cold, warm } = run;
  const { byId, floor, sdkFloor } = figures;
  return {
    date: run.started.toISOString(),
    quick: run.quick,
    machine: {
      ...machine,
      handlerNode: run.handlerNodeVersion,
      /** Shares of the machine's CPU during the run: this bench's processes, and everything else. */
      cpuDuringRun: cpuShares && { bench: round(cpuShares.oursShare), otherProcesses: round(cpuShares.otherShare) },
      busy: run.busy,
    },
    toolsListed: {
      tools: figures.toolCount,
      bytes: cold.ours[0]?.toolsListBytes,
      naiveBytes: cold.naive[0]?.toolsListBytes,
    },
    settings: {
      ...run.settings,
      audioBytes: AUDIO_BYTES,
      handlerLogLevel: 'info',
      childEnvironment: 'PATH and the handler configuration only',
    },
    figures: figures.rows,
    floor: {
      ...floor,
      oursOverFloor: oursOverFloor(figures),
      naiveOverFloor: round(byId('cold.wall').naive!.median / floor.cold.ours.median),
      sdkFloor,
      sdkFloorOverFloor: sdkOverFloor(figures),
      oursOverSdkFloor: round(byId('cold.wall').ours.median / sdkFloor.cold.ours.median),
    },
    goals,
    load: run.load,
    bundle: run.bundle,
    warmProcessMemoryMB: { ours: warm.ours.memory, naive: warm.naive.memory },
    warmFailures: warnings.failures,
    warmUnmatched: warnings.unmatched,
  };
}

/** Writes the summary and the samples; returns the line that says where they went. */
export function writeResults(run: BenchRun, results: ReturnType<typeof resultsOf>): string {
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  // bench/results.json is the committed record of a full run on Node 24 (Lambda's); other runs go to bench/results/.
  const resultsFile = run.quick
    ? 'results/quick.json'
    : run.handlerNodeVersion.startsWith('v24.')
      ? 'results.json'
      : `results/results-node-${run.handlerNodeVersion}.json`;
  writeFileSync(join(ROOT, 'bench', resultsFile), `${JSON.stringify(results, null, 2)}\n`);
  const stamp = run.started.toISOString().replace(/[:.]/g, '-');
  const { cold, audio, warm } = run;
  writeFileSync(join(ROOT, 'bench', 'results', `raw-${stamp}.json`), JSON.stringify({ cold, audio, warm }));
  return `Figures written to bench/${resultsFile}; every sample in bench/results/raw-${stamp}.json\n`;
}
