import { callerIdOf } from '../../src/caller.js';
import { KEY_A, KEY_B, rpc } from './harness.js';
import type { Case, Requests } from './bad-input-requests.js';

/**
 * The cases of test/reliability/bad-input.test.ts about tools/call: its shape, the arguments of
 * text_to_speech and of other tools, and the key header.
 */

export function toolCases({ post, tool, tts }: Requests): Case[] {
  return [
    // tools/call shapes
    {
      name: 'an unknown tool',
      run: () => tool('no_such_tool', {}),
      expect: { rpcError: -32602, says: /no_such_tool/ },
    },
    {
      name: 'tools/call without a name',
      run: () => post(rpc('tools/call', { arguments: {} })),
      expect: { rpcError: -32602 },
    },
    {
      name: 'a tool name that is a number',
      run: () => post(rpc('tools/call', { name: 5, arguments: {} })),
      expect: { rpcError: -32602 },
    },
    { name: 'arguments that are a string', run: () => tool('text_to_speech', 'hello'), expect: { rpcError: -32602 } },
    { name: 'arguments that are null', run: () => tool('text_to_speech', null), expect: { rpcError: -32602 } },
    // Arguments of text_to_speech
    { name: 'text as a number', run: () => tool('text_to_speech', { text: 5 }), expect: { isError: /text: .*string/ } },
    { name: 'no text', run: () => tool('text_to_speech', {}), expect: { isError: /text/ } },
    { name: 'empty text', run: tts({ text: '' }), expect: { isError: /text must not be empty/ } },
    { name: 'text of only spaces', run: tts({ text: '   \n ' }), expect: { isError: /something to speak/ } },
    {
      name: "text beyond every model's limit",
      run: tts({ text: 'x'.repeat(100_001) }),
      expect: { isError: /at most 100000 characters/ },
    },
    {
      name: "text beyond the model's limit",
      run: tts({ text: 'x'.repeat(5_001), model_id: 'eleven_v3' }),
      expect: { isError: /eleven_v3 accepts at most 5000.*Nothing was billed/ },
      upstream: 'models-only',
    },
    { name: 'stability as a string', run: tts({ stability: 'high' }), expect: { isError: /stability/ } },
    { name: 'stability above 1', run: tts({ stability: 1.5 }), expect: { isError: /stability/ } },
    { name: 'similarity_boost below 0', run: tts({ similarity_boost: -0.1 }), expect: { isError: /similarity_boost/ } },
    { name: 'speed out of range', run: tts({ speed: 3 }), expect: { isError: /speed/ } },
    {
      name: 'use_speaker_boost as a string',
      run: tts({ use_speaker_boost: 'yes' }),
      expect: { isError: /use_speaker_boost/ },
    },
    { name: 'a negative seed', run: tts({ seed: -1 }), expect: { isError: /seed/ } },
    { name: 'a fractional seed', run: tts({ seed: 1.5 }), expect: { isError: /seed/ } },
    { name: 'a seed above 2^32-1', run: tts({ seed: 4294967296 }), expect: { isError: /seed/ } },
    {
      name: 'an output format that does not exist',
      run: tts({ output_format: 'mp3_1_1' }),
      expect: { isError: /output_format/ },
    },
    { name: 'an empty output format', run: tts({ output_format: '' }), expect: { isError: /output_format/ } },
    {
      name: 'a voice id with a slash',
      run: tts({ voice_id: 'abc/def' }),
      expect: { isError: /voice_id: must be an ElevenLabs voice id/ },
    },
    { name: 'a voice id that is dots', run: tts({ voice_id: '..' }), expect: { isError: /voice_id/ } },
    { name: 'a voice id with a query string', run: tts({ voice_id: 'abc?x=1' }), expect: { isError: /voice_id/ } },
    {
      name: 'a voice id with encoded traversal',
      run: tts({ voice_id: '%2e%2e%2fadmin' }),
      expect: { isError: /voice_id/ },
    },
    { name: 'a voice id of 100 characters', run: tts({ voice_id: 'a'.repeat(100) }), expect: { isError: /voice_id/ } },
    { name: 'a model id with traversal', run: tts({ model_id: '../v1/user' }), expect: { isError: /model_id/ } },
    {
      name: 'a language code that is a word',
      run: tts({ language_code: 'english' }),
      expect: { isError: /language_code/ },
    },
    { name: 'an unknown argument', run: tts({ voice: 'George' }), expect: { isError: /Unrecognized key.*voice/ } },
    {
      name: 'both voice_id and voice_name',
      run: tts({ voice_id: 'JBFqnCBsd6RMkjVDRZzb', voice_name: 'George' }),
      expect: { isError: /voice_id or voice_name, not both/ },
    },
    // Other tools
    {
      name: 'get_voice with a slash in the id',
      run: () => tool('get_voice', { voice_id: 'x/../../v1/user' }),
      expect: { isError: /voice_id/ },
    },
    { name: 'get_voice without an id', run: () => tool('get_voice', {}), expect: { isError: /voice_id/ } },
    {
      name: 'search_voices with page_size 0',
      run: () => tool('search_voices', { page_size: 0 }),
      expect: { isError: /page_size/ },
    },
    {
      name: 'search_voices with page_size 1000',
      run: () => tool('search_voices', { page_size: 1000 }),
      expect: { isError: /page_size/ },
    },
    {
      name: 'search_voices with an unknown sort',
      run: () => tool('search_voices', { sort: 'age' }),
      expect: { isError: /sort/ },
    },
    {
      name: 'get_audio_url with a traversal',
      run: () => tool('get_audio_url', { audio_id: '../../etc/passwd' }),
      expect: { isError: /No stored file with audio_id/ },
    },
    {
      name: "get_audio_url with another caller's key",
      run: () =>
        tool('get_audio_url', { audio_id: `audio/${callerIdOf(KEY_B)}/tts_20261121T160512Z_3f9a1c7e2b4d.mp3` }),
      expect: { isError: /No stored file with audio_id/ },
    },
    {
      name: 'get_audio_url with a well-formed id that does not exist',
      run: () => tool('get_audio_url', { audio_id: 'tts_20261121T160512Z_000000000000.mp3' }),
      expect: { isError: /No stored file with audio_id "?tts_20261121T160512Z_000000000000\.mp3/ },
      upstream: 'none',
    },
    {
      name: 'get_audio_url with 1000 characters',
      run: () => tool('get_audio_url', { audio_id: 'a'.repeat(1000) }),
      expect: { isError: /audio_id/ },
    },
    {
      name: 'list_models with an argument it does not take',
      run: () => tool('list_models', { all: true }),
      expect: { isError: /Unrecognized key/ },
    },
    // The key header
    {
      name: 'a key with spaces',
      run: () => tool('check_subscription', {}, { 'x-elevenlabs-api-key': 'sk abc def' }),
      expect: { isError: /spaces, control or non-ASCII/ },
    },
    {
      name: 'a key with a control character',
      run: () => tool('check_subscription', {}, { 'x-elevenlabs-api-key': 'sk_\u0001abc' }),
      expect: { isError: /API key/ },
    },
    {
      name: 'a key header sent twice',
      run: () => tool('check_subscription', {}, { 'x-elevenlabs-api-key': `${KEY_A},${KEY_B}` }),
      expect: { isError: /sent more than once/ },
    },
    {
      name: 'Authorization: Basic',
      run: () => tool('check_subscription', {}, { authorization: 'Basic dXNlcjpwYXNz' }),
      expect: { isError: /Bearer <key>/ },
    },
    {
      name: 'no key for a tool that needs one',
      run: () => tool('check_subscription', {}, {}),
      expect: { isError: /x-elevenlabs-api-key/ },
    },
    {
      name: 'a key of 300 characters',
      run: () => tool('check_subscription', {}, { 'x-elevenlabs-api-key': `sk_${'a'.repeat(300)}` }),
      expect: { isError: /API key/ },
    },
  ];
}
