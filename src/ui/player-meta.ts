/** The player's resource URI: every tool that produces audio names it, and resources/read serves it. */
export const PLAYER_URI = 'ui://elevenlabs/player.html';

/**
 * The `_meta` of an audio tool's tools/list entry: `ui.resourceUri` (MCP Apps 2026-01-26) and the flat
 * `ui/resourceUri` key that hosts built on the pre-release drafts still read. Hosts without MCP Apps
 * ignore both and show the text result.
 */
export const PLAYER_TOOL_META = { ui: { resourceUri: PLAYER_URI }, 'ui/resourceUri': PLAYER_URI } as const;
