// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, the pinned devDependency)
// against the server `npm start` runs (the built bundle behind the local Function URL emulation), once per
// spec revision: `--requirements <revision>` runs exactly the scenarios that revision requires, at its wire
// version, with conformance/baseline-<revision>.yml as the list of excused scenarios.
//
//   npm run conformance                           2026-07-28 and 2025-11-25, one after the other
//   npm run conformance -- 2025-11-25             one revision
//   npm run conformance -- 2025-11-25 --baseline=none   every failure shown, nothing excused
//
// Exit code 0 when, for every revision run, every failure is excused and no excuse is stale (the suite
// fails an excuse that passes). Results per scenario in build/conformance/results-<revision>/.
//
// The suite needs Node >= 22: it runs on the Node 24 binary of tools/node24 (scripts/node24.mjs, installed
// on demand), the Node of Lambda's nodejs24.x.
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLambda, buildLocal } from '../esbuild.config.mjs';
import { node24 } from './node24.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'build', 'conformance');
const suite = join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');

const REVISIONS = ['2026-07-28', '2025-11-25'];

const args = process.argv.slice(2);
const revisions = args.filter((arg) => !arg.startsWith('--'));
for (const revision of revisions) {
  if (!REVISIONS.includes(revision))
    throw new Error(`Unknown revision ${revision}: this runner knows ${REVISIONS.join(', ')}`);
}
const withBaseline = !args.includes('--baseline=none');

async function startServer() {
  const child = spawn(process.execPath, [join(work, 'local/main.mjs'), '--handler', join(work, 'dist/handler.mjs')], {
    cwd: root,
    // OAUTH=off: the server suite sends no credential and cannot send a header; with OAuth on every one of
    // its requests would get the 401 that starts a sign-in (test/e2e/oauth-clients.test.ts runs the
    // authorization-server suite against the OAuth side).
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'warn',
      LOCAL_S3_DIR: join(work, 's3'),
      AUDIO_BUCKET: '',
      AWS_ENDPOINT_URL_S3: '',
      OAUTH: 'off',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

function run(command, commandArgs) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

const node = node24();
await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
await buildLambda({ outdir: join(work, 'dist'), metafile: join(work, 'meta.json') });
await buildLocal({ outdir: join(work, 'local') });
const server = await startServer();
const failed = [];
try {
  for (const revision of revisions.length ? revisions : REVISIONS) {
    process.stdout.write(`\n=== MCP conformance, --requirements ${revision} ===\n`);
    const baseline = withBaseline ? ['--expected-failures', join(root, 'conformance', `baseline-${revision}.yml`)] : [];
    const code = await run(node, [
      suite,
      'server',
      '--url',
      server.url,
      '--requirements',
      revision,
      ...baseline,
      '-o',
      join(work, `results-${revision}`),
    ]);
    process.stdout.write(`=== ${revision}: exit code ${code} ===\n`);
    if (code !== 0) failed.push(revision);
  }
} finally {
  server.stop();
}
process.exit(failed.length ? 1 : 0);
