/**
 * EXPERIMENT (bench --investigate only): our handler, plus loading of the ElevenLabs SDK and the S3
 * client started during INIT (at module evaluation) without waiting for it, so that it runs alongside
 * the first invocations instead of inside the first tool call.
 */
export { handler } from '../../src/handler.js';

void import('../../src/elevenlabs/sdk.js');
void import('@aws-sdk/client-s3');
void import('@aws-sdk/s3-request-presigner');
