import { html, nothing, type TemplateResult } from 'lit';
import type { DataStatus } from './data.js';
import type { LocalizeController } from './localize.js';

/** What {@link renderStates} reads from a `DataController` (any args type). */
export interface DataView<T> {
  readonly status: DataStatus;
  readonly value: T | undefined;
  readonly error: unknown;
  readonly retry: () => Promise<void>;
}

export interface StateTemplates<T> {
  /** Before anything is loaded (e.g. no client yet). Default: nothing. */
  initial?: () => unknown;
  /** Loading placeholder (skeletons); shown inside `part="spinner"` and `slot="loading"`. */
  pending: () => unknown;
  /** Error content inside `part="error"` and `slot="error"`. Default: the localized message and a retry button. */
  error?: (error: unknown, retry: () => void) => unknown;
  /** Empty content inside `part="empty"` and `slot="empty"`. */
  empty: (value: T) => unknown;
  /** The loaded data. */
  complete: (value: T) => unknown;
  /** Text announced politely when loading completes (e.g. "24 journeys loaded"). */
  announceComplete?: (value: T) => string;
  /** Text announced politely when the result is empty. */
  announceEmpty?: (value: T) => string;
}

/**
 * Renders the state of a {@link DataController} the same way in every element:
 *
 * | state    | part      | slot      | announced |
 * |----------|-----------|-----------|-----------|
 * | pending  | `spinner` | `loading` | "Loading…" in the polite live region; `aria-busy` on the region |
 * | error    | `error`   | `error`   | the message, `role="alert"` |
 * | empty    | `empty`   | `empty`   | `announceEmpty` in the live region |
 * | complete | —         | —         | `announceComplete` in the live region |
 *
 * The live region is always rendered (an empty `role="status"` element) so that screen readers
 * notice changes to it; it must stay in the same place in the template.
 */
export function renderStates<T>(
  data: DataView<T>,
  localize: LocalizeController,
  templates: StateTemplates<T>,
): TemplateResult {
  const status = data.status;
  let announcement = '';
  let content: unknown = nothing;
  switch (status) {
    case 'initial':
      content = templates.initial?.() ?? nothing;
      break;
    case 'pending':
      announcement = localize.t('state.loading');
      content = html`<div part="spinner" class="state state--pending" aria-hidden="true">
        <slot name="loading">${templates.pending()}</slot>
      </div>`;
      break;
    case 'error': {
      const error = data.error;
      content = html`<div part="error" class="state state--error">
        <slot name="error">
          ${templates.error ? templates.error(error, data.retry) : defaultError(localize, error, data.retry)}
        </slot>
      </div>`;
      break;
    }
    case 'empty': {
      const value = data.value as T;
      announcement = templates.announceEmpty?.(value) ?? '';
      content = html`<div part="empty" class="state state--empty">
        <slot name="empty">${templates.empty(value)}</slot>
      </div>`;
      break;
    }
    case 'complete': {
      const value = data.value as T;
      announcement = templates.announceComplete?.(value) ?? '';
      content = templates.complete(value);
      break;
    }
  }
  return html`<div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      ${announcement}
    </div>
    <div class="states" aria-busy=${status === 'pending' ? 'true' : 'false'}>${content}</div>`;
}

/** The standard error body: the localized message (an alert) and a "Try again" button. */
export function defaultError(
  localize: LocalizeController,
  error: unknown,
  retry: () => void,
): TemplateResult {
  return html`<p class="state__message" role="alert">${localize.errorMessage(error)}</p>
    <button class="button" type="button" part="retry-button" @click=${() => void retry()}>
      ${localize.t('state.retry')}
    </button>`;
}

/** What {@link loadMore} shows: the next page's status and how to ask for it. */
export interface LoadMoreView {
  status: DataStatus;
  error: unknown;
  /** Whether there is a next page (a cursor). */
  hasMore: boolean;
  load: () => void;
  /** The text before the error's message, e.g. "Could not load more journeys." */
  errorText: string;
  errorClass: string;
  buttonClass: string;
}

/**
 * A paged list's tail: the error of the last "load more" (an alert) and the `load-more-button`, which
 * says "Loading…" (and ignores clicks) while the next page loads and "Try again" after a failure.
 */
export function loadMore(localize: LocalizeController, view: LoadMoreView): TemplateResult {
  const { status } = view;
  return html`${
    status === 'error'
      ? html`<p class=${view.errorClass} role="alert">
          ${view.errorText} ${localize.errorMessage(view.error)}
        </p>`
      : nothing
  }
  ${
    view.hasMore
      ? html`<button
          part="load-more-button"
          class=${view.buttonClass}
          type="button"
          aria-disabled=${status === 'pending' ? 'true' : 'false'}
          @click=${() => (status === 'pending' ? undefined : view.load())}
        >
          ${
            status === 'pending'
              ? localize.t('state.loadingMore')
              : status === 'error'
                ? localize.t('state.retry')
                : localize.t('showroom.loadMore')
          }
        </button>`
      : nothing
  }`;
}
