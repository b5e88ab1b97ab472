import { expect } from '@open-wc/testing';
import type { CSSResultGroup, LitElement } from 'lit';
import * as kit from '../../src/index.js';
import { themeDeclarations, tokenNames } from '../../src/styles/tokens.js';

/**
 * Every element the package exports (the provider excepted: it carries the themes, whose palette is
 * literal by nature); their stylesheets may read tokens but never hold literal colours.
 */
const elements = Object.entries(kit as Record<string, unknown>).filter(
  (entry): entry is [string, typeof LitElement] =>
    typeof entry[1] === 'function' &&
    /^Dm[A-Z]/.test(entry[0]) &&
    'styles' in entry[1] &&
    !['DmElement', 'DmProvider'].includes(entry[0]),
);
const componentSheets: Record<string, CSSResultGroup> = Object.fromEntries(
  elements.map(([name, cls]) => [name, cls.styles as CSSResultGroup]),
);

function cssText(group: CSSResultGroup): string {
  return [group]
    .flat(Infinity as 1)
    .map((sheet) => (sheet as { cssText: string }).cssText)
    .join('\n');
}

describe('design tokens', () => {
  it('checks every element', () => {
    expect(Object.keys(componentSheets)).to.include.members(['DmJourneyShowroom', 'DmQuickSend']);
  });

  for (const [name, sheet] of Object.entries(componentSheets)) {
    it(`${name} styles read only defined --dm-* tokens`, () => {
      const css = cssText(sheet);
      const used = new Set([...css.matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1]!));
      // Component tokens (`--dm-showroom-gap`) are read with a fallback to a system token.
      const withFallback = new Set([...css.matchAll(/var\(\s*(--[\w-]+)\s*,/g)].map((m) => m[1]!));
      expect(used.size).to.be.greaterThan(0);
      const unknown = [...used].filter(
        (t) => !tokenNames.includes(t) && !withFallback.has(t) && !t.startsWith('--_'),
      );
      expect(unknown, 'tokens read but never defined').to.deep.equal([]);
    });

    it(`${name} styles contain no literal colours`, () => {
      const css = cssText(sheet);
      const literals =
        css.match(
          /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|oklch|lab|lch|hwb)\(|(?<![\w-])(?:white|black)(?![\w-])/gi,
        ) ?? [];
      expect(literals).to.deep.equal([]);
    });
  }

  it('defines the same tokens in the light and dark themes', () => {
    const names = (theme: 'light' | 'dark') =>
      [...themeDeclarations(theme).matchAll(/^(--[\w-]+):/gm)].map((m) => m[1]).sort();
    expect(names('dark')).to.deep.equal(names('light'));
    expect(names('light')).to.deep.equal([...tokenNames].sort());
  });
});
