/**
 * The error taxonomy. Every failure a tool can meet becomes one of these classes; foreign errors are
 * mapped in one place each (ElevenLabs: from-elevenlabs.ts). What the model reads is `error.message`,
 * a sentence that says what to do; what the log keeps is `logFields()`. Never the caller's key.
 */
export * from './from-elevenlabs.js';
export * from './inputs.js';
export * from './network.js';
export * from './storage.js';
export * from './tool-error.js';
export * from './upstream.js';
