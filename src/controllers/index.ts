export { ClientController, type ClientHost, type ClientSource } from './client.js';
export { dmClientContext, dmLocaleContext, dmThemeContext } from './contexts.js';
export { DataController, notReady, type DataControllerOptions, type DataStatus } from './data.js';
export { LocalizeController } from './localize.js';
export { defaultError, renderStates, type DataView, type StateTemplates } from './render-states.js';
export { RovingTabindexController, type RovingTabindexOptions } from './roving-tabindex.js';
