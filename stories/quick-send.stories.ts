import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DmQuickSend } from '../src/elements/quick-send/define.js';
import { define } from '../src/internal/define.js';
import { createQuickSendMockClient, type QuickSendMockOptions } from './support/mock-api.js';
import { assertRightToLeftFits, until } from './support/layout.js';

// As in .storybook/preview.ts: register explicitly too, in case the bundler drops the side-effect import.
define('dm-quick-send', DmQuickSend);

interface QuickSendArgs {
  journeyId?: string;
  contactIds?: string;
  mode?: 'quick' | 'journey' | '';
}

/** The stories render their own provider (with the toolbar's theme and locale) over the quick-send mock. */
function renderQuickSend(args: QuickSendArgs, context: StoryContext<QuickSendArgs>) {
  const theme = (context.globals.theme as string | undefined) ?? 'light';
  const locale = (context.globals.locale as string | undefined) ?? 'en';
  const width = context.parameters.width as string | undefined;
  const mock = (context.parameters.quickSend as QuickSendMockOptions | undefined) ?? {};
  return html`<dm-provider theme=${theme} locale=${locale} .client=${createQuickSendMockClient(mock)}>
    <div
      style="display: block; padding: 1rem; background: var(--dm-color-surface); ${
        width ? `max-inline-size: ${width};` : ''
      }"
    >
      <dm-quick-send
        journey-id=${ifDefined(args.journeyId || undefined)}
        contact-ids=${ifDefined(args.contactIds || undefined)}
        mode=${ifDefined(args.mode || undefined)}
      ></dm-quick-send>
    </div>
  </dm-provider>`;
}

// ---- play helpers: drive the element the way a person would ----------------------------------------

async function quickSend(canvas: HTMLElement): Promise<DmQuickSend> {
  const el = await until(() => canvas.querySelector('dm-quick-send'), '<dm-quick-send>');
  await until(() => el.shadowRoot?.querySelector('[part~="stepper"]'), 'the flow');
  return el;
}

const $ = <T extends Element = HTMLElement>(el: DmQuickSend, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);

async function toStep(el: DmQuickSend, index: 0 | 1 | 2 | 3): Promise<void> {
  const step = await until(
    () => {
      const s = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="step"]')[index];
      return s && !s.disabled ? s : undefined;
    },
    `step ${index + 1} to be reachable`,
  );
  step.click();
  await until(() => step.getAttribute('aria-current') === 'step', `step ${index + 1}`);
  await el.updateComplete;
}

async function type(el: DmQuickSend, blockId: string, value: string): Promise<void> {
  const textarea = await until(() => $<HTMLTextAreaElement>(el, `#block-${blockId}`), `block ${blockId}`);
  textarea.value = value;
  textarea.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

async function send(el: DmQuickSend): Promise<void> {
  await toStep(el, 3);
  await until(() => !el.matches(':state(blocked)'), 'every recipient checked');
  $(el, '[part~="send-button"]')!.click();
}

// ---------------------------------------------------------------------------------------------------

const meta: Meta<QuickSendArgs> = {
  title: 'Elements/Quick send',
  component: 'dm-quick-send',
  parameters: { provider: false },
  args: { journeyId: 'j-visit', contactIds: '', mode: '' },
  argTypes: {
    journeyId: { control: 'select', options: ['', 'j-visit', 'j-offer'] },
    mode: { control: 'inline-radio', options: ['', 'quick', 'journey'] },
  },
  render: renderQuickSend,
};

export default meta;
type Story = StoryObj<QuickSendArgs>;

/** A preset journey (as after "Use this journey" in the showroom): pick recipients first. */
export const PresetJourney: Story = {};

/** No journey preset: a compact picker over the journeys the partner may use. */
export const PickAJourney: Story = { args: { journeyId: '' } };

/** The journey never arrives: a skeleton, announced as "Loading…". */
export const Loading: Story = { parameters: { quickSend: { mode: 'loading' } } };

/** The journey fails with 503: the message for the error kind and "Try again". */
export const LoadError: Story = { parameters: { quickSend: { mode: 'error' } } };

/** The partner has no contacts yet: a message that says what to do. */
export const EmptyContacts: Story = { parameters: { quickSend: { mode: 'empty' } } };

/**
 * Recipients preset by the host (`contact-ids`), shown as removable chips; one of them has
 * unsubscribed and is flagged.
 */
export const RecipientsPicked: Story = { args: { contactIds: 'c-1,c-2,c-3,c-8' } };

/** Personalize: too long, a restricted word, a `javascript:` link and an image from elsewhere. */
export const RuleViolations: Story = {
  args: { contactIds: 'c-1,c-2' },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await toStep(el, 1);
    await type(
      el,
      'greeting',
      'Hello there, our most valued and very dear customer of many, many years, and friend of the house,',
    );
    await type(
      el,
      'intro',
      'Your first service is FREE and the best price in town: $99. [Book now](javascript:alert(1))',
    );
    await type(el, 'photo', 'http://images.example.net/car.jpg');
  },
};

