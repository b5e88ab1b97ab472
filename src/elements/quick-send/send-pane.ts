/**
 * Rendering of the Send step's pieces for `<dm-quick-send>`: what is about to go out, "now or later",
 * and the outcome — accepted, scheduled, waiting for approval, or failed with the reasons linked to the
 * fields they name. Pure templates.
 */
import { html, nothing } from 'lit';
import { classMap } from 'lit/directives/class-map.js';
import { live } from 'lit/directives/live.js';
import type { Journey } from '../../contract/journeys.js';
import type { Send } from '../../contract/sends.js';
import type { Translate } from './block-editor.js';
import { toLocalInput, type FieldTarget } from './send-draft.js';

export interface SummaryView {
  readonly journey: Journey;
  readonly mode: 'quick' | 'journey';
  /** Name of the step a quick send sends. */
  readonly stepName: string;
  readonly recipientNames: readonly string[];
  readonly approvalExpected: boolean;
}

export function renderSummary(t: Translate, view: SummaryView) {
  const { journey, recipientNames } = view;
  const shown = recipientNames.slice(0, 3);
  const more = recipientNames.length - shown.length;
  return html`<dl class="summary">
      <div class="summary__row">
        <dt>${t('quickSend.journey')}</dt>
        <dd>${journey.name}</dd>
      </div>
      <div class="summary__row">
        <dt>${t('quickSend.recipients')}</dt>
        <dd>
          ${t('quickSend.selectedCount', { count: recipientNames.length })}${t('quickSend.colon')}
          ${shown.join(', ')}${more > 0 ? ` ${t('quickSend.andMore', { count: more })}` : ''}
        </dd>
      </div>
      <div class="summary__row">
        <dt>${t('quickSend.emails')}</dt>
        <dd>
          ${
            view.mode === 'journey'
              ? t('quickSend.journeyEmails', { count: journey.steps.length })
              : `${t('quickSend.oneEmail')}${t('quickSend.colon')}${view.stepName}`
          }
        </dd>
      </div>
    </dl>
    ${
      view.approvalExpected
        ? html`<p class="note note--warning">
            ${t('quickSend.approvalNote', { approver: t(`quickSend.approver.${journey.approvalRule.approver}`) })}
          </p>`
        : nothing
    }`;
}

export interface ScheduleView {
  readonly when: 'now' | 'later';
  /** The `datetime-local` value. */
  readonly local: string;
  readonly invalid: boolean;
  /** The server's reason for refusing the time, if it did. */
  readonly serverError?: string;
  readonly disabled: boolean;
}

export function renderSchedule(
  t: Translate,
  view: ScheduleView,
  on: { readonly now: () => void; readonly later: () => void; readonly input: (value: string) => void },
) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return html`<fieldset part="schedule" class="schedule">
    <legend>${t('quickSend.when')}</legend>
    <label class="radio">
      <input
        type="radio"
        name="when"
        value="now"
        .checked=${live(view.when === 'now')}
        ?disabled=${view.disabled}
        @change=${on.now}
      />
      ${t('quickSend.sendNow')}
    </label>
    <label class="radio">
      <input
        type="radio"
        name="when"
        value="later"
        .checked=${live(view.when === 'later')}
        ?disabled=${view.disabled}
        @change=${on.later}
      />
      ${t('quickSend.sendLater')}
    </label>
    ${
      view.when === 'later'
        ? html`<div class="field field--schedule">
            <label for="schedule-at">${t('quickSend.scheduleAt')}</label>
            <input
              id="schedule-at"
              class="control"
              type="datetime-local"
              min=${toLocalInput(new Date())}
              aria-invalid=${view.invalid || view.serverError ? 'true' : 'false'}
              aria-describedby="schedule-hint"
              .value=${live(view.local)}
              ?disabled=${view.disabled}
              @input=${(e: Event) => on.input((e.target as HTMLInputElement).value)}
            />
            <p id="schedule-hint" class="hint">
              ${
                view.invalid
                  ? t('quickSend.scheduleInvalid')
                  : (view.serverError ?? t('quickSend.scheduleHint', { zone }))
              }
            </p>
          </div>`
        : nothing
    }
  </fieldset>`;
}

export interface FailureView {
  /** The localized reason. */
  readonly message: string;
  readonly fields: ReadonlyArray<{
    readonly target: FieldTarget;
    readonly label: string;
    readonly message: string;
  }>;
  /** Offer "Try again" (the same send, the same Idempotency-Key). */
  readonly retryable: boolean;
}

export function renderFailure(
  t: Translate,
  view: FailureView,
  on: { readonly retry: () => void; readonly open: (target: FieldTarget) => void },
) {
  return html`<div id="result" part="result" class="result result--failed" tabindex="-1" role="alert">
    <p class="result__title">${t('quickSend.result.failed')}</p>
    <p>${view.message}</p>
    ${
      view.fields.length
        ? html`<p>${t('quickSend.result.fixFields')}</p>
            <ul class="result__fields">
              ${view.fields.map(
                (f) =>
                  html`<li>
                    ${
                      f.target.kind === 'general'
                        ? html`<span>${f.message}</span>`
                        : html`<button class="link" type="button" @click=${() => on.open(f.target)}>
                            ${f.label}${t('quickSend.colon')}${f.message}
                          </button>`
                    }
                  </li>`,
              )}
            </ul>`
        : nothing
    }
    ${
      view.retryable
        ? html`<button class="button button--small" type="button" @click=${on.retry}>
            ${t('state.retry')}
          </button>`
        : nothing
    }
  </div>`;
}

/** The accepted send: on its way, scheduled, or waiting for approval. */
export function renderSent(t: Translate, send: Send, journey: Journey, formatTime: (iso: string) => string) {
  let message: string;
  let kind: 'ok' | 'pending' | 'failed' = 'ok';
  if (send.status === 'pending_approval') {
    kind = 'pending';
    message = t('quickSend.result.pending', {
      approver: t(`quickSend.approver.${journey.approvalRule.approver}`),
    });
  } else if (send.status === 'scheduled' && send.scheduledAt) {
    message = t('quickSend.result.scheduled', { time: formatTime(send.scheduledAt) });
  } else if (send.status === 'rejected' || send.status === 'cancelled' || send.status === 'failed') {
    kind = 'failed';
    message = t(`quickSend.result.${send.status}`);
  } else {
    message = t('quickSend.result.sent', { count: send.recipientCount });
  }
  const title =
    kind === 'pending'
      ? t('quickSend.result.pendingTitle')
      : kind === 'failed'
        ? t('quickSend.result.failed')
        : t('quickSend.result.sentTitle');
  return html`<div
    id="result"
    part="result"
    class=${classMap({ result: true, [`result--${kind}`]: true })}
    tabindex="-1"
    role="status"
  >
    <p class="result__title">${title}</p>
    <p>${message}</p>
    <p class="result__reference">${t('quickSend.result.reference', { id: send.id })}</p>
  </div>`;
}
