import type { FakeElevenLabs } from '../fake-elevenlabs.js';
import { installAgentRoutes } from './agents.js';
import { installConversationRoutes } from './conversations.js';
import { installCoreRoutes } from './core.js';
import { installMusicRoutes } from './music.js';
import { installSpeechRoutes } from './speech.js';
import { installSpeechToTextRoutes } from './speech-to-text.js';
import { installVoiceLibraryRoutes } from './voice-library.js';
import { installVoiceRoutes } from './voices.js';

/**
 * The endpoints of the fake ElevenLabs API, one file per tool group, in the order they are installed
 * (a later route wins over an earlier one that matches the same request). Each installer adds its routes
 * with `fake.route(...)`, faithful to the real API's paths, query parameters, bodies (JSON or multipart)
 * and response shapes.
 */
export const ROUTE_INSTALLERS: Array<(fake: FakeElevenLabs) => void> = [
  installCoreRoutes,
  installVoiceRoutes,
  installVoiceLibraryRoutes,
  installSpeechToTextRoutes,
  installSpeechRoutes,
  installMusicRoutes,
  installAgentRoutes,
  installConversationRoutes,
];
