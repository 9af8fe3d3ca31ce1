import type { FakeElevenLabs } from '../fake-elevenlabs.js';

/**
 * Endpoint groups of the fake ElevenLabs API beyond the core ones in fake-elevenlabs.ts, one file per
 * tool group. Each installer adds its routes with `fake.route(...)`, faithful to the real API's paths,
 * query parameters, bodies (JSON or multipart) and response shapes.
 */
export const ROUTE_INSTALLERS: Array<(fake: FakeElevenLabs) => void> = [];
