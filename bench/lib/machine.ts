import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  readonly kernel: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine skews the figures. */
  readonly loadAverageAtStart: readonly number[];
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpuCount: list.length,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    freeMemoryGiB: Number((freemem() / 2 ** 30).toFixed(1)),
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    kernel: release(),
    loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** CPU time in ms: the whole machine's busy time, and this process's plus its waited-for children's. */
interface CpuReading {
  readonly machineBusyMs: number;
  readonly machineTotalMs: number;
  readonly oursMs: number;
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const TICK_MS = 10;

function readCpu(): CpuReading | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq steal ...
    const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number) as number[];
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    // utime, stime, cutime, cstime: fields 14 to 17, i.e. 11 to 14 after the ") " that ends the name.
    const self = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ').slice(11, 15).map(Number);
    return {
      machineBusyMs: busy * TICK_MS,
      machineTotalMs: (busy + idle! + iowait!) * TICK_MS,
      oursMs: self.reduce((a, b) => a + b, 0) * TICK_MS,
    };
  } catch {
    return undefined;
  }
}

/**
 * How much of the machine other processes used while `stop` was pending: the machine's busy CPU time
 * minus this process's and its children's (children count once they have exited, which the bench's all
 * have by the end). Linux only; undefined elsewhere.
 */
export function watchOtherCpu(): { stop(): { otherShare: number; oursShare: number } | undefined } {
  const start = readCpu();
  return {
    stop() {
      const end = readCpu();
      if (!start || !end) return undefined;
      const total = end.machineTotalMs - start.machineTotalMs;
      const ours = end.oursMs - start.oursMs;
      const other = end.machineBusyMs - start.machineBusyMs - ours;
      return { otherShare: Math.max(0, other / total), oursShare: ours / total };
    },
  };
}

/**
 * Waits (at most `maxMs`) for a 5 s window in which other processes use less than `share` of the
 * machine's CPU. Returns whether it found one.
 */
export async function waitForIdle(share = 0.1, maxMs = 600_000): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const watch = watchOtherCpu();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const used = watch.stop();
    if (!used || used.otherShare < share) return true;
    process.stderr.write(
      `waiting for an idle machine: other processes use ${(used.otherShare * 100).toFixed(0)}% of the CPU\n`,
    );
  }
  return false;
}
