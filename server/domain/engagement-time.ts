/**
 * Calendar buckets in an IANA time zone, computed with `Intl` (no database time-zone data, no Node
 * APIs): where local days, ISO weeks (Monday) and months start, as UTC instants, across DST changes.
 */

export type Interval = 'day' | 'week' | 'month';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Longest series the API answers (buckets); a longer range needs a coarser interval. */
export const MAX_BUCKETS = 2_000;

interface LocalParts {
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

/** Start of the bucket (day, ISO week from Monday, or month) that contains instant `ms`. */
export function bucketStart(tz: string, interval: Interval, ms: number): number {
  const p = localParts(tz, ms);
  if (interval === 'month') return startOfLocalDay(tz, p.year, p.month, 1);
  if (interval === 'week') {
    const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
    return startOfLocalDay(tz, p.year, p.month, p.day - ((weekday + 6) % 7));
  }
  return startOfLocalDay(tz, p.year, p.month, p.day);
}

/** Start of the bucket after the one starting at `start`. */
export function nextBucket(tz: string, interval: Interval, start: number): number {
  // Read the date a few hours in, so a start that fell on a DST gap still names its own day.
  const p = localParts(tz, start + 3 * HOUR_MS);
  if (interval === 'month') return startOfLocalDay(tz, p.year, p.month + 1, 1);
  return startOfLocalDay(tz, p.year, p.month, p.day + (interval === 'week' ? 7 : 1));
}

export interface Buckets {
  /** Each bucket's calendar start (the first one may be before `from`), UTC ms. */
  starts: number[];
  /** `from`, every bucket start inside the range, `to`: bucket `i` covers `[edges[i], edges[i+1])`. */
  edges: number[];
}

/**
 * The buckets covering `[from, to)`; `null` when there would be more than `max` of them.
 */
export function buckets(
  tz: string,
  interval: Interval,
  from: number,
  to: number,
  max = MAX_BUCKETS,
): Buckets | null {
  const starts = [bucketStart(tz, interval, from)];
  const edges = [from];
  for (;;) {
    const next = nextBucket(tz, interval, starts[starts.length - 1]!);
    if (next >= to) break;
    if (starts.length >= max) return null;
    starts.push(next);
    edges.push(next);
  }
  edges.push(to);
  return { starts, edges };
}

export const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
export const ceilHour = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;
