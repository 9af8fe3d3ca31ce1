/** The README block for these listings (tool name -> tools/list entry as JSON text) and groups. */
export function tokenTable(
  listings: Readonly<Record<string, string>>,
  groups: Readonly<Record<string, readonly string[]>>,
): string;
/** The README text with the block replaced by `table`. */
export function withTokenTable(readme: string, table: string): string;
/** The block as the README has it now, or undefined when it has none. */
export function tokenTableIn(readme: string): string | undefined;
