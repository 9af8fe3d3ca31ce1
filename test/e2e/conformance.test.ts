import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The official MCP conformance suite, as `npm run conformance` runs it, must pass against its baseline. */
describe('MCP conformance suite', () => {
  it('passes against conformance-baseline.yml, with initialize, ping, tools/list and DNS-rebinding protection passing outright', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/conformance.mjs')], {
      cwd: ROOT,
      maxBuffer: 32 * 1024 * 1024,
    });
    expect(stdout).toContain('Baseline check passed');

    const results = join(ROOT, 'build/conformance/results');
    for (const scenario of ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection']) {
      const dir = (await readdir(results)).find((name) => name.startsWith(`server-${scenario}-`));
      expect(dir, scenario).toBeDefined();
      const checks = JSON.parse(await readFile(join(results, dir!, 'checks.json'), 'utf8')) as Array<{ status: string }>;
      expect(checks.length, scenario).toBeGreaterThan(0);
      expect(checks.every((check) => check.status === 'SUCCESS'), scenario).toBe(true);
    }
  }, 240_000);
});
