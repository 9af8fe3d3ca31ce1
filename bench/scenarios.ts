/**
 * What `npm run bench` measures and how much of it: the command-line options (see main.ts) and the plan of
 * processes, iterations and seconds for each measurement, full or `--quick`.
 */
import type { WarmPlanEntry } from './warm.js';

export interface BenchOptions {
  /** Fewer processes, iterations and seconds: a smoke run. */
  readonly quick: boolean;
  /** First wait until other processes leave the CPU alone. */
  readonly waitIdle: boolean;
  /** The Node binary to run the handler processes with (`--node=PATH`); this process's Node without it. */
  readonly node: string | undefined;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  return {
    quick: argv.includes('--quick'),
    waitIdle: argv.includes('--wait-idle'),
    node: argv.find((arg) => arg.startsWith('--node='))?.slice('--node='.length),
  };
}

/** The plan of a run, as results.json records it under `settings`. */
export type BenchSettings = ReturnType<typeof benchSettings>;

export function benchSettings(quick: boolean) {
  const scale = quick ? 0.1 : 1;
  return {
    coldProcesses: quick ? 4 : 15,
    audioProcesses: quick ? 4 : 15,
    warmRounds: 2,
    // V8 keeps optimizing the handler for hundreds of calls (in one process, text_to_speech's overhead fell
    // from 8.3 to 5.5 ms over its first thousand calls). The warm-up is timed too, and reported on its own line.
    warm: [
      {
        op: 'initialize',
        event: 'initialize',
        warmup: 1000 * scale,
        iterations: 8000 * scale,
        maxMs: 20_000,
        upstream: false,
      },
      {
        op: 'tools/list',
        event: 'toolsList',
        warmup: 1000 * scale,
        iterations: 8000 * scale,
        maxMs: 20_000,
        upstream: false,
      },
      {
        op: 'check_subscription',
        event: 'checkSubscription',
        warmup: 300 * scale,
        iterations: 2000 * scale,
        maxMs: 15_000,
        upstream: true,
      },
      {
        op: 'text_to_speech',
        event: 'textToSpeech',
        warmup: 300 * scale,
        iterations: 2000 * scale,
        maxMs: 40_000,
        upstream: true,
      },
    ] satisfies WarmPlanEntry[],
    load: { clients: 32, ttsClients: 4, seconds: quick ? 3 : 10 },
  };
}
