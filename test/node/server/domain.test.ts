import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { CursorTimestamp, decodeCursor, encodeCursor } from '../../../server/domain/cursor.js';
import { parseCsv } from '../../../server/domain/csv.js';
import { escapeLike, searchText, searchWords } from '../../../server/domain/search.js';
import { ApiError } from '../../../server/errors.js';

const cursorError = (fn: () => unknown) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 400);
    assert.deepEqual(
      e.fields?.map((f) => f.path),
      ['query.cursor'],
    );
    return true;
  });

describe('cursor', () => {
  const key = z.tuple([z.string()]);

  it('round-trips, is URL-safe and handles non-ASCII keys', () => {
    const raw = encodeCursor('journeys:name', ['新车交付感谢信 ü+/?'], 'j_zh');
    assert.match(raw, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(raw, 'journeys:name', key), { key: ['新车交付感谢信 ü+/?'], id: 'j_zh' });
  });

  it('rejects garbage, another scope and a wrong key shape', () => {
    cursorError(() => decodeCursor('%%%', 'journeys:name', key));
    cursorError(() => decodeCursor('bm90IGpzb24', 'journeys:name', key)); // "not json"
    cursorError(() => decodeCursor(encodeCursor('journeys:newest', ['x'], 'a'), 'journeys:name', key));
    cursorError(() => decodeCursor(encodeCursor('journeys:name', [1], 'a'), 'journeys:name', key));
    cursorError(() => decodeCursor(encodeCursor('journeys:name', ['x'], 'bad id!'), 'journeys:name', key));
    cursorError(() =>
      decodeCursor(encodeCursor('c:newest', ['2026-01-01'], 'a'), 'c:newest', z.tuple([CursorTimestamp])),
    );
  });
});

describe('search helpers', () => {
  it('escapes LIKE wildcards', () => {
    assert.equal(escapeLike('100%_a\\b'), '100\\%\\_a\\\\b');
  });
  it('splits words and lower-cases', () => {
    assert.deepEqual(searchWords('  Winter   TYRES '), ['winter', 'tyres']);
    assert.deepEqual(searchWords(''), []);
    assert.equal(searchText('Ida', null, ' Mail@X.de ', ['A', 'b']), 'ida mail@x.de a b');
  });
});

describe('CSV reader', () => {
  it('reads quotes, escaped quotes, commas, CRLF and a BOM', () => {
    const parsed = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\n"multi\nline",\n');
    assert.deepEqual(parsed, {
      ok: true,
      rows: [
        ['a', 'b'],
        ['x, y', 'say "hi"'],
        ['multi\nline', ''],
      ],
    });
  });
  it('reports an unclosed quote', () => {
    const parsed = parseCsv('a\n"open');
    assert.equal(parsed.ok, false);
  });
});
