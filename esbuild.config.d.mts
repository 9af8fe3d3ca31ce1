import type { BuildOptions, Metafile } from 'esbuild';

/** The options of every Lambda bundle (without entry points, output folder and plugins). */
export const LAMBDA_BUILD_OPTIONS: BuildOptions & { metafile: true };

/** The options of scripts bundled to run from this checkout (dependencies left in node_modules). */
export const NODE_SCRIPT_BUILD_OPTIONS: BuildOptions;

/** Builds the Lambda bundle (handler.mjs and its chunks) into `outdir`. */
export function buildLambda(options?: { outdir?: string; metafile?: string }): Promise<Metafile>;
/** Builds the local server used by `npm start`. */
export function buildLocal(options?: { outdir?: string }): Promise<void>;

/** Where buildPlayer writes the player's HTML, as a module exporting PLAYER_HTML. */
export const PLAYER_MODULE: string;
/** Builds the MCP Apps player into PLAYER_MODULE; returns the sizes of the HTML and of its inline script and style. */
export function buildPlayer(): Promise<{ htmlBytes: number; scriptBytes: number; styleBytes: number }>;
