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

  /* Header: filters */
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--dm-space-m);
  }

  .field--search {
    flex: 3 1 14rem;
  }

  .field--category,
  .field--sort {
    flex: 1 1 10rem;
  }

  .count {
    /* Always one line tall, also while loading, so the cards do not move when the count appears. */
    min-block-size: calc(var(--dm-font-size-s) * var(--dm-line-height));
    margin: 0;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  /* Cards */
  .list {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--dm-showroom-columns-min, 16rem)), 1fr));
    gap: var(--dm-showroom-gap, var(--dm-space-l));
    margin: 0;
    padding: 0;
    list-style: none;
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
    min-block-size: var(--dm-showroom-card-block-size, 18rem);
    padding: var(--dm-space-l);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-l);
    background: var(--dm-color-surface-raised);
    box-shadow: var(--dm-shadow-s);
  }

  .card:focus-visible {
    outline: var(--dm-focus-ring);
    outline-offset: var(--dm-focus-ring-offset);
  }

  .card--selected {
    border-color: var(--dm-color-accent);
    box-shadow: 0 0 0 var(--dm-border-width) var(--dm-color-accent);
  }

  .card__badges {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-xs);
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

  .badge--approval {
    background: var(--dm-color-warning-subtle);
    color: var(--dm-color-on-warning-subtle);
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
    -webkit-line-clamp: 3;
    line-clamp: 3;
  }

  .card__facts {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-xs) var(--dm-space-m);
    margin: 0;
    padding: 0;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
    list-style: none;
  }

  .card__footer {
    display: flex;
    margin-block-start: auto;
    padding-block-start: var(--dm-space-s);
  }

  .card__footer .button {
    inline-size: 100%;
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

  .skeleton {
    block-size: var(--dm-showroom-card-block-size, 18rem);
    border-radius: var(--dm-radius-l);
    background: var(--dm-color-skeleton);
    animation: pulse var(--dm-duration-slow) var(--dm-easing) infinite alternate;
  }

  @keyframes pulse {
    to {
      opacity: 0.55;
    }
  }

  /* Footer: load more */
  .footer {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--dm-space-s);
  }

  .footer__error {
    margin: 0;
    color: var(--dm-color-danger);
  }

  @container (max-width: 30rem) {
    .header {
      flex-direction: column;
      align-items: stretch;
    }

    .field--search,
    .field--category,
    .field--sort {
      flex: none;
    }
  }
`;
