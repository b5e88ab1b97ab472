/**
 * The browser side of `bench/chart.bench.ts`: `<dm-engagement-chart>` against Chart.js used directly,
 * on the same figures. `window.chartBench.run(kind, setups, warmup)` draws a chart of each setup for the
 * first time, updates it to other series, and reports how long each took and the longest task of each.
 *
 * The element gets generated figures (`engagementFetch` in engagement-data.ts, run by the bench, its
 * answers served beside the page) through an SDK client: each request is answered with a `Response` of the
 * prepared bytes in a task of its own, as `fetch` would, without delay. So the figures leave out
 * generating the data (the server's work) but include reading, parsing and checking it (the client's).
 * Chart.js gets the same points as objects in memory, in its internal format (`parsing: false`).
 */
import type { Chart, ChartConfiguration, ChartDataset, Plugin } from 'chart.js';
import type { EngagementPoint, EngagementSeries } from '../../src/contract/index.js';
import { DmEngagementChart } from '../../src/elements/engagement-chart/define.js';
import {
  loadChart,
  METRIC_FIELD as FIELD,
  type EngagementMetric,
} from '../../src/elements/engagement-chart/engagement-chart.js';
import { define } from '../../src/internal/define.js';
import { createClient, type DmClient, type FetchLike } from '../../src/sdk/index.js';
import { themeDeclarations } from '../../src/styles/tokens.js';

export type Kind = 'element' | 'raw';

/** What a run draws: `points` daily points of `metrics`, then the `next` metrics (as many, one swapped). */
export interface Setup {
  points: number;
  metrics: EngagementMetric[];
  next: EngagementMetric[];
}

const BASE_URL = 'https://dm.example';

export interface RunResult {
  /** From inserting the element (or `new Chart`) to the first frame after the chart was drawn. */
  firstMs: number;
  /** The same, to the moment the chart was drawn (`chart-ready`), before that frame. */
  firstDrawnMs: number;
  /** From changing the series to the first frame after the chart was redrawn. */
  updateMs: number;
  updateDrawnMs: number;
  /** Longest task of each phase (PerformanceObserver `longtask`: only tasks of 50 ms or more; 0 = none). */
  firstTaskMs: number;
  updateTaskMs: number;
  /** What was drawn, as a check: canvas size, datasets, points per dataset given and drawn. */
  canvas: string;
  datasets: number;
  points: number;
  drawnPoints: number;
}

/* ------------------------------------------------------------------ data */

interface Prepared {
  client: DmClient;
  /** The series' points, parsed when first asked for (the raw chart's data). */
  points(): EngagementPoint[];
}

/**
 * A client whose answers are the story mock's for `points` daily points (`engagement/<points>/*.json`,
 * made by the bench), fetched before the clock starts.
 */
async function prepare(points: number): Promise<Prepared> {
  const bodies = new Map<string, ArrayBuffer>();
  for (const name of ['summary', 'series']) {
    const response = await fetch(`./engagement/${points}/${name}.json`);
    if (!response.ok) throw new Error(`no prepared ${name} of ${points} points`);
    bodies.set(`/v1/engagement/${name}`, await response.arrayBuffer());
  }
  const respond = (body: ArrayBuffer) =>
    new Response(body, { headers: { 'content-type': 'application/json' } });
  // The first answer to each path is made ahead too (copying 24 MB into a Response is the mock's work).
  const ready = new Map([...bodies].map(([path, body]) => [path, respond(body)]));
  const answer: FetchLike = async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = bodies.get(url.pathname);
    if (body === undefined) throw new Error(`the bench answers no ${url.pathname}`);
    const response = ready.get(url.pathname) ?? respond(body);
    ready.delete(url.pathname);
    await new Promise((resolve) => setTimeout(resolve, 0));
    return response;
  };
  let parsed: EngagementPoint[] | undefined;
  return {
    client: createClient({ baseUrl: BASE_URL, fetch: answer, retry: { limit: 0 } }),
    points: () =>
      (parsed ??= (
        JSON.parse(new TextDecoder().decode(bodies.get('/v1/engagement/series'))) as EngagementSeries
      ).points),
  };
}

/* --------------------------------------------------------------- drawing */

