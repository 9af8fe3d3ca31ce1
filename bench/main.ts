/**
 * The benchmark (`npm run bench`): our built endpoint against the naive pattern built from the same tool
 * definitions, measured in the same run, alternating. Prints a table and the goals, and writes
 * bench/results.json (summaries) and bench/results/raw-<date>.json (every sample).
 *
 *   --quick       fewer processes, iterations and seconds: a smoke run, written to bench/results/quick.json
 *   --node=PATH   run the handler processes with another Node binary
 *   --wait-idle   first wait (up to 10 minutes) until other processes leave the CPU alone
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureBundle } from './bundle.js';
import { measureCold, type ColdSample } from './cold.js';
import { measureLoad, type LoadResult } from './load.js';
import { machineInfo, waitForIdle, watchOtherCpu } from './lib/machine.js';
import { BUNDLES, FLOOR_BUNDLE, ROOT, SDK_FLOOR_BUNDLE, type Pattern } from './lib/paths.js';
import { round } from './lib/stats.js';
import { AUDIO_BYTES, startUpstream } from './lib/upstream.js';
import { figure, goal, goalTable, markdown, table, type Figure, type Goal } from './report.js';
import { measureWarm, type WarmPlanEntry, type WarmVariantResult } from './warm.js';

type ColdResult = Record<Pattern, ColdSample[]>;
type ColdWithFloor = Record<Pattern | 'floor' | 'sdkFloor', ColdSample[]>;

const quick = process.argv.includes('--quick');
const scale = quick ? 0.1 : 1;

const SETTINGS = {
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

if (process.argv.includes('--wait-idle') && !(await waitForIdle()))
  process.stderr.write('the machine did not become idle; measuring anyway\n');
const started = new Date();
const machine = machineInfo();

/**
 * The handler processes run on the Node that `--node=PATH` names: `npm run bench` (bench/run.mjs) passes
 * Node 24, Lambda's nodejs24.x, from tools/node24 unless told otherwise; without it, on this Node.
 */
const nodeArgument = process.argv.find((arg) => arg.startsWith('--node='))?.slice('--node='.length);
const handlerNode = nodeArgument ?? process.execPath;
const handlerNodeVersion = execFileSync(handlerNode, ['--version'], { encoding: 'utf8' }).trim();
const VARIANTS = {
  ours: { bundle: BUNDLES.ours, node: handlerNode },
  naive: { bundle: BUNDLES.naive, node: handlerNode },
};
/** The floor takes its turns with the other two in the cold-start measurement only. */
const FLOOR = { bundle: FLOOR_BUNDLE, node: handlerNode, notMcp: true };
/** So does the least server the v2 SDK can answer through (one tool): what any server on the SDK starts from. */
const SDK_FLOOR = { bundle: SDK_FLOOR_BUNDLE, node: handlerNode, ownTools: true };

process.stderr.write(
  `${machine.cpuModel} x${machine.cpuCount}, ${machine.memoryGiB} GiB, handlers on Node ${handlerNodeVersion}, load ` +
    `${machine.loadAverageAtStart.join(' ')}\n`,
);

// The figures are only as good as the machine is quiet: account for the CPU that others use meanwhile.
const otherCpu = watchOtherCpu();

