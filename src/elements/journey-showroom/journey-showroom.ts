import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { grid } from '@lit-labs/virtualizer/layouts/grid.js';
import type { RangeChangedEvent, VisibilityChangedEvent } from '@lit-labs/virtualizer/events.js';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { guard } from 'lit/directives/guard.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import {
  Category,
  Channel,
  JourneyKind,
  JourneySort,
  type FacetCount,
  type Journey,
  type JourneyFacets,
  type JourneyPage,
  type JourneyStats,
  type JourneyStepPreview,
  type JourneySummary,
} from '../../contract/journeys.js';
import { Locale } from '../../contract/common.js';
import { ClientController } from '../../controllers/client.js';
import { DataController, notReady } from '../../controllers/data.js';
import { defaultError, loadMore, renderStates } from '../../controllers/render-states.js';
import { DmJourneySelectEvent } from '../../events/journey-select.js';
import { DmElement } from '../../internal/dm-element.js';
import type { DmClient, FetchLike } from '../../sdk/index.js';
import { controlStyles, hostStyles } from '../../styles/shared.js';
import type { MessageParams, TranslationKey } from '../../translations/index.js';
import styles from './journey-showroom.styles.js';
import { emailFrame } from '../../internal/email-frame.js';

/** Milliseconds of typing pause before a search is sent. */
export const SEARCH_DEBOUNCE_MS = 250;

/** Tags offered as filter chips (the most frequent first; chosen tags are always shown). */
const TAG_CHIPS = 12;

/** Width-to-height ratio of a card's thumbnail box (the `aspect-ratio` in the styles). */
const THUMBNAIL_RATIO = 2;

const categories = Category.options;
const sorts = JourneySort.options;
const locales = Locale.options;
const kinds = JourneyKind.options;
const channels = Channel.options;

export type ShowroomLayout = 'grid' | 'list';

/** Reads and writes the `tags` attribute: tags separated by commas (tags may contain spaces). */
const tagsConverter = {
  fromAttribute: (value: string | null): string[] =>
    value
      ? [
          ...new Set(
            value
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          ),
        ]
      : [],
  toAttribute: (value: readonly string[] | undefined): string | null =>
    value && value.length > 0 ? value.join(',') : null,
};

/** The query sent to the API, normalized from the properties. */
interface Filters {
  q: string | undefined;
  category: Category | undefined;
  locale: Locale | undefined;
  channel: Channel | undefined;
  kind: JourneyKind | undefined;
  tags: string[];
}

type ListArgs = readonly [client: DmClient | undefined, filters: string, sort: JourneySort, limit: number];

/** A placeholder in the virtualized list while a page loads. */
interface Skeleton {
  readonly skeleton: number;
}
type Item = JourneySummary | Skeleton;
const isSkeleton = (item: Item): item is Skeleton => 'skeleton' in item;

/** Card geometry in CSS pixels, measured from the `--dm-showroom-*` tokens. */
interface Metrics {
  /** Width available to the list. */
  width: number;
  /** Narrowest card column and the card height at that width. */
  columnMin: number;
  cardBlockSize: number;
  /** Row height in the list layout. */
  rowBlockSize: number;
  gap: number;
}

/** Columns, item size and gap for the current layout. */
interface Geometry {
  columns: number;
  itemWidth: number;
  itemHeight: number;
  gap: number;
}

/** Percent formats per locale and precision (creating an `Intl.NumberFormat` costs far more than using one). */
const percentFormats = new Map<string, Intl.NumberFormat>();
function formatPercent(locale: string, value: number, digits: number): string {
  const key = `${locale}|${digits}`;
  let format = percentFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits });
    percentFormats.set(key, format);
  }
  return format.format(value);
}

const sameMetrics = (a: Metrics | undefined, b: Metrics) =>
  !!a && (Object.keys(b) as (keyof Metrics)[]).every((k) => a[k] === b[k]);

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), iframe, [tabindex]';

/**
 * @tag dm-journey-showroom
 * @summary The catalogue of brand-approved journeys and one-off templates the signed-in partner may use:
 * search, filter, sort, browse any number of them, look inside one, and pick it.
 *
 * @description Loads `GET /v1/journeys` (and facet counts from `GET /v1/journeys/facets`) through the
 * nearest `<dm-provider>`, or its own `base-url` and `token` outside a provider. Typing in the search box
 * sends `q` after a 250 ms pause; a request made stale by newer input is aborted. The filters are
 * attributes, so a host can deep-link: `<dm-journey-showroom category="thank_you" tags="quick" sort="most_used">`.
 *
 * Cards are virtualized (only those near the viewport are in the DOM), so a catalogue of any size scrolls
 * smoothly; the next page loads as the end comes near ("Load more" remains as a fallback). The cards form
 * a grid with one tab stop: arrow keys move between cards (scrolling the target into view), Home and End
 * jump to the first and last loaded card, Enter opens the details.
 *
 * "Details" opens a modal dialog with the steps and their delays, a sandboxed preview of each step for a
 * sample contact, what the partner may change, when approval is needed, and how the journey performs
 * across the network and for this partner. "Use this journey" fires `dm-journey-select`; unless a
 * listener cancels it, a `<dm-quick-send>` whose id is in `for` (or the only one on the page) opens the
 * journey.
 *
 * @slot header - Content shown above the filters, e.g. a heading.
 * @slot loading - Shown while the first page loads (the skeleton cards stay hidden when it has content).
 * @slot error - Replaces the error message and its "Try again" button.
 * @slot empty - Replaces the empty-state message.
 *
 * @event {DmJourneySelectEvent} dm-journey-select - "Use this journey" was pressed; `detail.journey` is the
 * journey and `detail.for` the showroom's `for`. Cancelable: `preventDefault()` stops the card from being
 * marked as selected and the linked quick-send from opening it.
 * @event {DmErrorEvent} dm-error - Loading failed; `detail.error` is the `DmApiError`. Not fired for aborts.
 *
 * @csspart base - The wrapper around everything.
 * @csspart header - The search, sort and layout bar.
 * @csspart search - The search input.
 * @csspart sort-select - The sort `<select>`.
 * @csspart layout-toggle - The grid/list toggle group.
 * @csspart layout-button - Each grid/list toggle button.
 * @csspart filters - The filter bar.
 * @csspart category-select - The category `<select>`.
 * @csspart locale-select - The language `<select>`.
 * @csspart kind-select - The journey/template `<select>`.
 * @csspart channel-select - The channel `<select>`.
 * @csspart tags - The tag chips.
 * @csspart tag - One tag chip (a toggle button).
 * @csspart count - The "N journeys found" line.
 * @csspart body - The area that shows the cards or a state.
 * @csspart list - The (virtualized) list of cards.
 * @csspart card - One journey card (the focusable item).
 * @csspart thumbnail - A card's thumbnail box (image or placeholder).
 * @csspart card-title - A card's name.
 * @csspart card-summary - A card's summary.
 * @csspart badge - Every badge (category, language, approval, selected).
 * @csspart details-button - A card's "Details" button.
 * @csspart select-button - A card's (and the dialog's) "Use this journey" button.
 * @csspart footer - The "Load more" area.
 * @csspart load-more-button - The "Load more" button.
 * @csspart spinner - The loading state (the `loading` slot; skeleton cards show in the list).
 * @csspart skeleton - One skeleton card.
 * @csspart error - The error state.
 * @csspart retry-button - The "Try again" button.
 * @csspart empty - The empty state.
 * @csspart clear-filters-button - Every "Clear filters" button.
 * @csspart dialog - The details `<dialog>`.
 * @csspart dialog-title - The dialog's heading.
 * @csspart close-button - The dialog's close button.
 * @csspart steps - The list of steps in the dialog.
 * @csspart step-button - The button that shows a step's preview.
 * @csspart preview-frame - The sandboxed `<iframe>` with a step's rendered email.
 * @csspart blocks - The list of a step's editable and locked blocks.
 * @csspart approval - The approval explanation.
 * @csspart stats - The network performance table.
 *
 * @cssproperty [--dm-showroom-columns-min=17rem] - Narrowest card column before the grid drops a column.
 * @cssproperty [--dm-showroom-card-block-size=24rem] - Card (and skeleton) height at the narrowest column; wider cards grow with their 2:1 thumbnail.
 * @cssproperty [--dm-showroom-gap=var(--dm-space-l)] - Gap between cards.
 *
 * @cssstate loading - The first page is being loaded.
 * @cssstate error - Loading failed.
 * @cssstate empty - Loaded, and nothing matched.
 * @cssstate loaded - Loaded with at least one journey.
 * @cssstate filtered - A search or filter is active.
 * @cssstate dialog-open - The details dialog is open.
 */
