import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createClient, type DmClient, type FetchLike } from '../sdk/index.js';
import { dmClientContext } from './contexts.js';

/** What an element must expose for {@link ClientController}. */
export interface ClientHost extends ReactiveControllerHost, HTMLElement {
  /** An injected client; wins over everything else. */
  client?: DmClient | undefined;
  /** API base URL, used only outside any `<dm-provider>`. */
  baseUrl?: string | undefined;
  /** Bearer token, used only outside any `<dm-provider>`. */
  token?: string | undefined;
  /** Token callback, used only outside any `<dm-provider>`. */
  getToken?: (() => string | Promise<string>) | undefined;
  /** `fetch` replacement for the element's own client (tests, hosts with custom transport). */
  fetch?: FetchLike | undefined;
}

export type ClientSource = 'property' | 'provider' | 'attributes' | 'none';

/**
 * Gives an element its SDK client: the element's `client` property if set, else the client of the
 * nearest `<dm-provider>` (via `@lit/context`, subscribed, so a provider defined later — with a
 * `ContextRoot` attached — or a recreated client reaches the element), else a client the element makes
 * from its own `base-url` / `token` attributes. `undefined` while none of these is available.
 */
export class ClientController implements ReactiveController {
  readonly #host: ClientHost;
  readonly #locale: () => string | undefined;
  readonly #context: ContextConsumer<typeof dmClientContext, ClientHost>;
  #own: { key: readonly unknown[]; client: DmClient } | undefined;

  constructor(host: ClientHost, options: { locale?: () => string | undefined } = {}) {
    this.#host = host;
    this.#locale = options.locale ?? (() => undefined);
    this.#context = new ContextConsumer(host, { context: dmClientContext, subscribe: true });
    host.addController(this);
  }

  /** Where the current client comes from. */
  get source(): ClientSource {
    if (this.#host.client) return 'property';
    if (this.#context.value) return 'provider';
    if (this.#host.baseUrl) return 'attributes';
    return 'none';
  }

  /** The client to use now, or `undefined` when the element is not connected to an API. */
  get value(): DmClient | undefined {
    const host = this.#host;
    if (host.client) return host.client;
    if (this.#context.value) return this.#context.value;
    if (!host.baseUrl) return undefined;
    const locale = this.#locale();
    const key = [host.baseUrl, host.token, host.getToken, host.fetch, locale] as const;
    if (!this.#own || this.#own.key.some((part, i) => part !== key[i])) {
      this.#own = {
        key,
        client: createClient({
          baseUrl: host.baseUrl,
          ...(host.token ? { token: host.token } : {}),
          ...(host.getToken ? { getToken: host.getToken } : {}),
          ...(locale ? { locale } : {}),
          ...(host.fetch ? { fetch: host.fetch } : {}),
        }),
      };
    }
    return this.#own.client;
  }

  hostDisconnected(): void {
    this.#own = undefined;
  }
}
