import { describe, expect, it } from 'vitest';
import { loadAllTools } from '../../src/tools/index.js';

const ALL_TOOLS = await loadAllTools();

/**
 * Prompts written for the official ElevenLabs MCP server must work here: every parameter of every official
 * tool is accepted under its own name by our input schema for that tool, with a value of the type the
 * official server takes, unless it is listed in EXCLUDED with the reason.
 *
 * The signatures below were read from elevenlabs/elevenlabs-mcp, elevenlabs_mcp/server.py at commit
 * c93b790e8ce163d4793a13d93f539fe824f160e0 (2026-08-04, "chore: bump version to 0.12.2"). Values are the
 * official defaults where it has one, else an example of its declared type.
 */
const OFFICIAL: Record<string, Record<string, unknown>> = {
  text_to_speech: {
    text: 'Hello.',
    voice_name: 'George',
    voice_id: 'JBFqnCBsd6RMkjVDRZzb',
    stability: 0.5,
    similarity_boost: 0.75,
    style: 0,
    use_speaker_boost: true,
    speed: 1.0,
    language: 'en',
    output_format: 'mp3_44100_128',
    model_id: 'eleven_multilingual_v2',
  },
  speech_to_text: {
    language_code: 'eng',
    diarize: false,
    save_transcript_to_file: true,
    return_transcript_to_client_directly: false,
  },
  text_to_sound_effects: {
    text: 'A door creaks open',
    duration_seconds: 2.0,
    output_format: 'mp3_44100_128',
    loop: false,
  },
  search_voices: { search: 'George', sort: 'name', sort_direction: 'desc' },
  list_models: {},
  get_voice: { voice_id: 'JBFqnCBsd6RMkjVDRZzb' },
  voice_clone: { name: 'My voice', description: 'A warm narrator.' },
  isolate_audio: {},
  check_subscription: {},
  create_agent: {
    name: 'Support',
    first_message: 'Hi, how can I help you today?',
    system_prompt: 'You are a helpful support agent.',
    voice_id: 'cgSgspJ2msm6clMCkdW9',
    language: 'en',
    llm: 'gemini-2.0-flash-001',
    temperature: 0.5,
    max_tokens: 1000,
    asr_quality: 'high',
    model_id: 'eleven_turbo_v2',
    optimize_streaming_latency: 3,
    stability: 0.5,
    similarity_boost: 0.8,
    turn_timeout: 7,
    max_duration_seconds: 300,
    record_voice: true,
    retention_days: 730,
  },
  add_knowledge_base_to_agent: {
    agent_id: 'agent_0001',
    knowledge_base_name: 'Opening hours',
    url: 'https://example.com/hours',
    text: 'Open 9 to 5.',
  },
  list_agents: {},
  get_agent: { agent_id: 'agent_0001' },
  get_conversation: { conversation_id: 'conv_0001' },
  simulate_conversation: {
    agent_id: 'agent_0001',
    simulated_user_prompt: 'You are a frustrated customer who cannot find the cancel button.',
    first_message: 'Hello?',
    extra_evaluation_criteria: [
      {
        id: 'issue_resolved',
        name: 'Issue Resolved',
        conversation_goal_prompt: "The agent fully resolved the user's issue.",
        use_knowledge_base: false,
      },
    ],
    max_turns: 10,
  },
  list_conversations: {
    agent_id: 'agent_0001',
    cursor: 'abc',
    call_start_before_unix: 1_798_761_600,
    call_start_after_unix: 1_767_225_600,
    page_size: 30,
    max_length: 10_000,
  },
  speech_to_speech: { voice_name: 'Adam' },
  text_to_voice: {
    voice_description: 'A gravelly old sea captain with a thick Scottish accent.',
    text:
      'Ahoy there, traveller! Sit yourself down by the fire and let an old sailor tell you a tale of the sea, ' +
      'the storms and the stars.',
  },
  create_voice_from_preview: {
    generated_voice_id: 'sZ9ZqvkzLh8rVgRxBfhk',
    voice_name: 'Captain',
    voice_description: 'A gravelly old sea captain with a thick Scottish accent.',
  },
  make_outbound_call: { agent_id: 'agent_0001', agent_phone_number_id: 'phnum_0001', to_number: '+15551234567' },
  search_voice_library: { page: 0, page_size: 10, search: 'calm' },
  list_phone_numbers: {},
  compose_music: {
    prompt: 'A calm acoustic guitar piece',
    composition_plan: { chunks: [{ text: '[Intro]', duration_ms: 10_000, positive_styles: ['acoustic'] }] },
    music_length_ms: 30_000,
    model_id: 'music_v2',
    force_instrumental: false,
    store_for_inpainting: false,
    seed: 7,
  },
  create_composition_plan: {
    prompt: 'A mellow jazz ballad',
    music_length_ms: 45_000,
    source_composition_plan: { chunks: [{ text: '[Intro]', duration_ms: 10_000, positive_styles: ['jazz'] }] },
    model_id: 'music_v2',
  },
  video_to_music: { description: 'Tense, building strings', tags: ['cinematic'], model_id: 'music_v2' },
  upload_music_for_inpainting: { extract_composition_plan: 'music_v2' },
};

const LOCAL_PATH =
  'a path on the machine running the official server; a remote server has no such files. Files come as url, audio_id ' +
  'or base64 instead.';
