import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import type { VisibilityChangedEvent } from '@lit-labs/virtualizer/events.js';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type {
  Approval,
  ApprovalDetail,
  ApprovalFacet,
  ApprovalPage,
  ApprovalWarning,
  RedlineSegment,
} from '../../contract/approvals.js';
import type { LiveEvent } from '../../contract/engagement.js';
import { ClientController } from '../../controllers/client.js';
import { DataController, notReady } from '../../controllers/data.js';
import { defaultError, renderStates } from '../../controllers/render-states.js';
import { DmApprovalConflictEvent, DmApprovalDecidedEvent } from '../../events/approval.js';
import { DmElement } from '../../internal/dm-element.js';
import { isDmApiError, type DmClient, type FetchLike } from '../../sdk/index.js';
import { controlStyles, hostStyles } from '../../styles/shared.js';
import type { TranslationKey } from '../../translations/index.js';
import styles from './approval-queue.styles.js';
import {
  ageHours,
  decidable,
  insertOrdered,
  isTyping,
  rangeIds,
  slaLevel,
  type QueueOrder,
} from './queue-model.js';
import { emailFrame } from '../../internal/email-frame.js';

/** Milliseconds of typing pause before a search is sent. */
export const SEARCH_DEBOUNCE_MS = 250;
/** Decisions in flight at once during a bulk decision. */
const BULK_CONCURRENCY = 3;
/** Load the next page when the visible range comes this close to the end of what is loaded. */
const LOAD_AHEAD = 20;

type View = 'queue' | 'mine';
type StatusFilter = 'pending' | 'decided' | 'approved' | 'rejected';
type Decision = 'approve' | 'reject';
type Outcome = 'approved' | 'rejected' | 'conflict' | 'failed';

type ListArgs = readonly [
  client: DmClient | undefined,
  view: View,
  status: StatusFilter | undefined,
  partnerId: string | undefined,
  journeyId: string | undefined,
  q: string | undefined,
  limit: number,
];

interface Flag {
  kind: 'conflict' | 'failed';
  text: string;
}

interface BulkState {
  decision: Decision;
  total: number;
  done: number;
  running: boolean;
  results: { id: string; name: string; outcome: Outcome }[];
}

interface Notice {
  /** `info` is announced politely; `alert` interrupts (conflicts, failures). */
  kind: 'info' | 'alert';
  text: string;
}

/**
 * @tag dm-approval-queue
 * @summary The approver's desk: sends waiting for approval, oldest first with SLA highlighting, a
 * detail pane with the rendered email and a redline of the partner's edits, keyboard-first decisions,
 * bulk decisions, and live updates. With `view="mine"`, a partner's own submissions, read only.
 *
 * @description Loads `GET /v1/approvals` through the nearest `<dm-provider>` (or its own `base-url` and
 * `token`), a page at a time as the list scrolls; the list is virtualized, so its DOM size does not grow
 * with the queue. The active item's details come from `GET /v1/approvals/{id}`.
 *
 * Keyboard (ignored while typing in a field): `j`/`k` or ArrowDown/ArrowUp move, `a` approves, `r`
 * rejects (asks for a reason; Enter confirms, Escape cancels), `x` selects for bulk (`Shift+x` selects
 * the range from the last selected item), `/` focuses the search. Shift-click on checkboxes selects a range.
 *
 * Decisions are optimistic: the item leaves the queue at once and comes back if the server refuses.
 * When another approver decided first (409), the item returns marked with who decided, a message says
 * so, and `dm-approval-conflict` fires. Live updates (`client.live`) add new items and remove items
 * decided elsewhere without reloading the list.
 *
 * @slot header - Content above the filters, e.g. a heading.
 * @slot loading - Replaces the loading skeleton of the list.
 * @slot error - Replaces the list's error message and its "Try again" button.
 * @slot empty - Replaces the empty-queue message.
 *
 * @event {DmApprovalDecidedEvent} dm-approval-decided - The server accepted a decision; `detail` has `id`, `decision` and the updated `approval`.
 * @event {DmApprovalConflictEvent} dm-approval-conflict - A decision lost to another approver or to a newer version (409); `detail.current` is the approval as it is now (or `null`).
 * @event {DmErrorEvent} dm-error - Loading failed; `detail.error` is the `DmApiError`. Not fired for aborts.
 *
 * @csspart base - The wrapper around everything.
 * @csspart header - The filter bar.
 * @csspart search - The search input.
 * @csspart partner-select - The partner filter.
 * @csspart journey-select - The journey filter.
 * @csspart hints - The keyboard shortcut hints.
 * @csspart toolbar - The bulk bar shown while items are selected.
 * @csspart approve-selected-button - Approves every selected item.
 * @csspart reject-selected-button - Rejects every selected item (asks for one reason).
 * @csspart progress - The bulk progress bar.
 * @csspart results - The per-item results of a bulk decision.
 * @csspart message - The latest notice (decided, conflict, failure).
 * @csspart body - The list and detail columns.
 * @csspart count - The "N waiting" line.
 * @csspart list - The scrolling, virtualized list.
 * @csspart item - One item (the focusable row button).
 * @csspart item-checkbox - An item's bulk selection checkbox.
 * @csspart sla - An item's SLA badge (late, overdue).
 * @csspart status - A status badge (approved, rejected, withdrawn, conflict).
 * @csspart detail - The detail pane.
 * @csspart approve-button - The detail pane's Approve button.
 * @csspart reject-button - The detail pane's Reject button.
 * @csspart recipients - The recipient count and sample.
 * @csspart preview - The sandboxed iframe with the rendered email.
 * @csspart redline - One editable block's redline.
 * @csspart ins - Text the partner added (an `<ins>`, underlined).
 * @csspart del - Brand text the partner removed (a `<del>`, struck through).
 * @csspart warnings - The list of preflight warnings and approval reasons.
 * @csspart history - The audit trail.
 * @csspart dialog - The reject dialog.
 * @csspart reason - The reject reason textarea.
 * @csspart spinner - The loading state.
 * @csspart error - The error state.
 * @csspart retry-button - The "Try again" button.
 * @csspart empty - The empty state.
 *
 * @cssproperty [--dm-approval-queue-list-block-size=32rem] - Height of the scrolling list (and of the detail pane).
 * @cssproperty [--dm-approval-queue-row-block-size=4.75rem] - Height of one row.
 * @cssproperty [--dm-approval-queue-preview-block-size=28rem] - Height of the email preview.
 *
 * @cssstate loading - The first page is loading.
 * @cssstate error - Loading failed.
 * @cssstate empty - Nothing to show.
 * @cssstate loaded - Items are shown.
 * @cssstate deciding - A decision is in flight.
 * @cssstate bulk - A bulk decision is running.
 * @cssstate readonly - Nothing here can be decided (`view="mine"`, or a decided listing).
 */