export class DmJourneyShowroom extends DmElement {
  static override styles = [hostStyles, controlStyles, styles];

  readonly #client = new ClientController(this, { locale: () => this.resolvedLocale });

  readonly #data = new DataController<JourneyPage, ListArgs>(this, {
    args: () => [this.#client.value, JSON.stringify(this.#filters), this.#sort, this.#limit] as const,
    task: async ([client, , sort, limit], { signal }) => {
      this.#more.abort();
      if (!client) return notReady;
      return client.journeys.list({ ...this.#apiFilters, sort, limit }, { signal });
    },
    isEmpty: (page) => page.items.length === 0,
    onComplete: (page) => {
      this._more = [];
      this._nextCursor = page.nextCursor;
      this.#activeIndex = 0;
      this.#pendingFocus = undefined;
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
      return client.journeys.list(
        { ...this.#apiFilters, sort: this.#sort, limit: this.#limit, cursor },
        { signal },
      );
    },
    onComplete: (page) => {
      const known = new Set(this.#items.map((j) => j.id));
      this._more = [...this._more, ...page.items.filter((j) => !known.has(j.id))];
      this._nextCursor = page.nextCursor;
    },
  });

  readonly #facets = new DataController<JourneyFacets, readonly [DmClient | undefined, string]>(this, {
    args: () => [this.#client.value, JSON.stringify(this.#filters)] as const,
    task: async ([client], { signal }) => {
      if (!client) return notReady;
      return client.journeys.facets(this.#apiFilters, { signal });
    },
    // The counts are a help, not the content: without them the filters still work.
    reportErrors: false,
  });

  readonly #detail = new DataController<Journey, readonly [DmClient | undefined, string | undefined]>(this, {
    args: () => [this.#client.value, this._openId] as const,
    task: async ([client, id], { signal }) => {
      if (!client || !id) return notReady;
      return client.journeys.get(id, { signal });
    },
  });

  readonly #preview = new DataController<
    JourneyStepPreview,
    readonly [DmClient | undefined, string | undefined, string | undefined]
  >(this, {
    args: () => [this.#client.value, this._openId, this._previewStepId] as const,
    task: async ([client, id, stepId], { signal }) => {
      if (!client || !id) return notReady;
      return client.journeys.preview(id, stepId ? { stepId } : {}, { signal });
    },
    reportErrors: false,
  });

  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #resizeObserver: ResizeObserver | undefined;
  /** Index of the card in the tab order (roving tabindex over the loaded journeys). */
  #activeIndex = 0;
  /** A card to focus as soon as the virtualizer renders it. */
  #pendingFocus: number | undefined;
  /** Focus is on a card, one of its buttons or the list itself. */
  #focusInList = false;
  /** The rendered and the visible range of the virtualizer. */
  #range = { first: 0, last: -1 };
  #visible = { first: 0, last: -1 };
  /** The journey whose card gets focus back when the dialog closes. */
  #returnFocusId: string | undefined;
  /** Card text by key and parameters, for the current locale (cards re-render on every scroll step). */
  #cardTexts = new Map<string, string>();
  #cardTextsLocale = '';
  #itemsCache: { page: JourneyPage | undefined; more: JourneySummary[]; items: JourneySummary[] } | undefined;
  #listCache: { key: string; items: JourneySummary[] | undefined; list: Item[] } | undefined;

  @query('#search') private readonly searchInput?: HTMLInputElement;
  @query('.list') private readonly listElement?: HTMLElement & VirtualizerHostElement;
  @query('dialog') private readonly dialog?: HTMLDialogElement;

  /** Show only this use case: `onboarding`, `thank_you`, `follow_up`, `reminder`, `offer`, `promotion`, `event` or `newsletter`. */
  @property({ attribute: 'category', reflect: true }) category?: Category;

  /** Show only journeys written in this language: `en` or `zh-CN` (`locale` sets the UI language). */
  @property({ attribute: 'content-locale', reflect: true }) contentLocale?: Locale;

  /** Show only this channel: `email`. */
  @property({ attribute: 'channel', reflect: true }) channel?: Channel;

  /** Show only multi-step `journey`s or one-off `template`s. */
  @property({ attribute: 'kind', reflect: true }) kind?: JourneyKind;

  /** Show only journeys with every one of these tags; the attribute separates tags with commas. */
  @property({ attribute: 'tags', reflect: true, converter: tagsConverter }) tags: string[] = [];

  /** Search text (name, summary, tags). Typing in the search box updates it after a short pause. */
  @property({ attribute: 'q', reflect: true }) q?: string;

  /**
   * Order: `newest`, `most_used`, `best_results`, `name` or `relevance` (name matches first). Unset:
   * `relevance` while searching, else `newest`.
   */
  @property({ attribute: 'sort', reflect: true }) sort?: JourneySort;

  /** `grid` (cards) or `list` (rows). */
  @property({ attribute: 'layout', reflect: true }) layout: ShowroomLayout = 'grid';

  /** Journeys per page (1–100); the next page loads when the end of the list comes near. */
  @property({ attribute: 'page-size', type: Number, reflect: true }) pageSize = 24;

  /** Id of the journey marked as selected; set when "Use this journey" is pressed and not cancelled. */
  @property({ attribute: 'selected', reflect: true }) selected?: string;

  /** Id of the `<dm-quick-send>` that opens the chosen journey; sent as `detail.for` of `dm-journey-select`. */
  @property({ attribute: 'for', reflect: true }) for?: string;

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

  /** Journeys added by later pages. */
  @state() private _more: JourneySummary[] = [];

  @state() private _nextCursor: string | null = null;

  @state() private _metrics: Metrics | undefined;

  /** The journey shown in the details dialog. */
  @state() private _openId: string | undefined;

  /** The step previewed in the dialog (`undefined`: the first). */
  @state() private _previewStepId: string | undefined;

  get #filters(): Filters {
    return {
      q: this.q?.trim() || undefined,
      category: this.category && categories.includes(this.category) ? this.category : undefined,
      locale: this.contentLocale && locales.includes(this.contentLocale) ? this.contentLocale : undefined,
      channel: this.channel && channels.includes(this.channel) ? this.channel : undefined,
      kind: this.kind && kinds.includes(this.kind) ? this.kind : undefined,
      tags: [...new Set((this.tags ?? []).map((t) => t.trim()).filter(Boolean))].slice(0, 10),
    };
  }

  /** The filters as query parameters (empty ones left out). */
  get #apiFilters() {
    const f = this.#filters;
    return {
      ...(f.q ? { q: f.q } : {}),
      ...(f.category ? { category: f.category } : {}),
      ...(f.locale ? { locale: f.locale } : {}),
      ...(f.channel ? { channel: f.channel } : {}),
      ...(f.kind ? { kind: f.kind } : {}),
      ...(f.tags.length ? { tags: f.tags } : {}),
    };
  }

  get #sort(): JourneySort {
    if (this.sort && sorts.includes(this.sort)) return this.sort;
    return this.#filters.q ? 'relevance' : 'newest';
  }

