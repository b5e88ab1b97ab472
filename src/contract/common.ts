import { z } from 'zod';

/** Opaque identifier (UUID or prefixed id). */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -');

/** ISO-8601 timestamp with offset, e.g. `2026-11-27T12:00:00.000Z`. */
export const Timestamp = z.iso.datetime({ offset: true });

export const Locale = z.enum(['en', 'zh-CN']).meta({ id: 'Locale' });
export type Locale = z.infer<typeof Locale>;

export const Role = z.enum(['brand_admin', 'partner', 'approver']).meta({ id: 'Role' });
export type Role = z.infer<typeof Role>;

/** Page size: 1–100, default 25. */
export const Limit = z.coerce.number<number>().int().min(1).max(100).default(25);

/** Opaque cursor returned as `nextCursor` by a previous page. */
export const Cursor = z.string().min(1).max(512);

/** A page of results with an opaque cursor for the next one (`null` at the end). */
export function page<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable(),
      total: z.number().int().nonnegative(),
    })
    .meta({ id });
}
