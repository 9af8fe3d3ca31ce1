/**
 * The figures of a run (the rows of the table `npm run bench` prints and results.json keeps: each a summary
 * of ours, of the naive pattern and of their ratio) and the goals judged on them.
 */
import type { ColdSample } from './cold.js';
import type { Pattern } from './lib/paths.js';
import { round } from './lib/stats.js';
import { AUDIO_BYTES } from './lib/upstream.js';
import type { BenchRun, ColdResult } from './measure.js';
import { type Figure, figure, formatMs, type Goal, goal } from './report.js';

/** A floor's cold start and two of its parts, each a figure of its own (`ours` is the floor). */
export interface FloorFigures {
  readonly cold: Figure;
  readonly boot: Figure;
  readonly import: Figure;
}

export interface Figures {
  /** Every row of the table, in order. */
  readonly rows: Figure[];
  /** The floor (no MCP) and the SDK v2 floor (a one-tool SDK server), measured alongside the cold start. */
  readonly floor: FloorFigures;
  readonly sdkFloor: FloorFigures;
  /** How many tools our tools/list listed. */
  readonly toolCount: number;
  byId(id: string): Figure;
}

type Run = Pick<BenchRun, 'cold' | 'audio' | 'warm' | 'settings'>;

export function figuresOf(run: Run): Figures {
  const { cold, audio, warm, settings } = run;
  const pick = (result: ColdResult, field: keyof ColdSample) => (pattern: Pattern) =>
    result[pattern].map((s) => s[field] as number);
  const both = (values: (pattern: Pattern) => number[]): [number[], number[]] => [values('ours'), values('naive')];
  const warmSamples = (op: string) => (pattern: Pattern) => warm[pattern].ops[op]!.samples;
  const warmupSamples = (op: string) => (pattern: Pattern) => warm[pattern].ops[op]!.warmupSamples;
  const warmupOf = (op: string): number => settings.warm.find((entry) => entry.op === op)!.warmup;
  const overhead = (op: string, withS3: boolean) => (pattern: Pattern) => {
    const r = warm[pattern].ops[op]!;
    if (!r.matched) return [];
    return r.samples.map((ms, i) => ms - r.elevenlabsMs[i]! - (withS3 ? 0 : r.s3Ms[i]!));
  };

  const toolCount = cold.ours[0]?.tools ?? 0;
  const toolsListKB = Math.round((cold.ours[0]?.toolsListBytes ?? 0) / 1024);
  const rows: Figure[] = [
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
      ...both((p) => warm[p].ops.text_to_speech!.elevenlabsMs),
    ),
    figure('warm.ttsS3', '  S3 (s3rver) service time', 'ms', ...both((p) => warm[p].ops.text_to_speech!.s3Ms)),
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
  return {
    rows,
    floor: floorFigures(
      'cold.floor',
      'Floor: spawn → initialize + tools/list as web Request → web Response (no MCP)',
      cold.floor,
    ),
    sdkFloor: floorFigures(
      'cold.sdkFloor',
      'SDK v2 floor: spawn → initialize + tools/list from a one-tool SDK server',
      cold.sdkFloor,
    ),
    toolCount,
    byId: (id) => rows.find((f) => f.id === id)!,
  };
}

/** A floor's figures: `id` and `label` name its cold start; its Node start and import follow under them. */
function floorFigures(id: string, label: string, samples: readonly ColdSample[]): FloorFigures {
  return {
    cold: figure(
      id,
      label,
      'ms',
      samples.map((s) => s.wallMs),
    ),
    boot: figure(
      `${id}Boot`,
      '  Node start (spawn → first line of script)',
      'ms',
      samples.map((s) => s.bootMs),
    ),
    import: figure(
      `${id}Import`,
      '  import of the bundle',
      'ms',
      samples.map((s) => s.importMs),
    ),
  };
}

/** Our cold start over the floor's (medians), as the goals judge it. */
export function oursOverFloor(figures: Figures): number {
  return round(figures.byId('cold.wall').ours.median / figures.floor.cold.ours.median);
}

/** The SDK floor's cold start over the floor's (medians): where any server on the v2 SDK starts. */
export function sdkOverFloor(figures: Figures): number {
  return round(figures.sdkFloor.cold.ours.median / figures.floor.cold.ours.median);
}

/**
 * The goals of issue 9 first (judged on the Node the handlers ran on: 24, Lambda's, by default), then the
 * earlier ones the bench has kept.
 */
export function goalsOf(figures: Figures): Goal[] {
  const { byId, toolCount } = figures;
  const ratio = (v: number): string => `${v.toFixed(3)} of naive`;
  const overhead = byId('overhead.tts').ours;
  const rss = (v: number): string => `${v.toFixed(1)} MB`;
  return [
    goal('Cold start median <= 0.2 of naive', byId('cold.wall').ratio?.median, 0.2, ratio),
    goal('Cold start median <= 2.0 x floor', oursOverFloor(figures), 2.0, (v) => `${v.toFixed(2)} x floor`),
    goal(
      `Warm tools/list median <= 0.5 ms (all ${toolCount} tools)`,
      byId('warm.toolsList').ours.median,
      0.5,
      formatMs,
    ),
    goal('text_to_speech overhead median <= 10 ms', overhead.n ? overhead.median : undefined, 10, formatMs),
    goal('Cold start median <= 150 ms', byId('cold.wall').ours.median, 150, formatMs),
    goal('Warm tools/list median <= 0.25 of naive', byId('warm.toolsList').ratio?.median, 0.25, ratio),
    goal('RSS after a cold initialize <= 80 MB', byId('cold.rssInitialize').ours.median, 80, rss),
    goal('Cold to first audio median <= 0.6 of naive', byId('audio.wall').ratio?.median, 0.6, ratio),
  ];
}