  get #limit(): number {
    const limit = Math.round(Number(this.pageSize));
    return Number.isFinite(limit) ? Math.min(100, Math.max(1, limit)) : 24;
  }

  get #filtered(): boolean {
    const f = this.#filters;
    return !!(f.q || f.category || f.locale || f.channel || f.kind || f.tags.length);
  }

  /** Every loaded journey, in order (the same array until a page is added or the filters change). */
  get #items(): JourneySummary[] {
    const page = this.#data.status === 'complete' ? this.#data.value : undefined;
    const cache = this.#itemsCache;
    if (cache && cache.page === page && cache.more === this._more) return cache.items;
    const items = page ? (this._more.length ? [...page.items, ...this._more] : page.items) : [];
    this.#itemsCache = { page, more: this._more, items };
    return items;
  }

  get #total(): number {
    const page = this.#data.value;
    return Math.max(page?.total ?? 0, this.#items.length);
  }

  // ---------------------------------------------------------------------------------------------------
  // Lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#observeProbes();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
    this.#resizeObserver?.disconnect();
    this.#resizeObserver = undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('q') && (this.q ?? '') !== this._searchText.trim()) {
      clearTimeout(this.#searchTimer);
      this._searchText = this.q ?? '';
    }
    this.toggleState('filtered', this.#filtered);
    this.toggleState('dialog-open', this._openId !== undefined);
  }

  protected override firstUpdated(): void {
    this.#measure();
    this.#observeProbes();
    const list = this.listElement!;
    list.addEventListener('rangeChanged', (event) => this.#onRangeChanged(event as RangeChangedEvent));
    list.addEventListener('visibilityChanged', (event) =>
      this.#onVisibilityChanged(event as VisibilityChangedEvent),
    );
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.#applyRoving();
    const dialog = this.dialog;
    if (dialog && this._openId && !dialog.open) {
      dialog.showModal();
      this.renderRoot.querySelector<HTMLElement>('#dialog-title')?.focus();
    } else if (dialog?.open && !this._openId) {
      dialog.close();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Geometry

  #observeProbes(): void {
    if (this.#resizeObserver) return;
    this.#resizeObserver = new ResizeObserver(() => this.#measure());
    for (const probe of this.renderRoot.querySelectorAll('.probe')) this.#resizeObserver.observe(probe);
  }

  /** Reads the card geometry from the probes (styled with the `--dm-showroom-*` tokens). */
  #measure(): void {
    const size = (name: string) => {
      const probe = this.renderRoot.querySelector<HTMLElement>(`.probe--${name}`);
      const rect = probe?.getBoundingClientRect();
      return { width: Math.floor(rect?.width ?? 0), height: Math.round(rect?.height ?? 0) };
    };
    const card = size('card');
    const row = size('row');
    const metrics: Metrics = {
      width: row.width,
      columnMin: Math.max(1, card.width),
      cardBlockSize: Math.max(1, card.height),
      rowBlockSize: Math.max(1, row.height),
      gap: size('gap').width,
    };
    if (metrics.width > 0 && !sameMetrics(this._metrics, metrics)) this._metrics = metrics;
  }

  /**
   * Columns and item size: as many columns of at least `columnMin` as fit, stretched to fill the width;
   * cards are `cardBlockSize` tall at `columnMin` and grow with their thumbnail.
   */
  get #geometry(): Geometry | undefined {
    const m = this._metrics;
    if (!m) return undefined;
    if (this.layout === 'list') {
      return { columns: 1, itemWidth: m.width, itemHeight: m.rowBlockSize, gap: m.gap };
    }
    const columns = Math.max(1, Math.floor((m.width + m.gap) / (m.columnMin + m.gap)));
    const itemWidth = Math.max(1, Math.floor((m.width - m.gap * (columns - 1)) / columns));
    // The thumbnail keeps its aspect ratio as the column widens; the text below it keeps its height.
    const itemHeight = Math.round(m.cardBlockSize + (itemWidth - m.columnMin) / THUMBNAIL_RATIO);
    return { columns, itemWidth, itemHeight, gap: m.gap };
  }

  // ---------------------------------------------------------------------------------------------------
  // Virtualizer events

  #onRangeChanged(event: RangeChangedEvent): void {
    this.#range = { first: event.first, last: event.last };
    // The virtualizer renders the new range in its own listener; act once the cards are there.
    queueMicrotask(() => {
      this.#sweepOrphanMarkers();
      this.#applyRoving();
      this.#restoreFocus();
      this.#maybeLoadMore();
    });
  }

  /**
   * lit-html 3.3.x leaves a removed `repeat` item's end marker (an empty comment) in the DOM, so a
   * virtualized list that keeps replacing cards collects thousands of them and every DOM operation on it
   * slows down. Every rendered item is exactly `<!----><div…></div><!---->`, so an empty comment with no
   * element on either side belongs to no live item and can go.
   */
  #sweepOrphanMarkers(): void {
    const list = this.listElement;
    if (!list) return;
    let node = list.firstChild;
    while (node) {
      const next = node.nextSibling;
      if (
        node.nodeType === Node.COMMENT_NODE &&
        (node as Comment).data === '' &&
        node.previousSibling?.nodeType !== Node.ELEMENT_NODE &&
        next?.nodeType !== Node.ELEMENT_NODE
      ) {
        node.remove();
      }
      node = next;
    }
  }

  #onVisibilityChanged(event: VisibilityChangedEvent): void {
    this.#visible = { first: event.first, last: event.last };
  }

  /** Loads the next page once the rendered range (which runs ahead of the viewport) reaches the end. */
  #maybeLoadMore(): void {
    const count = this.#items.length;
    if (!this._nextCursor || count === 0 || this.#data.status !== 'complete') return;
    const status = this.#more.status;
    if (status === 'pending' || status === 'error') return;
    if (this.#range.last >= count - 1) void this.#more.run();
  }

  // ---------------------------------------------------------------------------------------------------
  // Keyboard: roving tabindex over virtualized cards

  #cards(): HTMLElement[] {
    return [...(this.listElement?.querySelectorAll<HTMLElement>('.card[data-index]') ?? [])];
  }

  #cardAt(index: number): HTMLElement | undefined {
    return this.listElement?.querySelector<HTMLElement>(`.card[data-index="${index}"]`) ?? undefined;
  }

  /**
   * One card is in the tab order. When the virtualizer has recycled it (scrolled far away) and focus is
   * elsewhere, the first visible card takes its place, so Tab always lands on a card the user can see.
   */
  #applyRoving(): void {
    const count = this.#items.length;
    if (count === 0) return;
    this.#activeIndex = Math.min(this.#activeIndex, count - 1);
    if (!this.#cardAt(this.#activeIndex) && !this.#focusInList && this.#pendingFocus === undefined) {
      const first = Math.min(Math.max(this.#visible.first, this.#range.first, 0), count - 1);
      if (this.#cardAt(first)) this.#activeIndex = first;
    }
    for (const card of this.#cards()) {
      const active = Number(card.dataset.index) === this.#activeIndex;
      const value = active ? '0' : '-1';
      if (card.getAttribute('tabindex') !== value) card.setAttribute('tabindex', value);
      // Only the active card's buttons are tabbable: Tab leaves the grid after them.
      for (const button of card.querySelectorAll('button')) {
        if (button.getAttribute('tabindex') !== value) button.setAttribute('tabindex', value);
      }
    }
  }

  /** Moves focus to the card at `index`, scrolling it into view (and rendering it) first if needed. */
  #focusIndex(index: number): void {
    const count = this.#items.length;
    if (count === 0) return;
    const target = Math.max(0, Math.min(count - 1, index));
    this.#activeIndex = target;
    const card = this.#cardAt(target);
    if (card) {
      this.#pendingFocus = undefined;
      this.#applyRoving();
      card.focus({ preventScroll: true });
      card.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      return;
    }
    this.#pendingFocus = target;
    this.listElement?.[virtualizerRef]?.element(target)?.scrollIntoView({ block: 'nearest' });
  }

  /** After a range change: focus a card asked for, or keep focus in the list if its card was recycled. */
  #restoreFocus(): void {
    if (this.#pendingFocus !== undefined) {
      const card = this.#cardAt(this.#pendingFocus);
      if (card) {
        const index = this.#pendingFocus;
        this.#pendingFocus = undefined;
        this.#focusIndex(index);
      }
      return;
    }
    const root = this.renderRoot as ShadowRoot;
    if (this.#focusInList && !root.activeElement && !this._openId) {
      // The focused card scrolled out of the rendered range and was removed: hold focus on the list, so
      // the next arrow key continues from the same card.
      this.listElement?.focus({ preventScroll: true });
    }
  }

  #columns(): number {
    return this.#geometry?.columns ?? 1;
  }

  readonly #onListKeydown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement;
    const onCard = target.matches('.card[data-index]');
    const onList = target === this.listElement;
    if (!onCard && !onList) return; // Keys on a card's buttons are left alone.
    const index = onCard ? Number(target.dataset.index) : this.#activeIndex;
    const last = this.#items.length - 1;
    // The grid's own direction (left to right even on right-to-left pages, see the styles).
    const rtl = getComputedStyle(this.listElement ?? this).direction === 'rtl';
    const columns = this.#columns();
    let next: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = Math.min(last, index + columns);
        break;
      case 'ArrowUp':
        next = index - columns >= 0 ? index - columns : index;
        break;
      case 'ArrowRight':
        next = rtl ? index - 1 : index + 1;
        break;
      case 'ArrowLeft':
        next = rtl ? index + 1 : index - 1;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = last;
        break;
      case 'Enter':
      case ' ': {
        const journey = this.#items[index];
        if (journey) {
          event.preventDefault();
          this.#openDetails(journey);
        }
        return;
      }
    }
    if (next === undefined) return;
    event.preventDefault();
    this.#focusIndex(next);
  };

  readonly #onListFocusin = (event: FocusEvent): void => {
    this.#focusInList = true;
    const card = (event.target as HTMLElement).closest<HTMLElement>('.card[data-index]');
    if (card) {
      const index = Number(card.dataset.index);
      if (index !== this.#activeIndex) {
        this.#activeIndex = index;
        this.#applyRoving();
      }
    }
  };

  readonly #onListFocusout = (event: FocusEvent): void => {
    const next = event.relatedTarget as Node | null;
    if (next && this.listElement?.contains(next)) return;
    const card = event.target as HTMLElement;
    if (next === null) {
      // Focus went nowhere: either the user clicked outside, or the virtualizer removed the card.
      queueMicrotask(() => {
        if (!card.isConnected && this.isConnected) this.#restoreFocus();
        else this.#focusInList = false;
      });
      return;
    }
    this.#focusInList = false;
  };

  // ---------------------------------------------------------------------------------------------------
  // Filters

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

  #onSelect(name: 'category' | 'contentLocale' | 'channel' | 'kind', event: Event): void {
    const value = (event.target as HTMLSelectElement).value || undefined;
    switch (name) {
      case 'category':
        this.category = value as Category | undefined;
        break;
      case 'contentLocale':
        this.contentLocale = value as Locale | undefined;
        break;
      case 'channel':
        this.channel = value as Channel | undefined;
        break;
      case 'kind':
        this.kind = value as JourneyKind | undefined;
        break;
    }
  }

  #onSortChange(event: Event): void {
    this.sort = (event.target as HTMLSelectElement).value as JourneySort;
  }

  #toggleTag(tag: string): void {
    const tags = this.#filters.tags;
    this.tags = tags.includes(tag) ? tags.filter((t) => t !== tag) : [...tags, tag];
  }

  #clearFilters(): void {
    clearTimeout(this.#searchTimer);
    this._searchText = '';
    this.q = undefined;
    this.category = undefined;
    this.contentLocale = undefined;
    this.channel = undefined;
    this.kind = undefined;
    this.tags = [];
    // The button disappears with the filters; keep focus in the component.
    void this.updateComplete.then(() => this.searchInput?.focus());
  }

  // ---------------------------------------------------------------------------------------------------
  // Selection and details

  #use(journey: JourneySummary): void {
    const event = new DmJourneySelectEvent({ journey, ...(this.for ? { for: this.for } : {}) });
    if (this.emit(event)) this.selected = journey.id;
  }

  #openDetails(journey: JourneySummary): void {
    this.#returnFocusId = journey.id;
    this._previewStepId = undefined;
    this._openId = journey.id;
  }

  #closeDetails(): void {
    this.dialog?.close();
  }

  /** The dialog closed (close button, Escape, "Use this journey"): focus goes back to the card. */
  #onDialogClose(): void {
    this._openId = undefined;
    this._previewStepId = undefined;
    const id = this.#returnFocusId;
    this.#returnFocusId = undefined;
    const index = id ? this.#items.findIndex((j) => j.id === id) : -1;
    if (index >= 0) void this.updateComplete.then(() => this.#focusIndex(index));
  }

  /** Keeps Tab and Shift+Tab inside the dialog (the page behind is inert while it is open). */
  #onDialogKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
    const dialog = this.dialog!;
    const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => el.tabIndex >= 0 && el.getClientRects().length > 0,
    );
    if (focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable.at(-1)!;
    const active = (this.renderRoot as ShadowRoot).activeElement;
    if (event.shiftKey && (active === first || !dialog.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  #useFromDialog(journey: JourneySummary): void {
    this.#use(journey);
    this.#closeDetails();
  }

  #loadMore(): void {
    void this.#more.run();
  }

  // ---------------------------------------------------------------------------------------------------
  // Rendering: filters

  #option(value: string, label: string, counts: Map<string, number> | undefined, chosen: boolean) {
    const count = counts?.get(value);
    const text = counts ? this.t('showroom.optionCount', { label, count: count ?? 0 }) : label;
    // Values that would give nothing are not offered (the chosen one stays, so it can be seen).
    return html`<option value=${value} ?selected=${chosen} ?disabled=${!!counts && !count && !chosen}>
      ${text}
    </option>`;
  }

  #select(
    id: string,
    part: string,
    label: string,
    allLabel: string,
    values: readonly string[],
    labelOf: (value: string) => string,
    chosen: string | undefined,
    facet: FacetCount[] | undefined,
    onChange: (event: Event) => void,
  ) {
    const counts = facet ? new Map(facet.map((f) => [f.value, f.count])) : undefined;
    const all = facet ? facet.reduce((sum, f) => sum + f.count, 0) : undefined;
    return html`<div class="field field--${id}">
      <label for=${id}>${label}</label>
      <select id=${id} part=${part} class="control" @change=${onChange}>
        <option value="" ?selected=${!chosen}>
          ${all === undefined ? allLabel : this.t('showroom.optionCount', { label: allLabel, count: all })}
        </option>
        ${values.map((v) => this.#option(v, labelOf(v), counts, v === chosen))}
      </select>
    </div>`;
  }

  #renderHeader() {
    const sort = this.#sort;
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
      <div class="field field--sort">
        <label for="sort">${this.t('showroom.sort')}</label>
        <select id="sort" part="sort-select" class="control" @change=${this.#onSortChange}>
          ${sorts.map((s) => html`<option value=${s} ?selected=${s === sort}>${this.t(`sort.${s}`)}</option>`)}
        </select>
      </div>
      <div class="field field--layout">
        <span class="field__label" id="layout-label">${this.t('showroom.layout')}</span>
        <div part="layout-toggle" class="toggle" role="group" aria-labelledby="layout-label">
          ${(['grid', 'list'] as const).map(
            (layout) =>
              html`<button
                part="layout-button"
                class="button toggle__button"
                type="button"
                aria-pressed=${this.layout === layout ? 'true' : 'false'}
                @click=${() => (this.layout = layout)}
              >
                ${this.t(`showroom.layout.${layout}`)}
              </button>`,
          )}
        </div>
      </div>
    </div>`;
  }

  #renderFilters() {
    const f = this.#filters;
    const facets = this.#facets.value;
    const chosenTags = f.tags;
    const offered = facets?.tags ?? [];
    const chips = [
      ...offered.filter((t) => chosenTags.includes(t.value)),
      ...chosenTags.filter((t) => !offered.some((o) => o.value === t)).map((value) => ({ value, count: 0 })),
      ...offered.filter((t) => !chosenTags.includes(t.value)).slice(0, TAG_CHIPS),
    ];
    return html`<div part="filters" class="filters" role="group" aria-label=${this.t('showroom.filters')}>
      <div class="filters__selects">
        ${this.#select(
          'category',
          'category-select',
          this.t('showroom.category'),
          this.t('category.all'),
          categories,
          (c) => this.t(`category.${c as Category}`),
          f.category,
          facets?.category,
          (e) => this.#onSelect('category', e),
        )}
        ${this.#select(
          'content-locale',
          'locale-select',
          this.t('showroom.language'),
          this.t('showroom.languageAll'),
          locales,
          (l) => this.t(`locale.${l as Locale}`),
          f.locale,
          facets?.locale,
          (e) => this.#onSelect('contentLocale', e),
        )}
        ${this.#select(
          'kind',
          'kind-select',
          this.t('showroom.kind'),
          this.t('showroom.kindAll'),
          kinds,
          (k) => this.t(`showroom.kind.${k as JourneyKind}`),
          f.kind,
          facets?.kind,
          (e) => this.#onSelect('kind', e),
        )}
        ${this.#select(
          'channel',
          'channel-select',
          this.t('showroom.channel'),
          this.t('showroom.channelAll'),
          channels,
          (c) => this.t(`showroom.channel.${c as Channel}`),
          f.channel,
          facets?.channel,
          (e) => this.#onSelect('channel', e),
        )}
      </div>
      <!-- Always one row tall (the chips scroll sideways), so loading counts never moves the cards. -->
      <div class="filters__row">
        ${
          chips.length
            ? html`<span class="field__label" id="tags-label">${this.t('showroom.tags')}</span>
                <ul part="tags" class="tags" aria-labelledby="tags-label">
                  ${chips.map(
                    (tag) =>
                      html`<li>
                        <button
                          part="tag"
                          class="tag"
                          type="button"
                          aria-pressed=${chosenTags.includes(tag.value) ? 'true' : 'false'}
                          @click=${() => this.#toggleTag(tag.value)}
                        >
                          ${tag.value}<span class="tag__count" aria-hidden="true">${tag.count}</span
                          ><span class="visually-hidden"
                            >, ${this.t('showroom.tagCount', { count: tag.count })}</span
                          >
                        </button>
                      </li>`,
                  )}
                </ul>`
            : nothing
        }
        ${
          this.#filtered
            ? html`<button
                part="clear-filters-button"
                class="button button--quiet filters__clear"
                type="button"
                @click=${this.#clearFilters}
              >
                ${this.t('showroom.clearFilters')}
              </button>`
            : nothing
        }
      </div>
    </div>`;
  }

  // ---------------------------------------------------------------------------------------------------
  // Rendering: cards

  /** `t()` for card text, memoized per locale. */
  #ct(key: TranslationKey, params?: MessageParams): string {
    const locale = this.resolvedLocale;
    if (locale !== this.#cardTextsLocale || this.#cardTexts.size > 5000) {
      this.#cardTexts.clear();
      this.#cardTextsLocale = locale;
    }
    const id = params ? `${key}\u0000${Object.values(params).join('\u0000')}` : key;
    let text = this.#cardTexts.get(id);
    if (text === undefined) {
      text = this.t(key, params);
      this.#cardTexts.set(id, text);
    }
    return text;
  }

  #renderThumbnail(journey: JourneySummary) {
    return html`<div part="thumbnail" class="thumb">
      ${
        journey.thumbnailUrl
          ? html`<img
              class="thumb__image"
              src=${journey.thumbnailUrl}
              alt=${this.#ct('showroom.thumbnailAlt', { name: journey.name })}
              loading="lazy"
              decoding="async"
            />`
          : html`<svg class="thumb__placeholder" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path
                d="M3 6.5A1.5 1.5 0 0 1 4.5 5h15A1.5 1.5 0 0 1 21 6.5v11a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5v-11Zm1.6.3 7.4 5.6 7.4-5.6"
              />
            </svg>`
      }
    </div>`;
  }

  #renderCard(journey: JourneySummary, index: number) {
    const titleId = `journey-${journey.id}`;
    const selected = journey.id === this.selected;
    const openRate = journey.stats.openRate;
    const tab = index === this.#activeIndex ? '0' : '-1';
    return html`<div role="listitem" class="item" aria-setsize=${this.#total} aria-posinset=${index + 1}>
      <article
        part="card"
        class=${classMap({ card: true, 'card--row': this.layout === 'list', 'card--selected': selected })}
        data-id=${journey.id}
        data-index=${index}
        tabindex=${tab}
        aria-labelledby=${titleId}
        aria-current=${ifDefined(selected ? 'true' : undefined)}
      >
        ${this.#renderThumbnail(journey)}
        <div class="card__main">
          <div class="card__badges">
            ${
              selected
                ? html`<span part="badge" class="badge badge--selected"
                    >${this.#ct('showroom.selected')}</span
                  >`
                : nothing
            }
            <span part="badge" class="badge badge--category"
              >${this.#ct(`category.${journey.category}`)}</span
            >
            <span part="badge" class="badge badge--locale">
              <span class="visually-hidden">${this.#ct('showroom.localeBadge', { language: '' })}</span
              >${this.#ct(`locale.${journey.locale}`)}
            </span>
          </div>
          <h3 id=${titleId} part="card-title" class="card__title">${journey.name}</h3>
          <p part="card-summary" class="card__summary">${journey.summary}</p>
          <ul class="card__facts">
            ${
              journey.approvalRequired
                ? html`<li part="badge" class="badge badge--approval">
                    ${this.#ct('showroom.approvalRequired')}
                  </li>`
                : nothing
            }
            ${
              openRate !== null
                ? html`<li>
                    ${this.#ct('showroom.openRateShort', { rate: formatPercent(this.resolvedLocale, openRate, 0) })}
                  </li>`
                : nothing
            }
            <li>${this.#ct('showroom.steps', { count: journey.stepCount })}</li>
            <li>${this.#ct(`showroom.kind.${journey.kind}`)}</li>
          </ul>
        </div>
        <div class="card__footer">
          <button
            part="details-button"
            class="button"
            type="button"
            tabindex=${tab}
            aria-describedby=${titleId}
            @click=${() => this.#openDetails(journey)}
          >
            ${this.#ct('showroom.details')}
          </button>
          <button
            part="select-button"
            class="button button--primary"
            type="button"
            tabindex=${tab}
            aria-describedby=${titleId}
            @click=${() => this.#use(journey)}
          >
            ${this.#ct('showroom.use')}
          </button>
        </div>
      </article>
    </div>`;
  }

  #renderSkeleton() {
    return html`<div class="item" role="none">
      <div
        part="skeleton"
        class=${classMap({ skeleton: true, 'skeleton--row': this.layout === 'list' })}
      ></div>
    </div>`;
  }

  /**
   * What the virtualized list holds: skeletons while loading, then the journeys (and a row of skeletons
   * while the next page loads). The same array as long as nothing changed, so the virtualizer has no
   * work on renders that do not concern it.
   */
  #listItems(): Item[] {
    const status = this.#data.status;
    // Content slotted into `loading` replaces the skeleton cards.
    const custom = status === 'pending' && !!this.querySelector(':scope > [slot="loading"]');
    const items = status === 'complete' ? this.#items : undefined;
    const more = status === 'complete' && this.#more.status === 'pending' ? this.#columns() : 0;
    const key = `${status}|${custom}|${more}|${Math.min(this.#limit, 12)}`;
    if (this.#listCache?.key === key && this.#listCache.items === items) return this.#listCache.list;
    const skeletons = (n: number): Skeleton[] => Array.from({ length: n }, (_, i) => ({ skeleton: i }));
    let list: Item[] = [];
    if (status === 'pending') list = custom ? [] : skeletons(Math.min(this.#limit, 12));
    else if (items) list = more ? [...items, ...skeletons(more)] : items;
    this.#listCache = { key, items, list };
    return list;
  }

  #renderList() {
    const geometry = this.#geometry;
    const items = this.#listItems();
    const pending = this.#data.status === 'pending';
    return html`<div
      part="list"
      class=${classMap({ list: true, 'list--rows': this.layout === 'list' })}
      role=${pending ? 'none' : 'list'}
      aria-label=${ifDefined(pending ? undefined : this.t('showroom.listLabel'))}
      aria-hidden=${ifDefined(pending ? 'true' : undefined)}
      tabindex=${ifDefined(pending ? undefined : '-1')}
      ?hidden=${items.length === 0 || !geometry}
      @keydown=${this.#onListKeydown}
      @focusin=${this.#onListFocusin}
      @focusout=${this.#onListFocusout}
    >
      ${
        geometry && this.hasUpdated
          ? // Only what the cards show: any other render leaves the virtualizer alone (no relayout).
            guard(
              [
                items,
                geometry.columns,
                geometry.itemWidth,
                geometry.itemHeight,
                geometry.gap,
                this.layout,
                this.selected,
                this.resolvedLocale,
                this.#total,
              ],
              () =>
                virtualize<Item>({
                  items,
                  // The virtualizer may render a stale range for one frame after the items shrink.
                  keyFunction: (item, index) =>
                    !item ? `gone-${index}` : isSkeleton(item) ? `skeleton-${item.skeleton}` : item.id,
                  renderItem: (item, index) =>
                    !item
                      ? html`<div class="item" hidden></div>`
                      : isSkeleton(item)
                        ? this.#renderSkeleton()
                        : this.#renderCard(item, index),
                  layout: grid({
                    itemSize: { width: `${geometry.itemWidth}px`, height: `${geometry.itemHeight}px` },
                    gap: `${geometry.gap}px`,
                    padding: '0',
                    flex: false,
                    justify: 'start',
                  }),
                }),
            )
          : nothing
      }
    </div>`;
  }

  #renderFooter() {
    if (this.#data.status !== 'complete') return nothing;
    const shown = this.#items.length;
    const more = this.#more.status;
    return html`<div part="footer" class="footer">
      <p class="count">${this.t('showroom.showing', { shown, total: this.#total })}</p>
      ${loadMore(this.localize, {
        status: more,
        error: this.#more.error,
        hasMore: !!this._nextCursor,
        load: () => this.#loadMore(),
        errorText: this.t('showroom.loadMoreError'),
        errorClass: 'footer__error',
        buttonClass: 'button',
      })}
    </div>`;
  }

  #moreAnnouncement(): string {
    const status = this.#more.status;
    if (status === 'pending') return this.t('state.loadingMore');
    if (status === 'complete' && this.#data.value) {
      return this.t('showroom.showing', { shown: this.#items.length, total: this.#total });
    }
    return '';
  }

  // ---------------------------------------------------------------------------------------------------
  // Rendering: details dialog

  #percent(value: number): string {
    return formatPercent(this.resolvedLocale, value, 1);
  }

  #renderStats(network: JourneyStats, own: JourneyStats | null | undefined) {
    const networkShown = network.partners >= 5 && network.recipients >= 5;
    const ownShown = !!own && own.recipients >= 5;
    const cell = (shown: boolean, value: () => string) =>
      shown
        ? html`<td>${value()}</td>`
        : html`<td class="stats__none">${this.t('showroom.stats.notEnough')}</td>`;
    const rate = (stats: JourneyStats | null | undefined, key: 'openRate' | 'clickRate') => () => {
      const value = stats?.[key];
      return value === null || value === undefined ? '—' : this.#percent(value);
    };
    const rows: Array<[string, () => string, () => string]> = [
      [
        this.t('showroom.stats.sends'),
        () => this.localize.number(network.sends),
        () => this.localize.number(own?.sends ?? 0),
      ],
      [
        this.t('showroom.stats.recipients'),
        () => this.localize.number(network.recipients),
        () => this.localize.number(own?.recipients ?? 0),
      ],
      [this.t('showroom.stats.openRate'), rate(network, 'openRate'), rate(own, 'openRate')],
      [this.t('showroom.stats.clickRate'), rate(network, 'clickRate'), rate(own, 'clickRate')],
    ];
    return html`<table part="stats" class="stats">
        <caption class="visually-hidden">
          ${this.t('showroom.dialog.performance')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${this.t('showroom.stats.measure')}</th>
            <th scope="col">${this.t('showroom.stats.network')}</th>
            ${own !== null && own !== undefined ? html`<th scope="col">${this.t('showroom.stats.you')}</th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            ([label, networkValue, ownValue]) =>
              html`<tr>
                <th scope="row">${label}</th>
                ${cell(networkShown, networkValue)}
                ${own !== null && own !== undefined ? cell(ownShown, ownValue) : nothing}
              </tr>`,
          )}
          ${
            networkShown
              ? html`<tr>
                  <th scope="row">${this.t('showroom.stats.partners')}</th>
                  <td>${this.localize.number(network.partners)}</td>
                  ${own !== null && own !== undefined ? html`<td>—</td>` : nothing}
                </tr>`
              : nothing
          }
        </tbody>
      </table>
      <p class="note">${this.t('showroom.stats.privacy')}</p>`;
  }

  /** A subject as partners read it: `{{ contact.first_name }}` becomes `‹First name›`. */
  #readable(template: string, journey: Journey): string {
    return template.replace(/\{\{\s*([\w.]+)[^}]*\}\}/g, (_, key: string) => {
      const field = journey.mergeFields.find((f) => f.key === key);
      return `‹${field?.label ?? key}›`;
    });
  }

  #approvalText(journey: Journey): string {
    const rule = journey.approvalRule;
    const approver = this.t(`showroom.approver.${rule.approver}`);
    switch (rule.mode) {
      case 'never':
        return this.t('showroom.approval.never');
      case 'over_recipients':
        return this.t('showroom.approval.over_recipients', { count: rule.threshold ?? 0, approver });
      default:
        return this.t(`showroom.approval.${rule.mode}`, { approver });
    }
  }

  #renderPreview(journey: Journey) {
    const stepId = this._previewStepId ?? journey.steps[0]?.id;
    const step = journey.steps.find((s) => s.id === stepId);
    if (!step) return nothing;
    const preview = this.#preview.value;
    const status = this.#preview.status;
    const current =
      preview && preview.stepId === step.id && preview.journeyId === journey.id ? preview : undefined;
    return html`<div class="preview">
      ${
        current
          ? html`<p class="preview__subject">
                ${this.t('showroom.dialog.subject', { subject: current.subject })}
              </p>
              <iframe
                part="preview-frame"
                class="preview__frame"
                sandbox=""
                title=${this.t('showroom.dialog.previewTitle', { step: step.name, name: current.sampleContact.name })}
                ${emailFrame(current.html, this.#client.value?.previewFrameUrl)}
              ></iframe>
              <p class="note">
                ${this.t('showroom.dialog.previewNote', { name: current.sampleContact.name })}
              </p>`
          : status === 'error'
            ? html`<div class="preview__state" role="alert">
                <p>
                  ${this.t('showroom.dialog.previewError')} ${this.localize.errorMessage(this.#preview.error)}
                </p>
                <button class="button" type="button" @click=${() => void this.#preview.retry()}>
                  ${this.t('state.retry')}
                </button>
              </div>`
            : html`<div class="preview__state preview__state--loading skeleton" aria-hidden="true"></div>`
      }
      <h4 class="dialog__subheading">${this.t('showroom.dialog.blocks', { step: step.name })}</h4>
      <ul part="blocks" class="blocks">
        ${step.blocks.map(
          (block) =>
            html`<li class="block">
              <span class="block__label">${block.label}</span>
              <span
                class=${classMap({ badge: true, 'badge--locked': block.locked, 'badge--editable': !block.locked })}
              >
                ${block.locked ? this.t('showroom.dialog.locked') : this.t('showroom.dialog.editable')}
              </span>
              ${
                !block.locked && block.rules
                  ? html`<span class="block__rules">
                      ${[
                        ...(block.rules.required ? [this.t('showroom.dialog.required')] : []),
                        ...(block.rules.maxLength
                          ? [this.t('showroom.dialog.maxLength', { count: block.rules.maxLength })]
                          : []),
                      ].join(' · ')}
                    </span>`
                  : nothing
              }
            </li>`,
        )}
      </ul>
    </div>`;
  }

  #renderDetail(journey: Journey) {
    const shownStep = this._previewStepId ?? journey.steps[0]?.id;
    return html`<section class="dialog__section" aria-labelledby="steps-heading">
        <h3 id="steps-heading" class="dialog__heading">${this.t('showroom.dialog.steps')}</h3>
        <ol part="steps" class="steps">
          ${journey.steps.map(
            (step) =>
              html`<li class="step">
                <span class="step__day">${this.t('showroom.dialog.day', { day: step.delayDays })}</span>
                <span class="step__name">${step.name}</span>
                <span class="step__subject">${this.#readable(step.subject, journey)}</span>
                <button
                  part="step-button"
                  class="button step__button"
                  type="button"
                  aria-pressed=${step.id === shownStep ? 'true' : 'false'}
                  aria-label=${`${this.t('showroom.dialog.preview')}: ${step.name}`}
                  @click=${() => (this._previewStepId = step.id)}
                >
                  ${this.t('showroom.dialog.preview')}
                </button>
              </li>`,
          )}
        </ol>
        ${this.#renderPreview(journey)}
      </section>
      <section class="dialog__section" aria-labelledby="approval-heading">
        <h3 id="approval-heading" class="dialog__heading">${this.t('showroom.dialog.approval')}</h3>
        <p part="approval" class="approval">${this.#approvalText(journey)}</p>
      </section>
      <section class="dialog__section" aria-labelledby="performance-heading">
        <h3 id="performance-heading" class="dialog__heading">${this.t('showroom.dialog.performance')}</h3>
        ${this.#renderStats(journey.stats, journey.partnerStats)}
      </section>`;
  }

  #renderDialog() {
    const id = this._openId;
    const detail = this.#detail.value && this.#detail.value.id === id ? this.#detail.value : undefined;
    const summary: JourneySummary | undefined =
      (id ? this.#items.find((j) => j.id === id) : undefined) ?? detail;
    const status = this.#detail.status;
    return html`<dialog
      part="dialog"
      class="dialog"
      aria-labelledby="dialog-title"
      @close=${this.#onDialogClose}
      @keydown=${this.#onDialogKeydown}
    >
      ${
        id
          ? html`<div class="dialog__header">
                <h2 id="dialog-title" part="dialog-title" class="dialog__title" tabindex="-1">
                  ${summary?.name ?? detail?.name ?? ''}
                </h2>
                <button
                  part="close-button"
                  class="button button--quiet dialog__close"
                  type="button"
                  @click=${this.#closeDetails}
                >
                  ${this.t('showroom.dialog.close')}
                </button>
              </div>
              <div class="dialog__body">
                ${
                  summary
                    ? html`${this.#renderThumbnail(summary)}
                        <p class="dialog__summary">${summary.summary}</p>`
                    : nothing
                }
                ${
                  detail
                    ? this.#renderDetail(detail)
                    : status === 'error'
                      ? html`<div part="error" class="state state--error">
                          ${defaultError(this.localize, this.#detail.error, this.#detail.retry)}
                        </div>`
                      : html`<div class="dialog__loading" aria-busy="true">
                          <p class="visually-hidden" role="status">${this.t('state.loading')}</p>
                          <div class="skeleton skeleton--text" aria-hidden="true"></div>
                          <div class="skeleton skeleton--text" aria-hidden="true"></div>
                        </div>`
                }
              </div>
              <div class="dialog__footer">
                <button class="button" type="button" @click=${this.#closeDetails}>
                  ${this.t('showroom.dialog.close')}
                </button>
                ${
                  summary
                    ? html`<button
                        part="select-button"
                        class="button button--primary"
                        type="button"
                        @click=${() => this.#useFromDialog(summary)}
                      >
                        ${this.t('showroom.use')}
                      </button>`
                    : nothing
                }
              </div>`
          : nothing
      }
    </dialog>`;
  }

  // ---------------------------------------------------------------------------------------------------

  protected override render(): TemplateResult {
    const total = this.#data.status === 'complete' ? this.#data.value?.total : undefined;
    return html`<section
      part="base"
      class="base"
      lang=${this.resolvedLocale}
      aria-label=${this.t('showroom.label')}
    >
      <slot name="header"></slot>
      ${this.#renderHeader()} ${this.#renderFilters()}
      <p part="count" class="count">
        ${total !== undefined ? this.t('showroom.found', { count: total }) : nothing}
      </p>
      <div part="body" class="body">
        <div class="probes" aria-hidden="true">
          <div class="probe probe--card"></div>
          <div class="probe probe--row"></div>
          <div class="probe probe--gap"></div>
        </div>
        ${renderStates(this.#data, this.localize, {
          initial: () =>
            this.#client.source === 'none'
              ? html`<p class="state state--initial">${this.t('error.noClient')}</p>`
              : nothing,
          pending: () => nothing,
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
          complete: () => nothing,
          announceComplete: (page) => this.t('showroom.found', { count: page.total }),
          announceEmpty: () => (this.#filtered ? this.t('showroom.emptyFiltered') : this.t('showroom.empty')),
        })}
        ${this.#renderList()} ${this.#renderFooter()}
        <div class="visually-hidden" role="status" aria-live="polite">${this.#moreAnnouncement()}</div>
      </div>
      ${this.#renderDialog()}
    </section>`;
  }
}
