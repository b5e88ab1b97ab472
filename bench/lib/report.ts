/**
 * The one way a benchmark reports: each figure is ours beside a peer measured in the same run (these
 * machines are noisy, so ratios are what we compare), with the spread and an optional budget.
 * `report()` prints a table and emits one machine-readable line per figure for `bench/run.ts`.
 */
export interface Figure {
  /** What is measured, e.g. "renders/s (10,000 recipients)". */
  name: string;
  unit: string;
  /** `higher` (throughput) or `lower` (latency, size) is better. */
  better: 'higher' | 'lower';
  ours: number;
  peer: number;
  /** What the peer is, e.g. "raw LiquidJS". */
  peerName: string;
  /** Spread of our samples, when several runs were taken. */
  min?: number;
  max?: number;
  /** Spread of the peer's samples, likewise. */
  peerMin?: number;
  peerMax?: number;
  /** Budget: a ratio against the peer (ours/peer for higher-is-better, peer/ours otherwise) and/or an absolute bound. */
  target?: { ratio?: number; absolute?: number };
  note?: string;
}

export const RESULT_PREFIX = '::bench-result:: ';

/** ours relative to the peer, oriented so that > 1 means ours is better. */
export function advantage(f: Figure): number {
  if (f.ours === 0 || f.peer === 0) return 0;
  return f.better === 'higher' ? f.ours / f.peer : f.peer / f.ours;
}

/** Whether the figure meets its budget (`undefined` when it has none). */
export function meetsTarget(f: Figure): boolean | undefined {
  if (!f.target) return undefined;
  const { ratio, absolute } = f.target;
  const ratioOk = ratio === undefined || advantage(f) >= ratio;
  const absOk = absolute === undefined || (f.better === 'higher' ? f.ours >= absolute : f.ours <= absolute);
  return ratioOk && absOk;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Median, min and max of several samples. */
export function spread(samples: number[]) {
  return { value: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

/** A number as the tables show it: whole above 100, two decimals below. */
export const fmt = (n: number) =>
  Math.abs(n) >= 100
    ? Math.round(n).toLocaleString('en')
    : n.toLocaleString('en', { maximumFractionDigits: 2 });

const withSpread = (value: number, unit: string, min?: number, max?: number) =>
  `${fmt(value)} ${unit}${min !== undefined ? ` (${fmt(min)}–${fmt(max ?? value)})` : ''}`;

/** The budget in words, e.g. "vs peer ≥ 0.6×, ≥ 500 msg/s". */
export function budgetText(f: Figure): string {
  if (!f.target) return '';
  const parts: string[] = [];
  if (f.target.ratio !== undefined) parts.push(`vs peer ≥ ${fmt(f.target.ratio)}×`);
  if (f.target.absolute !== undefined) {
    parts.push(`${f.better === 'higher' ? '≥' : '≤'} ${fmt(f.target.absolute)} ${f.unit}`);
  }
  return parts.join(', ');
}

/** One figure as table cells (the runner's table and each benchmark's own). */
export function cells(f: Figure) {
  const ok = meetsTarget(f);
  return {
    figure: f.name,
    ours: withSpread(f.ours, f.unit, f.min, f.max),
    peer: `${withSpread(f.peer, f.unit, f.peerMin, f.peerMax)} (${f.peerName})`,
    // A zero on either side has no meaningful ratio (e.g. no long task at all).
    vsPeer: f.ours === 0 || f.peer === 0 ? '—' : `${fmt(advantage(f))}×`,
    budget: ok === undefined ? '—' : `${budgetText(f)}: ${ok ? 'met' : 'NOT met'}`,
  };
}

/** Prints the figures of one benchmark as a table and emits them for the runner. */
export function report(bench: string, figures: Figure[]): void {
  console.log(`\n${bench}`);
  console.table(figures.map(cells));
  for (const f of figures) if (f.note) console.log(`note (${f.name}): ${f.note}`);
  for (const f of figures) console.log(RESULT_PREFIX + JSON.stringify({ bench, ...f }));
}
