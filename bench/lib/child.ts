import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface TimedChild<T> {
  /** From just before spawn() to the child's report read in full: what a caller of a cold function waits. */
  readonly wallMs: number;
  /** From spawn() to the first line of the child's script (Node's own start), across the two clocks. */
  readonly bootMs: number;
  /** From the child's last clock reading to its report in the parent's hands. */
  readonly deliverMs: number;
  readonly report: T;
}

interface ClockReport {
  readonly timeOrigin: number;
  readonly scriptStart: number;
  readonly answered: number;
}

export interface Launch {
  /** The Node binary; this one by default. */
  readonly node?: string;
  /** Options for it, e.g. `--max-semi-space-size=32`. */
  readonly nodeOptions?: readonly string[];
}

/**
 * Runs `node script ...args` with exactly `env`, and times it from spawn to the one JSON line it writes
 * on file descriptor 3. Its stdout (the handler's log lines) goes to /dev/null, as a Lambda's goes to
 * CloudWatch without anyone waiting; stderr is kept for the error message if the child fails.
 */
export function runTimedChild<T extends ClockReport>(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  launch: Launch = {},
  timeoutMs = 120_000,
): Promise<TimedChild<T>> {
  const command = launch.node ?? process.execPath;
  const commandArgs = [...(launch.nodeOptions ?? []), script, ...args];
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(command, commandArgs, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let report = '';
    let stderr = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${script} gave no report within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => {
      report += chunk;
      if (settled || !report.includes('\n')) return;
      const wallMs = performance.now() - startedAt;
      settled = true;
      clearTimeout(timer);
      const parsed = JSON.parse(report) as T;
      const spawnedAtEpoch = performance.timeOrigin + startedAt;
      resolve({
        wallMs,
        bootMs: parsed.timeOrigin + parsed.scriptStart - spawnedAtEpoch,
        deliverMs: spawnedAtEpoch + wallMs - (parsed.timeOrigin + parsed.answered),
        report: parsed,
      });
    });
    child.on('error', (error) => fail(error));
    child.on('exit', (code, signal) => {
      if (!settled) fail(new Error(`${script} exited (${code ?? signal}) without a report:\n${stderr}`));
    });
  });
}
