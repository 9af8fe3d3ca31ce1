/**
 * The ElevenLabs SDK, behind a module of our own that client.ts imports dynamically. The SDK is CommonJS:
 * importing it statically here lets esbuild apply its CommonJS interop inside the lazily loaded chunk,
 * where a direct `import()` of the package would only expose `default`.
 */
export { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
