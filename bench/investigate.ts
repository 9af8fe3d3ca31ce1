/**
 * `node bench/run.mjs --investigate`: where the time of "cold to first audio" goes, with small
 * experiments. Prints tables and writes bench/results/investigation.json; bench/REPORT.md discusses them.
 *
 *   1. The ElevenLabs SDK chunk in a fresh process, whole and in parts (core, serialization schemas, one
 *      resource client by deep import, and with the modules we never run stubbed out).
 *   2. A CPU profile of importing the SDK (unminified, so that each CommonJS module keeps its name).
 *   3. First use of Node's web globals (Request, Headers, Response: Node's built-in undici).
 *   4. The SDK and S3 chunks imported one after the other, or at once.
 *   5. Cold to first audio for variants of our handler: a direct-HTTP client instead of the SDK, SDK
 *      loading started during INIT (not waited for, or waited for), Ajv and zod's locales left out; and
 *      the naive pattern built with our lazy re-exports plugin, when the tree has it.
 *   6. The same with ElevenLabs taking 300 ms, and S3 loading overlapped with that wait.
 *   7. Warm text_to_speech overhead with the SDK and with direct HTTP.
 *   8. Node 24 (Lambda's nodejs24.x; bench/run.mjs passes tools/node24's as --node=PATH).
 *   9. Lambda's CPU share for a memory size (memory / 1769 MB of one vCPU), emulated with a CPU quota
 *      (cgroup v1 `cpu` controller, 20 ms period), when this machine lets us create one.
 *
 *   --quick       fewer processes per figure
 *   --wait-idle   first wait (up to 10 minutes) until other processes leave the CPU alone
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { measureCold, type ColdSample, type ColdVariant } from './cold.js';
import { runTimedChild } from './lib/child.js';
import { machineInfo, waitForIdle, watchOtherCpu } from './lib/machine.js';
import { BENCH_BUILD, BUNDLES, OURS_META, oursOutput, ROOT } from './lib/paths.js';
import { round, summarize } from './lib/stats.js';
import { startUpstream, type Upstream } from './lib/upstream.js';
import { markdown } from './report.js';
import { measureWarm } from './warm.js';

const quick = process.argv.includes('--quick');
const N = quick ? 3 : 7;
const EXP = join(BENCH_BUILD, 'exp');
const NODE24 = process.argv.find((arg) => arg.startsWith('--node='))?.slice('--node='.length);
const UPSTREAM_DELAY_MS = 300;

if (process.argv.includes('--wait-idle') && !(await waitForIdle())) process.stderr.write('the machine did not become idle; measuring anyway\n');
const results: Record<string, unknown> = { date: new Date().toISOString(), quick, machine: machineInfo(), processesPerFigure: N };
const otherCpu = watchOtherCpu();
const print = (text: string): void => void process.stdout.write(`${text}\n`);
const med = (values: readonly number[]): number => round(summarize(values).median);
const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '');

// ---------------------------------------------------------------------------------------------- builds
mkdirSync(join(EXP, 'entries'), { recursive: true });

// Loaded from its own file rather than bundled into this script: bundled, its `import.meta.url` would be
// this script's, and its command-line guard (and the catalog generator's root) would point at build/.
const { LAMBDA_BUILD_OPTIONS } = (await import(pathToFileURL(join(ROOT, 'esbuild.config.mjs')).href)) as typeof import('../esbuild.config.mjs');

/**
 * The lazy re-exports plugin (scripts/lazy-reexports.mjs), when this tree has it: esbuild.config.mjs
 * applies it to the ElevenLabs SDK in our build. The naive pattern is built without it (as most servers
 * are); the variants below are built with it, as ours is, plus one naive variant with it.
 */
const lazyReexportsFile = join(ROOT, 'scripts', 'lazy-reexports.mjs');
const lazyReexports: esbuild.Plugin | undefined = existsSync(lazyReexportsFile)
  ? ((await import(pathToFileURL(lazyReexportsFile).href)) as { lazyReexports(options: { packages: string[] }): esbuild.Plugin }).lazyReexports({
      packages: ['@elevenlabs/elevenlabs-js'],
    })
  : undefined;
const asOurs = lazyReexports ? [lazyReexports] : [];

/** The options of our Lambda build, for an experimental variant of the handler. */
async function buildHandler(name: string, entry: string, plugins: esbuild.Plugin[] = []): Promise<string> {
  await esbuild.build({ ...LAMBDA_BUILD_OPTIONS, absWorkingDir: ROOT, entryPoints: { handler: entry }, outdir: join(EXP, name), plugins: [...plugins, ...asOurs] });
  return join(EXP, name, 'handler.mjs');
}

