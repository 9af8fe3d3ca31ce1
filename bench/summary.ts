/**
 * What `npm run bench` prints on stdout: the machine and the date, the table of figures, the cold start
 * against the floors, the local server under load, the bundle, the goals; then a WARNING line for each
 * thing that makes the figures less trustworthy (failed answers, unmatched upstream requests, a busy machine).
 */
import { type Figures, sdkOverFloor } from './figures.js';
import type { BenchRun } from './measure.js';
import { formatMs, formatSize, type Goal, goalTable, markdown, table } from './report.js';

/** The text of the summary, from the blank line before the machine to the line after the floor's sentence. */
export function summaryText(run: BenchRun, figures: Figures, goals: readonly Goal[]): string {
  const { machine, settings, cpuShares, load, bundle } = run;
  const { byId, floor, sdkFloor } = figures;
  const cpuUsed = cpuShares ? `${(cpuShares.otherShare * 100).toFixed(1)}%` : 'unknown';
  return [
    '',
    `Machine: ${machine.cpuModel}, ${machine.cpuCount} CPUs, ${machine.memoryGiB} GiB; ` +
      `Node ${run.handlerNodeVersion} (${machine.platform}/${machine.arch}); ` +
      `load average at start ${machine.loadAverageAtStart.join(' ')}`,
    `Date: ${run.started.toISOString()}${run.quick ? '  (--quick: a smoke run, not for comparison)' : ''}; ` +
      `CPU used by other processes during the run: ${cpuUsed}`,
    '',
    table(figures.rows),
    '',
    `Cold start against the floor (the same ${settings.coldProcesses} rounds, the four taking turns):`,
    '',
    markdown(
      ['Pattern', 'n', 'median', 'p99', 'Node start', 'import', 'median / floor'],
      [
        ['ours', byId('cold.wall').ours, byId('cold.boot').ours, byId('cold.import').ours] as const,
        ['naive', byId('cold.wall').naive!, byId('cold.boot').naive!, byId('cold.import').naive!] as const,
        ['SDK v2 floor', sdkFloor.cold.ours, sdkFloor.boot.ours, sdkFloor.import.ours] as const,
        ['floor', floor.cold.ours, floor.boot.ours, floor.import.ours] as const,
      ].map(([name, wall, boot, imported]) => [
        name,
        String(wall.n),
        formatMs(wall.median),
        formatMs(wall.p99),
        formatMs(boot.median),
        formatMs(imported.median),
        (wall.median / floor.cold.ours.median).toFixed(2),
      ]),
      [false, true, true, true, true, true, true],
    ),
    '',
    `Local server under load (${settings.load.clients} clients alternating tools/list and ping + ` +
      `${settings.load.ttsClients} text_to_speech clients, ${settings.load.seconds} s, loopback):`,
    '',
    markdown(
      ['Handler', 'Operation', 'Requests', 'Per second', 'Errors', 'Median ms', 'p99 ms', 'Server CPU (cores)'],
      loadRows(run),
      [false, false, true, true, true, true, true, true],
    ),
    ...(load.ours?.firstError ? [`  first error (ours): ${load.ours.firstError}`] : []),
    ...(load.naive?.firstError ? [`  first error (naive): ${load.naive.firstError}`] : []),
    '',
    'Bundle:',
    '',
    markdown(['', 'ours', 'naive'], bundleRows(run), [false, true, true]),
    '',
    'What a cold initialize of ours loads, by package (bytes in the output; the rest loads on first use):',
    '',
    markdown(
      ['Package', 'At cold start', 'Whole build'],
      bundle.ours.byPackage
        .filter((p) => p.atColdStart > 0)
        .sort((a, b) => b.atColdStart - a.atColdStart)
        .slice(0, 10)
        .map((p) => [p.package, formatSize(p.atColdStart), formatSize(p.bytesInOutput)]),
      [false, true, true],
    ),
    '',
    'Ten largest inputs of our bundle (bytes in the output):',
    '',
    markdown(
      ['Input', 'Bytes', 'Output', 'Cold start'],
      bundle.ours.largestInputs.map((i) => [
        i.input.replace(/^node_modules\//, ''),
        formatSize(i.bytesInOutput),
        i.output,
        i.atColdStart ? 'yes' : 'no (lazy)',
      ]),
      [false, true, false, false],
    ),
    '',
    'Goals:',
    '',
    goalTable(goals),
    '',
    `For the floor goal: a one-tool server on the v2 SDK, nothing else, starts at ` +
      `${sdkOverFloor(figures).toFixed(2)} x floor; ` +
      `ours at ${(byId('cold.wall').ours.median / sdkFloor.cold.ours.median).toFixed(2)} x that.`,
    '',
  ].join('\n');
}

/** The load table: for each handler, all requests, then each operation's. */
function loadRows(run: BenchRun): string[][] {
  return (['ours', 'naive'] as const).flatMap((pattern) => {
    const r = run.load[pattern]!;
    return [
      [
        pattern,
        'all',
        String(r.requests),
        r.throughputPerSecond.toFixed(0),
        String(r.errors),
        '',
        '',
        `${r.serverCpuShare.toFixed(2)} (${r.serverCpuMsPerRequest.toFixed(2)} ms/req)`,
      ],
      ...Object.entries(r.byOp).map(([op, o]) => [
        pattern,
        op,
        String(o.requests),
        o.perSecond.toFixed(1),
        String(o.errors),
        o.latencyMs.median.toFixed(1),
        o.latencyMs.p99.toFixed(1),
        '',
      ]),
    ];
  });
}

/** The bundle table: ours against the naive pattern's. */
function bundleRows(run: BenchRun): string[][] {
  const { ours, naive } = run.bundle;
  const sized = (figures: { bytes: number; files: number }): string =>
    `${formatSize(figures.bytes)} (${figures.files} files)`;
  return [
    ['entry (dist/handler.mjs)', formatSize(ours.entry.bytes), formatSize(naive.entry.bytes)],
    [
      'loaded by a cold initialize (entry + static chunks)',
      sized(ours.loadedAtColdStart),
      sized(naive.loadedAtColdStart),
    ],
    ['total written by the build', sized(ours.total), sized(naive.total)],
    [
      'dist/ on disk',
      `${formatSize(ours.distOnDisk.bytes)} (${ours.distOnDisk.files} files, ` +
        `${ours.distOnDisk.staleFiles} left from earlier builds)`,
      '',
    ],
  ];
}

/** What makes the figures less trustworthy, each a WARNING line; results.json keeps the first two lists. */
export interface Warnings {
  readonly failures: string[];
  readonly unmatched: string[];
  readonly busy: string[];
}

export function warningsOf(run: BenchRun): Warnings {
  const { warm, cpuShares } = run;
  const failures = (['ours', 'naive'] as const).flatMap((pattern) =>
    Object.entries(warm[pattern].ops).flatMap(([op, r]) =>
      r.failures ? [`warm ${pattern} ${op}: ${r.failures} failed answers, e.g. ${r.firstFailure}`] : [],
    ),
  );
  const unmatched = (['ours', 'naive'] as const).flatMap((pattern) =>
    ['text_to_speech', 'check_subscription'].flatMap((op) =>
      warm[pattern].ops[op]!.matched
        ? []
        : [`warm ${pattern} ${op}: calls and upstream requests did not line up; no overhead figure`],
    ),
  );
  const busy = run.busy
    ? [
        `the machine was busy: other processes used ${((cpuShares?.otherShare ?? 0) * 100).toFixed(0)}% of its CPU ` +
          `during the run, which inflates the absolute figures (the ours/naive ratios, measured alternately, suffer ` +
          `less). Rerun on an idle machine.`,
      ]
    : [];
  return { failures, unmatched, busy };
}
