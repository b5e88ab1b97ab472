import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type {
  EngagementPoint,
  EngagementSeries,
  EngagementSummary,
  EngagementTotals,
  LiveEvent,
  RecipientEngagement,
  RecipientPage,
  RecipientSort,
} from '../../contract/engagement.js';
import { ClientController } from '../../controllers/client.js';
import { DataController, notReady } from '../../controllers/data.js';
import { defaultError, renderStates } from '../../controllers/render-states.js';
import { DmDrilldownEvent, DmRangeChangeEvent, type EngagementMetric } from '../../events/engagement.js';
import { DmElement } from '../../internal/dm-element.js';
import type { DmClient, FetchLike } from '../../sdk/index.js';
import { controlStyles, hostStyles } from '../../styles/shared.js';
import type { TranslationKey } from '../../translations/index.js';
import type * as ChartSetup from './chart-setup.js';
import type { ActiveElement, Chart, ChartDataset, ChartEvent } from './chart-setup.js';
import { recipientsCsv } from './csv.js';
import styles from './engagement-chart.styles.js';
import { browserTimeZone, dateStart, knownTimeZone, lastDays, localDate } from './time.js';

export type { EngagementMetric };
export type EngagementRange = '7d' | '30d' | '90d' | 'custom';
export type EngagementInterval = 'day' | 'week' | 'month';
export type EngagementView = 'line' | 'bar';

/** Every metric, in legend order. */
export const ENGAGEMENT_METRICS: readonly EngagementMetric[] = [
  'delivered',
  'opened',
  'machineOpened',
  'clicked',
  'bounced',
  'unsubscribed',
];

/** Which count of a bucket each metric plots (recipients for opens and clicks, events otherwise). */
export const METRIC_FIELD: Record<EngagementMetric, keyof EngagementTotals> = {
  delivered: 'delivered',
  opened: 'uniqueOpens',
  machineOpened: 'uniqueMachineOpens',
  clicked: 'uniqueClicks',
  bounced: 'bounces',
  unsubscribed: 'unsubscribes',
};

const COLOR_PROPERTY: Record<EngagementMetric, string> = {
  delivered: '--_color-delivered',
  opened: '--_color-opened',
  machineOpened: '--_color-machine-opened',
  clicked: '--_color-clicked',
  bounced: '--_color-bounced',
  unsubscribed: '--_color-unsubscribed',
};

/** Point styles, so series differ by more than colour. */
const POINT_STYLE: Record<EngagementMetric, string> = {
  delivered: 'circle',
  opened: 'rect',
  machineOpened: 'triangle',
  clicked: 'rectRot',
  bounced: 'crossRot',
  unsubscribed: 'star',
};

const RANGE_DAYS: Record<Exclude<EngagementRange, 'custom'>, number> = { '7d': 7, '30d': 30, '90d': 90 };
const RANGES: readonly EngagementRange[] = ['7d', '30d', '90d', 'custom'];
const INTERVALS: readonly EngagementInterval[] = ['day', 'week', 'month'];

/** Rows the data table shows at most (the chart shows every point). */
export const TABLE_ROW_LIMIT = 1000;
/** Recipient rows fetched for a CSV export at most. */
export const EXPORT_ROW_LIMIT = 10_000;

interface Loaded {
  summary: EngagementSummary;
  series: EngagementSeries;
  /** `[from, bucket starts…, to]` in ms: bucket `i` covers `[edges[i], edges[i+1])`. */
  edges: number[];
}

interface Drill {
  index: number;
  metric: EngagementMetric;
  at: string;
  from: string;
  to: string;
}

type LoadArgs = readonly [
  client: DmClient | undefined,
  scope: string,
  from: string,
  to: string,
  interval: EngagementInterval,
  tz: string,
];

const RECIPIENT_METRIC: Record<EngagementMetric, string> = {
  delivered: 'delivered',
  opened: 'opened',
  machineOpened: 'machineOpened',
  clicked: 'clicked',
  bounced: 'bounced',
  unsubscribed: 'unsubscribed',
};

let chartModule: Promise<typeof ChartSetup> | undefined;

/** Loads Chart.js (only the parts the chart uses) once per page. */
export function loadChart(): Promise<typeof ChartSetup> {
  chartModule ??= import('./chart-setup.js');
  return chartModule;
}

/**
 * @tag dm-engagement-chart
 * @summary Delivered, opened, clicked, bounced and unsubscribed over time for a send, a journey, a
 * partner or the whole network — with human and machine opens apart, a network benchmark, the
 * recipients behind every point, and live updates.
 *
 * @description Loads `GET /v1/engagement/summary` and `/series` through the nearest `<dm-provider>` (or
 * its own `base-url`/`token`). Chart.js is loaded on first use, only the parts the chart needs.
 * Opened and clicked count recipients (each at its first open or click; machine opens apart);
 * delivered, bounced and unsubscribed count events. With `compare`, dashed lines show the opens and
 * clicks the scope would have at the network's rates (hidden below 5 partners). Clicking a point or bar
 * — or Enter on the active point (arrow keys move it) — lists its recipients, sortable, paged and
 * exportable as CSV. With `live`, events from `GET /v1/live` update the figures in place while the
 * chart is visible. A data table can replace the chart.
 *
 * @slot header - Content above the controls, e.g. a heading.
 * @slot loading - Replaces the loading placeholder.
 * @slot error - Replaces the error message and its "Try again" button.
 * @slot empty - Replaces "No activity in this range".
 *
 * @event {DmRangeChangeEvent} dm-range-change - The user chose another range or interval; `detail` has
 * `from`, `to` (ISO) and `interval`.
 * @event {DmDrilldownEvent} dm-drilldown - The user opened the recipients of a point; `detail` has `at`
 * (bucket start) and `metric`. Cancelable: `preventDefault()` keeps the chart's own recipient table closed.
 * @event {DmErrorEvent} dm-error - Loading failed; `detail.error` is the `DmApiError`. Not fired for aborts.
 *
 * @csspart base - The wrapper around everything.
 * @csspart header - The controls.
 * @csspart range-select - The range preset `<select>`.
 * @csspart from-input - The custom range start date.
 * @csspart to-input - The custom range end date.
 * @csspart interval-select - The interval `<select>`.
 * @csspart view-select - The line/bar `<select>`.
 * @csspart metrics - The metric checkboxes.
 * @csspart toolbar - Compare, table toggle and the live indicator.
 * @csspart compare-toggle - The "Compare with the network" checkbox.
 * @csspart table-toggle - The chart/table switch button.
 * @csspart live-indicator - "Updated just now".
 * @csspart tiles - The summary figures.
 * @csspart summary - The text summary of the trend.
 * @csspart chart - The focusable chart area (arrow keys move between points).
 * @csspart canvas - The chart canvas.
 * @csspart table - The data table alternative.
 * @csspart drilldown - The recipients panel.
 * @csspart recipients-table - The recipients table.
 * @csspart export-button - "Export CSV".
 * @csspart load-more-button - "Load more" recipients.
 * @csspart close-button - Closes the recipients panel.
 * @csspart spinner - The loading state.
 * @csspart error - The error state.
 * @csspart retry-button - The "Try again" button.
 * @csspart empty - The empty state.
 *
 * @cssproperty [--dm-engagement-chart-block-size=18rem] - Height of the chart (and its placeholders).
 * @cssproperty [--dm-engagement-chart-color-delivered=var(--dm-color-text-muted)] - Delivered series.
 * @cssproperty [--dm-engagement-chart-color-opened=var(--dm-color-accent)] - Opened series.
 * @cssproperty [--dm-engagement-chart-color-machine-opened=var(--dm-color-border-strong)] - Machine opens series.
 * @cssproperty [--dm-engagement-chart-color-clicked=var(--dm-color-on-warning-subtle)] - Clicked series.
 * @cssproperty [--dm-engagement-chart-color-bounced=var(--dm-color-danger)] - Bounced series.
 * @cssproperty [--dm-engagement-chart-color-unsubscribed=var(--dm-color-text)] - Unsubscribed series.
 *
 * @cssstate loading - Figures are being loaded.
 * @cssstate error - Loading failed.
 * @cssstate empty - Loaded, with no activity in the range.
 * @cssstate loaded - Loaded with activity.
 * @cssstate chart-ready - Chart.js is loaded and the chart is drawn.
 * @cssstate live - Receiving live updates.
 * @cssstate paused - Live updates are paused (the chart is hidden).
 * @cssstate drilldown - The recipients panel is open.
 */
