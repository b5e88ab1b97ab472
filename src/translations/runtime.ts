/**
 * Locale matching, loading and message formatting. Only English is bundled with the elements; other
 * tables are separate modules fetched when a locale needs them (`loadTranslation`).
 */
import { en, type EnglishTable } from './en.js';
import type { Message, MessageParams, TranslationShape } from './types.js';

export type { Message, MessageParams, PluralMessage, TranslationShape } from './types.js';
export { en } from './en.js';

/** Every translation key, e.g. `'showroom.use'`. */
export type TranslationKey = keyof EnglishTable;
export type Translation = TranslationShape<EnglishTable>;

/** Locales with a translation table. */
export const supportedLocales = ['en', 'zh-CN'] as const;
export type SupportedLocale = (typeof supportedLocales)[number];

/**
 * Tables other than English are fetched on first use (`loadTranslation`), so a page pays only for the
 * languages it shows. Each loader is typed against `Translation`: a table with a missing key fails `tsc`.
 */
const loaders: Readonly<Record<Exclude<SupportedLocale, 'en'>, () => Promise<Translation>>> = {
  'zh-CN': () => import('./zh-CN.js').then((m) => m.zhCN),
};

const tables: Partial<Record<SupportedLocale, Translation>> = { en };
const pending = new Map<SupportedLocale, Promise<Translation>>();

/**
 * Maps any BCP 47 tag onto a supported locale: exact match (case-insensitive), then any Chinese tag
 * (`zh`, `zh-Hans`, `zh-TW` → `zh-CN`, the only Chinese table), then the language (`en-GB` → `en`), else `en`.
 */
export function matchLocale(tag: string | null | undefined): SupportedLocale {
  const wanted = (tag ?? '').trim().toLowerCase();
  if (!wanted) return 'en';
  const exact = supportedLocales.find((l) => l.toLowerCase() === wanted);
  if (exact) return exact;
  const language = wanted.split(/[-_]/)[0];
  if (language === 'zh') return 'zh-CN';
  return supportedLocales.find((l) => l.split('-')[0] === language) ?? 'en';
}

/** The table for `locale` once it has loaded (English always has), else `undefined`. */
export function translationFor(locale: SupportedLocale): Translation | undefined {
  return tables[locale];
}

/**
 * Fetches the table for `locale` (once; concurrent callers share the request). Resolves when
 * `translate()` can use it. A failed load is forgotten, so a later call tries again.
 */
export function loadTranslation(locale: SupportedLocale): Promise<Translation> {
  const loaded = tables[locale];
  if (loaded) return Promise.resolve(loaded);
  let request = pending.get(locale);
  if (!request) {
    request = loaders[locale as Exclude<SupportedLocale, 'en'>]().then(
      (table) => {
        tables[locale] = table;
        pending.delete(locale);
        return table;
      },
      (error: unknown) => {
        pending.delete(locale);
        throw error;
      },
    );
    pending.set(locale, request);
  }
  return request;
}

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function plural(locale: string, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules.select(count);
}

export function formatNumber(locale: string, value: number, options?: Intl.NumberFormatOptions): string {
  if (options) return new Intl.NumberFormat(locale, options).format(value);
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format.format(value);
}

/**
 * Formats one message: picks the plural form from `params.count`, then replaces `{name}` with
 * `params.name` (numbers are formatted for the locale). Unknown placeholders are left as written.
 */
export function formatMessage(locale: SupportedLocale, message: Message, params?: MessageParams): string {
  let text: string;
  if (typeof message === 'string') {
    text = message;
  } else {
    const count = Number(params?.count ?? 0);
    text = message[plural(locale, count)] ?? message.other;
  }
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(locale, value) : value;
  });
}

/**
 * Translates `key` for `locale`, falling back to English for a missing entry at run time and for the
 * whole table while it has not loaded yet (see `loadTranslation`).
 */
export function translate(locale: SupportedLocale, key: TranslationKey, params?: MessageParams): string {
  const message = tables[locale]?.[key];
  return message === undefined
    ? formatMessage('en', en[key], params)
    : formatMessage(locale, message, params);
}