const upstream = await startUpstream();
let cold: ColdWithFloor, audio: ColdResult, warm: Record<Pattern, WarmVariantResult>;
const load: Partial<Record<Pattern, LoadResult>> = {};
try {
  process.stderr.write(`cold start: ${SETTINGS.coldProcesses} processes each `);
  cold = await measureCold(
    upstream,
    { ...VARIANTS, floor: FLOOR, sdkFloor: SDK_FLOOR },
    { processes: SETTINGS.coldProcesses, audio: false },
  );
  process.stderr.write(`cold to first audio: ${SETTINGS.audioProcesses} processes each `);
  audio = await measureCold(upstream, VARIANTS, { processes: SETTINGS.audioProcesses, audio: true });
  process.stderr.write(`warm: ${SETTINGS.warmRounds} rounds `);
  warm = await measureWarm(upstream, VARIANTS, SETTINGS.warm, SETTINGS.warmRounds);
  for (const pattern of ['ours', 'naive'] as const) {
    process.stderr.write(
      `load (${pattern}): ${SETTINGS.load.clients} + ${SETTINGS.load.ttsClients} clients, ${SETTINGS.load.seconds} s\n`,
    );
    load[pattern] = await measureLoad(upstream, pattern, SETTINGS.load, handlerNode);
  }
} finally {
  await upstream.stop();
}
const cpuShares = otherCpu.stop();
const busy = (cpuShares?.otherShare ?? 0) > 0.1;
const bundle = measureBundle();

// ---------------------------------------------------------------------------------------------------
const pick = (result: ColdResult, field: keyof ColdSample) => (pattern: Pattern) =>
  result[pattern].map((s) => s[field] as number);
const floorCold = figure(
  'cold.floor',
  'Floor: spawn → initialize + tools/list as web Request → web Response (no MCP)',
  'ms',
  cold.floor.map((s) => s.wallMs),
);
const floorBoot = figure(
  'cold.floorBoot',
  '  Node start (spawn → first line of script)',
  'ms',
  cold.floor.map((s) => s.bootMs),
);
const floorImport = figure(
  'cold.floorImport',
  '  import of the bundle',
  'ms',
  cold.floor.map((s) => s.importMs),
);
const sdkFloorCold = figure(
  'cold.sdkFloor',
  'SDK v2 floor: spawn → initialize + tools/list from a one-tool SDK server',
  'ms',
  cold.sdkFloor.map((s) => s.wallMs),
);
const sdkFloorBoot = figure(
  'cold.sdkFloorBoot',
  '  Node start (spawn → first line of script)',
  'ms',
  cold.sdkFloor.map((s) => s.bootMs),
);
const sdkFloorImport = figure(
  'cold.sdkFloorImport',
  '  import of the bundle',
  'ms',
  cold.sdkFloor.map((s) => s.importMs),
);
const both = (values: (pattern: Pattern) => number[]): [number[], number[]] => [values('ours'), values('naive')];
const warmSamples = (op: string) => (pattern: Pattern) => warm[pattern].ops[op]!.samples;
const warmupSamples = (op: string) => (pattern: Pattern) => warm[pattern].ops[op]!.warmupSamples;
const warmupOf = (op: string): number => SETTINGS.warm.find((entry) => entry.op === op)!.warmup;
const overhead = (op: string, withS3: boolean) => (pattern: Pattern) => {
  const r = warm[pattern].ops[op]!;
  if (!r.matched) return [];
  return r.samples.map((ms, i) => ms - r.elevenlabsMs[i]! - (withS3 ? 0 : r.s3Ms[i]!));
};