/** Every chart render (Chart.js's `afterRender`), for whoever waits for one. */
const renderWaiters = new Set<(chart: Chart) => void>();
const renderWatch: Plugin = {
  id: 'benchRenderWatch',
  afterRender(chart) {
    for (const waiter of [...renderWaiters]) waiter(chart);
  },
};

/** Resolves at the next render of a chart that `matches`. */
function nextRender(matches: (chart: Chart) => boolean, what: string): Promise<Chart> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      renderWaiters.delete(waiter);
      reject(new Error(`no render of ${what} within 30 s`));
    }, 30_000);
    const waiter = (chart: Chart) => {
      if (!matches(chart)) return;
      clearTimeout(deadline);
      renderWaiters.delete(waiter);
      resolve(chart);
    };
    renderWaiters.add(waiter);
  });
}

let chartJsLoaded: Promise<typeof Chart> | undefined;

/**
 * Chart.js as the element loads it (on demand, with the parts it registers: one registry serves both
 * kinds of chart), with the render watch added.
 */
function chartJs(): Promise<typeof Chart> {
  chartJsLoaded ??= loadChart().then((module) => {
    const chart = module.chartClass();
    chart.register(renderWatch);
    return chart;
  });
  return chartJsLoaded;
}

/** Resolves after the next frame has been painted. */
const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

const colors = ['#59636e', '#0969da', '#9a6700', '#d1242f', '#1f2328'];

/** Chart.js's options for what the element draws (line view, no animation: see `run()`). */
function rawConfig(points: EngagementPoint[], metrics: EngagementMetric[]): ChartConfiguration<'line'> {
  return {
    type: 'line',
    data: { datasets: rawDatasets(points, metrics) },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { type: 'linear', min: 0, max: Math.max(0, points.length - 1), ticks: { maxRotation: 0 } },
        y: { type: 'linear', beginAtZero: true, ticks: { precision: 0 } },
      },
      plugins: {
        legend: { labels: { usePointStyle: true } },
        decimation: { enabled: points.length > 1000, algorithm: 'lttb', samples: 1000 },
      },
    },
  };
}

function rawDatasets(points: EngagementPoint[], metrics: EngagementMetric[]): ChartDataset<'line'>[] {
  return metrics.map((metric, i) => ({
    label: metric,
    data: points.map((p, x) => ({ x, y: p[FIELD[metric]] })),
    borderColor: colors[i % colors.length],
    backgroundColor: colors[i % colors.length],
    pointRadius: points.length > 200 ? 0 : 3,
    borderWidth: 2,
  }));
}

/** A chart of either kind on `host`, drawn once; `update()` switches it to the `next` series. */
interface Drawn {
  chart: Chart;
  /** When the clock started: just before inserting the element, or just before `new Chart`. */
  start: number;
  update(): Promise<Chart>;
  remove(): void;
}

async function drawElement(host: HTMLElement, setup: Setup, prepared: Prepared): Promise<Drawn> {
  const el = document.createElement('dm-engagement-chart');
  el.client = prepared.client;
  el.metrics = setup.metrics.join(',');
  const ours = (chart: Chart) => !!el.shadowRoot?.contains(chart.canvas);
  const rendered = nextRender(ours, 'the element');
  const start = performance.now();
  host.append(el);
  const chart = await rendered;
  // The element sets the state right after Chart.js's first render, in the same task.
  if (!el.matches(':state(chart-ready)')) throw new Error('drawn, but no chart-ready state');
  return {
    chart,
    start,
    update: () => {
      // The element hands Chart.js new datasets; a render of the old ones (a resize) does not count.
      const before = chart.data.datasets;
      const redrawn = nextRender((c) => ours(c) && c.data.datasets !== before, 'the element');
      el.metrics = setup.next.join(',');
      return redrawn;
    },
    remove: () => el.remove(),
  };
}

async function drawRaw(host: HTMLElement, setup: Setup, prepared: Prepared, size: Size): Promise<Drawn> {
  const RawChart = await chartJs();
  const config = rawConfig(prepared.points(), setup.metrics);
  const next = rawDatasets(prepared.points(), setup.next);
  const box = document.createElement('div');
  box.style.cssText = `position: relative; inline-size: ${size.width}px; block-size: ${size.height}px`;
  const canvas = document.createElement('canvas');
  box.append(canvas);
  host.append(box);
  // The data is prepared, and the box laid out, before the task that starts the clock.
  await painted();
  const start = performance.now();
  // Without animation Chart.js draws within the constructor and within `update()`.
  const chart = new RawChart(canvas, config);
  return {
    chart,
    start,
    update: async () => {
      chart.data.datasets.forEach((set, i) => {
        set.data = next[i]!.data;
        set.label = next[i]!.label;
      });
      chart.update();
      return chart;
    },
    remove: () => {
      chart.destroy();
      box.remove();
    },
  };
}

