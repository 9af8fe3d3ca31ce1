import type { Tool } from '@modelcontextprotocol/server';
import type { AnyTool } from '../src/toolkit/define-tool.js';

export const GENERATED_CATALOG: string;
/** The generated module's source for these tools. */
export function catalogSource(tools: readonly AnyTool[], listingOf: (tool: AnyTool) => Tool): string;
/** Regenerates src/tools/listings.generated.ts; returns the number of tools. */
export function generateCatalog(): Promise<number>;
