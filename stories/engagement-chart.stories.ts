import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DmEngagementChart } from '../src/elements/engagement-chart/define.js';
import { define } from '../src/internal/define.js';
import { failWith, never } from './support/fetch-states.js';
import { assertRightToLeftFits, showsPart, until } from './support/layout.js';
import { fewPartnersJourney, liveOpens } from './support/story-data.js';
import { NEWCOMER } from './support/story-server.js';

// As in .storybook/preview.ts: register explicitly too, in case the bundler drops the side-effect import.
define('dm-engagement-chart', DmEngagementChart);

/* ------------------------------------------------------------------ stories */

interface ChartArgs {
  view: 'line' | 'bar';
  range: '7d' | '30d' | '90d' | 'custom';
  interval: 'day' | 'week' | 'month';
  metrics: string;
  compare: boolean;
  live: boolean;
  table: boolean;
  tz: string;
  /** A custom range (`range: 'custom'`). */
  from?: string;
  to?: string;
  journeyId?: string;
}

/**
 * The element inside the toolbar's provider, as a partner user (`u_jana`) sees it by default;
 * `journey-id` from the args, else from the story's loader.
 */
function renderChart(args: ChartArgs, context: StoryContext<ChartArgs>) {
  const loaded = context.loaded as { journeyId?: string };
  return html`<dm-engagement-chart
    view=${args.view}
    range=${args.range}
    from=${ifDefined(args.from || undefined)}
    to=${ifDefined(args.to || undefined)}
    interval=${args.interval}
    metrics=${args.metrics}
    journey-id=${ifDefined(args.journeyId || loaded.journeyId || undefined)}
    tz=${ifDefined(args.tz || undefined)}
    ?compare=${args.compare}
    ?live=${args.live}
    ?table=${args.table}
  ></dm-engagement-chart>`;
}

/** `YYYY-MM-DD` of the UTC day `daysAgo` days before today. */
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

/** Waits until the chart has drawn its figures. */
async function chartReady(canvas: HTMLElement): Promise<HTMLElement> {
  const el = await until(
    () => canvas.querySelector<HTMLElement>('dm-engagement-chart'),
    '<dm-engagement-chart>',
  );
  await until(() => el.matches(':state(chart-ready)'), 'the chart');
  return el;
}

const meta: Meta<ChartArgs> = {
  title: 'Elements/Engagement chart',
  component: 'dm-engagement-chart',
  args: {
    view: 'line',
    range: '30d',
    interval: 'day',
    metrics: 'delivered,opened,clicked',
    compare: false,
    live: false,
    table: false,
    tz: 'UTC',
  },
  argTypes: {
    view: { control: 'inline-radio', options: ['line', 'bar'] },
    range: { control: 'select', options: ['7d', '30d', '90d', 'custom'] },
    interval: { control: 'inline-radio', options: ['day', 'week', 'month'] },
    tz: { control: 'select', options: ['UTC', 'Europe/Berlin', 'Asia/Shanghai', 'America/New_York'] },
  },
  render: renderChart,
};

export default meta;
type Story = StoryObj<ChartArgs>;

/** Thirty days as a line chart: delivered, opened and clicked (opened and clicked count recipients). */
export const Line: Story = { play: async ({ canvasElement }) => void (await chartReady(canvasElement)) };

/** The same figures as bars, by week over 90 days. */
export const Bar: Story = { args: { view: 'bar', range: '90d', interval: 'week' } };

/** Human and machine opens side by side (Apple Mail Privacy Protection and scanners apart). */
export const MachineOpens: Story = { args: { metrics: 'opened,machineOpened,clicked' } };

/** Dashed lines: the opens and clicks this scope would have at the network's rates. */
export const NetworkCompare: Story = {
  args: { compare: true },
  play: async ({ canvasElement }) => {
    const el = await chartReady(canvasElement);
    if (el.shadowRoot!.querySelector('.note')) throw new Error('the network benchmark is hidden');
  },
};

/**
 * Small-count privacy: a journey that fewer than 5 partners sent in the range, so the benchmark is
 * hidden and says why.
 */
export const NetworkHidden: Story = {
  args: { compare: true },
  loaders: [fewPartnersJourney],
  play: async ({ canvasElement }) => {
    const el = await chartReady(canvasElement);
    await until(() => el.shadowRoot!.querySelector('.note'), 'the note that the benchmark is hidden');
  },
};

/** Live: an open every 1.5 s arrives on the live stream; the numbers and "Updated just now" change in place. */
export const Live: Story = {
  args: { live: true, range: '7d' },
  parameters: { api: { wrap: liveOpens(1500) } },
  play: async ({ canvasElement }) => {
    const el = await chartReady(canvasElement);
    const tiles = () => el.shadowRoot!.querySelector('[part~="tiles"]')!.textContent;
    const before = tiles();
    await until(() => tiles() !== before, 'a live open in the figures');
  },
};

/** The data table instead of the chart (also the accessible alternative). */
export const TableView: Story = { args: { table: true, range: '7d' } };

/**
 * The most the API serves: 2,000 daily buckets (five and a half years, most of them before the
 * partner's history), drawn with decimation; arrow keys and End still respond at once.
 */
export const TwoThousandDays: Story = {
  args: { metrics: 'opened', range: 'custom', from: day(1999), to: day(0) },
  play: async ({ canvasElement }) => {
    const el = await chartReady(canvasElement);
    el.shadowRoot!.querySelector('[part~="chart"]')!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'End', bubbles: true }),
    );
    await until(
      () => el.shadowRoot!.querySelector('[role="status"]')?.textContent?.includes('Opened'),
      'the last day announced',
    );
  },
};

/** The first request never answers. */
export const Loading: Story = { parameters: { api: { wrap: never() } } };

/** Nothing happened in the range: a partner that joined today. */
export const Empty: Story = {
  parameters: { api: { user: NEWCOMER.partner } },
  play: showsPart('dm-engagement-chart', 'empty'),
};

/** The API answers 503: the message comes from the error kind, with "Try again". */
export const ServerError: Story = {
  parameters: { api: { wrap: failWith(503) } },
  play: showsPart('dm-engagement-chart', 'retry-button'),
};

/** The dark theme (also available for every story from the toolbar). */
export const Dark: Story = { globals: { theme: 'dark' } };

/** Simplified Chinese UI, in Shanghai time. */
export const SimplifiedChinese: Story = { args: { tz: 'Asia/Shanghai' }, globals: { locale: 'zh-CN' } };

/** Right-to-left page: the layout mirrors and nothing sticks out of the element. */
export const RightToLeft: Story = {
  globals: { dir: 'rtl' },
  play: async ({ canvasElement }) => assertRightToLeftFits(canvasElement, 'dm-engagement-chart', 'tiles'),
};
