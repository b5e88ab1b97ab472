import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import type { CSSResultGroup } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import {
  Contact,
  ContactPage,
  ErrorBody,
  Journey,
  JourneyPage,
  Preview,
  PreviewBatch,
  Send,
  SendCreate,
  type PreviewIssue,
} from '../../src/contract/index.js';
import '../../src/elements/journey-showroom/define.js';
import '../../src/elements/provider/define.js';
import '../../src/elements/quick-send/define.js';
import type { DmQuickSend } from '../../src/elements/quick-send/quick-send.js';
import quickSendStyles from '../../src/elements/quick-send/quick-send.styles.js';
import { DmJourneySelectEvent } from '../../src/events/journey-select.js';
import { isDmApiError } from '../../src/sdk/index.js';
import { brandText, checkBlock } from '../../src/elements/quick-send/rules.js';
import { fieldTarget, localToIso } from '../../src/elements/quick-send/send-draft.js';
import { tokenNames } from '../../src/styles/tokens.js';
import { checkBlockContent } from '../../server/domain/rules.js';
import { en } from '../../src/translations/en.js';
import { zhCN } from '../../src/translations/zh-CN.js';
import { StubApi, hang, json } from './support/api.js';
import { part, parts, shadow, text, waitForState } from './support/helpers.js';

// ---------------------------------------------------------------------------------------------------
// Contract-valid fixtures (parsed with the zod schemas, so they cannot drift from the contract)

const thanks: Journey = Journey.parse({
  id: 'j-thanks',
  kind: 'template',
  name: 'Thank you for your visit',
  summary: 'A short personal thank-you after a showroom visit.',
  category: 'thank_you',
  channel: 'email',
  locale: 'en',
  tags: ['visit'],
  stepCount: 1,
  approvalRequired: false,
  thumbnailUrl: null,
  createdAt: '2026-01-02T00:00:00.000Z',
  stats: { sends: 10, recipients: 100, partners: 7, openRate: 0.4, clickRate: 0.1 },
  steps: [
    {
      id: 'main',
      name: 'Thank you',
      delayDays: 0,
      subject: 'Thanks for your visit, {{ contact.first_name }}',
      preheader: '',
      blocks: [
        {
          id: 'header',
          kind: 'header',
          label: 'Brand header',
          locked: true,
          content: '<img src="https://assets.example/logo.png" alt="Aurora Motors">',
        },
        {
          id: 'greeting',
          kind: 'text',
          label: 'Greeting',
          locked: false,
          content: '<p>Hi {{ contact.first_name }},</p>',
          rules: { required: true, maxLength: 40, format: 'plain' },
        },
        {
          id: 'intro',
          kind: 'text',
          label: 'Personal note',
          locked: false,
          content: '<p>Thank you for visiting us.</p>',
          rules: {
            maxLength: 200,
            format: 'basic',
            restrictedWords: ['free', 'guaranteed'],
            restrictedPatterns: ['[€$]\\s?\\d'],
            allowedLinkSchemes: ['https'],
          },
        },
        {
          id: 'photo',
          kind: 'image',
          label: 'Photo',
          locked: false,
          content: '<img src="https://images.example/car.jpg" alt="Your car">',
          rules: { allowedImageDomains: ['images.example'] },
        },
        {
          id: 'legal',
          kind: 'legal',
          label: 'Legal footer',
          locked: true,
          content: '<p>Aurora Motors GmbH, Am Hafen 1, Hamburg.</p>',
        },
      ],
    },
  ],
  mergeFields: [
    { key: 'contact.first_name', label: 'First name', fallback: 'there' },
    { key: 'partner.name', label: 'Partner name', fallback: 'your partner' },
  ],
  approvalRule: { mode: 'never' },
  audience: { tiers: [], regions: [] },
});

const approval: Journey = Journey.parse({
  ...thanks,
  id: 'j-approval',
  name: 'Spring offer',
  approvalRequired: true,
  approvalRule: { mode: 'always', approver: 'brand_compliance' },
});

function contact(n: number, first: string, last: string, extra: Partial<Contact> = {}): Contact {
  return Contact.parse({
    id: `c-${n}`,
    email: `${first.toLowerCase()}@example.com`,
    firstName: first,
    lastName: last,
    company: n % 2 ? 'Acme' : null,
    locale: 'en',
    consent: 'opted_in',
    status: 'active',
    mailable: true,
    tags: [],
    createdAt: new Date(Date.UTC(2026, 0, n)).toISOString(),
    ...extra,
  });
}

const people: Contact[] = [
  contact(1, 'Anna', 'Schmidt'),
  contact(2, 'Ben', 'Okafor'),
  contact(3, 'Chen', 'Li', { status: 'unsubscribed', mailable: false }),
  contact(4, 'Dana', 'Weiss', { status: 'bounced', mailable: false }),
  contact(5, 'Eve', 'Moreau', { consent: 'opted_out', mailable: false }),
  contact(6, 'Farid', 'Haddad'),
];

const reasonOf = (c: Contact): PreviewIssue | undefined =>
  c.status === 'unsubscribed'
    ? { code: 'unsubscribed', severity: 'blocking', field: c.id, message: `${c.email} has unsubscribed` }
    : c.status !== 'active'
      ? { code: 'suppressed', severity: 'blocking', field: c.id, message: `${c.email} is suppressed` }
      : c.consent === 'opted_out'
        ? { code: 'no_consent', severity: 'blocking', field: c.id, message: `${c.email} opted out` }
        : undefined;

// ---------------------------------------------------------------------------------------------------
// A stub backend over StubApi: routes, recorded POST bodies, replaceable behaviour per route

type Route = 'journey' | 'journeys' | 'contacts' | 'preview' | 'batch' | 'send';
type Handler = (url: URL, request: Request) => Response | Promise<Response>;

interface Post {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly key: string | null;
}