/** Replaces src/elevenlabs/sdk.ts (the SDK, imported lazily by client.ts) with the direct-HTTP experiment. */
const directHttp: esbuild.Plugin = {
  name: 'direct-http-elevenlabs',
  setup(build) {
    build.onResolve({ filter: /^\.\/sdk\.js$/ }, (args) =>
      args.importer.endsWith(join('src', 'elevenlabs', 'client.ts')) ? { path: join(ROOT, 'bench', 'experiments', 'direct-elevenlabs.ts') } : undefined,
    );
  },
};

/**
 * Drops from the cold path what our handler loads but never runs: Ajv (the MCP SDK's default JSON
 * Schema validator, which server-factory.ts replaces) and zod's 40-odd locales (only `en` is used).
 */
const trimColdPath: esbuild.Plugin = {
  name: 'trim-cold-path',
  setup(build) {
    build.onResolve({ filter: /\/validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes('@modelcontextprotocol') ? { path: 'ajv-provider', namespace: 'trimmed' } : undefined,
    );
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (args.importer.includes(join('node_modules', 'zod')) ? { path: 'locales', namespace: 'trimmed' } : undefined));
    build.onLoad({ filter: /^ajv-provider$/, namespace: 'trimmed' }, () => ({
      contents: "export class AjvJsonSchemaValidator { constructor() { throw new Error('Ajv is not bundled: pass a jsonSchemaValidator'); } }",
      loader: 'js',
    }));
    build.onLoad({ filter: /^locales$/, namespace: 'trimmed' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/** Empties the SDK's dependencies that our calls never run: node-fetch (Node <= 18 only), ws (realtime), command-exists (play). */
const stubUnused: esbuild.Plugin = {
  name: 'stub-unused-sdk-dependencies',
  setup(build) {
    build.onResolve({ filter: /^(node-fetch|ws|command-exists)$/ }, (args) => ({ path: args.path, namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/**
 * The SDK's text-to-speech and models clients with only the schemas they use: their
 * `require("../../../../serialization/index")` (every schema of the API) is pointed at a module that
 * requires just those. Shows what the SDK path could cost at best; it leans on SDK internals.
 */
const narrowSerialization: esbuild.Plugin = {
  name: 'narrow-sdk-serialization',
  setup(build) {
    const sdk = join(ROOT, 'node_modules', EL);
    build.onResolve({ filter: /serialization\/index$/ }, (args) =>
      /api\/resources\/(textToSpeech|models)\/client\/Client\.js$/.test(args.importer) ? { path: 'tts-and-models', namespace: 'narrow' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'narrow' }, () => ({
      resolveDir: sdk,
      loader: 'js',
      contents: [
        "const tts = require('./serialization/resources/textToSpeech/index.js');",
        'module.exports = {',
        '  ...tts,',
        "  AudioWithTimestampsResponse: require('./serialization/types/AudioWithTimestampsResponse.js').AudioWithTimestampsResponse,",
        "  StreamingAudioChunkWithTimestampsResponse: require('./serialization/types/StreamingAudioChunkWithTimestampsResponse.js').StreamingAudioChunkWithTimestampsResponse,",
        "  models: require('./serialization/resources/models/index.js'),",
        '};',
      ].join('\n'),
    }));
  },
};

/** One file holding `source`'s imports, minified ESM for node24 as ours, without splitting. */
async function buildSdkBundle(name: string, source: string, options: { minify?: boolean; plugins?: esbuild.Plugin[] } = {}): Promise<{ file: string; bytes: number }> {
  const entry = join(EXP, 'entries', `${name}.mjs`);
  writeFileSync(entry, source);
  const { splitting: _splitting, chunkNames: _chunkNames, ...single } = LAMBDA_BUILD_OPTIONS;
  const result = await esbuild.build({
    ...single,
    minify: options.minify ?? true,
    absWorkingDir: ROOT,
    entryPoints: { [name]: entry },
    outdir: join(EXP, 'sdk'),
    plugins: options.plugins ?? [],
  });
  const file = join(EXP, 'sdk', `${name}.mjs`);
  return { file, bytes: Object.entries(result.metafile.outputs).find(([out]) => out.endsWith(`${name}.mjs`))![1].bytes };
}

process.stderr.write('building the experimental bundles\n');
const EL = '@elevenlabs/elevenlabs-js';
const sdkBundles: Record<string, { file: string; bytes: number }> = {
  'whole SDK (as our sdk chunk)': await buildSdkBundle('sdk-full', `export { ElevenLabsClient } from '${EL}';\n`),
  'core only': await buildSdkBundle('sdk-core', `export * as core from '${EL}/core/index.js';\n`),
  'core + serialization/index (every schema)': await buildSdkBundle('sdk-serialization', `export * as serialization from '${EL}/serialization/index.js';\n`),
  'TextToSpeechClient by deep import': await buildSdkBundle('sdk-tts-deep', `export { TextToSpeechClient } from '${EL}/api/resources/textToSpeech/client/Client.js';\n`),
  'whole SDK, node-fetch/ws/command-exists stubbed': await buildSdkBundle('sdk-stubbed', `export { ElevenLabsClient } from '${EL}';\n`, { plugins: [stubUnused] }),
  ...(lazyReexports && {
    'whole SDK, lazy re-exports (scripts/lazy-reexports.mjs)': await buildSdkBundle('sdk-lazy', `export { ElevenLabsClient } from '${EL}';\n`, { plugins: [lazyReexports] }),
  }),
  'TTS + models clients, only their schemas (esbuild alias)': await buildSdkBundle(
    'sdk-tts-narrow',
    `export { TextToSpeechClient } from '${EL}/api/resources/textToSpeech/client/Client.js';\nexport { ModelsClient } from '${EL}/api/resources/models/client/Client.js';\n`,
    { plugins: [narrowSerialization] },
  ),
};
const sdkUnminified = await buildSdkBundle('sdk-full-unminified', `export { ElevenLabsClient } from '${EL}';\n`, { minify: false });
const variants = {
  direct: await buildHandler('direct', 'src/handler.ts', [directHttp]),
  initBackground: await buildHandler('init-background', 'bench/experiments/init-background.ts'),
  initAwait: await buildHandler('init-await', 'bench/experiments/init-await.ts'),
  trimmed: await buildHandler('trimmed', 'src/handler.ts', [trimColdPath]),
  naiveLazy: lazyReexports && (await buildHandler('naive-lazy', 'bench/naive/handler.ts')),
};

const probe = join(BENCH_BUILD, 'probe-child.mjs');
const bareEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
interface ProbeReport {
  timeOrigin: number;
  scriptStart: number;
  answered: number;
  ms: number;
  rssBeforeMB: number;
  rssAfterMB: number;
}
const runProbe = async (args: string[]): Promise<ProbeReport> => (await runTimedChild<ProbeReport>(probe, args, bareEnv)).report;

// ------------------------------------------------------------------------- 1. the SDK, whole and in parts
{
  process.stderr.write(`1. SDK bundles, ${N} fresh processes each `);
  const names = Object.keys(sdkBundles);
  const samples = Object.fromEntries(names.map((n) => [n, [] as ProbeReport[]]));
  for (const name of names) await runProbe(['import', sdkBundles[name]!.file]);
  for (let i = 0; i < N; i++) {
    for (const name of names) samples[name]!.push(await runProbe(['import', sdkBundles[name]!.file]));
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  const rows = names.map((name) => ({
    bundle: name,
    bytes: sdkBundles[name]!.bytes,
    importMs: med(samples[name]!.map((s) => s.ms)),
    rssAddedMB: med(samples[name]!.map((s) => s.rssAfterMB - s.rssBeforeMB)),
  }));
  results.sdkImport = rows;
  print('\n1. Importing the ElevenLabs SDK in a fresh process (medians)\n');
  print(markdown(['Bundle', 'Size', 'Import ms', 'RSS added MB'], rows.map((r) => [r.bundle, `${(r.bytes / 2 ** 20).toFixed(2)} MiB`, fmt(r.importMs), fmt(r.rssAddedMB, 0)]), [false, true, true, true]));
}

// ------------------------------------------------------------------- 2. CPU profile of the SDK's import
{
  process.stderr.write('2. CPU profile of the SDK import\n');
  const dir = join(EXP, 'profiles');
  rmSync(dir, { recursive: true, force: true });
  const shares: Array<Record<string, number>> = [];
  for (let i = 0; i < Math.min(N, 3); i++) {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100', probe, 'import', sdkUnminified.file], {
        env: bareEnv,
        stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
      });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`profile run exited with ${code}`))));
    });
  }
  for (const file of readdirSync(dir)) shares.push(profileShares(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile));
  const keys = Object.keys(shares[0]!);
  const summary = Object.fromEntries(keys.map((k) => [k, med(shares.map((s) => s[k]!))]));
  results.sdkProfile = { runs: shares.length, medianMs: summary, note: 'profiled (100 µs sampling), unminified bundle: absolute times are inflated; use the shares' };
  print('\n2. Where the SDK import goes (CPU profile, unminified bundle, median of runs; inclusive times)\n');
  const total = summary['total']!;
  print(markdown(['Part', 'ms (profiled)', 'share'], keys.map((k) => [k, fmt(summary[k]!), `${((summary[k]! / total) * 100).toFixed(0)}%`]), [false, true, true]));
}

// ------------------------------------------------------------------------------ 3. Node's web globals
{
  process.stderr.write('3. first use of the web globals\n');
  await runProbe(['web-globals']);
  const samples: ProbeReport[] = [];
  for (let i = 0; i < N; i++) samples.push(await runProbe(['web-globals']));
  results.webGlobals = { firstUseMs: med(samples.map((s) => s.ms)), rssAddedMB: med(samples.map((s) => s.rssAfterMB - s.rssBeforeMB)) };
  print(`\n3. First use of Request/Headers/Response in a fresh process (Node's undici loads): ${fmt(med(samples.map((s) => s.ms)))} ms median\n`);
}

// ------------------------------------------------------------------ 4. SDK and S3: one after the other, or at once
{
  process.stderr.write('4. SDK and S3 chunks, sequential or parallel\n');
  const meta = JSON.parse(readFileSync(OURS_META, 'utf8')) as esbuild.Metafile;
  const chunkOf = (entryPoint: string): string => oursOutput(Object.entries(meta.outputs).find(([, o]) => o.entryPoint === entryPoint)![0]);
  const files = [
    chunkOf('src/elevenlabs/sdk.ts'),
    chunkOf('node_modules/@aws-sdk/client-s3/dist-es/index.js'),
    chunkOf('node_modules/@aws-sdk/s3-request-presigner/dist-es/index.js'),
  ];
  const modes = { 'SDK alone': ['import', files[0]!], 'S3 alone': ['import', files[1]!, files[2]!], sequential: ['import', ...files], parallel: ['import-parallel', ...files] };
  const samples = Object.fromEntries(Object.keys(modes).map((m) => [m, [] as number[]]));
  for (const args of Object.values(modes)) await runProbe(args);
  for (let i = 0; i < N; i++) for (const [mode, args] of Object.entries(modes)) samples[mode]!.push((await runProbe(args)).ms);
  results.sdkAndS3 = Object.fromEntries(Object.entries(samples).map(([mode, s]) => [mode, med(s)]));
  print('\n4. Importing our SDK chunk and S3 chunks in a fresh process (medians)\n');
  print(markdown(['How', 'ms'], Object.entries(samples).map(([mode, s]) => [mode, fmt(med(s))]), [false, true]));
}

const upstream = await startUpstream();
const cgroups: string[] = [];
try {
  // ------------------------------------------------------------------ 5. handler variants, cold to first audio
  const coldVariants: Record<string, ColdVariant> = {
    ours: { bundle: BUNDLES.ours },
    naive: { bundle: BUNDLES.naive },
    direct: { bundle: variants.direct },
    initBackground: { bundle: variants.initBackground },
    initAwait: { bundle: variants.initAwait },
    trimmedColdPath: { bundle: variants.trimmed },
    ...(variants.naiveLazy && { naiveLazyReexports: { bundle: variants.naiveLazy } }),
  };
  process.stderr.write(`5. cold to first audio, variants, ${N} processes each `);
  const cold = await measureCold(upstream, coldVariants, { processes: N, audio: true });
  results.coldVariants = coldTable('5. Cold to first audio by handler variant (fresh processes, medians)', cold);

  // ------------------------------------------------------------ 6. ElevenLabs taking 300 ms, S3 overlapped
  process.stderr.write(`6. cold to first audio with ElevenLabs taking ${UPSTREAM_DELAY_MS} ms `);
  const slow = await measureCold(
    upstream,
    {
      ours: { bundle: BUNDLES.ours },
      naive: { bundle: BUNDLES.naive },
      direct: { bundle: variants.direct },
      directPrefetchS3: { bundle: variants.direct, env: { BENCH_PREFETCH_S3: '1' } },
    },
    { processes: N, audio: true, beforeEach: () => upstream.fake.inject(/^\/v1\/text-to-speech\//, { kind: 'delay', ms: UPSTREAM_DELAY_MS }) },
  );
  results.slowUpstream = coldTable(`6. Cold to first audio with ElevenLabs answering text_to_speech after ${UPSTREAM_DELAY_MS} ms (medians)`, slow);
  upstream.fake.clear();

  // ------------------------------------------------------------------------- 7. warm TTS, SDK vs direct
  process.stderr.write('7. warm text_to_speech, SDK vs direct HTTP ');
  const warm = await measureWarm(
    upstream,
    { ours: { bundle: BUNDLES.ours }, direct: { bundle: variants.direct } },
    [{ op: 'text_to_speech', event: 'textToSpeech', warmup: 30, iterations: quick ? 40 : 300, maxMs: 20_000, upstream: true }],
    2,
  );
  const warmRows = Object.entries(warm).map(([name, r]) => {
    const op = r.ops['text_to_speech']!;
    return {
      variant: name,
      handlerMs: med(op.samples),
      elevenlabsMs: med(op.elevenlabsMs),
      s3Ms: med(op.s3Ms),
      overheadMs: med(op.samples.map((ms, i) => ms - op.elevenlabsMs[i]!)),
      overheadWithoutS3Ms: med(op.samples.map((ms, i) => ms - op.elevenlabsMs[i]! - op.s3Ms[i]!)),
      n: op.samples.length,
      failures: op.failures,
    };
  });
  results.warmTts = warmRows;
  print('\n7. Warm text_to_speech (100 KB), with the SDK and with direct HTTP (medians)\n');
  print(
    markdown(
      ['Variant', 'n', 'Handler ms', 'ElevenLabs ms', 'S3 ms', 'Overhead ms', 'Overhead without S3 ms'],
      warmRows.map((r) => [r.variant, String(r.n), fmt(r.handlerMs, 2), fmt(r.elevenlabsMs, 2), fmt(r.s3Ms, 2), fmt(r.overheadMs, 2), fmt(r.overheadWithoutS3Ms, 2)]),
      [false, true, true, true, true, true, true],
    ),
  );

  // ------------------------------------------------------------------------------------- 8. Node 24
  if (NODE24 && NODE24 !== process.execPath) {
    process.stderr.write(`8. Node 24, ${N} processes each `);
    const node24 = await measureCold(
      upstream,
      { ours: { bundle: BUNDLES.ours, node: NODE24 }, naive: { bundle: BUNDLES.naive, node: NODE24 }, direct: { bundle: variants.direct, node: NODE24 } },
      { processes: N, audio: true },
    );
    results.node24 = coldTable('8. Node 24 (tools/node24): cold to first audio (medians)', node24);
  } else {
    print('\n8. Node 24: skipped (no --node=PATH other than this Node)');
  }

  // ------------------------------------------------------------------------ 9. Lambda CPU share emulated
  const cgroupRoot = '/sys/fs/cgroup/cpu';
  const memorySizes = [512, 1024, 1769, 3008];
  try {
    for (const mb of memorySizes) {
      const dir = join(cgroupRoot, `elevenlabs-mcp-bench-${process.pid}-${mb}`);
      mkdirSync(dir);
      cgroups.push(dir);
      const period = 20_000;
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(period));
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(Math.round((period * mb) / 1769)));
    }
  } catch (error) {
    print(`\n9. Lambda CPU share: skipped (cannot create a CPU-quota cgroup here: ${(error as Error).message})`);
    cgroups.length = 0;
  }
  if (cgroups.length === memorySizes.length) {
    const byMemory: Record<string, unknown> = {};
    for (const [i, mb] of memorySizes.entries()) {
      const dir = cgroups[i]!;
      const wrap = (argv: readonly string[]): readonly [string, readonly string[]] => ['/bin/sh', ['-c', `echo $$ > ${dir}/cgroup.procs && exec "$@"`, 'sh', ...argv]];
      process.stderr.write(`9. ${mb} MB (${((mb / 1769) * 100).toFixed(0)}% of a core), ${Math.min(N, 5)} processes each `);
      const emulated = await measureCold(
        upstream,
        { ours: { bundle: BUNDLES.ours, wrap }, naive: { bundle: BUNDLES.naive, wrap }, direct: { bundle: variants.direct, wrap } },
        { processes: Math.min(N, 5), audio: true },
      );
      byMemory[`${mb}MB`] = coldTable(`9. As a ${mb} MB Lambda (CPU quota ${((mb / 1769) * 100).toFixed(0)}% of one core; medians)`, emulated);
    }
    results.cpuShare = byMemory;
  }
} finally {
  await upstream.stop();
  for (const dir of cgroups) await removeCgroup(dir);
}

/**
 * A cgroup directory is removed with rmdir once no process is left in it; a child that has just exited
 * can still be listed for a moment (EBUSY), so this retries for up to two seconds.
 */
async function removeCgroup(dir: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EBUSY' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const cpu = otherCpu.stop();
results.cpuUsedByOtherProcesses = cpu && round(cpu.otherShare);
print(`\nCPU used by other processes during the investigation: ${cpu ? `${(cpu.otherShare * 100).toFixed(1)}%` : 'unknown'}`);
writeFileSync(join(ROOT, 'bench', 'results', quick ? 'investigation-quick.json' : 'investigation.json'), `${JSON.stringify(results, null, 2)}\n`);
print(`\nFigures written to bench/results/${quick ? 'investigation-quick.json' : 'investigation.json'}`);

// ---------------------------------------------------------------------------------------------- helpers
function coldTable(title: string, samples: Record<string, ColdSample[]>): Record<string, Record<string, number>> {
  const rows = Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [
      name,
      {
        wallMs: med(s.map((x) => x.wallMs)),
        coldStartPartMs: med(s.map((x) => x.bootMs + x.importMs + x.initializeMs + x.toolsListMs)),
        importMs: med(s.map((x) => x.importMs)),
        initializeMs: med(s.map((x) => x.initializeMs)),
        toolsListMs: med(s.map((x) => x.toolsListMs)),
        textToSpeechMs: med(s.map((x) => x.textToSpeechMs ?? Number.NaN)),
        rssAfterInitializeMB: med(s.map((x) => x.rssAfterInitializeMB)),
        rssAfterTextToSpeechMB: med(s.map((x) => x.rssAfterTextToSpeechMB ?? Number.NaN)),
      },
    ]),
  );
  const ours = rows['ours']?.wallMs;
  print(`\n${title}\n`);
  print(
    markdown(
      ['Variant', 'To first audio ms', 'of which cold start ms', 'import ms', 'initialize ms', 'first text_to_speech ms', 'RSS after initialize MB', 'RSS after audio MB', 'vs ours'],
      Object.entries(rows).map(([name, r]) => [
        name,
        fmt(r.wallMs, 0),
        fmt(r.coldStartPartMs, 0),
        fmt(r.importMs, 0),
        fmt(r.initializeMs, 1),
        fmt(r.textToSpeechMs, 0),
        fmt(r.rssAfterInitializeMB, 0),
        fmt(r.rssAfterTextToSpeechMB, 0),
        ours ? (r.wallMs / ours).toFixed(2) : '',
      ]),
      [false, true, true, true, true, true, true, true, true],
    ),
  );
  return rows;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Inclusive milliseconds of a few parts of the SDK import. In the unminified bundle every CommonJS module
 * is a function named by its path (esbuild's `__commonJS({ "node_modules/...": ... })`), so a module's
 * inclusive time is its top-level code plus the first loading of whatever it requires.
 */
function profileShares(profile: CpuProfile): Record<string, number> {
  const parts: Record<string, (name: string) => boolean> = {
    'serialization/index.js (every request/response schema)': (n) => n.endsWith(`${EL}/serialization/index.js`),
    'api/index.js (types, enums, errors)': (n) => n.endsWith(`${EL}/api/index.js`),
    'core/index.js': (n) => n.endsWith(`${EL}/core/index.js`),
    'ws (realtime WebSockets)': (n) => n.endsWith('node_modules/ws/index.js'),
    'module compilation (parse/compile of the file)': (n) => n === 'compileSourceTextModule',
    'garbage collection': (n) => n === '(garbage collector)',
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals: Record<string, number> = Object.fromEntries([...Object.keys(parts), 'total'].map((k) => [k, 0]));
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = byId.get(profile.samples[i]!)!;
    if (leaf.callFrame.functionName === '(idle)' || leaf.callFrame.functionName === '(program)') continue;
    totals['total']! += ms;
    const counted = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const name = byId.get(id)!.callFrame.functionName;
      for (const [part, matches] of Object.entries(parts)) {
        if (!counted.has(part) && matches(name)) {
          totals[part]! += ms;
          counted.add(part);
        }
      }
    }
  }
  return totals;
}
