import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DmEngagementChart } from '../src/elements/engagement-chart/define.js';
import { define } from '../src/internal/define.js';
import { createEngagementMockClient, type EngagementMock } from './support/engagement-mock.js';
import { assertRightToLeftFits } from './support/layout.js';

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
}

function renderChart(args: ChartArgs, context: StoryContext<ChartArgs>) {
  const theme = (context.globals.theme as string | undefined) ?? 'light';
  const locale = (context.globals.locale as string | undefined) ?? 'en';
  const mock = (context.parameters.engagement as EngagementMock | undefined) ?? {};
  return html`<dm-provider theme=${theme} locale=${locale} .client=${createEngagementMockClient(mock)}>
    <div style="display: block; padding: 1rem; background: var(--dm-color-surface);">
      <dm-engagement-chart
        view=${args.view}
        range=${args.range}
        interval=${args.interval}
        metrics=${args.metrics}
        tz=${ifDefined(args.tz || undefined)}
        ?compare=${args.compare}
        ?live=${args.live}
        ?table=${args.table}
      ></dm-engagement-chart>
    </div>
  </dm-provider>`;
}

const meta: Meta<ChartArgs> = {
  title: 'Elements/Engagement chart',
  component: 'dm-engagement-chart',
  parameters: { provider: false },
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
export const Line: Story = {};

/** The same figures as bars, by week over 90 days. */
export const Bar: Story = { args: { view: 'bar', range: '90d', interval: 'week' } };

/** Human and machine opens side by side (Apple Mail Privacy Protection and scanners apart). */
export const MachineOpens: Story = { args: { metrics: 'opened,machineOpened,clicked' } };

/** Dashed lines: the opens and clicks this scope would have at the network's rates. */
export const NetworkCompare: Story = { args: { compare: true } };

/** Small-count privacy: fewer than 5 partners took part, so the benchmark is hidden and says why. */
export const NetworkHidden: Story = {
  args: { compare: true },
  parameters: { engagement: { network: { open: null, click: null, partners: 3 } } },
};

/** A new engagement event every 1.5 s from the live stream; the numbers and "Updated just now" change in place. */
export const Live: Story = {
  args: { live: true, range: '7d' },
  parameters: { engagement: { liveEveryMs: 1500 } },
};

/** The data table instead of the chart (also the accessible alternative). */
export const TableView: Story = { args: { table: true, range: '7d' } };

/** 100,000 daily points, drawn with decimation; arrow keys and End still respond at once. */
export const HundredThousandPoints: Story = {
  args: { metrics: 'opened' },
  parameters: { engagement: { points: 100_000, latency: 0 } },
};

/** The first request never answers. */
export const Loading: Story = { parameters: { engagement: { mode: 'loading' } } };

/** Nothing happened in the range. */
export const Empty: Story = { parameters: { engagement: { mode: 'empty' } } };

/** The API answers 503: the message comes from the error kind, with "Try again". */
export const ServerError: Story = { parameters: { engagement: { mode: 'error', status: 503 } } };

/** The dark theme (also available for every story from the toolbar). */
export const Dark: Story = { globals: { theme: 'dark' } };

/** Simplified Chinese UI, in Shanghai time. */
export const SimplifiedChinese: Story = { args: { tz: 'Asia/Shanghai' }, globals: { locale: 'zh-CN' } };

/** Right-to-left page: the layout mirrors and nothing sticks out of the element. */
export const RightToLeft: Story = {
  globals: { dir: 'rtl' },
  play: async ({ canvasElement }) => assertRightToLeftFits(canvasElement, 'dm-engagement-chart', 'tiles'),
};
