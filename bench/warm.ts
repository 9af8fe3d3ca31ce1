/**
 * Measurements 3 and 4: warm handler latency in one long-lived process (bench/warm-child.ts), and the
 * overhead of text_to_speech over the upstream's own time. Rounds alternate the variants (ours and
 * naive), each round in a fresh process per variant; the samples of all rounds are pooled.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { EVENTS, type EventName } from './lib/events.js';
import { BENCH_BUILD } from './lib/paths.js';
import { handlerEnv, type ServiceEntry, type Upstream } from './lib/upstream.js';
import type { WarmMessage, WarmOp } from './warm-child.js';

export interface WarmPlanEntry {
  readonly op: string;
  readonly event: EventName;
  readonly warmup: number;
  /** Timed iterations per pattern, over all rounds. */
  readonly iterations: number;
  /** Time cap per pattern, over all rounds. */
  readonly maxMs: number;
  /** Whether to match each call with the upstreams' service times. */
  readonly upstream: boolean;
}

export interface WarmOpResult {
  /** The warm-up calls of each process, timed (after the plan's earlier operations in the same process). */
  readonly warmupSamples: number[];
  readonly samples: number[];
  readonly failures: number;
  readonly firstFailure: string | undefined;
  /** Per timed call: the fake ElevenLabs' service time, summed over the requests the call made. */
  readonly elevenlabsMs: number[];
  /** Per timed call: S3's (s3rver's) service time, summed likewise. */
  readonly s3Ms: number[];
  /** Whether every call made the same number of upstream requests, so that calls and requests line up. */
  readonly matched: boolean;
  readonly upstreamRequestsPerCall: number;
}

export interface WarmVariantResult {
  readonly ops: Record<string, WarmOpResult>;
  /** The process at the end of its last round. */
  memory: { rssMB: number; heapUsedMB: number };
}

/** A handler bundle and the Node binary to run it with. */
export interface WarmVariant {
  readonly bundle: string;
  readonly node?: string;
}

export async function measureWarm<K extends string>(
  upstream: Upstream,
  variants: Record<K, WarmVariant>,
  plan: readonly WarmPlanEntry[],
  rounds: number,
): Promise<Record<K, WarmVariantResult>> {
  const names = Object.keys(variants) as K[];
  const result = Object.fromEntries(
    names.map((name) => [name, { ops: {}, memory: { rssMB: 0, heapUsedMB: 0 } }]),
  ) as Record<K, WarmVariantResult>;
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(round + j) % names.length]!;
      const ops: WarmOp[] = plan.map((entry) => ({
        name: entry.op,
        event: EVENTS[entry.event],
        warmup: entry.warmup,
        iterations: Math.ceil(entry.iterations / rounds),
        maxMs: entry.maxMs / rounds,
        upstream: entry.upstream,
      }));
      await runWarmChild(upstream, name, variants[name], ops, result[name]);
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  return result;
}

function runWarmChild(
  upstream: Upstream,
  name: string,
  variant: WarmVariant,
  ops: WarmOp[],
  result: WarmVariantResult,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(variant.node ?? process.execPath, [join(BENCH_BUILD, 'warm-child.mjs')], {
      env: handlerEnv(upstream),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let done = false;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.on('message', (message: WarmMessage) => {
      if (message.type === 'mark') {
        upstream.elevenlabsLog.reset();
        upstream.s3Log.reset();
        upstream.fake.clear();
        child.send({ type: 'marked' });
      } else if (message.type === 'samples') {
        const op = ops.find((o) => o.name === message.op)!;
        const matched = op.upstream
          ? perCall(message.samples.length, upstream.elevenlabsLog.entries, upstream.s3Log.entries)
          : undefined;
        const previous = result.ops[message.op];
        result.ops[message.op] = {
          warmupSamples: [...(previous?.warmupSamples ?? []), ...message.warmupSamples],
          samples: [...(previous?.samples ?? []), ...message.samples],
          failures: (previous?.failures ?? 0) + message.failures,
          firstFailure: previous?.firstFailure ?? message.firstFailure,
          elevenlabsMs: [...(previous?.elevenlabsMs ?? []), ...(matched?.elevenlabsMs ?? [])],
          s3Ms: [...(previous?.s3Ms ?? []), ...(matched?.s3Ms ?? [])],
          matched: (previous?.matched ?? true) && (matched?.matched ?? true),
          upstreamRequestsPerCall: matched?.requestsPerCall ?? 0,
        };
      } else if (message.type === 'done') {
        done = true;
        result.memory = { rssMB: message.rssMB, heapUsedMB: message.heapUsedMB };
      }
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && done
        ? resolve()
        : reject(
            new Error(`warm ${name} exited with ${code}${done ? '' : ' before reporting all its samples'}:\n${stderr}`),
          ),
    );
    child.send({ handlerPath: variant.bundle, ops });
  });
}

/**
 * Calls are sequential, so when every call made the same number of requests to each upstream, the
 * upstreams' logs (in finishing order) split into consecutive groups, one per call.
 */
function perCall(
  calls: number,
  elevenlabs: readonly ServiceEntry[],
  s3: readonly ServiceEntry[],
): { elevenlabsMs: number[]; s3Ms: number[]; matched: boolean; requestsPerCall: number } {
  const group = (entries: readonly ServiceEntry[]): number[] | undefined => {
    if (calls === 0 || entries.length % calls !== 0) return undefined;
    const size = entries.length / calls;
    return Array.from({ length: calls }, (_, i) =>
      entries.slice(i * size, (i + 1) * size).reduce((sum, e) => sum + e.ms, 0),
    );
  };
  const el = group(elevenlabs);
  const s = group(s3);
  return {
    elevenlabsMs: el ?? [],
    s3Ms: s ?? [],
    matched: el !== undefined && s !== undefined,
    requestsPerCall: calls ? (elevenlabs.length + s3.length) / calls : 0,
  };
}
