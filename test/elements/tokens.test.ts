import { expect } from '@open-wc/testing';
import type { CSSResultGroup } from 'lit';
import showroomStyles from '../../src/elements/journey-showroom/journey-showroom.styles.js';
import { controlStyles, hostStyles } from '../../src/styles/shared.js';
import { themeDeclarations, tokenNames } from '../../src/styles/tokens.js';

/** Component stylesheets: these may read tokens but never hold literal colours. */
const componentSheets: Record<string, CSSResultGroup> = {
  shared: [hostStyles, controlStyles],
  'journey-showroom': showroomStyles,
};

/** Component tokens: read with a var() fallback to a system token, documented with @cssproperty. */
const componentTokens = ['--dm-showroom-columns-min', '--dm-showroom-card-block-size', '--dm-showroom-gap'];

function cssText(group: CSSResultGroup): string {
  return [group]
    .flat(Infinity as 1)
    .map((sheet) => (sheet as { cssText: string }).cssText)
    .join('\n');
}

describe('design tokens', () => {
  for (const [name, sheet] of Object.entries(componentSheets)) {
    it(`${name} styles read only defined --dm-* tokens`, () => {
      const used = new Set([...cssText(sheet).matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1]!));
      expect(used.size).to.be.greaterThan(0);
      const unknown = [...used].filter((t) => !tokenNames.includes(t) && !componentTokens.includes(t));
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
