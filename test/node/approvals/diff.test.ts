import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffTokens, diffWords, tokenize } from '../../../server/domain/diff.js';

const sides = (segments: { op: string; text: string }[]) => ({
  before: segments
    .filter((s) => s.op !== 'insert')
    .map((s) => s.text)
    .join(''),
  after: segments
    .filter((s) => s.op !== 'delete')
    .map((s) => s.text)
    .join(''),
});

/** A tiny seeded generator, so a failure names a reproducible case. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('word diff', () => {
  it('tokenizes words, spaces, punctuation and CJK characters, losslessly', () => {
    assert.deepEqual(tokenize("Don't stop — it's 2 o'clock, 好的!"), [
      "Don't",
      ' ',
      'stop',
      ' ',
      '—',
      ' ',
      "it's",
      ' ',
      '2',
      ' ',
      "o'clock",
      ',',
      ' ',
      '好',
      '的',
      '!',
    ]);
    const text = 'Multi\n\nline  text\twith {{ contact.first_name }}';
    assert.equal(tokenize(text).join(''), text);
  });

  it('marks a replaced phrase as one deletion and one insertion', () => {
    assert.deepEqual(diffWords('We hope you enjoyed the test drive.', 'We hope you loved the new model.'), [
      { op: 'equal', text: 'We hope you ' },
      { op: 'delete', text: 'enjoyed the test drive' },
      { op: 'insert', text: 'loved the new model' },
      { op: 'equal', text: '.' },
    ]);
  });

  it('keeps separate edits apart when a long run stays equal between them', () => {
    assert.deepEqual(
      diffWords('Hello Anna, the service is due next month.', 'Hi Anna, the service is due next week.'),
      [
        { op: 'delete', text: 'Hello' },
        { op: 'insert', text: 'Hi' },
        { op: 'equal', text: ' Anna, the service is due next ' },
        { op: 'delete', text: 'month' },
        { op: 'insert', text: 'week' },
        { op: 'equal', text: '.' },
      ],
    );
  });

  it('handles pure insertions, deletions, equal and empty texts', () => {
    assert.deepEqual(diffWords('', ''), []);
    assert.deepEqual(diffWords('same text', 'same text'), [{ op: 'equal', text: 'same text' }]);
    assert.deepEqual(diffWords('', 'new'), [{ op: 'insert', text: 'new' }]);
    assert.deepEqual(diffWords('old', ''), [{ op: 'delete', text: 'old' }]);
    assert.deepEqual(diffWords('see you soon', 'see you very soon'), [
      { op: 'equal', text: 'see you ' },
      { op: 'insert', text: 'very ' },
      { op: 'equal', text: 'soon' },
    ]);
  });

  it('diffs Chinese character by character', () => {
    assert.deepEqual(diffWords('欢迎光临本店', '欢迎再次光临本店'), [
      { op: 'equal', text: '欢迎' },
      { op: 'insert', text: '再次' },
      { op: 'equal', text: '光临本店' },
    ]);
  });

  it('always reconstructs both sides, and never puts two equal ops next to each other', () => {
    const random = prng(42);
    const words = ['a', 'b', 'cc', ' ', '.', 'dd', '\n', 'e'];
    const text = () =>
      Array.from(
        { length: Math.floor(random() * 30) },
        () => words[Math.floor(random() * words.length)],
      ).join('');
    for (let i = 0; i < 3000; i++) {
      const a = text();
      const b = text();
      const d = diffWords(a, b);
      assert.deepEqual(sides(d), { before: a, after: b }, JSON.stringify({ a, b }));
      for (let j = 1; j < d.length; j++) assert.notEqual(d[j]!.op, d[j - 1]!.op);
      assert.ok(d.every((s) => s.text.length > 0));
    }
  });

  it('finds a minimal edit script (Myers) before clean-up', () => {
    // Two interleaved sequences: the LCS is 4 tokens, so 2 + 2 tokens change.
    const d = diffTokens(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c'], {
      maxEdits: 50,
      cleanup: false,
    });
    const changed = d.filter((s) => s.op !== 'equal').reduce((n, s) => n + s.text.length, 0);
    assert.equal(changed, 5);
  });

  it('falls back to a wholesale replacement past maxEdits, still correct, in bounded time', () => {
    const a = Array.from({ length: 6000 }, (_, i) => `w${i}`).join(' ');
    const b = Array.from({ length: 6000 }, (_, i) => `v${i}`).join(' ');
    const start = performance.now();
    const d = diffWords(a, b, { maxEdits: 500 });
    assert.ok(performance.now() - start < 2000);
    assert.deepEqual(sides(d), { before: a, after: b });
    assert.deepEqual(
      d.map((s) => s.op),
      ['delete', 'insert'],
    );
    // Common prefix and suffix are kept even then.
    const e = diffWords(`start ${a} end`, `start ${b} end`, { maxEdits: 500 });
    assert.equal(e[0]!.op, 'equal');
    assert.equal(e.at(-1)!.op, 'equal');
  });
});
