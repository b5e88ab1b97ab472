import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ContactPage, Contact } from '../../contract/contacts.js';
import type { Block, Journey, JourneyPage, Step } from '../../contract/journeys.js';
import type {
  Personalization,
  Preview,
  PreviewBatch,
  PreviewIssue,
  Send,
  SendCreate,
} from '../../contract/sends.js';
import { ClientController } from '../../controllers/client.js';
import { DataController, notReady } from '../../controllers/data.js';
import { defaultError, loadMore, renderStates } from '../../controllers/render-states.js';
import { RovingTabindexController } from '../../controllers/roving-tabindex.js';
import type { DmJourneySelectEvent } from '../../events/journey-select.js';
import { DmCancelEvent, DmSendFailedEvent, DmSendSubmittedEvent } from '../../events/send.js';
import { DmElement } from '../../internal/dm-element.js';
import { isDmApiError, type DmClient, type FetchLike } from '../../sdk/index.js';
import { controlStyles, hostStyles } from '../../styles/shared.js';
import { renderEditableBlock, renderLockedBlock, type Translate } from './block-editor.js';
import { renderBatchSummary, renderPreviewBody } from './preview-pane.js';
import { renderChip, renderOption } from './recipient-picker.js';
import { renderFailure, renderSchedule, renderSent, renderSummary } from './send-pane.js';
import styles from './quick-send.styles.js';
import { brandText, checkBlock, insertableMergeFields, type RuleFinding } from './rules.js';
import {
  displayName,
  fieldTarget,
  IdempotencyKeys,
  localToIso,
  personFromBatch,
  personFromContact,
  targetKey,
  toLocalInput,
  type FieldTarget,
  type Person,
} from './send-draft.js';

/** Milliseconds of typing pause before a contact search is sent. */
export const SEARCH_DEBOUNCE_MS = 250;

/** The four steps of the flow, in order. */
export const QUICK_SEND_STEPS = ['recipients', 'personalize', 'preview', 'send'] as const;
export type QuickSendStep = (typeof QUICK_SEND_STEPS)[number];

export type QuickSendMode = 'quick' | 'journey';

type Result =
  { readonly type: 'sent'; readonly send: Send } | { readonly type: 'error'; readonly error: unknown };

interface ServerFieldError {
  readonly target: FieldTarget;
  readonly message: string;
}

const brandTexts = new WeakMap<Block, string>();
function defaultText(block: Block): string {
  let text = brandTexts.get(block);
  if (text === undefined) brandTexts.set(block, (text = brandText(block)));
  return text;
}