class Backend {
  journeys: Journey[] = [thanks, approval];
  contacts: Contact[] = people;
  /** Extra issues per preview (by contact id and personalization). */
  previewIssues: (contactId: string, personalization: Record<string, string>) => PreviewIssue[] = () => [];
  /** The answer to `POST /v1/sends`. */
  sendResponse: (body: SendCreate, n: number) => Response | Promise<Response> = (body) =>
    json(sendFor(body, 'scheduled'), 201);
  readonly routes: Partial<Record<Route, Handler>> = {};
  readonly posts: Post[] = [];
  readonly api = new StubApi((url, request) => this.#handle(url, request));

  postsTo(path: string): Post[] {
    return this.posts.filter((p) => p.path === path);
  }

  async #handle(url: URL, request: Request): Promise<Response> {
    const path = url.pathname.replace(/^.*?(?=\/v1\/)/, '');
    const route: Route | undefined =
      path === '/v1/journeys'
        ? 'journeys'
        : path.startsWith('/v1/journeys/')
          ? 'journey'
          : path === '/v1/contacts'
            ? 'contacts'
            : path === '/v1/previews'
              ? 'preview'
              : path === '/v1/previews/batch'
                ? 'batch'
                : path === '/v1/sends'
                  ? 'send'
                  : undefined;
    let body: Record<string, unknown> = {};
    if (request.method === 'POST') {
      body = (await request.clone().json()) as Record<string, unknown>;
      this.posts.push({ path, body, key: request.headers.get('idempotency-key') });
    }
    if (!route) return error(404, 'not_found', `no route ${path}`);
    const custom = this.routes[route];
    if (custom) return custom(url, request);
    switch (route) {
      case 'journeys':
        return json(
          JourneyPage.parse({ items: this.journeys, nextCursor: null, total: this.journeys.length }),
        );
      case 'journey': {
        const found = this.journeys.find((j) => j.id === decodeURIComponent(path.split('/').pop()!));
        return found ? json(found) : error(404, 'not_found', 'journey not found');
      }
      case 'contacts': {
        const q = url.searchParams.get('q')?.toLowerCase();
        const limit = Number(url.searchParams.get('limit') ?? 25);
        const start = Number(url.searchParams.get('cursor') ?? 0);
        const matching = this.contacts.filter(
          (c) => !q || `${c.firstName} ${c.lastName} ${c.email}`.toLowerCase().includes(q),
        );
        const items = matching.slice(start, start + limit);
        const nextCursor = start + limit < matching.length ? String(start + limit) : null;
        return json(ContactPage.parse({ items, nextCursor, total: matching.length }));
      }
      case 'preview': {
        const contactId = body.contactId as string;
        const personalization = (body.personalization ?? {}) as Record<string, string>;
        const who = this.contacts.find((c) => c.id === contactId);
        if (!who) return error(404, 'not_found', 'contact not found');
        const greeting = personalization.greeting ?? `Hi ${who.firstName},`;
        const issues = [
          ...(reasonOf(who) ? [reasonOf(who)!] : []),
          ...this.previewIssues(contactId, personalization),
        ];
        return json(
          Preview.parse({
            subject: `Thanks for your visit, ${who.firstName}`,
            html: `<!doctype html><html><body><p class="greeting">${greeting}</p><p>preview-for-${contactId}</p></body></html>`,
            text: `${greeting}\n\ntext-for-${contactId}`,
            issues,
            from: 'Nordlicht Autohaus via Aurora Motors <partners@aurora.example>',
            replyTo: 'sales@nordlicht.example',
          }),
        );
      }
      case 'batch': {
        const ids = body.contactIds as string[];
        const items = ids.map((id) => {
          const who = this.contacts.find((c) => c.id === id)!;
          const issue = reasonOf(who);
          return {
            contactId: id,
            email: who.email,
            name: `${who.firstName} ${who.lastName}`,
            status: issue ? 'blocking' : 'ok',
            issues: issue ? [issue] : [],
          };
        });
        const blocking = items.filter((i) => i.status === 'blocking').length;
        return json(
          PreviewBatch.parse({
            items,
            summary: { recipients: ids.length, ok: ids.length - blocking, warning: 0, blocking, byCode: {} },
            issues: [],
          }),
        );
      }
      case 'send':
        return this.sendResponse(SendCreate.parse(body), this.postsTo('/v1/sends').length);
    }
  }
}

function error(
  status: number,
  code: string,
  message: string,
  fields?: Array<{ path: string; message: string }>,
) {
  return json(ErrorBody.parse({ error: { code, message, ...(fields ? { fields } : {}) } }), status);
}

function sendFor(body: SendCreate, status: Send['status'], scheduledAt: string | null = null): Send {
  return Send.parse({
    id: 'snd_1',
    kind: body.kind ?? 'quick',
    journeyId: body.journeyId,
    journeyName: thanks.name,
    partnerId: 'p-1',
    createdBy: 'u-1',
    status,
    recipientCount: body.contactIds.length,
    createdAt: '2026-03-01T10:00:00.000Z',
    scheduledAt: scheduledAt ?? body.scheduledAt ?? null,
  });
}

// ---------------------------------------------------------------------------------------------------
// Mounting and driving

interface MountOptions {
  journeyId?: string;
  contactIds?: string;
  mode?: string;
  locale?: string;
  theme?: 'light' | 'dark';
}

async function mount(backend: Backend, options: MountOptions = {}): Promise<DmQuickSend> {
  const provider = await fixture(
    html`<dm-provider
      .client=${backend.api.client()}
      theme=${options.theme ?? 'light'}
      locale=${ifDefined(options.locale)}
    >
      <dm-quick-send
        journey-id=${ifDefined(options.journeyId)}
        contact-ids=${ifDefined(options.contactIds)}
        mode=${ifDefined(options.mode)}
      ></dm-quick-send>
    </dm-provider>`,
  );
  return provider.querySelector('dm-quick-send')!;
}

const active = (el: DmQuickSend) => shadow(el).activeElement as HTMLElement | null;
const byId = <T extends HTMLElement = HTMLElement>(el: DmQuickSend, id: string) =>
  shadow(el).getElementById(id) as T | null;
