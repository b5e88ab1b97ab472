/**
 * DM Kit for bundlers: element classes, events, controllers, tokens, translations, the SDK and the
 * contract. Importing this module defines no elements and does no work; import
 * `dm-kit/elements/<name>.js` to register a tag.
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
  zhCN,
  matchLocale,
  supportedLocales,
  type SupportedLocale,
  type TranslationKey,
} from './translations/index.js';
export * from './sdk/index.js';
