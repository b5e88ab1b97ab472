import { css } from 'lit';

export default css`
  :host {
    display: block;
    container-type: inline-size;
  }

  [hidden] {
    display: none !important;
  }

  .base {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-l);
  }

  /* Header */
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    justify-content: space-between;
    gap: var(--dm-space-m);
  }

  .title {
    margin: 0;
    font-size: var(--dm-font-size-xl);
    font-weight: var(--dm-font-weight-semibold);
    line-height: var(--dm-line-height-tight);
  }

  .journey {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--dm-space-s);
  }

  .journey__name {
    margin: 0;
  }

  .journey__label {
    color: var(--dm-color-text-muted);
  }

  .field--journey {
    flex: 0 1 22rem;
  }

  .body,
  .body > .states {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-l);
  }

  .states {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-m);
  }

  .load-more {
    align-self: flex-start;
  }

  /* Badges */
  .badges {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-xs);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .badge {
    display: inline-flex;
    align-items: center;
    gap: var(--dm-space-2xs);
    padding-block: var(--dm-space-2xs);
    padding-inline: var(--dm-space-s);
    border-radius: var(--dm-radius-pill);
    background: var(--dm-color-surface-sunken);
    color: var(--dm-color-text);
    font-size: var(--dm-font-size-s);
    line-height: var(--dm-line-height-tight);
    white-space: nowrap;
  }

  .badge--accent {
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
  }

  .badge--warning,
  .badge--locked {
    background: var(--dm-color-warning-subtle);
    color: var(--dm-color-on-warning-subtle);
  }

  .badge--danger {
    background: var(--dm-color-danger-subtle);
    color: var(--dm-color-on-danger-subtle);
  }

  /* Small and quiet buttons, link-like buttons */
  .button--small {
    min-block-size: calc(var(--dm-control-block-size) * 0.8);
    padding-inline: var(--dm-space-m);
    font-size: var(--dm-font-size-s);
  }

  .button--quiet {
    border-color: transparent;
    background: transparent;
  }

  .button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.7;
  }

  .button[aria-pressed='true'] {
    border-color: var(--dm-color-accent);
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
  }

  .link {
    padding: 0;
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    text-align: start;
    text-decoration: underline;
    text-underline-offset: 0.2em;
    cursor: pointer;
  }

  .link:hover {
    text-decoration-thickness: 2px;
  }

  /* Stepper */
  .stepper {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-xs);
    margin: 0;
    padding: 0;
    list-style: none;
    counter-reset: step;
  }

  .stepper__item {
    flex: 1 1 8rem;
    display: flex;
  }

  .step {
    display: flex;
    flex: 1;
    align-items: center;
    gap: var(--dm-space-s);
    padding-block: var(--dm-space-s);
    padding-inline: var(--dm-space-s);
    border: 0;
    border-block-end: calc(var(--dm-border-width) * 3) solid var(--dm-color-border);
    background: transparent;
    color: var(--dm-color-text-muted);
    font: inherit;
    text-align: start;
    cursor: pointer;
  }

  .step:disabled {
    cursor: not-allowed;
  }

  .step--done {
    border-block-end-color: var(--dm-color-accent);
    color: var(--dm-color-text);
  }

  .step--current {
    border-block-end-color: var(--dm-color-accent);
    color: var(--dm-color-text);
    font-weight: var(--dm-font-weight-semibold);
  }

  .step__number {
    display: inline-grid;
    place-items: center;
    flex: none;
    inline-size: 1.75em;
    block-size: 1.75em;
    border: var(--dm-border-width) solid currentColor;
    border-radius: var(--dm-radius-pill);
    font-size: var(--dm-font-size-s);
  }

  .step--current .step__number,
  .step--done .step__number {
    border-color: var(--dm-color-accent);
    background: var(--dm-color-accent);
    color: var(--dm-color-on-accent);
  }

  /* Panel */
  .panel {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-l);
    min-inline-size: 0;
  }

  .panel__heading {
    margin: 0;
    font-size: var(--dm-font-size-l);
    font-weight: var(--dm-font-weight-semibold);
  }

  .panel__heading:focus {
    outline: none;
  }

  .panel__heading:focus-visible {
    outline: var(--dm-focus-ring);
    outline-offset: var(--dm-focus-ring-offset);
  }

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--dm-space-m);
  }

  .toolbar .field {
    flex: 0 1 18rem;
  }

  .note {
    margin: 0;
    padding-block: var(--dm-space-s);
    padding-inline: var(--dm-space-m);
    border-inline-start: calc(var(--dm-border-width) * 4) solid var(--dm-color-accent);
    border-radius: var(--dm-radius-s);
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
  }

  .note--warning {
    border-inline-start-color: var(--dm-color-on-warning-subtle);
    background: var(--dm-color-warning-subtle);
    color: var(--dm-color-on-warning-subtle);
  }

  .inline-error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--dm-space-s);
    margin: 0;
    color: var(--dm-color-danger);
  }

  .hint {
    margin: 0;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  /* Recipients */
  .recipients {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-m);
  }

  .listbox {
    max-block-size: var(--dm-quick-send-list-block-size, 18rem);
    margin: 0;
    padding: var(--dm-space-2xs);
    overflow-y: auto;
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
    list-style: none;
  }

  .option {
    display: flex;
    align-items: center;
    gap: var(--dm-space-s);
    padding-block: var(--dm-space-xs);
    padding-inline: var(--dm-space-s);
    border-radius: var(--dm-radius-s);
    cursor: pointer;
  }

  .option:hover {
    background: var(--dm-color-surface-sunken);
  }

  .option:focus-visible {
    outline: var(--dm-focus-ring);
    outline-offset: calc(var(--dm-focus-ring-width) * -1);
  }

  .option--selected {
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
  }

  .option--disabled {
    color: var(--dm-color-text-muted);
    cursor: not-allowed;
  }

  .option__check {
    display: inline-grid;
    place-items: center;
    flex: none;
    inline-size: 1.125rem;
    block-size: 1.125rem;
    border: var(--dm-border-width) solid var(--dm-color-border-strong);
    border-radius: var(--dm-radius-s);
    background: var(--dm-color-surface);
    color: var(--dm-color-accent);
    font-size: var(--dm-font-size-s);
    line-height: 1;
  }

  .option--selected .option__check {
    border-color: var(--dm-color-accent);
    background: var(--dm-color-accent);
    color: var(--dm-color-on-accent);
  }

  .option__text {
    display: flex;
    flex: 1;
    flex-direction: column;
    min-inline-size: 0;
  }

  .option__name {
    font-weight: var(--dm-font-weight-semibold);
  }

  .option__detail {
    overflow: hidden;
    color: inherit;
    font-size: var(--dm-font-size-s);
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .no-match {
    margin: 0;
    color: var(--dm-color-text-muted);
  }

  .selection {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-s);
  }

  .selection__count {
    margin: 0;
    font-weight: var(--dm-font-weight-semibold);
  }

  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-xs);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .chips__item {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-2xs);
  }

  .chip {
    display: inline-flex;
    align-items: center;
    gap: var(--dm-space-xs);
    padding-block: var(--dm-space-2xs);
    padding-inline: var(--dm-space-m) var(--dm-space-s);
    border: var(--dm-border-width) solid var(--dm-color-border-strong);
    border-radius: var(--dm-radius-pill);
    background: var(--dm-color-surface-raised);
    color: var(--dm-color-text);
    font: inherit;
    font-size: var(--dm-font-size-s);
    cursor: pointer;
  }

  .chip:hover {
    background: var(--dm-color-surface-sunken);
  }

  .chip--problem {
    border-color: var(--dm-color-danger);
    background: var(--dm-color-danger-subtle);
    color: var(--dm-color-on-danger-subtle);
  }

  .chip__reason {
    font-style: italic;
  }

  .chip__remove {
    font-size: var(--dm-font-size-l);
    line-height: 1;
  }

  .chip__error {
    max-inline-size: 20rem;
    color: var(--dm-color-danger);
    font-size: var(--dm-font-size-s);
  }

  /* Personalize */
  .personalize {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-m);
  }

  .step-blocks {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-m);
    min-inline-size: 0;
    margin: 0;
    padding: 0;
    border: 0;
  }

  fieldset.step-blocks {
    padding: var(--dm-space-m);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-l);
  }

  legend {
    padding-inline: var(--dm-space-xs);
    font-weight: var(--dm-font-weight-semibold);
  }

  .legend__detail {
    margin-inline-start: var(--dm-space-s);
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
    font-weight: var(--dm-font-weight-normal);
  }

  .block {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-xs);
    padding: var(--dm-space-m);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface);
  }

  .block--locked {
    border-style: dashed;
    background: var(--dm-color-surface-raised);
    color: var(--dm-color-text-muted);
  }

  .block--invalid {
    border-color: var(--dm-color-danger);
  }

  .block--overridden {
    border-inline-start: calc(var(--dm-border-width) * 4) solid var(--dm-color-accent);
  }

  .block__head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--dm-space-s);
  }

  .block__label {
    color: var(--dm-color-text);
    font-weight: var(--dm-font-weight-semibold);
  }

  .block__locked-text {
    margin: 0;
  }

  .token {
    padding-inline: var(--dm-space-xs);
    border-radius: var(--dm-radius-s);
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
    white-space: nowrap;
  }

  .editor {
    min-block-size: calc(var(--dm-control-block-size) * 1.5);
    max-block-size: 24rem;
    /* Grows with its text where supported; \`rows\` is the fallback. */
    field-sizing: content;
    resize: vertical;
    line-height: var(--dm-line-height);
  }

  .editor[aria-invalid='true'] {
    border-color: var(--dm-color-danger);
  }

  .block__tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--dm-space-s);
  }

  .block__actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-xs);
  }

  .counter {
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
    font-variant-numeric: tabular-nums;
  }

  .counter--over {
    color: var(--dm-color-danger);
    font-weight: var(--dm-font-weight-semibold);
  }

  .findings {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-2xs);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .findings:empty {
    display: none;
  }

  .finding {
    color: var(--dm-color-danger);
    font-size: var(--dm-font-size-s);
  }

  .finding::before {
    content: '⚠ ';
  }

  .merge {
    position: relative;
  }

  .menu {
    position: absolute;
    inset-block-start: calc(100% + var(--dm-space-2xs));
    inset-inline-end: 0;
    z-index: 1;
    display: flex;
    flex-direction: column;
    min-inline-size: 14rem;
    padding: var(--dm-space-2xs);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface-raised);
    box-shadow: var(--dm-shadow-m);
  }

  .menu__item {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    padding-block: var(--dm-space-xs);
    padding-inline: var(--dm-space-s);
    border: 0;
    border-radius: var(--dm-radius-s);
    background: transparent;
    color: var(--dm-color-text);
    font: inherit;
    text-align: start;
    cursor: pointer;
  }

  .menu__item:hover,
  .menu__item:focus-visible {
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
  }

  .menu__code {
    color: inherit;
    font-size: var(--dm-font-size-s);
  }

  /* Preview */
  .preview {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-m);
  }

  .preview-nav {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--dm-space-s);
  }

  .preview-nav__position {
    display: flex;
    flex-direction: column;
    align-items: center;
    margin: 0;
    text-align: center;
  }

  .preview-nav__count {
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  .preview-nav__name {
    font-weight: var(--dm-font-weight-semibold);
  }

  .segmented {
    display: inline-flex;
    gap: var(--dm-space-2xs);
  }

  .batch {
    margin: 0;
    color: var(--dm-color-text-muted);
  }

  .batch--blocking .batch__summary {
    color: var(--dm-color-danger);
    font-weight: var(--dm-font-weight-semibold);
  }

  .batch__summary {
    margin: 0;
  }

  .batch__list {
    margin: 0;
    margin-block-start: var(--dm-space-xs);
    padding-inline-start: var(--dm-space-l);
    color: var(--dm-color-text);
  }

  .envelope {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-2xs);
    margin: 0;
    padding: var(--dm-space-m);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface-raised);
  }

  .envelope__row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-s);
  }

  .envelope dt {
    min-inline-size: 6rem;
    color: var(--dm-color-text-muted);
  }

  .envelope dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .envelope__subject {
    font-weight: var(--dm-font-weight-semibold);
  }

  .issues__heading {
    margin: 0;
    margin-block-end: var(--dm-space-xs);
    font-size: var(--dm-font-size-m);
    font-weight: var(--dm-font-weight-semibold);
  }

  .issues {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-xs);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .issue {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--dm-space-s);
  }

  .issue__code {
    font-weight: var(--dm-font-weight-semibold);
  }

  .issues-none {
    margin: 0;
    color: var(--dm-color-text-muted);
  }

  .frame {
    display: flex;
    justify-content: center;
    padding: var(--dm-space-s);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface-sunken);
  }

  .frame__iframe {
    inline-size: 100%;
    block-size: var(--dm-quick-send-frame-block-size, 36rem);
    border: 0;
    border-radius: var(--dm-radius-s);
    /* Emails are designed for a light canvas and bring their own background. */
    color-scheme: light;
  }

  .frame--mobile .frame__iframe {
    inline-size: min(100%, var(--dm-quick-send-mobile-inline-size, 375px));
  }

  .text-version {
    max-block-size: var(--dm-quick-send-frame-block-size, 36rem);
    overflow: auto;
    padding: var(--dm-space-m);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface-raised);
  }

  .text-version__text {
    margin: 0;
    font-size: var(--dm-font-size-s);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  /* Send */
  .send {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-m);
  }

  .summary {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-xs);
    margin: 0;
  }

  .summary__row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-s);
  }

  .summary dt {
    min-inline-size: 7rem;
    color: var(--dm-color-text-muted);
  }

  .summary dd {
    margin: 0;
  }

  .schedule {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-s);
    margin: 0;
    padding: var(--dm-space-m);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
  }

  .radio {
    display: inline-flex;
    align-items: center;
    gap: var(--dm-space-s);
  }

  .radio input {
    margin: 0;
    accent-color: var(--dm-color-accent);
  }

  .field--schedule {
    max-inline-size: 18rem;
  }

  .field--schedule .control[aria-invalid='true'] {
    border-color: var(--dm-color-danger);
  }

  .blocker {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-s);
    margin: 0;
    padding-block: var(--dm-space-s);
    padding-inline: var(--dm-space-m);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-danger-subtle);
    color: var(--dm-color-on-danger-subtle);
  }

  .sending {
    margin: 0;
    font-weight: var(--dm-font-weight-semibold);
  }

  .result {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-xs);
    padding: var(--dm-space-l);
    border: var(--dm-border-width) solid var(--dm-color-accent);
    border-radius: var(--dm-radius-l);
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
  }

  .result p {
    margin: 0;
  }

  .result--pending {
    border-color: var(--dm-color-on-warning-subtle);
    background: var(--dm-color-warning-subtle);
    color: var(--dm-color-on-warning-subtle);
  }

  .result--failed {
    border-color: var(--dm-color-danger);
    background: var(--dm-color-danger-subtle);
    color: var(--dm-color-on-danger-subtle);
  }

  .result__title {
    font-size: var(--dm-font-size-l);
    font-weight: var(--dm-font-weight-semibold);
  }

  .result__reference {
    font-size: var(--dm-font-size-s);
  }

  .result__fields {
    margin: 0;
    padding-inline-start: var(--dm-space-l);
  }

  .result .button {
    align-self: flex-start;
  }

  /* Footer */
  .footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--dm-space-s);
    padding-block-start: var(--dm-space-m);
    border-block-start: var(--dm-border-width) solid var(--dm-color-border);
  }

  .footer__spacer {
    flex: 1;
  }

  /* States */
  .state--empty,
  .state--error,
  .state--initial {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--dm-space-m);
    margin: 0;
    padding-block: var(--dm-space-xl);
    padding-inline: var(--dm-space-l);
    border: var(--dm-border-width) dashed var(--dm-color-border);
    border-radius: var(--dm-radius-l);
    text-align: center;
  }

  .state--error {
    border-style: solid;
    border-color: var(--dm-color-danger);
    background: var(--dm-color-danger-subtle);
    color: var(--dm-color-on-danger-subtle);
  }

  .state__message {
    max-inline-size: 40rem;
    margin: 0;
  }

  .state--initial {
    color: var(--dm-color-text-muted);
  }

  .skeleton-list,
  .skeleton-flow {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-s);
  }

  .skeleton {
    block-size: 2.75rem;
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-skeleton);
    animation: pulse var(--dm-duration-slow) var(--dm-easing) infinite alternate;
  }

  .skeleton--bar {
    block-size: 2.5rem;
  }

  .skeleton--panel {
    block-size: 16rem;
  }

  .skeleton--frame {
    block-size: var(--dm-quick-send-frame-block-size, 36rem);
  }

  @keyframes pulse {
    to {
      opacity: 0.55;
    }
  }

  @container (max-width: 32rem) {
    .header,
    .toolbar {
      flex-direction: column;
      align-items: stretch;
    }

    .toolbar .field,
    .field--journey {
      flex: none;
    }

    .step__name {
      font-size: var(--dm-font-size-s);
    }

    .stepper__item {
      flex-basis: 40%;
    }

    .footer .button {
      flex: 1 1 auto;
    }

    .footer__spacer {
      display: none;
    }
  }
`;
