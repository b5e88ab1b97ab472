import { css } from 'lit';
import { themeStyles } from '../../styles/tokens.js';

export default [
  themeStyles,
  css`
    :host {
      display: contents;
      color: var(--dm-color-text);
      font-family: var(--dm-font-family);
    }

    :host([hidden]) {
      display: none;
    }
  `,
];
