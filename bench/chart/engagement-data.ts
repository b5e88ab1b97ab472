/**
 * Generated engagement figures for the chart benchmark (`bench/chart.bench.ts`), which draws more
 * points than the API serves (it caps a series at 2,000 buckets): `engagementFetch` answers
 * `/v1/engagement/summary` and `/v1/engagement/series` with deterministic, contract-shaped figures.
 * Stories use the reference server instead.
 */
import {
  emptyTotals,
  type EngagementPoint,
  type EngagementSummary,
  type EngagementTotals,
} from '../../src/contract/index.js';
import type { FetchLike } from '../../src/sdk/index.js';

export interface EngagementMock {
  /** Network benchmark rates; `null` rates stand for small-count privacy. Default 0.42 / 0.09. */
  network?: EngagementSummary['network'];
  /** Serve this many daily points whatever the range. */
  points?: number;
  /** Milliseconds before each answer. Default 300. */
  latency?: number;
}

const DAY = 86_400_000;

const ZERO: EngagementTotals = emptyTotals();

/** Plausible counts for bucket `i`: weekday rhythm, a slow rise, Apple's machine opens. */
function bucket(i: number, days: number): EngagementTotals {
  const weekday = [0.6, 1, 1.1, 1.05, 1, 0.9, 0.5][i % 7]!;
  const trend = 1 + Math.sin(i / 9) * 0.15 + (i % 1000) / 4000;
  const delivered = Math.round(days * 38 * weekday * trend);
  const uniqueOpens = Math.round(delivered * (0.31 + ((i * 7) % 11) / 100));
  const uniqueMachineOpens = Math.round(delivered * 0.18);
  const uniqueClicks = Math.round(uniqueOpens * (0.22 + ((i * 3) % 7) / 100));
  return {
    sent: delivered + Math.round(delivered * 0.01),
    delivered,
    uniqueDelivered: delivered,
    opens: Math.round(uniqueOpens * 1.4),
    uniqueOpens,
    machineOpens: uniqueMachineOpens,
    uniqueMachineOpens,
    clicks: Math.round(uniqueClicks * 1.3),
    uniqueClicks,
    machineClicks: Math.round(uniqueClicks * 0.05),
    bounces: Math.round(delivered * 0.01),
    complaints: 0,
    unsubscribes: i % 5 === 0 ? 1 : 0,
  };
}

function seriesFor(url: URL, mock: EngagementMock) {
  const to = Date.parse(url.searchParams.get('to') ?? new Date().toISOString());
  const from = Date.parse(url.searchParams.get('from') ?? new Date(to - 30 * DAY).toISOString());
  const interval = (url.searchParams.get('interval') ?? 'day') as 'day' | 'week' | 'month';
  const step = interval === 'month' ? 30 * DAY : interval === 'week' ? 7 * DAY : DAY;
  const count = mock.points ?? Math.max(1, Math.ceil((to - from) / step));
  const days = step / DAY;
  const points: EngagementPoint[] = Array.from({ length: count }, (_, i) => ({
    at: new Date(from + i * step).toISOString(),
    ...bucket(i, days),
  }));
  return {
    interval,
    tz: url.searchParams.get('tz') ?? 'UTC',
    from: new Date(from).toISOString(),
    to: new Date(mock.points ? from + count * step : to).toISOString(),
    points,
  };
}

function summaryFor(url: URL, mock: EngagementMock): EngagementSummary {
  const series = seriesFor(url, { ...mock, points: undefined });
  const totals = { ...ZERO };
  for (const p of series.points)
    for (const k of Object.keys(ZERO) as (keyof EngagementTotals)[]) totals[k] += p[k];
  const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);
  return {
    from: series.from,
    to: series.to,
    totals,
    rates: {
      delivery: ratio(totals.delivered, totals.sent),
      open: ratio(totals.uniqueOpens, totals.uniqueDelivered),
      click: ratio(totals.uniqueClicks, totals.uniqueDelivered),
      bounce: ratio(totals.bounces, totals.sent),
      unsubscribe: ratio(totals.unsubscribes, totals.uniqueDelivered),
    },
    network: mock.network === undefined ? { open: 0.42, click: 0.09, partners: 14 } : mock.network,
  };
}

/** A `fetch` for `/v1/engagement/summary` and `/v1/engagement/series` (404 for anything else). */
export function engagementFetch(mock: EngagementMock = {}): FetchLike {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    await new Promise((resolve) => setTimeout(resolve, mock.latency ?? 300));
    if (url.pathname.endsWith('/v1/engagement/summary')) return json(summaryFor(url, mock));
    if (url.pathname.endsWith('/v1/engagement/series')) return json(seriesFor(url, mock));
    return json({ error: { code: 'not_found', message: 'Not generated for the benchmark' } }, 404);
  };
}
