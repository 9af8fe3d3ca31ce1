/** Where tools/node24 puts the Node 24 binary (whether or not it is installed yet). */
export const NODE24_PATH: string;
/** A Node 24 binary: the running Node if it is 24, else tools/node24's, installed by `npm ci` when missing. */
export function node24(options?: { log?: (line: string) => void }): string;
