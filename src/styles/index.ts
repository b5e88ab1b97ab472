export {
  darkTheme,
  documentTokenCss,
  lightTheme,
  referencePalette,
  themeDeclarations,
  themeStyles,
  tokenNames,
  type Theme,
  type ThemeSetting,
} from './tokens.js';
export { controlStyles, hostStyles } from './shared.js';
export { installDocumentTokens } from './document-tokens.js';
