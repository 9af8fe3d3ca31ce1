const KIB = 1024;
const MIB = 1024 * 1024;

/**
 * A size as people read it, in binary units named as such: `300 bytes`, `68.4 KiB`, `10 MiB`, `4.125 MiB`.
 * Exact limits keep their digits (up to three decimals); no trailing zeros. The one byte formatter of
 * the server, its messages, descriptions and the player.
 */
export function formatBytes(bytes: number): string {
  if (bytes < KIB) return `${bytes} bytes`;
  if (bytes < MIB) return `${Number((bytes / KIB).toFixed(1))} KiB`;
  return `${Number((bytes / MIB).toFixed(3))} MiB`;
}