/** One recipient's own text ("Personalize for": Ben Okafor). */
export const PersonalTextForOne: Story = {
  args: { contactIds: 'c-1,c-2' },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await toStep(el, 1);
    const target = await until(() => $<HTMLSelectElement>(el, '[part~="target-select"]'), 'target');
    await until(() => target.options.length > 2, 'recipients in the target list');
    target.value = 'c-2';
    target.dispatchEvent(new Event('change'));
    await el.updateComplete;
    await type(el, 'intro', 'Ben, your winter tyres are ready: come by any day this week.');
  },
};

/**
 * Preview: the server's rendering per recipient, with issues — a missing first name (warning) and an
 * unsubscribed contact (blocking, so Send is disabled).
 */
export const PreviewWithIssues: Story = {
  args: { contactIds: 'c-4,c-3,c-1' },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await toStep(el, 2);
    await until(() => $(el, '[part~="issues"]'), 'the issues');
  },
};

/** The send is in flight: the button says "Sending…" and ignores further clicks. */
export const Sending: Story = {
  args: { contactIds: 'c-1,c-2' },
  parameters: { quickSend: { outcome: 'hang' } },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await send(el);
    await until(() => el.matches(':state(sending)'), 'sending');
  },
};

/** Accepted: on its way to both recipients. */
export const Sent: Story = {
  args: { contactIds: 'c-1,c-2' },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await send(el);
    await until(() => el.matches(':state(submitted)'), 'submitted');
  },
};

/** Scheduled for tomorrow morning. */
export const Scheduled: Story = {
  args: { contactIds: 'c-1' },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await toStep(el, 3);
    $<HTMLInputElement>(el, 'input[value="later"]')!.click();
    const at = await until(() => $<HTMLInputElement>(el, '#schedule-at'), 'the date field');
    const tomorrow = new Date(Date.now() + 86_400_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    at.value = `${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}T09:00`;
    at.dispatchEvent(new Event('input'));
    await send(el);
    await until(() => el.matches(':state(submitted)'), 'submitted');
  },
};

/** The journey's rule holds every send for brand compliance: "Waiting for approval". */
export const PendingApproval: Story = {
  args: { journeyId: 'j-offer', contactIds: 'c-1,c-2' },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await send(el);
    await until(() => el.matches(':state(submitted)'), 'submitted');
  },
};

/** The server rejects the send (422): the reasons, each linked to the field it names. */
export const Rejected: Story = {
  args: { contactIds: 'c-1,c-2' },
  parameters: { quickSend: { outcome: 'rejected' } },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await send(el);
    await until(() => el.matches(':state(failed)'), 'failed');
  },
};

/** The network dropped: "Try again" repeats the same send with the same Idempotency-Key. */
export const NetworkError: Story = {
  args: { contactIds: 'c-1' },
  parameters: { quickSend: { outcome: 'network' } },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await send(el);
    await until(() => el.matches(':state(failed)'), 'failed');
  },
};

/** The dark theme (also available for every story from the toolbar). */
export const Dark: Story = {
  args: { contactIds: 'c-1,c-3' },
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await toStep(el, 1);
  },
};

/** Simplified Chinese UI (also available for every story from the toolbar). */
export const SimplifiedChinese: Story = { args: { contactIds: 'c-1' }, globals: { locale: 'zh-CN' } };

/** In a narrow column (a portal sidebar or a small dialog). */
export const Narrow: Story = {
  args: { contactIds: 'c-1,c-2,c-8' },
  parameters: { width: '22rem' },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await toStep(el, 1);
  },
};

/** With the showroom: "Use this journey" there presets the journey here and moves focus here. */
export const WithShowroom: Story = {
  args: { journeyId: '' },
  render: (args, context) =>
    html`<dm-provider
      theme=${(context.globals.theme as string | undefined) ?? 'light'}
      locale=${(context.globals.locale as string | undefined) ?? 'en'}
      .client=${createQuickSendMockClient()}
    >
      <div style="display: grid; gap: 2rem; padding: 1rem; background: var(--dm-color-surface);">
        <dm-journey-showroom for="send-panel" page-size="2"></dm-journey-showroom>
        <dm-quick-send id="send-panel" mode=${ifDefined(args.mode || undefined)}></dm-quick-send>
      </div>
    </dm-provider>`,
};

/** Right-to-left page: the layout mirrors and nothing sticks out of the element. */
export const RightToLeft: Story = {
  globals: { dir: 'rtl' },
  play: async ({ canvasElement }) => assertRightToLeftFits(canvasElement, 'dm-quick-send', 'stepper'),
};
