import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../src/elements/journey-showroom/define.js';
import '../../src/elements/provider/define.js';
import type { DmJourneyShowroom } from '../../src/elements/journey-showroom/journey-showroom.js';
import type { DmErrorEvent } from '../../src/events/error.js';
import type { DmJourneySelectEvent } from '../../src/events/journey-select.js';
import { isDmApiError } from '../../src/sdk/index.js';
import { en } from '../../src/translations/en.js';
import { zhCN } from '../../src/translations/zh-CN.js';
import { BASE_URL, StubApi, errorResponse, hang, journey } from './support/api.js';
import { part, parts, shadow, text, waitForState } from './support/helpers.js';
import { detailOf, showroomHandler } from './support/showroom-api.js';

const sample = Array.from({ length: 5 }, (_, i) => journey(i + 1));
const many = (n: number) => Array.from({ length: n }, (_, i) => journey(i + 1));

interface MountOptions {
  locale?: string;
  theme?: 'light' | 'dark';
  q?: string;
  category?: string;
  contentLocale?: string;
  kind?: string;
  tags?: string;
  sort?: string;
  layout?: string;
  pageSize?: number;
  for?: string;
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
        content-locale=${ifDefined(options.contentLocale)}
        kind=${ifDefined(options.kind)}
        tags=${ifDefined(options.tags)}
        sort=${ifDefined(options.sort)}
        layout=${ifDefined(options.layout)}
        page-size=${ifDefined(options.pageSize)}
        for=${ifDefined(options.for)}
      ></dm-journey-showroom>
    </dm-provider>`,
  );
  return provider.querySelector('dm-journey-showroom')!;
}

const cards = (el: DmJourneyShowroom) => parts(el, 'card');
const cardAt = (el: DmJourneyShowroom, index: number) =>
  shadow(el).querySelector<HTMLElement>(`[part~="card"][data-index="${index}"]`);
const journeyRequests = (api: StubApi) => api.to('/v1/journeys');
const facetRequests = (api: StubApi) => api.to('/v1/journeys/facets');
const active = (el: DmJourneyShowroom) => shadow(el).activeElement as HTMLElement | null;

/** Loaded, and the virtualizer has put the first cards in the DOM. */
async function loaded(el: DmJourneyShowroom): Promise<void> {
  await waitForState(el, 'loaded');
  await waitUntil(() => cards(el).length > 0, 'cards rendered');
}

/** How many columns the cards are laid out in (distinct left edges). */
const columnsOf = (el: DmJourneyShowroom) =>
  new Set(cards(el).map((c) => Math.round(c.getBoundingClientRect().left))).size;

function choose(el: DmJourneyShowroom, name: string, value: string): void {
  const select = part<HTMLSelectElement>(el, name)!;
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

afterEach(() => window.scrollTo(0, 0));

describe('<dm-journey-showroom>', () => {
  describe('accessibility', function () {
    // The first axe run loads axe itself; leave room for a busy machine.
    this.timeout(30_000);

    it('is accessible with journeys loaded', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)));
      await loaded(el);
      await expect(el).to.be.accessible();
    });

    it('is accessible while loading, and shows fixed-size skeletons', async () => {
      const api = new StubApi((_, request) => hang(request));
      const el = await mount(api);
      await waitForState(el, 'loading');
      await waitUntil(() => parts(el, 'skeleton').length > 0, 'skeletons rendered');
      await expect(el).to.be.accessible();
      const skeletons = parts(el, 'skeleton');
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
      const el = await mount(new StubApi(showroomHandler([])));
      await waitForState(el, 'empty');
      await expect(el).to.be.accessible();
    });

    it('is accessible in the dark theme, which really applies', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)), { theme: 'dark' });
      await loaded(el);
      await expect(el).to.be.accessible();
      expect(getComputedStyle(cards(el)[0]!).backgroundColor).to.equal('rgb(21, 27, 35)');
    });

    it('is accessible in the list layout', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)), { layout: 'list' });
      await loaded(el);
      await expect(el).to.be.accessible();
    });

    it('is accessible with the details dialog open', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)));
      await loaded(el);
      cards(el)[0]!.querySelector<HTMLButtonElement>('[part~="details-button"]')!.click();
      await waitUntil(() => part(el, 'preview-frame'), 'preview shown');
      await expect(el).to.be.accessible();
    });

    it('tells assistive technology where each card sits in the whole catalogue', async () => {
      const el = await mount(new StubApi(showroomHandler(many(40))), { pageSize: 10 });
      await loaded(el);
      const list = part(el, 'list')!;
      expect(list.getAttribute('role')).to.equal('list');
      const item = cards(el)[0]!.parentElement!;
      expect(item.getAttribute('role')).to.equal('listitem');
      expect(item.getAttribute('aria-posinset')).to.equal('1');
      expect(item.getAttribute('aria-setsize')).to.equal('40');
    });
  });

  describe('loading', () => {
    it('puts the first card exactly where the first skeleton was (no layout shift)', async () => {
      let answer!: () => void;
      const ready = new Promise<void>((resolve) => (answer = resolve));
      const handler = showroomHandler(sample);
      const api = new StubApi(async (url, request) => {
        if (url.pathname.endsWith('/v1/journeys')) await ready;
        return handler(url, request);
      });
      const el = await mount(api);
      await waitUntil(() => parts(el, 'skeleton').length > 0, 'skeletons rendered');
      const skeleton = parts(el, 'skeleton')[0]!.getBoundingClientRect();
      answer();
      await loaded(el);
      const card = cards(el)[0]!.getBoundingClientRect();
      expect([card.top, card.left, card.width, card.height]).to.deep.equal([
        skeleton.top,
        skeleton.left,
        skeleton.width,
        skeleton.height,
      ]);
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
      const el = await mount(new StubApi(showroomHandler(items)));
      await loaded(el);
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

    it('lazy-loads thumbnails into a fixed box, with alt text, and a placeholder without one', async () => {
      const image =
        'data:image/svg+xml;utf8,' +
        encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"></svg>');
      const items = [
        journey(1, { name: 'With image', thumbnailUrl: image }),
        journey(2, { thumbnailUrl: null }),
      ];
      const el = await mount(new StubApi(showroomHandler(items)));
      await loaded(el);
      const [withImage, without] = cards(el).map((c) => c.querySelector<HTMLElement>('[part~="thumbnail"]')!);
      const img = withImage!.querySelector('img')!;
      expect(img.getAttribute('loading')).to.equal('lazy');
      expect(img.getAttribute('src')).to.equal(image);
      expect(img.alt).to.include('With image');
      expect(without!.querySelector('img')).to.equal(null);
      expect(without!.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
      const [a, b] = [withImage!.getBoundingClientRect(), without!.getBoundingClientRect()];
      expect([a.width, a.height]).to.deep.equal([b.width, b.height]);
      expect(a.height).to.be.greaterThan(0);
    });

    it('asks for page-size journeys in the chosen order', async () => {
      const api = new StubApi(showroomHandler(sample));
      const el = await mount(api, { pageSize: 3 });
      await loaded(el);
      const url = journeyRequests(api)[0]!.url;
      expect(url.origin + url.pathname).to.equal(`${BASE_URL}/v1/journeys`);
      expect(url.searchParams.get('limit')).to.equal('3');
      expect(url.searchParams.get('sort')).to.equal('newest');
    });
  });

  describe('a catalogue of any size', () => {
    it('keeps the DOM small: only cards near the viewport are rendered', async () => {
      const el = await mount(new StubApi(showroomHandler(many(500))), { pageSize: 100 });
      await loaded(el);
      expect(text(part(el, 'footer'))).to.include('Showing 100 of 500');
      const rendered = cards(el).length;
      expect(rendered).to.be.greaterThan(2);
      expect(rendered).to.be.lessThan(60);
      const list = part(el, 'list')!;
      expect(
        list.getBoundingClientRect().height,
        'the list is as tall as all loaded cards',
      ).to.be.greaterThan(5000);
    });

    it('loads the next page with the cursor as the end comes near, and stops at the last', async () => {
      const api = new StubApi(showroomHandler(many(120)));
      const el = await mount(api, { pageSize: 40 });
      await loaded(el);
      expect(journeyRequests(api)).to.have.length(1);
      const list = part(el, 'list')!;
      // Scroll to the end of the list as a person would, until nothing more comes.
      await waitUntil(
        () => {
          window.scrollTo(0, list.getBoundingClientRect().bottom + window.scrollY);
          return text(part(el, 'footer')).includes('Showing 120 of 120');
        },
        'every page loaded',
        { interval: 100, timeout: 5000 },
      );
      const cursors = journeyRequests(api).map((r) => r.url.searchParams.get('cursor'));
      expect(cursors).to.deep.equal([null, '40', '80']);
      expect(part(el, 'load-more-button')).to.equal(null);
      expect(cards(el).length).to.be.lessThan(60);
      expect(el.matches(':state(error)')).to.equal(false);
    });

    it('keeps "Load more" as a fallback button', async () => {
      const api = new StubApi(showroomHandler(many(150)));
      const el = await mount(api, { pageSize: 100 });
      await loaded(el);
      const button = part(el, 'load-more-button')!;
      expect(text(button)).to.equal(en['showroom.loadMore']);
      button.click();
      await waitUntil(() => text(part(el, 'footer')).includes('Showing 150 of 150'), 'second page loaded');
      expect(journeyRequests(api).at(-1)!.url.searchParams.get('cursor')).to.equal('100');
      expect(part(el, 'load-more-button')).to.equal(null);
    });

    it('shows a failed page with "Try again" and does not retry on its own', async () => {
      const handler = showroomHandler(many(150));
      let fail = true;
      const api = new StubApi((url, request) =>
        fail && url.searchParams.get('cursor') ? errorResponse(503, 'server') : handler(url, request),
      );
      const el = await mount(api, { pageSize: 100 });
      await loaded(el);
      part(el, 'load-more-button')!.click();
      await waitUntil(() => shadow(el).querySelector('.footer__error'), 'error shown');
      expect(text(part(el, 'load-more-button'))).to.equal(en['state.retry']);
      const requests = journeyRequests(api).length;
      window.scrollTo(0, document.body.scrollHeight);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(journeyRequests(api)).to.have.length(requests);
      fail = false;
      part(el, 'load-more-button')!.click();
      await waitUntil(() => text(part(el, 'footer')).includes('Showing 150 of 150'), 'loaded on retry');
    });
  });

  describe('search', () => {
    it('debounces typing into one request with q, and reflects q', async () => {
      const api = new StubApi(showroomHandler(sample));
      const el = await mount(api);
      await loaded(el);
      expect(journeyRequests(api)).to.have.length(1);

      part<HTMLInputElement>(el, 'search')!.focus();
      await sendKeys({ type: 'ney 3' });
      // Typing is faster than the debounce: nothing has been sent yet.
      expect(journeyRequests(api)).to.have.length(1);

      await waitUntil(() => journeyRequests(api).length === 2, 'search request sent');
      const url = journeyRequests(api)[1]!.url;
      expect(url.searchParams.get('q')).to.equal('ney 3');
      expect(url.searchParams.get('sort'), 'a search ranks name matches first').to.equal('relevance');
      expect(el.getAttribute('q')).to.equal('ney 3');
      expect(el.hasAttribute('sort')).to.equal(false);
      await waitUntil(() => cards(el).length === 1, 'filtered results shown');
      expect(journeyRequests(api)).to.have.length(2);
      expect(facetRequests(api).at(-1)!.url.searchParams.get('q')).to.equal('ney 3');
    });

    it('aborts a request made stale by newer input', async () => {
      const api = new StubApi(showroomHandler(sample));
      const el = await mount(api);
      await loaded(el);
      api.handler = (url, request) =>
        url.searchParams.get('q') === 'slow' && url.pathname.endsWith('/v1/journeys')
          ? hang(request)
          : showroomHandler(sample)(url, request);

      part<HTMLInputElement>(el, 'search')!.focus();
      await sendKeys({ type: 'slow' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(
        () => journeyRequests(api).at(-1)?.url.searchParams.get('q') === 'slow',
        'slow request sent',
      );
      const stale = journeyRequests(api).at(-1)!;
      expect(stale.aborted).to.equal(false);

      el.q = 'Journey 2';
      await waitUntil(() => stale.aborted, 'stale request aborted');
      await waitUntil(() => cards(el).length === 1, 'new results shown');
      expect(el.matches(':state(error)')).to.equal(false);
      expect(text(cards(el)[0]!.querySelector('[part~="card-title"]'))).to.equal('Journey 2');
    });
  });

  describe('filters', () => {
    const filters: Array<[part: string, attribute: string, param: string, value: string]> = [
      ['category-select', 'category', 'category', 'offer'],
      ['locale-select', 'content-locale', 'locale', 'zh-CN'],
      ['kind-select', 'kind', 'kind', 'template'],
      ['channel-select', 'channel', 'channel', 'email'],
    ];
    for (const [name, attribute, param, value] of filters) {
      it(`reflects the ${attribute} filter to its attribute and sends it as ${param}`, async () => {
        const api = new StubApi(showroomHandler(many(24)));
        const el = await mount(api);
        await loaded(el);
        choose(el, name, value);
        await el.updateComplete;
        expect(el.getAttribute(attribute)).to.equal(value);
        expect(el.matches(':state(filtered)')).to.equal(true);
        await waitUntil(() => journeyRequests(api).length === 2, 'filtered request sent');
        expect(journeyRequests(api)[1]!.url.searchParams.get(param)).to.equal(value);
        await waitUntil(() => facetRequests(api).length === 2, 'facets asked again');
        expect(facetRequests(api)[1]!.url.searchParams.get(param)).to.equal(value);
        await loaded(el);

        choose(el, name, '');
        await el.updateComplete;
        expect(el.hasAttribute(attribute)).to.equal(false);
      });
    }

    it('toggles tags from the chips, reflected as a comma-separated attribute', async () => {
      const items = [
        journey(1, { tags: ['test drive', 'sales'] }),
        journey(2, { tags: ['sales'] }),
        journey(3, { tags: ['service'] }),
      ];
      const api = new StubApi(showroomHandler(items));
      const el = await mount(api);
      await loaded(el);
      await waitUntil(() => parts(el, 'tag').length === 3, 'tag chips');
      const chip = (name: string) => parts(el, 'tag').find((t) => text(t).startsWith(name))!;
      expect(text(chip('sales'))).to.include('2');
      chip('sales').click();
      await el.updateComplete;
      expect(el.getAttribute('tags')).to.equal('sales');
      expect(chip('sales').getAttribute('aria-pressed')).to.equal('true');
      await waitUntil(() => cards(el).length === 2, 'narrowed to sales');
      await waitUntil(() => parts(el, 'tag').length === 2, 'facets follow');
      chip('test drive').click();
      await el.updateComplete;
      expect(el.getAttribute('tags')).to.equal('sales,test drive');
      await waitUntil(() => cards(el).length === 1, 'narrowed to both');
      expect(journeyRequests(api).at(-1)!.url.searchParams.getAll('tags')).to.deep.equal([
        'sales',
        'test drive',
      ]);
      chip('sales').click();
      await el.updateComplete;
      expect(el.getAttribute('tags')).to.equal('test drive');
    });

    it('deep-links: every filter and the sort come from attributes', async () => {
      const api = new StubApi(showroomHandler(sample));
      const el = await mount(api, {
        category: 'thank_you',
        contentLocale: 'zh-CN',
        kind: 'template',
        tags: 'quick, sales',
        sort: 'most_used',
        q: 'thanks',
      });
      await waitForState(el, 'empty');
      const url = journeyRequests(api)[0]!.url;
      expect(Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'tags'))).to.deep.equal({
        q: 'thanks',
        category: 'thank_you',
        locale: 'zh-CN',
        kind: 'template',
        sort: 'most_used',
        limit: '24',
      });
      expect(url.searchParams.getAll('tags')).to.deep.equal(['quick', 'sales']);
      expect(part<HTMLSelectElement>(el, 'category-select')!.value).to.equal('thank_you');
      expect(part<HTMLSelectElement>(el, 'locale-select')!.value).to.equal('zh-CN');
      expect(part<HTMLSelectElement>(el, 'kind-select')!.value).to.equal('template');
      expect(part<HTMLSelectElement>(el, 'sort-select')!.value).to.equal('most_used');
      expect(part<HTMLInputElement>(el, 'search')!.value).to.equal('thanks');
      await expect(el).to.be.accessible();
    });

    it('reflects the chosen sort and sends it', async () => {
      const api = new StubApi(showroomHandler(sample));
      const el = await mount(api);
      await loaded(el);
      choose(el, 'sort-select', 'best_results');
      await el.updateComplete;
      expect(el.getAttribute('sort')).to.equal('best_results');
      await waitUntil(() => journeyRequests(api).length === 2, 'sorted request sent');
      expect(journeyRequests(api)[1]!.url.searchParams.get('sort')).to.equal('best_results');
      expect(facetRequests(api)).to.have.length(1);
    });

    it('clears every filter from the filter bar', async () => {
      const api = new StubApi(showroomHandler(sample));
      const el = await mount(api, { category: 'offer', kind: 'journey', tags: 'sample', q: 'journey' });
      await waitForState(el, 'loaded');
      part(el, 'clear-filters-button')!.click();
      await el.updateComplete;
      for (const attribute of ['category', 'kind', 'tags', 'q', 'content-locale', 'channel']) {
        expect(el.hasAttribute(attribute), attribute).to.equal(false);
      }
      await waitForState(el, 'loaded');
      const url = journeyRequests(api).at(-1)!.url;
      expect([...url.searchParams.keys()]).to.deep.equal(['sort', 'limit']);
      expect(el.matches(':state(filtered)')).to.equal(false);
      expect(shadow(el).activeElement).to.equal(part(el, 'search'));
    });
  });

  describe('facets', () => {
    it('shows counts from the server in the filter controls, and disables values with none', async () => {
      const items = [
        journey(1, { category: 'offer', locale: 'en' }),
        journey(2, { category: 'offer', locale: 'en' }),
        journey(3, { category: 'event', locale: 'zh-CN' }),
      ];
      const api = new StubApi(showroomHandler(items));
      const el = await mount(api);
      await loaded(el);
      await waitUntil(
        () => facetRequests(api).length === 1 && text(part(el, 'category-select')).includes('('),
      );
      const option = (select: string, value: string) =>
        part<HTMLSelectElement>(el, select)!.querySelector<HTMLOptionElement>(`option[value="${value}"]`)!;
      expect(text(option('category-select', 'offer'))).to.equal('Offer (2)');
      expect(text(option('category-select', 'event'))).to.equal('Event (1)');
      expect(text(option('category-select', ''))).to.equal(`${en['category.all']} (3)`);
      expect(option('category-select', 'newsletter').disabled).to.equal(true);
      expect(option('category-select', 'offer').disabled).to.equal(false);
      expect(text(option('locale-select', 'zh-CN'))).to.equal('Simplified Chinese (1)');

      // Each facet is counted with the other filters: choosing a category narrows the languages,
      // while the categories keep their counts.
      choose(el, 'category-select', 'offer');
      await waitUntil(() => text(option('locale-select', 'zh-CN')).includes('(0)'), 'languages narrowed');
      expect(text(option('category-select', 'event'))).to.equal('Event (1)');
      expect(option('locale-select', 'zh-CN').disabled).to.equal(true);
    });

    it('still filters without counts when facets fail, and reports no error for them', async () => {
      const handler = showroomHandler(sample);
      const api = new StubApi((url, request) =>
        url.pathname.endsWith('/facets') ? errorResponse(500, 'server') : handler(url, request),
      );
      const errors: Event[] = [];
      const el = await mount(api);
      el.addEventListener('dm-error', (e) => errors.push(e));
      await loaded(el);
      await waitUntil(() => facetRequests(api).length === 1);
      await el.updateComplete;
      expect(text(part(el, 'category-select'))).to.not.include('(');
      expect(errors).to.have.length(0);
      expect(el.matches(':state(error)')).to.equal(false);
    });
  });

  describe('layout', () => {
    it('switches between a grid and a list, reflected in layout', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)));
      await loaded(el);
      expect(el.getAttribute('layout')).to.equal('grid');
      expect(columnsOf(el)).to.be.greaterThan(1);
      const [grid, list] = parts(el, 'layout-button');
      expect(grid!.getAttribute('aria-pressed')).to.equal('true');
      list!.click();
      await el.updateComplete;
      expect(el.getAttribute('layout')).to.equal('list');
      expect(list!.getAttribute('aria-pressed')).to.equal('true');
      await waitUntil(() => columnsOf(el) === 1, 'one card per row');
      expect(cards(el).every((c) => c.classList.contains('card--row'))).to.equal(true);
      const widths = new Set(cards(el).map((c) => Math.round(c.getBoundingClientRect().width)));
      expect(widths.size).to.equal(1);
      expect([...widths][0]).to.be.greaterThan(columnsOf(el) * 500);
    });

    it('starts in the list layout from the attribute', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)), { layout: 'list' });
      await loaded(el);
      expect(columnsOf(el)).to.equal(1);
    });
  });

  describe('empty', () => {
    it('offers "Clear filters" when filters are active, and clearing reloads everything', async () => {
      const api = new StubApi(showroomHandler(sample));
      const el = await mount(api, { q: 'nothing like this', category: 'offer' });
      await waitForState(el, 'empty');
      expect(text(part(el, 'empty'))).to.include(en['showroom.emptyFiltered']);
      expect(el.matches(':state(filtered)')).to.equal(true);

      part(el, 'empty')!.querySelector<HTMLElement>('[part~="clear-filters-button"]')!.click();
      await loaded(el);
      expect(el.hasAttribute('q')).to.equal(false);
      expect(el.hasAttribute('category')).to.equal(false);
      const url = journeyRequests(api).at(-1)!.url;
      expect(url.searchParams.has('q')).to.equal(false);
      expect(url.searchParams.has('category')).to.equal(false);
      expect(cards(el)).to.have.length(5);
      expect(shadow(el).activeElement).to.equal(part(el, 'search'));
    });

    it('has no "Clear filters" when nothing is filtered', async () => {
      const el = await mount(new StubApi(showroomHandler([])));
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

      api.handler = showroomHandler(sample);
      part(el, 'retry-button')!.click();
      await loaded(el);
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
      const el = await mount(new StubApi(showroomHandler(sample)));
      await loaded(el);
      const card = cards(el)[1]!;
      setTimeout(() => card.querySelector<HTMLButtonElement>('[part~="select-button"]')!.click());
      const event = await oneEvent(el, 'dm-journey-select');
      expect(event.detail.journey).to.deep.equal(sample[1]);
      expect(event.detail).to.not.have.property('for');
      expect(event.bubbles && event.composed && event.cancelable).to.equal(true);
      await el.updateComplete;
      expect(el.selected).to.equal('j-2');
      expect(el.getAttribute('selected')).to.equal('j-2');
      await waitUntil(() => cardAt(el, 1)?.getAttribute('aria-current') === 'true');
      expect(text(cardAt(el, 1))).to.include(en['showroom.selected']);
    });

    it('names the linked quick-send in detail.for, from the reflected for attribute', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)), { for: 'send-panel' });
      await loaded(el);
      expect(el.for).to.equal('send-panel');
      el.for = 'other-panel';
      await el.updateComplete;
      expect(el.getAttribute('for')).to.equal('other-panel');
      const seen = oneEvent(el, 'dm-journey-select') as Promise<DmJourneySelectEvent>;
      cards(el)[0]!.querySelector<HTMLButtonElement>('[part~="select-button"]')!.click();
      expect((await seen).detail.for).to.equal('other-panel');
    });

    it('does not fire when the card itself (not its button) is clicked', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)));
      await loaded(el);
      let fired = 0;
      el.addEventListener('dm-journey-select', () => fired++);
      cards(el)[0]!.click();
      cards(el)[0]!.querySelector<HTMLElement>('[part~="card-title"]')!.click();
      await el.updateComplete;
      expect(fired).to.equal(0);
      expect(el.selected).to.equal(undefined);
    });

    it('leaves the journey unselected when the host cancels the event', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)));
      await loaded(el);
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
    it('moves one tab stop through the grid: arrows by card and by row, Home and End', async () => {
      const el = await mount(new StubApi(showroomHandler(many(7))));
      await loaded(el);
      const columns = columnsOf(el);
      expect(columns).to.be.greaterThan(1);
      const tabStops = () => cards(el).filter((c) => c.getAttribute('tabindex') === '0');
      expect(tabStops().map((c) => c.dataset.index)).to.deep.equal(['0']);

      cardAt(el, 0)!.focus();
      await sendKeys({ press: 'ArrowRight' });
      expect(active(el)).to.equal(cardAt(el, 1));
      await sendKeys({ press: 'ArrowLeft' });
      expect(active(el)).to.equal(cardAt(el, 0));
      await sendKeys({ press: 'ArrowDown' });
      expect(active(el), 'down one row').to.equal(cardAt(el, columns));
      await sendKeys({ press: 'ArrowUp' });
      expect(active(el)).to.equal(cardAt(el, 0));
      await sendKeys({ press: 'ArrowUp' });
      expect(active(el), 'no row above').to.equal(cardAt(el, 0));
      await sendKeys({ press: 'ArrowLeft' });
      expect(active(el)).to.equal(cardAt(el, 0));
      await sendKeys({ press: 'End' });
      await waitUntil(() => active(el) === cardAt(el, 6), 'last card');
      await sendKeys({ press: 'ArrowRight' });
      expect(active(el)).to.equal(cardAt(el, 6));
      await sendKeys({ press: 'Home' });
      await waitUntil(() => active(el) === cardAt(el, 0), 'first card');
      expect(tabStops().map((c) => c.dataset.index)).to.deep.equal(['0']);
    });

    it('tabs from the card to its buttons and then out of the grid', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)));
      await loaded(el);
      cardAt(el, 0)!.focus();
      await sendKeys({ press: 'End' });
      const last = cardAt(el, 4)!;
      expect(active(el)).to.equal(last);
      await sendKeys({ press: 'Tab' });
      expect(active(el)).to.equal(last.querySelector('[part~="details-button"]'));
      await sendKeys({ press: 'Tab' });
      expect(active(el)).to.equal(last.querySelector('[part~="select-button"]'));
      await sendKeys({ press: 'Tab' });
      expect(active(el)?.closest('[part~="list"]') ?? null, 'left the grid').to.equal(null);
      // Other cards' buttons are not tab stops.
      expect(cardAt(el, 0)!.querySelector('[part~="select-button"]')!.getAttribute('tabindex')).to.equal(
        '-1',
      );
    });

    it('scrolls a card that is not rendered into view and focuses it (End, Home)', async () => {
      const el = await mount(new StubApi(showroomHandler(many(300))), { pageSize: 100 });
      await loaded(el);
      expect(cardAt(el, 99)).to.equal(null);
      cardAt(el, 0)!.focus();
      await sendKeys({ press: 'End' });
      await waitUntil(() => active(el)?.dataset.index === '99', 'last loaded card focused');
      const rect = active(el)!.getBoundingClientRect();
      expect(rect.top).to.be.at.least(0);
      expect(rect.bottom).to.be.at.most(window.innerHeight + 1);
      expect(cardAt(el, 0), 'the first card was recycled').to.equal(null);
      await sendKeys({ press: 'Home' });
      await waitUntil(() => active(el)?.dataset.index === '0', 'first card focused');
      expect(cards(el).length).to.be.lessThan(60);
    });

    it('keeps focus in the list when the focused card is recycled, and continues from it', async () => {
      const el = await mount(new StubApi(showroomHandler(many(300))), { pageSize: 100 });
      await loaded(el);
      cardAt(el, 2)!.focus();
      window.scrollTo(0, part(el, 'list')!.getBoundingClientRect().bottom + window.scrollY - innerHeight);
      await waitUntil(() => cardAt(el, 2) === null, 'card recycled');
      await waitUntil(() => active(el) === part(el, 'list'), 'focus held by the list');
      await sendKeys({ press: 'ArrowRight' });
      await waitUntil(() => active(el)?.dataset.index === '3', 'next card focused');
      const rect = active(el)!.getBoundingClientRect();
      expect(rect.bottom).to.be.at.most(window.innerHeight + 1);
    });

    it('puts the first visible card in the tab order after scrolling', async () => {
      const el = await mount(new StubApi(showroomHandler(many(300))), { pageSize: 100 });
      await loaded(el);
      const list = part(el, 'list')!;
      window.scrollTo(0, list.getBoundingClientRect().top + window.scrollY + 6000);
      await waitUntil(() => cardAt(el, 0) === null, 'scrolled far');
      await waitUntil(() => cards(el).some((c) => c.getAttribute('tabindex') === '0'), 'a tab stop');
      const stop = cards(el).find((c) => c.getAttribute('tabindex') === '0')!;
      expect(Number(stop.dataset.index)).to.be.greaterThan(0);
    });

    it('opens the details with Enter', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)));
      await loaded(el);
      cardAt(el, 1)!.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => part<HTMLDialogElement>(el, 'dialog')!.open, 'dialog open');
      expect(text(part(el, 'dialog-title'))).to.equal('Journey 2');
    });
  });

  describe('details dialog', () => {
    async function openDetails(api: StubApi, index: number, options: MountOptions = {}) {
      const el = await mount(api, options);
      await loaded(el);
      cardAt(el, index)!.querySelector<HTMLButtonElement>('[part~="details-button"]')!.click();
      await waitUntil(() => parts(el, 'step-button').length > 0, 'steps shown');
      await waitUntil(() => part(el, 'preview-frame'), 'preview shown');
      return el;
    }

    it('shows the steps with their delays and a sandboxed preview of each step from the server', async () => {
      const items = [journey(1, { stepCount: 3 })];
      const api = new StubApi(showroomHandler(items));
      const el = await openDetails(api, 0);
      const dialog = part<HTMLDialogElement>(el, 'dialog')!;
      expect(dialog.open).to.equal(true);
      expect(el.matches(':state(dialog-open)')).to.equal(true);
      expect(text(part(el, 'dialog-title'))).to.equal('Journey 1');
      const steps = [...part(el, 'steps')!.querySelectorAll('li')].map((li) =>
        text(li.querySelector('.step__day')),
      );
      expect(steps).to.deep.equal(['Day 0', 'Day 3', 'Day 10']);

      const frame = part<HTMLIFrameElement>(el, 'preview-frame')!;
      expect(frame.getAttribute('sandbox')).to.equal('');
      expect(frame.getAttribute('srcdoc')).to.include('Journey 1 / step-1');
      expect(frame.title).to.include('Alex Sample');
      expect(api.to('/v1/journeys/j-1/preview')).to.have.length(1);

      parts(el, 'step-button')[1]!.click();
      await waitUntil(
        () => part(el, 'preview-frame')?.getAttribute('srcdoc')?.includes('step-2'),
        'second step previewed',
      );
      expect(api.to('/v1/journeys/j-1/preview').at(-1)!.url.searchParams.get('stepId')).to.equal('step-2');
      expect(parts(el, 'step-button')[1]!.getAttribute('aria-pressed')).to.equal('true');
    });

    it('says which blocks are editable or locked, and when approval is needed and why', async () => {
      const el = await openDetails(new StubApi(showroomHandler([journey(2)])), 0);
      const blocks = text(part(el, 'blocks'));
      expect(blocks).to.include('Brand header');
      expect(blocks).to.include(en['showroom.dialog.locked']);
      expect(blocks).to.include('Personal note');
      expect(blocks).to.include(en['showroom.dialog.editable']);
      expect(blocks).to.include('up to 300 characters');
      expect(text(part(el, 'approval'))).to.equal(
        'Sends to more than 25 recipients are reviewed by your partner manager before they go out.',
      );
    });

    it('compares network results with the partner’s own, hiding figures from fewer than 5', async () => {
      const small = await openDetails(new StubApi(showroomHandler([journey(1)])), 0);
      const stats = part(small, 'stats')!;
      const headers = [...stats.querySelectorAll('thead th')].map((th) => text(th));
      expect(headers).to.deep.equal([
        en['showroom.stats.measure'],
        en['showroom.stats.network'],
        en['showroom.stats.you'],
      ]);
      // journey(1): one partner → network figures hidden; 3 own recipients → own figures hidden.
      expect(stats.querySelectorAll('.stats__none').length).to.equal(8);
      expect(text(stats)).to.include(en['showroom.stats.notEnough']);

      const big = await openDetails(new StubApi(showroomHandler([journey(7)])), 0);
      const bigStats = text(part(big, 'stats'));
      expect(bigStats).to.include('42%');
      expect(bigStats).to.include('700');
    });

    it('leaves out the partner column for brand-level users', async () => {
      const api = new StubApi(
        showroomHandler([journey(7)], {
          detail: (summary) => ({ ...detailOf(summary), partnerStats: null }),
        }),
      );
      const el = await openDetails(api, 0);
      expect(part(el, 'stats')!.querySelectorAll('thead th')).to.have.length(2);
    });

    it('keeps Tab inside the dialog', async () => {
      const el = await openDetails(new StubApi(showroomHandler(sample)), 0);
      const dialog = part<HTMLDialogElement>(el, 'dialog')!;
      const close = part(el, 'close-button')!;
      const use = dialog.querySelector<HTMLElement>('.dialog__footer [part~="select-button"]')!;
      use.focus();
      await sendKeys({ press: 'Tab' });
      expect(active(el)).to.equal(close);
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
      expect(active(el)).to.equal(use);
      for (let i = 0; i < 8; i++) {
        await sendKeys({ press: 'Tab' });
        expect(dialog.contains(active(el)), `Tab ${i + 1} stays inside`).to.equal(true);
      }
    });

    it('closes with Escape and gives focus back to the card', async () => {
      const el = await openDetails(new StubApi(showroomHandler(sample)), 2);
      expect(dialogFocus(el)).to.equal(true);
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !part<HTMLDialogElement>(el, 'dialog')!.open, 'dialog closed');
      await waitUntil(() => active(el) === cardAt(el, 2), 'focus back on the card');
      expect(el.matches(':state(dialog-open)')).to.equal(false);
    });

    it('closes with the close button and gives focus back to the card', async () => {
      const el = await openDetails(new StubApi(showroomHandler(sample)), 1);
      part(el, 'close-button')!.click();
      await waitUntil(() => active(el) === cardAt(el, 1), 'focus back on the card');
      expect(part<HTMLDialogElement>(el, 'dialog')!.open).to.equal(false);
    });

    it('"Use this journey" in the dialog selects it and closes the dialog', async () => {
      const el = await openDetails(new StubApi(showroomHandler(sample)), 3, { for: 'qs' });
      const seen = oneEvent(el, 'dm-journey-select') as Promise<DmJourneySelectEvent>;
      part(el, 'dialog')!.querySelector<HTMLElement>('.dialog__footer [part~="select-button"]')!.click();
      const event = await seen;
      expect(event.detail.journey.id).to.equal('j-4');
      expect(event.detail.for).to.equal('qs');
      await waitUntil(() => !part<HTMLDialogElement>(el, 'dialog')!.open, 'dialog closed');
      expect(el.selected).to.equal('j-4');
    });

    it('shows an error with "Try again" when the journey cannot be loaded', async () => {
      let fail = true;
      const handler = showroomHandler(sample);
      const api = new StubApi((url, request) =>
        fail && url.pathname.endsWith('/v1/journeys/j-1')
          ? errorResponse(503, 'server')
          : handler(url, request),
      );
      const el = await mount(api);
      await loaded(el);
      cardAt(el, 0)!.querySelector<HTMLButtonElement>('[part~="details-button"]')!.click();
      await waitUntil(() => part(el, 'dialog')!.querySelector('[part~="retry-button"]'), 'error shown');
      await expect(el).to.be.accessible();
      fail = false;
      part(el, 'dialog')!.querySelector<HTMLElement>('[part~="retry-button"]')!.click();
      await waitUntil(() => parts(el, 'step-button').length > 0, 'loaded on retry');
    });
  });

  describe('localization', () => {
    it('renders Simplified Chinese when the provider says locale="zh-CN"', async () => {
      const el = await mount(
        new StubApi(showroomHandler([journey(1, { category: 'onboarding', stepCount: 2 })])),
        { locale: 'zh-CN' },
      );
      await loaded(el);
      const card = cards(el)[0]!;
      expect(text(card.querySelector('[part~="select-button"]'))).to.equal(zhCN['showroom.use']);
      expect(text(card)).to.include(zhCN['category.onboarding']);
      expect(text(card)).to.include('2 个步骤');
      expect(text(shadow(el).querySelector('label[for="search"]'))).to.equal(zhCN['showroom.search']);
      expect(part(el, 'base')!.getAttribute('lang')).to.equal('zh-CN');
      await expect(el).to.be.accessible();
      card.querySelector<HTMLButtonElement>('[part~="details-button"]')!.click();
      await waitUntil(() => parts(el, 'step-button').length === 2, 'steps shown');
      expect(text(part(el, 'steps'))).to.include('第 3 天');
      expect(text(part(el, 'stats'))).to.include(zhCN['showroom.stats.notEnough']);
    });

    it('lets the element’s own locale override the provider’s', async () => {
      const el = await mount(new StubApi(showroomHandler(sample)), { locale: 'zh-CN' });
      el.locale = 'en';
      await loaded(el);
      await waitUntil(
        () => text(cards(el)[0]!.querySelector('[part~="select-button"]')) === en['showroom.use'],
      );
    });
  });

  describe('outside a provider', () => {
    it('uses its own base-url, token and fetch hook', async () => {
      const api = new StubApi(showroomHandler(sample));
      const el = await fixture<DmJourneyShowroom>(
        html`<dm-journey-showroom
          base-url="https://portal.test/dm/"
          token="t0ken"
          .fetch=${api.fetch}
        ></dm-journey-showroom>`,
      );
      await loaded(el);
      const request = journeyRequests(api)[0]!;
      expect(request.url.origin + request.url.pathname).to.equal('https://portal.test/dm/v1/journeys');
      expect(request.request.headers.get('authorization')).to.equal('Bearer t0ken');
      expect(facetRequests(api)[0]!.request.headers.get('authorization')).to.equal('Bearer t0ken');
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

/** Focus is inside the open dialog. */
function dialogFocus(el: DmJourneyShowroom): boolean {
  const dialog = part<HTMLDialogElement>(el, 'dialog')!;
  return dialog.open && dialog.contains(active(el));
}
