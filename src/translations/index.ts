/**
 * Translations: the tables and the functions that use them. Importing the tables from here bundles
 * them; the elements reach only `runtime.js`, which fetches a table other than English on first use.
 */
export * from './runtime.js';
export { zhCN } from './zh-CN.js';
