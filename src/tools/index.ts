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
import { voiceClone } from './voice-clone.js';
import { textToVoice } from './text-to-voice.js';
import { createVoiceFromPreview } from './create-voice-from-preview.js';
import { searchVoiceLibrary } from './search-voice-library.js';
import { addSharedVoice } from './add-shared-voice.js';
import { speechToText } from './speech-to-text.js';
import { readTranscript } from './read-transcript.js';
import { speechToSpeech } from './speech-to-speech.js';
import { isolateAudio } from './isolate-audio.js';
import { textToSoundEffects } from './text-to-sound-effects.js';
import { textToDialogue } from './text-to-dialogue.js';
import { composeMusic } from './compose-music.js';
import { createCompositionPlan } from './create-composition-plan.js';
import { videoToMusic } from './video-to-music.js';
import { uploadMusicForInpainting } from './upload-music-for-inpainting.js';
import { createAgent } from './create-agent.js';
import { addKnowledgeBaseToAgent } from './add-knowledge-base-to-agent.js';
import { listAgents } from './list-agents.js';
import { getAgent } from './get-agent.js';
import { listConversations } from './list-conversations.js';
import { getConversation } from './get-conversation.js';
import { simulateConversation } from './simulate-conversation.js';
import { listPhoneNumbers } from './list-phone-numbers.js';
import { makeOutboundCall } from './make-outbound-call.js';

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
  voiceClone,
  textToVoice,
  createVoiceFromPreview,
  searchVoiceLibrary,
  addSharedVoice,
  speechToText,
  readTranscript,
  speechToSpeech,
  isolateAudio,
  textToSoundEffects,
  textToDialogue,
  composeMusic,
  createCompositionPlan,
  videoToMusic,
  uploadMusicForInpainting,
  createAgent,
  addKnowledgeBaseToAgent,
  listAgents,
  getAgent,
  listConversations,
  getConversation,
  simulateConversation,
  listPhoneNumbers,
  makeOutboundCall,
];