const toolCount = cold.ours[0]?.tools ?? 0;
const toolsListKB = Math.round((cold.ours[0]?.toolsListBytes ?? 0) / 1024);
const figures: Figure[] = [
  figure('cold.wall', 'Cold start: spawn → initialize + tools/list answered', 'ms', ...both(pick(cold, 'wallMs'))),
  figure('cold.boot', '  Node start (spawn → first line of script)', 'ms', ...both(pick(cold, 'bootMs'))),
  figure('cold.import', '  import of the bundle', 'ms', ...both(pick(cold, 'importMs'))),
  figure('cold.initialize', '  initialize (handler)', 'ms', ...both(pick(cold, 'initializeMs'))),
  figure('cold.toolsList', '  tools/list (handler)', 'ms', ...both(pick(cold, 'toolsListMs'))),
  figure('cold.rssInitialize', 'RSS after a cold initialize', 'MB', ...both(pick(cold, 'rssAfterInitializeMB'))),
  figure('cold.rssToolsList', 'RSS after tools/list', 'MB', ...both(pick(cold, 'rssAfterToolsListMB'))),
  figure(
    'audio.wall',
    'Cold to first audio: spawn → initialize, tools/list, text_to_speech URL in hand',
    'ms',
    ...both(pick(audio, 'wallMs')),
  ),
  figure('audio.import', '  import of the bundle', 'ms', ...both(pick(audio, 'importMs'))),
  figure('audio.tts', '  first text_to_speech (handler)', 'ms', ...both(pick(audio, 'textToSpeechMs'))),
  figure('audio.rssTts', 'RSS after the first text_to_speech', 'MB', ...both(pick(audio, 'rssAfterTextToSpeechMB'))),
  figure('warm.initialize', 'Warm initialize (handler)', 'ms', ...both(warmSamples('initialize'))),
  figure(
    'warm.toolsList',
    `Warm tools/list (handler, all ${toolCount} tools, ${toolsListKB} KB of JSON)`,
    'ms',
    ...both(warmSamples('tools/list')),
  ),
  figure(
    'warm.toolsListWarmup',
    `  during the warm-up (a process's first ${warmupOf('tools/list')} tools/list calls)`,
    'ms',
    ...both(warmupSamples('tools/list')),
  ),
  figure(
    'warm.checkSubscription',
    'Warm check_subscription (handler, fake upstream)',
    'ms',
    ...both(warmSamples('check_subscription')),
  ),
  figure(
    'warm.tts',
    `Warm text_to_speech (handler, ${AUDIO_BYTES / 1024} KB audio to S3)`,
    'ms',
    ...both(warmSamples('text_to_speech')),
  ),
  figure(
    'warm.ttsWarmup',
    `  during the warm-up (a process's first ${warmupOf('text_to_speech')} text_to_speech calls)`,
    'ms',
    ...both(warmupSamples('text_to_speech')),
  ),
  figure(
    'warm.ttsUpstream',
    '  fake ElevenLabs service time',
    'ms',
    ...both((p) => warm[p].ops['text_to_speech']!.elevenlabsMs),
  ),
  figure('warm.ttsS3', '  S3 (s3rver) service time', 'ms', ...both((p) => warm[p].ops['text_to_speech']!.s3Ms)),
  figure(
    'overhead.tts',
    'text_to_speech overhead (handler − ElevenLabs time)',
    'ms',
    ...both(overhead('text_to_speech', true)),
  ),
  figure(
    'overhead.ttsOwn',
    '  without S3 service time (handler − ElevenLabs − S3)',
    'ms',
    ...both(overhead('text_to_speech', false)),
  ),
  figure(
    'overhead.checkSubscription',
    'check_subscription overhead (handler − ElevenLabs time)',
    'ms',
    ...both(overhead('check_subscription', true)),
  ),
];
const byId = (id: string): Figure => figures.find((f) => f.id === id)!;

const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const ratio = (v: number): string => `${v.toFixed(3)} of naive`;
const overFloor = round(byId('cold.wall').ours.median / floorCold.ours.median);
const sdkOverFloor = round(sdkFloorCold.ours.median / floorCold.ours.median);
// The goals of issue 9 first (judged on the Node the handlers ran on: 24, Lambda's, by default), then the
// earlier ones the bench has kept.
const goals: Goal[] = [
  goal('Cold start median <= 0.2 of naive', byId('cold.wall').ratio?.median, 0.2, ratio),
  goal('Cold start median <= 2.0 x floor', overFloor, 2.0, (v) => `${v.toFixed(2)} x floor`),
  goal(`Warm tools/list median <= 0.5 ms (all ${toolCount} tools)`, byId('warm.toolsList').ours.median, 0.5, ms),
  goal(
    'text_to_speech overhead median <= 10 ms',
    byId('overhead.tts').ours.n ? byId('overhead.tts').ours.median : undefined,
    10,
    ms,
  ),
  goal('Cold start median <= 150 ms', byId('cold.wall').ours.median, 150, ms),
  goal('Warm tools/list median <= 0.25 of naive', byId('warm.toolsList').ratio?.median, 0.25, ratio),
  goal('RSS after a cold initialize <= 80 MB', byId('cold.rssInitialize').ours.median, 80, (v) => `${v.toFixed(1)} MB`),
  goal('Cold to first audio median <= 0.6 of naive', byId('audio.wall').ratio?.median, 0.6, ratio),
];

