import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order files start in (vitest.config.ts). Within each `sequence.groupOrder`:
 * - project by project, in the order vitest.config.ts lists them. A worker serves one project (each has its
 *   own environment) and runs its files in one process, loading the SDKs once; files of two projects mixed
 *   replace each other's workers, and each new worker loads everything again. The scanned suites come first:
 *   several are among the longest, and last they ran alone on one core while the other idled.
 * - then, as vitest does, files that failed last time, then files it has no duration for, then the longest.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config, projects } = this.ctx;
    const position = (spec: TestSpecification) => projects.findIndex((project) => project.name === spec.project.name);
    const rank = (spec: TestSpecification) => {
      const last = cache.getFileTestResults(`${spec.project.name}:${relative(config.root, spec.moduleId)}`);
      if (!last) return Number.POSITIVE_INFINITY;
      return last.failed ? Number.MAX_VALUE : last.duration;
    };
    return [...files].sort((a, b) => {
      const order = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
      if (order !== 0) return order;
      const project = position(a) - position(b);
      if (project !== 0) return project;
      const ra = rank(a);
      const rb = rank(b);
      return ra === rb ? 0 : rb > ra ? 1 : -1;
    });
  }
}
