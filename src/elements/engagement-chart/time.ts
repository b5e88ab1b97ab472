/**
 * Local calendar days in an IANA time zone, with `Intl` only (the same arithmetic as the server's
 * buckets), so range presets start and end at local midnight.
 */

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(
  tz: string,
  ms: number,
): { year: number; month: number; day: number; hour: number; minute: number } {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(tz, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute! };
}

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

/** First instant of the local day `year-month-day` (month 1-based; overflow allowed) in `tz`. */
export function startOfLocalDay(tz: string, year: number, month: number, day: number): number {
  const wall = Date.UTC(year, month - 1, day);
  const offset = (ms: number) => {
    const p = parts(tz, ms);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60_000) * 60_000;
  };
  let t = wall - offset(wall);
  t = wall - offset(t);
  const p = parts(tz, t);
  const reading = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  if (reading < wall) t += wall - reading;
  return t;
}

/** The local date (`YYYY-MM-DD`) of an instant in `tz`. */
export function localDate(tz: string, ms: number): string {
  const p = parts(tz, ms);
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
