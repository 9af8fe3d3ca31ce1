import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);

/**
 * Runs fixtures from test/fixtures (TypeScript importing src/) in a bare node of any version: each is bundled
 * into one .mjs, once, in a folder of its own that `dispose` removes.
 */
export interface FixtureRunner {
  /** The `RESULT ...` line the fixture printed, `no result` when it printed none, or `hung` when it ran too long. */
  resultOf(binary: string, fixture: string, nodeArgs?: string[]): Promise<string>;
  dispose(): Promise<void>;
}

export function fixtureRunner(): FixtureRunner {
  const folder = mkdtemp(join(tmpdir(), 'el-mcp-fixtures-'));
  const built = new Map<string, Promise<string>>();

  const bundled = (fixture: string): Promise<string> => {
    let script = built.get(fixture);
    if (!script) built.set(fixture, (script = bundle(fixture)));
    return script;
  };
  const bundle = async (fixture: string): Promise<string> => {
    const outfile = join(await folder, fixture.replace(/\.ts$/, '.mjs'));
    await build({
      entryPoints: [join('test/fixtures', fixture)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'error',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    return outfile;
  };

  return {
    async resultOf(binary, fixture, nodeArgs = []) {
      const script = await bundled(fixture);
      try {
        const { stdout } = await run(binary, [...nodeArgs, script], { timeout: 15_000 });
        return /^RESULT (.*)$/m.exec(stdout)?.[1] ?? 'no result';
      } catch (error) {
        const stdout = String((error as { stdout?: unknown }).stdout ?? '');
        return /^RESULT (.*)$/m.exec(stdout)?.[1] ?? 'hung';
      }
    },
    async dispose() {
      await rm(await folder, { recursive: true, force: true });
    },
  };
}
