#!/usr/bin/env node
/**
 * `npm test`: the type check and the whole vitest suite at once (TypeScript 7's tsc takes about 3 s, 6 s of CPU,
 * while the first suites start their servers). Arguments go to vitest. Fails if either fails; tsc's findings are
 * printed after the suite's summary.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/** Runs a package's bin with this node; resolves to its exit code and, when `capture`, what it printed. */
function run(bin, args, capture) {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', bin), ...args], {
    cwd: ROOT,
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? signal, output })));
}

const [typecheck, suite] = await Promise.all([
  run('typescript/bin/tsc', ['-p', '.'], true),
  run('vitest/vitest.mjs', ['run', ...process.argv.slice(2)], false),
]);
if (typecheck.code !== 0) process.stdout.write(`\ntsc -p . failed:\n${typecheck.output}`);
else process.stdout.write('\ntsc -p .: no errors\n');
process.exit(typecheck.code === 0 && suite.code === 0 ? 0 : 1);
