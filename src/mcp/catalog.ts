import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolDefinition } from '../tools/define-tool.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = ToolDefinition<any, any>;

/** The tools one request may see and call. */
export interface ToolView {
  find(name: string): AnyTool | undefined;
  /** The tools/list result: the same object for every request with the same selection. */
  list(): { tools: Tool[] };
  readonly size: number;
}

/** A selection names a tool or group this server does not have. */
export class ToolSelectionError extends Error {
  override name = 'ToolSelectionError';
}

/** Selection keywords that mean "every tool". */
const EVERYTHING = new Set(['all', '*']);
/** Distinct selections remembered; each holds only references to shared listings. */
const MAX_VIEWS = 64;

/**
 * The static tool catalog: definitions, groups, and tools/list answers. All of it is the same for every
 * caller: each tool's JSON Schemas are computed once per process (on first use), and each distinct
 * selection (ENABLED_TOOLS narrowed by a request's `x-elevenlabs-tools`) is resolved once and reused.
 */
export class ToolCatalog {
  readonly tools: readonly AnyTool[];
  /** Group name -> tool names, in catalog order. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
  private readonly byName: ReadonlyMap<string, AnyTool>;
  private readonly listings = new Map<string, Tool>();
  private readonly views = new Map<string, ToolView>();
  private readonly everything: ToolView;

  /** `enabled`: the deployment's ENABLED_TOOLS (names or groups); empty offers every tool. */
  constructor(allTools: readonly AnyTool[], enabled: readonly string[] = []) {
    const byName = new Map(allTools.map((tool) => [tool.name, tool]));
    if (byName.size !== allTools.length) throw new Error('Two tools share a name');
    const groups = new Map<string, string[]>();
    for (const tool of allTools) for (const group of tool.groups) groups.set(group, [...(groups.get(group) ?? []), tool.name]);
    this.groups = groups;

    const offered = enabled.length ? this.resolve(enabled, allTools, byName) : new Set(byName.keys());
    this.tools = allTools.filter((tool) => offered.has(tool.name));
    this.byName = new Map(this.tools.map((tool) => [tool.name, tool]));
    this.everything = this.makeView(this.tools);
  }

  find(name: string): AnyTool | undefined {
    return this.byName.get(name);
  }

  /**
   * The view for a request's `x-elevenlabs-tools` header (comma-separated names or groups); without
   * one, every tool this deployment offers. Throws ToolSelectionError for a name that is neither.
   */
  view(selection: string | null | undefined): ToolView {
    const entries = (selection ?? '')
      .split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean);
    if (entries.length === 0 || entries.some((entry) => EVERYTHING.has(entry))) return this.everything;
    const key = [...new Set(entries)].sort().join(',');
    const cached = this.views.get(key);
    if (cached) return cached;
    const names = this.resolve(entries, this.tools, this.byName);
    const view = this.makeView(this.tools.filter((tool) => names.has(tool.name)));
    if (this.views.size >= MAX_VIEWS) this.views.delete(this.views.keys().next().value!);
    this.views.set(key, view);
    return view;
  }

  private resolve(entries: readonly string[], pool: readonly AnyTool[], byName: ReadonlyMap<string, AnyTool>): Set<string> {
    const names = new Set<string>();
    const unknown: string[] = [];
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      if (EVERYTHING.has(entry)) pool.forEach((tool) => names.add(tool.name));
      else if (byName.has(entry)) names.add(entry);
      else if (this.groups.has(entry)) this.groups.get(entry)!.filter((name) => byName.has(name)).forEach((name) => names.add(name));
      else unknown.push(entry);
    }
    if (unknown.length) {
      throw new ToolSelectionError(
        `Unknown tool or group ${unknown.map((entry) => JSON.stringify(entry.slice(0, 60))).join(', ')}. ` +
          `Groups: ${[...this.groups.keys()].join(', ')}. Tools: ${pool.map((tool) => tool.name).join(', ')}.`,
      );
    }
    return names;
  }

  private makeView(tools: readonly AnyTool[]): ToolView {
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    let listing: { tools: Tool[] } | undefined;
    return {
      size: tools.length,
      find: (name) => byName.get(name),
      list: () => (listing ??= { tools: tools.map((tool) => this.listingOf(tool)) }),
    };
  }

  private listingOf(tool: AnyTool): Tool {
    let listing = this.listings.get(tool.name);
    if (!listing) {
      listing = {
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema: jsonSchemaOf(tool.input, 'input'),
        outputSchema: jsonSchemaOf(tool.output, 'output'),
        annotations: tool.annotations,
      };
      this.listings.set(tool.name, listing);
    }
    return listing;
  }
}

/** JSON Schema 2020-12 (MCP's default dialect). Inputs are described as accepted (defaults optional). */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Tool['inputSchema'] {
  const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...json, type: 'object' } as Tool['inputSchema'];
}
