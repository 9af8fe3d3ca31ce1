import type { ToolDefinition } from './define-tool.js';
import { checkSubscription } from './check-subscription.js';
import { createUploadUrl } from './create-upload-url.js';
import { deleteAudio } from './delete-audio.js';
import { getAudioUrl } from './get-audio-url.js';
import { getVoice } from './get-voice.js';
import { listAudio } from './list-audio.js';
import { listModels } from './list-models.js';
import { searchVoices } from './search-voices.js';
import { textToSpeech } from './text-to-speech.js';

/** Every tool this server offers, in the order tools/list shows them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ALL_TOOLS: readonly ToolDefinition<any, any>[] = [
  textToSpeech,
  searchVoices,
  getVoice,
  listModels,
  checkSubscription,
  getAudioUrl,
  createUploadUrl,
  listAudio,
  deleteAudio,
];
