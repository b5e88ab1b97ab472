import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DmApiErrorKind } from '../sdk/index.js';
import { isDmApiError } from '../sdk/index.js';
import {
  formatNumber,
  matchLocale,
  translate,
  type MessageParams,
  type SupportedLocale,
  type TranslationKey,
} from '../translations/index.js';

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
 */
export class LocalizeController implements ReactiveController {
  readonly #host: LocalizeHost;
  readonly #requested: () => string | null | undefined;

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

  /** The active locale of the host. */
  get locale(): SupportedLocale {
    const requested = this.#requested();
    return matchLocale(requested || this.#host.ownerDocument.documentElement.lang || 'en');
  }

  /** Translates `key`, substituting `{name}` placeholders and choosing plural forms by `count`. */
  t(key: TranslationKey, params?: MessageParams): string {
    return translate(this.locale, key, params);
  }

  number(value: number, options?: Intl.NumberFormatOptions): string {
    return formatNumber(this.locale, value, options);
  }

  /** A user-facing message for a loading error, chosen by `DmApiError.kind`. */
  errorMessage(error: unknown): string {
    if (isDmApiError(error)) return this.t(errorKey(error.kind));
    return this.t('error.unknown');
  }
}

function errorKey(kind: DmApiErrorKind): TranslationKey {
  return `error.${kind}`;
}
