import type { FakeElevenLabs } from '../fake-elevenlabs.js';
import { installAgentRoutes } from './agents.js';
import { installSpeechRoutes } from './speech.js';
import { installVoiceRoutes } from './voices.js';
import { installMusicRoutes } from './music.js';

/**
 * Endpoint groups of the fake ElevenLabs API beyond the core ones in fake-elevenlabs.ts, one file per
 * tool group. Each installer adds its routes with `fake.route(...)`, faithful to the real API's paths,
 * query parameters, bodies (JSON or multipart) and response shapes.
 */
export const ROUTE_INSTALLERS: Array<(fake: FakeElevenLabs) => void> = [installVoiceRoutes, installSpeechRoutes, installMusicRoutes, installAgentRoutes];