const loadRows = (['ours', 'naive'] as const).flatMap((pattern) => {
  const r = load[pattern]!;
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
const bundleRows = [
  ['entry (dist/handler.mjs)', kb(bundle.ours.entry.bytes), kb(bundle.naive.entry.bytes)],
  [
    'loaded by a cold initialize (entry + static chunks)',
    `${kb(bundle.ours.loadedAtColdStart.bytes)} (${bundle.ours.loadedAtColdStart.files} files)`,
    `${kb(bundle.naive.loadedAtColdStart.bytes)} (${bundle.naive.loadedAtColdStart.files} files)`,
  ],
  [
    'total written by the build',
    `${kb(bundle.ours.total.bytes)} (${bundle.ours.total.files} files)`,
    `${kb(bundle.naive.total.bytes)} (${bundle.naive.total.files} files)`,
  ],
  [
    'dist/ on disk',
    `${kb(bundle.ours.distOnDisk.bytes)} (${bundle.ours.distOnDisk.files} files, ` +
      `${bundle.ours.distOnDisk.staleFiles} left from earlier builds)`,
    '',
  ],
];

const out = [
  '',
  `Machine: ${machine.cpuModel}, ${machine.cpuCount} CPUs, ${machine.memoryGiB} GiB; Node ${handlerNodeVersion} ` +
    `(${machine.platform}/${machine.arch}); load average at start ${machine.loadAverageAtStart.join(' ')}`,
  `Date: ${started.toISOString()}${quick ? '  (--quick: a smoke run, not for comparison)' : ''}; CPU used by other ` +
    `processes during the run: ${cpuShares ? `${(cpuShares.otherShare * 100).toFixed(1)}%` : 'unknown'}`,
  '',
  table(figures),
  '',
  `Cold start against the floor (the same ${SETTINGS.coldProcesses} rounds, the four taking turns):`,
  '',
  markdown(
    ['Pattern', 'n', 'median', 'p99', 'Node start', 'import', 'median / floor'],
    [
      ['ours', byId('cold.wall').ours, byId('cold.boot').ours, byId('cold.import').ours] as const,
      ['naive', byId('cold.wall').naive!, byId('cold.boot').naive!, byId('cold.import').naive!] as const,
      ['SDK v2 floor', sdkFloorCold.ours, sdkFloorBoot.ours, sdkFloorImport.ours] as const,
      ['floor', floorCold.ours, floorBoot.ours, floorImport.ours] as const,
    ].map(([name, wall, boot, imported]) => [
      name,
      String(wall.n),
      ms(wall.median),
      ms(wall.p99),
      ms(boot.median),
      ms(imported.median),
      (wall.median / floorCold.ours.median).toFixed(2),
    ]),
    [false, true, true, true, true, true, true],
  ),
  '',
  `Local server under load (${SETTINGS.load.clients} clients alternating tools/list and ping + ` +
    `${SETTINGS.load.ttsClients} text_to_speech clients, ${SETTINGS.load.seconds} s, loopback):`,
  '',
  markdown(
    ['Handler', 'Operation', 'Requests', 'Per second', 'Errors', 'Median ms', 'p99 ms', 'Server CPU (cores)'],
    loadRows,
    [false, false, true, true, true, true, true, true],
  ),
  ...(load.ours?.firstError ? [`  first error (ours): ${load.ours.firstError}`] : []),
  ...(load.naive?.firstError ? [`  first error (naive): ${load.naive.firstError}`] : []),
  '',
  'Bundle:',
  '',
  markdown(['', 'ours', 'naive'], bundleRows, [false, true, true]),
  '',
  'What a cold initialize of ours loads, by package (bytes in the output; the rest loads on first use):',
  '',
  markdown(
    ['Package', 'At cold start', 'Whole build'],
    bundle.ours.byPackage
      .filter((p) => p.atColdStart > 0)
      .sort((a, b) => b.atColdStart - a.atColdStart)
      .slice(0, 10)
      .map((p) => [p.package, kb(p.atColdStart), kb(p.bytesInOutput)]),
    [false, true, true],
  ),
  '',
  'Ten largest inputs of our bundle (bytes in the output):',
  '',
  markdown(
    ['Input', 'Bytes', 'Output', 'Cold start'],
    bundle.ours.largestInputs.map((i) => [
      i.input.replace(/^node_modules\//, ''),
      kb(i.bytesInOutput),
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
  `For the floor goal: a one-tool server on the v2 SDK, nothing else, starts at ${sdkOverFloor.toFixed(2)} x floor; ` +
    `ours at ${(byId('cold.wall').ours.median / sdkFloorCold.ours.median).toFixed(2)} x that.`,
  '',
];
process.stdout.write(out.join('\n'));

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
const busyWarning = busy
  ? [
      `the machine was busy: other processes used ${((cpuShares?.otherShare ?? 0) * 100).toFixed(0)}% of its CPU ` +
        `during the run, which inflates the absolute figures (the ours/naive ratios, measured alternately, suffer ` +
        `less). Rerun on an idle machine.`,
    ]
  : [];
for (const line of [...failures, ...unmatched, ...busyWarning]) process.stdout.write(`WARNING: ${line}\n`);

const results = {
  date: started.toISOString(),
  quick,
  machine: {
    ...machine,
    handlerNode: handlerNodeVersion,
    /** Shares of the machine's CPU during the run: this bench's processes, and everything else. */
    cpuDuringRun: cpuShares && { bench: round(cpuShares.oursShare), otherProcesses: round(cpuShares.otherShare) },
    busy,
  },
  toolsListed: { tools: toolCount, bytes: cold.ours[0]?.toolsListBytes, naiveBytes: cold.naive[0]?.toolsListBytes },
  settings: {
    ...SETTINGS,
    audioBytes: AUDIO_BYTES,
    handlerLogLevel: 'info',
    childEnvironment: 'PATH and the handler configuration only',
  },
  figures,
  floor: {
    cold: floorCold,
    boot: floorBoot,
    import: floorImport,
    oursOverFloor: overFloor,
    naiveOverFloor: round(byId('cold.wall').naive!.median / floorCold.ours.median),
    sdkFloor: { cold: sdkFloorCold, boot: sdkFloorBoot, import: sdkFloorImport },
    sdkFloorOverFloor: sdkOverFloor,
    oursOverSdkFloor: round(byId('cold.wall').ours.median / sdkFloorCold.ours.median),
  },
  goals,
  load,
  bundle,
  warmProcessMemoryMB: { ours: warm.ours.memory, naive: warm.naive.memory },
  warmFailures: failures,
  warmUnmatched: unmatched,
};
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
// bench/results.json is the committed record of a full run on Node 24 (Lambda's); other runs go to bench/results/.
const resultsFile = quick
  ? 'results/quick.json'
  : handlerNodeVersion.startsWith('v24.')
    ? 'results.json'
    : `results/results-node-${handlerNodeVersion}.json`;
writeFileSync(join(ROOT, 'bench', resultsFile), `${JSON.stringify(results, null, 2)}\n`);
const stamp = started.toISOString().replace(/[:.]/g, '-');
writeFileSync(join(ROOT, 'bench', 'results', `raw-${stamp}.json`), JSON.stringify({ cold, audio, warm }));
process.stdout.write(`Figures written to bench/${resultsFile}; every sample in bench/results/raw-${stamp}.json\n`);

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
