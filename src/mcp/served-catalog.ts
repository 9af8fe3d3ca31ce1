import type { Tool } from '@modelcontextprotocol/server';
import { TOOL_GROUPS, TOOL_LISTINGS_JSON } from '../tools/catalog.generated.js';
import { TOOL_MODULES } from '../tools/registry.js';
import type { CatalogEntry } from './catalog.js';

/**
 * The catalog the server serves: names, groups and tools/list entries (as JSON text) from the generated
 * catalog, each entry parsed only if a request needs it as an object, and each tool's module imported on
 * its first call.
 */
export function servedEntries(): CatalogEntry[] {
  return TOOL_MODULES.map(([name, load]) => {
    const groups = TOOL_GROUPS[name];
    const json = TOOL_LISTINGS_JSON[name];
    // The generated catalog is committed and checked by a test; this guards a build that skipped it.
    if (!groups || json === undefined) throw new Error(`src/tools/catalog.generated.ts has no entry for ${name}; run npm run build`);
    let listing: Tool | undefined;
    return { name, groups, listing: () => (listing ??= JSON.parse(json) as Tool), listingJson: () => json, load };
  });
}
