import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DmApprovalQueue } from '../src/elements/approval-queue/define.js';
import { define } from '../src/internal/define.js';
import { createApprovalsMockClient, type ApprovalsMockOptions } from './support/approvals-mock.js';
import { assertRightToLeftFits, until } from './support/layout.js';

// As in .storybook/preview.ts: register explicitly too, in case the bundler drops the side-effect import.
define('dm-approval-queue', DmApprovalQueue);

interface QueueArgs {
  view: 'queue' | 'mine';
  slaHours: number;
}

/** The stories render their own provider (toolbar theme and locale) over the approvals mock. */
function renderQueue(args: QueueArgs, context: StoryContext<QueueArgs>) {
  const theme = (context.globals.theme as string | undefined) ?? 'light';
  const locale = (context.globals.locale as string | undefined) ?? 'en';
  const mock = (context.parameters.approvals as ApprovalsMockOptions | undefined) ?? {};
  return html`<dm-provider
    theme=${theme}
    locale=${locale}
    .client=${createApprovalsMockClient({ view: args.view, ...mock })}
  >
    <div style="display: block; padding: 1rem; background: var(--dm-color-surface);">
      <dm-approval-queue
        view=${ifDefined(args.view === 'mine' ? 'mine' : undefined)}
        sla-hours=${args.slaHours}
      >
      </dm-approval-queue>
    </div>
  </dm-provider>`;
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
  parameters: { provider: false },
  args: { view: 'queue', slaHours: 24 },
  argTypes: {
    view: { control: 'inline-radio', options: ['queue', 'mine'] },
    slaHours: { control: { type: 'number', min: 1, max: 168 } },
  },
  render: renderQueue,
};

export default meta;
type Story = StoryObj<QueueArgs>;

/**
 * Two dozen held sends, oldest first: late (over 24 h) and overdue (over 48 h) items are marked in
 * text and colour. The oldest is open: recipients, warnings, the redline and the sandboxed email.
 */
export const Queue: Story = {};

/** The detail pane with the redline of the partner's edits (insertions underlined, deletions struck through). */
export const DetailWithRedline: Story = {
  play: async ({ canvasElement }) => {
    const el = await queue(canvasElement);
    $<HTMLElement>(el, '[part~="redline"]')?.scrollIntoView({ block: 'center' });
  },
};

/** The first page never arrives: skeleton rows, announced as "Loading…". */
export const Loading: Story = { parameters: { approvals: { mode: 'loading' } } };

/** Nothing is waiting. */
export const Empty: Story = { parameters: { approvals: { mode: 'empty' } } };

/** The API answers 503: the message for the error kind and "Try again". */
export const ServerError: Story = { parameters: { approvals: { mode: 'error' } } };

/** 10,000 held sends: the list is virtualized, so only the visible rows exist; pages load as you scroll. */
export const TenThousandItems: Story = { parameters: { approvals: { count: 10_000, latency: 80 } } };

/** Another approver decided first: the optimistic change rolls back and the message names who won. */
export const Conflict: Story = {
  parameters: { approvals: { decide: 'conflict' } },
  play: async ({ canvasElement }) => {
    const el = await queue(canvasElement);
    $<HTMLButtonElement>(el, '[part~="approve-button"]')!.click();
    await until(() => $(el, '[part~="message"][role="alert"]')?.textContent?.trim(), 'the conflict message');
  },
};

/** Four items selected with Shift-click and approved together: progress and per-item results. */
export const BulkInProgress: Story = {
  parameters: { approvals: { decide: 'slow' } },
  play: async ({ canvasElement }) => {
    const el = await queue(canvasElement);
    const box = (n: number) => $<HTMLInputElement>(el, `.row[data-id="apr_${n}"] input[type="checkbox"]`)!;
    box(0).click();
    box(3).dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
    await el.updateComplete;
    $<HTMLButtonElement>(el, '[part~="approve-selected-button"]')!.click();
    await until(() => $(el, '[part~="progress"]'), 'the progress bar');
  },
};

/** A partner's own submissions with their status and the approver's reason: read only. */
export const MineView: Story = { args: { view: 'mine' } };

/** The dark theme (also available for every story from the toolbar). */
export const Dark: Story = { globals: { theme: 'dark' } };

/** Simplified Chinese UI (also available for every story from the toolbar). */
export const SimplifiedChinese: Story = { globals: { locale: 'zh-CN' } };

/** Right-to-left page: the layout mirrors and nothing sticks out of the element. */
export const RightToLeft: Story = {
  globals: { dir: 'rtl' },
  play: async ({ canvasElement }) => assertRightToLeftFits(canvasElement, 'dm-approval-queue', 'item'),
};
