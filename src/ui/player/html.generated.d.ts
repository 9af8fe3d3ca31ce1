// Declares what esbuild.config.mjs's buildPlayer() writes to html.generated.js (not committed: built
// from src/ui/player/ by `npm run build`, the Lambda build, and the tests that need it).

/** The player: one self-contained HTML document, script and style inline. */
export declare const PLAYER_HTML: string;
