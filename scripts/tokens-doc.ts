// `npm run docs:tokens` writes docs/tokens.md: every `--dm-*` system token with its light and dark default, from the theme
// source. `test/node/docs.test.ts` fails when the file is out of date.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { systemTokens } from '../src/styles/tokens.js';

export function tokensMarkdown(): string {
  const cell = (v: string) => `\`${v.replace(/\|/g, '\\|')}\``;
  const rows = systemTokens().map(
    (t) => `| \`${t.name}\` | ${cell(t.light)} | ${t.dark === t.light ? 'same' : cell(t.dark)} |`,
  );
  return [
    '# Design tokens',
    '',
    'Every element reads these `--dm-*` custom properties, so a host themes DM Kit by setting them on',
    '`<dm-provider>` (or any ancestor, or `:root`). Colours map onto a reference palette (`--dm-ref-*`)',
    'per theme: `theme="light"`, `"dark"` or `"auto"` (follows the operating system). Elements reset',
    "inherited text properties, so the host's own `font`, `color` or `letter-spacing` do not leak in;",
    'use `--dm-font-family` and the colour tokens instead. Parts (`::part(...)`) are listed per element',
    'in `custom-elements.json` and in Storybook.',
    '',
    '```css',
    'dm-provider {',
    "  --dm-font-family: 'Inter', system-ui, sans-serif;",
    '  --dm-color-accent: #b4002d;',
    '  --dm-color-accent-hover: #8c0023;',
    '  --dm-radius-m: 2px;',
    '}',
    '```',
    '',
    '| token | light | dark |',
    '| ----- | ----- | ---- |',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(new URL('../docs/tokens.md', import.meta.url), tokensMarkdown());
  console.log('wrote docs/tokens.md');
}
