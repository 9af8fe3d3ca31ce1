/**
 * Measurements 1, 2 and 5: cold start, cold to first audio, and memory, each in fresh Node processes
 * (bench/cold-child.ts), the variants (ours, naive and the floors) taking turns.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTimedChild, type Launch } from './lib/child.js';
import { EVENTS } from './lib/events.js';
import { BENCH_BUILD } from './lib/paths.js';
import { handlerEnv, type Upstream } from './lib/upstream.js';

export interface ColdSample {
  /** Spawn to the last answer in the parent's hands. */
  readonly wallMs: number;
  readonly bootMs: number;
  readonly importMs: number;
  readonly initializeMs: number;
  readonly toolsListMs: number;
  readonly textToSpeechMs: number | undefined;
  readonly deliverMs: number;
  readonly rssAfterImportMB: number;
  readonly rssAfterInitializeMB: number;
  readonly rssAfterToolsListMB: number;
  readonly rssAfterTextToSpeechMB: number | undefined;
  /** How many tools tools/list listed, and the size of that answer's JSON. */
  readonly tools: number;
  readonly toolsListBytes: number;
}

/** A handler bundle and how to start the process that imports it. */
export interface ColdVariant extends Launch {
  readonly bundle: string;
  /** Not an MCP server (the floor): its answers are checked for HTTP 200 and a JSON-RPC result only. */
  readonly notMcp?: boolean;
  /** A reference with tools of its own (the SDK floor): its tools/list need not list as many as ours. */
  readonly ownTools?: boolean;
}

export interface ColdOptions {
  readonly processes: number;
  /** Also call text_to_speech, until the presigned URL is in hand. */
  readonly audio: boolean;
}

interface StepReport {
  readonly name: string;
  readonly ms: number;
  readonly rss: number;
  readonly status: number;
  readonly body: {
    bytes?: number;
    error?: string;
    serverName?: string;
    tools?: number;
    isError?: boolean;
    url?: string;
    text?: string;
  };
}

interface ColdReport {
  readonly timeOrigin: number;
  readonly scriptStart: number;
  readonly answered: number;
  readonly importMs: number;
  readonly rssAfterImport: number;
  readonly steps: StepReport[];
}

const MB = 2 ** 20;

/**
 * `processes` fresh processes per variant, each importing the bundle and answering initialize and
 * tools/list (and, with `audio`, text_to_speech). Variants take turns, in an order that rotates every
 * round so that none always follows another. One unmeasured process per variant first, so that all
 * read their files from the page cache, as a warm Lambda host would.
 */
export async function measureCold<K extends string>(
  upstream: Upstream,
  variants: Record<K, ColdVariant>,
  options: ColdOptions,
): Promise<Record<K, ColdSample[]>> {
  const steps = [
    { name: 'initialize', event: EVENTS.initialize },
    { name: 'tools/list', event: EVENTS.toolsList },
    ...(options.audio ? [{ name: 'text_to_speech', event: EVENTS.textToSpeech }] : []),
  ];
  const eventsFile = join(BENCH_BUILD, options.audio ? 'events-cold-audio.json' : 'events-cold.json');
  writeFileSync(eventsFile, JSON.stringify({ steps }));

  const names = Object.keys(variants) as K[];
  const tools = { count: undefined as number | undefined };
  for (const name of names) await coldRun(upstream, name, variants[name], eventsFile, tools);
  const result = Object.fromEntries(names.map((name) => [name, [] as ColdSample[]])) as Record<K, ColdSample[]>;
  for (let i = 0; i < options.processes; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]!;
      result[name].push(await coldRun(upstream, name, variants[name], eventsFile, tools));
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  return result;
}

/** `tools.count`: how many tools the first answer listed; every variant must list as many. */
async function coldRun(
  upstream: Upstream,
  name: string,
  variant: ColdVariant,
  eventsFile: string,
  tools: { count: number | undefined },
): Promise<ColdSample> {
  const env = handlerEnv(upstream);
  const { wallMs, bootMs, deliverMs, report } = await runTimedChild<ColdReport>(
    join(BENCH_BUILD, 'cold-child.mjs'),
    [variant.bundle, eventsFile],
    env,
    variant,
  );
  const listed = report.steps.find((s) => s.name === 'tools/list')?.body.tools;
  if (!variant.notMcp && !variant.ownTools) tools.count ??= listed;
  check(name, report.steps, variant.ownTools ? listed || -1 : (tools.count ?? 0), variant.notMcp === true);
  const step = (stepName: string): StepReport | undefined => report.steps.find((s) => s.name === stepName);
  return {
    wallMs,
    bootMs,
    importMs: report.importMs,
    initializeMs: step('initialize')!.ms,
    toolsListMs: step('tools/list')!.ms,
    textToSpeechMs: step('text_to_speech')?.ms,
    deliverMs,
    rssAfterImportMB: report.rssAfterImport / MB,
    rssAfterInitializeMB: step('initialize')!.rss / MB,
    rssAfterToolsListMB: step('tools/list')!.rss / MB,
    rssAfterTextToSpeechMB: step('text_to_speech') && step('text_to_speech')!.rss / MB,
    tools: step('tools/list')!.body.tools ?? 0,
    toolsListBytes: step('tools/list')!.body.bytes ?? 0,
  };
}

/** A figure is only worth something if the answers were right, and the variants offered the same tools. */
function check(variant: string, steps: readonly StepReport[], toolCount: number, notMcp: boolean): void {
  for (const step of steps) {
    const problem =
      step.status !== 200 || step.body.error !== undefined
        ? `HTTP ${step.status} ${step.body.error ?? ''}`
        : notMcp
          ? undefined
          : step.name === 'initialize' && !step.body.serverName
            ? 'no serverInfo'
            : step.name === 'tools/list' && (!step.body.tools || step.body.tools !== toolCount)
              ? `${step.body.tools} tools where the first answer listed ${toolCount} (bundles built from different ` +
                `sources? \`npm run bench\` builds both)`
              : step.name === 'text_to_speech' && (step.body.isError || !step.body.url)
                ? `no audio URL: ${step.body.text ?? ''}`
                : undefined;
    if (problem) throw new Error(`${variant}: ${step.name} answered wrongly: ${problem}`);
  }
}