export class DmEngagementChart extends DmElement {
  static override styles = [hostStyles, controlStyles, styles];

  readonly #client = new ClientController(this, { locale: () => this.resolvedLocale });

  readonly #data = new DataController<Loaded, LoadArgs>(this, {
    args: () => {
      const { from, to } = this.#range;
      return [this.#client.value, this.#scopeKey, from, to, this.#interval, this.#tz] as const;
    },
    task: async ([client, , from, to, interval, tz], { signal }) => {
      if (!client || !from || !to) return notReady;
      const scope = this.#scopeQuery;
      const [summary, series] = await Promise.all([
        client.engagement.summary({ ...scope, from, to, tz }, { signal }),
        client.engagement.series({ ...scope, from, to, tz, interval }, { signal }),
      ]);
      const edges = [
        Date.parse(series.from),
        ...series.points.slice(1).map((p) => Date.parse(p.at)),
        Date.parse(series.to),
      ];
      return { summary, series, edges };
    },
    isEmpty: (loaded) => !Object.values(loaded.summary.totals).some((v) => v > 0),
    onComplete: () => {
      this._activeIndex = -1;
      this._liveUpdatedAt = null;
      this.#unique.clear();
    },
    onStatus: (status) => {
      this.toggleState('loading', status === 'pending');
      this.toggleState('error', status === 'error');
      this.toggleState('empty', status === 'empty');
      this.toggleState('loaded', status === 'complete');
    },
  });

  readonly #recipients = new DataController<
    RecipientPage,
    readonly [DmClient | undefined, Drill | null, RecipientSort]
  >(this, {
    args: () => [this.#client.value, this._drill, this._sort] as const,
    task: async ([client, drill, sort], { signal }) => {
      if (!client || !drill) return notReady;
      return client.engagement.recipients(this.#recipientQuery(drill, sort), { signal });
    },
    isEmpty: (page) => page.items.length === 0,
    onComplete: (page) => {
      this._moreRecipients = [];
      this._recipientCursor = page.nextCursor;
    },
  });

  #chart: Chart | undefined;
  #chartView: EngagementView | undefined;
  #chartLoading = false;
  #liveStop: (() => void) | undefined;
  #lastEventId = '';
  #visible = true;
  #observer: IntersectionObserver | undefined;
  #clockTimer: ReturnType<typeof setInterval> | undefined;
  #drawQueued = false;
  /** Bumped by every live update, so the chart knows its data changed in place. */
  #revision = 0;
  /** What the chart was last drawn from; an unchanged key skips the redraw. */
  #drawnKey = '';
  #drawnLoad: Loaded | undefined;
  /** Recipients counted as unique by live events without a `unique` flag (older servers). */
  readonly #unique = new Set<string>();
  readonly #reducedMotion =
    typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : undefined;
  readonly #darkScheme =
    typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;

  @query('.chart') private readonly chartArea?: HTMLElement;
  @query('canvas') private readonly canvas?: HTMLCanvasElement;

  /** Only this send (also narrows to its partner and journey). */
  @property({ attribute: 'send-id', reflect: true }) sendId?: string;

  /** Only this journey. */
  @property({ attribute: 'journey-id', reflect: true }) journeyId?: string;

  /** Only this partner (brand-level users); partner users always see their own partner. */
  @property({ attribute: 'partner-id', reflect: true }) partnerId?: string;

  /** `network`: every partner of the brand (brand admins only); `own` (default): what the user may see. */
  @property({ attribute: 'scope', reflect: true }) scope: 'own' | 'network' = 'own';

  /** `7d`, `30d` (default) or `90d` up to today, or `custom` (`from`/`to`). */
  @property({ attribute: 'range', reflect: true }) range: EngagementRange = '30d';

  /** First day of a custom range, `YYYY-MM-DD` in `tz`. */
  @property({ attribute: 'from', reflect: true }) from?: string;

  /** Last day (included) of a custom range, `YYYY-MM-DD` in `tz`. */
  @property({ attribute: 'to', reflect: true }) to?: string;

  /** Bucket size: `day` (default), `week` (from Monday) or `month`. */
  @property({ attribute: 'interval', reflect: true }) interval: EngagementInterval = 'day';

  /** IANA time zone for days and labels; default the browser's. */
  @property({ attribute: 'tz', reflect: true }) tz?: string;

  /** `line` (default) or `bar`. */
  @property({ attribute: 'view', reflect: true }) view: EngagementView = 'line';

  /** Comma-separated metrics to plot: `delivered`, `opened`, `machineOpened`, `clicked`, `bounced`, `unsubscribed`. */
  @property({ attribute: 'metrics', reflect: true }) metrics = 'delivered,opened,clicked';

  /** Draw the network benchmark (dashed) for opened and clicked. */
  @property({ attribute: 'compare', type: Boolean, reflect: true }) compare = false;

  /** Update the figures from `GET /v1/live` while visible. */
  @property({ attribute: 'live', type: Boolean, reflect: true }) live = false;

  /** Show the data table instead of the chart. */
  @property({ attribute: 'table', type: Boolean, reflect: true }) table = false;

  /** API base URL, used only outside a `<dm-provider>`. */
  @property({ attribute: 'base-url' }) baseUrl?: string;

  /** Bearer token, used only outside a `<dm-provider>`. Prefer `getToken`. */
  @property({ attribute: 'token' }) token?: string;

  /** An SDK client to use instead of the provider's. */
  @property({ attribute: false }) client?: DmClient;

  /** Token callback, used only outside a `<dm-provider>`. */
  @property({ attribute: false }) getToken?: () => string | Promise<string>;

  /** `fetch` replacement for the element's own client (outside a provider). */
  @property({ attribute: false }) fetch?: FetchLike;

  /** Index of the point the keyboard (or the last click) made active; -1 for none. */
  @state() private _activeIndex = -1;

  /** Which series the arrow keys walk. */
  @state() private _activeMetric: EngagementMetric | undefined;

  @state() private _drill: Drill | null = null;
  @state() private _sort: RecipientSort = '-at';
  @state() private _moreRecipients: RecipientEngagement[] = [];
  @state() private _recipientCursor: string | null = null;
  @state() private _loadingMore = false;
  @state() private _exporting = false;
  @state() private _liveUpdatedAt: number | null = null;
  @state() private _now = Date.now();
  @state() private _announcement = '';
  @state() private _draftFrom = '';
  @state() private _draftTo = '';
  @state() private _rangeError = false;
  @state() private _paused = false;

  /** Figures currently shown (live updates change them in place). */
  get data(): { summary: EngagementSummary; series: EngagementSeries } | undefined {
    const loaded = this.#data.value;
    return loaded ? { summary: loaded.summary, series: loaded.series } : undefined;
  }

  /** Reloads the figures. */
  reload(): Promise<void> {
    return this.#data.retry();
  }

  get #tz(): string {
    return knownTimeZone(this.tz) ? this.tz : browserTimeZone();
  }

  get #interval(): EngagementInterval {
    return INTERVALS.includes(this.interval) ? this.interval : 'day';
  }

  get #metrics(): EngagementMetric[] {
    const wanted = (this.metrics ?? '').split(',').map((m) => m.trim());
    return ENGAGEMENT_METRICS.filter((m) => wanted.includes(m));
  }

  get #scopeQuery() {
    return {
      ...(this.sendId ? { sendId: this.sendId } : {}),
      ...(this.journeyId ? { journeyId: this.journeyId } : {}),
      ...(this.partnerId ? { partnerId: this.partnerId } : {}),
      ...(this.scope === 'network' ? { scope: 'network' as const } : {}),
    };
  }

  get #scopeKey(): string {
    return JSON.stringify(this.#scopeQuery);
  }

  /** The range as ISO instants (empty strings when a custom range is incomplete or reversed). */
  get #range(): { from: string; to: string } {
    const tz = this.#tz;
    if (this.range === 'custom' || (!RANGES.includes(this.range) && this.from && this.to)) {
      const from = this.from ? dateStart(tz, this.from) : null;
      const to = this.to ? dateStart(tz, this.to, 1) : null;
      if (from === null || to === null || from >= to) return { from: '', to: '' };
      return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    }
    const days = RANGE_DAYS[this.range as keyof typeof RANGE_DAYS] ?? 30;
    const { from, to } = lastDays(tz, days, this._now);
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#darkScheme?.addEventListener('change', this.#onScheme);
    if (typeof IntersectionObserver === 'function') {
      this.#observer = new IntersectionObserver((entries) => {
        const entry = entries[entries.length - 1];
        if (!entry) return;
        this.#visible = entry.isIntersecting;
        this.#syncLive();
      });
      this.#observer.observe(this);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#darkScheme?.removeEventListener('change', this.#onScheme);
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#stopLive();
    clearInterval(this.#clockTimer);
    this.#clockTimer = undefined;
    this.#chart?.destroy();
    this.#chart = undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('from') || changed.has('to')) {
      this._draftFrom = this.from ?? '';
      this._draftTo = this.to ?? '';
    }
    if (
      changed.has('sendId') ||
      changed.has('journeyId') ||
      changed.has('partnerId') ||
      changed.has('scope')
    ) {
      this._drill = null;
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.toggleState('drilldown', this._drill !== null);
    void this.#drawChart();
    this.#syncLive();
  }

  /* ------------------------------------------------------------------ chart */

  async #drawChart(): Promise<void> {
    const loaded = this.#data.value;
    const canvas = this.canvas;
    if (!loaded || this.#data.status !== 'complete' || this.table || !canvas) {
      if (this.#chart && (!canvas || this.#chart.canvas !== canvas)) {
        this.#chart.destroy();
        this.#chart = undefined;
      }
      if (!this.#chart) this.toggleState('chart-ready', false);
      return;
    }
    if (this.#chartLoading) return;
    this.#chartLoading = true;
    let module: typeof ChartSetup;
    try {
      module = await loadChart();
    } finally {
      this.#chartLoading = false;
    }
    if (!this.isConnected || this.canvas !== canvas) return;
    const view = this.view === 'bar' ? 'bar' : 'line';
    if (this.#chart && (this.#chart.canvas !== canvas || this.#chartView !== view)) {
      this.#chart.destroy();
      this.#chart = undefined;
    }
    const colors = this.#colors();
    const key = JSON.stringify([
      this.#revision,
      this.metrics,
      this.compare,
      this.resolvedLocale,
      this.#tz,
      colors,
    ]);
    if (this.#chart && this.#drawnLoad === loaded && this.#drawnKey === key) return;
    this.#drawnLoad = loaded;
    this.#drawnKey = key;
    const datasets = this.#datasets(loaded);
    if (!this.#chart) {
      this.#chart = new (module.chartClass())(canvas, {
        type: view,
        data: { datasets },
        options: this.#options(loaded),
      });
      this.#chartView = view;
    } else {
      this.#chart.data.datasets = datasets;
      this.#chart.options = this.#options(loaded);
      this.#chart.update('none');
    }
    this.toggleState('chart-ready', true);
  }

  /** Redraws on the next frame (live updates arrive in bursts). */
  #queueDraw(): void {
    if (this.#drawQueued) return;
    this.#drawQueued = true;
    requestAnimationFrame(() => {
      this.#drawQueued = false;
      this.requestUpdate();
    });
  }

  #colors(): Record<EngagementMetric | 'grid' | 'axis' | 'surface' | 'text', string> {
    const style = getComputedStyle(this);
    const read = (name: string) => style.getPropertyValue(name).trim();
    const out = {} as Record<EngagementMetric | 'grid' | 'axis' | 'surface' | 'text', string>;
    for (const m of ENGAGEMENT_METRICS) out[m] = read(COLOR_PROPERTY[m]);
    out.grid = read('--_color-grid');
    out.axis = read('--_color-axis');
    out.surface = read('--dm-color-surface-raised');
    out.text = read('--dm-color-text');
    return out;
  }

  #datasets(loaded: Loaded): ChartDataset<'line' | 'bar', { x: number; y: number }[]>[] {
    const colors = this.#colors();
    const points = loaded.series.points;
    const many = points.length > 200;
    const bar = this.view === 'bar';
    const sets: ChartDataset<'line' | 'bar', { x: number; y: number }[]>[] = [];
    for (const metric of this.#metrics) {
      const field = METRIC_FIELD[metric];
      sets.push({
        label: this.t(`engagement.metric.${metric}`),
        data: points.map((p, i) => ({ x: i, y: p[field] })),
        borderColor: colors[metric],
        backgroundColor: colors[metric],
        pointStyle: POINT_STYLE[metric],
        pointRadius: many || bar ? 0 : 3,
        pointHoverRadius: 5,
        borderWidth: 2,
        tension: 0,
        parsing: false,
        normalized: true,
      } as ChartDataset<'line' | 'bar', { x: number; y: number }[]>);
    }
    if (this.compare) {
      const network = loaded.summary.network;
      for (const metric of ['opened', 'clicked'] as const) {
        const rate = metric === 'opened' ? network?.open : network?.click;
        if (!this.#metrics.includes(metric) || rate === null || rate === undefined) continue;
        sets.push({
          type: 'line',
          label: this.t('engagement.network', { metric: this.t(`engagement.metric.${metric}`) }),
          data: points.map((p, i) => ({ x: i, y: Math.round(p.uniqueDelivered * rate * 10) / 10 })),
          borderColor: colors[metric],
          backgroundColor: colors[metric],
          borderDash: [6, 4],
          borderWidth: 2,
          pointRadius: 0,
          pointStyle: POINT_STYLE[metric],
          parsing: false,
          normalized: true,
        } as ChartDataset<'line', { x: number; y: number }[]>);
      }
    }
    return sets;
  }

  #options(loaded: Loaded) {
    const colors = this.#colors();
    const bar = this.view === 'bar';
    // Tick labels are formatted on demand: formatting 100,000 dates up front takes seconds.
    const label = this.#tickFormatter(loaded);
    const reduced = this.#reducedMotion?.matches ?? false;
    const points = loaded.series.points.length;
    const font = { family: getComputedStyle(this).getPropertyValue('--dm-font-family').trim() || undefined };
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduced || points > 1000 ? (false as const) : { duration: 300 },
      parsing: false as const,
      normalized: true,
      interaction: { mode: 'index' as const, intersect: false },
      onClick: (event: ChartEvent, elements: ActiveElement[]) => this.#onChartClick(event, elements),
      scales: {
        x: {
          type: bar ? ('category' as const) : ('linear' as const),
          labels: bar ? loaded.series.points.map((_, i) => label(i)) : undefined,
          offset: bar,
          min: bar ? undefined : 0,
          max: bar ? undefined : Math.max(0, points - 1),
          grid: { color: colors.grid },
          ticks: {
            color: colors.axis,
            font,
            maxRotation: 0,
            autoSkip: true,
            callback: (value: string | number, index: number) =>
              label(bar ? index : Math.round(Number(value))),
          },
        },
        y: {
          type: 'linear' as const,
          beginAtZero: true,
          grid: { color: colors.grid },
          ticks: { color: colors.axis, font, precision: 0 },
        },
      },
      plugins: {
        legend: { labels: { color: colors.text, font, usePointStyle: true } },
        tooltip: {
          callbacks: {
            title: (items: { dataIndex: number }[]) => this.#fullLabel(loaded, items[0]?.dataIndex ?? 0),
          },
        },
        decimation: { enabled: !bar && points > 1000, algorithm: 'lttb' as const, samples: 1000 },
      },
    };
  }

  /** Short bucket labels (`Mar 3`, `Mar 2026`), formatted when first asked for. */
  #tickFormatter(loaded: Loaded): (index: number) => string {
    const format = new Intl.DateTimeFormat(this.resolvedLocale, {
      timeZone: this.#tz,
      ...(loaded.series.interval === 'month'
        ? { year: 'numeric', month: 'short' }
        : { month: 'short', day: 'numeric' }),
    });
    const cache = new Map<number, string>();
    return (index) => {
      let text = cache.get(index);
      if (text === undefined) {
        const point = loaded.series.points[index];
        text = point ? format.format(Date.parse(point.at)) : '';
        cache.set(index, text);
      }
      return text;
    };
  }

  #fullLabel(loaded: Loaded, index: number): string {
    const point = loaded.series.points[index];
    if (!point) return '';
    const format = new Intl.DateTimeFormat(this.resolvedLocale, {
      timeZone: this.#tz,
      ...(loaded.series.interval === 'month' ? { year: 'numeric', month: 'long' } : { dateStyle: 'medium' }),
    });
    const label = format.format(Date.parse(point.at));
    return loaded.series.interval === 'week' ? this.t('engagement.weekOf', { date: label }) : label;
  }

  /* ------------------------------------------------------- keyboard, drill */

  #onChartClick(_event: ChartEvent, elements: ActiveElement[]): void {
    const loaded = this.#data.value;
    const hit = elements[0];
    if (!loaded || !hit) return;
    const set = this.#chart?.data.datasets[hit.datasetIndex];
    const metric =
      this.#metrics.find((m) => this.t(`engagement.metric.${m}`) === set?.label) ?? this.#metrics[0];
    if (!metric) return;
    // With decimation the element is one of the kept points; its x is the bucket index.
    const point = (set?.data as { x: number }[] | undefined)?.[hit.index];
    const index = point ? point.x : hit.index;
    this._activeIndex = index;
    this._activeMetric = metric;
    this.#openDrill(index, metric);
  }

  #onChartKeydown(event: KeyboardEvent): void {
    const loaded = this.#data.value;
    const metrics = this.#metrics;
    if (!loaded || metrics.length === 0) return;
    const count = loaded.series.points.length;
    let index = this._activeIndex < 0 ? 0 : this._activeIndex;
    let metric =
      this._activeMetric && metrics.includes(this._activeMetric) ? this._activeMetric : metrics[0]!;
    const rtl = getComputedStyle(this).direction === 'rtl';
    const step = event.shiftKey || event.key === 'PageUp' || event.key === 'PageDown' ? 7 : 1;
    switch (event.key) {
      case 'ArrowRight':
        index = this._activeIndex < 0 ? 0 : index + (rtl ? -1 : 1);
        break;
      case 'ArrowLeft':
        index = this._activeIndex < 0 ? 0 : index - (rtl ? -1 : 1);
        break;
      case 'PageDown':
        index += step;
        break;
      case 'PageUp':
        index -= step;
        break;
      case 'Home':
        index = 0;
        break;
      case 'End':
        index = count - 1;
        break;
      case 'ArrowDown':
      case 'ArrowUp': {
        const at = metrics.indexOf(metric);
        metric = metrics[(at + (event.key === 'ArrowDown' ? 1 : metrics.length - 1)) % metrics.length]!;
        break;
      }
      case 'Enter':
      case ' ':
        if (this._activeIndex >= 0) {
          event.preventDefault();
          this.#openDrill(this._activeIndex, metric);
        }
        return;
      case 'Escape':
        if (this._activeIndex >= 0) {
          event.preventDefault();
          this._activeIndex = -1;
          this.#chart?.setActiveElements([]);
          this.#chart?.tooltip?.setActiveElements([], { x: 0, y: 0 });
          this.#chart?.update('none');
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    index = Math.max(0, Math.min(count - 1, index));
    this._activeIndex = index;
    this._activeMetric = metric;
    this.#showActive(loaded, index, metric);
  }

  #showActive(loaded: Loaded, index: number, metric: EngagementMetric): void {
    const point = loaded.series.points[index];
    if (!point) return;
    this._announcement = this.t('engagement.point', {
      date: this.#fullLabel(loaded, index),
      metric: this.t(`engagement.metric.${metric}`),
      value: this.localize.number(point[METRIC_FIELD[metric]]),
    });
    const chart = this.#chart;
    if (!chart) return;
    const datasetIndex = this.#metrics.indexOf(metric);
    const data = (chart.data.datasets[datasetIndex]?.data ?? []) as { x: number }[];
    const elementIndex = nearestByX(data, index);
    const active = [{ datasetIndex, index: elementIndex }];
    chart.setActiveElements(active);
    const element = chart.getDatasetMeta(datasetIndex).data[elementIndex];
    chart.tooltip?.setActiveElements(active, { x: element?.x ?? 0, y: element?.y ?? 0 });
    chart.update('none');
  }

  #openDrill(index: number, metric: EngagementMetric): void {
    const loaded = this.#data.value;
    const point = loaded?.series.points[index];
    if (!loaded || !point) return;
    const from = new Date(loaded.edges[index]!).toISOString();
    const to = new Date(loaded.edges[index + 1]!).toISOString();
    if (!this.emit(new DmDrilldownEvent({ at: point.at, metric }))) return;
    this._moreRecipients = [];
    this._recipientCursor = null;
    this._drill = { index, metric, at: point.at, from, to };
  }

  #recipientQuery(drill: Drill, sort: RecipientSort, cursor?: string) {
    return {
      ...this.#scopeQuery,
      from: drill.from,
      to: drill.to,
      tz: this.#tz,
      metric: RECIPIENT_METRIC[drill.metric] as 'opened',
      sort,
      limit: 25,
      ...(cursor ? { cursor } : {}),
    };
  }

  async #loadMoreRecipients(): Promise<void> {
    const client = this.#client.value;
    const drill = this._drill;
    const cursor = this._recipientCursor;
    if (!client || !drill || !cursor || this._loadingMore) return;
    this._loadingMore = true;
    try {
      const page = await client.engagement.recipients(this.#recipientQuery(drill, this._sort, cursor));
      if (this._drill !== drill) return;
      this._moreRecipients = [...this._moreRecipients, ...page.items];
      this._recipientCursor = page.nextCursor;
    } catch {
      this._announcement = this.t('engagement.drill.loadError');
    } finally {
      this._loadingMore = false;
    }
  }

  /** Every recipient of the open drill-down (all pages, up to {@link EXPORT_ROW_LIMIT}) as CSV text. */
  async recipientsCsv(): Promise<string> {
    const client = this.#client.value;
    const drill = this._drill;
    if (!client || !drill) return recipientsCsv([]);
    const rows: RecipientEngagement[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.engagement.recipients({
        ...this.#recipientQuery(drill, this._sort, cursor),
        limit: 100,
      });
      rows.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && rows.length < EXPORT_ROW_LIMIT);
    return recipientsCsv(rows.slice(0, EXPORT_ROW_LIMIT));
  }

  async #export(): Promise<void> {
    const drill = this._drill;
    if (!drill || this._exporting) return;
    this._exporting = true;
    try {
      const csv = await this.recipientsCsv();
      const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `engagement-${drill.metric}-${localDate(this.#tz, Date.parse(drill.at))}.csv`;
      link.rel = 'noopener';
      link.style.display = 'none';
      this.renderRoot.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      this._announcement = this.t('engagement.drill.exportError');
    } finally {
      this._exporting = false;
    }
  }

  #closeDrill(): void {
    this._drill = null;
    void this.updateComplete.then(() => this.chartArea?.focus());
  }

  #toggleSort(column: 'email' | 'at'): void {
    const current = this._sort;
    this._sort =
      column === 'email' ? (current === 'email' ? '-email' : 'email') : current === '-at' ? 'at' : '-at';
  }

  /* ------------------------------------------------------------------- live */

  readonly #onVisibility = () => this.#syncLive();

  readonly #onScheme = () => this.requestUpdate();

  #syncLive(): void {
    const client = this.#client.value;
    const hidden = document.visibilityState === 'hidden' || !this.#visible;
    const wanted = this.live && this.isConnected && !!client;
    const paused = wanted && hidden;
    this.toggleState('paused', paused);
    if (paused !== this._paused) this._paused = paused;
    if (wanted && !hidden) {
      if (!this.#liveStop) this.#startLive(client!);
    } else {
      this.#stopLive();
    }
    if (this.live && this.isConnected && !this.#clockTimer) {
      this.#clockTimer = setInterval(() => (this._now = Date.now()), 10_000);
    } else if ((!this.live || !this.isConnected) && this.#clockTimer) {
      clearInterval(this.#clockTimer);
      this.#clockTimer = undefined;
    }
  }

  #startLive(client: DmClient): void {
    this.toggleState('live', true);
    this.#liveStop = client.live.subscribe({
      ...(this.#lastEventId ? { lastEventId: this.#lastEventId } : {}),
      onEvent: (event, meta) => {
        this.#lastEventId = meta.id;
        this.#onLiveEvent(event);
      },
    });
  }

  #stopLive(): void {
    this.#liveStop?.();
    this.#liveStop = undefined;
    this.toggleState('live', false);
  }

  #onLiveEvent(event: LiveEvent): void {
    if (event.type === 'resync') {
      void this.#data.retry();
      return;
    }
    if (event.type !== 'engagement') return;
    const loaded = this.#data.value;
    if (!loaded) return;
    if (this.sendId && event.sendId !== this.sendId) return;
    if (this.journeyId && event.journeyId !== this.journeyId) return;
    if (this.partnerId && event.partnerId !== this.partnerId) return;
    const t = Date.parse(event.at);
    const { edges } = loaded;
    if (!(t >= edges[0]! && t < edges[edges.length - 1]!)) return;
    let index = 0;
    while (index + 1 < edges.length - 1 && t >= edges[index + 1]!) index += 1;
    const point = loaded.series.points[index];
    if (!point) return;
    let unique = event.unique;
    if (unique === undefined) {
      const key = `${event.sendId}/${event.contactId}/${event.event}/${event.machine}`;
      unique = !this.#unique.has(key);
      this.#unique.add(key);
    }
    for (const totals of [point, loaded.summary.totals])
      applyEvent(totals, event.event, event.machine, unique);
    loaded.summary.rates = rates(loaded.summary.totals);
    // The status (empty or complete) is derived from the counts, so it follows without a request.
    this.#revision += 1;
    this._liveUpdatedAt = Date.now();
    this._now = Date.now();
    this.#queueDraw();
  }

  /* ----------------------------------------------------------------- range */

  #emitRange(): void {
    const { from, to } = this.#range;
    if (from && to) this.emit(new DmRangeChangeEvent({ from, to, interval: this.#interval }));
  }

  #onRangeChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value as EngagementRange;
    if (value === 'custom') {
      const { from, to } = this.#range;
      this._draftFrom = this.from ?? (from ? localDate(this.#tz, Date.parse(from)) : '');
      this._draftTo = this.to ?? (to ? localDate(this.#tz, Date.parse(to) - 1) : '');
      this.from = this._draftFrom;
      this.to = this._draftTo;
    }
    this.range = value;
    this.#emitRange();
  }

  #applyCustom(): void {
    const from = dateStart(this.#tz, this._draftFrom);
    const to = dateStart(this.#tz, this._draftTo);
    if (from === null || to === null || from > to) {
      this._rangeError = true;
      return;
    }
    this._rangeError = false;
    this.from = this._draftFrom;
    this.to = this._draftTo;
    this.#emitRange();
  }

  #onIntervalChange(event: Event): void {
    this.interval = (event.target as HTMLSelectElement).value as EngagementInterval;
    this.#emitRange();
  }

  #onMetricToggle(metric: EngagementMetric, on: boolean): void {
    const set = new Set(this.#metrics);
    if (on) set.add(metric);
    else set.delete(metric);
    this.metrics = ENGAGEMENT_METRICS.filter((m) => set.has(m)).join(',');
  }

  /* ---------------------------------------------------------------- render */

  #renderControls() {
    const range = RANGES.includes(this.range) ? this.range : '30d';
    return html`<div part="header" class="header">
        <div class="field">
          <label for="range">${this.t('engagement.range')}</label>
          <select id="range" part="range-select" class="control" @change=${this.#onRangeChange}>
            ${RANGES.map((r) => html`<option value=${r} ?selected=${r === range}>${this.t(`engagement.range.${r}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="interval">${this.t('engagement.interval')}</label>
          <select id="interval" part="interval-select" class="control" @change=${this.#onIntervalChange}>
            ${INTERVALS.map(
              (i) =>
                html`<option value=${i} ?selected=${i === this.#interval}>
                  ${this.t(`engagement.interval.${i}`)}
                </option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="view">${this.t('engagement.view')}</label>
          <select
            id="view"
            part="view-select"
            class="control"
            @change=${(e: Event) => (this.view = (e.target as HTMLSelectElement).value as EngagementView)}
          >
            ${(['line', 'bar'] as const).map(
              (v) =>
                html`<option value=${v} ?selected=${v === this.view}>
                  ${this.t(`engagement.view.${v}`)}
                </option>`,
            )}
          </select>
        </div>
      </div>
      ${range === 'custom' ? this.#renderCustomRange() : nothing}
      <fieldset part="metrics" class="metrics">
        <legend>${this.t('engagement.metrics')}</legend>
        ${ENGAGEMENT_METRICS.map(
          (m) =>
            html`<label class="metric">
              <input
                type="checkbox"
                name="metric"
                value=${m}
                .checked=${live(this.#metrics.includes(m))}
                @change=${(e: Event) => this.#onMetricToggle(m, (e.target as HTMLInputElement).checked)}
              />
              <span class=${`swatch swatch--${m}`} aria-hidden="true"></span>
              ${this.t(`engagement.metric.${m}`)}
            </label>`,
        )}
      </fieldset>`;
  }

  #renderCustomRange() {
    return html`<div class="custom-range">
      <div class="field">
        <label for="from">${this.t('engagement.from')}</label>
        <input
          id="from"
          part="from-input"
          class="control"
          type="date"
          .value=${live(this._draftFrom)}
          @input=${(e: Event) => (this._draftFrom = (e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for="to">${this.t('engagement.to')}</label>
        <input
          id="to"
          part="to-input"
          class="control"
          type="date"
          .value=${live(this._draftTo)}
          @input=${(e: Event) => (this._draftTo = (e.target as HTMLInputElement).value)}
        />
      </div>
      <button class="button" type="button" @click=${this.#applyCustom}>${this.t('engagement.apply')}</button>
      ${this._rangeError ? html`<p class="range-error" role="alert">${this.t('engagement.invalidRange')}</p>` : nothing}
    </div>`;
  }

  #renderToolbar() {
    return html`<div part="toolbar" class="toolbar">
      <label class="metric">
        <input
          part="compare-toggle"
          type="checkbox"
          .checked=${live(this.compare)}
          @change=${(e: Event) => (this.compare = (e.target as HTMLInputElement).checked)}
        />
        ${this.t('engagement.compare')}
      </label>
      <button
        part="table-toggle"
        class="button"
        type="button"
        aria-pressed=${this.table ? 'true' : 'false'}
        @click=${() => (this.table = !this.table)}
      >
        ${this.t('engagement.showTable')}
      </button>
      <span class="spacer"></span>
      ${this.live ? this.#renderLiveIndicator() : nothing}
    </div>`;
  }

  #renderLiveIndicator() {
    let text: string;
    if (this._paused) text = this.t('engagement.paused');
    else if (this._liveUpdatedAt === null) text = this.t('engagement.liveWaiting');
    else {
      const seconds = Math.max(0, Math.round((this._now - this._liveUpdatedAt) / 1000));
      text =
        seconds < 10
          ? this.t('engagement.updatedJustNow')
          : this.t('engagement.updated', { time: relativeTime(this.resolvedLocale, seconds) });
    }
    return html`<span part="live-indicator" class="live-indicator">
      <span class="live-dot" aria-hidden="true"></span>${text}
    </span>`;
  }

  #renderTiles(loaded: Loaded) {
    const { totals, rates: r, network } = loaded.summary;
    const percent = (v: number | null) =>
      v === null ? '—' : this.localize.number(v, { style: 'percent', maximumFractionDigits: 1 });
    const bench = (v: number | null | undefined) =>
      this.compare && network && v !== null && v !== undefined
        ? html`<span class="benchmark">${this.t('engagement.summary.network', { rate: percent(v) })}</span>`
        : nothing;
    const tile = (label: string, value: unknown, extra: unknown = nothing) =>
      html`<div class="tile">
        <dt>${label}</dt>
        <dd>${value}${extra}</dd>
      </div>`;
    return html`<dl part="tiles" class="tiles">
      ${tile(this.t('engagement.summary.delivered'), this.localize.number(totals.delivered))}
      ${tile(this.t('engagement.summary.openRate'), percent(r.open), bench(network?.open))}
      ${tile(this.t('engagement.summary.clickRate'), percent(r.click), bench(network?.click))}
      ${tile(this.t('engagement.summary.machineOpens'), this.localize.number(totals.uniqueMachineOpens))}
      ${tile(this.t('engagement.summary.bounces'), this.localize.number(totals.bounces))}
      ${tile(this.t('engagement.summary.unsubscribes'), this.localize.number(totals.unsubscribes))}
    </dl>`;
  }

  #summaryText(loaded: Loaded): string {
    const points = loaded.series.points;
    const metric = this.#metrics.find((m) => m === 'opened') ?? this.#metrics[0];
    if (!metric || points.length === 0) return '';
    const field = METRIC_FIELD[metric];
    const first = points[0]![field];
    const last = points[points.length - 1]![field];
    const period = this.t(`engagement.period.${loaded.series.interval}`, { count: points.length });
    const name = this.t(`engagement.metric.${metric}`);
    const total = points.reduce((sum, p) => sum + p[field], 0);
    const key: TranslationKey =
      last > first
        ? 'engagement.trend.rose'
        : last < first
          ? 'engagement.trend.fell'
          : 'engagement.trend.flat';
    return `${this.t(key, { metric: name, from: first, to: last, period })} ${this.t(
      'engagement.trend.total',
      {
        metric: name,
        total,
      },
    )}`;
  }

  #renderChart(loaded: Loaded) {
    const summary = this.#summaryText(loaded);
    const network = loaded.summary.network;
    const hidden =
      this.compare &&
      (!network || network.open === null) &&
      (this.#metrics.includes('opened') || this.#metrics.includes('clicked'));
    return html`${this.#renderTiles(loaded)}
      <p part="summary" class="summary-text" id="chart-summary">${summary}</p>
      ${hidden ? html`<p class="note">${this.t('engagement.networkHidden')}</p>` : nothing}
      ${
        this.table
          ? this.#renderTable(loaded)
          : html`<div
              part="chart"
              class="chart"
              role="application"
              tabindex="0"
              aria-roledescription=${this.t('engagement.chartRole')}
              aria-label=${this.t('engagement.chartLabel')}
              aria-describedby="chart-summary"
              @keydown=${this.#onChartKeydown}
            >
              <canvas part="canvas" aria-hidden="true"></canvas>
            </div>`
      }`;
  }

  #renderTable(loaded: Loaded) {
    const metrics = this.#metrics;
    const points = loaded.series.points;
    const shown = points.slice(0, TABLE_ROW_LIMIT);
    return html`<div class="table-wrap">
        <table part="table">
          <caption>
            ${this.t('engagement.table.caption', { interval: this.t(`engagement.interval.${loaded.series.interval}`) })}
          </caption>
          <thead>
            <tr>
              <th scope="col">${this.t('engagement.table.period')}</th>
              ${metrics.map((m) => html`<th scope="col">${this.t(`engagement.metric.${m}`)}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (p: EngagementPoint, i) =>
                html`<tr>
                  <th scope="row">${this.#fullLabel(loaded, i)}</th>
                  ${metrics.map((m) => html`<td>${this.localize.number(p[METRIC_FIELD[m]])}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        points.length > shown.length
          ? html`<p class="note">
              ${this.t('engagement.table.truncated', { shown: shown.length, total: points.length })}
            </p>`
          : nothing
      }`;
  }

  #renderDrill(drill: Drill) {
    const loaded = this.#data.value;
    const date = loaded ? this.#fullLabel(loaded, drill.index) : drill.at;
    const page = this.#recipients.value;
    const rows =
      this.#recipients.status === 'complete' && page ? [...page.items, ...this._moreRecipients] : [];
    const sortState = (column: 'email' | 'at') => {
      if (column === 'email')
        return this._sort === 'email' ? 'ascending' : this._sort === '-email' ? 'descending' : 'none';
      return this._sort === 'at' ? 'ascending' : this._sort === '-at' ? 'descending' : 'none';
    };
    const when = new Intl.DateTimeFormat(this.resolvedLocale, {
      timeZone: this.#tz,
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    const flags = (r: RecipientEngagement) =>
      (['delivered', 'opened', 'machineOpened', 'clicked', 'bounced', 'unsubscribed'] as const)
        .filter((f) => r[f])
        .map((f) => html`<span class=${`flag flag--${f}`}>${this.t(`engagement.metric.${f}`)}</span>`);
    return html`<section part="drilldown" class="drilldown" aria-labelledby="drill-title">
      <div class="drilldown__header">
        <h3 id="drill-title" class="drilldown__title">
          ${this.t('engagement.drill.title', { metric: this.t(`engagement.metric.${drill.metric}`), date })}
        </h3>
        <button
          part="export-button"
          class="button"
          type="button"
          aria-disabled=${this._exporting || rows.length === 0 ? 'true' : 'false'}
          @click=${() => (this._exporting || rows.length === 0 ? undefined : void this.#export())}
        >
          ${this._exporting ? this.t('engagement.drill.exporting') : this.t('engagement.drill.export')}
        </button>
        <button part="close-button" class="button" type="button" @click=${this.#closeDrill}>
          ${this.t('engagement.drill.close')}
        </button>
      </div>
      ${renderStates(this.#recipients, this.localize, {
        pending: () => html`<div class="skeleton"></div>`,
        error: (error, retry) => defaultError(this.localize, error, retry),
        empty: () => html`<p class="state__message">${this.t('engagement.drill.empty')}</p>`,
        complete: (first) =>
          html`<p class="note">${this.t('engagement.drill.count', { count: first.total })}</p>
            <div class="table-wrap">
              <table part="recipients-table">
                <thead>
                  <tr>
                    <th scope="col" aria-sort=${sortState('email')}>
                      <button class="sort-button" type="button" @click=${() => this.#toggleSort('email')}>
                        ${this.t('engagement.col.recipient')}
                      </button>
                    </th>
                    <th scope="col" aria-sort=${sortState('at')}>
                      <button class="sort-button" type="button" @click=${() => this.#toggleSort('at')}>
                        ${this.t('engagement.col.when')}
                      </button>
                    </th>
                    <th scope="col">${this.t('engagement.col.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${repeat(
                    rows,
                    (r) => `${r.sendId}/${r.contactId}`,
                    (r) =>
                      html`<tr>
                        <th scope="row">
                          ${r.name ?? r.email}${r.name ? html` <span class="muted">${r.email}</span>` : nothing}
                        </th>
                        <td><time datetime=${r.at}>${when.format(Date.parse(r.at))}</time></td>
                        <td><span class="flags">${flags(r)}</span></td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${
              this._recipientCursor
                ? html`<div>
                    <button
                      part="load-more-button"
                      class="button"
                      type="button"
                      aria-disabled=${this._loadingMore ? 'true' : 'false'}
                      @click=${() => void this.#loadMoreRecipients()}
                    >
                      ${this._loadingMore ? this.t('state.loadingMore') : this.t('engagement.drill.loadMore')}
                    </button>
                  </div>`
                : nothing
            }`,
        announceComplete: (first) => this.t('engagement.drill.count', { count: first.total }),
        announceEmpty: () => this.t('engagement.drill.empty'),
      })}
    </section>`;
  }

  protected override render() {
    return html`<section
      part="base"
      class="base"
      lang=${this.resolvedLocale}
      aria-label=${this.t('engagement.label')}
    >
      <slot name="header"></slot>
      ${this.#renderControls()} ${this.#renderToolbar()}
      <div class="body">
        ${renderStates(this.#data, this.localize, {
          initial: () =>
            this.#client.source === 'none'
              ? html`<p class="state state--initial">${this.t('error.noClient')}</p>`
              : !this.#range.from
                ? html`<p class="state state--initial">${this.t('engagement.invalidRange')}</p>`
                : nothing,
          pending: () => html`<div class="skeleton"></div>`,
          error: (error, retry) => defaultError(this.localize, error, retry),
          empty: () => html`<p class="state__message">${this.t('engagement.empty')}</p>`,
          complete: (loaded) => this.#renderChart(loaded),
          announceComplete: (loaded) => this.#summaryText(loaded),
          announceEmpty: () => this.t('engagement.empty'),
        })}
      </div>
      ${this._drill ? this.#renderDrill(this._drill) : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>
    </section>`;
  }
}

/** Index of the point whose `x` is closest to `x` (data sorted by `x`; decimated data skips some). */
function nearestByX(data: readonly { x: number }[], x: number): number {
  let lo = 0;
  let hi = data.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (data[mid]!.x < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(data[lo - 1]!.x - x) < Math.abs((data[lo]?.x ?? Infinity) - x)) return lo - 1;
  return lo;
}

/** Adds one live event to a bucket's or the summary's counts. */
function applyEvent(t: EngagementTotals, type: string, machine: boolean, unique: boolean): void {
  switch (type) {
    case 'sent':
      t.sent += 1;
      break;
    case 'delivered':
      t.delivered += 1;
      if (unique) t.uniqueDelivered += 1;
      break;
    case 'open':
      if (machine) {
        t.machineOpens += 1;
        if (unique) t.uniqueMachineOpens += 1;
      } else {
        t.opens += 1;
        if (unique) t.uniqueOpens += 1;
      }
      break;
    case 'click':
      if (machine) t.machineClicks += 1;
      else {
        t.clicks += 1;
        if (unique) t.uniqueClicks += 1;
      }
      break;
    case 'bounce':
      t.bounces += 1;
      break;
    case 'complaint':
      t.complaints += 1;
      break;
    case 'unsubscribe':
      t.unsubscribes += 1;
      break;
  }
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

/** The rates of the summary, as the server computes them. */
function rates(t: EngagementTotals): EngagementSummary['rates'] {
  return {
    delivery: ratio(t.delivered, t.sent),
    open: ratio(t.uniqueOpens, t.uniqueDelivered),
    click: ratio(t.uniqueClicks, t.uniqueDelivered),
    bounce: ratio(t.bounces, t.sent),
    unsubscribe: ratio(t.unsubscribes, t.uniqueDelivered),
  };
}

/** "2 minutes ago" in `locale`. */
function relativeTime(locale: string, seconds: number): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (seconds < 60) return format.format(-seconds, 'second');
  if (seconds < 3600) return format.format(-Math.floor(seconds / 60), 'minute');
  if (seconds < 86_400) return format.format(-Math.floor(seconds / 3600), 'hour');
  return format.format(-Math.floor(seconds / 86_400), 'day');
}
