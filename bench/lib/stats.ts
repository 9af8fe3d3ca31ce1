/** A sample's summary. Percentiles are nearest-rank; the median of an even count is the mean of the middle two. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p99: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0)
    return { n: 0, median: Number.NaN, p99: Number.NaN, mean: Number.NaN, min: Number.NaN, max: Number.NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    n: sorted.length,
    median,
    p99: percentile(sorted, 0.99),
    mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
    min: sorted[0]!,
    max: sorted.at(-1)!,
  };
}

/** Nearest-rank percentile of an ascending array: with 15 samples, p99 is the largest. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** Rounds for JSON: three significant decimals below 10, else two, else one. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const digits = Math.abs(value) < 1 ? 4 : Math.abs(value) < 10 ? 3 : Math.abs(value) < 1000 ? 2 : 1;
  return Number(value.toFixed(digits));
}

export function roundSummary(summary: Summary): Summary {
  return {
    n: summary.n,
    median: round(summary.median),
    p99: round(summary.p99),
    mean: round(summary.mean),
    min: round(summary.min),
    max: round(summary.max),
  };
}
