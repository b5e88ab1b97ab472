import { css, unsafeCSS, type CSSResult } from 'lit';

/**
 * Design tokens in two tiers (Material Web style):
 *
 * - **reference** `--dm-ref-*`: the raw palette. Never read by components.
 * - **system** `--dm-*`: what components read (`--dm-color-text`, `--dm-space-m`, …). Each theme maps
 *   the system colour tokens onto reference tokens.
 *
 * Component tokens (`--dm-showroom-*`) are read with a `var(--component-token, var(--dm-system-token))`
 * fallback inside each component, so they need no declaration here.
 *
 * Component styles never contain literal colours; `test/elements/tokens.test.ts` fails when a component
 * reads a `--dm-*` token that is not defined here.
 */

export const referencePalette = {
  'gray-0': '#ffffff',
  'gray-50': '#f6f8fa',
  'gray-100': '#eef1f4',
  'gray-200': '#d1d9e0',
  'gray-500': '#6e7781',
  'gray-600': '#59636e',
  'gray-900': '#1f2328',
  'night-0': '#0d1117',
  'night-50': '#151b23',
  'night-100': '#212830',
  'night-200': '#3d444d',
  'night-500': '#8b949e',
  'night-600': '#9ba5b0',
  'night-900': '#e6edf3',
  'blue-100': '#ddf0ff',
  'blue-300': '#b6d8ff',
  'blue-400': '#74b2ff',
  'blue-500': '#4c9bff',
  'blue-600': '#0958c8',
  'blue-700': '#0a4aa6',
  'blue-800': '#0a3f8a',
  'blue-900': '#13305a',
  'red-50': '#ffebe9',
  'red-200': '#ffb4ad',
  'red-300': '#ff7b72',
  'red-600': '#c62828',
  'red-800': '#9c1c1c',
  'red-950': '#3c1618',
  'amber-50': '#fff3cd',
  'amber-300': '#f2cc60',
  'amber-800': '#6b4a00',
  'amber-950': '#3b2c05',
} as const;

type RefName = keyof typeof referencePalette;

/** System colour tokens and the reference colour each theme maps them to. */
const colorTokens = {
  'color-surface': ['gray-0', 'night-0'],
  'color-surface-raised': ['gray-50', 'night-50'],
  'color-surface-sunken': ['gray-100', 'night-100'],
  'color-text': ['gray-900', 'night-900'],
  'color-text-muted': ['gray-600', 'night-600'],
  'color-border': ['gray-200', 'night-200'],
  'color-border-strong': ['gray-500', 'night-500'],
  'color-accent': ['blue-600', 'blue-500'],
  'color-accent-hover': ['blue-700', 'blue-400'],
  'color-on-accent': ['gray-0', 'night-0'],
  'color-accent-subtle': ['blue-100', 'blue-900'],
  'color-on-accent-subtle': ['blue-800', 'blue-300'],
  'color-danger': ['red-600', 'red-300'],
  'color-danger-subtle': ['red-50', 'red-950'],
  'color-on-danger-subtle': ['red-800', 'red-200'],
  'color-warning-subtle': ['amber-50', 'amber-950'],
  'color-on-warning-subtle': ['amber-800', 'amber-300'],
  'color-skeleton': ['gray-100', 'night-100'],
  'focus-ring-color': ['blue-600', 'blue-400'],
} as const satisfies Record<string, readonly [RefName, RefName]>;

/** Theme-dependent tokens that are not palette colours. */
const themedValues = {
  'shadow-s': ['0 1px 2px rgb(31 35 40 / 0.12)', '0 1px 2px rgb(1 4 9 / 0.6)'],
  'shadow-m': ['0 3px 8px rgb(31 35 40 / 0.14)', '0 3px 8px rgb(1 4 9 / 0.7)'],
  'color-scheme': ['light', 'dark'],
} as const;

