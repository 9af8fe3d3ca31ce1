import type { AnyTool, ToolDefinition } from '../toolkit/define-tool.js';

/**
 * Every tool, by name, in the order tools/list shows them: the one list of tools. A tool's module (its
 * zod schemas and handler, the file's default export) loads on its first call; tools/list is answered
 * from listings.generated.ts, which `npm run build` derives from these modules, so a cold start builds
 * no tool schema at all.
 */
export const TOOLS = {
  text_to_speech: () => import('./text-to-speech.js'),
  search_voices: () => import('./search-voices.js'),
  get_voice: () => import('./get-voice.js'),
  list_models: () => import('./list-models.js'),
  check_subscription: () => import('./check-subscription.js'),
  get_audio_url: () => import('./get-audio-url.js'),
  create_upload_url: () => import('./create-upload-url.js'),
  list_audio: () => import('./list-audio.js'),
  delete_audio: () => import('./delete-audio.js'),
  voice_clone: () => import('./voice-clone.js'),
  text_to_voice: () => import('./text-to-voice.js'),
  create_voice_from_preview: () => import('./create-voice-from-preview.js'),
  search_voice_library: () => import('./search-voice-library.js'),
  add_shared_voice: () => import('./add-shared-voice.js'),
  speech_to_text: () => import('./speech-to-text.js'),
  read_transcript: () => import('./read-transcript.js'),
  speech_to_speech: () => import('./speech-to-speech.js'),
  isolate_audio: () => import('./isolate-audio.js'),
  text_to_sound_effects: () => import('./text-to-sound-effects.js'),
  text_to_dialogue: () => import('./text-to-dialogue.js'),
  compose_music: () => import('./compose-music.js'),
  create_composition_plan: () => import('./create-composition-plan.js'),
  video_to_music: () => import('./video-to-music.js'),
  upload_music_for_inpainting: () => import('./upload-music-for-inpainting.js'),
  create_agent: () => import('./create-agent.js'),
  add_knowledge_base_to_agent: () => import('./add-knowledge-base-to-agent.js'),
  list_agents: () => import('./list-agents.js'),
  get_agent: () => import('./get-agent.js'),
  list_conversations: () => import('./list-conversations.js'),
  get_conversation: () => import('./get-conversation.js'),
  simulate_conversation: () => import('./simulate-conversation.js'),
  list_phone_numbers: () => import('./list-phone-numbers.js'),
  make_outbound_call: () => import('./make-outbound-call.js'),
} as const satisfies Record<string, () => Promise<{ readonly default: ToolDefinition }>>;

export type ToolName = keyof typeof TOOLS;

/** The names, in tools/list order. */
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];

/** Each tool's definition, loaded once: the same for every caller. */
const loaded = new Map<ToolName, Promise<AnyTool>>();

/** A tool's definition under its name, its module imported on first use. */
export function loadTool(name: ToolName): Promise<AnyTool> {
  let tool = loaded.get(name);
  if (!tool) loaded.set(name, (tool = TOOLS[name]().then((module) => ({ name, ...module.default }) as AnyTool)));
  return tool;
}

/** Every tool, loaded: for tests and for generating the listings. The server loads tools one by one. */
export function loadAllTools(): Promise<AnyTool[]> {
  return Promise.all(TOOL_NAMES.map(loadTool));
}
