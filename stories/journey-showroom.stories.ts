import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Category, JourneyKind, JourneySort, Locale } from '../src/contract/index.js';
import type { DmJourneyShowroom } from '../src/elements/journey-showroom/journey-showroom.js';
import { failWith, never } from './support/fetch-states.js';
import { LARGE, largeCatalogue } from './support/story-data.js';
import { NEWCOMER, mint } from './support/story-server.js';
import { assertRightToLeftFits, showsPart, until } from './support/layout.js';

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

/** The demo brand's catalogue as a partner sees it, in both languages, with facet counts in the filters. */
export const Populated: Story = {
  play: showsPart('dm-journey-showroom', 'card'),
};

/** The first request never answers: fixed-size skeleton cards, announced as "Loading…". */
export const Loading: Story = { parameters: { api: { wrap: never() } } };

/** Nothing published yet: the admin of a brand without journeys. */
export const Empty: Story = {
  parameters: { api: { user: NEWCOMER.brandAdmin } },
  play: showsPart('dm-journey-showroom', 'empty'),
};

/** Nothing matches the search: the empty state offers "Clear filters". */
export const EmptyWithFilters: Story = {
  args: { q: 'no journey has this name', category: 'offer' },
  play: showsPart('dm-journey-showroom', 'clear-filters-button'),
};

/** The API answers 503: the message comes from the error kind, with "Try again". */
export const ServerError: Story = {
  parameters: { api: { wrap: failWith(503) } },
  play: showsPart('dm-journey-showroom', 'retry-button'),
};

/** The token has expired, so the server rejects it (401). */
export const SignedOut: Story = {
  parameters: { api: { token: () => mint('u_jana', -60) } },
  play: showsPart('dm-journey-showroom', 'error'),
};

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

/**
 * 10,000 generated journeys (the benchmark brand; a partner sees the published ones), 100 per page:
 * the next page loads as you scroll; only cards near the viewport are in the DOM.
 */
export const TenThousand: Story = {
  args: { pageSize: 100 },
  loaders: [largeCatalogue],
  parameters: { api: { user: LARGE.partner } },
  play: async ({ canvasElement }) => {
    const showroom = await until(() => canvasElement.querySelector<DmJourneyShowroom>('dm-journey-showroom'));
    const cards = await until(() => showroom.shadowRoot?.querySelectorAll('[part~="card"]').length, 'cards');
    if (cards > 200) throw new Error(`${cards} cards in the DOM; expected only those near the viewport`);
  },
};

/** 10,000 generated journeys in the list layout. */
export const TenThousandList: Story = {
  args: { pageSize: 100, layout: 'list' },
  loaders: [largeCatalogue],
  parameters: { api: { user: LARGE.partner } },
};

/** The details dialog: steps with delays, a sandboxed preview per step, editable and locked blocks, approval and results. */
export const DetailDialog: Story = {
  play: async ({ canvasElement }) => openFirstDetails(canvasElement),
};

/** The details for a brand-level user: network figures only. */
export const DetailDialogBrandUser: Story = {
  parameters: { api: { user: 'u_admin' } },
  play: async ({ canvasElement }) => openFirstDetails(canvasElement),
};

/** The dark theme (also available for every story from the toolbar). */
export const Dark: Story = { globals: { theme: 'dark' } };

/** The details dialog in the dark theme. */
export const DarkDetailDialog: Story = {
  globals: { theme: 'dark' },
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
