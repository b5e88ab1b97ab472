import { ContextConsumer } from '@lit/context';
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { dmLocaleContext } from '../controllers/contexts.js';
import { LocalizeController } from '../controllers/localize.js';
import { installDocumentTokens } from '../styles/document-tokens.js';
import type { MessageParams, SupportedLocale, TranslationKey } from '../translations/index.js';
import { VERSION } from './version.js';
import type {} from '../events/index.js';

/**
 * Base class of every DM Kit element: per-element locale, translation, custom states, typed events and
 * the light-theme token defaults for elements used outside a `<dm-provider>`.
 *
 * Locale resolution (first that is set): the element's `locale` or `lang` attribute → the nearest
 * `<dm-provider>`'s locale (via context) → `<html lang>` → `en`.
 */
export class DmElement extends LitElement {
  /** The DM Kit version that defined this class; `define()` reports it on a clash. */
  static readonly version: string = VERSION;

  readonly #localeContext = new ContextConsumer(this, { context: dmLocaleContext, subscribe: true });
  readonly #internals: ElementInternals | undefined = attachInternalsSafely(this);
  readonly #fallbackStates = new Set<string>();

  /** Translation and number formatting in this element's locale. */
  protected readonly localize = new LocalizeController(this, () => this.requestedLocale);

  /** UI language, e.g. `en` or `zh-CN`. Overrides the provider's and the page's language. */
  @property({ attribute: 'locale', reflect: true }) locale?: string;

  /** The language of this element, as on any HTML element; `locale` takes precedence. */
  @property({ attribute: 'lang', reflect: true }) override lang!: string;

  /** The locale asked for by this element or its provider; `undefined` falls back to `<html lang>`. */
  protected get requestedLocale(): string | undefined {
    return this.locale || this.lang || this.#localeContext.value || undefined;
  }

  /** The locale this element renders in (a supported locale). */
  get resolvedLocale(): SupportedLocale {
    return this.localize.locale;
  }

  override connectedCallback(): void {
    installDocumentTokens(this.ownerDocument);
    super.connectedCallback();
  }

  /** Translates `key` in this element's locale. */
  protected t(key: TranslationKey, params?: MessageParams): string {
    return this.localize.t(key, params);
  }

  /**
   * Sets or clears a custom state, styleable from outside as `dm-x:state(name)`. Falls back to the
   * legacy `--name` syntax, then to a no-op, where `CustomStateSet` is not available.
   */
  protected toggleState(name: string, on: boolean): void {
    if (on) this.#fallbackStates.add(name);
    else this.#fallbackStates.delete(name);
    const states = this.#internals?.states;
    if (!states) return;
    try {
      setState(states, name, on);
    } catch {
      try {
        setState(states, `--${name}`, on);
      } catch {
        // CustomStateSet unavailable: states are tracked in #fallbackStates only.
      }
    }
  }

  /** Whether a custom state set with `toggleState()` is on. */
  protected hasState(name: string): boolean {
    return this.#fallbackStates.has(name);
  }

  /**
   * Dispatches a DM Kit event (one registered in `GlobalEventHandlersEventMap` under a `dm-` name) from
   * this element; returns false when a listener cancelled it.
   */
  protected emit(event: DmEvent): boolean {
    return this.dispatchEvent(event);
  }
}

/** Every `dm-*` event class declared in `GlobalEventHandlersEventMap`. */
export type DmEvent = {
  [K in keyof GlobalEventHandlersEventMap]: K extends `dm-${string}` ? GlobalEventHandlersEventMap[K] : never;
}[keyof GlobalEventHandlersEventMap];

function setState(states: CustomStateSet, name: string, on: boolean): void {
  if (on) states.add(name);
  else states.delete(name);
}

function attachInternalsSafely(element: HTMLElement): ElementInternals | undefined {
  try {
    return typeof element.attachInternals === 'function' ? element.attachInternals() : undefined;
  } catch {
    return undefined;
  }
}
