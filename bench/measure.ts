/**
 * One run of every measurement, in the order `npm run bench` takes them: cold start (ours, naive and the two
 * floors taking turns), cold to first audio, warm latency, the local server under load, then the bundle, all
 * against one fake ElevenLabs API and s3rver, while watching the CPU that other processes use meanwhile.
 */
import { measureBundle, type BundleResult } from './bundle.js';
import { measureCold, type ColdSample } from './cold.js';
import { measureLoad, type LoadResult } from './load.js';
import { type MachineInfo, watchOtherCpu } from './lib/machine.js';
import { BUNDLES, FLOOR_BUNDLE, type Pattern, SDK_FLOOR_BUNDLE } from './lib/paths.js';
import { startUpstream } from './lib/upstream.js';
import type { BenchSettings } from './scenarios.js';
import { measureWarm, type WarmVariantResult } from './warm.js';

export type ColdResult = Record<Pattern, ColdSample[]>;
export type ColdWithFloor = Record<Pattern | 'floor' | 'sdkFloor', ColdSample[]>;

/** What the measurements gave. */
export interface Measured {
  readonly cold: ColdWithFloor;
  readonly audio: ColdResult;
  readonly warm: Record<Pattern, WarmVariantResult>;
  readonly load: Partial<Record<Pattern, LoadResult>>;
  readonly bundle: BundleResult;
  /** Shares of the machine's CPU during the run (undefined off Linux). */
  readonly cpuShares: { otherShare: number; oursShare: number } | undefined;
  /** Whether other processes used more than a tenth of the CPU meanwhile. */
  readonly busy: boolean;
}

/** A whole run: where and when it ran, its plan, and what it measured. */
export interface BenchRun extends Measured {
  readonly started: Date;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly handlerNodeVersion: string;
  readonly settings: BenchSettings;
}

/** Runs every measurement with handler processes on `handlerNode`, writing progress to stderr. */
export async function measureAll(settings: BenchSettings, handlerNode: string): Promise<Measured> {
  const variants = {
    ours: { bundle: BUNDLES.ours, node: handlerNode },
    naive: { bundle: BUNDLES.naive, node: handlerNode },
  };
  /** The floor takes its turns with the other two in the cold-start measurement only. */
  const floor = { bundle: FLOOR_BUNDLE, node: handlerNode, notMcp: true };
  /** So does the least server the v2 SDK can answer through (one tool): what any server on the SDK starts from. */
  const sdkFloor = { bundle: SDK_FLOOR_BUNDLE, node: handlerNode, ownTools: true };

  // The figures are only as good as the machine is quiet: account for the CPU that others use meanwhile.
  const otherCpu = watchOtherCpu();

  const upstream = await startUpstream();
  let cold: ColdWithFloor, audio: ColdResult, warm: Record<Pattern, WarmVariantResult>;
  const load: Partial<Record<Pattern, LoadResult>> = {};
  try {
    process.stderr.write(`cold start: ${settings.coldProcesses} processes each `);
    cold = await measureCold(
      upstream,
      { ...variants, floor, sdkFloor },
      { processes: settings.coldProcesses, audio: false },
    );
    process.stderr.write(`cold to first audio: ${settings.audioProcesses} processes each `);
    audio = await measureCold(upstream, variants, { processes: settings.audioProcesses, audio: true });
    process.stderr.write(`warm: ${settings.warmRounds} rounds `);
    warm = await measureWarm(upstream, variants, settings.warm, settings.warmRounds);
    for (const pattern of ['ours', 'naive'] as const) {
      process.stderr.write(
        `load (${pattern}): ${settings.load.clients} + ${settings.load.ttsClients} clients, ` +
          `${settings.load.seconds} s\n`,
      );
      load[pattern] = await measureLoad(upstream, pattern, settings.load, handlerNode);
    }
  } finally {
    await upstream.stop();
  }
  const cpuShares = otherCpu.stop();
  const busy = (cpuShares?.otherShare ?? 0) > 0.1;
  const bundle = measureBundle();
  return { cold, audio, warm, load, bundle, cpuShares, busy };
}
