/**
 * DM Kit for bundlers: element classes, events, controllers, tokens, translations, the SDK and the
 * contract. Importing this module defines no elements and does no work; import
 * `dm-kit/elements/<name>.js` to register a tag.
 */
export * from './exports.js';
export { zhCN } from './translations/index.js';
