import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { catalogSource, GENERATED_CATALOG } from '../../scripts/generate-catalog.mjs';
import { servedEntries, ToolCatalog, ToolSelectionError } from '../../src/mcp/catalog.js';
import { catalogOf, listingOf } from '../../src/mcp/tool-listing.js';
import { loadAllTools } from '../../src/tools/index.js';

const ALL_TOOLS = await loadAllTools();

describe('ToolCatalog', () => {
  const catalog = catalogOf(ALL_TOOLS);

  it('offers every tool by default, with one listing object reused for every request', () => {
    const view = catalog.view(null);
    expect(view.size).toBe(ALL_TOOLS.length);
    expect(view.list()).toBe(catalog.view(undefined).list());
    expect(view.list()).toBe(catalog.view('').list());
    expect(catalog.view('all').list()).toBe(view.list());
  });

  it('narrows by names and groups, case-insensitively, and reuses the view for the same selection', () => {
    const view = catalog.view('TTS, check_subscription');
    const names = view.list().tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(['text_to_speech', 'list_models', 'get_audio_url', 'check_subscription']),
    );
    expect(names).not.toContain('search_voices');
    expect(view.find('search_voices')).toBeUndefined();
    expect(catalog.view('check_subscription,tts')).toBe(view);
  });

  it("shares each tool's listing across selections", () => {
    const a = catalog
      .view('tts')
      .list()
      .tools.find((tool) => tool.name === 'text_to_speech');
    const b = catalog
      .view('text_to_speech')
      .list()
      .tools.find((tool) => tool.name === 'text_to_speech');
    expect(a).toBe(b);
  });

  it('refuses an unknown name or group, listing what exists', () => {
    expect(() => catalog.view('tts,speling')).toThrow(ToolSelectionError);
    expect(() => catalog.view('tts,speling')).toThrow(/Unknown tool or group "speling"\. Groups: .*voices/);
  });

  it("applies the deployment's ENABLED_TOOLS before any request selection", () => {
    const narrow = catalogOf(ALL_TOOLS, ['voices']);
    expect(narrow.entries.map((entry) => entry.name)).toEqual(expect.arrayContaining(['search_voices', 'get_voice']));
    expect(narrow.find('text_to_speech')).toBeUndefined();
    expect(narrow.view('tts').find('text_to_speech')).toBeUndefined();
    expect(() => catalogOf(ALL_TOOLS, ['nope'])).toThrow(ToolSelectionError);
  });

  it("keeps tools/list under 80 KB: it is sent at every session start and sits in the model's context", () => {
    const answer = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      result: new ToolCatalog(servedEntries()).view(null).list(),
    });
    // KB as the bench and the issue count it (1024 bytes): 106 KB was 109,501 bytes.
    expect(answer.length).toBeLessThan(80 * 1024);
    // A composition plan is spelled out once (compose_music's input), not in every schema that carries one.
    expect(answer.split('"positive_global_styles":').length - 1).toBe(1);
  });

  it('gives every tool a description, a title, annotations and at least one group', () => {
    for (const tool of ALL_TOOLS) {
      expect(tool.description.length, tool.name).toBeGreaterThan(30);
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.groups.length, tool.name).toBeGreaterThan(0);
      expect(tool.annotations.readOnlyHint, tool.name).toBeTypeOf('boolean');
      expect(tool.annotations.openWorldHint, tool.name).toBeTypeOf('boolean');
    }
  });

  it('serves what the tool modules define: listings.generated.ts is up to date (else run npm run build)', async () => {
    expect(await readFile(GENERATED_CATALOG, 'utf8')).toBe(catalogSource(ALL_TOOLS, listingOf));
    const served = new ToolCatalog(servedEntries());
    expect(served.view(null).list()).toEqual(catalog.view(null).list());
    for (const selection of [null, 'tts', 'voices,audio', 'check_subscription']) {
      expect(served.view(selection).list()).toEqual(catalog.view(selection).list());
    }
    for (const entry of served.entries) expect(entry.listingJson()).toBe(JSON.stringify(entry.listing()));
    expect([...served.groups]).toEqual([...catalog.groups]);
    for (const entry of served.entries)
      expect(await entry.load()).toBe(ALL_TOOLS.find((tool) => tool.name === entry.name));
  });
});
