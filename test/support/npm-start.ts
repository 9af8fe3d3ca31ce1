import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sharedBuild } from './shared-build.js';

const ROOT = resolve(import.meta.dirname, '../..');

export interface Built {
  /** The test file's own folder: the server's S3 folder, OAuth secret, logs, a copy of the bundle's metafile. */
  readonly dir: string;
  readonly handler: string;
  readonly localMain: string;
  remove(): Promise<void>;
}

/**
 * What `npm start` runs (the Lambda bundle and the local server), from the run's shared build inside the
 * repository (so that the local server resolves node_modules; dist/ is left alone), with a folder of the
 * test file's own for what the server writes.
 */
export async function buildForTest(name: string): Promise<Built> {
  const dir = join(ROOT, 'build', `test-${name}-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const shared = await sharedBuild();
  await copyFile(shared.metafile, join(dir, 'meta.json'));
  return {
    dir,
    handler: join(shared.dist, 'handler.mjs'),
    localMain: shared.localMain,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface StartedServer {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Runs the built local server as `npm start` does and waits for the endpoint it prints. */
export async function startServerProcess(
  built: Built,
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<StartedServer> {
  const child = spawn(process.execPath, [built.localMain, '--handler', built.handler, ...args], {
    cwd: ROOT,
    env: serverEnv(built, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
    const check = (): void => {
      const match = /listening on (http:\/\/[^\s]+)\/mcp/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolvePromise) => {
        if (child.exitCode !== null) return resolvePromise();
        child.once('exit', () => resolvePromise());
        child.kill('SIGTERM');
      }),
  };
}

function serverEnv(built: Built, env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    PORT: '0',
    LOCAL_S3_DIR: join(built.dir, 's3'),
    OAUTH_SECRET_FILE: join(built.dir, 'oauth-secret.json'),
    ...env,
  };
}

/** Runs the built local server with these arguments until it exits by itself (--help, a refusal to start). */
export async function runServerProcess(
  built: Built,
  env: Record<string, string>,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [built.localMain, '--handler', built.handler, ...args], {
    cwd: ROOT,
    env: serverEnv(built, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the server did not exit by itself:\n${stdout}${stderr}`));
    }, 20_000);
    // 'close', not 'exit': all its output has been read by then.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
