import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { TOOL_GROUPS, TOOL_LISTINGS_JSON } from '../tools/catalog.generated.js';
import { TOOL_MODULES } from '../tools/registry.js';
import type { CatalogEntry } from './catalog.js';

/**
 * The catalog the server serves: names and groups from the generated catalog, tools/list entries
 * parsed from it on first use, and each tool's module imported on its first call.
 */
export function servedEntries(): CatalogEntry[] {
  let listings: ReadonlyMap<string, Tool> | undefined;
  const listingOf = (name: string): Tool => {
    listings ??= new Map((JSON.parse(TOOL_LISTINGS_JSON) as Tool[]).map((tool) => [tool.name, tool]));
    return listings.get(name)!;
  };
  return TOOL_MODULES.map(([name, load]) => {
    const groups = TOOL_GROUPS[name];
    // The generated catalog is committed and checked by a test; this guards a build that skipped it.
    if (!groups) throw new Error(`src/tools/catalog.generated.ts has no entry for ${name}; run npm run build`);
    return { name, groups, listing: () => listingOf(name), load };
  });
}
