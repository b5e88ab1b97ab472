/**
 * Wall-clock arithmetic in an IANA time zone with `Intl` only (no time-zone data of our own, no Node
 * APIs), shared by the server's engagement buckets and the chart's range presets, so both agree on
 * where a local day starts, across DST changes.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
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
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock reading in `tz` at instant `ms`. */
export function localParts(tz: string, ms: number): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(ms)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  };
}

/** Offset of `tz` from UTC at instant `ms`, in milliseconds (Asia/Shanghai: +8 h). */
export function offsetMs(tz: string, ms: number): number {
  const p = localParts(tz, ms);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The first instant of the local calendar day `year-month-day` in `tz`. `month` is 1-based and may
 * overflow (`day` 32 is the next month). Where midnight does not exist (a DST gap at 00:00), the day
 * starts at the first instant that has that date.
 */
export function startOfLocalDay(tz: string, year: number, month: number, day: number): number {
  const wall = Date.UTC(year, month - 1, day);
  let t = wall - offsetMs(tz, wall);
  t = wall - offsetMs(tz, t);
  const p = localParts(tz, t);
  const reading = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  // Landed on the previous day (the offset changed across midnight): step over the gap.
  if (reading < wall) t += wall - reading;
  return t;
}
