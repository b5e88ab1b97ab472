import { css } from 'lit';

export default css`
  :host {
    display: block;
    container-type: inline-size;
  }

  .base {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-m);
  }

  /* Filters */
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--dm-space-m);
  }

  .field--search {
    flex: 3 1 14rem;
  }

  .field--filter {
    flex: 1 1 10rem;
  }

  .field__error {
    margin: 0;
    color: var(--dm-color-danger);
    font-size: var(--dm-font-size-s);
  }

  .hints {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-xs) var(--dm-space-l);
    margin: 0;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  .kbd {
    display: inline-block;
    min-inline-size: 1.5em;
    padding-inline: var(--dm-space-xs);
    border: var(--dm-border-width) solid var(--dm-color-border-strong);
    border-block-end-width: calc(var(--dm-border-width) * 2);
    border-radius: var(--dm-radius-s);
    background: var(--dm-color-surface-raised);
    color: var(--dm-color-text);
    font-family: inherit;
    font-size: var(--dm-font-size-s);
    line-height: var(--dm-line-height-tight);
    text-align: center;
  }

  .button--quiet {
    border-color: transparent;
    background: transparent;
  }

  .button--danger {
    border-color: var(--dm-color-danger);
    background: var(--dm-color-danger);
    color: var(--dm-color-surface);
  }

  .button--danger:hover {
    background: var(--dm-color-danger);
    filter: brightness(0.92);
  }

  /* Bulk bar */
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--dm-space-s) var(--dm-space-m);
    padding: var(--dm-space-s) var(--dm-space-m);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface-raised);
  }

  .toolbar__count {
    font-weight: var(--dm-font-weight-semibold);
  }

  .bulk {
    display: flex;
    flex: 1 1 100%;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--dm-space-s) var(--dm-space-m);
  }

  .bulk progress {
    flex: 1 1 12rem;
    accent-color: var(--dm-color-accent);
  }

  .results {
    display: flex;
    flex: 1 1 100%;
    flex-wrap: wrap;
    gap: var(--dm-space-xs) var(--dm-space-m);
    max-block-size: 8rem;
    margin: 0;
    padding: 0;
    overflow: auto;
    list-style: none;
  }

  .result {
    display: inline-flex;
    align-items: center;
    gap: var(--dm-space-xs);
    font-size: var(--dm-font-size-s);
  }

  /* Notices */
  .notices {
    display: contents;
  }

  .notice {
    margin: 0;
    font-size: var(--dm-font-size-s);
  }

  .notice:empty {
    display: none;
  }

  .notice--alert {
    padding: var(--dm-space-s) var(--dm-space-m);
    border-inline-start: calc(var(--dm-border-width) * 4) solid var(--dm-color-danger);
    border-radius: var(--dm-radius-s);
    background: var(--dm-color-danger-subtle);
    color: var(--dm-color-on-danger-subtle);
  }

  /* Two columns when there is room */
  .body {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--dm-space-l);
  }

  @container (min-width: 52rem) {
    .body {
      grid-template-columns: minmax(18rem, 2fr) minmax(0, 3fr);
    }
  }

  .queue {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-s);
    min-inline-size: 0;
  }

  .count,
  .more {
    margin: 0;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  .list {
    block-size: var(--dm-approval-queue-list-block-size, 32rem);
    overflow: auto;
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface);
  }

  .row {
    display: flex;
    align-items: stretch;
    inline-size: 100%;
    block-size: var(--dm-approval-queue-row-block-size, 4.75rem);
    border-block-end: var(--dm-border-width) solid var(--dm-color-border);
    border-inline-start: calc(var(--dm-border-width) * 4) solid transparent;
  }

  .row--late {
    border-inline-start-color: var(--dm-color-on-warning-subtle);
  }

  .row--overdue {
    border-inline-start-color: var(--dm-color-danger);
  }

  .row--active {
    background: var(--dm-color-accent-subtle);
  }

  .row--selected:not(.row--active) {
    background: var(--dm-color-surface-sunken);
  }

  .row__check {
    flex: none;
    align-self: center;
    inline-size: 1.125rem;
    block-size: 1.125rem;
    margin-inline: var(--dm-space-m) 0;
    accent-color: var(--dm-color-accent);
  }

  .row__main {
    display: flex;
    flex: 1;
    flex-direction: column;
    justify-content: center;
    gap: var(--dm-space-2xs);
    min-inline-size: 0;
    padding-block: var(--dm-space-xs);
    padding-inline: var(--dm-space-m);
    border: 0;
    background: transparent;
    color: inherit;
    font: inherit;
    text-align: start;
    cursor: pointer;
  }

  .row__main:focus-visible {
    outline: var(--dm-focus-ring);
    outline-offset: calc(var(--dm-focus-ring-width) * -1);
  }

  .row__line,
  .row__meta {
    display: flex;
    align-items: center;
    gap: var(--dm-space-s);
    min-inline-size: 0;
    white-space: nowrap;
  }

  .row__title {
    overflow: hidden;
    font-weight: var(--dm-font-weight-semibold);
    text-overflow: ellipsis;
  }

  .row__meta {
    overflow: hidden;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
    text-overflow: ellipsis;
  }

  .row--active .row__meta {
    color: var(--dm-color-on-accent-subtle);
  }

  /* Badges: text always says what the colour says */
  .badge {
    display: inline-flex;
    flex: none;
    align-items: center;
    padding-inline: var(--dm-space-s);
    border: var(--dm-border-width) solid currentColor;
    border-radius: var(--dm-radius-pill);
    font-size: var(--dm-font-size-s);
    font-weight: var(--dm-font-weight-semibold);
    line-height: var(--dm-line-height-tight);
  }

  .badge--late,
  .badge--conflict,
  .badge--pending {
    background: var(--dm-color-warning-subtle);
    color: var(--dm-color-on-warning-subtle);
  }

  .badge--overdue,
  .badge--rejected,
  .badge--failed {
    background: var(--dm-color-danger-subtle);
    color: var(--dm-color-on-danger-subtle);
  }

  .badge--approved,
  .badge--edited {
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
  }

  .badge--withdrawn {
    background: var(--dm-color-surface-sunken);
    color: var(--dm-color-text-muted);
  }

  /* Detail pane */
  .detail {
    min-inline-size: 0;
    max-block-size: calc(var(--dm-approval-queue-list-block-size, 32rem) + 6rem);
    overflow: auto;
    padding: var(--dm-space-l);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface-raised);
  }

  .detail__none,
  .muted {
    margin: 0;
    color: var(--dm-color-text-muted);
  }

  .detail__content {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-l);
  }

  .detail__header {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-s);
  }

  .detail__title {
    margin: 0;
    font-size: var(--dm-font-size-l);
    line-height: var(--dm-line-height-tight);
  }

  .detail__meta,
  .detail__status,
  .detail__flag {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--dm-space-s);
    margin: 0;
  }

  .detail__meta {
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  .detail__flag {
    padding: var(--dm-space-s) var(--dm-space-m);
    border-radius: var(--dm-radius-s);
    background: var(--dm-color-warning-subtle);
    color: var(--dm-color-on-warning-subtle);
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-s);
  }

  .actions .kbd {
    background: transparent;
    color: inherit;
    border-color: currentColor;
  }

  .section {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-s);
  }

  .section__title {
    margin: 0;
    font-size: var(--dm-font-size-m);
  }

  .plain {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-xs);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .warning {
    display: flex;
    align-items: center;
    gap: var(--dm-space-s);
  }

  .sample {
    font-size: var(--dm-font-size-s);
  }

  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-s);
    font-size: var(--dm-font-size-s);
  }

  .redline {
    padding: var(--dm-space-s) var(--dm-space-m);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-s);
    background: var(--dm-color-surface);
  }

  .redline__label {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--dm-space-s);
    margin: 0 0 var(--dm-space-xs);
    font-size: var(--dm-font-size-s);
  }

  .redline__text {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  /* Insertions underlined, deletions struck through: not by colour alone. */
  ins {
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
    text-decoration: underline;
    text-decoration-thickness: calc(var(--dm-border-width) * 2);
  }

  del {
    background: var(--dm-color-danger-subtle);
    color: var(--dm-color-on-danger-subtle);
    text-decoration: line-through;
    text-decoration-thickness: calc(var(--dm-border-width) * 2);
  }

  .overrides summary {
    cursor: pointer;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  .envelope {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: var(--dm-space-2xs) var(--dm-space-m);
    margin: 0;
    font-size: var(--dm-font-size-s);
  }

  .envelope dt {
    color: var(--dm-color-text-muted);
  }

  .envelope dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .preview {
    inline-size: 100%;
    block-size: var(--dm-approval-queue-preview-block-size, 28rem);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-s);
    /* The email paints its own background; the frame is a neutral sheet. */
    background: var(--dm-color-surface);
  }

  .history {
    font-size: var(--dm-font-size-s);
  }

  .history time {
    color: var(--dm-color-text-muted);
    margin-inline-end: var(--dm-space-s);
  }

  .detail__reason {
    font-style: italic;
  }

  /* States */
  .state__message {
    margin: 0 0 var(--dm-space-m);
  }

  .skeletons {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-xs);
  }

  .skeleton {
    block-size: var(--dm-approval-queue-row-block-size, 4.75rem);
    border-radius: var(--dm-radius-s);
    background: var(--dm-color-skeleton);
  }

  .skeleton--tall {
    block-size: 12rem;
    margin-block-start: var(--dm-space-m);
  }

  /* Reject dialog */
  .dialog {
    inline-size: min(32rem, calc(100vw - 2 * var(--dm-space-l)));
    padding: var(--dm-space-l);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-l);
    background: var(--dm-color-surface);
    color: var(--dm-color-text);
    box-shadow: var(--dm-shadow-m);
  }

  .dialog::backdrop {
    background: color-mix(in srgb, var(--dm-color-text) 40%, transparent);
  }

  .dialog__form {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-m);
  }

  .dialog__title {
    margin: 0;
    font-size: var(--dm-font-size-l);
  }

  .dialog .actions {
    justify-content: flex-end;
  }

  textarea.control {
    resize: vertical;
  }
`;
