import { TOOL_MODULES, type AnyTool } from './registry.js';

/** Every tool definition, loaded: for tests and for generating the catalog. The server loads tools lazily (registry.ts). */
export const ALL_TOOLS: readonly AnyTool[] = await Promise.all(TOOL_MODULES.map(([, load]) => load()));

for (const [index, tool] of ALL_TOOLS.entries()) {
  if (tool.name !== TOOL_MODULES[index]![0]) throw new Error(`src/tools/registry.ts lists ${TOOL_MODULES[index]![0]} for the module of ${tool.name}`);
}
