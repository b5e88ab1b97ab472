import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/elements/journey-showroom/define.js';
import '../../src/elements/provider/define.js';
import type { DmJourneyShowroom } from '../../src/elements/journey-showroom/journey-showroom.js';
import { DmProvider } from '../../src/elements/provider/provider.js';
import { define } from '../../src/internal/define.js';
import { StubApi, journey, listHandler } from './support/api.js';
import { waitForState } from './support/helpers.js';

const sample = [journey(1), journey(2), journey(3)];

const token = (el: Element, name: string) => getComputedStyle(el).getPropertyValue(name).trim();

async function mountProvider(template: ReturnType<typeof html>) {
  const provider = await fixture<DmProvider>(template);
  const el = provider.querySelector<DmJourneyShowroom>('dm-journey-showroom')!;
  return { provider, el };
}

describe('<dm-provider>', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
  });

  it('is accessible', async () => {
    const api = new StubApi(listHandler(sample));
    const { provider, el } = await mountProvider(
      html`<dm-provider .client=${api.client()}><dm-journey-showroom></dm-journey-showroom></dm-provider>`,
    );
    await waitForState(el, 'loaded');
    await expect(provider).to.be.accessible();
  });

  it('renders no box of its own', async () => {
    const provider = await fixture<DmProvider>(html`<dm-provider><p>content</p></dm-provider>`);
    expect(getComputedStyle(provider).display).to.equal('contents');
  });

  describe('client', () => {
    it('creates a client from base-url, token and locale', async () => {
      const api = new StubApi(listHandler(sample));
      const { el } = await mountProvider(
        html`<dm-provider base-url="https://api.test/dm" token="secret" locale="zh-CN" .fetch=${api.fetch}>
          <dm-journey-showroom></dm-journey-showroom>
        </dm-provider>`,
      );
      await waitForState(el, 'loaded');
      const { url, request } = api.to('/v1/journeys').at(-1)!;
      expect(url.origin + url.pathname).to.equal('https://api.test/dm/v1/journeys');
      expect(request.headers.get('authorization')).to.equal('Bearer secret');
      expect(request.headers.get('accept-language')).to.equal('zh-CN');
    });

    it("hosted-previews points the client at the API server's preview page", async () => {
      const provider = await fixture<DmProvider>(
        html`<dm-provider base-url="https://api.test/dm/"></dm-provider>`,
      );
      expect(provider.activeClient?.previewFrameUrl).to.equal(undefined);
      provider.hostedPreviews = true;
      await provider.updateComplete;
      expect(provider.activeClient?.previewFrameUrl).to.equal('https://api.test/dm/preview-frame');
    });

    it('recreates the client when base-url or token change, and the elements reload', async () => {
      const api = new StubApi(listHandler(sample));
      const { provider, el } = await mountProvider(
        html`<dm-provider base-url="https://one.test" .fetch=${api.fetch}>
          <dm-journey-showroom></dm-journey-showroom>
        </dm-provider>`,
      );
      await waitForState(el, 'loaded');
      const first = provider.activeClient;

      provider.setAttribute('base-url', 'https://two.test');
      await waitUntil(() => api.to('/v1/journeys').length === 2, 'reloaded from the new base URL');
      expect(api.to('/v1/journeys').at(-1)!.url.origin).to.equal('https://two.test');
      expect(provider.activeClient).to.not.equal(first);

      provider.token = 'fresh';
      await waitUntil(() => api.to('/v1/journeys').length === 3, 'reloaded with the new token');
      expect(api.to('/v1/journeys').at(-1)!.request.headers.get('authorization')).to.equal('Bearer fresh');
    });

    it('prefers an injected client over base-url', async () => {
      const injected = new StubApi(listHandler(sample));
      const unused = new StubApi(listHandler(sample));
      const { el } = await mountProvider(
        html`<dm-provider base-url="https://unused.test" .fetch=${unused.fetch} .client=${injected.client()}>
          <dm-journey-showroom></dm-journey-showroom>
        </dm-provider>`,
      );
      await waitForState(el, 'loaded');
      expect(injected.to('/v1/journeys')).to.have.length(1);
      expect(unused.requests).to.have.length(0);
    });

    it('serves the nearest provider when providers nest', async () => {
      const outer = new StubApi(listHandler(sample));
      const inner = new StubApi(listHandler(sample));
      const provider = await fixture<DmProvider>(
        html`<dm-provider .client=${outer.client()}>
          <dm-provider .client=${inner.client()}><dm-journey-showroom></dm-journey-showroom></dm-provider>
        </dm-provider>`,
      );
      await waitForState(provider.querySelector('dm-journey-showroom')!, 'loaded');
      expect(inner.to('/v1/journeys')).to.have.length(1);
      expect(outer.requests).to.have.length(0);
    });
  });

  describe('theme', () => {
    it('is light by default and dark with theme="dark"', async () => {
      const provider = await fixture<DmProvider>(html`<dm-provider><div>inside</div></dm-provider>`);
      const child = provider.querySelector('div')!;
      expect(token(child, '--dm-color-surface')).to.equal('#ffffff');
      expect(getComputedStyle(child).colorScheme).to.equal('light');

      provider.theme = 'dark';
      await provider.updateComplete;
      expect(provider.getAttribute('theme')).to.equal('dark');
      expect(token(child, '--dm-color-surface')).to.equal('#0d1117');
      expect(getComputedStyle(child).colorScheme).to.equal('dark');
    });

    it('follows prefers-color-scheme with theme="auto"', async () => {
      const provider = await fixture<DmProvider>(
        html`<dm-provider theme="auto"><div>inside</div></dm-provider>`,
      );
      const child = provider.querySelector('div')!;
      await emulateMedia({ colorScheme: 'light' });
      expect(token(child, '--dm-color-text')).to.equal('#1f2328');
      await emulateMedia({ colorScheme: 'dark' });
      expect(token(child, '--dm-color-text')).to.equal('#e6edf3');
    });

    it('lets host page CSS override tokens', async () => {
      const style = document.createElement('style');
      style.textContent = 'dm-provider.branded { --dm-color-accent: rgb(120, 0, 60); }';
      document.head.append(style);
      try {
        const api = new StubApi(listHandler(sample));
        const { el } = await mountProvider(
          html`<dm-provider class="branded" theme="dark" .client=${api.client()}>
            <dm-journey-showroom></dm-journey-showroom>
          </dm-provider>`,
        );
        await waitForState(el, 'loaded');
        const button = el.shadowRoot!.querySelector('[part~="select-button"]')!;
        expect(getComputedStyle(button).backgroundColor).to.equal('rgb(120, 0, 60)');
      } finally {
        style.remove();
      }
    });

    it('gives elements outside any provider the light defaults', async () => {
      const el = await fixture<DmJourneyShowroom>(html`<dm-journey-showroom></dm-journey-showroom>`);
      expect(token(el, '--dm-color-surface')).to.equal('#ffffff');
      expect(token(el, '--dm-color-accent')).to.equal('#0958c8');
    });
  });
});

describe('define()', () => {
  it('skips a tag that is already defined, warning only when the class differs', async () => {
    const warnings: unknown[][] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      expect(define('dm-provider', DmProvider)).to.equal(false);
      expect(warnings).to.have.length(0);

      class OtherProvider extends DmProvider {
        static override readonly version = '9.9.9';
      }
      expect(() => define('dm-provider', OtherProvider)).to.not.throw();
      expect(customElements.get('dm-provider')).to.equal(DmProvider);
      expect(warnings).to.have.length(1);
      expect(String(warnings[0]![0])).to.include('9.9.9').and.include('<dm-provider>');

      class Fresh extends DmProvider {}
      expect(define('dm-test-fresh-provider', Fresh)).to.equal(true);
      expect(customElements.get('dm-test-fresh-provider')).to.equal(Fresh);
    } finally {
      console.warn = original;
    }
  });
});
