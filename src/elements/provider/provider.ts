import { ContextProvider } from '@lit/context';
import { html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { dmClientContext, dmLocaleContext, dmThemeContext } from '../../controllers/contexts.js';
import { DmElement } from '../../internal/dm-element.js';
import { createClient, type DmClient, type FetchLike } from '../../sdk/index.js';
import type { ThemeSetting } from '../../styles/tokens.js';
import styles from './provider.styles.js';

/**
 * @tag dm-provider
 * @summary Connects the DM Kit elements inside it to the API and gives them a locale and a theme.
 *
 * @description Creates one SDK client from `base-url` and `token` (or uses the injected `client`) and
 * provides it, the locale and the theme to every DM Kit element inside it through `@lit/context`.
 * Renders no box of its own (`display: contents`); the theme's `--dm-*` tokens inherit to the
 * elements inside. Set tokens on `dm-provider` in your own CSS to restyle everything inside.
 *
 * @slot - DM Kit elements (and any other content).
 *
 * @cssproperty [--dm-color-accent=#0958c8] - Buttons, links and focus accents (and every other `--dm-*` token).
 * @cssproperty [--dm-font-family=system-ui] - Font of every element inside.
 */
export class DmProvider extends DmElement {
  static override styles = styles;

  readonly #clientProvider = new ContextProvider(this, { context: dmClientContext, initialValue: undefined });
  readonly #localeProvider = new ContextProvider(this, { context: dmLocaleContext, initialValue: undefined });
  readonly #themeProvider = new ContextProvider(this, { context: dmThemeContext, initialValue: 'light' });
  #ownClient: DmClient | undefined;
  #ownKey: readonly unknown[] | undefined;

  /** Base URL of the DM Kit API, e.g. `https://dm.example.com` or `/dm`. */
  @property({ attribute: 'base-url' }) baseUrl?: string;

  /** Bearer token. Prefer the `getToken` property when tokens expire (and to keep them out of the DOM). */
  @property({ attribute: 'token' }) token?: string;

  /** Colour theme for everything inside: `light`, `dark`, or `auto` (follows the operating system). */
  @property({ attribute: 'theme', reflect: true }) theme: ThemeSetting = 'light';

  /**
   * Show email previews in the API server's `/preview-frame` page, under that page's own
   * Content-Security-Policy, instead of an `<iframe srcdoc>` that inherits the host page's policy. Set
   * it on hosts with a strict CSP (and allow the API origin in `frame-src`).
   */
  @property({ attribute: 'hosted-previews', type: Boolean }) hostedPreviews = false;

  /** A ready-made SDK client; when set, `base-url`, `token`, `getToken` and `fetch` are ignored. */
  @property({ attribute: false }) client?: DmClient;

  /** Returns the bearer token; called per request, so it may refresh it. */
  @property({ attribute: false }) getToken?: () => string | Promise<string>;

  /** A `fetch` replacement for the client this provider creates (tests, custom transports). */
  @property({ attribute: false }) fetch?: FetchLike;

  /** The client provided to the elements inside: the injected `client`, else one made from `base-url`. */
  get activeClient(): DmClient | undefined {
    return this.client ?? this.#ownClient;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (!this.client) this.#ownClient = this.#makeClient();
    this.#clientProvider.setValue(this.activeClient);
    this.#localeProvider.setValue(this.requestedLocale);
    this.#themeProvider.setValue(this.theme);
  }

  /** The provider's own client, recreated only when one of its inputs changed. */
  #makeClient(): DmClient | undefined {
    const key = [
      this.baseUrl,
      this.token,
      this.getToken,
      this.fetch,
      this.resolvedLocale,
      this.hostedPreviews,
    ];
    if (this.#ownKey && key.every((part, i) => part === this.#ownKey?.[i])) return this.#ownClient;
    this.#ownKey = key;
    if (!this.baseUrl) return undefined;
    return createClient({
      baseUrl: this.baseUrl,
      locale: this.resolvedLocale,
      previewFrame: this.hostedPreviews,
      ...(this.token ? { token: this.token } : {}),
      ...(this.getToken ? { getToken: this.getToken } : {}),
      ...(this.fetch ? { fetch: this.fetch } : {}),
    });
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}
