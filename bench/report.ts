/** Figures, goals, and the table `npm run bench` prints. */
import { round, roundSummary, summarize, type Summary } from './lib/stats.js';

export interface Figure {
  readonly id: string;
  readonly label: string;
  readonly unit: 'ms' | 'MB' | 'req/s' | 'count';
  readonly ours: Summary;
  readonly naive: Summary | undefined;
  /** ours / naive, of the medians and of the p99s. */
  readonly ratio: { readonly median: number; readonly p99: number } | undefined;
}

export function figure(
  id: string,
  label: string,
  unit: Figure['unit'],
  ours: readonly number[],
  naive?: readonly number[],
): Figure {
  const o = roundSummary(summarize(ours));
  const n = naive ? roundSummary(summarize(naive)) : undefined;
  return {
    id,
    label,
    unit,
    ours: o,
    naive: n,
    ratio: n ? { median: round(o.median / n.median), p99: round(o.p99 / n.p99) } : undefined,
  };
}

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  readonly pass: boolean;
}

/** A goal on a figure's value: `value` picks it, `limit` is the largest value that passes. */
export function goal(text: string, value: number | undefined, limit: number, format: (v: number) => string): Goal {
  return {
    goal: text,
    measured: value === undefined ? 'not measured' : format(value),
    pass: value !== undefined && value <= limit,
  };
}

/** A duration in the prose tables: two decimals below 10 ms, one from there. */
export function formatMs(v: number): string {
  return `${v.toFixed(v < 10 ? 2 : 1)} ms`;
}

/** A size in KiB, or in MiB from one MiB up. */
export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

const fmt = (value: number | undefined, unit?: string): string => {
  if (value === undefined || !Number.isFinite(value)) return '';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
};

/** A fixed-width text table, as Markdown so the same text can go into the README. */
export function table(figures: readonly Figure[]): string {
  const header = [
    'Figure',
    'n',
    'ours median',
    'ours p99',
    'naive median',
    'naive p99',
    'ours/naive median',
    'ours/naive p99',
  ];
  const rows = figures.map((f) => [
    f.label,
    f.naive && f.naive.n !== f.ours.n ? `${f.ours.n}/${f.naive.n}` : String(f.ours.n),
    fmt(f.ours.median, f.unit),
    fmt(f.ours.p99, f.unit),
    fmt(f.naive?.median, f.unit),
    fmt(f.naive?.p99, f.unit),
    f.ratio ? fmt(f.ratio.median) : '',
    f.ratio ? fmt(f.ratio.p99) : '',
  ]);
  return markdown(header, rows, [false, true, true, true, true, true, true, true]);
}

export function goalTable(goals: readonly Goal[]): string {
  return markdown(
    ['Goal', 'Measured', 'Verdict'],
    goals.map((g) => [g.goal, g.measured, g.pass ? 'PASS' : 'FAIL']),
    [false, true, false],
  );
}

export function markdown(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  rightAligned: readonly boolean[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const ruleCell = (w: number, i: number): string => (rightAligned[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2));
  const rule = `|${widths.map(ruleCell).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
