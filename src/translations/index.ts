import { en, type EnglishTable } from './en.js';
import { zhCN } from './zh-CN.js';
import type { Message, MessageParams, TranslationShape } from './types.js';

export type { Message, MessageParams, PluralMessage, TranslationShape } from './types.js';
export { en } from './en.js';
export { zhCN } from './zh-CN.js';

/** Every translation key, e.g. `'showroom.use'`. */
export type TranslationKey = keyof EnglishTable;
export type Translation = TranslationShape<EnglishTable>;

/** Locales with a translation table. */
export const supportedLocales = ['en', 'zh-CN'] as const;
export type SupportedLocale = (typeof supportedLocales)[number];

const tables: Readonly<Record<SupportedLocale, Translation>> = { en, 'zh-CN': zhCN };

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

export function translationFor(locale: SupportedLocale): Translation {
  return tables[locale];
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

/** Translates `key` for `locale`, falling back to English for a missing entry at run time. */
export function translate(locale: SupportedLocale, key: TranslationKey, params?: MessageParams): string {
  const message = tables[locale][key] ?? en[key];
  return formatMessage(locale, message, params);
}
