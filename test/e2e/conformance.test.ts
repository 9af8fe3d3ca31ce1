import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedBuild } from '../support/shared-build.js';

const ROOT = resolve(import.meta.dirname, '../..');

type Check = { id: string; status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED'; errorMessage?: string };

interface RevisionRun {
  code: number;
  text: string;
  unexpected: string[];
  stale: string[];
  checks: Map<string, Check[]>;
}

/**
 * `npm run conformance` against the run's shared build: both revisions side by side, each one's output printed
 * whole under its own heading, with its exit code. Resolves to each revision's code, output and checks.
 */
async function runConformance(): Promise<{ runs: Map<string, RevisionRun>; output: string }> {
  const build = await sharedBuild();
  const output = await new Promise<string>((done) => {
    execFile(
      process.execPath,
      [join(ROOT, 'scripts/conformance.mjs'), `--build=${build.dir}`],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (_error, stdout, stderr) => done(stripVTControlCharacters(`${stdout}${stderr}`)),
    );
  });
  const runs = new Map<string, RevisionRun>();
  for (const [, revision, section, code] of output.matchAll(
    /^=== MCP conformance, --requirements (\S+) ===\n([\s\S]*?)^=== \1: exit code (\d+) ===$/gm,
  ))
    runs.set(revision!, { code: Number(code), text: section!, ...(await outcome(revision!, section!)) });
  return { runs, output };
}

/** What a revision's run reported: the failures its baseline does not excuse, stale excuses, every check. */
async function outcome(revision: string, text: string) {
  const listed = (heading: string, mark: string) => {
    const start = text.indexOf(heading);
    if (start === -1) return [];
    const lines = text
      .slice(start + heading.length)
      .split('\n')
      .slice(1);
    const end = lines.findIndex((line) => !line.startsWith(`  ${mark} `));
    return lines.slice(0, end === -1 ? undefined : end).map((line) => line.slice(4).trim());
  };
  const results = join(ROOT, 'build/conformance', `results-${revision}`);
  const checks = new Map<string, Check[]>();
  for (const dir of await readdir(results)) {
    const scenario = dir.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT[\d-]+Z$/, '');
    checks.set(
      scenario,
      JSON.parse(await readFile(join(results, dir, 'checks.json'), 'utf8').catch(() => '[]')) as Check[],
    );
  }
  return {
    unexpected: listed('Unexpected failures (not in baseline):', '✗'),
    stale: listed('Stale baseline entries (now passing - remove from baseline):', '✓'),
    checks,
  };
}

/** Every check of `scenario` passed (INFO and SKIPPED are reports, not verdicts). */
function passedOutright(checks: Map<string, Check[]>, scenario: string): void {
  const list = checks.get(scenario);
  expect(list, scenario).toBeDefined();
  expect(list!.length, scenario).toBeGreaterThan(0);
  expect(
    list!.filter((check) => check.status === 'FAILURE' || check.status === 'WARNING'),
    scenario,
  ).toEqual([]);
}

/** Every message of every scenario validated against the revision's JSON schema, excused scenarios included. */
function wireSchemaValid(checks: Map<string, Check[]>): void {
  const invalid = [...checks].flatMap(([scenario, list]) =>
    list
      .filter((c) => c.id === 'wire-schema-valid' && c.status !== 'SUCCESS')
      .map((c) => `${scenario}: ${c.errorMessage}`),
  );
  expect(invalid).toEqual([]);
}

/**
 * The official MCP conformance suite, as `npm run conformance` runs it: once per spec revision, each against its
 * baseline (conformance/baseline-<revision>.yml), which excuses only checks calling the suite's own fixture tools,
 * resources or prompts.
 */
describe('MCP conformance suite (0.2.0-alpha.12, --requirements)', () => {
  /**
   * The one scored 2025-11-25 check a stateless server cannot pass, outside the baseline (which excuses fixture
   * checks only): server-sse-multiple-streams warns when an initialize gets no Mcp-Session-Id, and this server
   * never issues one (the suite itself reports the same scenario as passing under 2026-07-28). The test fails on
   * any other failure, and as soon as this one passes.
   */
  const STATELESS_BY_DESIGN_2025_11_25 = ['server-sse-multiple-streams'];

  let conformance: Awaited<ReturnType<typeof runConformance>>;
  beforeAll(async () => {
    conformance = await runConformance();
  }, 240_000);
  const runOf = (revision: string): RevisionRun => {
    const run = conformance.runs.get(revision);
    expect(run, `no output of --requirements ${revision} in:\n${conformance.output.slice(-4000)}`).toBeDefined();
    return run!;
  };

  it(
    '2025-11-25: fails only the fixture checks its baseline excuses (and the one a stateless server cannot pass), ' +
      'with initialize, ping, tools/list and DNS-rebinding protection passing outright',
    () => {
      const run = runOf('2025-11-25');
      expect(run.text).toContain('Running requirements 2025-11-25');
      expect(run.stale).toEqual([]);
      expect(run.unexpected.sort()).toEqual([...STATELESS_BY_DESIGN_2025_11_25].sort());
      for (const scenario of [
        'server-initialize',
        'ping',
        'tools-list',
        'dns-rebinding-protection',
        'resources-list',
        'prompts-list',
        'logging-set-level',
      ])
        passedOutright(run.checks, scenario);
      wireSchemaValid(run.checks);
    },
  );

  it(
    '2026-07-28: passes against its baseline, with the stateless protocol, tools/list, caching hints and ' +
      'DNS-rebinding protection passing outright',
    () => {
      const run = runOf('2026-07-28');
      expect(run.text).toContain('Running requirements 2026-07-28');
      expect(run.stale).toEqual([]);
      expect(run.unexpected).toEqual([]);
      expect(run.text).toContain('Baseline check passed');
      expect(run.code).toBe(0);
      for (const scenario of [
        'tools-list',
        'caching',
        'dns-rebinding-protection',
        'server-sse-multiple-streams',
        'resources-list',
        'prompts-list',
      ]) {
        passedOutright(run.checks, scenario);
      }
      // server-stateless: everything but the four checks that need the suite's diagnostic tools.
      const excused = [
        'sep-2575-server-rejects-undeclared-capability',
        'sep-2575-missing-capability-http-400',
        'sep-2575-http-server-no-independent-requests-on-stream',
        'sep-2575-server-no-log-without-loglevel',
      ];
      const stateless = run.checks.get('server-stateless') ?? [];
      expect(stateless.filter((check) => check.status === 'SUCCESS').map((check) => check.id)).toEqual(
        expect.arrayContaining([
          'sep-2575-server-implements-discover',
          'sep-2575-http-server-header-mismatch-400',
          'sep-2575-http-server-method-not-found-404',
        ]),
      );
      expect(
        stateless.filter(
          (check) => (check.status === 'FAILURE' || check.status === 'WARNING') && !excused.includes(check.id),
        ),
      ).toEqual([]);
      wireSchemaValid(run.checks);
    },
  );
});
