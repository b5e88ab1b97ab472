export { define } from './define.js';
export { DmElement, type DmEvent } from './dm-element.js';
export { VERSION } from './version.js';
