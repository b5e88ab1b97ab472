import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DmApprovalQueue } from '../src/elements/approval-queue/define.js';
import { define } from '../src/internal/define.js';
import { delay, failWith, never, only } from './support/fetch-states.js';
import { assertRightToLeftFits, showsPart, until } from './support/layout.js';
import { BACKLOG_APPROVER, approvalBacklog, colleagueDecidesFirst, heldSends } from './support/story-data.js';
import { NEWCOMER } from './support/story-server.js';

// As in .storybook/preview.ts: register explicitly too, in case the bundler drops the side-effect import.
define('dm-approval-queue', DmApprovalQueue);

interface QueueArgs {
  view: 'queue' | 'mine';
  slaHours: number;
}

// ---- play helpers ------------------------------------------------------------------------------------

async function queue(canvas: HTMLElement): Promise<DmApprovalQueue> {
  const el = await until(() => canvas.querySelector('dm-approval-queue'), '<dm-approval-queue>');
  await until(() => el.shadowRoot?.querySelector('.detail__content'), 'the first item’s details');
  return el;
}

const $ = <T extends Element = HTMLElement>(el: DmApprovalQueue, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);

// ------------------------------------------------------------------------------------------------------

const meta: Meta<QueueArgs> = {
  title: 'Elements/Approval queue',
  component: 'dm-approval-queue',
  args: { view: 'queue', slaHours: 24 },
  argTypes: {
    view: { control: 'inline-radio', options: ['queue', 'mine'] },
    slaHours: { control: { type: 'number', min: 1, max: 168 } },
  },
  // Brand compliance (Greta Hoffmann) reviewing the held sends of several dealers.
  loaders: [heldSends],
  parameters: { api: { user: 'u_compliance' } },
  render: (args) =>
    html`<dm-approval-queue
      view=${ifDefined(args.view === 'mine' ? 'mine' : undefined)}
      sla-hours=${args.slaHours}
    ></dm-approval-queue>`,
};

export default meta;
type Story = StoryObj<QueueArgs>;

/**
 * Two dozen held sends, oldest first: late (over 24 h) and overdue (over 48 h) items are marked in
 * text and colour. The oldest is open: recipients, warnings, the redline and the sandboxed email.
 */
export const Queue: Story = {
  play: async ({ canvasElement }) => {
    const el = await queue(canvasElement);
    await until(() => $(el, '[part~="sla"]'), 'an SLA badge on a late item');
  },
};

/** The detail pane with the redline of the partner's edits (insertions underlined, deletions struck through). */
export const DetailWithRedline: Story = {
  play: async ({ canvasElement }) => {
    const el = await queue(canvasElement);
    const redline = await until(() => $(el, '[part~="redline"] [part~="ins"]'), 'the redline');
    redline.scrollIntoView({ block: 'center' });
  },
};

/** The first page never arrives: skeleton rows, announced as "Loading…". */
export const Loading: Story = { parameters: { api: { wrap: never() } } };

/** Nothing is waiting: the partner manager of a partner that has not sent anything. */
export const Empty: Story = {
  parameters: { api: { user: NEWCOMER.approver } },
  play: showsPart('dm-approval-queue', 'empty'),
};

/** The API answers 503: the message for the error kind and "Try again". */
export const ServerError: Story = {
  parameters: { api: { wrap: failWith(503) } },
  play: showsPart('dm-approval-queue', 'retry-button'),
};

/**
 * 10,000 held sends for one partner manager: the list is virtualized, so only the visible rows exist;
 * pages load as you scroll.
 */
export const TenThousandItems: Story = {
  loaders: [approvalBacklog],
  parameters: { api: { user: BACKLOG_APPROVER } },
  play: async ({ canvasElement }) => {
    const el = await queue(canvasElement);
    await until(() => $(el, '[part~="count"]')?.textContent?.includes('10,000'), '"10,000 waiting"');
    const rows = await until(() => el.shadowRoot!.querySelectorAll('[part~="item"]').length, 'rows');
    if (rows > 200) throw new Error(`${rows} rows rendered; expected a virtualized window`);
  },
};

/** Another approver decided first: the optimistic change rolls back and the message names who won. */
export const Conflict: Story = {
  parameters: { api: { wrap: only('POST', /\/decision$/, colleagueDecidesFirst()) } },
  play: async ({ canvasElement }) => {
    const el = await queue(canvasElement);
    $<HTMLButtonElement>(el, '[part~="approve-button"]')!.click();
    await until(
      () => $(el, '[part~="message"][role="alert"]')?.textContent?.includes('Jonas Keller'),
      'the conflict message naming the other approver',
    );
  },
};

/** Four items selected with Shift-click and approved together: progress and per-item results. */
export const BulkInProgress: Story = {
  parameters: {
    api: { wrap: only('POST', /\/decision$/, delay(2500)) },
  },
  play: async ({ canvasElement }) => {
    const el = await queue(canvasElement);
    const boxes = el.shadowRoot!.querySelectorAll<HTMLInputElement>('[part~="item-checkbox"]');
    boxes[0]!.click();
    boxes[3]!.dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
    await el.updateComplete;
    $<HTMLButtonElement>(el, '[part~="approve-selected-button"]')!.click();
    await until(() => $(el, '[part~="progress"]'), 'the progress bar');
  },
};

/** A partner's own submissions with their status and the approver's reason: read only. */
export const MineView: Story = {
  args: { view: 'mine' },
  parameters: { api: { user: 'u_jana' } },
  play: showsPart('dm-approval-queue', 'status'),
};

/** The dark theme (also available for every story from the toolbar). */
export const Dark: Story = { globals: { theme: 'dark' } };

/** Simplified Chinese UI (also available for every story from the toolbar). */
export const SimplifiedChinese: Story = { globals: { locale: 'zh-CN' } };

/** Right-to-left page: the layout mirrors and nothing sticks out of the element. */
export const RightToLeft: Story = {
  globals: { dir: 'rtl' },
  play: async ({ canvasElement }) => assertRightToLeftFits(canvasElement, 'dm-approval-queue', 'item'),
};
