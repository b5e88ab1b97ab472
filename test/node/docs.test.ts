import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { it } from 'node:test';
import { systemTokens } from '../../src/styles/tokens.js';

it('docs/tokens.md lists every system token with its light and dark default (npm run docs:tokens)', async () => {
  const doc = await readFile(new URL('../../docs/tokens.md', import.meta.url), 'utf8');
  for (const token of systemTokens()) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${token.name}\` `));
    assert.ok(row, `${token.name} is missing`);
    const cells = row.split(/(?<!\\)\|/).map((c) => c.trim().replace(/^`|`$/g, '').replace(/\\\|/g, '|'));
    assert.equal(cells[2], token.light, `${token.name} light`);
    assert.equal(cells[3], token.dark === token.light ? 'same' : token.dark, `${token.name} dark`);
  }
});
