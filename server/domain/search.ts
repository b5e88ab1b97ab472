import { and, sql, type SQL } from 'drizzle-orm';

/** Escapes `%`, `_` and the escape character itself for a LIKE pattern. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** Lower-cased words of a search query (at most 8; whitespace separates words). */
export function searchWords(q: string | undefined): string[] {
  if (!q) return [];
  return q.toLowerCase().split(/\s+/u).filter(Boolean).slice(0, 8);
}

/** Every word must occur in `column` (a lower-cased search text). `undefined` when there are no words. */
export function matchAllWords(column: SQL | unknown, q: string | undefined): SQL | undefined {
  const words = searchWords(q);
  if (words.length === 0) return undefined;
  return and(...words.map((w) => sql`${column} ilike ${`%${escapeLike(w)}%`} escape '\\'`));
}

/** The lower-cased search text of several fields (nulls and blanks skipped). */
export const searchText = (...parts: Array<string | null | undefined | readonly string[]>): string =>
  parts
    .flat()
    .filter((p): p is string => typeof p === 'string' && p.trim().length > 0)
    .map((p) => p.trim().toLowerCase())
    .join(' ');

/** Every word occurs in the text of `column` (any case); `sql\`true\`` when there are no words. */
function allWordsIn(column: SQL, words: string[]): SQL {
  if (words.length === 0) return sql`true`;
  return and(...words.map((w) => sql`${column} ilike ${`%${escapeLike(w)}%`} escape '\\'`))!;
}

/**
 * A relevance rank for search results (lower is better): 0 when every word of `q` occurs in the name,
 * 1 when every word occurs in the name or among the tags, else 2 (summary matches). A constant 0
 * without words, so the order falls through to the next key.
 */
export function relevanceRank(name: SQL, tags: SQL, q: string | undefined): SQL<number> {
  const words = searchWords(q);
  // A cast, not a bare 0: `order by 0` would name a select-list position.
  if (words.length === 0) return sql<number>`cast(0 as integer)`;
  const inName = allWordsIn(name, words);
  const inNameOrTags = and(
    ...words.map(
      (w) =>
        sql`(${name} ilike ${`%${escapeLike(w)}%`} escape '\\' or array_to_string(${tags}, ' ') ilike ${`%${escapeLike(w)}%`} escape '\\')`,
    ),
  )!;
  return sql<number>`(case when ${inName} then 0 when ${inNameOrTags} then 1 else 2 end)`;
}

/** A short, stable fingerprint of the search words (FNV-1a, hex), to tie a relevance cursor to its query. */
export function searchFingerprint(q: string | undefined): string {
  let hash = 0x811c9dc5;
  for (const ch of searchWords(q).join(' ')) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