/** Tokens that do not change with the theme. */
const scaleTokens = {
  'font-family':
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', sans-serif",
  'font-size-s': '0.8125rem',
  'font-size-m': '0.9375rem',
  'font-size-l': '1.0625rem',
  'font-size-xl': '1.25rem',
  'font-weight-normal': '400',
  'font-weight-semibold': '600',
  'line-height': '1.5',
  'line-height-tight': '1.3',
  'space-2xs': '0.125rem',
  'space-xs': '0.25rem',
  'space-s': '0.5rem',
  'space-m': '0.75rem',
  'space-l': '1rem',
  'space-xl': '1.5rem',
  'space-2xl': '2rem',
  'radius-s': '0.25rem',
  'radius-m': '0.5rem',
  'radius-l': '0.75rem',
  'radius-pill': '999px',
  'border-width': '1px',
  'focus-ring-width': '2px',
  'focus-ring-offset': '2px',
  'focus-ring': 'var(--dm-focus-ring-width) solid var(--dm-focus-ring-color)',
  'control-block-size': '2.5rem',
  'duration-fast': '120ms',
  'duration-slow': '1200ms',
  easing: 'cubic-bezier(0.2, 0, 0, 1)',
} as const;

export type Theme = 'light' | 'dark';
export type ThemeSetting = Theme | 'auto';

/** Every `--dm-*` custom property defined by a theme (reference and system tiers). */
export const tokenNames: readonly string[] = [
  ...Object.keys(referencePalette).map((k) => `--dm-ref-${k}`),
  ...Object.keys(colorTokens).map((k) => `--dm-${k}`),
  ...Object.keys(themedValues).map((k) => `--dm-${k}`),
  ...Object.keys(scaleTokens).map((k) => `--dm-${k}`),
];

/** Every system token (`--dm-*`, what components read and hosts override) with its light and dark value. */
export function systemTokens(): { name: string; light: string; dark: string }[] {
  return [
    ...Object.entries(colorTokens).map(([k, [light, dark]]) => ({
      name: `--dm-${k}`,
      light: referencePalette[light],
      dark: referencePalette[dark],
    })),
    ...Object.entries(themedValues).map(([k, [light, dark]]) => ({ name: `--dm-${k}`, light, dark })),
    ...Object.entries(scaleTokens).map(([k, v]) => ({ name: `--dm-${k}`, light: v, dark: v })),
  ];
}

/** The declarations (no selector) of one theme, e.g. for a `:root` rule in a host stylesheet. */
export function themeDeclarations(theme: Theme): string {
  const index = theme === 'light' ? 0 : 1;
  const lines: string[] = [];
  for (const [name, value] of Object.entries(referencePalette)) lines.push(`--dm-ref-${name}: ${value};`);
  for (const [name, refs] of Object.entries(colorTokens))
    lines.push(`--dm-${name}: var(--dm-ref-${refs[index]});`);
  for (const [name, values] of Object.entries(themedValues)) lines.push(`--dm-${name}: ${values[index]};`);
  for (const [name, value] of Object.entries(scaleTokens)) lines.push(`--dm-${name}: ${value};`);
  return lines.join('\n');
}

function themeRule(selector: string, theme: Theme): CSSResult {
  return unsafeCSS(`${selector} {\n${themeDeclarations(theme)}\ncolor-scheme: ${theme};\n}`);
}

/** The light theme on `:host`. */
export const lightTheme: CSSResult = themeRule(':host', 'light');

/** The dark theme on `:host`. */
export const darkTheme: CSSResult = themeRule(':host', 'dark');

/**
 * Theme switch for an element with a `theme="light|dark|auto"` attribute (used by `<dm-provider>`):
 * light by default, dark when asked, and `auto` follows `prefers-color-scheme`.
 */
export const themeStyles: CSSResult = css`
  ${themeRule(":host, :host([theme='light'])", 'light')}
  ${themeRule(":host([theme='dark'])", 'dark')}
  @media (prefers-color-scheme: dark) {
    ${themeRule(":host([theme='auto'])", 'dark')}
  }
`;

/**
 * Light defaults for the whole document, in the lowest-priority cascade layer, so an element used
 * outside any `<dm-provider>` still has every token, while a provider's theme (declared closer) and
 * any unlayered host stylesheet win.
 */
export const documentTokenCss = `@layer dm-defaults {\n:root {\n${themeDeclarations('light')}\n}\n}`;