export class DmApprovalQueue extends DmElement {
  static override styles = [hostStyles, controlStyles, styles];

  readonly #client = new ClientController(this, { locale: () => this.resolvedLocale });

  readonly #data = new DataController<ApprovalPage, ListArgs>(this, {
    args: () =>
      [
        this.#client.value,
        this.#view,
        this.#status,
        this.partnerId || undefined,
        this.journeyId || undefined,
        this.q?.trim() || undefined,
        this.#limit,
      ] as const,
    task: async ([client, view, status, partnerId, journeyId, q, limit], { signal }) => {
      this.#moreAbort?.abort();
      if (!client) return notReady;
      return client.approvals.list({ view, status, partnerId, journeyId, q, limit }, { signal });
    },
    isEmpty: () => this._items.length === 0,
    onComplete: (page) => {
      this._items = page.items;
      this._total = page.total;
      this._next = page.nextCursor;
      this._facets = page.facets ?? null;
      this._selected = new Set();
      this._flags = new Map();
      this._moreError = false;
      if (!this._items.some((i) => i.id === this._activeId)) this._activeId = this._items[0]?.id ?? null;
    },
    onStatus: (status) => {
      this.toggleState('loading', status === 'pending');
      this.toggleState('error', status === 'error');
      this.toggleState('empty', status === 'empty');
      this.toggleState('loaded', status === 'complete');
    },
  });

  readonly #detail = new DataController<ApprovalDetail, readonly [DmClient | undefined, string | null]>(
    this,
    {
      args: () => [this.#client.value, this._activeId] as const,
      task: async ([client, id], { signal }) => {
        if (!client || !id) return notReady;
        return client.approvals.get(id, { signal });
      },
    },
  );

  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #clockTimer: ReturnType<typeof setInterval> | undefined;
  #moreAbort: AbortController | undefined;
  #liveStop: (() => void) | undefined;
  #liveClient: DmClient | undefined;
  /** Items taken out of the list while their decision is in flight, with where they were. */
  readonly #inFlight = new Map<string, { item: Approval; index: number }>();
  /** Ids the reject dialog applies to, and whether it came from the bulk bar. */
  #rejecting: { ids: string[]; bulk: boolean } | null = null;
  #rangeAnchor: number | null = null;

  @query('#search') private readonly searchInput?: HTMLInputElement;
  @query('dialog') private readonly dialog?: HTMLDialogElement;
  @query('#reason') private readonly reasonInput?: HTMLTextAreaElement;
  @query('.list') private readonly listElement?: VirtualizerHostElement;

  /** `queue` (default): what the caller may decide. `mine`: the caller's own submissions, read only. */
  @property({ attribute: 'view', reflect: true }) view: View = 'queue';

  /** Which items: `pending` (default for the queue), `decided`, `approved` or `rejected`. `mine` shows all by default. */
  @property({ attribute: 'status', reflect: true }) status?: StatusFilter;

  /** Hours after which a waiting item is marked late; twice this marks it overdue. */
  @property({ attribute: 'sla-hours', type: Number, reflect: true }) slaHours = 24;

  /** Show only this partner's items. */
  @property({ attribute: 'partner-id', reflect: true }) partnerId?: string;

  /** Show only this journey's items. */
  @property({ attribute: 'journey-id', reflect: true }) journeyId?: string;

  /** Search text (journey, partner or sender). Typing in the search box updates it after a short pause. */
  @property({ attribute: 'q', reflect: true }) q?: string;

  /** Items per request (1–100); the next page loads as the list scrolls. */
  @property({ attribute: 'page-size', type: Number, reflect: true }) pageSize = 100;

  /** Turns live updates off (new items and decisions elsewhere then show after a reload). */
  @property({ attribute: 'no-live', type: Boolean, reflect: true }) noLive = false;

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

  /** The loaded items in queue order (minus those whose decision is in flight). */
  @state() private _items: Approval[] = [];
  @state() private _total = 0;
  @state() private _next: string | null = null;
  @state() private _facets: { partners: ApprovalFacet[]; journeys: ApprovalFacet[] } | null = null;
  @state() private _activeId: string | null = null;
  @state() private _selected = new Set<string>();
  @state() private _flags = new Map<string, Flag>();
  @state() private _notice: Notice | null = null;
  @state() private _bulk: BulkState | null = null;
  @state() private _searchText = '';
  @state() private _reasonError = false;
  @state() private _loadingMore = false;
  @state() private _moreError = false;
  @state() private _now = Date.now();

  get #view(): View {
    return this.view === 'mine' ? 'mine' : 'queue';
  }

  get #status(): StatusFilter | undefined {
    const allowed: StatusFilter[] = ['pending', 'decided', 'approved', 'rejected'];
    if (this.status && allowed.includes(this.status)) return this.status;
    return this.#view === 'queue' ? 'pending' : undefined;
  }

  get #limit(): number {
    const limit = Math.round(Number(this.pageSize));
    return Number.isFinite(limit) ? Math.min(100, Math.max(1, limit)) : 100;
  }

  get #order(): QueueOrder {
    return this.#view === 'queue' && this.#status === 'pending' ? 'oldest' : 'newest';
  }

  get #readonly(): boolean {
    return this.#view === 'mine' || this.#status !== 'pending';
  }

  get #filtered(): boolean {
    return Boolean(this.partnerId || this.journeyId || this.q?.trim());
  }

  /** The selected ids that can still be decided, in queue order. */
  get #selectedIds(): string[] {
    return this._items.filter((i) => this._selected.has(i.id) && decidable(i, this.#view)).map((i) => i.id);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#clockTimer = setInterval(() => (this._now = Date.now()), 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
    clearInterval(this.#clockTimer);
    this.#moreAbort?.abort();
    this.#stopLive();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('q') && (this.q ?? '') !== this._searchText.trim()) {
      clearTimeout(this.#searchTimer);
      this._searchText = this.q ?? '';
    }
    this.toggleState('readonly', this.#readonly);
    this.toggleState('deciding', this.#inFlight.size > 0);
    this.toggleState('bulk', this._bulk?.running === true);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const client = this.noLive ? undefined : this.#client.value;
    if (client !== this.#liveClient) this.#startLive(client);
  }

  // ---- live updates ---------------------------------------------------------------------------------

  #startLive(client: DmClient | undefined): void {
    this.#stopLive();
    this.#liveClient = client;
    if (!client?.live) return;
    this.#liveStop = client.live.subscribe({
      onEvent: (event) => void this.#onLive(event),
      // A host without a live endpoint simply gets no live updates; loading errors are reported elsewhere.
      onError: () => undefined,
    });
  }

  #stopLive(): void {
    this.#liveStop?.();
    this.#liveStop = undefined;
    this.#liveClient = undefined;
  }

  async #onLive(event: LiveEvent): Promise<void> {
    if (event.type === 'resync') {
      void this.#data.retry();
      return;
    }
    if (event.type !== 'approval') return;
    const id = event.approvalId;
    if (this.#inFlight.has(id)) return; // our own decision: its answer updates the list
    const known = this._items.find((i) => i.id === id);
    const client = this.#client.value;
    if (this.#data.status !== 'complete' && this.#data.status !== 'empty') return;
    if (event.status !== 'pending' && this.#view === 'queue' && this.#status === 'pending') {
      if (!known) return;
      this.#removeItems([id]);
      this._total = Math.max(0, this._total - 1);
      this.#say('info', this.t('approvals.msg.liveDecided', { name: known.send.journeyName }));
      return;
    }
    if (!client) return;
    let current: Approval;
    try {
      current = stripDetail(await client.approvals.get(id));
    } catch {
      return; // not visible to this caller (or gone): nothing to show
    }
    if (!this.#matches(current)) {
      if (known) this.#removeItems([id]);
      return;
    }
    if (known) {
      this._items = this._items.map((i) => (i.id === id ? current : i));
    } else {
      this._items = insertOrdered(this._items, current, this.#order);
      this._total += 1;
      this._activeId ??= id;
      this.#say('info', this.t('approvals.msg.liveNew', { name: current.send.journeyName }));
    }
  }

  /** Whether an item belongs in the current listing (status and filters). */
  #matches(item: Approval): boolean {
    const status = this.#status;
    if (status === 'pending' && (item.status !== 'pending' || item.send.status !== 'pending_approval'))
      return false;
    if (status === 'decided' && item.status === 'pending') return false;
    if ((status === 'approved' || status === 'rejected') && item.status !== status) return false;
    if (this.partnerId && item.send.partnerId !== this.partnerId) return false;
    if (this.journeyId && item.send.journeyId !== this.journeyId) return false;
    const words = (this.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const text = [item.send.journeyName, item.partnerName, item.submittedBy?.name]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
    return words.every((w) => text.includes(w));
  }

  // ---- loading more -----------------------------------------------------------------------------------

  #onVisibility = (event: VisibilityChangedEvent): void => {
    if (event.last >= this._items.length - LOAD_AHEAD) void this.#loadMore();
  };

  /** Also near the bottom by scroll position (the visible range is reported only when it changes). */
  #onScroll = (event: Event): void => {
    const list = event.currentTarget as HTMLElement;
    if (list.scrollTop + list.clientHeight >= list.scrollHeight - list.clientHeight) void this.#loadMore();
  };

  async #loadMore(): Promise<void> {
    const client = this.#client.value;
    const cursor = this._next;
    if (!client || !cursor || this._loadingMore) return;
    this._loadingMore = true;
    this._moreError = false;
    const abort = new AbortController();
    this.#moreAbort = abort;
    try {
      const page = await client.approvals.list(
        {
          view: this.#view,
          status: this.#status,
          partnerId: this.partnerId || undefined,
          journeyId: this.journeyId || undefined,
          q: this.q?.trim() || undefined,
          limit: this.#limit,
          cursor,
        },
        { signal: abort.signal },
      );
      if (abort.signal.aborted) return;
      const known = new Set(this._items.map((i) => i.id));
      for (const id of this.#inFlight.keys()) known.add(id);
      this._items = [...this._items, ...page.items.filter((i) => !known.has(i.id))];
      this._next = page.nextCursor;
      this._total = Math.max(page.total, this._items.length);
    } catch (error) {
      if (!abort.signal.aborted && !(isDmApiError(error) && error.kind === 'aborted')) this._moreError = true;
    } finally {
      if (this.#moreAbort === abort) this._loadingMore = false;
    }
  }

  // ---- keyboard -------------------------------------------------------------------------------------

  #onKeydown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.composedPath()[0];
    if (isTyping(target)) return;
    if (this.dialog?.open) return;
    const inList = target instanceof HTMLElement && this.listElement?.contains(target);
    const key = event.key;
    let handled = true;
    if (key === 'j' || (key === 'ArrowDown' && inList)) this.#move(1);
    else if (key === 'k' || (key === 'ArrowUp' && inList)) this.#move(-1);
    else if (key === 'Home' && inList) this.#moveTo(0);
    else if (key === 'End' && inList) this.#moveTo(this._items.length - 1);
    else if (key === 'a' && !this.#readonly) this.#approveActive();
    else if (key === 'r' && !this.#readonly) this.#rejectActive();
    else if ((key === 'x' || key === 'X') && !this.#readonly) this.#toggleActive(event.shiftKey);
    else if (key === '/') this.searchInput?.focus();
    else handled = false;
    if (handled) event.preventDefault();
  };

  #indexOfActive(): number {
    return this._items.findIndex((i) => i.id === this._activeId);
  }

  #move(delta: number): void {
    const index = this.#indexOfActive();
    this.#moveTo(index < 0 ? 0 : index + delta);
  }

  #moveTo(index: number): void {
    if (!this._items.length) return;
    const next = Math.max(0, Math.min(this._items.length - 1, index));
    this._activeId = this._items[next]!.id;
    void this.#focusActive();
    if (next >= this._items.length - LOAD_AHEAD) void this.#loadMore();
  }

  /** Scrolls the active row into view and focuses it (rows outside the viewport are not rendered). */
  async #focusActive(): Promise<void> {
    const index = this.#indexOfActive();
    if (index < 0) return;
    await this.updateComplete;
    this.listElement?.[virtualizerRef]?.element(index)?.scrollIntoView({ block: 'nearest' });
    for (let attempt = 0; attempt < 10; attempt++) {
      const id = this._activeId;
      const button = this.renderRoot.querySelector<HTMLElement>(
        `.row[data-id="${CSS.escape(id ?? '')}"] .row__main`,
      );
      if (button) {
        button.focus({ preventScroll: false });
        return;
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  #toggleActive(range: boolean): void {
    const index = this.#indexOfActive();
    const item = this._items[index];
    if (!item || !decidable(item, this.#view)) return;
    this.#select(index, range, !this._selected.has(item.id));
  }

  #select(index: number, range: boolean, on: boolean): void {
    const next = new Set(this._selected);
    const ids =
      range && this.#rangeAnchor !== null
        ? rangeIds(this._items, this.#rangeAnchor, index)
        : [this._items[index]!.id];
    for (const id of ids) {
      const item = this._items.find((i) => i.id === id);
      if (!item || !decidable(item, this.#view)) continue;
      if (on) next.add(id);
      else next.delete(id);
    }
    this.#rangeAnchor = index;
    this._selected = next;
  }

  #onCheck(event: MouseEvent, index: number): void {
    const box = event.currentTarget as HTMLInputElement;
    this.#select(index, event.shiftKey, box.checked);
    this._activeId = this._items[index]?.id ?? this._activeId;
  }

  // ---- deciding -------------------------------------------------------------------------------------

  #approveActive(): void {
    const item = this._items[this.#indexOfActive()];
    if (item && decidable(item, this.#view)) void this.#decideSingle(item, 'approve', undefined);
  }

  #rejectActive(): void {
    const item = this._items[this.#indexOfActive()];
    if (item && decidable(item, this.#view)) this.#openReject([item.id], false);
  }

  #openReject(ids: string[], bulk: boolean): void {
    if (!ids.length) return;
    this.#rejecting = { ids, bulk };
    this._reasonError = false;
    this.requestUpdate();
    void this.updateComplete.then(() => {
      if (this.reasonInput) this.reasonInput.value = '';
      if (!this.dialog?.open) this.dialog?.showModal();
      this.reasonInput?.focus();
    });
  }

  #closeReject(): void {
    this.#rejecting = null;
    if (this.dialog?.open) this.dialog.close();
    this.requestUpdate();
  }

  #onDialogClose = (): void => {
    const wasBulk = this.#rejecting?.bulk;
    this.#rejecting = null;
    this.requestUpdate();
    if (!wasBulk) void this.#focusActive();
  };

  #onReasonKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.#confirmReject();
    }
  };

  #confirmReject = (): void => {
    const reason = this.reasonInput?.value.trim() ?? '';
    if (!reason) {
      this._reasonError = true;
      this.reasonInput?.focus();
      return;
    }
    const pending = this.#rejecting;
    if (!pending) return;
    this.#rejecting = null;
    this.dialog?.close();
    if (pending.bulk) void this.#decideBulk(pending.ids, 'reject', reason);
    else {
      const item = this._items.find((i) => i.id === pending.ids[0]);
      if (item) void this.#decideSingle(item, 'reject', reason);
    }
  };

  async #decideSingle(item: Approval, decision: Decision, reason: string | undefined): Promise<void> {
    const outcome = this.#decideOne(item, decision, reason, true);
    await outcome;
  }

  /**
   * Decides one item optimistically: it leaves the list (the next item becomes active) and comes back
   * when the server refuses — marked with who decided when someone else did (409).
   */
  async #decideOne(
    item: Approval,
    decision: Decision,
    reason: string | undefined,
    moveFocus: boolean,
  ): Promise<Outcome> {
    const client = this.#client.value;
    if (!client) return 'failed';
    const index = this._items.findIndex((i) => i.id === item.id);
    if (index < 0) return 'failed';
    const wasActive = this._activeId === item.id;
    this.#inFlight.set(item.id, { item, index });
    this.#removeItems([item.id]);
    const flags = new Map(this._flags);
    flags.delete(item.id);
    this._flags = flags;
    if (wasActive && moveFocus) void this.#focusActive();
    const name = item.send.journeyName;
    try {
      const approval = await client.approvals.decide(
        item.id,
        decision === 'reject' ? { decision, reason: reason ?? '' } : { decision },
        { version: item.version },
      );
      this.#inFlight.delete(item.id);
      this._total = Math.max(0, this._total - 1);
      if (this.#view === 'mine' || this.#status !== 'pending') this.#restore(approval, index);
      this.emit(new DmApprovalDecidedEvent({ id: item.id, decision, approval }));
      this.#say(
        'info',
        this.t(decision === 'approve' ? 'approvals.msg.approved' : 'approvals.msg.rejected', { name }),
      );
      return decision === 'approve' ? 'approved' : 'rejected';
    } catch (error) {
      this.#inFlight.delete(item.id);
      if (isDmApiError(error) && error.kind === 'conflict') {
        let current: Approval | null = null;
        try {
          current = stripDetail(await client.approvals.get(item.id));
        } catch {
          current = null;
        }
        const text = this.#conflictText(name, current);
        this.#restore(current ?? item, index);
        this.#flag(item.id, { kind: 'conflict', text });
        this.#say('alert', text);
        this.emit(new DmApprovalConflictEvent({ id: item.id, current }));
        return 'conflict';
      }
      this.#restore(item, index);
      const text = this.t('approvals.msg.failed', { name, error: this.localize.errorMessage(error) });
      this.#flag(item.id, { kind: 'failed', text });
      this.#say('alert', text);
      return 'failed';
    } finally {
      this.requestUpdate();
    }
  }

  #conflictText(name: string, current: Approval | null): string {
    if (current?.status === 'withdrawn') return this.t('approvals.msg.conflictWithdrawn', { name });
    if (current && current.status !== 'pending') {
      const status = this.t(`approvals.status.${current.status}`);
      return current.decidedByName
        ? this.t('approvals.msg.conflictDecided', { name, status, who: current.decidedByName })
        : this.t('approvals.msg.conflictDecidedUnknown', { name, status });
    }
    if (current) return this.t('approvals.msg.conflictChanged', { name });
    return this.t('approvals.msg.conflictUnknown', { name });
  }

  async #decideBulk(ids: string[], decision: Decision, reason: string | undefined): Promise<void> {
    const items = ids
      .map((id) => this._items.find((i) => i.id === id))
      .filter((i): i is Approval => Boolean(i && decidable(i, this.#view)));
    if (!items.length || this._bulk?.running) return;
    const bulk: BulkState = { decision, total: items.length, done: 0, running: true, results: [] };
    this._bulk = bulk;
    this._selected = new Set();
    const queue = [...items];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const outcome = await this.#decideOne(item, decision, reason, false);
        bulk.done += 1;
        bulk.results.push({ id: item.id, name: item.send.journeyName, outcome });
        this._bulk = { ...bulk };
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, items.length) }, worker));
    this._bulk = { ...bulk, running: false };
    const counts = countOutcomes(bulk.results);
    this.#say(
      counts.conflict || counts.failed ? 'alert' : 'info',
      this.t('approvals.bulk.summary', { ok: counts.ok, conflict: counts.conflict, failed: counts.failed }),
    );
  }

  #removeItems(ids: string[]): void {
    const gone = new Set(ids);
    const index = this.#indexOfActive();
    const items = this._items.filter((i) => !gone.has(i.id));
    if (this._activeId && gone.has(this._activeId)) {
      // The item after the removed one becomes active (or the one before, at the end).
      let next: Approval | undefined;
      for (let i = index + 1; i < this._items.length && !next; i++) {
        if (!gone.has(this._items[i]!.id)) next = this._items[i];
      }
      this._activeId = (next ?? items[Math.min(index, items.length - 1)])?.id ?? null;
    }
    const selected = new Set([...this._selected].filter((id) => !gone.has(id)));
    this._items = items;
    this._selected = selected;
    // Deciding through a page empties it: fetch the next one before the list runs dry.
    if (items.length < LOAD_AHEAD && this._next) void this.#loadMore();
  }

  /** Puts an item back at (about) its old position, replacing a copy of it if one came back meanwhile. */
  #restore(item: Approval, index: number): void {
    const items = this._items.filter((i) => i.id !== item.id);
    items.splice(Math.min(index, items.length), 0, item);
    this._items = items;
  }

  #flag(id: string, flag: Flag): void {
    const flags = new Map(this._flags);
    flags.set(id, flag);
    this._flags = flags;
  }

  #say(kind: Notice['kind'], text: string): void {
    this._notice = { kind, text };
  }

  // ---- filters --------------------------------------------------------------------------------------

  #onSearchInput(event: InputEvent): void {
    this._searchText = (event.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.#commitSearch(), SEARCH_DEBOUNCE_MS);
  }

  #onSearchKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.#commitSearch();
    } else if (event.key === 'Escape' && this._searchText) {
      event.preventDefault();
      this._searchText = '';
      this.#commitSearch();
    }
  }

  #commitSearch(): void {
    clearTimeout(this.#searchTimer);
    this.q = this._searchText.trim() || undefined;
  }

  #clearFilters(): void {
    clearTimeout(this.#searchTimer);
    this._searchText = '';
    this.q = undefined;
    this.partnerId = undefined;
    this.journeyId = undefined;
    void this.updateComplete.then(() => this.searchInput?.focus());
  }

  // ---- formatting -----------------------------------------------------------------------------------

  #relative(iso: string): string {
    const seconds = Math.round((Date.parse(iso) - this._now) / 1000);
    const abs = Math.abs(seconds);
    const format = new Intl.RelativeTimeFormat(this.resolvedLocale, { numeric: 'auto' });
    if (abs < 60) return format.format(0, 'minute');
    if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
    if (abs < 86400 * 2) return format.format(Math.round(seconds / 3600), 'hour');
    return format.format(Math.round(seconds / 86400), 'day');
  }

  #dateTime(iso: string): string {
    return new Intl.DateTimeFormat(this.resolvedLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(iso),
    );
  }

  #statusKey(item: Approval): TranslationKey {
    if (item.status === 'pending' && item.send.status === 'cancelled') return 'approvals.status.withdrawn';
    return `approvals.status.${item.status}`;
  }

  // ---- rendering ------------------------------------------------------------------------------------

  #renderFilters() {
    const facets = this._facets ?? deriveFacets(this._items);
    const partners = withSelected(facets.partners, this.partnerId);
    const journeys = withSelected(facets.journeys, this.journeyId);
    return html`<div part="header" class="header">
      <div class="field field--search">
        <label for="search">${this.t('approvals.search')}</label>
        <input
          id="search"
          part="search"
          class="control"
          type="search"
          autocomplete="off"
          placeholder=${this.t('approvals.searchPlaceholder')}
          aria-keyshortcuts="/"
          .value=${live(this._searchText)}
          @input=${this.#onSearchInput}
          @keydown=${this.#onSearchKeydown}
        />
      </div>
      <div class="field field--filter">
        <label for="partner">${this.t('approvals.partner')}</label>
        <select
          id="partner"
          part="partner-select"
          class="control"
          @change=${(e: Event) => (this.partnerId = (e.target as HTMLSelectElement).value || undefined)}
        >
          <option value="" ?selected=${!this.partnerId}>${this.t('approvals.allPartners')}</option>
          ${partners.map(
            (p) => html`<option value=${p.id} ?selected=${p.id === this.partnerId}>${p.name}</option>`,
          )}
        </select>
      </div>
      <div class="field field--filter">
        <label for="journey">${this.t('approvals.journey')}</label>
        <select
          id="journey"
          part="journey-select"
          class="control"
          @change=${(e: Event) => (this.journeyId = (e.target as HTMLSelectElement).value || undefined)}
        >
          <option value="" ?selected=${!this.journeyId}>${this.t('approvals.allJourneys')}</option>
          ${journeys.map(
            (j) => html`<option value=${j.id} ?selected=${j.id === this.journeyId}>${j.name}</option>`,
          )}
        </select>
      </div>
    </div>`;
  }

  #renderHints() {
    const key = (k: string) => html`<kbd class="kbd">${k}</kbd>`;
    return html`<p part="hints" class="hints" id="hints">
      <span class="visually-hidden">${this.t('approvals.hints.label')}</span>
      <span class="hint">${key('j')} ${key('k')} ${this.t('approvals.hint.move')}</span>
      ${
        this.#readonly
          ? nothing
          : html`<span class="hint">${key('a')} ${this.t('approvals.hint.approve')}</span>
              <span class="hint">${key('r')} ${this.t('approvals.hint.reject')}</span>
              <span class="hint">${key('x')} ${this.t('approvals.hint.select')}</span>`
      }
      <span class="hint">${key('/')} ${this.t('approvals.hint.search')}</span>
    </p>`;
  }

  #renderToolbar() {
    const selected = this.#selectedIds;
    const bulk = this._bulk;
    if (!selected.length && !bulk) return nothing;
    const running = bulk?.running === true;
    return html`<div part="toolbar" class="toolbar" role="group" aria-label=${this.t('approvals.bulk.label')}>
      ${
        selected.length
          ? html`<span class="toolbar__count"
                >${this.t('approvals.selectedCount', { count: selected.length })}</span
              >
              <button
                part="approve-selected-button"
                class="button button--primary"
                type="button"
                ?disabled=${running}
                @click=${() => void this.#decideBulk(selected, 'approve', undefined)}
              >
                ${this.t('approvals.approveSelected')}
              </button>
              <button
                part="reject-selected-button"
                class="button"
                type="button"
                ?disabled=${running}
                @click=${() => this.#openReject(selected, true)}
              >
                ${this.t('approvals.rejectSelected')}
              </button>
              <button class="button button--quiet" type="button" @click=${() => (this._selected = new Set())}>
                ${this.t('approvals.clearSelection')}
              </button>`
          : nothing
      }
      ${bulk ? this.#renderBulk(bulk) : nothing}
    </div>`;
  }

  #renderBulk(bulk: BulkState) {
    const label = this.t(
      bulk.decision === 'approve' ? 'approvals.bulk.approving' : 'approvals.bulk.rejecting',
      {
        done: bulk.done,
        total: bulk.total,
      },
    );
    return html`<div class="bulk">
      <label class="bulk__label" for="bulk-progress">${label}</label>
      <progress id="bulk-progress" part="progress" max=${bulk.total} .value=${bulk.done}></progress>
      ${
        bulk.results.length
          ? html`<ul part="results" class="results" aria-label=${this.t('approvals.bulk.results')}>
              ${bulk.results.map(
                (r) =>
                  html`<li class="result result--${r.outcome}" data-id=${r.id} data-outcome=${r.outcome}>
                    <span class="result__name">${r.name}</span>
                    <span part="status" class="badge badge--${r.outcome}"
                      >${this.t(`approvals.outcome.${r.outcome}`)}</span
                    >
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      ${
        bulk.running
          ? nothing
          : html`<button class="button button--quiet" type="button" @click=${() => (this._bulk = null)}>
              ${this.t('approvals.bulk.dismiss')}
            </button>`
      }
    </div>`;
  }

  #renderRow(item: Approval, index: number): TemplateResult {
    const active = item.id === this._activeId;
    const canAct = decidable(item, this.#view);
    const selected = this._selected.has(item.id);
    const flag = this._flags.get(item.id);
    const titleId = `row-${item.id}`;
    const pending = item.status === 'pending' && item.send.status === 'pending_approval';
    const level = pending ? slaLevel(item.submittedAt, this.slaHours, this._now) : 'ok';
    const meta = [item.partnerName, item.submittedBy?.name].filter(Boolean).join(' · ');
    return html`<div
      role="listitem"
      class=${classMap({
        row: true,
        'row--active': active,
        'row--selected': selected,
        [`row--${level}`]: level !== 'ok',
        'row--flagged': Boolean(flag),
      })}
      data-id=${item.id}
      aria-setsize=${Math.max(this._total, this._items.length)}
      aria-posinset=${index + 1}
    >
      ${
        canAct
          ? html`<input
              type="checkbox"
              part="item-checkbox"
              class="row__check"
              tabindex=${active ? 0 : -1}
              .checked=${live(selected)}
              aria-label=${this.t('approvals.select', { name: item.send.journeyName, partner: item.partnerName ?? '' })}
              @click=${(e: MouseEvent) => this.#onCheck(e, index)}
            />`
          : html`<span class="row__check row__check--none"></span>`
      }
      <button
        type="button"
        part="item"
        class="row__main"
        tabindex=${active ? 0 : -1}
        aria-current=${ifDefined(active ? 'true' : undefined)}
        aria-describedby="hints"
        @click=${() => (this._activeId = item.id)}
      >
        <span class="row__line">
          <span id=${titleId} class="row__title">${item.send.journeyName}</span>
          ${
            level !== 'ok'
              ? html`<span part="sla" class="badge badge--${level}">
                  ${
                    level === 'overdue'
                      ? this.t('approvals.sla.overdue', { hours: ageHours(item.submittedAt, this._now) })
                      : this.t('approvals.sla.late', { hours: ageHours(item.submittedAt, this._now) })
                  }
                </span>`
              : nothing
          }
          ${
            !pending || this.#view === 'mine'
              ? html`<span part="status" class="badge badge--${item.status}"
                  >${this.t(this.#statusKey(item))}</span
                >`
              : nothing
          }
        </span>
        <span class="row__meta">
          ${meta ? html`${meta} · ` : nothing}${this.t('approvals.recipients', {
            count: item.send.recipientCount,
          })}
        </span>
        <span class="row__meta">
          ${this.t('approvals.submitted', { age: this.#relative(item.submittedAt) })}
          ${
            flag
              ? html`<span part="status" class="badge badge--${flag.kind}"
                  >${this.t(flag.kind === 'conflict' ? 'approvals.flag.conflict' : 'approvals.flag.failed')}</span
                >`
              : nothing
          }
        </span>
      </button>
    </div>`;
  }

  #renderList() {
    const count =
      this.#view === 'mine'
        ? 'approvals.countMine'
        : this.#readonly
          ? 'approvals.countDecided'
          : 'approvals.count';
    return html`<p part="count" class="count">${this.t(count, { count: this._total })}</p>
      <div
        part="list"
        class="list"
        role="list"
        aria-label=${this.t(this.#view === 'mine' ? 'approvals.labelMine' : 'approvals.list')}
        @visibilityChanged=${this.#onVisibility}
        @scroll=${this.#onScroll}
      >
        ${virtualize({
          items: this._items,
          keyFunction: (item: Approval) => item.id,
          renderItem: (item: Approval, index: number) => this.#renderRow(item, index),
          scroller: true,
        })}
      </div>
      ${
        this._loadingMore
          ? html`<p class="more">${this.t('state.loadingMore')}</p>`
          : this._moreError
            ? html`<p class="more" role="alert">
                ${this.t('approvals.loadMoreError')}
                <button class="button button--quiet" type="button" @click=${() => void this.#loadMore()}>
                  ${this.t('state.retry')}
                </button>
              </p>`
            : nothing
      }`;
  }

  #renderSkeleton() {
    return html`<div class="skeletons">
      ${Array.from({ length: 5 }, () => html`<div class="skeleton"></div>`)}
    </div>`;
  }

  #renderEmpty() {
    const text = this.#filtered
      ? this.t('approvals.emptyFiltered')
      : this.#view === 'mine'
        ? this.t('approvals.emptyMine')
        : this.t('approvals.empty');
    return html`<p class="state__message">${text}</p>
      ${
        this.#filtered
          ? html`<button class="button" type="button" @click=${this.#clearFilters}>
              ${this.t('approvals.clearFilters')}
            </button>`
          : nothing
      }`;
  }

  #renderSegments(segments: RedlineSegment[]) {
    return segments.map((s) =>
      s.op === 'insert'
        ? html`<ins part="ins"
            ><span class="visually-hidden"> ${this.t('approvals.detail.inserted')} </span>${s.text}</ins
          >`
        : s.op === 'delete'
          ? html`<del part="del"
              ><span class="visually-hidden"> ${this.t('approvals.detail.deleted')} </span>${s.text}</del
            >`
          : html`<span>${s.text}</span>`,
    );
  }

  #renderWarning(w: ApprovalWarning) {
    const known: Partial<Record<string, TranslationKey>> = {
      'no_consent:warning': 'approvals.warning.noConsent',
      'no_consent:blocking': 'approvals.warning.optedOut',
      'missing_merge_data:warning': 'approvals.warning.missingData',
      'unsubscribed:blocking': 'approvals.warning.unsubscribed',
      'suppressed:blocking': 'approvals.warning.suppressed',
    };
    const key = known[`${w.code}:${w.severity}`];
    return html`<li class="warning warning--${w.severity}">
      <span class="badge badge--${w.severity === 'blocking' ? 'rejected' : 'late'}"
        >${this.t(w.severity === 'blocking' ? 'approvals.severity.blocking' : 'approvals.severity.warning')}</span
      >
      ${key ? this.t(key, { count: w.count }) : `${w.message} (${this.localize.number(w.count)})`}
    </li>`;
  }

  #renderReason(r: ApprovalDetail['reasons'][number]) {
    switch (r.code) {
      case 'always':
        return this.t('approvals.reason.always');
      case 'over_recipients':
        return this.t('approvals.reason.overRecipients', {
          recipients: r.recipients ?? 0,
          threshold: r.threshold ?? 0,
        });
      case 'edited':
        return this.t('approvals.reason.edited', { count: r.blocks ?? 0 });
      case 'warnings':
        return this.t('approvals.reason.warnings', { count: r.recipients ?? 0 });
      default:
        return r.message;
    }
  }

  #renderDetail() {
    const id = this._activeId;
    const inList = this._items.find((i) => i.id === id);
    if (!id || !inList) {
      return html`<p class="detail__none">${this.t('approvals.detail.none')}</p>`;
    }
    const status = this.#detail.status;
    const detail = this.#detail.value;
    if (status === 'error') {
      return html`<div part="error" class="state state--error">
        ${defaultError(this.localize, this.#detail.error, this.#detail.retry)}
      </div>`;
    }
    if (!detail || detail.id !== id) {
      return html`<div class="detail__loading" aria-busy="true">
        <div class="skeleton"></div>
        <div class="skeleton skeleton--tall"></div>
      </div>`;
    }
    // Decisions use the list's item (it carries the version the queue shows).
    const item = inList;
    const canAct = decidable(item, this.#view);
    const flag = this._flags.get(item.id);
    const headingId = 'detail-heading';
    return html`<article class="detail__content" aria-labelledby=${headingId}>
      <header class="detail__header">
        <h3 id=${headingId} class="detail__title">${detail.send.journeyName}</h3>
        <p class="detail__meta">
          ${[detail.partnerName, detail.submittedBy?.name].filter(Boolean).join(' · ')} ·
          ${this.t('approvals.submitted', { age: this.#relative(detail.submittedAt) })}
        </p>
        ${flag ? html`<p class="detail__flag" part="status">${flag.text}</p>` : nothing}
        ${
          canAct
            ? html`<div class="actions">
                <button
                  part="approve-button"
                  class="button button--primary"
                  type="button"
                  aria-keyshortcuts="a"
                  @click=${() => void this.#decideSingle(item, 'approve', undefined)}
                >
                  ${this.t('approvals.approve')} <kbd class="kbd">a</kbd>
                </button>
                <button
                  part="reject-button"
                  class="button"
                  type="button"
                  aria-keyshortcuts="r"
                  @click=${() => this.#openReject([item.id], false)}
                >
                  ${this.t('approvals.reject')} <kbd class="kbd">r</kbd>
                </button>
              </div>`
            : html`<p class="detail__status">
                <span part="status" class="badge badge--${item.status}"
                  >${this.t(this.#statusKey(item))}</span
                >
                ${
                  item.decidedByName && item.status !== 'pending'
                    ? this.t('approvals.decidedBy', { name: item.decidedByName })
                    : nothing
                }
                ${item.reason ? html`<span class="detail__reason">${this.t('approvals.reasonIs', { reason: item.reason })}</span>` : nothing}
                ${this.#view === 'queue' && item.status === 'pending' ? html`<span>${this.t('approvals.readonly')}</span>` : nothing}
              </p>`
        }
      </header>

      <section part="warnings" class="section" aria-labelledby="reasons-heading">
        <h4 id="reasons-heading" class="section__title">${this.t('approvals.detail.reasons')}</h4>
        <ul class="plain">
          ${detail.reasons.map((r) => html`<li>${this.#renderReason(r)}</li>`)}
        </ul>
        <h4 class="section__title">${this.t('approvals.detail.warnings')}</h4>
        ${
          detail.warnings.length
            ? html`<ul class="plain">
                ${detail.warnings.map((w) => this.#renderWarning(w))}
              </ul>`
            : html`<p class="muted">${this.t('approvals.detail.noWarnings')}</p>`
        }
      </section>

      <section part="recipients" class="section" aria-labelledby="recipients-heading">
        <h4 id="recipients-heading" class="section__title">
          ${this.t('approvals.recipients', { count: detail.recipients.count })}
        </h4>
        <ul class="plain sample">
          ${detail.recipients.sample.map(
            (r) =>
              html`<li>
                ${r.name ? html`${r.name} <span class="muted">&lt;${r.email}&gt;</span>` : r.email}
              </li>`,
          )}
        </ul>
        ${
          detail.recipients.count > detail.recipients.sample.length
            ? html`<p class="muted">
                ${this.t('approvals.detail.andMore', {
                  count: detail.recipients.count - detail.recipients.sample.length,
                })}
              </p>`
            : nothing
        }
      </section>

      <section class="section" aria-labelledby="redline-heading">
        <h4 id="redline-heading" class="section__title">${this.t('approvals.detail.redline')}</h4>
        <p class="muted legend">
          ${this.t('approvals.detail.legend')}
          <ins>${this.t('approvals.detail.legendInserted')}</ins>
          <del>${this.t('approvals.detail.legendDeleted')}</del>
        </p>
        ${detail.redline.map(
          (b) =>
            html`<div part="redline" class="redline" data-block=${b.blockId}>
              <h5 class="redline__label">
                ${b.label}
                ${detail.redline.some((o) => o.stepId !== b.stepId) ? html`<span class="muted">· ${b.stepName}</span>` : nothing}
                ${b.edited ? html`<span class="badge badge--edited">${this.t('approvals.detail.edited')}</span>` : nothing}
              </h5>
              ${
                b.edited
                  ? html`<p class="redline__text">${this.#renderSegments(b.segments)}</p>`
                  : html`<p class="redline__text redline__text--same">
                      <span class="muted">${this.t('approvals.detail.unchanged')}</span> ${b.original}
                    </p>`
              }
              ${
                b.overrideCount
                  ? html`<details class="overrides">
                      <summary>${this.t('approvals.detail.overrides', { count: b.overrideCount })}</summary>
                      ${b.overrides.map(
                        (o) =>
                          html`<p class="redline__text">
                            <span class="muted">${o.email}:</span> ${this.#renderSegments(o.segments)}
                          </p>`,
                      )}
                    </details>`
                  : nothing
              }
            </div>`,
        )}
      </section>

      ${
        detail.preview
          ? html`<section class="section" aria-labelledby="preview-heading">
              <h4 id="preview-heading" class="section__title">
                ${this.t('approvals.detail.preview', {
                  email:
                    detail.recipients.sample.find((r) => r.contactId === detail.preview?.contactId)?.email ??
                    '',
                })}
              </h4>
              <dl class="envelope">
                <dt>${this.t('approvals.detail.from')}</dt>
                <dd>${detail.preview.from}</dd>
                <dt>${this.t('approvals.detail.subject')}</dt>
                <dd>${detail.preview.subject}</dd>
              </dl>
              <iframe
                part="preview"
                class="preview"
                sandbox=""
                referrerpolicy="no-referrer"
                title=${this.t('approvals.detail.previewTitle', { subject: detail.preview.subject })}
                ${emailFrame(detail.preview.html, this.#client.value?.previewFrameUrl)}
              ></iframe>
            </section>`
          : nothing
      }

      <section part="history" class="section" aria-labelledby="history-heading">
        <h4 id="history-heading" class="section__title">${this.t('approvals.detail.history')}</h4>
        <ol class="plain history">
          ${detail.history.map(
            (h) =>
              html`<li>
                <time datetime=${h.at}>${this.#dateTime(h.at)}</time>
                ${this.t(`approvals.history.${h.action}`, { name: h.actor.name, version: h.version })}
                ${h.reason ? html`<span class="detail__reason">${this.t('approvals.reasonIs', { reason: h.reason })}</span>` : nothing}
              </li>`,
          )}
        </ol>
      </section>
    </article>`;
  }

  #renderDialog() {
    const count = this.#rejecting?.ids.length ?? 1;
    return html`<dialog
      part="dialog"
      class="dialog"
      aria-labelledby="dialog-title"
      @close=${this.#onDialogClose}
    >
      <form
        method="dialog"
        class="dialog__form"
        @submit=${(e: Event) => {
          e.preventDefault();
          this.#confirmReject();
        }}
      >
        <h3 id="dialog-title" class="dialog__title">${this.t('approvals.dialog.title', { count })}</h3>
        <div class="field">
          <label for="reason">${this.t('approvals.dialog.reason')}</label>
          <textarea
            id="reason"
            part="reason"
            class="control"
            rows="4"
            maxlength="2000"
            required
            aria-invalid=${this._reasonError ? 'true' : 'false'}
            aria-describedby="reason-hint ${this._reasonError ? 'reason-error' : ''}"
            @keydown=${this.#onReasonKeydown}
            @input=${() => (this._reasonError = false)}
          ></textarea>
          <p id="reason-hint" class="muted">${this.t('approvals.dialog.hint')}</p>
          ${
            this._reasonError
              ? html`<p id="reason-error" class="field__error" role="alert">
                  ${this.t('approvals.dialog.required')}
                </p>`
              : nothing
          }
        </div>
        <div class="actions">
          <button class="button" type="button" @click=${() => this.#closeReject()}>
            ${this.t('approvals.dialog.cancel')}
          </button>
          <button class="button button--danger" type="submit">${this.t('approvals.dialog.confirm')}</button>
        </div>
      </form>
    </dialog>`;
  }

  protected override render() {
    const notice = this._notice;
    return html`<section
      part="base"
      class="base"
      lang=${this.resolvedLocale}
      aria-label=${this.t(this.#view === 'mine' ? 'approvals.labelMine' : 'approvals.label')}
      @keydown=${this.#onKeydown}
    >
      <slot name="header"></slot>
      ${this.#renderFilters()} ${this.#renderHints()} ${this.#renderToolbar()}
      <div class="notices">
        <p part="message" class="notice" role="status" aria-live="polite">
          ${notice?.kind === 'info' ? notice.text : ''}
        </p>
        <p part="message" class="notice notice--alert" role="alert">
          ${notice?.kind === 'alert' ? notice.text : ''}
        </p>
      </div>
      <div part="body" class="body">
        <div class="queue">
          ${renderStates(this.#data, this.localize, {
            initial: () =>
              this.#client.source === 'none'
                ? html`<p class="state state--initial">${this.t('error.noClient')}</p>`
                : nothing,
            pending: () => this.#renderSkeleton(),
            error: (error, retry) => defaultError(this.localize, error, retry),
            empty: () => this.#renderEmpty(),
            complete: () => this.#renderList(),
            announceComplete: () =>
              this.t(this.#view === 'mine' ? 'approvals.countMine' : 'approvals.count', {
                count: this._total,
              }),
            announceEmpty: () =>
              this.#filtered ? this.t('approvals.emptyFiltered') : this.t('approvals.empty'),
          })}
        </div>
        <div
          part="detail"
          class="detail"
          role="region"
          tabindex="0"
          aria-label=${this.t('approvals.detail.label')}
          aria-busy=${this.#detail.status === 'pending' ? 'true' : 'false'}
        >
          ${this.#data.status === 'complete' ? this.#renderDetail() : nothing}
        </div>
      </div>
      ${this.#renderDialog()}
    </section>`;
  }
}

/** An `Approval` from a detail answer (drops the large fields before keeping it in the list). */
function stripDetail(detail: ApprovalDetail | Approval): Approval {
  const { recipients, preview, redline, reasons, warnings, history, ...approval } = detail as ApprovalDetail;
  void recipients;
  void preview;
  void redline;
  void reasons;
  void warnings;
  void history;
  return approval;
}

function deriveFacets(items: Approval[]): { partners: ApprovalFacet[]; journeys: ApprovalFacet[] } {
  const partners = new Map<string, ApprovalFacet>();
  const journeys = new Map<string, ApprovalFacet>();
  for (const i of items) {
    const p = partners.get(i.send.partnerId) ?? {
      id: i.send.partnerId,
      name: i.partnerName ?? i.send.partnerId,
      count: 0,
    };
    p.count += 1;
    partners.set(p.id, p);
    const j = journeys.get(i.send.journeyId) ?? { id: i.send.journeyId, name: i.send.journeyName, count: 0 };
    j.count += 1;
    journeys.set(j.id, j);
  }
  const byName = (a: ApprovalFacet, b: ApprovalFacet) => a.name.localeCompare(b.name);
  return { partners: [...partners.values()].sort(byName), journeys: [...journeys.values()].sort(byName) };
}

/** Keeps a filter's current value selectable even when the facets no longer list it. */
function withSelected(facets: ApprovalFacet[], selected: string | undefined): ApprovalFacet[] {
  if (!selected || facets.some((f) => f.id === selected)) return facets;
  return [...facets, { id: selected, name: selected, count: 0 }];
}

function countOutcomes(results: BulkState['results']) {
  const counts = { ok: 0, conflict: 0, failed: 0 };
  for (const r of results) {
    if (r.outcome === 'conflict') counts.conflict += 1;
    else if (r.outcome === 'failed') counts.failed += 1;
    else counts.ok += 1;
  }
  return counts;
}
