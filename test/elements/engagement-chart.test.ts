import { emptyTotals } from '../../src/contract/index.js';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { CSSResultGroup } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import {
  EngagementSeries,
  EngagementSummary,
  RecipientEngagement,
  RecipientPage,
  type EngagementTotals,
} from '../../src/contract/index.js';
import { Chart } from '../../src/elements/engagement-chart/chart-setup.js';
import { csvCell, toCsv } from '../../src/elements/engagement-chart/csv.js';
import '../../src/elements/engagement-chart/define.js';
import type { DmEngagementChart } from '../../src/elements/engagement-chart/engagement-chart.js';
import styles from '../../src/elements/engagement-chart/engagement-chart.styles.js';
import '../../src/elements/provider/define.js';
import type { DmDrilldownEvent, DmRangeChangeEvent } from '../../src/events/engagement.js';
import { tokenNames } from '../../src/styles/tokens.js';
import { en } from '../../src/translations/en.js';
import { zhCN } from '../../src/translations/zh-CN.js';
import { StubApi, errorResponse, hang, json } from './support/api.js';
import { part, parts, shadow, text, waitForState } from './support/helpers.js';

const DAY = 86_400_000;
const FROM = Date.parse('2026-03-01T00:00:00Z');

const ZERO: EngagementTotals = emptyTotals();

/** Seven days from 2026-03-01 (UTC): opened recipients 12, 14, …, 24; delivered 40 a day. */
function sampleSeries(days = 7, empty = false): EngagementSeries {
  return EngagementSeries.parse({
    interval: 'day',
    tz: 'UTC',
    from: new Date(FROM).toISOString(),
    to: new Date(FROM + days * DAY).toISOString(),
    points: Array.from({ length: days }, (_, i) => ({
      ...ZERO,
      ...(empty
        ? {}
        : {
            sent: 40,
            delivered: 40,
            uniqueDelivered: 40,
            opens: 15 + i,
            uniqueOpens: 12 + 2 * i,
            machineOpens: 5,
            uniqueMachineOpens: 5,
            clicks: 4,
            uniqueClicks: 3,
            bounces: i === 2 ? 1 : 0,
          }),
      at: new Date(FROM + i * DAY).toISOString(),
    })),
  });
}

function summaryOf(
  series: EngagementSeries,
  network: EngagementSummary['network'] = null,
): EngagementSummary {
  const totals = { ...ZERO };
  for (const p of series.points)
    for (const k of Object.keys(ZERO) as (keyof EngagementTotals)[]) totals[k] += p[k];
  const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);
  return EngagementSummary.parse({
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
    network,
  });
}

function recipient(n: number, overrides: Partial<RecipientEngagement> = {}): RecipientEngagement {
  return RecipientEngagement.parse({
    contactId: `c${n}`,
    email: `person${n}@example.com`,
    name: `Person ${n}`,
    sendId: 's1',
    at: new Date(FROM + 2 * DAY + n * 60_000).toISOString(),
    delivered: true,
    opened: true,
    machineOpened: false,
    clicked: n % 2 === 0,
    bounced: false,
    complained: false,
    unsubscribed: false,
    opens: 1,
    machineOpens: 0,
    clicks: n % 2 === 0 ? 1 : 0,
    lastEventAt: new Date(FROM + 2 * DAY + n * 60_000).toISOString(),
    ...overrides,
  });
}

