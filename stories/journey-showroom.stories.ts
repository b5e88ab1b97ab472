import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Category, JourneySort } from '../src/contract/index.js';
import { manyJourneys } from './support/mock-api.js';

interface ShowroomArgs {
  category?: Category | '';
  q?: string;
  sort: JourneySort;
  pageSize: number;
}

const meta: Meta<ShowroomArgs> = {
  title: 'Elements/Journey showroom',
  component: 'dm-journey-showroom',
  args: { category: '', q: '', sort: 'newest', pageSize: 12 },
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
    sort: { control: 'select', options: ['newest', 'most_used', 'best_results', 'name'] },
    pageSize: { control: { type: 'number', min: 1, max: 100 } },
  },
  render: (args) =>
    html`<dm-journey-showroom
      category=${ifDefined(args.category || undefined)}
      q=${ifDefined(args.q || undefined)}
      sort=${args.sort}
      page-size=${args.pageSize}
    ></dm-journey-showroom>`,
};

export default meta;
type Story = StoryObj<ShowroomArgs>;

/** Sixteen journeys and templates in both languages; "Load more" fetches the rest. */
export const Populated: Story = {};

/** The first request never answers: fixed-height skeletons, announced as "Loading…". */
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

/** 200 journeys, 100 per page. */
export const LongList: Story = {
  args: { pageSize: 100 },
  parameters: { mockApi: { journeys: manyJourneys(200), latency: 150 } },
};

/** The dark theme (also available for every story from the toolbar). */
export const Dark: Story = { globals: { theme: 'dark' } };

/** Simplified Chinese UI (also available for every story from the toolbar). */
export const SimplifiedChinese: Story = { globals: { locale: 'zh-CN' } };

/** In a narrow column (a portal sidebar): filters stack, one card per row. */
export const Narrow: Story = { parameters: { width: '22rem' } };
