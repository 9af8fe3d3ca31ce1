import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIBRARY_VOICES } from '../../src/local/fake-elevenlabs/fake-routes/voices.js';
import { loadTool } from '../../src/tools/index.js';
import { call, callTool, KEY_A, textOf } from '../support/harness.js';
import { stack, useStack } from '../support/suite-stack.js';
import { expectRefusedBeforeCallingOut } from '../support/voice-tools.js';

const addSharedVoice = await loadTool('add_shared_voice');
const searchVoiceLibrary = await loadTool('search_voice_library');

/**
 * The shared voice library: search_voice_library (filters and pages) and add_shared_voice, through the real
 * handler and the real SDK, against the fake ElevenLabs API and s3rver; and how tools/list presents all the
 * voice tools.
 */

useStack();

describe('search_voice_library', () => {
  it('asks for page 0 of 10 by default and lists what a model needs to choose and add a voice', async () => {
    const result = await callTool(stack.handler, 'search_voice_library', {});
    expect(result.isError).toBeFalsy();
    const [shared] = stack.fake.requestsTo(/^\/v1\/shared-voices$/);
    expect(shared!.method).toBe('GET');
    expect(shared!.headers['xi-api-key']).toBe(KEY_A);
    expect(Object.fromEntries(shared!.query)).toEqual({ page: '0', page_size: '10' });

    const s = searchVoiceLibrary.output.parse(result.structuredContent);
    expect(s).toMatchObject({ page: 0, has_more: false, next_page: null });
    expect(s.voices).toHaveLength(LIBRARY_VOICES.length);
    expect(s.voices[0]).toEqual({
      voice_id: 'HDA9tsk27wYi3uq0fPcK',
      public_owner_id: LIBRARY_VOICES[0]!.public_owner_id,
      name: 'Stuart - Energetic and enthusiastic',
      category: 'professional',
      gender: 'male',
      age: 'middle_aged',
      accent: 'australian',
      use_case: 'social_media',
      descriptive: 'confident',
      languages: ['en (australian)'],
      description: LIBRARY_VOICES[0]!.description,
      preview_url: LIBRARY_VOICES[0]!.preview_url,
      cloned_by_count: 5312,
      rate: 1,
      is_added_by_user: false,
    });
    const text = textOf(result);
    for (const voice of LIBRARY_VOICES) {
      expect(text).toContain(
        `${voice.name} (voice_id ${voice.voice_id}, public_owner_id ${voice.public_owner_id}) [${voice.category}]`,
      );
      expect(text).toContain(`Preview: ${voice.preview_url}`);
    }
    expect(text).toContain('add_shared_voice');
  });

  it('passes every filter on the query string, use cases repeated', async () => {
    const result = await callTool(stack.handler, 'search_voice_library', {
      search: 'meditation',
      category: 'high_quality',
      gender: 'Male',
      age: 'middle_aged',
      accent: 'american',
      language: 'en',
      use_cases: ['narrative_story', 'informative_educational'],
      featured: false,
      sort: 'trending',
      page_size: 5,
    });
    expect(result.isError).toBeFalsy();
    const [shared] = stack.fake.requestsTo(/^\/v1\/shared-voices$/);
    expect([...shared!.query.entries()].sort()).toEqual(
      [
        ['accent', 'american'],
        ['age', 'middle_aged'],
        ['category', 'high_quality'],
        ['featured', 'false'],
        ['gender', 'male'],
        ['language', 'en'],
        ['page', '0'],
        ['page_size', '5'],
        ['search', 'meditation'],
        ['sort', 'trending'],
        ['use_cases', 'narrative_story'],
        ['use_cases', 'informative_educational'],
      ].sort(),
    );
    expect(result.structuredContent.voices.map((v: { name: string }) => v.name)).toEqual([
      'Jameson - Guided Meditation',
    ]);
  });

  it('pages with page and next_page', async () => {
    const first = await callTool(stack.handler, 'search_voice_library', { page_size: 2 });
    expect(first.structuredContent).toMatchObject({ page: 0, has_more: true, next_page: 1 });
    expect(textOf(first)).toContain('call again with page 1');
    const second = await callTool(stack.handler, 'search_voice_library', {
      page_size: 2,
      page: first.structuredContent.next_page,
    });
    expect(second.structuredContent).toMatchObject({ page: 1, has_more: false, next_page: null });
    expect(second.structuredContent.voices.map((v: { voice_id: string }) => v.voice_id)).toEqual([
      LIBRARY_VOICES[2]!.voice_id,
    ]);
    const none = await callTool(stack.handler, 'search_voice_library', { search: 'no such voice anywhere' });
    expect(none.structuredContent.voices).toEqual([]);
    expect(textOf(none)).toContain('No shared voices match');
  });

  it.each([
    [{ page_size: 101 }, /page_size/],
    [{ page: -1 }, /page/],
    [{ category: 'premade' }, /category/],
    [{ language: 'english' }, /language/],
    [{ accent: 'british&page_size=1000' }, /accent/],
    [{ sort: 'name' }, /sort/],
  ])('refuses %#: %j before calling out', async (args, reason) => {
    expectRefusedBeforeCallingOut(await callTool(stack.handler, 'search_voice_library', args), reason);
  });
});