const LOCAL_DIRECTORY =
  'where the official server writes files locally; here results are stored in S3 and returned as links.';

/** Official parameters deliberately not accepted (or not with the official meaning), with the reason. */
const EXCLUDED: Record<string, Record<string, string>> = {
  text_to_speech: { output_directory: LOCAL_DIRECTORY },
  speech_to_text: { input_file_path: LOCAL_PATH, output_directory: LOCAL_DIRECTORY },
  text_to_sound_effects: { output_directory: LOCAL_DIRECTORY },
  voice_clone: {
    files: `a list of local paths there; here \`files\` takes objects with url, audio_id or base64: ${LOCAL_PATH}`,
  },
  isolate_audio: { input_file_path: LOCAL_PATH, output_directory: LOCAL_DIRECTORY },
  add_knowledge_base_to_agent: { input_file_path: LOCAL_PATH },
  speech_to_speech: { input_file_path: LOCAL_PATH, output_directory: LOCAL_DIRECTORY },
  text_to_voice: { output_directory: LOCAL_DIRECTORY },
  compose_music: { output_directory: LOCAL_DIRECTORY },
  video_to_music: { input_file_paths: LOCAL_PATH, output_directory: LOCAL_DIRECTORY },
  upload_music_for_inpainting: { input_file_path: LOCAL_PATH },
};

/** Official tools not offered: a Lambda has no speaker (README). */
const TOOLS_NOT_OFFERED = { play_audio: 'plays a local file on the machine running the server' };

/** What our schema needs beside the parameter under test, where it requires something the official tool does not. */
const BASE: Record<string, Record<string, unknown>> = {
  text_to_speech: { text: 'Hello.' },
  speech_to_text: { url: 'https://media.example.com/memo.mp3' },
  text_to_sound_effects: { text: 'A door creaks open' },
  voice_clone: { name: 'My voice', files: [{ url: 'https://media.example.com/take1.mp3' }] },
  create_agent: { name: 'Support', first_message: 'Hi!', system_prompt: 'You help.' },
  add_knowledge_base_to_agent: { agent_id: 'agent_0001', knowledge_base_name: 'Hours', text: 'Open 9 to 5.' },
  get_agent: { agent_id: 'agent_0001' },
  get_conversation: { conversation_id: 'conv_0001' },
  simulate_conversation: { agent_id: 'agent_0001', simulated_user_prompt: 'You are a customer.' },
  speech_to_speech: { url: 'https://media.example.com/take.mp3' },
  get_voice: { voice_id: 'JBFqnCBsd6RMkjVDRZzb' },
  text_to_voice: { voice_description: 'A gravelly old sea captain with a thick Scottish accent.' },
  create_voice_from_preview: {
    generated_voice_id: 'sZ9ZqvkzLh8rVgRxBfhk',
    voice_name: 'Captain',
    voice_description: 'A gravelly old sea captain.',
  },
  make_outbound_call: { agent_id: 'agent_0001', agent_phone_number_id: 'phnum_0001', to_number: '+15551234567' },
  create_composition_plan: { prompt: 'A mellow jazz ballad' },
  video_to_music: { url: 'https://media.example.com/clip.mp4' },
  upload_music_for_inpainting: { url: 'https://media.example.com/song.mp3' },
};

const byName = new Map(ALL_TOOLS.map((tool) => [tool.name, tool]));

describe('every parameter of the official ElevenLabs MCP server', () => {
  it('covers every official tool: each is offered here, or listed as not offered', () => {
    for (const name of Object.keys(OFFICIAL)) expect(byName.has(name), name).toBe(true);
    for (const name of Object.keys(TOOLS_NOT_OFFERED)) expect(byName.has(name), name).toBe(false);
    for (const [name, params] of Object.entries(EXCLUDED)) {
      expect(OFFICIAL[name], name).toBeDefined();
      for (const param of Object.keys(params))
        expect(OFFICIAL[name], `${name}.${param} is both tested and excluded`).not.toHaveProperty(param);
    }
  });

  const cases = Object.entries(OFFICIAL).flatMap(([tool, params]) =>
    Object.entries(params).map(([param, value]) => [tool, param, value] as const),
  );

  it.each(cases)('%s accepts %s under its own name', (tool, param, value) => {
    const schema = byName.get(tool)!.input;
    const parsed = schema.safeParse({ ...BASE[tool], [param]: value });
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
  });

  it('accepts each official call whole, with all its parameters at the official defaults', () => {
    // The official server fills in its defaults, so a prompt that mirrors its schema may send all of them.
    const whole: Record<string, Record<string, unknown>> = {
      text_to_speech: {
        text: 'Hello.',
        voice_name: 'George',
        stability: 0.5,
        similarity_boost: 0.75,
        style: 0,
        use_speaker_boost: true,
        speed: 1,
        language: 'en',
        output_format: 'mp3_44100_128',
      },
      speech_to_text: {
        ...BASE.speech_to_text,
        diarize: false,
        save_transcript_to_file: true,
        return_transcript_to_client_directly: false,
      },
      simulate_conversation: { ...OFFICIAL.simulate_conversation },
      create_agent: { ...OFFICIAL.create_agent },
      list_conversations: { ...OFFICIAL.list_conversations },
    };
    for (const [tool, args] of Object.entries(whole)) {
      const parsed = byName.get(tool)!.input.safeParse(args);
      expect(parsed.success, `${tool}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues)}`).toBe(true);
    }
  });
});
