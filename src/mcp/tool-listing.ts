import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { type AnyTool, LISTED_AS_OBJECT } from '../toolkit/define-tool.js';
import { type CatalogEntry, ToolCatalog } from './catalog.js';

/**
 * A tool's tools/list entry, computed from its zod schemas: by `npm run build` into
 * src/tools/listings.generated.ts (the server never runs this), and by tests.
 *
 * tools/list is sent at every session start and sits in the model's context, so it says everything a
 * model needs once and nothing else:
 * - the input schema keeps every description and constraint (they are the model's instructions, and the
 *   server enforces them), less zod's safe-integer bounds, which any JSON integer meets;
 * - the output schema serves a client to check structuredContent, whose meaning the description and
 *   the result's text already give: it keeps the types (properties, items, enums, null) and drops
 *   descriptions, bounds and `required` (every result carries every field, so a client loses nothing);
 * - the title is said once, at the top (protocol-versions.ts moves it into annotations for 2025-03-26).
 */
export function listingOf(tool: AnyTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: prune(jsonSchemaOf(tool.input, 'input'), isSafeIntegerBound),
    outputSchema: prune(jsonSchemaOf(tool.output, 'output'), isOutputDetail),
    annotations: { ...tool.annotations },
    ...(tool.meta ? { _meta: { ...tool.meta } } : {}),
  };
}

/** Loaded definitions as catalog entries, each listing computed once (tests; the server uses servedEntries). */
export function entriesOf(tools: readonly AnyTool[]): CatalogEntry[] {
  return tools.map((tool) => {
    let listing: Tool | undefined;
    let json: string | undefined;
    const listingOnce = (): Tool => (listing ??= listingOf(tool));
    return {
      name: tool.name,
      groups: tool.groups,
      listing: listingOnce,
      listingJson: () => (json ??= JSON.stringify(listingOnce())),
      load: async () => tool,
    };
  });
}

/** A catalog of loaded definitions (tests). */
export function catalogOf(tools: readonly AnyTool[], enabled: readonly string[] = []): ToolCatalog {
  return new ToolCatalog(entriesOf(tools), enabled);
}

/**
 * JSON Schema 2020-12, MCP's default dialect (so no `$schema`). Inputs are described as accepted (defaults
 * optional).
 */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Tool['inputSchema'] {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: listAsObject,
  }) as Record<string, unknown>;
  return { ...json, type: 'object' } as Tool['inputSchema'];
}

/** A schema marked with listedAsObject becomes `{type: 'object'}`, keeping its description. */
function listAsObject({ zodSchema, jsonSchema }: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  if (!LISTED_AS_OBJECT.has(zodSchema as z.ZodType)) return;
  for (const key of Object.keys(jsonSchema)) if (key !== 'description') delete jsonSchema[key];
  jsonSchema.type = 'object';
}

/** What an output schema goes without: words, bounds and `required`. A record keeps its value schema. */
const OUTPUT_DROPS = new Set([
  'description',
  'required',
  'default',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'propertyNames',
]);

function isOutputDetail(key: string, value: unknown): boolean {
  return OUTPUT_DROPS.has(key) || (key === 'additionalProperties' && value === false);
}

function isSafeIntegerBound(key: string, value: unknown): boolean {
  return (
    (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) || (key === 'maximum' && value === Number.MAX_SAFE_INTEGER)
  );
}

/** The schema without the keywords `drop` picks; a property that happens to be named like one is kept. */
function prune<T>(schema: T, drop: (key: string, value: unknown) => boolean): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties')
        kept[key] = Object.fromEntries(
          Object.entries(value as object).map(([name, property]) => [name, walk(property)]),
        );
      else if (!drop(key, value)) kept[key] = walk(value);
    }
    return kept;
  };
  return walk(schema) as T;
}
