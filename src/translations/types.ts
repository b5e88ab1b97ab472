/**
 * A message that varies by plural category (`Intl.PluralRules`). `other` is required because every
 * locale has it; languages without plural forms (e.g. Chinese) only need `other`.
 */
export type PluralMessage = { readonly other: string } & Partial<
  Readonly<Record<Exclude<Intl.LDMLPluralRule, 'other'>, string>>
>;

export type Message = string | PluralMessage;

/** Widens the literal English table into the shape every other locale must provide. */
export type TranslationShape<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : PluralMessage;
};

/** Values substituted into `{name}` placeholders. `count` also selects the plural form. */
export type MessageParams = Readonly<Record<string, string | number>>;
