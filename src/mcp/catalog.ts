import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolDefinition } from '../tools/define-tool.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = ToolDefinition<any, any>;

/**
 * The tool catalog: definitions by name, and the tools/list answer with its JSON Schemas. Both are the
 * same for every caller, so they are computed once per process (the schemas on first use) and shared.
 */
export class ToolCatalog {
  private readonly byName: ReadonlyMap<string, AnyTool>;
  private listing: { tools: Tool[] } | undefined;

  constructor(readonly tools: readonly AnyTool[]) {
    this.byName = new Map(tools.map((tool) => [tool.name, tool]));
    if (this.byName.size !== tools.length) throw new Error('Two tools share a name');
  }

  find(name: string): AnyTool | undefined {
    return this.byName.get(name);
  }

  /** The tools/list result; computed on first call, then the same object every time. */
  list(): { tools: Tool[] } {
    this.listing ??= { tools: this.tools.map(toListing) };
    return this.listing;
  }
}

function toListing(tool: AnyTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchemaOf(tool.input, 'input'),
    outputSchema: jsonSchemaOf(tool.output, 'output'),
    annotations: tool.annotations,
  };
}

/** JSON Schema 2020-12 (MCP's default dialect). Inputs are described as accepted (defaults optional). */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Tool['inputSchema'] {
  const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...json, type: 'object' } as Tool['inputSchema'];
}
