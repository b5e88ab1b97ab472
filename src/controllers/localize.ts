import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DmApiErrorKind } from '../sdk/index.js';
import { isDmApiError } from '../sdk/index.js';
import {
  formatNumber,
  loadTranslation,
  matchLocale,
  translate,
  translationFor,
  type MessageParams,
  type SupportedLocale,
  type TranslationKey,
} from '../translations/runtime.js';

type LocalizeHost = ReactiveControllerHost & HTMLElement;

/** Hosts re-rendered when `<html lang>` changes; one observer per document, created on demand. */
const observed = new WeakMap<Document, { observer: MutationObserver; hosts: Set<LocalizeHost> }>();

function watchDocumentLang(host: LocalizeHost): void {
  const doc = host.ownerDocument;
  let entry = observed.get(doc);
  if (!entry) {
    const hosts = new Set<LocalizeHost>();
    const observer = new MutationObserver(() => {
      for (const h of hosts) h.requestUpdate();
    });
    observer.observe(doc.documentElement, { attributes: true, attributeFilter: ['lang'] });
    observed.set(doc, (entry = { observer, hosts }));
  }
  entry.hosts.add(host);
}

function unwatchDocumentLang(host: LocalizeHost): void {
  observed.get(host.ownerDocument)?.hosts.delete(host);
}

/**
 * Translates strings for one element. The locale is resolved per element, every time it is read:
 * `requested()` (the element's own attribute or its provider's locale), else `<html lang>`, else `en`,
 * then matched to a supported table (`zh-Hans` → `zh-CN`, `en-GB` → `en`).
 *
 * A table other than English is fetched the first time the host needs it; the host shows English until
 * then and re-renders when the table arrives.
 */
export class LocalizeController implements ReactiveController {
  readonly #host: LocalizeHost;
  readonly #requested: () => string | null | undefined;
  /** Locales whose table this host is waiting for. */
  readonly #waiting = new Set<SupportedLocale>();

  constructor(host: LocalizeHost, requested: () => string | null | undefined) {
    this.#host = host;
    this.#requested = requested;
    host.addController(this);
  }

  hostConnected(): void {
    watchDocumentLang(this.#host);
  }

  hostDisconnected(): void {
    unwatchDocumentLang(this.#host);
  }

  hostUpdate(): void {
    this.#ensureTable(this.locale);
  }

  /** The active locale of the host. */
  get locale(): SupportedLocale {
    const requested = this.#requested();
    return matchLocale(requested || this.#host.ownerDocument.documentElement.lang || 'en');
  }

  /** Translates `key`, substituting `{name}` placeholders and choosing plural forms by `count`. */
  t(key: TranslationKey, params?: MessageParams): string {
    const locale = this.locale;
    this.#ensureTable(locale);
    return translate(locale, key, params);
  }

  number(value: number, options?: Intl.NumberFormatOptions): string {
    return formatNumber(this.locale, value, options);
  }

  /** A user-facing message for a loading error, chosen by `DmApiError.kind`. */
  errorMessage(error: unknown): string {
    if (isDmApiError(error)) return this.t(errorKey(error.kind));
    return this.t('error.unknown');
  }

  /** Starts loading the table for `locale` when it is missing; the host re-renders once it is there. */
  #ensureTable(locale: SupportedLocale): void {
    if (translationFor(locale) || this.#waiting.has(locale)) return;
    this.#waiting.add(locale);
    loadTranslation(locale).then(
      () => {
        this.#waiting.delete(locale);
        this.#host.requestUpdate();
      },
      (error: unknown) => {
        // English stays on screen; the next update of the host tries again.
        this.#waiting.delete(locale);
        console.error(`dm-kit: could not load the ${locale} translation`, error);
      },
    );
  }
}

function errorKey(kind: DmApiErrorKind): TranslationKey {
  return `error.${kind}`;
}
