import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { Category, JourneySort, type JourneyPage, type JourneySummary } from '../../contract/journeys.js';
import { ClientController } from '../../controllers/client.js';
import { DataController, notReady } from '../../controllers/data.js';
import { defaultError, renderStates } from '../../controllers/render-states.js';
import { RovingTabindexController } from '../../controllers/roving-tabindex.js';
import { DmJourneySelectEvent } from '../../events/journey-select.js';
import { DmElement } from '../../internal/dm-element.js';
import type { DmClient, FetchLike } from '../../sdk/index.js';
import { controlStyles, hostStyles } from '../../styles/shared.js';
import styles from './journey-showroom.styles.js';

/** Milliseconds of typing pause before a search is sent. */
export const SEARCH_DEBOUNCE_MS = 250;

const categories = Category.options;
const sorts = JourneySort.options;

type ListArgs = readonly [
  client: DmClient | undefined,
  q: string | undefined,
  category: Category | undefined,
  sort: JourneySort,
  limit: number,
];

/**
 * @tag dm-journey-showroom
 * @summary The catalogue of brand-approved journeys and one-off templates the signed-in partner may use:
 * search, filter by category, sort, load more, and pick one.
 *
 * @description Loads `GET /v1/journeys` through the nearest `<dm-provider>` (or its own `base-url` and
 * `token` outside a provider). Typing in the search box sends `q` after a 250 ms pause; a request made
 * stale by newer input is aborted. Cards form a list with one tab stop: arrow keys move between cards,
 * Home and End jump to the first and last.
 *
 * @slot header - Content shown above the filters, e.g. a heading.
 * @slot loading - Replaces the loading skeletons.
 * @slot error - Replaces the error message and its "Try again" button.
 * @slot empty - Replaces the empty-state message.
 *
 * @event {DmJourneySelectEvent} dm-journey-select - "Use this journey" was pressed; `detail.journey` is the
 * journey. Cancelable: `preventDefault()` stops the card from being marked as selected.
 * @event {DmErrorEvent} dm-error - Loading failed; `detail.error` is the `DmApiError`. Not fired for aborts.
 *
 * @csspart base - The wrapper around everything.
 * @csspart header - The filter bar.
 * @csspart search - The search input.
 * @csspart category-select - The category `<select>`.
 * @csspart sort-select - The sort `<select>`.
 * @csspart count - The "N journeys found" line.
 * @csspart body - The area that shows the cards or a state.
 * @csspart list - The list of cards.
 * @csspart card - One journey card (the focusable item).
 * @csspart card-title - A card's name.
 * @csspart card-summary - A card's summary.
 * @csspart badge - Every badge (category, language, approval, selected).
 * @csspart select-button - A card's "Use this journey" button.
 * @csspart footer - The "Load more" area.
 * @csspart load-more-button - The "Load more" button.
 * @csspart spinner - The loading state (skeleton cards).
 * @csspart skeleton - One skeleton card.
 * @csspart error - The error state.
 * @csspart retry-button - The "Try again" button.
 * @csspart empty - The empty state.
 * @csspart clear-filters-button - The "Clear filters" button of the empty state.
 *
 * @cssproperty [--dm-showroom-columns-min=16rem] - Narrowest card column before the grid drops a column.
 * @cssproperty [--dm-showroom-card-block-size=18rem] - Card (and skeleton) height, so loading causes no layout shift.
 * @cssproperty [--dm-showroom-gap=var(--dm-space-l)] - Gap between cards.
 *
 * @cssstate loading - Journeys are being loaded.
 * @cssstate error - Loading failed.
 * @cssstate empty - Loaded, and nothing matched.
 * @cssstate loaded - Loaded with at least one journey.
 * @cssstate filtered - A search or category filter is active.
 */
export class DmJourneyShowroom extends DmElement {
  static override styles = [hostStyles, controlStyles, styles];

  readonly #client = new ClientController(this, { locale: () => this.resolvedLocale });

