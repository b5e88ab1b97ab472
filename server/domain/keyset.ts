import { sql, type SQL } from 'drizzle-orm';
import type { CursorValue } from './cursor.js';

/** One column of a keyset ordering. The last part must be unique (the row id). */
export interface KeyPart {
  /** Column or SQL expression, e.g. `journeys.name collate "C"`. */
  expr: SQL;
  dir: 'asc' | 'desc';
  /** Column may be null; nulls sort last in either direction. */
  nullable?: boolean;
  /** SQL type for the bound cursor value, e.g. `timestamptz`. */
  cast?: string;
}

const bind = (part: KeyPart, value: CursorValue): SQL =>
  part.cast ? sql`cast(${value} as ${sql.raw(part.cast)})` : sql`${value}`;

/** `ORDER BY` for the parts (nulls last, so it matches `after()`). */
export function keysetOrder(parts: readonly KeyPart[]): SQL {
  return sql.join(
    parts.map(
      (p) =>
        sql`${p.expr} ${sql.raw(p.dir === 'asc' ? 'asc' : 'desc')}${sql.raw(p.nullable ? ' nulls last' : '')}`,
    ),
    sql`, `,
  );
}

/** The condition "row comes strictly after the row with these key values" in `keysetOrder(parts)`. */
export function keysetAfter(parts: readonly KeyPart[], values: readonly CursorValue[]): SQL {
  if (parts.length !== values.length || parts.length === 0) throw new Error('keyset parts and values differ');
  const [part, ...rest] = parts as [KeyPart, ...KeyPart[]];
  const [value, ...restValues] = values as [CursorValue, ...CursorValue[]];
  let beyond: SQL;
  let same: SQL;
  if (value === null) {
    // Nulls sort last: nothing but more nulls follows a null.
    beyond = sql`false`;
    same = sql`${part.expr} is null`;
  } else {
    const cmp =
      part.dir === 'asc'
        ? sql`${part.expr} > ${bind(part, value)}`
        : sql`${part.expr} < ${bind(part, value)}`;
    beyond = part.nullable ? sql`(${cmp} or ${part.expr} is null)` : cmp;
    same = sql`${part.expr} = ${bind(part, value)}`;
  }
  if (rest.length === 0) return beyond;
  return sql`(${beyond} or (${same} and ${keysetAfter(rest, restValues)}))`;
}

/** A timestamp column as an ISO string with microseconds (UTC), exact enough to page on. */
export const isoMicros = (column: SQL | unknown): SQL<string> =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
