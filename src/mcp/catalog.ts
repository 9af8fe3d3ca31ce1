import type { Tool } from '@modelcontextprotocol/server';
import type { AnyTool } from '../toolkit/define-tool.js';
import { loadTool, TOOL_NAMES } from '../tools/index.js';
import { TOOL_GROUPS, TOOL_LISTINGS_JSON } from '../tools/listings.generated.js';
import { forProtocol, MODERN_PROTOCOL_VERSION, type ProtocolShape } from './protocol-versions.js';

/** One tool as the catalog knows it: what tools/list shows, and how to load the tool to call it. */
export interface CatalogEntry {
  readonly name: string;
  readonly groups: readonly string[];
  /** The tool's tools/list entry; the same object on every call. */
  listing(): Tool;
  /** The same entry as JSON text: exactly `JSON.stringify(listing())`. */
  listingJson(): string;
  /** The tool's definition (schemas, handler), loaded on first use. */
  load(): Promise<AnyTool>;
}

/** The tools one request may see and call. */
export interface ToolView {
  find(name: string): CatalogEntry | undefined;
  /**
   * The tools/list result in the shape a protocol version knows: the same object for every request with
   * the same selection and shape.
   */
  list(shape?: ProtocolShape): { tools: Tool[] };
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
 * The static tool catalog: names, groups, tools/list entries and loaders. All of it is the same for
 * every caller. The server builds it from listings.generated.ts, so answering tools/list needs neither
 * the tools' modules nor any JSON Schema computation; each distinct selection (ENABLED_TOOLS narrowed by
 * a request's `x-elevenlabs-tools`) is resolved once and reused.
 */
export class ToolCatalog {
  readonly entries: readonly CatalogEntry[];
  /** Group name -> tool names, in catalog order. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
  private readonly byName: ReadonlyMap<string, CatalogEntry>;
  private readonly views = new Map<string, ToolView>();
  private readonly everything: ToolView;

  /** `enabled`: the deployment's ENABLED_TOOLS (names or groups); empty offers every tool. */
  constructor(allEntries: readonly CatalogEntry[], enabled: readonly string[] = []) {
    const byName = new Map(allEntries.map((entry) => [entry.name, entry]));
    if (byName.size !== allEntries.length) throw new Error('Two tools share a name');
    const groups = new Map<string, string[]>();
    for (const entry of allEntries)
      for (const group of entry.groups) groups.set(group, [...(groups.get(group) ?? []), entry.name]);
    this.groups = groups;

    const offered = enabled.length ? this.resolve(enabled, allEntries, byName) : new Set(byName.keys());
    this.entries = allEntries.filter((entry) => offered.has(entry.name));
    this.byName = new Map(this.entries.map((entry) => [entry.name, entry]));
    this.everything = makeView(this.entries);
  }

  get size(): number {
    return this.entries.length;
  }

  find(name: string): CatalogEntry | undefined {
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
    const names = this.resolve(entries, this.entries, this.byName);
    const view = makeView(this.entries.filter((entry) => names.has(entry.name)));
    if (this.views.size >= MAX_VIEWS) this.views.delete(this.views.keys().next().value!);
    this.views.set(key, view);
    return view;
  }

  private resolve(
    requested: readonly string[],
    pool: readonly CatalogEntry[],
    byName: ReadonlyMap<string, CatalogEntry>,
  ): Set<string> {
    const names = new Set<string>();
    const unknown: string[] = [];
    for (const raw of requested) {
      const entry = raw.trim().toLowerCase();
      const group = this.groups.get(entry);
      if (EVERYTHING.has(entry)) {
        for (const tool of pool) names.add(tool.name);
      } else if (byName.has(entry)) {
        names.add(entry);
      } else if (group) {
        for (const name of group) if (byName.has(name)) names.add(name);
      } else {
        unknown.push(entry);
      }
    }
    if (unknown.length) {
      throw new ToolSelectionError(
        `Unknown tool or group ${unknown.map((entry) => JSON.stringify(entry.slice(0, 60))).join(', ')}. ` +
          `Groups: ${[...this.groups.keys()].join(', ')}. Tools: ${pool.map((tool) => tool.name).join(', ')}.`,
      );
    }
    return names;
  }
}

const NEWEST = forProtocol(MODERN_PROTOCOL_VERSION);

function makeView(entries: readonly CatalogEntry[]): ToolView {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  // One per protocol shape (three at most).
  const listings = new Map<string, { tools: Tool[] }>();
  return {
    size: entries.length,
    find: (name) => byName.get(name),
    list(shape = NEWEST) {
      let listing = listings.get(shape.id);
      if (!listing) listings.set(shape.id, (listing = { tools: entries.map((entry) => shape.tool(entry.listing())) }));
      return listing;
    },
  };
}

/**
 * The entries the server serves: every tool of src/tools/index.ts with its generated listing (JSON text,
 * parsed only if a request needs it as an object), its module imported on its first call.
 */
export function servedEntries(): CatalogEntry[] {
  return TOOL_NAMES.map((name) => {
    const json = TOOL_LISTINGS_JSON[name];
    let listing: Tool | undefined;
    return {
      name,
      groups: TOOL_GROUPS[name],
      listing: () => (listing ??= JSON.parse(json) as Tool),
      listingJson: () => json,
      load: () => loadTool(name),
    };
  });
}
