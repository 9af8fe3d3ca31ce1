/** Kept equal to package.json's version by a test; a literal so the bundle needs no JSON import. */
export const VERSION = '0.1.0';

export const SERVER_NAME = 'elevenlabs-mcp-lambda';
