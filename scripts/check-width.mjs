// `npm run lint`, after Biome: no line wider than the formatter's width. Biome wraps code but leaves comments,
// strings and regular expressions as written; this holds them to the same width.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { formatter } = JSON.parse(readFileSync(new URL('../biome.json', import.meta.url), 'utf8'));
const WIDTH = formatter.lineWidth;
const CHECKED = /\.(ts|mts|mjs|js|css)$/;
const SKIPPED = /\.generated\.|package-lock\.json$|^(docs|tools)\//; // as biome.json skips them

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => CHECKED.test(file) && !SKIPPED.test(file));
const wide = files.flatMap((file) => {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // deleted from the work tree, not yet from the index
  }
  return text
    .split('\n')
    .flatMap((line, i) => (line.length > WIDTH ? [`${file}:${i + 1}: ${line.length} > ${WIDTH}`] : []));
});
for (const line of wide) console.error(line);
if (wide.length > 0) {
  console.error(`${wide.length} line(s) wider than ${WIDTH} characters`);
  process.exit(1);
}
console.log(`${files.length} files, no line wider than ${WIDTH} characters`);
