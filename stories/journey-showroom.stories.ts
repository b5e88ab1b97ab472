import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Category, JourneyKind, JourneySort, Locale } from '../src/contract/index.js';
import type { DmJourneyShowroom } from '../src/elements/journey-showroom/journey-showroom.js';
import { manyJourneys } from './support/mock-api.js';
import { assertRightToLeftFits, until } from './support/layout.js';

interface ShowroomArgs {
  category?: Category | '';
  contentLocale?: Locale | '';
  kind?: JourneyKind | '';
  tags?: string;
  q?: string;
  sort?: JourneySort | '';
  layout: 'grid' | 'list';
  pageSize: number;
}

const meta: Meta<ShowroomArgs> = {
  title: 'Elements/Journey showroom',
  component: 'dm-journey-showroom',
  args: {
    category: '',
    contentLocale: '',
    kind: '',
    tags: '',
    q: '',
    sort: '',
    layout: 'grid',
    pageSize: 24,
  },
  argTypes: {
    category: {
      control: 'select',
      options: [
        '',
        'onboarding',
        'thank_you',
        'follow_up',
        'reminder',
        'offer',
        'promotion',
        'event',
        'newsletter',
      ],
    },
    contentLocale: { control: 'select', options: ['', 'en', 'zh-CN'] },
    kind: { control: 'select', options: ['', 'journey', 'template'] },
    tags: { control: 'text', description: 'Comma-separated' },
    sort: { control: 'select', options: ['', 'newest', 'most_used', 'best_results', 'name', 'relevance'] },
    layout: { control: 'inline-radio', options: ['grid', 'list'] },
    pageSize: { control: { type: 'number', min: 1, max: 100 } },
  },
  render: (args) =>
    html`<dm-journey-showroom
      category=${ifDefined(args.category || undefined)}
      content-locale=${ifDefined(args.contentLocale || undefined)}
      kind=${ifDefined(args.kind || undefined)}
      tags=${ifDefined(args.tags || undefined)}
      q=${ifDefined(args.q || undefined)}
      sort=${ifDefined(args.sort || undefined)}
      layout=${args.layout}
      page-size=${args.pageSize}
    ></dm-journey-showroom>`,
};

export default meta;
type Story = StoryObj<ShowroomArgs>;

/** Opens the details of the first card. */
async function openFirstDetails(canvas: HTMLElement): Promise<void> {
  const showroom = await until(() => canvas.querySelector<DmJourneyShowroom>('dm-journey-showroom'));
  const button = await until(() =>
    showroom.shadowRoot?.querySelector<HTMLButtonElement>('[part~="card"] [part~="details-button"]'),
  );
  button.click();
}

/** Sixteen journeys and templates in both languages, with facet counts in the filters. */
export const Populated: Story = {};

/** The first request never answers: fixed-size skeleton cards, announced as "Loading…". */
export const Loading: Story = { parameters: { mockApi: { mode: 'loading' } } };

/** Nothing published yet. */
export const Empty: Story = { parameters: { mockApi: { mode: 'empty' } } };

/** Nothing matches the search: the empty state offers "Clear filters". */
export const EmptyWithFilters: Story = { args: { q: 'no journey has this name', category: 'offer' } };

/** The API answers 503: the message comes from the error kind, with "Try again". */
export const ServerError: Story = { parameters: { mockApi: { mode: 'error', status: 503 } } };

/** The token was rejected (401). */
export const SignedOut: Story = { parameters: { mockApi: { mode: 'error', status: 401 } } };

/** Filtered to one category from the attribute. */
export const OneCategory: Story = { args: { category: 'offer' } };

/** A deep link: templates in English tagged "quick", most used first. */
export const DeepLinked: Story = {
  args: { contentLocale: 'en', kind: 'template', tags: 'quick', sort: 'most_used' },
};

/** Searching ranks name matches first. */
export const Search: Story = { args: { q: 'service' } };

/** One row per journey. */
export const ListLayout: Story = { args: { layout: 'list' } };

/** 10,000 journeys, 100 per page: the next page loads as you scroll; only cards near the viewport are in the DOM. */
export const TenThousand: Story = {
  args: { pageSize: 100 },
  parameters: { mockApi: { journeys: manyJourneys(10_000), latency: 120 } },
};

/** 10,000 journeys in the list layout. */
export const TenThousandList: Story = {
  args: { pageSize: 100, layout: 'list' },
  parameters: { mockApi: { journeys: manyJourneys(10_000), latency: 120 } },
};

/** The details dialog: steps with delays, a sandboxed preview per step, editable and locked blocks, approval and results. */
export const DetailDialog: Story = {
  parameters: { mockApi: { latency: 150 } },
  play: async ({ canvasElement }) => openFirstDetails(canvasElement),
};

/** The details for a brand-level user: network figures only. */
export const DetailDialogBrandUser: Story = {
  parameters: { mockApi: { latency: 150, brandUser: true } },
  play: async ({ canvasElement }) => openFirstDetails(canvasElement),
};

/** The dark theme (also available for every story from the toolbar). */
export const Dark: Story = { globals: { theme: 'dark' } };

/** The details dialog in the dark theme. */
export const DarkDetailDialog: Story = {
  globals: { theme: 'dark' },
  parameters: { mockApi: { latency: 150 } },
  play: async ({ canvasElement }) => openFirstDetails(canvasElement),
};

/** Simplified Chinese UI (also available for every story from the toolbar). */
export const SimplifiedChinese: Story = { globals: { locale: 'zh-CN' } };

/** Simplified Chinese journeys in a Chinese UI. */
export const SimplifiedChineseJourneys: Story = {
  globals: { locale: 'zh-CN' },
  args: { contentLocale: 'zh-CN' },
};

/** In a narrow column (a portal sidebar): filters stack, one card per row. */
export const Narrow: Story = { parameters: { width: '22rem' } };

/** The list layout in a narrow column: rows stack their content. */
export const NarrowList: Story = { args: { layout: 'list' }, parameters: { width: '22rem' } };

/** Right-to-left page: the layout mirrors and nothing sticks out of the element. */
export const RightToLeft: Story = {
  globals: { dir: 'rtl' },
  play: async ({ canvasElement }) => assertRightToLeftFits(canvasElement, 'dm-journey-showroom', 'card'),
};
