import { ContextRoot } from '@lit/context';
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/journey-showroom/define.js';
import type { DmJourneyShowroom } from '../../src/elements/journey-showroom/journey-showroom.js';
import { StubApi, journey, listHandler } from './support/api.js';
import { parts, waitForState } from './support/helpers.js';

// The script-tag entry does this; scripts (and so definitions) may arrive in any order.
const root = new ContextRoot();

describe('<dm-provider> defined after its consumers', () => {
  before(() => root.attach(document.documentElement));
  after(() => root.detach(document.documentElement));

  it('reaches an element that asked for context before the provider was defined', async () => {
    expect(customElements.get('dm-provider'), 'provider must not be defined yet').to.equal(undefined);
    const api = new StubApi(listHandler([journey(1), journey(2)]));

    const provider = await fixture(
      html`<dm-provider .client=${api.client()} locale="zh-CN">
        <dm-journey-showroom></dm-journey-showroom>
      </dm-provider>`,
    );
    const el = provider.querySelector<DmJourneyShowroom>('dm-journey-showroom')!;
    await el.updateComplete;
    expect(el.matches(':state(loading)') || el.matches(':state(loaded)')).to.equal(false);
    expect(api.requests).to.have.length(0);
    expect(el.resolvedLocale).to.equal('en');

    await import('../../src/elements/provider/define.js');
    expect(customElements.get('dm-provider')).to.not.equal(undefined);

    await waitForState(el, 'loaded');
    expect(parts(el, 'card')).to.have.length(2);
    expect(api.to('/v1/journeys')).to.have.length(1);
    // The locale arrives through the same late context.
    expect(el.resolvedLocale).to.equal('zh-CN');
  });
});
