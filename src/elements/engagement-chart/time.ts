/**
 * Local calendar days in an IANA time zone for the range presets, on the wall-clock arithmetic the
 * server's buckets use (`zoned-time.ts`), so presets start and end at local midnight.
 */

import { localParts, startOfLocalDay } from '../../internal/zoned-time.js';

export { DAY_MS } from '../../internal/zoned-time.js';

/** True for a time zone name this browser knows. */
export function knownTimeZone(tz: string | undefined): tz is string {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

let zone: { value: string; at: number } | undefined;

/** The browser's time zone (`UTC` when unknown); looked up at most once a second (read on every render). */
export function browserTimeZone(): string {
  const now = Date.now();
  if (zone && now - zone.at < 1000) return zone.value;
  let value = 'UTC';
  try {
    value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    // No Intl time zone support: UTC.
  }
  zone = { value, at: now };
  return value;
}

/** The local date (`YYYY-MM-DD`) of an instant in `tz`. */
export function localDate(tz: string, ms: number): string {
  const p = localParts(tz, ms);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Start of the local day given as `YYYY-MM-DD` (plus `addDays`), or `null` for a malformed date. */
export function dateStart(tz: string, date: string, addDays = 0): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  return startOfLocalDay(tz, Number(m[1]), Number(m[2]), Number(m[3]) + addDays);
}

/** `[from, to)` of the last `days` local days including today, in `tz`. */
export function lastDays(tz: string, days: number, now = Date.now()): { from: number; to: number } {
  const today = localDate(tz, now);
  return { from: dateStart(tz, today, 1 - days)!, to: dateStart(tz, today, 1)! };
}
