import type { ToolDefinition } from './define-tool.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = ToolDefinition<any, any>;

/**
 * Every tool, in the order tools/list shows them, as a loader. A tool's module (its zod schemas and
 * handler) loads on its first call: tools/list is answered from catalog.generated.ts, which
 * `npm run build` derives from these modules, so a cold start builds no tool schema at all.
 */
export const TOOL_MODULES: ReadonlyArray<readonly [name: string, load: () => Promise<AnyTool>]> = [
  ['text_to_speech', async () => (await import('./text-to-speech.js')).textToSpeech],
  ['search_voices', async () => (await import('./search-voices.js')).searchVoices],
  ['get_voice', async () => (await import('./get-voice.js')).getVoice],
  ['list_models', async () => (await import('./list-models.js')).listModels],
  ['check_subscription', async () => (await import('./check-subscription.js')).checkSubscription],
  ['get_audio_url', async () => (await import('./get-audio-url.js')).getAudioUrl],
  ['create_upload_url', async () => (await import('./create-upload-url.js')).createUploadUrl],
  ['list_audio', async () => (await import('./list-audio.js')).listAudio],
  ['delete_audio', async () => (await import('./delete-audio.js')).deleteAudio],
  ['voice_clone', async () => (await import('./voice-clone.js')).voiceClone],
  ['text_to_voice', async () => (await import('./text-to-voice.js')).textToVoice],
  ['create_voice_from_preview', async () => (await import('./create-voice-from-preview.js')).createVoiceFromPreview],
  ['search_voice_library', async () => (await import('./search-voice-library.js')).searchVoiceLibrary],
  ['add_shared_voice', async () => (await import('./add-shared-voice.js')).addSharedVoice],
  ['speech_to_text', async () => (await import('./speech-to-text.js')).speechToText],
  ['read_transcript', async () => (await import('./read-transcript.js')).readTranscript],
  ['speech_to_speech', async () => (await import('./speech-to-speech.js')).speechToSpeech],
  ['isolate_audio', async () => (await import('./isolate-audio.js')).isolateAudio],
  ['text_to_sound_effects', async () => (await import('./text-to-sound-effects.js')).textToSoundEffects],
  ['text_to_dialogue', async () => (await import('./text-to-dialogue.js')).textToDialogue],
  ['compose_music', async () => (await import('./compose-music.js')).composeMusic],
  ['create_composition_plan', async () => (await import('./create-composition-plan.js')).createCompositionPlan],
  ['video_to_music', async () => (await import('./video-to-music.js')).videoToMusic],
  ['upload_music_for_inpainting', async () => (await import('./upload-music-for-inpainting.js')).uploadMusicForInpainting],
  ['create_agent', async () => (await import('./create-agent.js')).createAgent],
  ['add_knowledge_base_to_agent', async () => (await import('./add-knowledge-base-to-agent.js')).addKnowledgeBaseToAgent],
  ['list_agents', async () => (await import('./list-agents.js')).listAgents],
  ['get_agent', async () => (await import('./get-agent.js')).getAgent],
  ['list_conversations', async () => (await import('./list-conversations.js')).listConversations],
  ['get_conversation', async () => (await import('./get-conversation.js')).getConversation],
  ['simulate_conversation', async () => (await import('./simulate-conversation.js')).simulateConversation],
  ['list_phone_numbers', async () => (await import('./list-phone-numbers.js')).listPhoneNumbers],
  ['make_outbound_call', async () => (await import('./make-outbound-call.js')).makeOutboundCall],
];
