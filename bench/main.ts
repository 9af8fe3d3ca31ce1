/**
 * The benchmark (`npm run bench`): our built endpoint against the naive pattern built from the same tool
 * definitions, measured in the same run, alternating. Prints a table and the goals, and writes
 * bench/results.json (summaries) and bench/results/raw-<date>.json (every sample).
 *
 *   --quick       fewer processes, iterations and seconds: a smoke run, written to bench/results/quick.json
 *   --node=PATH   run the handler processes with another Node binary
 *   --wait-idle   first wait (up to 10 minutes) until other processes leave the CPU alone
 *
 * What runs is in scenarios.ts and measure.ts; the figures and goals in figures.ts; the printed summary in
 * summary.ts; the files written in record.ts.
 */
import { execFileSync } from 'node:child_process';
import { figuresOf, goalsOf } from './figures.js';
import { machineInfo, waitForIdle } from './lib/machine.js';
import { type BenchRun, measureAll } from './measure.js';
import { resultsOf, writeResults } from './record.js';
import { benchSettings, parseOptions } from './scenarios.js';
import { summaryText, warningsOf } from './summary.js';

const options = parseOptions(process.argv);
const settings = benchSettings(options.quick);

if (options.waitIdle && !(await waitForIdle()))
  process.stderr.write('the machine did not become idle; measuring anyway\n');
const started = new Date();
const machine = machineInfo();

/**
 * The handler processes run on the Node that `--node=PATH` names: `npm run bench` (bench/run.mjs) passes
 * Node 24, Lambda's nodejs24.x, from tools/node24 unless told otherwise; without it, on this Node.
 */
const handlerNode = options.node ?? process.execPath;
const handlerNodeVersion = execFileSync(handlerNode, ['--version'], { encoding: 'utf8' }).trim();

process.stderr.write(
  `${machine.cpuModel} x${machine.cpuCount}, ${machine.memoryGiB} GiB, handlers on Node ${handlerNodeVersion}, load ` +
    `${machine.loadAverageAtStart.join(' ')}\n`,
);

const measured = await measureAll(settings, handlerNode);
const run: BenchRun = { started, quick: options.quick, machine, handlerNodeVersion, settings, ...measured };

const figures = figuresOf(run);
const goals = goalsOf(figures);
process.stdout.write(summaryText(run, figures, goals));
const warnings = warningsOf(run);
for (const line of [...warnings.failures, ...warnings.unmatched, ...warnings.busy]) {
  process.stdout.write(`WARNING: ${line}\n`);
}
process.stdout.write(writeResults(run, resultsOf(run, figures, goals, warnings)));
