/**
 * EXPERIMENT (bench --investigate only): our handler, with the ElevenLabs SDK and the S3 client loaded
 * during INIT and waited for (top-level await), as if they were imported statically.
 */
export { handler } from '../../src/handler.js';

await Promise.all([import('../../src/elevenlabs/sdk.js'), import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]);
