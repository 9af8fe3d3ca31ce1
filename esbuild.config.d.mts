import type { Metafile } from 'esbuild';

/** Builds the Lambda bundle (handler.mjs and its chunks) into `outdir`. */
export function buildLambda(options?: { outdir?: string; metafile?: string }): Promise<Metafile>;
/** Builds the local server used by `npm start`. */
export function buildLocal(options?: { outdir?: string }): Promise<void>;
