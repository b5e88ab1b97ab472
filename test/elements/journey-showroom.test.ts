import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../src/elements/journey-showroom/define.js';
import '../../src/elements/provider/define.js';
import type { DmJourneyShowroom } from '../../src/elements/journey-showroom/journey-showroom.js';
import type { DmErrorEvent } from '../../src/events/error.js';
import { isDmApiError } from '../../src/sdk/index.js';
import { en } from '../../src/translations/en.js';
import { zhCN } from '../../src/translations/zh-CN.js';
import { BASE_URL, StubApi, errorResponse, hang, journey, listHandler } from './support/api.js';
import { part, parts, shadow, text, waitForState } from './support/helpers.js';

const sample = Array.from({ length: 5 }, (_, i) => journey(i + 1));

interface MountOptions {
  locale?: string;
  theme?: 'light' | 'dark';
  q?: string;
  category?: string;
  pageSize?: number;
}

async function mount(api: StubApi, options: MountOptions = {}): Promise<DmJourneyShowroom> {
  const provider = await fixture(
    html`<dm-provider
      .client=${api.client()}
      theme=${options.theme ?? 'light'}
      locale=${ifDefined(options.locale)}
    >
      <dm-journey-showroom
        q=${ifDefined(options.q)}
        category=${ifDefined(options.category)}
        page-size=${ifDefined(options.pageSize)}
      ></dm-journey-showroom>
    </dm-provider>`,
  );
  return provider.querySelector('dm-journey-showroom')!;
}

const cards = (el: DmJourneyShowroom) => parts(el, 'card');
const journeyRequests = (api: StubApi) => api.to('/v1/journeys');