const options = (el: DmQuickSend) => parts(el, 'option');
const chips = (el: DmQuickSend) => parts(el, 'chip');
const heading = (el: DmQuickSend) => text(byId(el, 'panel-heading'));
const button = (el: DmQuickSend, label: string) =>
  [...shadow(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => text(b) === label) ?? null;

async function contactsLoaded(el: DmQuickSend): Promise<void> {
  await waitUntil(() => options(el).length > 0, 'contacts listed', { timeout: 4000 });
  await el.updateComplete;
}

/** Presses Tab (or Shift+Tab) until `done()` — a keyboard user moving through the form. */
async function tabUntil(done: () => boolean, what: string, backwards = false): Promise<void> {
  for (let i = 0; i < 60 && !done(); i++) await sendKeys({ press: backwards ? 'Shift+Tab' : 'Tab' });
  if (!done()) throw new Error(`never reached ${what} with Tab`);
}

async function select(el: DmQuickSend, ...ids: string[]): Promise<void> {
  await contactsLoaded(el);
  for (const id of ids)
    options(el)
      .find((o) => o.dataset.id === id)!
      .click();
  await el.updateComplete;
}

async function goTo(el: DmQuickSend, step: 'Recipients' | 'Personalize' | 'Preview' | 'Send'): Promise<void> {
  parts(el, 'step')
    .find((s) => text(s).includes(step))!
    .click();
  await waitUntil(() => heading(el).includes(step), `step ${step}`);
}

async function edit(el: DmQuickSend, blockId: string, value: string): Promise<HTMLTextAreaElement> {
  const textarea = byId<HTMLTextAreaElement>(el, `block-${blockId}`)!;
  textarea.value = value;
  textarea.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
  return textarea;
}

async function previewShown(el: DmQuickSend, contactId: string): Promise<HTMLIFrameElement> {
  await waitUntil(
    () => part<HTMLIFrameElement>(el, 'frame')?.getAttribute('srcdoc')?.includes(`preview-for-${contactId}`),
    `preview for ${contactId}`,
    { timeout: 4000 },
  );
  return part<HTMLIFrameElement>(el, 'frame')!;
}

/** Recipients picked, then on the Send step with every recipient checked. */
async function readyToSend(backend: Backend, mountOptions: MountOptions = {}, ...ids: string[]) {
  const el = await mount(backend, { journeyId: 'j-thanks', ...mountOptions });
  await waitForState(el, 'ready');
  await select(el, ...(ids.length ? ids : ['c-1', 'c-2']));
  await goTo(el, 'Send');
  await waitUntil(() => !el.matches(':state(blocked)'), 'send unblocked', { timeout: 4000 });
  return el;
}

function cssText(group: CSSResultGroup): string {
  return [group]
    .flat(Infinity as 1)
    .map((sheet) => (sheet as { cssText: string }).cssText)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------

describe('<dm-quick-send>', () => {
  describe('accessibility', () => {
    it('is accessible with the journey and contacts loaded', async () => {
      const el = await mount(new Backend(), { journeyId: 'j-thanks' });
      await waitForState(el, 'ready');
      await contactsLoaded(el);
      await expect(el).to.be.accessible();
    });

    it('is accessible while the journey loads', async () => {
      const backend = new Backend();
      backend.routes.journey = (_, request) => hang(request);
      const el = await mount(backend, { journeyId: 'j-thanks' });
      await waitForState(el, 'loading');
      expect(part(el, 'spinner')).to.not.equal(null);
      expect(text(shadow(el).querySelector('[role="status"]'))).to.equal(en['state.loading']);
      await expect(el).to.be.accessible();
    });

    it('is accessible in the error state, and "Try again" loads the journey', async () => {
      const backend = new Backend();
      backend.routes.journey = () => error(503, 'server', 'maintenance');
      const el = await mount(backend, { journeyId: 'j-thanks' });
      await waitForState(el, 'error');
      expect(text(part(el, 'error'))).to.include(en['error.server']);
      await expect(el).to.be.accessible();

      delete backend.routes.journey;
      part(el, 'retry-button')!.click();
      await waitForState(el, 'ready');
      expect(part(el, 'error')).to.equal(null);
      expect(text(part(el, 'header'))).to.include(thanks.name);
    });

    it('is accessible in the empty state, which explains how to get contacts', async () => {
      const backend = new Backend();
      backend.contacts = [];
      const el = await mount(backend, { journeyId: 'j-thanks' });
      await waitForState(el, 'empty');
      expect(text(part(el, 'empty'))).to.include(en['quickSend.emptyContacts']);
      // Nothing to search or select.
      expect(part(el, 'search')!.getClientRects()).to.have.length(0);
      expect(part(el, 'count')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('is accessible in the preview step with issues', async () => {
      const backend = new Backend();
      backend.previewIssues = () => [
        {
          code: 'missing_merge_data',
          severity: 'warning',
          field: 'contact.first_name',
          message: 'no first name',
        },
      ];
      const el = await mount(backend, { journeyId: 'j-thanks' });
      await waitForState(el, 'ready');
      await select(el, 'c-1');
      await goTo(el, 'Preview');
      await previewShown(el, 'c-1');
      expect(parts(el, 'issue')).to.have.length(1);
      await expect(el).to.be.accessible();
    });

    it('is accessible in the dark theme, which really applies', async () => {
      const el = await mount(new Backend(), { journeyId: 'j-thanks', theme: 'dark' });
      await waitForState(el, 'ready');
      await contactsLoaded(el);
      await expect(el).to.be.accessible();
      expect(getComputedStyle(el).backgroundColor).to.equal('rgb(13, 17, 23)');
      await select(el, 'c-1');
      await goTo(el, 'Personalize');
      await expect(el).to.be.accessible();
    });

    it('styles read only defined --dm-* tokens and hold no literal colours', () => {
      const css = cssText(quickSendStyles);
      const own = [
        '--dm-quick-send-list-block-size',
        '--dm-quick-send-frame-block-size',
        '--dm-quick-send-mobile-inline-size',
      ];
      const used = new Set([...css.matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1]!));
      expect([...used].filter((t) => !tokenNames.includes(t) && !own.includes(t))).to.deep.equal([]);
      const literals =
        css.match(
          /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|oklch|lab|lch|hwb)\(|(?<![\w-])(?:white|black)(?![\w-])/gi,
        ) ?? [];
      expect(literals).to.deep.equal([]);
      expect(css).to.not.match(/--dm-ref-/);
    });
  });

  describe('recipients', () => {
    it('lists contacts; the unmailable ones are disabled with the reason and cannot be picked', async () => {
      const el = await mount(new Backend(), { journeyId: 'j-thanks' });
      await contactsLoaded(el);
      const byContact = (id: string) => options(el).find((o) => o.dataset.id === id)!;
      expect(options(el)).to.have.length(6);
      expect(part(el, 'listbox')!.getAttribute('aria-multiselectable')).to.equal('true');
      expect(byContact('c-3').getAttribute('aria-disabled')).to.equal('true');
      expect(text(byContact('c-3'))).to.include(en['quickSend.unavailable.unsubscribed']);
      expect(text(byContact('c-4'))).to.include(en['quickSend.unavailable.bounced']);
      expect(text(byContact('c-5'))).to.include(en['quickSend.unavailable.opted_out']);
      expect(byContact('c-1').hasAttribute('aria-disabled')).to.equal(false);

      byContact('c-3').click();
      byContact('c-3').focus();
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(byContact('c-3').getAttribute('aria-selected')).to.equal('false');
      expect(chips(el)).to.have.length(0);
      expect(text(part(el, 'count'))).to.equal('0 recipients selected');
    });

    it('moves with the arrow keys, toggles with Space, and removes chips with Backspace and Delete', async () => {
      const el = await mount(new Backend(), { journeyId: 'j-thanks' });
      await contactsLoaded(el);
      part<HTMLInputElement>(el, 'search')!.focus();
      await sendKeys({ press: 'ArrowDown' });
      expect(active(el)).to.equal(options(el)[0]);
      await sendKeys({ press: 'Space' });
      await sendKeys({ press: 'ArrowDown' });
      expect(active(el)).to.equal(options(el)[1]);
      await sendKeys({ press: 'Space' });
      await sendKeys({ press: 'End' });
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(options(el).map((o) => o.getAttribute('aria-selected'))).to.deep.equal([
        'true',
        'true',
        'false',
        'false',
        'false',
        'true',
      ]);
      expect(options(el).filter((o) => o.getAttribute('tabindex') === '0')).to.have.length(1);
      expect(text(part(el, 'count'))).to.equal('3 recipients selected');
      expect(chips(el).map((c) => text(c.querySelector('.chip__name')))).to.deep.equal([
        'Anna Schmidt',
        'Ben Okafor',
        'Farid Haddad',
      ]);

      // Space again deselects.
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(chips(el)).to.have.length(2);

      chips(el)[0]!.focus();
      await sendKeys({ press: 'ArrowRight' });
      expect(active(el)).to.equal(chips(el)[1]);
      await sendKeys({ press: 'Backspace' });
      await el.updateComplete;
      expect(chips(el).map((c) => c.dataset.id)).to.deep.equal(['c-1']);
      expect(active(el)).to.equal(chips(el)[0]);
      await sendKeys({ press: 'Delete' });
      await el.updateComplete;
      expect(chips(el)).to.have.length(0);
      expect(active(el)).to.equal(part(el, 'search'));
      expect(text(part(el, 'count'))).to.equal('0 recipients selected');
    });

    it('debounces the search into one request with q and aborts a stale one', async () => {
      const backend = new Backend();
      const el = await mount(backend, { journeyId: 'j-thanks' });
      await contactsLoaded(el);
      const contactRequests = () => backend.api.to('/v1/contacts');
      expect(contactRequests()).to.have.length(1);

      part<HTMLInputElement>(el, 'search')!.focus();
      await sendKeys({ type: 'ben' });
      expect(contactRequests()).to.have.length(1);
      await waitUntil(() => contactRequests().length === 2, 'search sent');
      expect(contactRequests()[1]!.url.searchParams.get('q')).to.equal('ben');
      await waitUntil(() => options(el).length === 1, 'filtered');

      backend.routes.contacts = (_, request) => hang(request);
      await sendKeys({ type: 'x' });
      await waitUntil(() => contactRequests().length === 3, 'slow search sent');
      const stale = contactRequests()[2]!;
      delete backend.routes.contacts;
      await sendKeys({ press: 'Backspace' });
      await waitUntil(() => stale.aborted, 'stale search aborted');
      await waitUntil(() => options(el).length === 1 && !el.matches(':state(loading)'), 'results back');
      expect(el.matches(':state(error)')).to.equal(false);
    });

    it('says when nothing matches, and loads more pages', async () => {
      const backend = new Backend();
      backend.contacts = Array.from({ length: 7 }, (_, i) => contact(i + 1, `Person${i + 1}`, 'Test'));
      const provider = await fixture(
        html`<dm-provider .client=${backend.api.client()}>
          <dm-quick-send journey-id="j-thanks" page-size="3"></dm-quick-send>
        </dm-provider>`,
      );
      const el = provider.querySelector('dm-quick-send')!;
      await contactsLoaded(el);
      expect(options(el)).to.have.length(3);
      part(el, 'load-more-button')!.click();
      await waitUntil(() => options(el).length === 6, 'second page');
      expect(backend.api.to('/v1/contacts').at(-1)!.url.searchParams.get('cursor')).to.equal('3');
      part(el, 'load-more-button')!.click();
      await waitUntil(() => options(el).length === 7, 'last page');
      await el.updateComplete;
      expect(part(el, 'load-more-button')).to.equal(null);

      const search = part<HTMLInputElement>(el, 'search')!;
      search.focus();
      await sendKeys({ type: 'nobody' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => text(part(el, 'body')).includes('No contacts match “nobody”'), 'no match');
      expect(el.matches(':state(empty)')).to.equal(false);
    });

    it('presets recipients from contact-ids and names them', async () => {
      const backend = new Backend();
      backend.routes.contacts = () => json(ContactPage.parse({ items: [], nextCursor: null, total: 0 }));
      const el = await mount(backend, { journeyId: 'j-thanks', contactIds: 'c-2, c-3' });
      await waitUntil(() => text(part(el, 'chips')).includes('Ben Okafor'), 'resolved by a batch preview');
      expect(chips(el).map((c) => c.dataset.id)).to.deep.equal(['c-2', 'c-3']);
      expect(text(chips(el)[1])).to.include(en['quickSend.unavailable.unsubscribed']);
      expect(backend.postsTo('/v1/previews/batch')[0]!.body.contactIds).to.deep.equal(['c-2', 'c-3']);
      expect(el.matches(':state(blocked)')).to.equal(true);
    });
  });

  describe('personalize', () => {
    async function personalize(backend = new Backend()) {
      const el = await mount(backend, { journeyId: 'j-thanks' });
      await waitForState(el, 'ready');
      await select(el, 'c-1', 'c-2');
      await goTo(el, 'Personalize');
      return el;
    }

    it('shows locked blocks read-only in place and editable blocks with the brand text', async () => {
      const el = await personalize();
      const blocks = parts(el, 'block');
      expect(blocks).to.have.length(5);
      const locked = blocks.filter((b) => b.querySelector('[part~="locked-badge"]'));
      expect(locked.map((b) => text(b.querySelector('.block__label')))).to.deep.equal([
        'Brand header',
        'Legal footer',
      ]);
      expect(text(locked[1])).to.include(en['quickSend.locked']);
      expect(text(locked[1])).to.include('Aurora Motors GmbH, Am Hafen 1, Hamburg.');
      expect(locked.every((b) => !b.querySelector('textarea'))).to.equal(true);

      expect(byId<HTMLTextAreaElement>(el, 'block-greeting')!.value).to.equal('Hi {{ contact.first_name }},');
      expect(byId<HTMLTextAreaElement>(el, 'block-intro')!.value).to.equal('Thank you for visiting us.');
      expect(byId<HTMLTextAreaElement>(el, 'block-photo')!.value).to.equal('https://images.example/car.jpg');
      expect(text(part(el, 'counter'))).to.equal('12 characters left');
      expect(el.draft!.personalization).to.deep.equal({});
    });

    it('gives instant rule feedback that blocks sending: too long, restricted word, javascript: link', async () => {
      const backend = new Backend();
      const el = await personalize(backend);
      let submitted = 0;
      el.addEventListener('dm-send-submitted', () => submitted++);

      const greeting = await edit(el, 'greeting', 'Hello there, my dearest and most valued customer');
      expect(greeting.getAttribute('aria-invalid')).to.equal('true');
      expect(text(byId(el, 'counter-greeting'))).to.equal('8 characters too many');
      expect(text(byId(el, 'findings-greeting'))).to.include('8 characters over the limit of 40.');

      const intro = await edit(
        el,
        'intro',
        'Your service is FREE. [Book now](javascript:alert(1)) or pay $5.',
      );
      const findings = text(byId(el, 'findings-intro'));
      expect(findings).to.include('“free” is not allowed by the brand.');
      expect(findings).to.include('Links starting with “javascript:” are not allowed. Use: https.');
      expect(findings).to.include('“$5” is not allowed here.');
      expect(intro.getAttribute('aria-invalid')).to.equal('true');

      await edit(el, 'photo', 'https://evil.example/x.png');
      expect(text(byId(el, 'findings-photo'))).to.include(
        'Images must be https and come from: images.example.',
      );

      await goTo(el, 'Send');
      expect(el.matches(':state(blocked)')).to.equal(true);
      const send = part(el, 'send-button')!;
      expect(send.getAttribute('aria-disabled')).to.equal('true');
      expect(text(byId(el, send.getAttribute('aria-describedby')!))).to.include(
        '3 problems in your text must be fixed before sending.',
      );
      send.click();
      await waitUntil(() => active(el)?.id === 'block-greeting', 'focus moved to the first problem');
      expect(backend.postsTo('/v1/sends')).to.have.length(0);
      expect(submitted).to.equal(0);

      // Fixing everything unblocks.
      await edit(el, 'greeting', 'Hello Anna,');
      await edit(el, 'intro', 'See you soon.');
      await edit(el, 'photo', 'https://cdn.images.example/x.png');
      expect(parts(el, 'findings').every((f) => text(f) === '')).to.equal(true);
      await goTo(el, 'Send');
      await waitUntil(() => !el.matches(':state(blocked)'), 'unblocked');
    });

    it('blocks http: when only https is allowed, and an emptied required block', async () => {
      const el = await personalize();
      await edit(el, 'intro', 'Visit [us](http://dealer.example).');
      expect(text(byId(el, 'findings-intro'))).to.include('Links starting with “http:”');
      await edit(el, 'greeting', '   ');
      expect(text(byId(el, 'findings-greeting'))).to.include(en['quickSend.finding.required']);
      expect(el.matches(':state(blocked)')).to.equal(true);
    });

    it('inserts a merge field at the caret from the keyboard', async () => {
      const el = await personalize();
      const intro = await edit(el, 'intro', 'Thanks  for coming.');
      intro.focus();
      intro.setSelectionRange(7, 7);
      const merge = byId(el, 'merge-intro')!;
      merge.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => part(el, 'merge-menu'), 'menu open');
      expect(merge.getAttribute('aria-expanded')).to.equal('true');
      await sendKeys({ press: 'ArrowDown' });
      expect(text(active(el))).to.include('Partner name');
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => part(el, 'merge-menu') === null, 'menu closed');
      expect(intro.value).to.equal('Thanks {{ partner.name }} for coming.');
      expect(active(el)).to.equal(intro);
      expect(intro.selectionStart).to.equal('Thanks {{ partner.name }}'.length);
      expect(el.draft!.personalization).to.deep.equal({ intro: 'Thanks {{ partner.name }} for coming.' });

      // Escape closes the menu and returns to its button without cancelling the flow.
      let cancelled = 0;
      el.addEventListener('dm-cancel', () => cancelled++);
      merge.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => part(el, 'merge-menu'), 'menu open again');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => part(el, 'merge-menu') === null, 'menu closed by Escape');
      expect(active(el)).to.equal(byId(el, 'merge-intro'));
      expect(cancelled).to.equal(0);
    });

    it('overrides a block for one recipient only', async () => {
      const backend = new Backend();
      const el = await personalize(backend);
      await edit(el, 'intro', 'Thanks for coming by.');
      const target = part<HTMLSelectElement>(el, 'target-select')!;
      target.value = 'c-2';
      target.dispatchEvent(new Event('change'));
      await el.updateComplete;
      expect(text(shadow(el).querySelector('.note'))).to.include('Changes here apply to Ben Okafor only.');
      expect(byId<HTMLTextAreaElement>(el, 'block-intro')!.value).to.equal('Thanks for coming by.');
      await edit(el, 'intro', 'Ben, the winter tyres are ready.');
      expect(el.draft!.personalization).to.deep.equal({ intro: 'Thanks for coming by.' });
      expect(el.draft!.overrides).to.deep.equal({ 'c-2': { intro: 'Ben, the winter tyres are ready.' } });

      target.value = '';
      target.dispatchEvent(new Event('change'));
      await el.updateComplete;
      expect(byId<HTMLTextAreaElement>(el, 'block-intro')!.value).to.equal('Thanks for coming by.');

      // The preview for Ben renders his text.
      await goTo(el, 'Preview');
      await previewShown(el, 'c-1');
      button(el, `${en['quickSend.nextRecipient']} ›`)!.click();
      await previewShown(el, 'c-2');
      const previews = backend.postsTo('/v1/previews');
      expect(previews.at(-1)!.body.personalization).to.deep.equal({
        intro: 'Ben, the winter tyres are ready.',
      });
      expect(previews[0]!.body.personalization).to.deep.equal({ intro: 'Thanks for coming by.' });
    });
  });

  describe('preview', () => {
    it('shows the server html in a sandboxed frame, with subject, text version, widths and recipients', async () => {
      const backend = new Backend();
      const el = await mount(backend, { journeyId: 'j-thanks' });
      await waitForState(el, 'ready');
      await select(el, 'c-1', 'c-2', 'c-6');
      await goTo(el, 'Preview');
      const frame = await previewShown(el, 'c-1');
      expect(frame.getAttribute('sandbox')).to.equal('');
      expect(frame.getAttribute('srcdoc')).to.include('<p class="greeting">Hi Anna,</p>');
      // Links may not navigate the preview itself: they ask for a window, which the sandbox refuses.
      expect(frame.getAttribute('srcdoc')).to.include('<base target="_blank">');
      expect(frame.contentDocument).to.equal(null); // no same-origin access
      expect(frame.title).to.equal('Email preview for Anna Schmidt');
      expect(text(part(el, 'envelope'))).to.include('Thanks for your visit, Anna');
      expect(text(part(el, 'envelope'))).to.include('Nordlicht Autohaus via Aurora Motors');
      expect(text(part(el, 'preview-nav'))).to.include('1 of 3');
      expect(backend.postsTo('/v1/previews')[0]!.body).to.deep.equal({
        journeyId: 'j-thanks',
        stepId: 'main',
        contactId: 'c-1',
        personalization: {},
      });

      button(el, `${en['quickSend.nextRecipient']} ›`)!.click();
      await previewShown(el, 'c-2');
      expect(text(part(el, 'preview-nav'))).to.include('2 of 3');
      expect(text(part(el, 'preview-nav'))).to.include('Ben Okafor');

      button(el, en['quickSend.mobile'])!.click();
      await el.updateComplete;
      expect(part(el, 'frame')!.getBoundingClientRect().width).to.be.at.most(375);
      expect(button(el, en['quickSend.mobile'])!.getAttribute('aria-pressed')).to.equal('true');

      button(el, en['quickSend.textVersion'])!.click();
      await el.updateComplete;
      expect(part(el, 'frame')).to.equal(null);
      expect(text(part(el, 'text-version'))).to.include('text-for-c-2');
    });

    it('links each issue to the field to fix, and blocking issues disable Send with the reason', async () => {
      const backend = new Backend();
      backend.previewIssues = (contactId) =>
        contactId === 'c-1'
          ? [{ code: 'rule_violation', severity: 'blocking', field: 'intro', message: 'intro breaks a rule' }]
          : [];
      const el = await mount(backend, { journeyId: 'j-thanks', contactIds: 'c-1,c-3' });
      await waitForState(el, 'ready');
      await goTo(el, 'Preview');
      await previewShown(el, 'c-1');
      const issue = parts(el, 'issue').find((i) => text(i).includes('intro breaks a rule'))!;
      expect(text(issue)).to.include(en['quickSend.severity.blocking']);
      issue.querySelector('button')!.click();
      await waitUntil(() => active(el)?.id === 'block-intro', 'the block textarea is focused');
      expect(heading(el)).to.include('Personalize');

      await goTo(el, 'Preview');
      button(el, `${en['quickSend.nextRecipient']} ›`)!.click();
      await previewShown(el, 'c-3');
      const unsubscribed = parts(el, 'issue').find((i) => text(i).includes('has unsubscribed'))!;
      unsubscribed.querySelector('button')!.click();
      await waitUntil(() => active(el)?.dataset.id === 'c-3', 'the recipient chip is focused');
      expect(active(el)!.getAttribute('part')).to.equal('chip');

      await goTo(el, 'Send');
      const send = part(el, 'send-button')!;
      expect(send.getAttribute('aria-disabled')).to.equal('true');
      expect(text(byId(el, 'send-blocker'))).to.include('1 recipient cannot receive email');
      send.click();
      await el.updateComplete;
      expect(backend.postsTo('/v1/sends')).to.have.length(0);
    });
  });

  describe('sending', () => {
    it('goes from picking recipients to a submitted send with the keyboard only', async () => {
      const backend = new Backend();
      const el = await mount(backend, { journeyId: 'j-thanks' });
      await waitForState(el, 'ready');
      await contactsLoaded(el);

      await tabUntil(() => active(el) === part(el, 'search'), 'the contact search');
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Space' });
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Space' });
      await tabUntil(() => active(el)?.id === 'next', 'Next');
      await sendKeys({ press: 'Enter' });
      await waitUntil(
        () => active(el)?.id === 'panel-heading' && heading(el).includes('Personalize'),
        'step 2',
      );

      await tabUntil(() => active(el)?.id === 'block-greeting', 'the greeting');
      await sendKeys({ press: 'End' });
      await sendKeys({ type: ' welcome' });
      await tabUntil(() => active(el)?.id === 'next', 'Next');
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => heading(el).includes('Preview'), 'step 3');
      await previewShown(el, 'c-1');

      await tabUntil(() => active(el)?.id === 'next', 'Next');
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => heading(el).includes('Send'), 'step 4');
      await waitUntil(() => !el.matches(':state(blocked)'), 'recipients checked');

      await tabUntil(() => active(el) === part(el, 'send-button'), 'Send');
      const submitted = oneEvent(el, 'dm-send-submitted');
      await sendKeys({ press: 'Enter' });
      const event = await submitted;
      expect(event.detail).to.deep.equal({ sendId: 'snd_1', status: 'scheduled' });
      expect(event.bubbles && event.composed).to.equal(true);

      const [post] = backend.postsTo('/v1/sends');
      expect(post!.body).to.deep.equal({
        kind: 'quick',
        journeyId: 'j-thanks',
        stepId: 'main',
        contactIds: ['c-1', 'c-2'],
        personalization: { greeting: 'Hi {{ contact.first_name }}, welcome' },
        overrides: {},
      });
      expect(post!.key).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      await waitForState(el, 'submitted');
      expect(text(part(el, 'result'))).to.include('Your emails to 2 recipients are on their way.');
      expect(active(el)).to.equal(part(el, 'result'));
    });

    it('sends one POST for a double click and disables the button while in flight', async () => {
      const backend = new Backend();
      let answer!: () => void;
      const gate = new Promise<void>((resolve) => (answer = resolve));
      backend.sendResponse = async (body) => {
        await gate;
        return json(sendFor(body, 'scheduled'), 201);
      };
      const el = await readyToSend(backend);
      let submitted = 0;
      el.addEventListener('dm-send-submitted', () => submitted++);
      const send = part(el, 'send-button')!;
      send.click();
      send.click();
      await waitForState(el, 'sending');
      expect(send.getAttribute('aria-disabled')).to.equal('true');
      expect(text(send)).to.equal(en['quickSend.sending']);
      send.click();
      answer();
      await waitForState(el, 'submitted');
      expect(backend.postsTo('/v1/sends')).to.have.length(1);
      expect(submitted).to.equal(1);
    });

    it('retries after a network error with the same Idempotency-Key, and a new key for new content', async () => {
      const backend = new Backend();
      backend.sendResponse = () => Promise.reject(new TypeError('Failed to fetch'));
      const el = await readyToSend(backend);
      const failed = oneEvent(el, 'dm-send-failed');
      part(el, 'send-button')!.click();
      const event = await failed;
      expect(isDmApiError(event.detail.error) && event.detail.error.kind).to.equal('network');
      await waitForState(el, 'failed');
      expect(text(part(el, 'result'))).to.include(en['error.network']);

      // "Try again" with the same content.
      button(el, en['state.retry'])!.click();
      await waitUntil(() => backend.postsTo('/v1/sends').length === 2, 'retried');
      await waitForState(el, 'failed');
      part(el, 'send-button')!.click();
      await waitUntil(() => backend.postsTo('/v1/sends').length === 3, 'sent again');
      await waitForState(el, 'failed');
      const keys = backend.postsTo('/v1/sends').map((p) => p.key);
      expect(keys[0]).to.be.a('string');
      expect(new Set(keys).size).to.equal(1);

      // A change of content is a new send: a new key. And this time the network holds.
      await goTo(el, 'Personalize');
      await edit(el, 'intro', 'Something else.');
      backend.sendResponse = (body) => json(sendFor(body, 'scheduled'), 201);
      await goTo(el, 'Send');
      await waitUntil(() => !el.matches(':state(blocked)'), 'unblocked');
      const submitted = oneEvent(el, 'dm-send-submitted');
      part(el, 'send-button')!.click();
      await submitted;
      const last = backend.postsTo('/v1/sends').at(-1)!;
      expect(last.key).to.not.equal(keys[0]);
      expect(last.body.personalization).to.deep.equal({ intro: 'Something else.' });
    });

    it('shows "waiting for approval" for a pending_approval send', async () => {
      const backend = new Backend();
      backend.sendResponse = (body) => json(sendFor(body, 'pending_approval'), 201);
      const el = await mount(backend, { journeyId: 'j-approval' });
      await waitForState(el, 'ready');
      await select(el, 'c-1');
      await goTo(el, 'Send');
      expect(text(part(el, 'panel'))).to.include('This send needs approval by brand compliance');
      await waitUntil(() => !el.matches(':state(blocked)'), 'unblocked');
      const submitted = oneEvent(el, 'dm-send-submitted');
      part(el, 'send-button')!.click();
      expect((await submitted).detail.status).to.equal('pending_approval');
      await waitForState(el, 'submitted');
      expect(text(part(el, 'result'))).to.include('Waiting for approval');
      expect(text(part(el, 'result'))).to.include('as soon as brand compliance approves it');
    });

    it('schedules with the local offset and says when', async () => {
      const backend = new Backend();
      const el = await readyToSend(backend);
      const later = shadow(el).querySelector<HTMLInputElement>('input[value="later"]')!;
      later.click();
      await el.updateComplete;
      const at = byId<HTMLInputElement>(el, 'schedule-at')!;
      at.value = '2099-06-01T09:30';
      at.dispatchEvent(new Event('input'));
      await el.updateComplete;
      expect(text(part(el, 'send-button'))).to.equal(en['quickSend.schedule']);
      const submitted = oneEvent(el, 'dm-send-submitted');
      part(el, 'send-button')!.click();
      await submitted;
      const scheduledAt = backend.postsTo('/v1/sends')[0]!.body.scheduledAt as string;
      expect(scheduledAt).to.match(/^2099-06-01T09:30:00[+-]\d{2}:\d{2}$/);
      expect(new Date(scheduledAt).getTime()).to.equal(new Date(2099, 5, 1, 9, 30).getTime());
      await waitForState(el, 'submitted');
      expect(text(part(el, 'result'))).to.include('Scheduled for');
      expect(text(part(el, 'result'))).to.include('2099');
    });

    it('refuses a schedule in the past', async () => {
      const backend = new Backend();
      const el = await readyToSend(backend);
      shadow(el).querySelector<HTMLInputElement>('input[value="later"]')!.click();
      await el.updateComplete;
      const at = byId<HTMLInputElement>(el, 'schedule-at')!;
      at.value = '2001-01-01T10:00';
      at.dispatchEvent(new Event('input'));
      await el.updateComplete;
      part(el, 'send-button')!.click();
      await el.updateComplete;
      expect(at.getAttribute('aria-invalid')).to.equal('true');
      expect(active(el)).to.equal(at);
      expect(backend.postsTo('/v1/sends')).to.have.length(0);
    });

    it('maps the field errors of a 422 onto the fields and reports dm-send-failed', async () => {
      const backend = new Backend();
      backend.sendResponse = () =>
        error(422, 'validation', 'body.personalization.intro: not allowed (and 1 more)', [
          { path: 'body.personalization.intro', message: '"bargain" is not allowed' },
          { path: 'body.contactIds.1', message: 'ben@example.com is suppressed (complained)' },
        ]);
      const el = await readyToSend(backend);
      await goTo(el, 'Personalize');
      await edit(el, 'intro', 'A bargain for you.');
      await goTo(el, 'Send');
      await waitUntil(() => !el.matches(':state(blocked)'), 'unblocked');
      let submitted = 0;
      el.addEventListener('dm-send-submitted', () => submitted++);
      const failed = oneEvent(el, 'dm-send-failed');
      part(el, 'send-button')!.click();
      const event = await failed;
      expect(isDmApiError(event.detail.error) && event.detail.error.kind).to.equal('validation');
      await waitForState(el, 'failed');
      const result = text(part(el, 'result'));
      expect(result).to.include(en['quickSend.error.validation']);
      expect(result).to.include('Personal note: "bargain" is not allowed');
      expect(result).to.include('Ben Okafor: ben@example.com is suppressed (complained)');
      expect(submitted).to.equal(0);

      button(el, 'Personal note: "bargain" is not allowed')!.click();
      await waitUntil(() => active(el)?.id === 'block-intro', 'intro focused');
      expect(active(el)!.getAttribute('aria-invalid')).to.equal('true');
      expect(text(byId(el, 'findings-intro'))).to.include('"bargain" is not allowed');

      await goTo(el, 'Recipients');
      const ben = chips(el).find((c) => c.dataset.id === 'c-2')!;
      expect(text(byId(el, ben.getAttribute('aria-describedby')!))).to.include('is suppressed (complained)');
    });

    it('focus() moves into the current step, and clicking text leaves focus alone', async () => {
      const el = await mount(new Backend(), { journeyId: 'j-thanks' });
      await waitForState(el, 'ready');
      el.focus();
      expect(document.activeElement).to.equal(el);
      expect(active(el)?.id).to.equal('panel-heading');
      part<HTMLInputElement>(el, 'search')!.focus();
      const title = shadow(el).querySelector('.title')!.getBoundingClientRect();
      await sendMouse({ type: 'click', position: [Math.round(title.x + 5), Math.round(title.y + 5)] });
      expect(active(el)).to.not.equal(part(el, 'change-journey-button'));
    });

    it('maps the field errors of a 400 too, e.g. a schedule the server refused', async () => {
      const backend = new Backend();
      backend.sendResponse = () =>
        error(400, 'validation', 'body.scheduledAt: invalid', [
          { path: 'body.scheduledAt', message: 'must be within the next 90 days' },
        ]);
      const el = await readyToSend(backend);
      shadow(el).querySelector<HTMLInputElement>('input[value="later"]')!.click();
      await el.updateComplete;
      const at = byId<HTMLInputElement>(el, 'schedule-at')!;
      at.value = '2099-01-01T10:00';
      at.dispatchEvent(new Event('input'));
      await el.updateComplete;
      const failed = oneEvent(el, 'dm-send-failed');
      part(el, 'send-button')!.click();
      await failed;
      await waitForState(el, 'failed');
      // A rejected send is not retried as is: the field has to change first.
      expect(button(el, en['state.retry'])).to.equal(null);
      expect(at.getAttribute('aria-invalid')).to.equal('true');
      expect(text(byId(el, 'schedule-hint'))).to.equal('must be within the next 90 days');
      const link = button(el, `${en['quickSend.scheduleAt']}: must be within the next 90 days`)!;
      at.blur();
      link.click();
      await waitUntil(() => active(el) === byId(el, 'schedule-at'), 'schedule focused');
    });

    it('fires dm-cancel for Cancel and for Escape', async () => {
      const el = await mount(new Backend(), { journeyId: 'j-thanks' });
      await waitForState(el, 'ready');
      setTimeout(() => button(el, en['quickSend.cancel'])!.click());
      const clicked = await oneEvent(el, 'dm-cancel');
      expect(clicked.bubbles && clicked.composed).to.equal(true);
      await contactsLoaded(el);
      options(el)[0]!.focus();
      const escaped = oneEvent(el, 'dm-cancel');
      await sendKeys({ press: 'Escape' });
      await escaped;
    });
  });

  describe('journey', () => {
    it('lets the user pick a journey when none is preset', async () => {
      const backend = new Backend();
      const el = await mount(backend);
      await waitUntil(
        () => (part<HTMLSelectElement>(el, 'journey-select')?.options.length ?? 0) > 1,
        'journeys listed',
      );
      expect(backend.api.to('/v1/journeys')[0]!.url.searchParams.get('sort')).to.equal('name');
      const picker = part<HTMLSelectElement>(el, 'journey-select')!;
      picker.value = 'j-approval';
      picker.dispatchEvent(new Event('change'));
      await waitForState(el, 'ready');
      expect(el.journeyId).to.equal('j-approval');
      expect(el.getAttribute('journey-id')).to.equal('j-approval');
      expect(text(part(el, 'header'))).to.include('Spring offer');

      // "Change" goes back to the picker, with focus on it.
      part(el, 'change-journey-button')!.click();
      await waitUntil(() => active(el) === part(el, 'journey-select'), 'picker focused');
      expect(el.journeyId).to.equal(undefined);
    });

    it('enrolls in every step in journey mode', async () => {
      const backend = new Backend();
      const twoSteps = Journey.parse({
        ...thanks,
        id: 'j-two',
        kind: 'journey',
        stepCount: 2,
        steps: [
          thanks.steps[0],
          {
            id: 'later',
            name: 'A week later',
            delayDays: 7,
            subject: 'How is it going?',
            preheader: '',
            blocks: [
              {
                id: 'checkin',
                kind: 'text',
                label: 'Check-in',
                locked: false,
                content: '<p>How is the car?</p>',
                rules: { maxLength: 100 },
              },
            ],
          },
        ],
      });
      backend.journeys = [twoSteps];
      const el = await mount(backend, { journeyId: 'j-two', contactIds: 'c-1' });
      await waitForState(el, 'ready');
      expect(el.effectiveMode).to.equal('journey');
      await goTo(el, 'Personalize');
      expect(text(part(el, 'panel'))).to.include('Sent 7 days later');
      await edit(el, 'checkin', 'All good?');
      await goTo(el, 'Send');
      await waitUntil(() => !el.matches(':state(blocked)'), 'unblocked');
      const submitted = oneEvent(el, 'dm-send-submitted');
      part(el, 'send-button')!.click();
      await submitted;
      const body = backend.postsTo('/v1/sends')[0]!.body;
      expect(body.kind).to.equal('journey');
      expect(body).to.not.have.property('stepId');
      expect(body.personalization).to.deep.equal({ checkin: 'All good?' });
    });
  });

  describe('with a showroom', () => {
    it('takes the journey chosen in the showroom and moves focus here', async () => {
      const backend = new Backend();
      const root = await fixture(
        html`<dm-provider .client=${backend.api.client()}>
          <dm-journey-showroom></dm-journey-showroom>
          <dm-quick-send></dm-quick-send>
        </dm-provider>`,
      );
      const showroom = root.querySelector('dm-journey-showroom')!;
      const el = root.querySelector('dm-quick-send')!;
      await waitForState(showroom, 'loaded');
      const card = parts(showroom, 'card').find((c) => c.dataset.id === 'j-approval')!;
      card.querySelector<HTMLButtonElement>('[part~="select-button"]')!.click();
      await waitForState(el, 'ready');
      expect(el.journeyId).to.equal('j-approval');
      await waitUntil(() => document.activeElement === el, 'focus moved to the quick-send');
      expect(active(el)?.id).to.equal('panel-heading');
    });

    it('ignores a cancelled selection', async () => {
      const backend = new Backend();
      const root = await fixture(
        html`<div>
          <dm-journey-showroom .client=${backend.api.client()}></dm-journey-showroom>
          <dm-quick-send .client=${backend.api.client()}></dm-quick-send>
        </div>`,
      );
      const showroom = root.querySelector('dm-journey-showroom')!;
      const el = root.querySelector('dm-quick-send')!;
      // The host takes over — even from a listener that runs after the quick-send's own.
      const cancel = (event: Event) => event.preventDefault();
      window.addEventListener('dm-journey-select', cancel);
      try {
        showroom.dispatchEvent(new DmJourneySelectEvent({ journey: thanks }));
        await el.updateComplete;
        await Promise.resolve();
        await el.updateComplete;
        expect(el.journeyId).to.equal(undefined);
      } finally {
        window.removeEventListener('dm-journey-select', cancel);
      }
      showroom.dispatchEvent(new DmJourneySelectEvent({ journey: thanks }));
      await waitUntil(() => el.journeyId === 'j-thanks', 'taken when not cancelled');
    });

    it('follows the showroom’s for="…" when there are several quick-sends, and stops listening when removed', async () => {
      const backend = new Backend();
      const root = await fixture(
        html`<div>
          <dm-journey-showroom for="second" .client=${backend.api.client()}></dm-journey-showroom>
          <dm-quick-send id="first" .client=${backend.api.client()}></dm-quick-send>
          <dm-quick-send id="second" .client=${backend.api.client()}></dm-quick-send>
          <dm-journey-showroom id="unlinked" .client=${backend.api.client()}></dm-journey-showroom>
        </div>`,
      );
      const [linked, unlinked] = root.querySelectorAll('dm-journey-showroom');
      const first = root.querySelector<DmQuickSend>('#first')!;
      const second = root.querySelector<DmQuickSend>('#second')!;
      linked!.dispatchEvent(new DmJourneySelectEvent({ journey: thanks }));
      await waitUntil(() => second.journeyId === 'j-thanks', 'the linked one takes it');
      expect(first.journeyId).to.equal(undefined);

      // Without `for` and with two quick-sends on the page, neither guesses.
      unlinked!.dispatchEvent(new DmJourneySelectEvent({ journey: approval }));
      await Promise.resolve();
      await first.updateComplete;
      expect(first.journeyId).to.equal(undefined);
      expect(second.journeyId).to.equal('j-thanks');

      second.remove();
      linked!.dispatchEvent(new DmJourneySelectEvent({ journey: approval }));
      await Promise.resolve();
      expect(second.journeyId).to.equal('j-thanks');
    });
  });

  describe('localization', () => {
    it('renders Simplified Chinese with locale="zh-CN"', async () => {
      const el = await mount(new Backend(), { journeyId: 'j-thanks', locale: 'zh-CN' });
      await waitForState(el, 'ready');
      await contactsLoaded(el);
      expect(part(el, 'base')!.getAttribute('lang')).to.equal('zh-CN');
      expect(text(shadow(el).querySelector('.title'))).to.equal(zhCN['quickSend.title']);
      expect(heading(el)).to.equal('第 1 步，共 4 步：收件人');
      expect(text(shadow(el).querySelector('label[for="contact-search"]'))).to.equal(
        zhCN['quickSend.searchContacts'],
      );
      expect(text(part(el, 'count'))).to.equal('已选择 0 位收件人');
      const unsubscribed = options(el).find((o) => o.dataset.id === 'c-3')!;
      expect(text(unsubscribed)).to.include(zhCN['quickSend.unavailable.unsubscribed']);
      await select(el, 'c-1');
      await goTo(el, '个性化' as 'Personalize');
      expect(text(part(el, 'locked-badge'))).to.include(zhCN['quickSend.locked']);
      await edit(el, 'greeting', '');
      expect(text(byId(el, 'findings-greeting'))).to.include(zhCN['quickSend.finding.required']);
      await expect(el).to.be.accessible();
    });
  });

  describe('outside a provider', () => {
    it('uses its own base-url, token and fetch', async () => {
      const backend = new Backend();
      const el = await fixture<DmQuickSend>(
        html`<dm-quick-send
          journey-id="j-thanks"
          base-url="https://portal.test/dm/"
          token="t0ken"
          .fetch=${backend.api.fetch}
        ></dm-quick-send>`,
      );
      await waitForState(el, 'ready');
      const request = backend.api.to('/v1/journeys/j-thanks')[0]!;
      expect(request.url.href).to.equal('https://portal.test/dm/v1/journeys/j-thanks');
      expect(request.request.headers.get('authorization')).to.equal('Bearer t0ken');
    });
  });

  describe('brand rules in the browser', () => {
    const block = (id: string) => thanks.steps[0]!.blocks.find((b) => b.id === id)!;
    const cjk = Journey.shape.steps.element.shape.blocks.element.parse({
      id: 'zh',
      kind: 'text',
      label: '正文',
      locked: false,
      content: '<p>您好</p>',
      rules: { maxLength: 10, restrictedWords: ['免费', 'best'] },
    });
    const cases: Array<[ReturnType<typeof block>, string | undefined]> = [
      [block('greeting'), undefined],
      [block('greeting'), ''],
      [block('greeting'), 'Hi there'],
      [block('greeting'), 'x'.repeat(41)],
      [block('greeting'), '🚗'.repeat(40)],
      [block('intro'), 'A free check'],
      [block('intro'), 'freedom is not a restricted word'],
      [block('intro'), 'Only $ 49 today, guaranteed!'],
      [
        block('intro'),
        '[one](javascript:alert(1)) and [two](http://x.example) and [three](https://ok.example)',
      ],
      [block('intro'), '[mail](mailto:a@example.com)'],
      [block('intro'), '![pic](https://images.example/a.png) [bad](data:text/html,hi)'],
      [block('intro'), '**bold** and *italic*\n- one\n- two'],
      [block('photo'), 'https://images.example/car.jpg'],
      [block('photo'), 'https://cdn.images.example/car.jpg'],
      [block('photo'), 'http://images.example/car.jpg'],
      [block('photo'), 'https://images.example.evil.test/car.jpg'],
      [cjk, '这是免费的'],
      [cjk, 'bestseller'],
      [cjk, '一二三四五六七八九十十一'],
    ];

    it('finds exactly what the server finds, case by case', () => {
      for (const [b, value] of cases) {
        const client = checkBlock(b, value).map((f) =>
          f.code === 'required' ? 'required' : 'rule_violation',
        );
        const server = checkBlockContent(b, value).map((i) => i.code);
        expect(client, `${b.id}: ${JSON.stringify(value)}`).to.deep.equal(server);
      }
    });

    it('turns brand HTML into the partner text it starts from', () => {
      const basic = {
        ...block('intro'),
        content:
          '<p>Hello <strong>you</strong> &amp; <a href="https://x.example">us</a></p><ul><li>one</li><li>two</li></ul>',
      };
      expect(brandText(basic)).to.equal('Hello **you** & [us](https://x.example)\n\n- one\n- two');
      expect(brandText(block('greeting'))).to.equal('Hi {{ contact.first_name }},');
      expect(brandText(block('photo'))).to.equal('https://images.example/car.jpg');
      // The starting text passes the block's own rules.
      for (const id of ['greeting', 'intro', 'photo'])
        expect(checkBlock(block(id), brandText(block(id)))).to.deep.equal([]);
    });

    it('maps server field paths onto the form and local times onto ISO with an offset', () => {
      const ids = ['c-1', 'c-2'];
      expect(fieldTarget('body.personalization.intro', ids)).to.deep.equal({
        kind: 'block',
        blockId: 'intro',
      });
      expect(fieldTarget('body.overrides.c-2.intro', ids)).to.deep.equal({
        kind: 'override',
        contactId: 'c-2',
        blockId: 'intro',
      });
      expect(fieldTarget('body.contactIds.1', ids)).to.deep.equal({ kind: 'recipient', contactId: 'c-2' });
      expect(fieldTarget('body.contactIds.7', ids)).to.deep.equal({ kind: 'general' });
      expect(fieldTarget('body.scheduledAt', ids)).to.deep.equal({ kind: 'schedule' });
      expect(fieldTarget('header.idempotency-key', ids)).to.deep.equal({ kind: 'general' });

      const iso = localToIso('2030-01-15T08:05')!;
      expect(iso).to.match(/^2030-01-15T08:05:00[+-]\d{2}:\d{2}$/);
      expect(new Date(iso).getTime()).to.equal(new Date(2030, 0, 15, 8, 5).getTime());
      expect(localToIso('')).to.equal(undefined);
      expect(localToIso('not a date')).to.equal(undefined);
    });
  });
});