const csv = {
  fromAttribute: (value: string | null): string[] =>
    [
      ...new Set(
        (value ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ] as string[],
  toAttribute: (value: string[] | undefined): string | null => (value?.length ? value.join(',') : null),
};

/**
 * @tag dm-quick-send
 * @summary Sends a brand-approved email (or enrolls contacts in a journey) in four steps: pick
 * recipients, personalize the editable blocks within the brand's rules, preview each recipient's email
 * as the server renders it, and send now or later.
 *
 * @description Loads the journey (`GET /v1/journeys/{id}`) and the partner's contacts (`GET /v1/contacts`)
 * through the nearest `<dm-provider>` (or its own `base-url` and `token`). Without `journey-id` it offers
 * a journey picker; a `dm-journey-select` from a `<dm-journey-showroom>` whose `for` names this element's
 * id — or from any showroom when this is the only quick-send on the page — presets the journey and moves
 * focus here (unless a listener cancelled the event).
 *
 * Recipients: a search (sent after a 250 ms pause; stale requests are aborted) over a multi-select
 * listbox — arrow keys move, Space toggles, contacts who cannot be mailed are shown disabled with the
 * reason — and the selection as chips (Backspace or Delete removes one). Personalize: locked blocks are
 * shown read-only; editable blocks check the brand's rules as you type (length, required, restricted
 * words and patterns, link schemes, image domains), can take merge fields at the caret and can be
 * changed for one recipient only. Preview: the server's rendering in a sandboxed frame, per recipient,
 * with its issues linked to the field to fix. Send: now or scheduled, with one `Idempotency-Key` per
 * composed send, so a double click or a retry after a network error never sends twice.
 *
 * @slot header - Replaces the heading ("Send an email").
 * @slot loading - Replaces the loading indicators (journey, contacts, preview).
 * @slot error - Replaces a loading error message and its "Try again" button.
 * @slot empty - Replaces the message shown when the partner has no contacts.
 *
 * @event {DmSendSubmittedEvent} dm-send-submitted - The server accepted the send; `detail.sendId` and
 * `detail.status` (`scheduled`, `pending_approval`, …).
 * @event {DmSendFailedEvent} dm-send-failed - Creating the send failed; `detail.error` is the `DmApiError`
 * (its `fields` are also shown next to the fields they name).
 * @event {DmCancelEvent} dm-cancel - The user pressed Cancel or Escape.
 * @event {DmErrorEvent} dm-error - Loading the journey, contacts or a preview failed; `detail.error`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart header - Heading and the chosen journey (or the journey picker).
 * @csspart journey-select - The journey picker `<select>`.
 * @csspart change-journey-button - "Change" next to the chosen journey.
 * @csspart body - The area below the header (a loading state or the flow).
 * @csspart stepper - The list of the four steps.
 * @csspart step - One step in the stepper (a button).
 * @csspart panel - The current step's content.
 * @csspart search - The contact search input.
 * @csspart listbox - The contact list.
 * @csspart option - One contact in the list.
 * @csspart count - The "N recipients selected" line.
 * @csspart chips - The selected recipients.
 * @csspart chip - One selected recipient (a button that removes it).
 * @csspart load-more-button - "Load more" under the contacts.
 * @csspart target-select - "Personalize for" (everyone or one recipient).
 * @csspart block - One block of the email (locked or editable).
 * @csspart locked-badge - The "Locked by brand" badge of a locked block.
 * @csspart editor - The textarea of an editable block.
 * @csspart counter - Characters left for a block.
 * @csspart findings - The rule problems of a block.
 * @csspart merge-button - "Insert field" of a block.
 * @csspart merge-menu - The merge field menu.
 * @csspart preview-nav - Previous / "2 of 5" / Next.
 * @csspart envelope - Subject, From and Reply-To of the preview.
 * @csspart frame - The preview `<iframe>` (sandboxed, no scripts).
 * @csspart text-version - The text version of the preview.
 * @csspart issues - The preview's issues.
 * @csspart issue - One issue.
 * @csspart schedule - The "Send now / Schedule" choice.
 * @csspart send-button - The Send (or Schedule) button.
 * @csspart result - The outcome of the send.
 * @csspart footer - Cancel, Back and Next.
 * @csspart spinner - A loading state.
 * @csspart error - An error state.
 * @csspart retry-button - "Try again" of an error state.
 * @csspart empty - The no-contacts state.
 *
 * @cssproperty [--dm-quick-send-list-block-size=18rem] - Height of the contact list before it scrolls.
 * @cssproperty [--dm-quick-send-frame-block-size=36rem] - Height of the preview frame.
 * @cssproperty [--dm-quick-send-mobile-inline-size=375px] - Width of the preview in "Mobile".
 *
 * @cssstate loading - The journey (or the first page of contacts) is loading.
 * @cssstate error - Loading the journey or contacts failed.
 * @cssstate empty - The partner has no contacts.
 * @cssstate ready - The journey is loaded.
 * @cssstate blocked - Something blocks sending (rule problems, unavailable recipients, bad schedule).
 * @cssstate sending - A send request is in flight.
 * @cssstate submitted - The server accepted the send.
 * @cssstate failed - The last send attempt failed.
 */
export class DmQuickSend extends DmElement {
  static override styles = [hostStyles, controlStyles, styles];
  readonly #client = new ClientController(this, { locale: () => this.resolvedLocale });

  readonly #journey = new DataController<Journey, readonly [DmClient | undefined, string | undefined]>(this, {
    args: () => [this.#client.value, this.journeyId || undefined] as const,
    task: async ([client, id], { signal }) => {
      if (!client || !id) return notReady;
      return client.journeys.get(id, { signal });
    },
  });

  readonly #journeys = new DataController<JourneyPage, readonly [DmClient | undefined, boolean]>(this, {
    args: () => [this.#client.value, !this.journeyId] as const,
    task: async ([client, wanted], { signal }) => {
      if (!client || !wanted) return notReady;
      return client.journeys.list({ sort: 'name', limit: 100 }, { signal });
    },
  });

  readonly #contacts = new DataController<
    { q: string | undefined; page: ContactPage },
    readonly [DmClient | undefined, string | undefined, number]
  >(this, {
    args: () => [this.#client.value, this._contactQuery, this.#pageSize] as const,
    task: async ([client, q, limit], { signal }) => {
      this.#moreContacts.abort();
      if (!client) return notReady;
      return { q, page: await client.contacts.list({ q, limit }, { signal }) };
    },
    isEmpty: ({ q, page }) => !q && page.items.length === 0,
    onComplete: ({ page }) => {
      this._moreContacts = [];
      this._contactsCursor = page.nextCursor;
      this.#learnContacts(page.items);
      this.#options.reset();
    },
  });

  readonly #moreContacts = new DataController<ContactPage, readonly [DmClient | undefined, string | null]>(
    this,
    {
      autoRun: false,
      args: () => [this.#client.value, this._contactsCursor] as const,
      task: async ([client, cursor], { signal }) => {
        if (!client || !cursor) return notReady;
        return client.contacts.list({ q: this._contactQuery, limit: this.#pageSize, cursor }, { signal });
      },
      onComplete: (page) => {
        const known = new Set(
          [...(this.#contacts.value?.page.items ?? []), ...this._moreContacts].map((c) => c.id),
        );
        this._moreContacts = [...this._moreContacts, ...page.items.filter((c) => !known.has(c.id))];
        this._contactsCursor = page.nextCursor;
        this.#learnContacts(page.items);
      },
    },
  );

  /** Names and availability of preset recipients not (yet) seen in a contact page. */
  readonly #resolve = new DataController<
    PreviewBatch,
    readonly [DmClient | undefined, string | undefined, string]
  >(this, {
    reportErrors: false,
    args: () =>
      [
        this.#client.value,
        this.#journey.status === 'complete' ? this.#journey.value?.id : undefined,
        JSON.stringify(this._selected.filter((id) => !this.#people.has(id))),
      ] as const,
    task: async ([client, journeyId, ids], { signal }) => {
      const contactIds = JSON.parse(ids) as string[];
      if (!client || !journeyId || contactIds.length === 0) return notReady;
      try {
        return await client.previews.batch({ journeyId, contactIds }, { signal });
      } catch (error) {
        // Unknown ids come back as field errors; mark those, the others resolve on the next run.
        if (isDmApiError(error) && error.kind === 'not_found') {
          for (const field of error.fields) {
            const index = /contactIds\.(\d+)$/.exec(field.path)?.[1];
            const id = index === undefined ? undefined : contactIds[Number(index)];
            if (id) this.#people.set(id, { id, name: null, email: null, unavailable: 'unknown' });
          }
          this.requestUpdate();
        }
        throw error;
      }
    },
    onComplete: (batch) => this.#learnBatch(batch),
  });

  readonly #preview = new DataController<
    Preview,
    readonly [DmClient | undefined, string | undefined, string | undefined, string | undefined, string]
  >(this, {
    args: () => {
      const active = this._step === 'preview' && this.#journey.status === 'complete';
      const contactId = active ? this.#previewContactId : undefined;
      return [
        this.#client.value,
        active ? this.#journey.value?.id : undefined,
        this.#previewStep?.id,
        contactId,
        contactId ? JSON.stringify(this.#personalizationFor(contactId)) : '',
      ] as const;
    },
    task: async ([client, journeyId, stepId, contactId, personalization], { signal }) => {
      if (!client || !journeyId || !contactId) return notReady;
      return client.previews.create(
        {
          journeyId,
          ...(stepId ? { stepId } : {}),
          contactId,
          personalization: JSON.parse(personalization) as Personalization,
        },
        { signal },
      );
    },
  });

  /** Issues for every recipient (no HTML), while previewing and sending. */
  readonly #batch = new DataController<
    PreviewBatch,
    readonly [DmClient | undefined, string | undefined, string | undefined, string]
  >(this, {
    reportErrors: false,
    args: () => {
      const active =
        (this._step === 'preview' || this._step === 'send') &&
        this.#journey.status === 'complete' &&
        this._selected.length > 0 &&
        this._result?.type !== 'sent';
      return [
        this.#client.value,
        active ? this.#journey.value?.id : undefined,
        this.#previewStep?.id,
        active ? JSON.stringify([this._selected, this.#personalization, this.#overridesForSend]) : '',
      ] as const;
    },
    task: async ([client, journeyId, stepId, body], { signal }) => {
      if (!client || !journeyId || !body) return notReady;
      const [contactIds, personalization, overrides] = JSON.parse(body) as [
        string[],
        Personalization,
        Record<string, Personalization>,
      ];
      return client.previews.batch(
        { journeyId, ...(stepId ? { stepId } : {}), contactIds, personalization, overrides },
        { signal },
      );
    },
    onComplete: (batch) => this.#learnBatch(batch),
  });

  readonly #options = new RovingTabindexController(this, {
    direction: 'vertical',
    items: () => [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="option"]')],
  });

  readonly #chips = new RovingTabindexController(this, {
    direction: 'horizontal',
    items: () => [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="chip"]')],
  });

  readonly #keys = new IdempotencyKeys();
  readonly #people = new Map<string, Person>();
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #sendInFlight = false;
  /** Move focus into the flow once the journey has loaded (after a showroom pick). */
  #focusWhenReady = false;

  /** Id of the journey or template to send. Without it the element offers a journey picker. */
  @property({ attribute: 'journey-id', reflect: true }) journeyId?: string;

  /** Preset recipients: contact ids, comma-separated in the attribute. */
  @property({ attribute: 'contact-ids', converter: csv }) contactIds: string[] = [];

  /**
   * `quick`: send one email (the first step, or the one chosen) now or later. `journey`: enroll the
   * recipients in every step of the journey. Unset: `journey` for a multi-step journey, else `quick`.
   */
  @property({ attribute: 'mode', reflect: true }) mode?: QuickSendMode;

  /** Contacts per page in the recipient list (1–100). */
  @property({ attribute: 'page-size', type: Number }) pageSize = 25;

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

  @state() private _step: QuickSendStep = 'recipients';
  /** Selected contact ids, in the order they were picked. */
  @state() private _selected: string[] = [];
  @state() private _searchText = '';
  @state() private _contactQuery: string | undefined;
  @state() private _moreContacts: Contact[] = [];
  @state() private _contactsCursor: string | null = null;
  /** Partner text per block id (blocks never touched keep the brand text). */
  @state() private _edits: Record<string, string> = {};
  /** Per-recipient text: contact id → block id → text. */
  @state() private _overrides: Record<string, Record<string, string>> = {};
  /** Whose text the editor shows: `''` for everyone, else a contact id. */
  @state() private _target = '';
  @state() private _quickStepId: string | undefined;
  @state() private _previewIndex = 0;
  @state() private _previewStepId: string | undefined;
  @state() private _previewWidth: 'desktop' | 'mobile' = 'desktop';
  @state() private _showText = false;
  @state() private _when: 'now' | 'later' = 'now';
  @state() private _scheduleLocal = '';
  @state() private _sending = false;
  @state() private _result: Result | undefined;
  @state() private _serverErrors: ServerFieldError[] = [];
  @state() private _menuFor: string | undefined;
  @state() private _notice: string | undefined;

  // ---------------------------------------------------------------------------------------------------
  // Derived state

  get #pageSize(): number {
    const n = Math.round(Number(this.pageSize));
    return Number.isFinite(n) ? Math.min(100, Math.max(1, n)) : 25;
  }

  get #loadedJourney(): Journey | undefined {
    return this.#journey.status === 'complete' ? this.#journey.value : undefined;
  }

  /** The mode in effect for the loaded journey. */
  get effectiveMode(): QuickSendMode {
    if (this.mode === 'quick' || this.mode === 'journey') return this.mode;
    const journey = this.#loadedJourney;
    return journey?.kind === 'journey' && journey.steps.length > 1 ? 'journey' : 'quick';
  }

  /** The steps whose blocks are personalized: the chosen step (quick) or all (journey). */
  get #scopeSteps(): Step[] {
    const journey = this.#loadedJourney;
    if (!journey) return [];
    if (this.effectiveMode === 'journey') return journey.steps;
    const step = journey.steps.find((s) => s.id === this._quickStepId) ?? journey.steps[0];
    return step ? [step] : [];
  }

  get #editableBlocks(): Block[] {
    const seen = new Set<string>();
    const blocks: Block[] = [];
    for (const step of this.#scopeSteps) {
      for (const block of step.blocks) {
        if (block.locked || seen.has(block.id)) continue;
        seen.add(block.id);
        blocks.push(block);
      }
    }
    return blocks;
  }

  /** The step previewed (and checked by the batch preview). */
  get #previewStep(): Step | undefined {
    const steps = this.#scopeSteps;
    if (this.effectiveMode === 'journey') return steps.find((s) => s.id === this._previewStepId) ?? steps[0];
    return steps[0];
  }

  /** Shared partner text of the blocks the partner changed. */
  get #personalization(): Personalization {
    const out: Personalization = {};
    for (const block of this.#editableBlocks) {
      const value = this._edits[block.id];
      if (value !== undefined && value !== defaultText(block)) out[block.id] = value;
    }
    return out;
  }

  #sharedText(block: Block): string {
    return this._edits[block.id] ?? defaultText(block);
  }

  /** Overrides of selected recipients for blocks in scope. */
  get #overridesForSend(): Record<string, Personalization> {
    const out: Record<string, Personalization> = {};
    const blocks = new Set(this.#editableBlocks.map((b) => b.id));
    for (const id of this._selected) {
      const own = this._overrides[id];
      if (!own) continue;
      const kept = Object.entries(own).filter(([blockId]) => blocks.has(blockId));
      if (kept.length) out[id] = Object.fromEntries(kept);
    }
    return out;
  }

  #personalizationFor(contactId: string): Personalization {
    return { ...this.#personalization, ...this.#overridesForSend[contactId] };
  }

  get #previewContactId(): string | undefined {
    if (this._selected.length === 0) return undefined;
    return this._selected[Math.min(this._previewIndex, this._selected.length - 1)];
  }

  /** Client-side rule problems: one entry per field (shared block or override) with findings. */
  get #problems(): Array<{ target: FieldTarget; block: Block; findings: RuleFinding[] }> {
    const problems: Array<{ target: FieldTarget; block: Block; findings: RuleFinding[] }> = [];
    const personalization = this.#personalization;
    const overrides = this.#overridesForSend;
    for (const block of this.#editableBlocks) {
      const findings = checkBlock(block, personalization[block.id]);
      if (findings.length) problems.push({ target: { kind: 'block', blockId: block.id }, block, findings });
    }
    for (const [contactId, own] of Object.entries(overrides)) {
      for (const block of this.#editableBlocks) {
        if (!(block.id in own)) continue;
        const findings = checkBlock(block, own[block.id]);
        if (findings.length)
          problems.push({ target: { kind: 'override', contactId, blockId: block.id }, block, findings });
      }
    }
    return problems;
  }

  get #scheduledAt(): string | undefined {
    return this._when === 'later' ? localToIso(this._scheduleLocal) : undefined;
  }

  get #scheduleInvalid(): boolean {
    if (this._when !== 'later') return false;
    const iso = this.#scheduledAt;
    return !iso || new Date(iso).getTime() <= Date.now();
  }

  /** The body `POST /v1/sends` would get now, or undefined without a journey or recipients. */
  get draft(): SendCreate | undefined {
    const journey = this.#loadedJourney;
    if (!journey || this._selected.length === 0) return undefined;
    const kind = this.effectiveMode;
    const stepId = kind === 'quick' ? this.#scopeSteps[0]?.id : undefined;
    const scheduledAt = this.#scheduledAt;
    return {
      kind,
      journeyId: journey.id,
      ...(stepId ? { stepId } : {}),
      contactIds: [...this._selected],
      personalization: this.#personalization,
      overrides: this.#overridesForSend,
      ...(scheduledAt ? { scheduledAt } : {}),
    };
  }

  /** What stops a send right now, with where to go to fix it; undefined when nothing does. */
  get #blocker(): { message: string; fix?: () => void } | undefined {
    if (!this.#loadedJourney) return { message: this.t('quickSend.chooseJourneyFirst') };
    if (this._selected.length === 0)
      return { message: this.t('quickSend.needRecipients'), fix: () => this.#goTo('recipients') };
    const problems = this.#problems;
    if (problems.length) {
      return {
        message: this.t('quickSend.blocked.rules', { count: problems.length }),
        fix: () => this.#focusTarget(problems[0]!.target),
      };
    }
    if (this.#scheduleInvalid) {
      return { message: this.t('quickSend.scheduleInvalid'), fix: () => this.#focusById('schedule-at') };
    }
    const unavailable = this._selected.filter((id) => this.#people.get(id)?.unavailable);
    if (unavailable.length) {
      return {
        message: this.t('quickSend.blocked.unavailable', { count: unavailable.length }),
        fix: () => this.#focusTarget({ kind: 'recipient', contactId: unavailable[0]! }),
      };
    }
    const batch = this.#batch.status === 'complete' ? this.#batch.value : undefined;
    if (batch) {
      const blockingItem = batch.items.find((i) => i.status === 'blocking');
      const shared = batch.issues.find((i) => i.severity === 'blocking');
      if (blockingItem || shared) {
        const issue = shared ?? blockingItem!.issues.find((i) => i.severity === 'blocking');
        return {
          message: this.t('quickSend.blocked.issues'),
          fix: () => (issue ? this.#openIssue(issue, blockingItem?.contactId) : this.#goTo('preview')),
        };
      }
    } else if (this.#batch.status === 'pending') {
      return { message: this.t('quickSend.blocked.checking') };
    }
    const preview = this.#preview.status === 'complete' ? this.#preview.value : undefined;
    const issue = preview?.issues.find((i) => i.severity === 'blocking');
    if (issue) return { message: this.t('quickSend.blocked.issues'), fix: () => this.#openIssue(issue) };
    return undefined;
  }

  #reachable(step: QuickSendStep): boolean {
    if (step === 'recipients') return true;
    return !!this.#loadedJourney && this._selected.length > 0;
  }

  // ---------------------------------------------------------------------------------------------------
  // Lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    this.ownerDocument.addEventListener('dm-journey-select', this.#onJourneySelect);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.ownerDocument.removeEventListener('dm-journey-select', this.#onJourneySelect);
    clearTimeout(this.#searchTimer);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('contactIds')) {
      this._selected = [...new Set(this.contactIds ?? [])];
      this.#afterRecipientsChanged();
    }
    if (changed.has('journeyId') && (changed.get('journeyId') !== undefined || this.journeyId)) {
      this.#resetComposition();
      if (this._step !== 'recipients') this._step = this._selected.length ? 'personalize' : 'recipients';
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.#focusWhenReady) {
      const status = this.#journey.status;
      if (status === 'complete') this.#focusHeading();
      else if (status === 'error')
        this.renderRoot.querySelector<HTMLElement>('[part~="retry-button"]')?.focus();
      if (status === 'complete' || status === 'error') this.#focusWhenReady = false;
    }
    const journey = this.#journey.status;
    const contacts = this.#contacts.status;
    this.toggleState(
      'loading',
      journey === 'pending' || (this._step === 'recipients' && contacts === 'pending'),
    );
    this.toggleState('error', journey === 'error' || contacts === 'error');
    this.toggleState('empty', contacts === 'empty');
    this.toggleState('ready', journey === 'complete');
    this.toggleState('blocked', this.#loadedJourney !== undefined && this.#blocker !== undefined);
    this.toggleState('sending', this._sending);
    this.toggleState('submitted', this._result?.type === 'sent');
    this.toggleState('failed', this._result?.type === 'error');
  }

  /**
   * Moves focus into the flow: the current step's heading (or, before the flow shows, its first
   * control). Used instead of `delegatesFocus`, which would also pull focus to the first control on any
   * click on text inside this large panel.
   */
  override focus(options?: FocusOptions): void {
    const target =
      this.renderRoot?.querySelector<HTMLElement>('#panel-heading') ??
      this.renderRoot?.querySelector<HTMLElement>('button, select, input, textarea, [tabindex="0"]');
    if (target) target.focus(options);
    else super.focus(options);
  }

  /** Starts over: no edits, overrides, schedule or result; recipients and journey stay. */
  reset(): void {
    this.#resetComposition();
    this._step = 'recipients';
  }

  #resetComposition(): void {
    this._edits = {};
    this._overrides = {};
    this._target = '';
    this._quickStepId = undefined;
    this._previewStepId = undefined;
    this._previewIndex = 0;
    this._when = 'now';
    this._scheduleLocal = '';
    this._result = undefined;
    this._serverErrors = [];
    this._menuFor = undefined;
    this._notice = undefined;
    this.#keys.reset();
  }

  #learnContacts(contacts: Contact[]): void {
    for (const contact of contacts) this.#people.set(contact.id, personFromContact(contact));
  }

  #learnBatch(batch: PreviewBatch): void {
    for (const item of batch.items) {
      const known = this.#people.get(item.contactId);
      const fromBatch = personFromBatch(item);
      this.#people.set(item.contactId, {
        ...fromBatch,
        ...(known?.unavailable && !fromBatch.unavailable ? { unavailable: known.unavailable } : {}),
      });
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Showroom link

  readonly #onJourneySelect = (event: DmJourneySelectEvent): void => {
    const showroom = event
      .composedPath()
      .find((node): node is Element => node instanceof Element && node.localName === 'dm-journey-showroom');
    if (!showroom || !this.#linkedTo(showroom)) return;
    const journeyId = event.detail.journey.id;
    // Decide after every listener has run: a host may cancel the event from any of them.
    queueMicrotask(() => {
      if (event.defaultPrevented || !this.isConnected) return;
      this.journeyId = journeyId;
      this.#focusWhenReady = true;
      this.requestUpdate();
    });
  };

  #linkedTo(showroom: Element): boolean {
    const target = showroom.getAttribute('for');
    if (target) return target === this.id;
    const all = this.ownerDocument.querySelectorAll('dm-quick-send');
    return all.length === 1 && all[0] === this;
  }

  // ---------------------------------------------------------------------------------------------------
  // Navigation and focus

  async #goTo(step: QuickSendStep, focus: 'heading' | 'none' = 'heading'): Promise<void> {
    this._menuFor = undefined;
    this._notice = undefined;
    this._step = step;
    await this.updateComplete;
    if (focus === 'heading') this.#focusHeading();
  }

  #focusHeading(): void {
    this.focus();
  }

  #focusById(id: string): void {
    this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(id)}`)?.focus();
  }

  async #focusTarget(target: FieldTarget): Promise<void> {
    switch (target.kind) {
      case 'block':
      case 'override': {
        this._target = target.kind === 'override' ? target.contactId : '';
        if (target.kind === 'override' && !this._selected.includes(target.contactId)) this._target = '';
        const step = this.#loadedJourney?.steps.find((s) => s.blocks.some((b) => b.id === target.blockId));
        if (step && this.effectiveMode === 'quick' && !this.#scopeSteps.includes(step))
          this._quickStepId = step.id;
        await this.#goTo('personalize', 'none');
        this.#focusById(`block-${target.blockId}`);
        return;
      }
      case 'recipient': {
        await this.#goTo('recipients', 'none');
        const chip = this.renderRoot.querySelector<HTMLElement>(
          `[part~="chip"][data-id="${CSS.escape(target.contactId)}"]`,
        );
        if (chip) {
          const index = this.#chipElements().indexOf(chip);
          this.#chips.focus(index);
        } else {
          this.#focusById('contact-search');
        }
        return;
      }
      case 'schedule':
        await this.#goTo('send', 'none');
        this.#focusById('schedule-at');
        return;
      default:
        await this.#goTo('send');
    }
  }

  #issueTarget(issue: PreviewIssue, contactId?: string): FieldTarget | undefined {
    const field = issue.field;
    if (!field) return undefined;
    if (this._selected.includes(field)) return { kind: 'recipient', contactId: field };
    if (this.#loadedJourney?.steps.some((s) => s.blocks.some((b) => b.id === field && !b.locked))) {
      const owner = contactId ?? this.#previewContactId;
      if (owner && this._overrides[owner]?.[field] !== undefined)
        return { kind: 'override', contactId: owner, blockId: field };
      return { kind: 'block', blockId: field };
    }
    return undefined;
  }

  #openIssue(issue: PreviewIssue, contactId?: string): void {
    const target = this.#issueTarget(issue, contactId);
    if (target) void this.#focusTarget(target);
    else void this.#goTo('preview');
  }

  #onBaseKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    const target = event.composedPath()[0];
    // Escape in a filled search box clears it (the browser's own behaviour) instead of leaving.
    if (target instanceof HTMLInputElement && target.type === 'search' && target.value) return;
    event.preventDefault();
    this.#cancel();
  }

  #cancel(): void {
    this.emit(new DmCancelEvent());
  }

  #next(): void {
    const index = QUICK_SEND_STEPS.indexOf(this._step);
    const next = QUICK_SEND_STEPS[index + 1];
    if (!next) return;
    if (!this.#loadedJourney) {
      this._notice = this.t('quickSend.chooseJourneyFirst');
      this.#focusById(this.journeyId ? 'panel-heading' : 'journey');
      return;
    }
    if (this._selected.length === 0) {
      this._notice = this.t('quickSend.needRecipients');
      this.#focusById('contact-search');
      return;
    }
    void this.#goTo(next);
  }

  #back(): void {
    const index = QUICK_SEND_STEPS.indexOf(this._step);
    const previous = QUICK_SEND_STEPS[index - 1];
    if (previous) void this.#goTo(previous);
  }

  // ---------------------------------------------------------------------------------------------------
  // Journey picker

  #onJourneyChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    if (!value) return;
    this.journeyId = value;
    void this.updateComplete.then(() => this.#focusById('change-journey'));
  }

  async #changeJourney(): Promise<void> {
    this.journeyId = undefined;
    this._step = 'recipients';
    await this.updateComplete;
    this.#focusById('journey');
  }

  // ---------------------------------------------------------------------------------------------------
  // Recipients

  #onSearchInput(event: InputEvent): void {
    this._searchText = (event.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.#commitSearch(), SEARCH_DEBOUNCE_MS);
  }

  #onSearchKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.#commitSearch();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.#options.focus(this.#options.activeIndex);
    }
  }

  #commitSearch(): void {
    clearTimeout(this.#searchTimer);
    this._contactQuery = this._searchText.trim() || undefined;
  }

  #toggle(contact: Contact): void {
    const person = personFromContact(contact);
    this.#people.set(contact.id, person);
    if (this._selected.includes(contact.id)) {
      this.#removeRecipient(contact.id);
    } else if (!person.unavailable) {
      this._selected = [...this._selected, contact.id];
      this._notice = undefined;
      this.#afterRecipientsChanged();
    }
  }

  #removeRecipient(id: string): void {
    this._selected = this._selected.filter((s) => s !== id);
    this.#afterRecipientsChanged();
  }

  #afterRecipientsChanged(): void {
    if (this._target && !this._selected.includes(this._target)) this._target = '';
    if (this._previewIndex >= this._selected.length)
      this._previewIndex = Math.max(0, this._selected.length - 1);
    this._serverErrors = this._serverErrors.filter((e) => e.target.kind !== 'recipient');
    if (this._result?.type === 'sent') this._result = undefined;
  }

  #onOptionKeydown(event: KeyboardEvent, contact: Contact): void {
    if (event.key !== ' ' && event.key !== 'Spacebar') return;
    event.preventDefault();
    this.#toggle(contact);
  }

  #chipElements(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[part~="chip"]')];
  }

  async #removeChip(id: string): Promise<void> {
    const index = this._selected.indexOf(id);
    this.#removeRecipient(id);
    await this.updateComplete;
    const chips = this.#chipElements();
    if (chips.length) this.#chips.focus(Math.min(index, chips.length - 1));
    else this.#focusById('contact-search');
  }

  #onChipKeydown(event: KeyboardEvent): void {
    const chip = event.target as HTMLElement;
    if ((event.key === 'Backspace' || event.key === 'Delete') && chip.dataset.id) {
      event.preventDefault();
      void this.#removeChip(chip.dataset.id);
      return;
    }
    this.#chips.onKeydown(event);
  }

  #loadMoreContacts(): void {
    void this.#moreContacts.run();
  }

  // ---------------------------------------------------------------------------------------------------
  // Personalize

  #textFor(block: Block, target = this._target): string {
    if (target) return this._overrides[target]?.[block.id] ?? this.#sharedText(block);
    return this.#sharedText(block);
  }

  #setText(block: Block, value: string): void {
    const target = this._target;
    if (target) {
      const own = { ...this._overrides[target] };
      if (value === this.#sharedText(block)) delete own[block.id];
      else own[block.id] = value;
      const overrides = { ...this._overrides };
      if (Object.keys(own).length) overrides[target] = own;
      else delete overrides[target];
      this._overrides = overrides;
    } else {
      this._edits = { ...this._edits, [block.id]: value };
    }
    const key = targetKey(
      target
        ? { kind: 'override', contactId: target, blockId: block.id }
        : { kind: 'block', blockId: block.id },
    );
    this._serverErrors = this._serverErrors.filter((e) => targetKey(e.target) !== key);
    if (this._result?.type === 'sent') this._result = undefined;
  }

  #resetBlock(block: Block): void {
    if (this._target) {
      this.#setText(block, this.#sharedText(block));
    } else {
      const edits = { ...this._edits };
      delete edits[block.id];
      this._edits = edits;
    }
    void this.updateComplete.then(() => this.#focusById(`block-${block.id}`));
  }

  #toggleMenu(blockId: string): void {
    if (this._menuFor === blockId) {
      this._menuFor = undefined;
      return;
    }
    this._menuFor = blockId;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(`#menu-${CSS.escape(blockId)} [role="menuitem"]`)?.focus(),
    );
  }

  #closeMenu(focusButton: boolean): void {
    const blockId = this._menuFor;
    this._menuFor = undefined;
    if (focusButton && blockId) void this.updateComplete.then(() => this.#focusById(`merge-${blockId}`));
  }

  #onMenuKeydown(event: KeyboardEvent): void {
    const items = [
      ...(event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role="menuitem"]'),
    ];
    const index = items.indexOf(event.target as HTMLElement);
    let next: number | undefined;
    switch (event.key) {
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        this.#closeMenu(true);
        return;
      case 'Tab':
        this._menuFor = undefined;
        return;
      case 'ArrowDown':
        next = (index + 1) % items.length;
        break;
      case 'ArrowUp':
        next = (index - 1 + items.length) % items.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = items.length - 1;
        break;
    }
    if (next === undefined) return;
    event.preventDefault();
    items[next]?.focus();
  }

  #onMenuFocusout(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    const wrap = (event.currentTarget as HTMLElement).closest('.merge');
    if (!next || !wrap?.contains(next)) this._menuFor = undefined;
  }

  async #insertMergeField(block: Block, key: string): Promise<void> {
    const textarea = this.renderRoot.querySelector<HTMLTextAreaElement>(`#block-${CSS.escape(block.id)}`);
    this._menuFor = undefined;
    if (!textarea) return;
    const token = `{{ ${key} }}`;
    const start = textarea.selectionStart ?? textarea.value.length;
    const end = textarea.selectionEnd ?? start;
    textarea.setRangeText(token, start, end, 'end');
    this.#setText(block, textarea.value);
    await this.updateComplete;
    textarea.focus();
    textarea.setSelectionRange(start + token.length, start + token.length);
  }

  // ---------------------------------------------------------------------------------------------------
  // Send

  async #send(): Promise<void> {
    if (this.#sendInFlight) return;
    const blocker = this.#blocker;
    if (blocker) {
      this._notice = blocker.message;
      blocker.fix?.();
      return;
    }
    const body = this.draft;
    const client = this.#client.value;
    if (!body || !client) return;
    const idempotencyKey = this.#keys.keyFor(body);
    this.#sendInFlight = true;
    this._sending = true;
    this._result = undefined;
    this._serverErrors = [];
    this._notice = undefined;
    try {
      const send = await client.sends.create(body, { idempotencyKey });
      this._result = { type: 'sent', send };
      this.emit(new DmSendSubmittedEvent({ sendId: send.id, status: send.status }));
    } catch (error) {
      this._result = { type: 'error', error };
      if (isDmApiError(error)) {
        this._serverErrors = error.fields.map((f) => ({
          target: fieldTarget(f.path, body.contactIds),
          message: f.message,
        }));
      }
      this.emit(new DmSendFailedEvent({ error }));
    } finally {
      this.#sendInFlight = false;
      this._sending = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#result')?.focus();
  }

  #startOver(): void {
    this.#resetComposition();
    this._selected = [];
    void this.#goTo('recipients');
  }

  // ---------------------------------------------------------------------------------------------------
  // Rendering helpers

  /** `t` as a plain function for the template modules. */
  readonly #t: Translate = (key, params) => this.t(key, params);

  #person(id: string): Person | undefined {
    return this.#people.get(id);
  }

  #name(id: string): string {
    return displayName(this.#person(id), id);
  }

  #formatTime(iso: string): string {
    try {
      return new Intl.DateTimeFormat(this.resolvedLocale, { dateStyle: 'full', timeStyle: 'short' }).format(
        new Date(iso),
      );
    } catch {
      return iso;
    }
  }

  #errorMessage(error: unknown): string {
    if (isDmApiError(error) && error.kind === 'validation') return this.t('quickSend.error.validation');
    return this.localize.errorMessage(error);
  }

  #targetLabel(target: FieldTarget): string {
    const blockLabel = (id: string) =>
      this.#loadedJourney?.steps.flatMap((s) => s.blocks).find((b) => b.id === id)?.label ?? id;
    switch (target.kind) {
      case 'block':
        return blockLabel(target.blockId);
      case 'override':
        return this.t('quickSend.overrideLabel', {
          block: blockLabel(target.blockId),
          name: this.#name(target.contactId),
        });
      case 'recipient':
        return this.#name(target.contactId);
      case 'schedule':
        return this.t('quickSend.scheduleAt');
      default:
        return this.t('quickSend.general');
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Render: header

  #renderHeader() {
    const journey = this.#loadedJourney;
    return html`<div part="header" class="header">
      <slot name="header"><h2 class="title" id="title">${this.t('quickSend.title')}</h2></slot>
      ${this.journeyId ? this.#renderChosenJourney(journey) : this.#renderJourneyPicker()}
    </div>`;
  }

  #renderChosenJourney(journey: Journey | undefined) {
    const mode = this.effectiveMode;
    return html`<div class="journey">
      <p class="journey__name">
        <span class="journey__label">${this.t('quickSend.journey')}${this.t('quickSend.colon')}</span>
        ${journey ? html`<strong id="journey-name">${journey.name}</strong>` : nothing}
      </p>
      ${
        journey
          ? html`<ul class="badges">
              <li class="badge">${this.t(`showroom.kind.${journey.kind}`)}</li>
              <li class="badge">
                ${
                  mode === 'journey'
                    ? this.t('showroom.steps', { count: journey.steps.length })
                    : this.t('quickSend.oneEmail')
                }
              </li>
              ${
                journey.approvalRequired
                  ? html`<li class="badge badge--warning">${this.t('showroom.approvalRequired')}</li>`
                  : nothing
              }
            </ul>`
          : nothing
      }
      <button
        id="change-journey"
        part="change-journey-button"
        class="button button--small"
        type="button"
        aria-describedby=${ifDefined(journey ? 'journey-name' : undefined)}
        @click=${() => void this.#changeJourney()}
      >
        ${this.t('quickSend.changeJourney')}
      </button>
    </div>`;
  }

  #renderJourneyPicker() {
    const status = this.#journeys.status;
    const items = this.#journeys.value?.items ?? [];
    return html`<div class="field field--journey">
      <label for="journey">${this.t('quickSend.journey')}</label>
      <select
        id="journey"
        part="journey-select"
        class="control"
        aria-busy=${status === 'pending' ? 'true' : 'false'}
        @change=${this.#onJourneyChange}
      >
        <option value="" selected>
          ${status === 'pending' ? this.t('state.loading') : this.t('quickSend.journeyPlaceholder')}
        </option>
        ${items.map((j) => html`<option value=${j.id}>${j.name}</option>`)}
      </select>
      ${
        status === 'error'
          ? html`<p class="inline-error" role="alert">
              ${this.t('quickSend.journeysError')}
              <button class="button button--small" type="button" @click=${() => void this.#journeys.retry()}>
                ${this.t('state.retry')}
              </button>
            </p>`
          : nothing
      }
    </div>`;
  }

  // ---------------------------------------------------------------------------------------------------
  // Render: stepper and footer

  #renderStepper() {
    const current = QUICK_SEND_STEPS.indexOf(this._step);
    const sent = this._result?.type === 'sent';
    return html`<nav class="stepper-nav" aria-label=${this.t('quickSend.progress')}>
      <ol part="stepper" class="stepper">
        ${QUICK_SEND_STEPS.map((step, i) => {
          const done = i < current || sent;
          const isCurrent = i === current;
          return html`<li class="stepper__item">
            <button
              part="step"
              class=${classMap({ step: true, 'step--current': isCurrent, 'step--done': done })}
              type="button"
              aria-current=${ifDefined(isCurrent ? 'step' : undefined)}
              ?disabled=${!isCurrent && (!this.#reachable(step) || sent)}
              @click=${() => void this.#goTo(step)}
            >
              <span class="step__number" aria-hidden="true">${done ? '✓' : i + 1}</span>
              <span class="step__name">${this.t(`quickSend.step.${step}`)}</span>
              ${done ? html`<span class="visually-hidden">(${this.t('quickSend.stepDone')})</span>` : nothing}
            </button>
          </li>`;
        })}
      </ol>
    </nav>`;
  }

  #renderFooter() {
    const sent = this._result?.type === 'sent';
    if (sent) {
      return html`<div part="footer" class="footer">
        <button class="button" type="button" @click=${this.#startOver}>${this.t('quickSend.newSend')}</button>
      </div>`;
    }
    const index = QUICK_SEND_STEPS.indexOf(this._step);
    const blocker = this._step === 'send' ? this.#blocker : undefined;
    const later = this._when === 'later';
    return html`<div part="footer" class="footer">
      <button class="button button--quiet" type="button" @click=${this.#cancel}>
        ${this.t('quickSend.cancel')}
      </button>
      <span class="footer__spacer"></span>
      ${
        index > 0
          ? html`<button class="button" type="button" ?disabled=${this._sending} @click=${this.#back}>
              ${this.t('quickSend.back')}
            </button>`
          : nothing
      }
      ${
        this._step === 'send'
          ? html`<button
              id="send"
              part="send-button"
              class="button button--primary"
              type="button"
              aria-disabled=${this._sending || blocker ? 'true' : 'false'}
              aria-describedby=${ifDefined(blocker ? 'send-blocker' : undefined)}
              @click=${() => void this.#send()}
            >
              ${
                this._sending
                  ? this.t('quickSend.sending')
                  : later
                    ? this.t('quickSend.schedule')
                    : this.t('quickSend.send')
              }
            </button>`
          : html`<button id="next" class="button button--primary" type="button" @click=${this.#next}>
              ${this.t('quickSend.continue')}
            </button>`
      }
    </div>`;
  }

  #renderPanelHeading() {
    const index = QUICK_SEND_STEPS.indexOf(this._step);
    return html`<h3 id="panel-heading" class="panel__heading" tabindex="-1">
      ${this.t('quickSend.stepOf', {
        n: index + 1,
        total: QUICK_SEND_STEPS.length,
        name: this.t(`quickSend.step.${this._step}`),
      })}
    </h3>`;
  }

  // ---------------------------------------------------------------------------------------------------
  // Render: recipients

  #renderRecipients() {
    // With no contacts at all there is nothing to search or select: the empty state says what to do.
    const empty = this.#contacts.status === 'empty' && this._selected.length === 0;
    return html`<div class="recipients">
      <div class="field" ?hidden=${empty}>
        <label for="contact-search">${this.t('quickSend.searchContacts')}</label>
        <input
          id="contact-search"
          part="search"
          class="control"
          type="search"
          autocomplete="off"
          placeholder=${this.t('quickSend.searchContactsPlaceholder')}
          aria-controls=${ifDefined(this.#contacts.status === 'complete' ? 'contacts' : undefined)}
          .value=${live(this._searchText)}
          @input=${this.#onSearchInput}
          @keydown=${this.#onSearchKeydown}
        />
      </div>
      ${renderStates(this.#contacts, this.localize, {
        initial: () =>
          this.#client.source === 'none'
            ? html`<p class="state state--initial">${this.t('error.noClient')}</p>`
            : nothing,
        pending: () =>
          html`<div class="skeleton-list">
            ${Array.from({ length: 4 }, () => html`<div class="skeleton"></div>`)}
          </div>`,
        error: (error, retry) => defaultError(this.localize, error, retry),
        empty: () => html`<p class="state__message">${this.t('quickSend.emptyContacts')}</p>`,
        complete: ({ q, page }) => this.#renderContactList(q, page),
        announceComplete: ({ page }) => this.t('quickSend.contactsFound', { count: page.total }),
        announceEmpty: () => this.t('quickSend.emptyContacts'),
      })}
      ${empty ? nothing : this.#renderSelection()}
    </div>`;
  }

  #renderContactList(q: string | undefined, page: ContactPage) {
    const contacts = [...page.items, ...this._moreContacts];
    const more = this.#moreContacts.status;
    if (contacts.length === 0) {
      return html`<p class="no-match">${this.t('quickSend.noMatch', { q: q ?? '' })}</p>`;
    }
    return html`<ul
        id="contacts"
        part="listbox"
        class="listbox"
        role="listbox"
        aria-multiselectable="true"
        aria-label=${this.t('quickSend.contacts')}
        @keydown=${this.#options.onKeydown}
        @focusin=${this.#options.onFocusin}
      >
        ${repeat(
          contacts,
          (c) => c.id,
          (c) =>
            renderOption(
              this.#t,
              { contact: c, person: personFromContact(c), selected: this._selected.includes(c.id) },
              { toggle: () => this.#toggle(c), keydown: (e) => this.#onOptionKeydown(e, c) },
            ),
        )}
      </ul>
      ${loadMore(this.localize, {
        status: more,
        error: this.#moreContacts.error,
        hasMore: !!this._contactsCursor,
        load: () => this.#loadMoreContacts(),
        errorText: this.t('quickSend.loadMoreError'),
        errorClass: 'inline-error',
        buttonClass: 'button button--small load-more',
      })}`;
  }

  #renderSelection() {
    const count = this._selected.length;
    return html`<div class="selection">
      <p part="count" class="selection__count" role="status" aria-live="polite">
        ${this.t('quickSend.selectedCount', { count })}
      </p>
      ${
        count
          ? html`<ul
              part="chips"
              class="chips"
              aria-label=${this.t('quickSend.selectedRecipients')}
              @keydown=${this.#onChipKeydown}
              @focusin=${this.#chips.onFocusin}
            >
              ${repeat(
                this._selected,
                (id) => id,
                (id) =>
                  renderChip(
                    this.#t,
                    {
                      id,
                      name: this.#name(id),
                      person: this.#person(id),
                      errors: this._serverErrors
                        .filter((e) => targetKey(e.target) === `recipient:${id}`)
                        .map((e) => e.message),
                      resolving: !this.#person(id) && this.#resolve.status === 'pending',
                      personal: this._overrides[id] !== undefined,
                    },
                    () => void this.#removeChip(id),
                  ),
              )}
            </ul>`
          : nothing
      }
    </div>`;
  }

  // ---------------------------------------------------------------------------------------------------
  // Render: personalize

  #renderPersonalize(journey: Journey) {
    const mode = this.effectiveMode;
    const steps = this.#scopeSteps;
    const target = this._target;
    return html`<div class="personalize">
      <div class="toolbar">
        ${
          mode === 'quick' && journey.steps.length > 1
            ? html`<div class="field">
                <label for="quick-step">${this.t('quickSend.quickStep')}</label>
                <select
                  id="quick-step"
                  class="control"
                  @change=${(e: Event) => (this._quickStepId = (e.target as HTMLSelectElement).value)}
                >
                  ${journey.steps.map(
                    (s) => html`<option value=${s.id} ?selected=${s.id === steps[0]?.id}>${s.name}</option>`,
                  )}
                </select>
              </div>`
            : nothing
        }
        <div class="field">
          <label for="target">${this.t('quickSend.target')}</label>
          <select
            id="target"
            part="target-select"
            class="control"
            @change=${(e: Event) => (this._target = (e.target as HTMLSelectElement).value)}
          >
            <option value="" ?selected=${!target}>
              ${this.t('quickSend.targetAll', { count: this._selected.length })}
            </option>
            ${this._selected.map(
              (id) =>
                html`<option value=${id} ?selected=${id === target}>
                  ${
                    this._overrides[id]
                      ? this.t('quickSend.targetOverridden', { name: this.#name(id) })
                      : this.#name(id)
                  }
                </option>`,
            )}
          </select>
        </div>
      </div>
      ${
        target
          ? html`<p class="note" id="target-note">
              ${this.t('quickSend.targetNote', { name: this.#name(target) })}
            </p>`
          : nothing
      }
      ${
        mode === 'journey'
          ? steps.map(
              (step) =>
                html`<fieldset class="step-blocks">
                  <legend>
                    ${step.name}
                    <span class="legend__detail"
                      >${
                        step.delayDays === 0
                          ? this.t('quickSend.stepImmediate')
                          : this.t('quickSend.stepDelay', { count: step.delayDays })
                      }</span
                    >
                  </legend>
                  ${this.#renderBlocks(step)}
                </fieldset>`,
            )
          : steps.map((step) => html`<div class="step-blocks">${this.#renderBlocks(step)}</div>`)
      }
    </div>`;
  }

  #renderBlocks(step: Step) {
    return repeat(
      step.blocks,
      (b) => b.id,
      (b) =>
        b.locked
          ? renderLockedBlock(this.#t, b, this.#loadedJourney?.mergeFields ?? [])
          : this.#renderEditableBlock(b, step),
    );
  }

  #renderEditableBlock(block: Block, step: Step) {
    // A block shared by several steps is edited once, where it first appears.
    const first = this.#scopeSteps.find((s) => s.blocks.some((b) => b.id === block.id));
    if (first && first !== step) return nothing;
    const target = this._target;
    const own = target ? this._overrides[target]?.[block.id] : undefined;
    const value = this.#textFor(block);
    const shared = this.#personalization[block.id];
    const key = targetKey(
      own !== undefined
        ? { kind: 'override', contactId: target, blockId: block.id }
        : { kind: 'block', blockId: block.id },
    );
    return renderEditableBlock(
      this.#t,
      {
        block,
        value,
        findings: checkBlock(block, own ?? shared),
        serverErrors: this._serverErrors.filter((e) => targetKey(e.target) === key).map((e) => e.message),
        ...(own !== undefined ? { overriddenFor: this.#name(target) } : {}),
        forOne: !!target,
        edited: target ? own !== undefined : shared !== undefined,
        mergeFields: insertableMergeFields(this.#loadedJourney?.mergeFields ?? []),
        menuOpen: this._menuFor === block.id,
      },
      {
        input: (text) => this.#setText(block, text),
        reset: () => this.#resetBlock(block),
        toggleMenu: () => this.#toggleMenu(block.id),
        insert: (mergeKey) => void this.#insertMergeField(block, mergeKey),
        menuKeydown: (e) => this.#onMenuKeydown(e),
        menuFocusout: (e) => this.#onMenuFocusout(e),
      },
    );
  }

  // ---------------------------------------------------------------------------------------------------
  // Render: preview

  #renderPreview(journey: Journey) {
    const total = this._selected.length;
    const index = Math.min(this._previewIndex, total - 1);
    const contactId = this.#previewContactId;
    const name = contactId ? this.#name(contactId) : '';
    const steps = this.#scopeSteps;
    return html`<div class="preview">
      <div part="preview-nav" class="preview-nav">
        <button
          class="button button--small"
          type="button"
          ?disabled=${index <= 0}
          @click=${() => (this._previewIndex = index - 1)}
        >
          <span aria-hidden="true">‹</span> ${this.t('quickSend.previous')}
        </button>
        <p class="preview-nav__position" role="status" aria-live="polite">
          <span class="preview-nav__count"
            >${this.t('quickSend.previewOf', { index: index + 1, total })}</span
          >
          <span class="preview-nav__name">${name}</span>
        </p>
        <button
          class="button button--small"
          type="button"
          ?disabled=${index >= total - 1}
          @click=${() => (this._previewIndex = index + 1)}
        >
          ${this.t('quickSend.nextRecipient')} <span aria-hidden="true">›</span>
        </button>
      </div>
      <div class="toolbar">
        ${
          this.effectiveMode === 'journey' && journey.steps.length > 1
            ? html`<div class="field">
                <label for="preview-step">${this.t('quickSend.previewStep')}</label>
                <select
                  id="preview-step"
                  class="control"
                  @change=${(e: Event) => (this._previewStepId = (e.target as HTMLSelectElement).value)}
                >
                  ${steps.map(
                    (s) =>
                      html`<option value=${s.id} ?selected=${s.id === this.#previewStep?.id}>
                        ${s.name}
                      </option>`,
                  )}
                </select>
              </div>`
            : nothing
        }
        <div class="segmented" role="group" aria-label=${this.t('quickSend.width')}>
          ${(['desktop', 'mobile'] as const).map(
            (w) =>
              html`<button
                class="button button--small"
                type="button"
                aria-pressed=${this._previewWidth === w ? 'true' : 'false'}
                @click=${() => (this._previewWidth = w)}
              >
                ${this.t(`quickSend.${w}`)}
              </button>`,
          )}
        </div>
        <button
          class="button button--small"
          type="button"
          aria-pressed=${this._showText ? 'true' : 'false'}
          @click=${() => (this._showText = !this._showText)}
        >
          ${this.t('quickSend.textVersion')}
        </button>
      </div>
      ${renderBatchSummary(this.#t, {
        status: this.#batch.status,
        batch: this.#batch.value,
        show: (id) => (this._previewIndex = Math.max(0, this._selected.indexOf(id))),
        nameOf: (id) => this.#name(id),
      })}
      ${renderStates(this.#preview, this.localize, {
        pending: () => html`<div class="skeleton skeleton--frame"></div>`,
        error: (error, retry) => defaultError(this.localize, error, retry),
        empty: () => nothing,
        complete: (preview) =>
          renderPreviewBody(this.#t, {
            preview,
            name,
            mobile: this._previewWidth === 'mobile',
            showText: this._showText,
            frameUrl: this.#client.value?.previewFrameUrl,
            canOpen: (issue) => this.#issueTarget(issue) !== undefined,
            open: (issue) => this.#openIssue(issue),
          }),
        announceComplete: (preview) =>
          this.t('quickSend.previewReady', {
            name,
            count: preview.issues.length,
          }),
      })}
    </div>`;
  }

  // ---------------------------------------------------------------------------------------------------
  // Render: send

  #renderSend(journey: Journey) {
    const result = this._result;
    if (result?.type === 'sent')
      return renderSent(this.#t, result.send, journey, (iso) => this.#formatTime(iso));
    const blocker = this.#blocker;
    const scheduleError = this._serverErrors.find((e) => e.target.kind === 'schedule');
    return html`<div class="send">
      ${renderSummary(this.#t, {
        journey,
        mode: this.effectiveMode,
        stepName: this.#scopeSteps[0]?.name ?? '',
        recipientNames: this._selected.map((id) => this.#name(id)),
        approvalExpected: this.#approvalExpected(journey),
      })}
      ${renderSchedule(
        this.#t,
        {
          when: this._when,
          local: this._scheduleLocal,
          invalid: this.#scheduleInvalid,
          ...(scheduleError ? { serverError: scheduleError.message } : {}),
          disabled: this._sending,
        },
        {
          now: () => this.#setWhen('now'),
          later: this.#chooseLater,
          input: (value) => {
            this._scheduleLocal = value;
            this._serverErrors = this._serverErrors.filter((e) => e.target.kind !== 'schedule');
          },
        },
      )}
      ${
        blocker && !this._sending
          ? html`<p id="send-blocker" class="blocker">
              ${blocker.message}
              ${
                blocker.fix
                  ? html`<button class="link" type="button" @click=${() => blocker.fix?.()}>
                      ${this.t('quickSend.showProblem')}
                    </button>`
                  : nothing
              }
            </p>`
          : nothing
      }
      ${this._sending ? html`<p class="sending" role="status">${this.t('quickSend.sending')}</p>` : nothing}
      ${
        result?.type === 'error'
          ? renderFailure(
              this.#t,
              {
                message: this.#errorMessage(result.error),
                fields: this._serverErrors.map((f) => ({ ...f, label: this.#targetLabel(f.target) })),
                retryable: isDmApiError(result.error) && result.error.kind !== 'validation',
              },
              { retry: () => void this.#send(), open: (target) => void this.#focusTarget(target) },
            )
          : nothing
      }
    </div>`;
  }

  #setWhen(when: 'now' | 'later'): void {
    this._when = when;
    this._serverErrors = this._serverErrors.filter((e) => e.target.kind !== 'schedule');
  }

  #chooseLater = (): void => {
    this.#setWhen('later');
    if (!this._scheduleLocal) {
      const inAnHour = new Date(Date.now() + 60 * 60 * 1000);
      inAnHour.setMinutes(0, 0, 0);
      inAnHour.setHours(inAnHour.getHours() + 1);
      this._scheduleLocal = toLocalInput(inAnHour);
    }
  };

  #approvalExpected(journey: Journey): boolean {
    const rule = journey.approvalRule;
    switch (rule.mode) {
      case 'always':
        return true;
      case 'over_recipients':
        return this._selected.length > (rule.threshold ?? 0);
      case 'edited':
        return (
          Object.keys(this.#personalization).length > 0 || Object.keys(this.#overridesForSend).length > 0
        );
      case 'warnings': {
        const batch = this.#batch.status === 'complete' ? this.#batch.value : undefined;
        return !!batch && batch.summary.warning > 0;
      }
      default:
        return false;
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Render

  #renderPanel() {
    const journey = this.#loadedJourney;
    let content: unknown;
    switch (this._step) {
      case 'recipients':
        content = this.#renderRecipients();
        break;
      case 'personalize':
        content = journey ? this.#renderPersonalize(journey) : nothing;
        break;
      case 'preview':
        content = journey ? this.#renderPreview(journey) : nothing;
        break;
      case 'send':
        content = journey ? this.#renderSend(journey) : nothing;
        break;
    }
    return html`<div part="panel" class="panel">
      ${this.#renderPanelHeading()} ${content}
      ${
        this._notice && this._step !== 'send'
          ? html`<p class="inline-error" role="alert">${this._notice}</p>`
          : nothing
      }
    </div>`;
  }

  #renderFlow() {
    return html`${this.#renderStepper()} ${this.#renderPanel()} ${this.#renderFooter()}`;
  }

  protected override render(): TemplateResult {
    const body = this.journeyId
      ? renderStates(this.#journey, this.localize, {
          initial: () =>
            this.#client.source === 'none'
              ? html`<p class="state state--initial">${this.t('error.noClient')}</p>`
              : nothing,
          pending: () =>
            html`<div class="skeleton-flow">
              <div class="skeleton skeleton--bar"></div>
              <div class="skeleton skeleton--panel"></div>
            </div>`,
          error: (error, retry) => defaultError(this.localize, error, retry),
          empty: () => nothing,
          complete: () => this.#renderFlow(),
          announceComplete: (journey) => this.t('quickSend.journeyReady', { name: journey.name }),
        })
      : this.#renderFlow();
    return html`<section
      part="base"
      class="base"
      lang=${this.resolvedLocale}
      aria-labelledby="title"
      @keydown=${this.#onBaseKeydown}
    >
      ${this.#renderHeader()}
      <div part="body" class="body">${body}</div>
    </section>`;
  }
}