interface Size {
  width: number;
  height: number;
}

/* ------------------------------------------------------------------- run */

/**
 * The measured runs of one fresh page: each of `setups` in turn, drawn by one kind of chart. First a
 * small chart of each kind (`warmup`) is drawn, updated and removed, so the code is loaded and compiled
 * on every page as on a portal page in use. Raw Chart.js draws into a box the size of the element's
 * canvas. The page runs with reduced motion, so the element draws without animation, as the raw chart.
 */
async function run(kind: Kind, setups: Setup[], warmup: Setup): Promise<RunResult[]> {
  const host = document.getElementById('host')!;
  await chartJs();
  const small = await prepare(warmup.points);
  const warm = await drawElement(host, warmup, small);
  const { width, height } = warm.chart.canvas.getBoundingClientRect();
  const size = { width, height };
  await warm.update();
  await painted();
  warm.remove();
  const warmRaw = await drawRaw(host, warmup, small, size);
  await warmRaw.update();
  await painted();
  warmRaw.remove();
  await painted();
  const results: RunResult[] = [];
  for (const setup of setups) results.push(await measure(kind, host, setup, size));
  return results;
}

/** Draws `setup` with one kind of chart, updates it and removes it. */
async function measure(kind: Kind, host: HTMLElement, setup: Setup, size: Size): Promise<RunResult> {
  const prepared = await prepare(setup.points);
  const longTasks: Array<{ start: number; duration: number }> = [];
  const take = (entries: PerformanceEntryList) => {
    for (const entry of entries) longTasks.push({ start: entry.startTime, duration: entry.duration });
  };
  const observer = new PerformanceObserver((list) => take(list.getEntries()));
  observer.observe({ type: 'longtask', buffered: false });
  const longestBetween = (from: number, to: number) =>
    Math.max(
      0,
      ...longTasks.filter((t) => t.start < to && t.start + t.duration > from).map((t) => t.duration),
    );

  // First render: from inserting the element (or `new Chart`) to the frame after it was drawn.
  await painted();
  const drawn =
    kind === 'element'
      ? await drawElement(host, setup, prepared)
      : await drawRaw(host, setup, prepared, size);
  const firstStart = drawn.start;
  const firstDrawnMs = performance.now() - firstStart;
  await painted();
  const firstEnd = performance.now();

  // Update: from asking for the other series to the frame after the chart was redrawn.
  await painted();
  const updateStart = performance.now();
  const chart = await drawn.update();
  const updateDrawnMs = performance.now() - updateStart;
  await painted();
  const updateEnd = performance.now();

  const labels = chart.data.datasets.map((d) => d.label);
  const want = setup.next.length;
  if (labels.length !== want) throw new Error(`${kind}: ${labels.length} datasets after the update`);
  const meta = chart.getDatasetMeta(0);
  const given = (chart.data.datasets[0] as { _data?: unknown[] })._data ?? chart.data.datasets[0]!.data;
  take(observer.takeRecords());
  observer.disconnect();
  const result: RunResult = {
    firstMs: firstEnd - firstStart,
    firstDrawnMs,
    updateMs: updateEnd - updateStart,
    updateDrawnMs,
    firstTaskMs: longestBetween(firstStart, firstEnd),
    updateTaskMs: longestBetween(updateStart, updateEnd),
    canvas: `${chart.width}×${chart.height}`,
    datasets: labels.length,
    points: given.length,
    drawnPoints: meta.data.length,
  };
  drawn.remove();
  return result;
}

/** Sets the page up (an explicit call: the package's `sideEffects` list would let a bundler drop a bare import). */
export function install(): void {
  define('dm-engagement-chart', DmEngagementChart);
  const style = document.createElement('style');
  style.textContent = `:root { ${themeDeclarations('light')} } body { margin: 0; font-family: system-ui; } #host { padding: 16px; }`;
  document.head.append(style);
  (window as unknown as { chartBench: { run: typeof run } }).chartBench = { run };
}