/** A controllable SSE body for `/v1/live`. */
class LiveStream {
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  readonly body = new ReadableStream<Uint8Array>({ start: (c) => (this.#controller = c) });

  push(id: string, event: unknown): void {
    this.#controller.enqueue(new TextEncoder().encode(`id: ${id}\ndata: ${JSON.stringify(event)}\n\n`));
  }
}

interface ApiOptions {
  series?: EngagementSeries;
  summary?: EngagementSummary;
  recipients?: (url: URL) => RecipientPage;
  live?: () => LiveStream;
}

function engagementApi(options: ApiOptions = {}): StubApi {
  const series = options.series ?? sampleSeries();
  const summary = options.summary ?? summaryOf(series);
  return new StubApi((url, request) => {
    if (url.pathname.endsWith('/v1/engagement/series')) return json(structuredClone(series));
    if (url.pathname.endsWith('/v1/engagement/summary')) return json(structuredClone(summary));
    if (url.pathname.endsWith('/v1/engagement/recipients')) {
      const page = options.recipients?.(url) ?? {
        items: [recipient(1), recipient(2)],
        nextCursor: null,
        total: 2,
      };
      return json(RecipientPage.parse(page));
    }
    if (url.pathname.endsWith('/v1/live')) {
      if (!options.live) return hang(request);
      return new Response(options.live().body, { headers: { 'content-type': 'text/event-stream' } });
    }
    return errorResponse(404, 'not_found');
  });
}

interface MountOptions {
  locale?: string;
  theme?: 'light' | 'dark';
  live?: boolean;
  compare?: boolean;
  metrics?: string;
  view?: 'line' | 'bar';
  sendId?: string;
}

async function mount(api: StubApi, options: MountOptions = {}): Promise<DmEngagementChart> {
  const provider = await fixture(
    html`<dm-provider
      .client=${api.client()}
      theme=${options.theme ?? 'light'}
      locale=${ifDefined(options.locale)}
    >
      <dm-engagement-chart
        tz="UTC"
        range="custom"
        from="2026-03-01"
        to="2026-03-07"
        send-id=${ifDefined(options.sendId)}
        metrics=${ifDefined(options.metrics)}
        view=${ifDefined(options.view)}
        ?live=${options.live ?? false}
        ?compare=${options.compare ?? false}
      ></dm-engagement-chart>
    </dm-provider>`,
  );
  return provider.querySelector('dm-engagement-chart')!;
}

async function ready(el: DmEngagementChart): Promise<Chart> {
  await waitForState(el, 'loaded');
  await waitForState(el, 'chart-ready');
  const canvas = part<HTMLCanvasElement>(el, 'canvas')!;
  const chart = Chart.getChart(canvas);
  if (!chart) throw new Error('no chart on the canvas');
  return chart;
}

const labels = (chart: Chart) => chart.data.datasets.map((d) => d.label);

describe('<dm-engagement-chart>', () => {
  afterEach(async () => {
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  describe('accessibility', () => {
    it('is accessible with the chart drawn', async () => {
      const el = await mount(engagementApi());
      await ready(el);
      await expect(el).to.be.accessible();
    });

    it('is accessible while loading', async () => {
      const el = await mount(new StubApi((_, request) => hang(request)));
      await waitForState(el, 'loading');
      await expect(el).to.be.accessible();
      expect(part(el, 'spinner')).to.exist;
    });

    it('is accessible in the error state, with a retry that reloads', async () => {
      let fail = true;
      const ok = engagementApi();
      const api = new StubApi((url, request) =>
        fail ? errorResponse(503, 'server') : ok.handler(url, request),
      );
      const el = await mount(api);
      await waitForState(el, 'error');
      await expect(el).to.be.accessible();
      expect(text(part(el, 'error'))).to.include(en['error.server']);
      fail = false;
      part(el, 'retry-button')!.click();
      await ready(el);
    });

    it('is accessible in the empty state, which says so', async () => {
      const el = await mount(engagementApi({ series: sampleSeries(7, true) }));
      await waitForState(el, 'empty');
      await expect(el).to.be.accessible();
      expect(text(part(el, 'empty'))).to.equal(en['engagement.empty']);
    });

    it('is accessible in the dark theme and in the table view', async () => {
      const el = await mount(engagementApi(), { theme: 'dark' });
      await ready(el);
      await expect(el).to.be.accessible();
      part(el, 'table-toggle')!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  });

  describe('loading', () => {
    it('asks for the summary and the series of the scope, range, interval and time zone', async () => {
      const api = engagementApi();
      const el = await mount(api, { sendId: 's1' });
      await ready(el);
      for (const path of ['/v1/engagement/summary', '/v1/engagement/series']) {
        const [request] = api.to(path);
        expect(request, path).to.exist;
        const q = request!.url.searchParams;
        expect(q.get('sendId')).to.equal('s1');
        expect(q.get('from')).to.equal('2026-03-01T00:00:00.000Z');
        expect(q.get('to')).to.equal('2026-03-08T00:00:00.000Z');
        expect(q.get('tz')).to.equal('UTC');
      }
      expect(api.to('/v1/engagement/series')[0]!.url.searchParams.get('interval')).to.equal('day');
    });

    it('loads Chart.js lazily and draws a canvas with one dataset per metric', async () => {
      const el = await mount(engagementApi());
      const chart = await ready(el);
      const canvas = part<HTMLCanvasElement>(el, 'canvas')!;
      expect(canvas.width).to.be.greaterThan(0);
      expect((chart.config as { type: string }).type).to.equal('line');
      expect(labels(chart)).to.deep.equal(['Delivered', 'Opened', 'Clicked']);
      const opened = chart.data.datasets[1]!.data as { x: number; y: number }[];
      expect(opened.map((p) => p.y)).to.deep.equal([12, 14, 16, 18, 20, 22, 24]);
    });

    it('summarizes the trend in text and shows the totals', async () => {
      const el = await mount(engagementApi());
      await ready(el);
      expect(text(part(el, 'summary'))).to.equal('Opened rose from 12 to 24 over 7 days. Total: 126.');
      const tiles = text(part(el, 'tiles'));
      expect(tiles).to.include('Delivered 280');
      expect(tiles).to.include('Open rate 45%');
    });
  });

  describe('controls', () => {
    it('toggles metrics, human and machine opens', async () => {
      const el = await mount(engagementApi());
      const chart = await ready(el);
      const box = (metric: string) =>
        shadow(el).querySelector<HTMLInputElement>(`input[name="metric"][value="${metric}"]`)!;
      box('machineOpened').click();
      box('delivered').click();
      await el.updateComplete;
      await waitUntil(() => labels(chart).join() === 'Opened,Machine opens,Clicked');
      expect(el.metrics).to.equal('opened,machineOpened,clicked');
      expect((chart.data.datasets[1]!.data as { y: number }[])[0]!.y).to.equal(5);
    });

    it('switches between line and bar', async () => {
      const el = await mount(engagementApi());
      await ready(el);
      const select = part<HTMLSelectElement>(el, 'view-select')!;
      select.value = 'bar';
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      await waitUntil(
        () =>
          (Chart.getChart(part<HTMLCanvasElement>(el, 'canvas')!)?.config as { type: string } | undefined)
            ?.type === 'bar',
      );
    });

    it('fires dm-range-change for a preset and reloads for it', async () => {
      const api = engagementApi();
      const el = await mount(api);
      await ready(el);
      const select = part<HTMLSelectElement>(el, 'range-select')!;
      select.value = '7d';
      setTimeout(() => select.dispatchEvent(new Event('change')));
      const event = (await oneEvent(el, 'dm-range-change')) as DmRangeChangeEvent;
      expect(event.detail.interval).to.equal('day');
      expect(Date.parse(event.detail.to) - Date.parse(event.detail.from)).to.equal(7 * DAY);
      await waitUntil(() => api.to('/v1/engagement/series').length === 2, 'no reload');
      const q = api.to('/v1/engagement/series')[1]!.url.searchParams;
      expect([q.get('from'), q.get('to')]).to.deep.equal([event.detail.from, event.detail.to]);
    });

    it('applies a custom range and a new interval', async () => {
      const api = engagementApi();
      const el = await mount(api);
      await ready(el);
      const from = part<HTMLInputElement>(el, 'from-input')!;
      const to = part<HTMLInputElement>(el, 'to-input')!;
      from.value = '2026-02-01';
      from.dispatchEvent(new Event('input'));
      to.value = '2026-02-28';
      to.dispatchEvent(new Event('input'));
      await el.updateComplete;
      const apply = [...shadow(el).querySelectorAll('button')].find(
        (b) => text(b) === en['engagement.apply'],
      )!;
      setTimeout(() => apply.click());
      const event = (await oneEvent(el, 'dm-range-change')) as DmRangeChangeEvent;
      expect(event.detail).to.deep.equal({
        from: '2026-02-01T00:00:00.000Z',
        to: '2026-03-01T00:00:00.000Z',
        interval: 'day',
      });
      const interval = part<HTMLSelectElement>(el, 'interval-select')!;
      interval.value = 'week';
      interval.dispatchEvent(new Event('change'));
      await waitUntil(() =>
        api.to('/v1/engagement/series').some((r) => r.url.searchParams.get('interval') === 'week'),
      );
    });

    it('rejects a custom range that ends before it starts, without a request', async () => {
      const api = engagementApi();
      const el = await mount(api);
      await ready(el);
      const from = part<HTMLInputElement>(el, 'from-input')!;
      from.value = '2026-03-10';
      from.dispatchEvent(new Event('input'));
      await el.updateComplete;
      [...shadow(el).querySelectorAll('button')].find((b) => text(b) === en['engagement.apply'])!.click();
      await el.updateComplete;
      expect(text(shadow(el).querySelector('[role="alert"]'))).to.equal(en['engagement.invalidRange']);
      expect(api.to('/v1/engagement/series')).to.have.length(1);
    });

    it('offers a data table with every point', async () => {
      const el = await mount(engagementApi());
      await ready(el);
      const toggle = part(el, 'table-toggle')!;
      toggle.click();
      await el.updateComplete;
      expect(toggle.getAttribute('aria-pressed')).to.equal('true');
      const table = part<HTMLTableElement>(el, 'table')!;
      expect(table.querySelectorAll('tbody tr')).to.have.length(7);
      expect(table.querySelector('caption')).to.exist;
      const firstRow = [...table.querySelectorAll('tbody tr')[0]!.children].map((c) => text(c));
      expect(firstRow).to.deep.equal(['Mar 1, 2026', '40', '12', '3']);
      expect(part(el, 'canvas')).to.equal(null);
    });

    it('draws the network benchmark dashed, or says why it is hidden', async () => {
      const series = sampleSeries();
      const el = await mount(
        engagementApi({ series, summary: summaryOf(series, { open: 0.5, click: null, partners: 6 }) }),
        { compare: true },
      );
      const chart = await ready(el);
      const network = chart.data.datasets.find((d) => d.label === 'Opened at the network rate')!;
      expect(network).to.exist;
      expect((network as { borderDash?: number[] }).borderDash).to.deep.equal([6, 4]);
      expect((network.data as { y: number }[])[0]!.y).to.equal(20);
      expect(labels(chart)).not.to.include('Clicked at the network rate');

      const hidden = await mount(
        engagementApi({ series, summary: summaryOf(series, { open: null, click: null, partners: 3 }) }),
        { compare: true },
      );
      await ready(hidden);
      expect(text(shadow(hidden).querySelector('.note'))).to.equal(en['engagement.networkHidden']);
    });

    it('turns animation off when the user prefers reduced motion', async () => {
      await emulateMedia({ reducedMotion: 'reduce' });
      const el = await mount(engagementApi());
      const chart = await ready(el);
      expect(chart.options.animation).to.equal(false);
    });
  });

  describe('drill-down', () => {
    it('opens the recipients of a clicked point', async () => {
      const api = engagementApi();
      const el = await mount(api);
      const chart = await ready(el);
      part(el, 'canvas')!.scrollIntoView({ block: 'center' });
      const point = chart.getDatasetMeta(1).data[2]!;
      const rect = part<HTMLCanvasElement>(el, 'canvas')!.getBoundingClientRect();
      const position: [number, number] = [Math.round(rect.left + point.x), Math.round(rect.top + point.y)];
      setTimeout(() => void sendMouse({ type: 'click', position }));
      const event = (await oneEvent(el, 'dm-drilldown')) as DmDrilldownEvent;
      expect(event.detail.at).to.equal('2026-03-03T00:00:00.000Z');
      expect(['delivered', 'opened', 'clicked']).to.include(event.detail.metric);
      await waitUntil(() => part(el, 'recipients-table'), 'no recipients table');
      const q = api.to('/v1/engagement/recipients')[0]!.url.searchParams;
      expect([q.get('from'), q.get('to'), q.get('metric')]).to.deep.equal([
        '2026-03-03T00:00:00.000Z',
        '2026-03-04T00:00:00.000Z',
        event.detail.metric,
      ]);
      expect(el.matches(':state(drilldown)')).to.equal(true);
    });

    it('moves between points with the keyboard, announces the value and drills down with Enter', async () => {
      const api = engagementApi();
      const el = await mount(api);
      await ready(el);
      part(el, 'chart')!.focus();
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      const status = [...shadow(el).querySelectorAll('[role="status"]')].map((s) => text(s)).join(' ');
      expect(status).to.include('Mar 3, 2026, Opened: 16');
      setTimeout(() => void sendKeys({ press: 'Enter' }));
      const event = (await oneEvent(el, 'dm-drilldown')) as DmDrilldownEvent;
      expect(event.detail).to.deep.equal({ at: '2026-03-03T00:00:00.000Z', metric: 'opened' });
      await waitUntil(() => parts(el, 'recipients-table').length === 1);
      const rows = part(el, 'recipients-table')!.querySelectorAll('tbody tr');
      expect(rows).to.have.length(2);
      expect(text(rows[0])).to.include('Person 1');
      await sendKeys({ press: 'End' });
      await el.updateComplete;
      expect(text(shadow(el).querySelector('.base > [role="status"]'))).to.include('Mar 7, 2026');
    });

    it('lets the host take over with preventDefault', async () => {
      const api = engagementApi();
      const el = await mount(api);
      await ready(el);
      el.addEventListener('dm-drilldown', (e) => e.preventDefault(), { once: true });
      part(el, 'chart')!.focus();
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(part(el, 'drilldown')).to.equal(null);
      expect(api.to('/v1/engagement/recipients')).to.have.length(0);
    });

    it('sorts on the server and pages with the cursor', async () => {
      const api = engagementApi({
        recipients: (url) =>
          url.searchParams.get('cursor')
            ? { items: [recipient(3)], nextCursor: null, total: 3 }
            : { items: [recipient(1), recipient(2)], nextCursor: 'next-page', total: 3 },
      });
      const el = await mount(api);
      await ready(el);
      part(el, 'chart')!.focus();
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => part(el, 'load-more-button'));
      part(el, 'load-more-button')!.click();
      await waitUntil(() => part(el, 'recipients-table')!.querySelectorAll('tbody tr').length === 3);
      expect(api.to('/v1/engagement/recipients')[1]!.url.searchParams.get('cursor')).to.equal('next-page');
      expect(part(el, 'load-more-button')).to.equal(null);

      const header = part(el, 'recipients-table')!.querySelector<HTMLButtonElement>('thead th button')!;
      header.click();
      await waitUntil(() =>
        api.to('/v1/engagement/recipients').some((r) => r.url.searchParams.get('sort') === 'email'),
      );
      await waitUntil(() => part(el, 'recipients-table'));
      expect(part(el, 'recipients-table')!.querySelector('thead th')!.getAttribute('aria-sort')).to.equal(
        'ascending',
      );
    });

    it('exports every page as CSV with correct escaping and a formula guard', async () => {
      const tricky = [
        recipient(1, { name: 'Lee, "Al"\nJr.', email: '=HYPERLINK("http://x")@example.com' }),
        recipient(2, { name: '+SUM(A1:A2)', email: 'plain@example.com', clicked: false, clicks: 0 }),
        recipient(3, { name: '@cmd', email: '-1@example.com', lastEventAt: null, opens: 0 }),
      ];
      const api = engagementApi({
        recipients: (url) =>
          url.searchParams.get('cursor') === 'p2'
            ? { items: tricky.slice(2), nextCursor: null, total: 3 }
            : { items: tricky.slice(0, 2), nextCursor: 'p2', total: 3 },
      });
      const el = await mount(api);
      await ready(el);
      part(el, 'chart')!.focus();
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => part(el, 'recipients-table'));

      const blobs: Blob[] = [];
      const original = URL.createObjectURL;
      URL.createObjectURL = (blob: Blob) => {
        blobs.push(blob);
        return 'blob:test';
      };
      try {
        part(el, 'export-button')!.click();
        await waitUntil(() => blobs.length === 1, 'no download');
      } finally {
        URL.createObjectURL = original;
      }
      expect(blobs[0]!.type).to.equal('text/csv;charset=utf-8');
      const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await blobs[0]!.arrayBuffer());
      const r = tricky.map((t) => [t.at, t.lastEventAt ?? '']);
      expect(csv).to.equal(
        '\uFEFF' +
          [
            'email,name,sendId,contactId,at,delivered,opened,machineOpened,clicked,bounced,complained,unsubscribed,opens,machineOpens,clicks,lastEventAt',
            `"'=HYPERLINK(""http://x"")@example.com","Lee, ""Al""\nJr.",s1,c1,${r[0]![0]},true,true,false,false,false,false,false,1,0,0,${r[0]![1]}`,
            `plain@example.com,'+SUM(A1:A2),s1,c2,${r[1]![0]},true,true,false,false,false,false,false,1,0,0,${r[1]![1]}`,
            `'-1@example.com,'@cmd,s1,c3,${r[2]![0]},true,true,false,false,false,false,false,0,0,0,`,
          ].join('\r\n') +
          '\r\n',
      );
      const pages = api
        .to('/v1/engagement/recipients')
        .filter((x) => x.url.searchParams.get('limit') === '100');
      expect(pages.map((p) => p.url.searchParams.get('cursor'))).to.deep.equal([null, 'p2']);
    });

    it('escapes CSV cells', () => {
      expect(csvCell('a,b')).to.equal('"a,b"');
      expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
      expect(csvCell('line\r\nbreak')).to.equal('"line\r\nbreak"');
      expect(csvCell('=1+1')).to.equal("'=1+1");
      expect(csvCell('\tx')).to.equal("'\tx");
      expect(csvCell('-')).to.equal("'-");
      expect(csvCell(-3)).to.equal('-3');
      expect(csvCell(null)).to.equal('');
      expect(
        toCsv([
          ['a', 'b'],
          [1, true],
        ]),
      ).to.equal('\uFEFFa,b\r\n1,true\r\n');
    });
  });

  describe('live', () => {
    const openEvent = (at: string, unique = true) => ({
      type: 'engagement',
      at,
      event: 'open',
      machine: false,
      sendId: 's1',
      contactId: 'c9',
      journeyId: 'j1',
      partnerId: 'p1',
      unique,
    });

    it('updates the counts in place from the stream, without reloading the series', async () => {
      let stream: LiveStream | undefined;
      const api = engagementApi({ live: () => (stream = new LiveStream()) });
      const el = await mount(api, { live: true, sendId: 's1' });
      const chart = await ready(el);
      await waitUntil(() => stream && el.matches(':state(live)'), 'no live connection');
      stream!.push('e.1', openEvent('2026-03-03T10:00:00.000Z'));
      stream!.push('e.2', openEvent('2026-03-03T11:00:00.000Z', false));
      stream!.push('e.3', { ...openEvent('2026-03-03T12:00:00.000Z'), sendId: 'other' });
      await waitUntil(() => el.data?.series.points[2]!.uniqueOpens === 17, 'no live update');
      expect(el.data!.series.points[2]!.opens).to.equal(19);
      expect(el.data!.summary.totals.uniqueOpens).to.equal(127);
      await waitUntil(
        () => (chart.data.datasets[1]!.data as { y: number }[])[2]!.y === 17,
        'chart not updated',
      );
      expect(text(part(el, 'live-indicator'))).to.equal(en['engagement.updatedJustNow']);
      expect(el.matches(':state(live)')).to.equal(true);
      expect(api.to('/v1/engagement/series')).to.have.length(1);
      expect(api.to('/v1/engagement/summary')).to.have.length(1);
    });

    it('ignores events outside the range, and reloads when the server asks for a resync', async () => {
      let stream: LiveStream | undefined;
      const api = engagementApi({ live: () => (stream = new LiveStream()) });
      const el = await mount(api, { live: true });
      await ready(el);
      await waitUntil(() => stream);
      stream!.push('e.1', openEvent('2026-04-03T10:00:00.000Z'));
      stream!.push('e.2', { type: 'resync', at: '2026-03-03T10:00:00.000Z' });
      await waitUntil(() => api.to('/v1/engagement/series').length === 2, 'no reload');
      await ready(el);
      expect(el.data!.summary.totals.uniqueOpens).to.equal(126);
    });

    it('pauses while hidden and resumes with Last-Event-ID; unsubscribes on disconnect', async () => {
      let stream: LiveStream | undefined;
      const api = engagementApi({ live: () => (stream = new LiveStream()) });
      const el = await mount(api, { live: true });
      await ready(el);
      await waitUntil(() => stream);
      stream!.push('e.7', openEvent('2026-03-03T10:00:00.000Z'));
      await waitUntil(() => el.data?.series.points[2]!.uniqueOpens === 17);
      el.style.display = 'none';
      await waitUntil(() => api.to('/v1/live')[0]!.aborted, 'not paused');
      await waitForState(el, 'paused');
      expect(text(part(el, 'live-indicator'))).to.equal(en['engagement.paused']);
      el.style.display = '';
      await waitUntil(() => api.to('/v1/live').length === 2, 'not resumed');
      expect(api.to('/v1/live')[1]!.request.headers.get('last-event-id')).to.equal('e.7');
      el.remove();
      await waitUntil(() => api.to('/v1/live')[1]!.aborted, 'still subscribed after disconnect');
    });
  });

  describe('large data', () => {
    it('draws 100,000 points with decimation and stays responsive to the keyboard', async function () {
      this.timeout(60_000);
      const series = sampleSeries(100_000);
      const el = await mount(engagementApi({ series }), { metrics: 'opened' });
      await waitUntil(() => el.matches(':state(loaded)'), 'not loaded', { timeout: 45_000 });
      const started = performance.now();
      await waitUntil(() => el.matches(':state(chart-ready)'), 'not drawn', { timeout: 10_000 });
      const chart = Chart.getChart(part<HTMLCanvasElement>(el, 'canvas')!)!;
      // Drawing (not the JSON and schema check of 100,000 points before it) stays interactive.
      expect(performance.now() - started).to.be.lessThan(3000);
      expect(chart.options.plugins?.decimation?.enabled).to.equal(true);
      expect(chart.options.animation).to.equal(false);
      part(el, 'chart')!.focus();
      const t0 = performance.now();
      await sendKeys({ press: 'End' });
      await el.updateComplete;
      expect(performance.now() - t0).to.be.lessThan(1000);
      expect(text(shadow(el).querySelector('.base > [role="status"]'))).to.include('Opened: 200,010');
    });
  });

  describe('localization and styles', () => {
    it('speaks Simplified Chinese', async () => {
      const el = await mount(engagementApi({ series: sampleSeries(7, true) }), { locale: 'zh-CN' });
      await waitForState(el, 'empty');
      expect(text(part(el, 'empty'))).to.equal(zhCN['engagement.empty']);
      expect(part(el, 'base')!.getAttribute('aria-label')).to.equal(zhCN['engagement.label']);
      expect(text(shadow(el).querySelector('legend'))).to.equal(zhCN['engagement.metrics']);
    });

    it('reads only defined tokens and holds no literal colours', () => {
      const css = [styles as CSSResultGroup]
        .flat(Infinity as 1)
        .map((s) => (s as { cssText: string }).cssText)
        .join('\n');
      const own = [
        '--dm-engagement-chart-block-size',
        ...['delivered', 'opened', 'machine-opened', 'clicked', 'bounced', 'unsubscribed'].map(
          (m) => `--dm-engagement-chart-color-${m}`,
        ),
      ];
      const used = [...css.matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1]!);
      const unknown = used.filter((t) => !t.startsWith('--_') && !tokenNames.includes(t) && !own.includes(t));
      expect(unknown).to.deep.equal([]);
      expect(css.match(/#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|oklch|lab|lch|hwb)\(/gi) ?? []).to.deep.equal([]);
    });

    it('draws with the theme colours', async () => {
      const light = await ready(await mount(engagementApi()));
      const dark = await ready(await mount(engagementApi(), { theme: 'dark' }));
      expect(light.data.datasets[1]!.borderColor).to.equal('#0958c8');
      expect(dark.data.datasets[1]!.borderColor).to.equal('#4c9bff');
    });
  });
});
