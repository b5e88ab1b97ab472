import type { Meta, StoryContext, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DmQuickSend } from '../src/elements/quick-send/define.js';
import { define } from '../src/internal/define.js';
import { failWith, never, offline, only } from './support/fetch-states.js';
import { assertRightToLeftFits, showsPart, until } from './support/layout.js';
import { complain, recipients } from './support/story-data.js';
import { NEWCOMER } from './support/story-server.js';

// As in .storybook/preview.ts: register explicitly too, in case the bundler drops the side-effect import.
define('dm-quick-send', DmQuickSend);

interface QuickSendArgs {
  journeyId?: string;
  contactIds?: string;
  mode?: 'quick' | 'journey' | '';
}

/** A one-step thank-you template whose rule never asks for approval (editable greeting, message and photo). */
const THANK_YOU = 'j_thank_you_purchase';
/** A template whose rule holds every send for brand compliance. */
const LOYALTY_OFFER = 'j_loyalty_upgrade_offer';

/** The element inside the toolbar's provider; `contact-ids` from the args, else from the story's loader. */
function renderQuickSend(args: QuickSendArgs, context: StoryContext<QuickSendArgs>) {
  const loaded = context.loaded as { contactIds?: string };
  return html`<dm-quick-send
    journey-id=${ifDefined(args.journeyId || undefined)}
    contact-ids=${ifDefined(args.contactIds || loaded.contactIds || undefined)}
    mode=${ifDefined(args.mode || undefined)}
  ></dm-quick-send>`;
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

/** Goes to the last step and clicks Send once every recipient is checked (after `beforeSend`). */
async function send(el: DmQuickSend, beforeSend: () => Promise<void> = async () => {}): Promise<void> {
  await toStep(el, 3);
  await until(() => !el.matches(':state(blocked)'), 'every recipient checked');
  await beforeSend();
  $(el, '[part~="send-button"]')!.click();
}

/** A play function: sends, then waits for the element's `state`. */
const sendAndExpect =
  (state: 'submitted' | 'failed' | 'sending') =>
  async ({ canvasElement }: { canvasElement: HTMLElement }) => {
    const el = await quickSend(canvasElement);
    await send(el);
    await until(() => el.matches(`:state(${state})`), state);
  };

// ---------------------------------------------------------------------------------------------------

const meta: Meta<QuickSendArgs> = {
  title: 'Elements/Quick send',
  component: 'dm-quick-send',
  args: { journeyId: THANK_YOU, contactIds: '', mode: '' },
  argTypes: {
    journeyId: { control: 'select', options: ['', THANK_YOU, LOYALTY_OFFER] },
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
export const Loading: Story = { parameters: { api: { wrap: only('GET', /^\/v1\/journeys/, never()) } } };

/** The journey fails with 503: the message for the error kind and "Try again". */
export const LoadError: Story = {
  parameters: { api: { wrap: only('GET', /^\/v1\/journeys/, failWith(503)) } },
  play: showsPart('dm-quick-send', 'error'),
};

/** The partner has no contacts yet (it joined today): a message that says what to do. */
export const EmptyContacts: Story = {
  parameters: { api: { user: NEWCOMER.partner } },
  play: showsPart('dm-quick-send', 'empty'),
};

/**
 * Recipients preset by the host (`contact-ids`), shown as removable chips; one of them has
 * unsubscribed and is flagged.
 */
export const RecipientsPicked: Story = {
  loaders: [recipients('mailable', 'mailable', 'unsubscribed', 'mailable')],
};

/** Personalize: too long, a restricted word, a `javascript:` link and an image from elsewhere. */
export const RuleViolations: Story = {
  loaders: [recipients('mailable', 'mailable')],
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
      'message',
      'Your first service is FREE and the best price in town: $99. [Book now](javascript:alert(1))',
    );
    await type(el, 'photo', 'http://images.example.net/car.jpg');
    await until(
      () => el.shadowRoot!.querySelectorAll('[part~="findings"]').length >= 3,
      'rule problems in three blocks',
    );
  },
};

/** One recipient's own text ("Personalize for" the second recipient). */
export const PersonalTextForOne: Story = {
  loaders: [recipients('mailable', 'mailable')],
  play: async ({ canvasElement, loaded }) => {
    const el = await quickSend(canvasElement);
    await toStep(el, 1);
    const target = await until(() => $<HTMLSelectElement>(el, '[part~="target-select"]'), 'target');
    await until(() => target.options.length > 2, 'recipients in the target list');
    target.value = (loaded as { contactIds: string }).contactIds.split(',')[1]!;
    target.dispatchEvent(new Event('change'));
    await el.updateComplete;
    await type(el, 'message', 'Your winter tyres are ready: come by any day this week.');
  },
};

/**
 * Preview: the server's rendering per recipient, with issues — a missing first name (warning) and an
 * unsubscribed contact (blocking, so Send is disabled).
 */
export const PreviewWithIssues: Story = {
  loaders: [recipients('unnamed', 'unsubscribed', 'mailable')],
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await toStep(el, 2);
    await until(() => $(el, '[part~="issues"]'), 'the issues');
  },
};