  readonly #data = new DataController<JourneyPage, ListArgs>(this, {
    args: () =>
      [this.#client.value, this.#query.q, this.#query.category, this.#query.sort, this.#query.limit] as const,
    task: async ([client, q, category, sort, limit], { signal }) => {
      this.#more.abort();
      if (!client) return notReady;
      return client.journeys.list({ q, category, sort, limit }, { signal });
    },
    isEmpty: (page) => page.items.length === 0,
    onComplete: (page) => {
      this._more = [];
      this._nextCursor = page.nextCursor;
      this.#roving.reset();
    },
    onStatus: (status) => {
      this.toggleState('loading', status === 'pending');
      this.toggleState('error', status === 'error');
      this.toggleState('empty', status === 'empty');
      this.toggleState('loaded', status === 'complete');
    },
  });

  readonly #more = new DataController<JourneyPage, readonly [DmClient | undefined, string | null]>(this, {
    autoRun: false,
    args: () => [this.#client.value, this._nextCursor] as const,
    task: async ([client, cursor], { signal }) => {
      if (!client || !cursor) return notReady;
      const { q, category, sort, limit } = this.#query;
      return client.journeys.list({ q, category, sort, limit, cursor }, { signal });
    },
    onComplete: (page) => {
      const known = new Set([...(this.#data.value?.items ?? []), ...this._more].map((j) => j.id));
      this._more = [...this._more, ...page.items.filter((j) => !known.has(j.id))];
      this._nextCursor = page.nextCursor;
    },
  });

  readonly #roving = new RovingTabindexController(this, {
    items: () => [...this.renderRoot.querySelectorAll<HTMLElement>('.card')],
  });

  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  @query('#search') private readonly searchInput?: HTMLInputElement;

  /** Show only this category: `onboarding`, `thank_you`, `follow_up`, `reminder`, `offer`, `promotion`, `event` or `newsletter`. */
  @property({ attribute: 'category', reflect: true }) category?: Category;

  /** Search text (name, summary, tags). Typing in the search box updates it after a short pause. */
  @property({ attribute: 'q', reflect: true }) q?: string;

  /** Order: `newest`, `most_used`, `best_results` or `name`. */
  @property({ attribute: 'sort', reflect: true }) sort: JourneySort = 'newest';

  /** Journeys per page (1–100); "Load more" fetches the next page of this size. */
  @property({ attribute: 'page-size', type: Number, reflect: true }) pageSize = 24;

  /** Id of the journey marked as selected; set when "Use this journey" is pressed and not cancelled. */
  @property({ attribute: 'selected', reflect: true }) selected?: string;

  /** API base URL, used only outside a `<dm-provider>`. */
  @property({ attribute: 'base-url' }) baseUrl?: string;

  /** Bearer token, used only outside a `<dm-provider>`. Prefer `getToken`. */
  @property({ attribute: 'token' }) token?: string;

  /** An SDK client to use instead of the provider's. */
  @property({ attribute: false }) client?: DmClient;

  /** Token callback, used only outside a `<dm-provider>`. */
  @property({ attribute: false }) getToken?: () => string | Promise<string>;

  /** `fetch` replacement for the element's own client (outside a provider). */
  @property({ attribute: false }) fetch?: FetchLike;

  /** Text in the search box (may run ahead of `q` while the debounce is pending). */
  @state() private _searchText = '';

  /** Journeys added by "Load more". */
  @state() private _more: JourneySummary[] = [];

  @state() private _nextCursor: string | null = null;

  /** The query sent to the API, normalized from the properties. */
  get #query(): { q: string | undefined; category: Category | undefined; sort: JourneySort; limit: number } {
    const limit = Math.round(Number(this.pageSize));
    return {
      q: this.q?.trim() || undefined,
      category: this.category && categories.includes(this.category) ? this.category : undefined,
      sort: sorts.includes(this.sort) ? this.sort : 'newest',
      limit: Number.isFinite(limit) ? Math.min(100, Math.max(1, limit)) : 24,
    };
  }

  get #filtered(): boolean {
    const { q, category } = this.#query;
    return q !== undefined || category !== undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('q') && (this.q ?? '') !== this._searchText.trim()) {
      clearTimeout(this.#searchTimer);
      this._searchText = this.q ?? '';
    }
    this.toggleState('filtered', this.#filtered);
  }

  #onSearchInput(event: InputEvent): void {
    this._searchText = (event.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.#commitSearch(), SEARCH_DEBOUNCE_MS);
  }

  #onSearchKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.#commitSearch();
    }
  }

  #commitSearch(): void {
    clearTimeout(this.#searchTimer);
    this.q = this._searchText.trim() || undefined;
  }

  #onCategoryChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value as Category | '';
    this.category = value || undefined;
  }

  #onSortChange(event: Event): void {
    this.sort = (event.target as HTMLSelectElement).value as JourneySort;
  }

  #clearFilters(): void {
    clearTimeout(this.#searchTimer);
    this._searchText = '';
    this.q = undefined;
    this.category = undefined;
    // The button disappears with the empty state; keep focus in the component.
    void this.updateComplete.then(() => this.searchInput?.focus());
  }

  #use(journey: JourneySummary): void {
    if (this.emit(new DmJourneySelectEvent({ journey }))) this.selected = journey.id;
  }

  #loadMore(): void {
    void this.#more.run();
  }

  #renderFilters() {
    const { category, sort } = this.#query;
    return html`<div part="header" class="header">
      <div class="field field--search">
        <label for="search">${this.t('showroom.search')}</label>
        <input
          id="search"
          part="search"
          class="control"
          type="search"
          autocomplete="off"
          placeholder=${this.t('showroom.searchPlaceholder')}
          .value=${live(this._searchText)}
          @input=${this.#onSearchInput}
          @keydown=${this.#onSearchKeydown}
        />
      </div>
      <div class="field field--category">
        <label for="category">${this.t('showroom.category')}</label>
        <select id="category" part="category-select" class="control" @change=${this.#onCategoryChange}>
          <option value="" ?selected=${!category}>${this.t('category.all')}</option>
          ${categories.map(
            (c) => html`<option value=${c} ?selected=${c === category}>${this.t(`category.${c}`)}</option>`,
          )}
        </select>
      </div>
      <div class="field field--sort">
        <label for="sort">${this.t('showroom.sort')}</label>
        <select id="sort" part="sort-select" class="control" @change=${this.#onSortChange}>
          ${sorts.map((s) => html`<option value=${s} ?selected=${s === sort}>${this.t(`sort.${s}`)}</option>`)}
        </select>
      </div>
    </div>`;
  }

  #renderCard(journey: JourneySummary) {
    const titleId = `journey-${journey.id}`;
    const selected = journey.id === this.selected;
    const openRate = journey.stats.openRate;
    return html`<li class="item">
      <article
        part="card"
        class=${classMap({ card: true, 'card--selected': selected })}
        data-id=${journey.id}
        aria-labelledby=${titleId}
        aria-current=${ifDefined(selected ? 'true' : undefined)}
      >
        <div class="card__badges">
          <span part="badge" class="badge badge--category">${this.t(`category.${journey.category}`)}</span>
          <span part="badge" class="badge badge--locale">
            <span class="visually-hidden">${this.t('showroom.localeBadge', { language: '' })}</span>${this.t(
              `locale.${journey.locale}`,
            )}
          </span>
          ${
            journey.approvalRequired
              ? html`<span part="badge" class="badge badge--approval"
                  >${this.t('showroom.approvalRequired')}</span
                >`
              : nothing
          }
          ${selected ? html`<span part="badge" class="badge badge--selected">${this.t('showroom.selected')}</span>` : nothing}
        </div>
        <h3 id=${titleId} part="card-title" class="card__title">${journey.name}</h3>
        <p part="card-summary" class="card__summary">${journey.summary}</p>
        <ul class="card__facts">
          <li>${this.t('showroom.steps', { count: journey.stepCount })}</li>
          <li>${this.t(`showroom.kind.${journey.kind}`)}</li>
          ${
            openRate !== null
              ? html`<li>
                  ${this.t('showroom.openRate', {
                    rate: this.localize.number(openRate, { style: 'percent', maximumFractionDigits: 0 }),
                  })}
                </li>`
              : nothing
          }
        </ul>
        <div class="card__footer">
          <button
            part="select-button"
            class="button button--primary"
            type="button"
            aria-describedby=${titleId}
            @click=${() => this.#use(journey)}
          >
            ${this.t('showroom.use')}
          </button>
        </div>
      </article>
    </li>`;
  }

  #renderList(page: JourneyPage) {
    const items = [...page.items, ...this._more];
    const more = this.#more.status;
    return html`<ul
        part="list"
        class="list"
        @keydown=${this.#roving.onKeydown}
        @focusin=${this.#roving.onFocusin}
      >
        ${repeat(
          items,
          (j) => j.id,
          (j) => this.#renderCard(j),
        )}
      </ul>
      <div part="footer" class="footer">
        <p class="count">
          ${this.t('showroom.showing', { shown: items.length, total: Math.max(page.total, items.length) })}
        </p>
        ${
          more === 'error'
            ? html`<p class="footer__error" role="alert">
                ${this.t('showroom.loadMoreError')} ${this.localize.errorMessage(this.#more.error)}
              </p>`
            : nothing
        }
        ${
          this._nextCursor
            ? html`<button
                part="load-more-button"
                class="button"
                type="button"
                aria-disabled=${more === 'pending' ? 'true' : 'false'}
                @click=${() => (more === 'pending' ? undefined : this.#loadMore())}
              >
                ${
                  more === 'pending'
                    ? this.t('state.loadingMore')
                    : more === 'error'
                      ? this.t('state.retry')
                      : this.t('showroom.loadMore')
                }
              </button>`
            : nothing
        }
      </div>`;
  }

  #renderSkeletons() {
    const count = Math.min(this.#query.limit, 6);
    return html`<div class="list">
      ${Array.from({ length: count }, () => html`<div part="skeleton" class="skeleton"></div>`)}
    </div>`;
  }

  #moreAnnouncement(): string {
    const status = this.#more.status;
    if (status === 'pending') return this.t('state.loadingMore');
    if (status === 'complete' && this.#data.value) {
      const shown = this.#data.value.items.length + this._more.length;
      return this.t('showroom.showing', { shown, total: Math.max(this.#data.value.total, shown) });
    }
    return '';
  }

  protected override render() {
    const total = this.#data.status === 'complete' ? this.#data.value?.total : undefined;
    return html`<section
      part="base"
      class="base"
      lang=${this.resolvedLocale}
      aria-label=${this.t('showroom.label')}
    >
      <slot name="header"></slot>
      ${this.#renderFilters()}
      <p part="count" class="count">
        ${total !== undefined ? this.t('showroom.found', { count: total }) : nothing}
      </p>
      <div part="body" class="body">
        ${renderStates(this.#data, this.localize, {
          initial: () =>
            this.#client.source === 'none'
              ? html`<p class="state state--initial">${this.t('error.noClient')}</p>`
              : nothing,
          pending: () => this.#renderSkeletons(),
          error: (error, retry) => defaultError(this.localize, error, retry),
          empty: () =>
            html`<p class="state__message">
                ${this.#filtered ? this.t('showroom.emptyFiltered') : this.t('showroom.empty')}
              </p>
              ${
                this.#filtered
                  ? html`<button
                      part="clear-filters-button"
                      class="button"
                      type="button"
                      @click=${this.#clearFilters}
                    >
                      ${this.t('showroom.clearFilters')}
                    </button>`
                  : nothing
              }`,
          complete: (page) => this.#renderList(page),
          announceComplete: (page) => this.t('showroom.found', { count: page.total }),
          announceEmpty: () => (this.#filtered ? this.t('showroom.emptyFiltered') : this.t('showroom.empty')),
        })}
        <div class="visually-hidden" role="status" aria-live="polite">${this.#moreAnnouncement()}</div>
      </div>
    </section>`;
  }
}
