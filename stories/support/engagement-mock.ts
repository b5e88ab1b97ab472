import { emptyTotals } from '../../src/contract/index.js';
/**
 * An in-memory engagement API for stories and the strict-CSP test: summary, series and recipients for
 * any scope and range (deterministic figures), and a `/v1/live` stream of engagement events.
 */
import type {
  EngagementPoint,
  EngagementSummary,
  EngagementTotals,
  RecipientEngagement,
} from '../../src/contract/index.js';
import { createClient, type DmClient, type FetchLike } from '../../src/sdk/index.js';

export interface EngagementMock {
  /** What every request does. Default `ok`. */
  mode?: 'ok' | 'loading' | 'empty' | 'error';
  /** HTTP status in `error` mode. Default 503. */
  status?: number;
  /** Network benchmark rates; `null` rates stand for small-count privacy. Default 0.42 / 0.09. */
  network?: EngagementSummary['network'];
  /** Serve this many daily points whatever the range (the 100,000-point story). */
  points?: number;
  /** Stream an engagement event every this many ms on `/v1/live`. */
  liveEveryMs?: number;
  /** Milliseconds before each answer. Default 300. */
  latency?: number;
}

const DAY = 86_400_000;
const BASE_URL = 'https://dm.example';

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
    ...(mock.mode === 'empty' ? ZERO : bucket(i, days)),
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

const PEOPLE: Array<[name: string | null, email: string]> = [
  ['Anna Müller', 'anna.mueller@example.com'],
  ['李伟', 'li.wei@example.cn'],
  ['Jonas Weber', 'jonas.weber@example.com'],
  ['Lee, "Al" Jr.', 'al.lee@example.com'],
  [null, 'no-name@example.com'],
  ['王芳', 'wang.fang@example.cn'],
  ['Marco Rossi', 'marco.rossi@example.it'],
  ['Elif Koch', 'elif.koch@example.com'],
];

function recipientsFor(url: URL) {
  const from = Date.parse(url.searchParams.get('from') ?? new Date().toISOString());
  const metric = url.searchParams.get('metric') ?? 'opened';
  const offset = Number(url.searchParams.get('cursor') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 25);
  const total = 40;
  const rows: RecipientEngagement[] = Array.from({ length: Math.min(limit, total - offset) }, (_, k) => {
    const n = offset + k;
    const [name, email] = PEOPLE[n % PEOPLE.length]!;
    const at = new Date(from + ((n * 3_331_000) % DAY)).toISOString();
    return {
      contactId: `c${n}`,
      email: n < PEOPLE.length ? email : email.replace('@', `+${n}@`),
      name,
      sendId: `s${1 + (n % 3)}`,
      at,
      delivered: metric !== 'bounced',
      opened: metric === 'opened' || metric === 'clicked' || n % 2 === 0,
      machineOpened: metric === 'machineOpened' || n % 4 === 0,
      clicked: metric === 'clicked' || n % 5 === 0,
      bounced: metric === 'bounced',
      complained: false,
      unsubscribed: metric === 'unsubscribed',
      opens: 1 + (n % 3),
      machineOpens: n % 4 === 0 ? 1 : 0,
      clicks: n % 5 === 0 ? 1 : 0,
      lastEventAt: at,
    };
  });
  const sort = url.searchParams.get('sort') ?? '-at';
  rows.sort((a, b) => {
    const key = sort.endsWith('email')
      ? (r: RecipientEngagement) => r.email
      : (r: RecipientEngagement) => r.at;
    return (sort.startsWith('-') ? -1 : 1) * key(a).localeCompare(key(b));
  });
  return { items: rows, nextCursor: offset + limit < total ? String(offset + limit) : null, total };
}

function liveBody(everyMs: number, signal: AbortSignal): ReadableStream<Uint8Array> {
  let n = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode('retry: 2000\n: connected\n\n'));
      timer = setInterval(() => {
        n += 1;
        const kinds = ['open', 'open', 'click', 'delivered', 'open'] as const;
        const event = {
          type: 'engagement',
          at: new Date().toISOString(),
          event: kinds[n % kinds.length],
          machine: n % 6 === 0,
          sendId: 's1',
          contactId: `live-${n}`,
          journeyId: 'j1',
          partnerId: 'p1',
          unique: true,
        };
        controller.enqueue(
          encoder.encode(`id: story.${n}\nevent: engagement\ndata: ${JSON.stringify(event)}\n\n`),
        );
      }, everyMs);
      signal.addEventListener('abort', () => {
        clearInterval(timer);
        try {
          controller.close();
        } catch {
          // Already closed.
        }
      });
    },
    cancel() {
      clearInterval(timer);
    },
  });
}

/** A `fetch` for the engagement endpoints and `/v1/live` (responses pass the contract's schemas). */
export function engagementFetch(mock: EngagementMock = {}): FetchLike {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const signal = init?.signal ?? request.signal;
    if (url.pathname.endsWith('/v1/live')) {
      if (!mock.liveEveryMs) return new Promise<Response>(() => {});
      return new Response(liveBody(mock.liveEveryMs, signal), {
        headers: { 'content-type': 'text/event-stream' },
      });
    }
    if (mock.mode === 'loading') return new Promise<Response>(() => {});
    await new Promise((resolve) => setTimeout(resolve, mock.latency ?? 300));
    if (mock.mode === 'error') {
      return json({ error: { code: 'server', message: 'The service is unavailable' } }, mock.status ?? 503);
    }
    if (url.pathname.endsWith('/v1/engagement/summary')) return json(summaryFor(url, mock));
    if (url.pathname.endsWith('/v1/engagement/series')) return json(seriesFor(url, mock));
    if (url.pathname.endsWith('/v1/engagement/recipients')) return json(recipientsFor(url));
    return json({ error: { code: 'not_found', message: 'No such endpoint in the story mock' } }, 404);
  };
}

/** An SDK client over {@link engagementFetch}. */
export function createEngagementMockClient(mock: EngagementMock = {}): DmClient {
  return createClient({ baseUrl: BASE_URL, fetch: engagementFetch(mock), retry: { limit: 0 } });
}
