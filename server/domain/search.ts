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
