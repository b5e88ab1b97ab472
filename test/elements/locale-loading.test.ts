// Translation tables other than English are separate modules, fetched only when an element needs one.
// This file must not import a Chinese table itself: it checks which modules the page has fetched.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/journey-showroom/define.js';
import '../../src/elements/provider/define.js';
import type { DmJourneyShowroom } from '../../src/elements/journey-showroom/journey-showroom.js';
import type { DmProvider } from '../../src/elements/provider/provider.js';
import { en } from '../../src/translations/en.js';
import { translationFor } from '../../src/translations/runtime.js';
import { StubApi, journey, listHandler } from './support/api.js';
import { part, text, waitForState } from './support/helpers.js';

const chineseModuleFetched = () =>
  performance.getEntriesByType('resource').some((e) => /\/translations\/zh-CN\.[jt]s/.test(e.name));

const searchLabel = (el: DmJourneyShowroom) => text(part(el, 'header')?.querySelector('label'));

describe('locale loading', () => {
  afterEach(() => document.documentElement.setAttribute('lang', 'en'));

  it('does not fetch the Chinese table for an English page', async () => {
    const api = new StubApi(listHandler([journey(1), journey(2)]));
    const provider = await fixture<DmProvider>(
      html`<dm-provider locale="en" .client=${api.client()}
        ><dm-journey-showroom></dm-journey-showroom
      ></dm-provider>`,
    );
    const el = provider.querySelector<DmJourneyShowroom>('dm-journey-showroom')!;
    await waitForState(el, 'loaded');
    document.documentElement.lang = 'en-GB';
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(searchLabel(el)).to.equal(en['showroom.search']);
    expect(translationFor('zh-CN')).to.equal(undefined);
    expect(chineseModuleFetched()).to.equal(false);
  });

  it('shows English until the Chinese table arrives, then re-renders in Chinese', async () => {
    const el = await fixture<DmJourneyShowroom>(html`<dm-journey-showroom></dm-journey-showroom>`);
    expect(chineseModuleFetched()).to.equal(false);
    el.locale = 'zh-CN';
    await el.updateComplete;
    // The update that asked for the table could not have received it yet: English is shown meanwhile.
    expect(el.resolvedLocale).to.equal('zh-CN');
    expect(searchLabel(el)).to.equal(en['showroom.search']);

    await waitUntil(() => translationFor('zh-CN') !== undefined, 'the Chinese table loads');
    const { zhCN } = await import('../../src/translations/zh-CN.js');
    await waitUntil(() => searchLabel(el) === zhCN['showroom.search'], 'renders in Chinese once loaded');
    expect(chineseModuleFetched()).to.equal(true);

    // Another element in Chinese renders it on its first update, without waiting again.
    const other = await fixture<DmJourneyShowroom>(
      html`<dm-journey-showroom locale="zh-CN"></dm-journey-showroom>`,
    );
    expect(searchLabel(other)).to.equal(zhCN['showroom.search']);
  });
});
