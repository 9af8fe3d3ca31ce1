// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, the pinned devDependency)
// against the server `npm start` runs (the built bundle behind the local Function URL emulation), once per
// spec revision: `--requirements <revision>` runs exactly the scenarios that revision requires, at its wire
// version, with conformance/baseline-<revision>.yml as the list of excused scenarios.
//
//   npm run conformance                           2026-07-28 and 2025-11-25, side by side
//   npm run conformance -- 2025-11-25             one revision
//   npm run conformance -- 2025-11-25 --baseline=none   every failure shown, nothing excused
//   npm run conformance -- --build=<dir>          against a build made already (<dir>/dist/handler.mjs and
//                                                 <dir>/local/main.mjs, as npm test's shared build holds)
//
// The revisions run at the same time against one server (it is stateless); each one's output is printed
// whole when it ends, in the order above. Exit code 0 when, for every revision run, every failure is
// excused and no excuse is stale (the suite fails an excuse that passes). Results per scenario in
// build/conformance/results-<revision>/.
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
const prebuilt = args.find((arg) => arg.startsWith('--build='))?.slice('--build='.length);

async function startServer(build) {
  const child = spawn(process.execPath, [join(build, 'local/main.mjs'), '--handler', join(build, 'dist/handler.mjs')], {
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

/** Runs the suite for one revision with its output captured; resolves to its exit code and that output. */
function runSuite(node, url, revision) {
  const baseline = withBaseline ? ['--expected-failures', join(root, 'conformance', `baseline-${revision}.yml`)] : [];
  const output = join(work, `results-${revision}`);
  const child = spawn(node, [suite, 'server', '--url', url, '--requirements', revision, ...baseline, '-o', output], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk) => {
    text += chunk;
  });
  child.stderr.on('data', (chunk) => {
    text += chunk;
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code: code ?? 1, text })));
}

const node = node24();
await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
if (!prebuilt) {
  await buildLambda({ outdir: join(work, 'dist'), metafile: join(work, 'meta.json') });
  await buildLocal({ outdir: join(work, 'local') });
}
const server = await startServer(prebuilt ?? work);
const failed = [];
try {
  const chosen = revisions.length ? revisions : REVISIONS;
  const runs = await Promise.all(chosen.map((revision) => runSuite(node, server.url, revision)));
  chosen.forEach((revision, index) => {
    const { code, text } = runs[index];
    process.stdout.write(`\n=== MCP conformance, --requirements ${revision} ===\n${text}`);
    process.stdout.write(`=== ${revision}: exit code ${code} ===\n`);
    if (code !== 0) failed.push(revision);
  });
} finally {
  server.stop();
}
process.exit(failed.length ? 1 : 0);
