/**
 * What both entries export (`index.ts` for bundlers, `cdn.ts` for the script tag): everything except the
 * tables of languages other than English, which the script tag fetches only for a page that shows them.
 */
export { DmProvider } from './elements/provider/provider.js';
export { DmJourneyShowroom } from './elements/journey-showroom/journey-showroom.js';
export { DmQuickSend } from './elements/quick-send/quick-send.js';
export { DmApprovalQueue } from './elements/approval-queue/approval-queue.js';
export { DmEngagementChart } from './elements/engagement-chart/engagement-chart.js';
export * from './events/index.js';
export { DmElement, define, VERSION } from './internal/index.js';
export {
  ClientController,
  DataController,
  LocalizeController,
  RovingTabindexController,
  dmClientContext,
  dmLocaleContext,
  dmThemeContext,
  renderStates,
} from './controllers/index.js';
export {
  darkTheme,
  lightTheme,
  themeStyles,
  tokenNames,
  type Theme,
  type ThemeSetting,
} from './styles/index.js';
export {
  en,
  matchLocale,
  supportedLocales,
  type SupportedLocale,
  type TranslationKey,
} from './translations/runtime.js';
export * from './sdk/index.js';
