import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order files start in (vitest.config.ts). Within each `sequence.groupOrder`:
 * - files of isolated projects first. Each of them gets a fresh worker anyway; run before the shared-process
 *   workers start, they leave those workers to run to the end of the suite, loading the SDKs once. (Vitest's
 *   own sequencer orders projects by name, which ran the isolated scanned suites, several of the longest,
 *   last, alone on one core.) Mixed in between, each one replaced a shared worker that had to load
 *   everything again.
 * - then, as vitest does, files that failed last time, then files it has no duration for, then the longest.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const rank = (spec: TestSpecification) => {
      const last = cache.getFileTestResults(`${spec.project.name}:${relative(config.root, spec.moduleId)}`);
      if (!last) return Number.POSITIVE_INFINITY;
      return last.failed ? Number.MAX_VALUE : last.duration;
    };
    return [...files].sort((a, b) => {
      const order = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
      if (order !== 0) return order;
      const isolated = Number(b.project.config.isolate) - Number(a.project.config.isolate);
      if (isolated !== 0) return isolated;
      const ra = rank(a);
      const rb = rank(b);
      return ra === rb ? 0 : rb > ra ? 1 : -1;
    });
  }
}
