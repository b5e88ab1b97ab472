import { css } from 'lit';

export default css`
  :host {
    display: block;
    container-type: inline-size;
  }

  .base {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-l);
  }

  /* Header: search, sort, layout */
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--dm-space-m);
  }

  .field--search {
    flex: 3 1 14rem;
  }

  .field--sort {
    flex: 1 1 10rem;
  }

  .field__label {
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
    font-weight: var(--dm-font-weight-semibold);
  }

  .toggle {
    display: flex;
  }

  .toggle__button {
    padding-inline: var(--dm-space-m);
    border-radius: 0;
  }

  .toggle__button:first-child {
    border-start-start-radius: var(--dm-radius-m);
    border-end-start-radius: var(--dm-radius-m);
  }

  .toggle__button:last-child {
    margin-inline-start: calc(-1 * var(--dm-border-width));
    border-start-end-radius: var(--dm-radius-m);
    border-end-end-radius: var(--dm-radius-m);
  }

  .toggle__button[aria-pressed='true'] {
    border-color: var(--dm-color-accent);
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
  }

  .button--quiet {
    border-color: transparent;
    background: transparent;
  }

  /* Filters */
  .filters {
    display: flex;
    flex-direction: column;
    align-items: start;
    gap: var(--dm-space-s);
  }

  .filters__selects {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 11rem), 1fr));
    gap: var(--dm-space-m);
    align-self: stretch;
  }

  .filters__row {
    display: flex;
    align-items: center;
    gap: var(--dm-space-s);
    align-self: stretch;
    min-inline-size: 0;
    min-block-size: var(--dm-control-block-size);
  }

  .filters__row > .field__label {
    flex: none;
    white-space: nowrap;
  }

  .tags {
    display: flex;
    flex: 1 1 auto;
    gap: var(--dm-space-xs);
    min-inline-size: 0;
    margin: 0;
    padding-block: var(--dm-space-2xs);
    padding-inline: var(--dm-space-2xs);
    overflow-x: auto;
    list-style: none;
    scrollbar-width: thin;
  }

  .tags > li {
    flex: none;
  }

  .filters__clear {
    flex: none;
    margin-inline-start: auto;
  }

  .tag {
    display: inline-flex;
    white-space: nowrap;
    align-items: center;
    gap: var(--dm-space-xs);
    min-block-size: 2rem;
    padding-block: var(--dm-space-2xs);
    padding-inline: var(--dm-space-m);
    border: var(--dm-border-width) solid var(--dm-color-border-strong);
    border-radius: var(--dm-radius-pill);
    background: var(--dm-color-surface);
    color: var(--dm-color-text);
    font: inherit;
    font-size: var(--dm-font-size-s);
    cursor: pointer;
  }

  .tag:hover {
    background: var(--dm-color-surface-sunken);
  }

  .tag[aria-pressed='true'] {
    border-color: var(--dm-color-accent);
    background: var(--dm-color-accent);
    color: var(--dm-color-on-accent);
  }

  .tag__count {
    color: inherit;
    font-variant-numeric: tabular-nums;
    opacity: 0.8;
  }

  .count {
    /* Always one line tall, also while loading, so the cards do not move when the count appears. */
    min-block-size: calc(var(--dm-font-size-s) * var(--dm-line-height));
    margin: 0;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  /* Body: probes measure the card geometry from the tokens. */
  .body {
    position: relative;
  }

  .probes {
    position: absolute;
    inset-inline: 0;
    inset-block-start: 0;
    visibility: hidden;
    pointer-events: none;
  }

  .probe {
    position: absolute;
    inset-block-start: 0;
    inset-inline-start: 0;
  }

  .probe--card {
    inline-size: min(100%, var(--dm-showroom-columns-min, 17rem));
    block-size: var(--dm-showroom-card-block-size, 24rem);
  }

  .probe--row {
    inline-size: 100%;
    block-size: 9.5rem;
  }

  .probe--gap {
    inline-size: var(--dm-showroom-gap, var(--dm-space-l));
    block-size: 1px;
  }

  /* The virtualized list: the virtualizer positions each .item absolutely. */
  .list {
    margin: 0;
    padding: 0;
  }

  .list[hidden] {
    display: none !important;
  }

  .list:focus-visible {
    outline: var(--dm-focus-ring);
    outline-offset: var(--dm-focus-ring-offset);
  }

  .item {
    display: flex;
    min-inline-size: 0;
  }

  .card {
    display: flex;
    flex: 1;
    flex-direction: column;
    gap: var(--dm-space-s);
    min-inline-size: 0;
    min-block-size: 0;
    overflow: hidden;
    padding: var(--dm-space-l);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-l);
    background: var(--dm-color-surface-raised);
    box-shadow: var(--dm-shadow-s);
  }

  .card:focus-visible {
    outline: var(--dm-focus-ring);
    outline-offset: calc(-1 * var(--dm-focus-ring-width));
  }

  .card--selected {
    border-color: var(--dm-color-accent);
    box-shadow: 0 0 0 var(--dm-border-width) var(--dm-color-accent);
  }

  .card__main {
    display: flex;
    flex: 1 1 auto;
    flex-direction: column;
    gap: var(--dm-space-s);
    min-block-size: 0;
    overflow: hidden;
  }

  /* Thumbnails: a fixed box, so a loading image never moves anything. */
  .thumb {
    display: flex;
    flex: none;
    align-items: center;
    justify-content: center;
    aspect-ratio: 2 / 1;
    inline-size: 100%;
    overflow: hidden;
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface-sunken);
  }

  .thumb__image {
    display: block;
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }

  .thumb__placeholder {
    inline-size: 2.5rem;
    block-size: 2.5rem;
    fill: none;
    stroke: var(--dm-color-text-muted);
    stroke-width: 1.2;
  }

  /* One line each, so every card has room for its title and summary. */
  .card__badges {
    display: flex;
    flex: none;
    gap: var(--dm-space-xs);
    overflow: hidden;
  }

  .badge {
    flex: none;
    white-space: nowrap;
  }

  .badge {
    display: inline-flex;
    align-items: center;
    padding-block: var(--dm-space-2xs);
    padding-inline: var(--dm-space-s);
    border-radius: var(--dm-radius-pill);
    background: var(--dm-color-surface-sunken);
    color: var(--dm-color-text);
    font-size: var(--dm-font-size-s);
    line-height: var(--dm-line-height-tight);
  }

  .badge--category {
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
    font-weight: var(--dm-font-weight-semibold);
  }

  .badge--approval,
  .badge--locked {
    background: var(--dm-color-warning-subtle);
    color: var(--dm-color-on-warning-subtle);
  }

  .badge--editable {
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
  }

  .badge--selected {
    background: var(--dm-color-accent);
    color: var(--dm-color-on-accent);
  }

  .card__title {
    display: -webkit-box;
    margin: 0;
    overflow: hidden;
    font-size: var(--dm-font-size-l);
    font-weight: var(--dm-font-weight-semibold);
    line-height: var(--dm-line-height-tight);
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
  }

  .card__summary {
    display: -webkit-box;
    margin: 0;
    overflow: hidden;
    color: var(--dm-color-text-muted);
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
  }

  .card__facts {
    display: flex;
    flex: none;
    align-items: center;
    gap: var(--dm-space-xs) var(--dm-space-m);
    overflow: hidden;
    white-space: nowrap;
    margin: 0;
    padding: 0;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
    list-style: none;
  }

  .card__footer {
    display: flex;
    flex: none;
    gap: var(--dm-space-s);
  }

  .card__footer .button {
    display: block;
    flex: 1 1 auto;
    min-inline-size: 0;
    padding-inline: var(--dm-space-s);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .card__footer .button--primary {
    flex-grow: 2;
  }

  /* List layout: one row per journey. */
  .card--row {
    display: grid;
    grid-template-columns: 9rem minmax(0, 1fr) auto;
    align-items: center;
    gap: var(--dm-space-l);
  }

  .card--row .thumb {
    align-self: center;
  }

  .card--row .card__main {
    gap: var(--dm-space-xs);
  }

  .card--row .card__title {
    -webkit-line-clamp: 1;
    line-clamp: 1;
  }

  .card--row .card__summary {
    -webkit-line-clamp: 1;
    line-clamp: 1;
  }

  .card--row .card__footer {
    flex-direction: column;
  }

  /* Skeletons: the same boxes as the cards. */
  .skeleton {
    flex: 1;
    border-radius: var(--dm-radius-l);
    background: var(--dm-color-skeleton);
    animation: pulse var(--dm-duration-slow) var(--dm-easing) infinite alternate;
  }

  .skeleton--text {
    flex: none;
    block-size: 1rem;
    margin-block: var(--dm-space-s);
    border-radius: var(--dm-radius-s);
  }

  .skeleton--text + .skeleton--text {
    inline-size: 60%;
  }

  @keyframes pulse {
    to {
      opacity: 0.55;
    }
  }

  /* States */
  .state--empty,
  .state--error,
  .state--initial {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--dm-space-m);
    padding-block: var(--dm-space-2xl);
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
    margin: 0;
  }

  .state--initial {
    color: var(--dm-color-text-muted);
  }

  /* Footer: load more */
  .footer {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--dm-space-s);
    margin-block-start: var(--dm-space-l);
  }

  .footer__error {
    margin: 0;
    color: var(--dm-color-danger);
  }

  /* Details dialog */
  .dialog {
    inline-size: min(56rem, calc(100vw - 2 * var(--dm-space-l)));
    max-block-size: calc(100vh - 2 * var(--dm-space-l));
    padding: 0;
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-l);
    background: var(--dm-color-surface);
    box-shadow: var(--dm-shadow-m);
    color: var(--dm-color-text);
  }

  .dialog::backdrop {
    background: color-mix(in srgb, var(--dm-color-text) 45%, transparent);
  }

  .dialog[open] {
    display: flex;
    flex-direction: column;
  }

  .dialog__header,
  .dialog__footer {
    display: flex;
    flex: none;
    align-items: center;
    gap: var(--dm-space-m);
    padding-block: var(--dm-space-m);
    padding-inline: var(--dm-space-xl);
  }

  .dialog__header {
    justify-content: space-between;
    border-block-end: var(--dm-border-width) solid var(--dm-color-border);
  }

  .dialog__footer {
    justify-content: end;
    border-block-start: var(--dm-border-width) solid var(--dm-color-border);
  }

  .dialog__title {
    margin: 0;
    outline: none;
    font-size: var(--dm-font-size-xl);
    line-height: var(--dm-line-height-tight);
  }

  .dialog__body {
    display: flex;
    flex: 1 1 auto;
    flex-direction: column;
    gap: var(--dm-space-l);
    min-block-size: 0;
    overflow: auto;
    padding-block: var(--dm-space-l);
    padding-inline: var(--dm-space-xl);
  }

  .dialog__body > .thumb {
    max-inline-size: 24rem;
  }

  .dialog__summary {
    margin: 0;
  }

  .dialog__section {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-s);
  }

  .dialog__heading {
    margin: 0;
    font-size: var(--dm-font-size-l);
  }

  .dialog__subheading {
    margin: 0;
    font-size: var(--dm-font-size-m);
  }

  .steps {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-xs);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .step {
    display: grid;
    grid-template-columns: 5rem minmax(0, 1fr) auto;
    grid-template-areas: 'day name button' 'day subject button';
    align-items: center;
    column-gap: var(--dm-space-m);
    padding-block: var(--dm-space-s);
    padding-inline: var(--dm-space-m);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
  }

  .step__day {
    grid-area: day;
    font-weight: var(--dm-font-weight-semibold);
  }

  .step__name {
    grid-area: name;
    font-weight: var(--dm-font-weight-semibold);
  }

  .step__subject {
    grid-area: subject;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  .step__button {
    grid-area: button;
  }

  .step__button[aria-pressed='true'] {
    border-color: var(--dm-color-accent);
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
  }

  .preview {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-s);
  }

  .preview__subject {
    margin: 0;
    font-weight: var(--dm-font-weight-semibold);
  }

  .preview__frame,
  .preview__state {
    inline-size: 100%;
    block-size: 26rem;
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface);
  }

  .preview__state {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--dm-space-s);
    background: var(--dm-color-surface-sunken);
  }

  .preview__state--loading {
    flex: none;
  }

  .blocks {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-xs);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .block {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--dm-space-xs) var(--dm-space-s);
  }

  .block__label {
    min-inline-size: 10rem;
  }

  .block__rules,
  .note {
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  .note {
    margin: 0;
  }

  .approval {
    margin: 0;
  }

  .stats {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }

  .stats th,
  .stats td {
    padding-block: var(--dm-space-xs);
    padding-inline: var(--dm-space-m);
    border-block-end: var(--dm-border-width) solid var(--dm-color-border);
    text-align: start;
  }

  .stats thead th {
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  .stats__none {
    color: var(--dm-color-text-muted);
    font-style: italic;
  }

  /*
   * Right to left: the virtualizer positions cards with physical offsets from the left edge, so the
   * list itself runs left to right (cards fill the grid from the left) while each card's content runs
   * right to left.
   */
  :host(:dir(rtl)) .list {
    direction: ltr;
  }

  :host(:dir(rtl)) .item {
    direction: rtl;
  }

  @container (max-width: 36rem) {
    .field--search {
      flex-basis: 100%;
    }

    .filters__selects {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }

    .probe--row {
      block-size: 15rem;
    }

    .card--row {
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: minmax(0, 1fr) auto;
      align-items: stretch;
      gap: var(--dm-space-s);
    }

    .card--row .thumb {
      display: none;
    }

    .card--row .card__summary {
      -webkit-line-clamp: 2;
      line-clamp: 2;
    }

    .card--row .card__footer {
      flex-direction: row;
    }

    .step {
      grid-template-columns: minmax(0, 1fr) auto;
      grid-template-areas: 'day button' 'name button' 'subject button';
    }
  }
`;