describe('add_shared_voice', () => {
  it('adds a library voice under a new name and returns the voice_id to speak with', async () => {
    const voice = LIBRARY_VOICES[1]!;
    const result = await callTool(stack.handler, 'add_shared_voice', {
      public_owner_id: voice.public_owner_id,
      voice_id: voice.voice_id,
      new_name: 'Jameson',
    });
    expect(result.isError).toBeFalsy();
    const [add] = stack.fake.requestsTo(/^\/v1\/voices\/add\//);
    expect(add!.method).toBe('POST');
    expect(add!.path).toBe(`/v1/voices/add/${voice.public_owner_id}/${voice.voice_id}`);
    expect(add!.headers['xi-api-key']).toBe(KEY_A);
    expect(add!.json).toEqual({ new_name: 'Jameson' });
    expect(addSharedVoice.output.parse(result.structuredContent)).toEqual({
      voice_id: voice.voice_id,
      name: 'Jameson',
    });
    expect(textOf(result)).toContain(`voice_id ${voice.voice_id}`);
  });

  it('maps a voice that is not shared to not found, and a restricted key to permission denied', async () => {
    const missing = await callTool(stack.handler, 'add_shared_voice', {
      public_owner_id: 'abc123',
      voice_id: 'NoSuchVoice',
      new_name: 'X',
    });
    expect(missing.isError).toBe(true);
    const notFound = new RegExp(
      String.raw`^Library voice NoSuchVoice of owner abc123 \(search_voice_library lists the voices that can be ` +
        String.raw`added\) was not found`,
    );
    expect(textOf(missing)).toMatch(notFound);

    const restricted = `sk_test_${randomBytes(16).toString('hex')}`;
    stack.fake.addKey(restricted, 'missing_permissions');
    const voice = LIBRARY_VOICES[0]!;
    const denied = await callTool(
      stack.handler,
      'add_shared_voice',
      { public_owner_id: voice.public_owner_id, voice_id: voice.voice_id, new_name: 'X' },
      restricted,
    );
    expect(textOf(denied)).toMatch(/^ElevenLabs refused this operation for this API key/);
  });

  it.each([
    [{ public_owner_id: '../../v1/user', voice_id: 'abc', new_name: 'X' }, /public_owner_id/],
    [{ public_owner_id: 'abc', voice_id: 'a/b', new_name: 'X' }, /voice_id/],
    [{ public_owner_id: 'abc', voice_id: 'abc' }, /new_name/],
  ])('refuses %#: %j before calling out', async (args, reason) => {
    expectRefusedBeforeCallingOut(await callTool(stack.handler, 'add_shared_voice', args), reason);
  });
});

describe('tools/list', () => {
  it('offers the voice tools with honest annotations, in the voices group', async () => {
    const listed = await call(stack.handler, 'tools/list', undefined, { 'x-elevenlabs-tools': 'voices' });
    const byName = Object.fromEntries(
      (listed.body.result.tools as Array<{ name: string }>).map((t) => [t.name, t]),
    ) as Record<string, any>;
    for (const name of ['voice_clone', 'text_to_voice', 'create_voice_from_preview', 'add_shared_voice']) {
      expect(byName[name].annotations, name).toMatchObject({
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      });
      expect(byName[name].description, name).toMatch(/only call it when the user asked for it/);
    }
    expect(byName.search_voice_library.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    expect(byName.search_voice_library.description).toMatch(/Free\.$/);
    expect(byName.text_to_voice.description).toContain('Costs ElevenLabs credits');
    expect(byName.voice_clone.inputSchema.properties.files.items.properties).toHaveProperty('audio_id');
    expect(Object.keys(byName.text_to_voice.outputSchema.properties.previews.items.properties)).toEqual(
      expect.arrayContaining(['generated_voice_id', 'audio_id', 'url']),
    );
  });
});
