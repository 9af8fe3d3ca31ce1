/** What the log scan counted: the keys and presigned-URL signatures it found, and how much output it read. */
export interface LogTally {
  keys: number;
  signatures: number;
  logLines: number;
  metricLines: number;
  characters: number;
  scannedKeys: number;
}

/** The log scan's tally line, as it prints it and as README.md quotes it. */
export function tallyLine(tally: LogTally): string {
  const { keys, signatures, logLines, metricLines, characters, scannedKeys } = tally;
  return (
    `${keys + signatures} hits (${keys} keys, ${signatures} presigned-URL signatures) ` +
    `in ${logLines} log lines and ${metricLines} metric lines (${characters} characters of output), ` +
    `scanned for ${scannedKeys} keys`
  );
}

const FIGURES = ['keys', 'signatures', 'logLines', 'metricLines', 'characters', 'scannedKeys'] as const;

/** The first tally line in `text` and its figures, read back; undefined when `text` holds none. */
export function readTally(text: string): { line: string; tally: LogTally } | undefined {
  const zero = { keys: 0, signatures: 0, logLines: 0, metricLines: 0, characters: 0, scannedKeys: 0 };
  // Every figure free: the first is the hits, the sum of keys and signatures.
  const shape = tallyLine(zero).replace(/[()]/g, '\\$&').replace(/0/g, '(\\d+)');
  const match = new RegExp(shape).exec(text);
  if (!match) return undefined;
  const tally = { ...zero };
  FIGURES.forEach((name, i) => {
    tally[name] = Number(match[i + 2]);
  });
  return { line: match[0], tally };
}
