import { css } from 'lit';

export default css`
  :host {
    display: block;
    container-type: inline-size;
    /* Series colours: component tokens over system tokens (3:1 against the surface in both themes). */
    --_color-delivered: var(--dm-engagement-chart-color-delivered, var(--dm-color-text-muted));
    --_color-opened: var(--dm-engagement-chart-color-opened, var(--dm-color-accent));
    --_color-machine-opened: var(--dm-engagement-chart-color-machine-opened, var(--dm-color-border-strong));
    --_color-clicked: var(--dm-engagement-chart-color-clicked, var(--dm-color-on-warning-subtle));
    --_color-bounced: var(--dm-engagement-chart-color-bounced, var(--dm-color-danger));
    --_color-unsubscribed: var(--dm-engagement-chart-color-unsubscribed, var(--dm-color-text));
    --_color-grid: var(--dm-color-border);
    --_color-axis: var(--dm-color-text-muted);
    --_block-size: var(--dm-engagement-chart-block-size, 18rem);
  }

  .base {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-l);
  }

  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--dm-space-m);
  }

  .header .field {
    flex: 1 1 9rem;
  }

  .custom-range {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--dm-space-s);
  }

  .custom-range .field {
    flex: 1 1 9rem;
  }

  .range-error {
    margin: 0;
    color: var(--dm-color-danger);
    font-size: var(--dm-font-size-s);
  }

  .metrics {
    display: flex;
    flex-wrap: wrap;
    gap: var(--dm-space-xs) var(--dm-space-m);
    margin: 0;
    padding: 0;
    border: 0;
  }

  .metrics legend {
    margin-block-end: var(--dm-space-xs);
    padding: 0;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
    font-weight: var(--dm-font-weight-semibold);
  }

  .metric {
    display: inline-flex;
    align-items: center;
    gap: var(--dm-space-xs);
    min-block-size: 1.5rem;
    cursor: pointer;
  }

  .swatch {
    display: inline-block;
    inline-size: 0.875rem;
    block-size: 0.875rem;
    border-radius: var(--dm-radius-s);
  }

  .swatch--delivered {
    background: var(--_color-delivered);
  }
  .swatch--opened {
    background: var(--_color-opened);
  }
  .swatch--machineOpened {
    background: var(--_color-machine-opened);
  }
  .swatch--clicked {
    background: var(--_color-clicked);
  }
  .swatch--bounced {
    background: var(--_color-bounced);
  }
  .swatch--unsubscribed {
    background: var(--_color-unsubscribed);
  }

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--dm-space-s) var(--dm-space-l);
  }

  .toolbar .spacer {
    flex: 1;
  }

  .live-indicator {
    display: inline-flex;
    align-items: center;
    gap: var(--dm-space-xs);
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  .live-dot {
    inline-size: 0.5rem;
    block-size: 0.5rem;
    border-radius: var(--dm-radius-pill);
    background: var(--dm-color-accent);
  }

  :host(:state(paused)) .live-dot {
    background: var(--dm-color-border-strong);
  }

  .tiles {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr));
    gap: var(--dm-space-s);
    margin: 0;
  }

  .tile {
    display: flex;
    flex-direction: column-reverse;
    justify-content: flex-end;
    gap: var(--dm-space-2xs);
    padding: var(--dm-space-s) var(--dm-space-m);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface-raised);
  }

  .tile dt {
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  .tile dd {
    margin: 0;
    font-size: var(--dm-font-size-xl);
    font-weight: var(--dm-font-weight-semibold);
    line-height: var(--dm-line-height-tight);
  }

  .tile .benchmark {
    display: block;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
    font-weight: var(--dm-font-weight-normal);
  }

  .summary-text,
  .note {
    margin: 0;
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
  }

  .chart {
    position: relative;
    block-size: var(--_block-size);
    border-radius: var(--dm-radius-m);
  }

  .chart canvas {
    display: block;
  }

  .chart:focus-visible {
    outline: var(--dm-focus-ring);
    outline-offset: var(--dm-focus-ring-offset);
  }

  .skeleton {
    block-size: var(--_block-size);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-skeleton);
  }

  .state {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--dm-space-m);
    min-block-size: var(--_block-size);
    text-align: center;
  }

  .state.state--pending {
    display: block;
  }

  .state__message {
    margin: 0;
  }

  .table-wrap {
    max-block-size: 28rem;
    overflow: auto;
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-m);
  }

  table {
    inline-size: 100%;
    border-collapse: collapse;
    font-size: var(--dm-font-size-s);
    font-variant-numeric: tabular-nums;
  }

  caption {
    padding: var(--dm-space-s) var(--dm-space-m);
    color: var(--dm-color-text-muted);
    text-align: start;
  }

  th,
  td {
    padding: var(--dm-space-xs) var(--dm-space-m);
    border-block-start: var(--dm-border-width) solid var(--dm-color-border);
    text-align: end;
    white-space: nowrap;
  }

  th:first-child,
  td:first-child {
    text-align: start;
  }

  thead th {
    position: sticky;
    inset-block-start: 0;
    background: var(--dm-color-surface-raised);
    font-weight: var(--dm-font-weight-semibold);
  }

  .sort-button {
    display: inline-flex;
    align-items: center;
    gap: var(--dm-space-2xs);
    padding: 0;
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }

  .drilldown {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-m);
    padding: var(--dm-space-l);
    border: var(--dm-border-width) solid var(--dm-color-border);
    border-radius: var(--dm-radius-l);
    background: var(--dm-color-surface-raised);
  }

  .drilldown__header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--dm-space-s);
  }

  .drilldown__title {
    flex: 1;
    margin: 0;
    font-size: var(--dm-font-size-l);
  }

  .drilldown .table-wrap {
    background: var(--dm-color-surface);
  }

  .flags {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: var(--dm-space-2xs);
  }

  .flag {
    padding-inline: var(--dm-space-xs);
    border-radius: var(--dm-radius-pill);
    background: var(--dm-color-surface-sunken);
    color: var(--dm-color-text);
  }

  .flag--bounced {
    background: var(--dm-color-danger-subtle);
    color: var(--dm-color-on-danger-subtle);
  }

  .flag--clicked {
    background: var(--dm-color-accent-subtle);
    color: var(--dm-color-on-accent-subtle);
  }

  .muted {
    color: var(--dm-color-text-muted);
  }
`;
