export { define } from './define.js';
export { DmElement } from './dm-element.js';
export { VERSION } from './version.js';
