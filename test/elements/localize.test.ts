import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/elements/journey-showroom/define.js';
import type { DmJourneyShowroom } from '../../src/elements/journey-showroom/journey-showroom.js';
import { en } from '../../src/translations/en.js';
import { formatMessage, loadTranslation, matchLocale, translate } from '../../src/translations/index.js';
import { zhCN } from '../../src/translations/zh-CN.js';
import { part, text } from './support/helpers.js';

describe('translations', () => {
  it('zh-CN has exactly the English keys, each non-empty', () => {
    expect(Object.keys(zhCN).sort()).to.deep.equal(Object.keys(en).sort());
    for (const [key, value] of Object.entries(zhCN)) {
      const message = typeof value === 'string' ? value : value.other;
      expect(message.trim(), key).to.not.equal('');
    }
  });

  it('chooses plural forms with Intl.PluralRules and fills placeholders', async () => {
    await loadTranslation('zh-CN');
    expect(translate('en', 'showroom.steps', { count: 1 })).to.equal('1 step');
    expect(translate('en', 'showroom.steps', { count: 0 })).to.equal('0 steps');
    expect(translate('en', 'showroom.found', { count: 1200 })).to.equal('1,200 journeys found');
    expect(translate('zh-CN', 'showroom.steps', { count: 1 })).to.equal('1 个步骤');
    expect(translate('en', 'showroom.showing', { shown: 24, total: 30 })).to.equal('Showing 24 of 30');
    expect(formatMessage('en', 'Hello {name}, {missing}', { name: 'Ann' })).to.equal('Hello Ann, {missing}');
  });

  it('has a label for every error kind and category', () => {
    const kinds = [
      'validation',
      'auth',
      'forbidden',
      'not_found',
      'conflict',
      'rate_limited',
      'server',
      'network',
    ];
    const more = ['timeout', 'aborted', 'invalid_response'];
    for (const kind of [...kinds, ...more]) expect(en).to.have.property(`error.${kind}`);
    const categories = [
      'onboarding',
      'thank_you',
      'follow_up',
      'reminder',
      'offer',
      'promotion',
      'event',
      'newsletter',
    ];
    for (const category of categories) expect(zhCN).to.have.property(`category.${category}`);
  });

  it('matches language tags to supported locales', () => {
    expect(matchLocale('zh-CN')).to.equal('zh-CN');
    expect(matchLocale('zh-cn')).to.equal('zh-CN');
    expect(matchLocale('zh-Hans')).to.equal('zh-CN');
    expect(matchLocale('en-GB')).to.equal('en');
    expect(matchLocale('fr')).to.equal('en');
    expect(matchLocale('')).to.equal('en');
    expect(matchLocale(undefined)).to.equal('en');
  });
});

describe('locale resolution', () => {
  afterEach(() => document.documentElement.setAttribute('lang', 'en'));

  it('falls back to <html lang> and follows changes to it', async () => {
    const el = await fixture<DmJourneyShowroom>(html`<dm-journey-showroom></dm-journey-showroom>`);
    expect(text(part(el, 'header')?.querySelector('label'))).to.equal(en['showroom.search']);
    document.documentElement.lang = 'zh-CN';
    await waitUntil(() => el.resolvedLocale === 'zh-CN', 'follows <html lang>');
    await waitUntil(
      () => text(part(el, 'header')?.querySelector('label')) === zhCN['showroom.search'],
      'renders in Chinese',
    );
  });

  it('prefers the element’s own lang or locale attribute', async () => {
    document.documentElement.lang = 'zh-CN';
    const el = await fixture<DmJourneyShowroom>(html`<dm-journey-showroom lang="en"></dm-journey-showroom>`);
    expect(el.resolvedLocale).to.equal('en');
    el.removeAttribute('lang');
    el.setAttribute('locale', 'en-US');
    await el.updateComplete;
    expect(el.resolvedLocale).to.equal('en');
    el.removeAttribute('locale');
    await el.updateComplete;
    expect(el.resolvedLocale).to.equal('zh-CN');
  });
});
