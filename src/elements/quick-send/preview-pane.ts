/**
 * Rendering of the Preview step's content for `<dm-quick-send>`: the envelope (subject, From,
 * Reply-To), the issues linked to their fields, the per-recipient check of the whole send, and the
 * server's HTML in a sandboxed frame (or its text version). Pure templates.
 */
import { html, nothing } from 'lit';
import { classMap } from 'lit/directives/class-map.js';
import type { Preview, PreviewBatch, PreviewIssue } from '../../contract/sends.js';
import type { Translate } from './block-editor.js';
import { emailFrame } from '../../internal/email-frame.js';

/**
 * The server's HTML for the sandboxed frame, with `<base target="_blank">` added: a click on a link
 * then asks for a new window, which the sandbox (no `allow-popups`) refuses, instead of loading the
 * link's site inside the preview. Nothing else changes.
 */
export function frameDocument(serverHtml: string): string {
  const base = '<base target="_blank">';
  // Right after <head>, else <html>, else the doctype: never before the doctype (quirks mode).
  for (const tag of [/<head\b[^>]*>/i, /<html\b[^>]*>/i, /<!doctype[^>]*>/i]) {
    if (tag.test(serverHtml)) return serverHtml.replace(tag, (open) => open + base);
  }
  return base + serverHtml;
}

export interface PreviewBodyView {
  readonly preview: Preview;
  /** The recipient's name, for the frame's title. */
  readonly name: string;
  readonly mobile: boolean;
  readonly showText: boolean;
  /** The server's preview page, when previews are hosted (`DmClient.previewFrameUrl`). */
  readonly frameUrl: string | undefined;
  /** Whether an issue can be taken to a field (a block editor or a recipient chip). */
  readonly canOpen: (issue: PreviewIssue) => boolean;
  readonly open: (issue: PreviewIssue) => void;
}

export function renderPreviewBody(t: Translate, view: PreviewBodyView) {
  const { preview } = view;
  return html`<dl part="envelope" class="envelope">
      <div class="envelope__row">
        <dt>${t('quickSend.subject')}</dt>
        <dd class="envelope__subject">${preview.subject}</dd>
      </div>
      ${
        preview.from
          ? html`<div class="envelope__row">
              <dt>${t('quickSend.from')}</dt>
              <dd>${preview.from}</dd>
            </div>`
          : nothing
      }
      ${
        preview.replyTo
          ? html`<div class="envelope__row">
              <dt>${t('quickSend.replyTo')}</dt>
              <dd>${preview.replyTo}</dd>
            </div>`
          : nothing
      }
    </dl>
    ${renderIssues(t, preview.issues, view)}
    ${
      view.showText
        ? html`<div
            part="text-version"
            class="text-version"
            role="region"
            tabindex="0"
            aria-label=${t('quickSend.textVersion')}
          >
            <pre class="text-version__text">${preview.text}</pre>
          </div>`
        : html`<div class=${classMap({ frame: true, 'frame--mobile': view.mobile })}>
            <iframe
              part="frame"
              class="frame__iframe"
              sandbox=""
              referrerpolicy="no-referrer"
              title=${t('quickSend.previewFrame', { name: view.name })}
              ${emailFrame(frameDocument(preview.html), view.frameUrl)}
            ></iframe>
          </div>`
    }`;
}

function renderIssues(t: Translate, issues: readonly PreviewIssue[], view: PreviewBodyView) {
  if (issues.length === 0) return html`<p class="issues-none">${t('quickSend.noIssues')}</p>`;
  const sorted = [...issues].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'blocking' ? -1 : 1,
  );
  return html`<section class="issues-wrap" aria-labelledby="issues-heading">
    <h4 id="issues-heading" class="issues__heading">${t('quickSend.issues')}</h4>
    <ul part="issues" class="issues">
      ${sorted.map((issue) => {
        const label = html`<span class="issue__code"
            >${t(`quickSend.issue.${issue.code}`)}${t('quickSend.colon')}</span
          >
          ${issue.message}`;
        const blocking = issue.severity === 'blocking';
        return html`<li part="issue" class=${classMap({ issue: true, [`issue--${issue.severity}`]: true })}>
          <span class=${classMap({ badge: true, 'badge--danger': blocking, 'badge--warning': !blocking })}>
            ${t(`quickSend.severity.${issue.severity}`)}
          </span>
          ${
            view.canOpen(issue)
              ? html`<button class="link" type="button" @click=${() => view.open(issue)}>${label}</button>`
              : html`<span>${label}</span>`
          }
        </li>`;
      })}
    </ul>
  </section>`;
}

export interface BatchView {
  readonly status: 'initial' | 'pending' | 'error' | 'complete' | 'empty';
  readonly batch: PreviewBatch | undefined;
  /** Flip the preview to this recipient. */
  readonly show: (contactId: string) => void;
  readonly nameOf: (contactId: string) => string;
}

/** "All 5 recipients can receive this email", or the counts and who is blocked. */
export function renderBatchSummary(t: Translate, view: BatchView) {
  if (view.status === 'pending') return html`<p class="batch">${t('quickSend.batchChecking')}</p>`;
  if (view.status === 'error') return html`<p class="batch">${t('quickSend.batchError')}</p>`;
  const batch = view.status === 'complete' ? view.batch : undefined;
  if (!batch) return nothing;
  const { recipients, ok, warning, blocking } = batch.summary;
  if (blocking === 0 && warning === 0) {
    return html`<p class="batch">${t('quickSend.batchOk', { count: recipients })}</p>`;
  }
  const flagged = batch.items.filter((i) => i.status !== 'ok');
  return html`<div class=${classMap({ batch: true, 'batch--blocking': blocking > 0 })}>
    <p class="batch__summary">${t('quickSend.batchSummary', { ok, warning, blocking })}</p>
    <ul class="batch__list">
      ${flagged.map(
        (item) =>
          html`<li>
            <button class="link" type="button" @click=${() => view.show(item.contactId)}>
              ${view.nameOf(item.contactId)}</button
            >${t('quickSend.colon')}${item.issues.map((i) => t(`quickSend.issue.${i.code}`)).join(', ')}
          </li>`,
      )}
    </ul>
  </div>`;
}
