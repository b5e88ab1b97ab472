import { createContext } from '@lit/context';
import type { DmClient } from '../sdk/index.js';
import type { ThemeSetting } from '../styles/tokens.js';

/*
 * Context keys are registered symbols (`Symbol.for`), so a provider from one copy of DM Kit (the
 * script-tag bundle) serves consumers from another (the npm package) on the same page.
 */

/** The SDK client from the nearest `<dm-provider>`. */
export const dmClientContext = createContext<DmClient | undefined>(Symbol.for('dm-kit.context.client'));

/** The locale requested by the nearest `<dm-provider>` (`locale` or `lang` attribute), if any. */
export const dmLocaleContext = createContext<string | undefined>(Symbol.for('dm-kit.context.locale'));

/** The theme setting of the nearest `<dm-provider>`. */
export const dmThemeContext = createContext<ThemeSetting | undefined>(Symbol.for('dm-kit.context.theme'));