describe('<dm-journey-showroom>', () => {
  describe('accessibility', () => {
    it('is accessible with journeys loaded', async () => {
      const el = await mount(new StubApi(listHandler(sample)));
      await waitForState(el, 'loaded');
      await expect(el).to.be.accessible();
    });

    it('is accessible while loading, and shows fixed-size skeletons', async () => {
      const api = new StubApi((_, request) => hang(request));
      const el = await mount(api);
      await waitForState(el, 'loading');
      await expect(el).to.be.accessible();
      const skeletons = parts(el, 'skeleton');
      expect(skeletons.length).to.be.greaterThan(0);
      const heights = new Set(skeletons.map((s) => s.getBoundingClientRect().height));
      expect(heights.size).to.equal(1);
      expect([...heights][0]).to.be.greaterThan(100);
      expect(text(shadow(el).querySelector('[role="status"]'))).to.equal(en['state.loading']);
    });

    it('is accessible in the error state', async () => {
      const el = await mount(new StubApi(() => errorResponse(503, 'server')));
      await waitForState(el, 'error');
      await expect(el).to.be.accessible();
    });

    it('is accessible in the empty state', async () => {
      const el = await mount(new StubApi(listHandler([])));
      await waitForState(el, 'empty');
      await expect(el).to.be.accessible();
    });

    it('is accessible in the dark theme, which really applies', async () => {
      const el = await mount(new StubApi(listHandler(sample)), { theme: 'dark' });
      await waitForState(el, 'loaded');
      await expect(el).to.be.accessible();
      expect(getComputedStyle(cards(el)[0]!).backgroundColor).to.equal('rgb(21, 27, 35)');
    });
  });

  describe('loading', () => {
    it('puts the first card exactly where the first skeleton was (no layout shift)', async () => {
      let answer!: () => void;
      const ready = new Promise<void>((resolve) => (answer = resolve));
      const api = new StubApi(async (url, request) => {
        await ready;
        return listHandler(sample)(url, request);
      });
      const el = await mount(api);
      await waitForState(el, 'loading');
      const skeleton = parts(el, 'skeleton')[0]!.getBoundingClientRect();
      answer();
      await waitForState(el, 'loaded');
      const card = cards(el)[0]!.getBoundingClientRect();
      expect([card.top, card.left, card.width]).to.deep.equal([skeleton.top, skeleton.left, skeleton.width]);
      expect(Math.abs(card.height - skeleton.height)).to.be.lessThan(1);
    });

    it('renders a card per journey with its details', async () => {
      const items = [
        journey(1, {
          name: 'Welcome series',
          category: 'onboarding',
          stepCount: 3,
          approvalRequired: true,
          locale: 'en',
        }),
        journey(2, {
          name: 'Thanks',
          category: 'thank_you',
          stepCount: 1,
          approvalRequired: false,
          locale: 'zh-CN',
        }),
      ];
      const el = await mount(new StubApi(listHandler(items)));
      await waitForState(el, 'loaded');
      const [first, second] = cards(el);
      expect(cards(el)).to.have.length(2);
      expect(text(first!.querySelector('[part~="card-title"]'))).to.equal('Welcome series');
      expect(text(first!.querySelector('[part~="card-summary"]'))).to.equal(items[0]!.summary);
      expect(text(first)).to.include('Onboarding');
      expect(text(first)).to.include('3 steps');
      expect(text(first)).to.include(en['showroom.approvalRequired']);
      expect(text(first)).to.include('English');
      expect(text(second)).to.include('1 step');
      expect(text(second)).to.not.include('1 steps');
      expect(text(second)).to.include('Simplified Chinese');
      expect(text(second)).to.not.include(en['showroom.approvalRequired']);
      expect(text(part(el, 'count'))).to.equal('2 journeys found');
    });

    it('asks for page-size journeys in the chosen order', async () => {
      const api = new StubApi(listHandler(sample));
      const el = await mount(api, { pageSize: 3 });
      await waitForState(el, 'loaded');
      const url = journeyRequests(api)[0]!.url;
      expect(url.origin + url.pathname).to.equal(`${BASE_URL}/v1/journeys`);
      expect(url.searchParams.get('limit')).to.equal('3');
      expect(url.searchParams.get('sort')).to.equal('newest');
      expect(cards(el)).to.have.length(3);
    });

    it('loads the next page with the cursor and hides "Load more" at the end', async () => {
      const api = new StubApi(listHandler(sample));
      const el = await mount(api, { pageSize: 2 });
      await waitForState(el, 'loaded');
      expect(cards(el)).to.have.length(2);

      part(el, 'load-more-button')!.click();
      await waitUntil(() => cards(el).length === 4, 'second page appended');
      expect(journeyRequests(api).at(-1)!.url.searchParams.get('cursor')).to.equal('2');

      part(el, 'load-more-button')!.click();
      await waitUntil(() => cards(el).length === 5, 'last page appended');
      await el.updateComplete;
      expect(part(el, 'load-more-button')).to.equal(null);
      expect(cards(el).map((c) => c.dataset.id)).to.deep.equal(['j-1', 'j-2', 'j-3', 'j-4', 'j-5']);
    });
  });

  describe('search', () => {
    it('debounces typing into one request with q, and reflects q', async () => {
      const api = new StubApi(listHandler(sample));
      const el = await mount(api);
      await waitForState(el, 'loaded');
      expect(journeyRequests(api)).to.have.length(1);

      part<HTMLInputElement>(el, 'search')!.focus();
      await sendKeys({ type: 'ney 3' });
      // Typing is faster than the debounce: nothing has been sent yet.
      expect(journeyRequests(api)).to.have.length(1);

      await waitUntil(() => journeyRequests(api).length === 2, 'search request sent');
      expect(journeyRequests(api)[1]!.url.searchParams.get('q')).to.equal('ney 3');
      expect(el.getAttribute('q')).to.equal('ney 3');
      await waitUntil(() => cards(el).length === 1, 'filtered results shown');
      expect(journeyRequests(api)).to.have.length(2);
    });

    it('aborts a request made stale by newer input', async () => {
      const api = new StubApi(listHandler(sample));
      const el = await mount(api);
      await waitForState(el, 'loaded');
      api.handler = (url, request) =>
        url.searchParams.get('q') === 'slow' ? hang(request) : listHandler(sample)(url, request);

      part<HTMLInputElement>(el, 'search')!.focus();
      await sendKeys({ type: 'slow' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => api.last?.url.searchParams.get('q') === 'slow', 'slow request sent');
      const stale = api.last!;
      expect(stale.aborted).to.equal(false);

      el.q = 'Journey 2';
      await waitUntil(() => stale.aborted, 'stale request aborted');
      await waitUntil(() => cards(el).length === 1, 'new results shown');
      expect(el.matches(':state(error)')).to.equal(false);
      expect(text(cards(el)[0]!.querySelector('[part~="card-title"]'))).to.equal('Journey 2');
    });
  });

  describe('filters', () => {
    it('reflects the chosen category to the attribute and sends it', async () => {
      const api = new StubApi(listHandler(sample));
      const el = await mount(api);
      await waitForState(el, 'loaded');

      const select = part<HTMLSelectElement>(el, 'category-select')!;
      select.value = 'offer';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await el.updateComplete;

      expect(el.getAttribute('category')).to.equal('offer');
      await waitUntil(() => journeyRequests(api).length === 2, 'filtered request sent');
      expect(journeyRequests(api)[1]!.url.searchParams.get('category')).to.equal('offer');
      await waitForState(el, 'loaded');
      expect(cards(el).every((c) => text(c).includes('Offer'))).to.equal(true);
    });

    it('loads the category given as an attribute', async () => {
      const api = new StubApi(listHandler(sample));
      const el = await mount(api, { category: 'reminder' });
      await waitForState(el, 'loaded');
      expect(journeyRequests(api)[0]!.url.searchParams.get('category')).to.equal('reminder');
      expect(part<HTMLSelectElement>(el, 'category-select')!.value).to.equal('reminder');
    });
  });

  describe('empty', () => {
    it('offers "Clear filters" when filters are active, and clearing reloads everything', async () => {
      const api = new StubApi(listHandler(sample));
      const el = await mount(api, { q: 'nothing like this', category: 'offer' });
      await waitForState(el, 'empty');
      expect(text(part(el, 'empty'))).to.include(en['showroom.emptyFiltered']);
      expect(el.matches(':state(filtered)')).to.equal(true);

      part(el, 'clear-filters-button')!.click();
      await waitForState(el, 'loaded');
      expect(el.hasAttribute('q')).to.equal(false);
      expect(el.hasAttribute('category')).to.equal(false);
      const url = journeyRequests(api).at(-1)!.url;
      expect(url.searchParams.has('q')).to.equal(false);
      expect(url.searchParams.has('category')).to.equal(false);
      expect(cards(el)).to.have.length(5);
      expect(shadow(el).activeElement).to.equal(part(el, 'search'));
    });

    it('has no "Clear filters" when nothing is filtered', async () => {
      const el = await mount(new StubApi(listHandler([])));
      await waitForState(el, 'empty');
      expect(text(part(el, 'empty'))).to.include(en['showroom.empty']);
      expect(part(el, 'clear-filters-button')).to.equal(null);
    });
  });

  describe('errors', () => {
    it('shows the server message for a 503, and "Try again" loads again', async () => {
      const api = new StubApi(() => errorResponse(503, 'server', 'maintenance'));
      const el = await mount(api);
      await waitForState(el, 'error');
      expect(text(part(el, 'error')!.querySelector('[role="alert"]'))).to.equal(en['error.server']);
      expect(cards(el)).to.have.length(0);

      api.handler = listHandler(sample);
      part(el, 'retry-button')!.click();
      await waitForState(el, 'loaded');
      expect(journeyRequests(api)).to.have.length(2);
      expect(cards(el)).to.have.length(5);
      expect(part(el, 'error')).to.equal(null);
    });

    it('shows the sign-in message for a 401 and reports dm-error', async () => {
      const api = new StubApi(() => errorResponse(401, 'auth', 'expired'));
      const provider = await fixture(
        html`<dm-provider><dm-journey-showroom></dm-journey-showroom></dm-provider>`,
      );
      const el = provider.querySelector('dm-journey-showroom')!;
      const reported = oneEvent(el, 'dm-error') as Promise<DmErrorEvent>;
      (provider as HTMLElementTagNameMap['dm-provider']).client = api.client();
      const event = await reported;
      expect(isDmApiError(event.detail.error) && event.detail.error.kind).to.equal('auth');
      expect(event.composed).to.equal(true);
      await waitForState(el, 'error');
      expect(text(part(el, 'error'))).to.include(en['error.auth']);
    });
  });

  describe('selection', () => {
    it('fires dm-journey-select with the journey and marks it selected', async () => {
      const el = await mount(new StubApi(listHandler(sample)));
      await waitForState(el, 'loaded');
      const card = cards(el)[1]!;
      setTimeout(() => card.querySelector<HTMLButtonElement>('[part~="select-button"]')!.click());
      const event = await oneEvent(el, 'dm-journey-select');
      expect(event.detail.journey).to.deep.equal(sample[1]);
      expect(event.bubbles && event.composed && event.cancelable).to.equal(true);
      await el.updateComplete;
      expect(el.selected).to.equal('j-2');
      expect(el.getAttribute('selected')).to.equal('j-2');
      expect(card.getAttribute('aria-current')).to.equal('true');
      expect(text(card)).to.include(en['showroom.selected']);
    });

    it('does not fire when the card itself (not its button) is clicked', async () => {
      const el = await mount(new StubApi(listHandler(sample)));
      await waitForState(el, 'loaded');
      let fired = 0;
      el.addEventListener('dm-journey-select', () => fired++);
      cards(el)[0]!.click();
      cards(el)[0]!.querySelector<HTMLElement>('[part~="card-title"]')!.click();
      await el.updateComplete;
      expect(fired).to.equal(0);
      expect(el.selected).to.equal(undefined);
    });

    it('leaves the journey unselected when the host cancels the event', async () => {
      const el = await mount(new StubApi(listHandler(sample)));
      await waitForState(el, 'loaded');
      const seen: string[] = [];
      el.addEventListener('dm-journey-select', (event) => {
        seen.push(event.detail.journey.id);
        event.preventDefault();
      });
      cards(el)[0]!.querySelector<HTMLButtonElement>('[part~="select-button"]')!.click();
      await el.updateComplete;
      expect(seen).to.deep.equal(['j-1']);
      expect(el.selected).to.equal(undefined);
      expect(cards(el).some((c) => c.hasAttribute('aria-current'))).to.equal(false);
    });
  });

  describe('keyboard', () => {
    it('moves one tab stop through the cards with arrows, Home and End', async () => {
      const el = await mount(new StubApi(listHandler(sample)));
      await waitForState(el, 'loaded');
      const all = cards(el);
      const active = () => shadow(el).activeElement;
      expect(all.map((c) => c.getAttribute('tabindex'))).to.deep.equal(['0', '-1', '-1', '-1', '-1']);

      all[0]!.focus();
      await sendKeys({ press: 'ArrowDown' });
      expect(active()).to.equal(all[1]);
      await sendKeys({ press: 'ArrowRight' });
      expect(active()).to.equal(all[2]);
      await sendKeys({ press: 'ArrowUp' });
      expect(active()).to.equal(all[1]);
      await sendKeys({ press: 'End' });
      expect(active()).to.equal(all[4]);
      await sendKeys({ press: 'ArrowDown' });
      expect(active()).to.equal(all[4]);
      await sendKeys({ press: 'Home' });
      expect(active()).to.equal(all[0]);
      await sendKeys({ press: 'ArrowLeft' });
      expect(active()).to.equal(all[0]);

      await sendKeys({ press: 'End' });
      expect(all.map((c) => c.getAttribute('tabindex'))).to.deep.equal(['-1', '-1', '-1', '-1', '0']);
      // Tab leaves the card for its button, not for the next card.
      await sendKeys({ press: 'Tab' });
      expect(active()).to.equal(all[4]!.querySelector('[part~="select-button"]'));
    });
  });

  describe('localization', () => {
    it('renders Simplified Chinese when the provider says locale="zh-CN"', async () => {
      const el = await mount(
        new StubApi(listHandler([journey(1, { category: 'onboarding', stepCount: 2 })])),
        {
          locale: 'zh-CN',
        },
      );
      await waitForState(el, 'loaded');
      const card = cards(el)[0]!;
      expect(text(card.querySelector('[part~="select-button"]'))).to.equal(zhCN['showroom.use']);
      expect(text(card)).to.include(zhCN['category.onboarding']);
      expect(text(card)).to.include('2 个步骤');
      expect(text(shadow(el).querySelector('label[for="search"]'))).to.equal(zhCN['showroom.search']);
      expect(part(el, 'base')!.getAttribute('lang')).to.equal('zh-CN');
      await expect(el).to.be.accessible();
    });

    it('lets the element’s own locale override the provider’s', async () => {
      const el = await mount(new StubApi(listHandler(sample)), { locale: 'zh-CN' });
      el.locale = 'en';
      await waitForState(el, 'loaded');
      expect(text(cards(el)[0]!.querySelector('[part~="select-button"]'))).to.equal(en['showroom.use']);
    });
  });

  describe('outside a provider', () => {
    it('uses its own base-url, token and fetch hook', async () => {
      const api = new StubApi(listHandler(sample));
      const el = await fixture<DmJourneyShowroom>(
        html`<dm-journey-showroom
          base-url="https://portal.test/dm/"
          token="t0ken"
          .fetch=${api.fetch}
        ></dm-journey-showroom>`,
      );
      await waitForState(el, 'loaded');
      const request = api.last!;
      expect(request.url.origin + request.url.pathname).to.equal('https://portal.test/dm/v1/journeys');
      expect(request.request.headers.get('authorization')).to.equal('Bearer t0ken');
      expect(cards(el)).to.have.length(5);
    });

    it('says it is not connected when it has neither provider nor base-url', async () => {
      const el = await fixture<DmJourneyShowroom>(html`<dm-journey-showroom></dm-journey-showroom>`);
      await el.updateComplete;
      expect(text(part(el, 'body'))).to.include(en['error.noClient']);
      await expect(el).to.be.accessible();
    });
  });
});
