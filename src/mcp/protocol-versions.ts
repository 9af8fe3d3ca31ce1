import { SUPPORTED_PROTOCOL_VERSIONS, type CallToolResult, type Tool } from '@modelcontextprotocol/server';

/** The stateless revision: no initialize, every request carries its version in `_meta` and headers. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';
/** The `initialize` era, newest first, as the SDK serves it. */
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
/** Every version this server speaks, newest first (health, errors, README). */
export const PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION, ...LEGACY_PROTOCOL_VERSIONS];
/** What a 2025-era request without an MCP-Protocol-Version header speaks (transports, 2025-06-18). */
export const VERSION_WITHOUT_HEADER = '2025-03-26';
/** JSON-RPC batches exist in this version only (added 2025-03-26, removed 2025-06-18). */
export const BATCH_VERSION = '2025-03-26';

/**
 * What one protocol version can carry, applied to what the tools produce (written for the newest):
 * a client must never receive a field or content block its version does not define, because a strict
 * client (the v1 SDK's schemas, for one) rejects the whole result. The download link is in every
 * result's text, so nothing a model needs is lost.
 */
export interface ProtocolShape {
  /** Identifies the shape, e.g. to cache a serialized tools/list per shape. */
  readonly id: string;
  tool(listing: Tool): Tool;
  toolResult(result: CallToolResult): CallToolResult;
}

/** Dates compare as strings: revisions are named YYYY-MM-DD. */
const since = (version: string, revision: string): boolean => version >= revision;

/**
 * - 2025-06-18 added tool `title`, `outputSchema`, `_meta` on tools, `structuredContent` and
 *   `resource_link` content blocks;
 * - 2025-03-26 added tool `annotations` and `audio` content blocks.
 */
export function forProtocol(version: string): ProtocolShape {
  if (since(version, '2025-06-18')) return FULL;
  return since(version, '2025-03-26') ? V2025_03_26 : V2024_11_05;
}

const FULL: ProtocolShape = { id: 'full', tool: (listing) => listing, toolResult: (result) => result };

function olderShape(id: string, keepsAudioAndAnnotations: boolean): ProtocolShape {
  return {
    id,
    // Before 2025-06-18 a tool's display name lived in its annotations only.
    tool({ title, outputSchema: _output, _meta, annotations, ...rest }) {
      return keepsAudioAndAnnotations
        ? { ...rest, annotations: { ...(title ? { title } : {}), ...annotations } }
        : rest;
    },
    toolResult({ structuredContent: _structured, content, ...rest }) {
      const kept = (content ?? []).filter(
        (block) => block.type !== 'resource_link' && (keepsAudioAndAnnotations || block.type !== 'audio'),
      );
      return { ...rest, content: kept };
    },
  };
}

const V2025_03_26 = olderShape('2025-03-26', true);
const V2024_11_05 = olderShape('2024-11-05', false);
