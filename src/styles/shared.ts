import { css } from 'lit';

/**
 * Styles shared by every element. They read only `--dm-*` tokens.
 */
export const hostStyles = css`
  /*
   * Paint our own surface (contrast is only guaranteed against the theme's surface) and reset every
   * inherited text property. \`!important\` here outranks a host page's \`!important\` rules (shadow
   * styles win the important layer), so hostile or careless host CSS cannot make the text unreadable;
   * hosts theme the elements through the \`--dm-*\` tokens.
   */
  :host {
    box-sizing: border-box !important;
    background: var(--dm-color-surface) !important;
    color: var(--dm-color-text) !important;
    font-family: var(--dm-font-family) !important;
    font-size: var(--dm-font-size-m) !important;
    font-weight: 400 !important;
    font-style: normal !important;
    line-height: var(--dm-line-height) !important;
    letter-spacing: normal !important;
    word-spacing: normal !important;
    text-transform: none !important;
    text-align: start !important;
    text-indent: 0 !important;
    white-space: normal !important;
    cursor: auto !important;
  }

  :host([hidden]) {
    display: none !important;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  :focus-visible {
    outline: var(--dm-focus-ring);
    outline-offset: var(--dm-focus-ring-offset);
  }

  .visually-hidden {
    position: absolute !important;
    inline-size: 1px;
    block-size: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
      scroll-behavior: auto !important;
    }
  }
`;

/** Buttons and form controls. */
export const controlStyles = css`
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--dm-space-xs);
    min-block-size: var(--dm-control-block-size);
    padding-block: var(--dm-space-xs);
    padding-inline: var(--dm-space-l);
    border: var(--dm-border-width) solid var(--dm-color-border-strong);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface);
    color: var(--dm-color-text);
    font: inherit;
    font-weight: var(--dm-font-weight-semibold);
    cursor: pointer;
    transition: background-color var(--dm-duration-fast) var(--dm-easing);
  }

  .button:hover {
    background: var(--dm-color-surface-sunken);
  }

  .button:disabled {
    cursor: not-allowed;
    opacity: 0.7;
  }

  .button--primary {
    border-color: var(--dm-color-accent);
    background: var(--dm-color-accent);
    color: var(--dm-color-on-accent);
  }

  .button--primary:hover {
    border-color: var(--dm-color-accent-hover);
    background: var(--dm-color-accent-hover);
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: var(--dm-space-xs);
    min-inline-size: 0;
  }

  .field label {
    color: var(--dm-color-text-muted);
    font-size: var(--dm-font-size-s);
    font-weight: var(--dm-font-weight-semibold);
  }

  .control {
    min-block-size: var(--dm-control-block-size);
    inline-size: 100%;
    padding-block: var(--dm-space-xs);
    padding-inline: var(--dm-space-m);
    border: var(--dm-border-width) solid var(--dm-color-border-strong);
    border-radius: var(--dm-radius-m);
    background: var(--dm-color-surface);
    color: var(--dm-color-text);
    font: inherit;
  }

  .control:focus-visible {
    outline: var(--dm-focus-ring);
    outline-offset: 0;
  }
`;