/** The send is in flight: the button says "Sending…" and ignores further clicks. */
export const Sending: Story = {
  loaders: [recipients('mailable', 'mailable')],
  parameters: { api: { wrap: only('POST', /^\/v1\/sends$/, never()) } },
  play: sendAndExpect('sending'),
};

/** Accepted: on its way to both recipients. */
export const Sent: Story = {
  loaders: [recipients('mailable', 'mailable')],
  play: sendAndExpect('submitted'),
};

/** Scheduled for tomorrow morning. */
export const Scheduled: Story = {
  loaders: [recipients('mailable')],
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
  args: { journeyId: LOYALTY_OFFER },
  loaders: [recipients('mailable', 'mailable')],
  play: sendAndExpect('submitted'),
};

/**
 * The server refuses the send (422): a recipient complained after the preview, so the reasons come
 * back, each linked to the field it names.
 */
export const Rejected: Story = {
  loaders: [recipients('mailable', 'mailable')],
  play: async ({ canvasElement, loaded }) => {
    const el = await quickSend(canvasElement);
    const [first] = (loaded as { contactIds: string }).contactIds.split(',');
    await send(el, () => complain(first!));
    await until(() => el.matches(':state(failed)'), 'failed');
  },
};

/** The network dropped: "Try again" repeats the same send with the same Idempotency-Key. */
export const NetworkError: Story = {
  loaders: [recipients('mailable')],
  parameters: { api: { wrap: only('POST', /^\/v1\/sends$/, offline()) } },
  play: sendAndExpect('failed'),
};

/** The dark theme (also available for every story from the toolbar). */
export const Dark: Story = {
  loaders: [recipients('mailable', 'unsubscribed')],
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await toStep(el, 1);
  },
};

/** Simplified Chinese UI (also available for every story from the toolbar). */
export const SimplifiedChinese: Story = { loaders: [recipients('mailable')], globals: { locale: 'zh-CN' } };

/** In a narrow column (a portal sidebar or a small dialog). */
export const Narrow: Story = {
  loaders: [recipients('mailable', 'mailable', 'mailable')],
  parameters: { width: '22rem' },
  play: async ({ canvasElement }) => {
    const el = await quickSend(canvasElement);
    await toStep(el, 1);
  },
};

/** With the showroom: "Use this journey" there presets the journey here and moves focus here. */
export const WithShowroom: Story = {
  args: { journeyId: '' },
  render: (args) =>
    html`<div style="display: grid; gap: 2rem;">
      <dm-journey-showroom for="send-panel" page-size="2"></dm-journey-showroom>
      <dm-quick-send id="send-panel" mode=${ifDefined(args.mode || undefined)}></dm-quick-send>
    </div>`,
};

/** Right-to-left page: the layout mirrors and nothing sticks out of the element. */
export const RightToLeft: Story = {
  globals: { dir: 'rtl' },
  play: async ({ canvasElement }) => assertRightToLeftFits(canvasElement, 'dm-quick-send', 'stepper'),
};
