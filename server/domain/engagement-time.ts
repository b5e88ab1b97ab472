/**
 * Calendar buckets in an IANA time zone, computed with `Intl` (no database time-zone data, no Node
 * APIs): where local days, ISO weeks (Monday) and months start, as UTC instants, across DST changes.
 */
import { HOUR_MS, localParts, startOfLocalDay } from '../../src/internal/zoned-time.js';

export { HOUR_MS, offsetMs, startOfLocalDay } from '../../src/internal/zoned-time.js';

export type Interval = 'day' | 'week' | 'month';

/** Longest series the API answers (buckets); a longer range needs a coarser interval. */
export const MAX_BUCKETS = 2_000;

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
