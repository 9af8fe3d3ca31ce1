import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { buildLambda, buildLocal, buildPlayer } from '../../esbuild.config.mjs';

const ROOT = resolve(import.meta.dirname, '../..');

/** What the shared build holds: the Lambda bundle (dist/), its metafile and the local server (local/). */
export interface SharedBuild {
  readonly dir: string;
  readonly dist: string;
  readonly metafile: string;
  readonly localMain: string;
}

function layout(dir: string): SharedBuild {
  return { dir, dist: join(dir, 'dist'), metafile: join(dir, 'meta.json'), localMain: join(dir, 'local', 'main.mjs') };
}

/** The run's shared build folder (vitest.config.ts names one per run; a test file run some other way gets its own). */
export function sharedBuildDir(): string {
  return join(ROOT, 'build', `test-shared-${process.env.TEST_RUN_ID || `${process.pid}`}`);
}

let mine: Promise<SharedBuild> | undefined;

/**
 * What `npm start` runs (the Lambda bundle and the local server), built once per test run and read by every file
 * that needs it: the first worker to ask builds it, the others wait for it. Building takes seconds and writes
 * src/ui/player/html.generated.js, so several files building at once also raced on that file.
 */
export function sharedBuild(): Promise<SharedBuild> {
  mine ??= buildOrWait(sharedBuildDir());
  return mine;
}

async function buildOrWait(dir: string): Promise<SharedBuild> {
  const built = layout(dir);
  await mkdir(join(ROOT, 'build'), { recursive: true });
  try {
    // mkdir without recursive fails if the folder exists: exactly one worker wins and builds.
    await mkdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return waitFor(built);
  }
  try {
    await buildLambda({ outdir: built.dist, metafile: built.metafile });
    await buildLocal({ outdir: join(dir, 'local') });
    await writeFile(join(dir, 'ready'), '');
  } catch (error) {
    await writeFile(join(dir, 'failed'), String((error as Error).stack ?? error));
    throw error;
  }
  return built;
}

async function waitFor(built: SharedBuild): Promise<SharedBuild> {
  // No deadline of its own: the hook that asked for the build has one (hookTimeout).
  for (;;) {
    if (await exists(join(built.dir, 'ready'))) return built;
    if (await exists(join(built.dir, 'failed')))
      throw new Error(`the shared test build failed:\n${await readFile(join(built.dir, 'failed'), 'utf8')}`);
    await delay(100);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * globalSetup of the run: builds the player (src/ui/player/html.generated.js, not committed) before any file
 * starts. Files share a worker's module cache (vitest.config.ts), so the first import of the player must find
 * it built, whichever file makes that import.
 */
export async function setup(): Promise<void> {
  await buildPlayer();
}

/** globalSetup of the run: removes the shared build once every file is done. */
export async function teardown(): Promise<void> {
  await rm(sharedBuildDir(), { recursive: true, force: true });
}
