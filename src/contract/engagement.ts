import { z } from 'zod';
import { Cursor, Id, Limit, Timestamp, page } from './common.js';

export const EventType = z
  .enum(['sent', 'delivered', 'open', 'click', 'bounce', 'complaint', 'unsubscribe'])
  .meta({ id: 'EventType' });
export type EventType = z.infer<typeof EventType>;

/** True for an IANA time zone name the runtime knows (`Asia/Shanghai`, `UTC`, `America/New_York`). */
export function isTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const EngagementScope = z
  .strictObject({
    sendId: Id.optional(),
    journeyId: Id.optional(),
    partnerId: Id.optional(),
    /** `network`: every partner of the brand (brand admins only). */
    scope: z.enum(['own', 'network']).default('own'),
    /** Start of the range (inclusive). Default: 30 days before `to`. */
    from: z.iso.datetime({ offset: true }).optional(),
    /** End of the range (exclusive). Default: now. Must be after `from`. */
    to: z.iso.datetime({ offset: true }).optional(),
    /** IANA time zone used for bucketing, e.g. `Asia/Shanghai`. */
    tz: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone name').default('UTC'),
  })
  .meta({ id: 'EngagementScope' });
export type EngagementScope = z.input<typeof EngagementScope>;

const Count = z.number().int().nonnegative();

/**
 * Counts over a range. Event counts (`sent`, `delivered`, `opens`, …) count events; `unique*` counts
 * count recipients — `(send, contact)` pairs — and place each recipient at its first event of that
 * kind, so unique counts of consecutive buckets add up to the count over the whole range.
 *
 * Opens and clicks are split into human and machine: `opens`/`clicks` (and their unique counts) are
 * human only; `machineOpens`/`machineClicks` are what privacy proxies (Apple Mail Privacy Protection),
 * security scanners and prefetchers did. Clicks are the primary signal.
 */
export const EngagementTotals = z
  .object({
    sent: Count,
    delivered: Count,
    /** Recipients with at least one delivery. The denominator of the open, click and unsubscribe rates. */
    uniqueDelivered: Count,
    /** Human opens (machine opens are not included). */
    opens: Count,
    uniqueOpens: Count,
    machineOpens: Count,
    uniqueMachineOpens: Count,
    /** Human clicks (link-scanner clicks are not included). */
    clicks: Count,
    uniqueClicks: Count,
    machineClicks: Count,
    bounces: Count,
    complaints: Count,
    unsubscribes: Count,
  })
  .meta({ id: 'EngagementTotals' });
export type EngagementTotals = z.infer<typeof EngagementTotals>;

/** Totals with every count zero (a scope or bucket without events). */
export function emptyTotals(): EngagementTotals {
  return {
    sent: 0,
    delivered: 0,
    uniqueDelivered: 0,
    opens: 0,
    uniqueOpens: 0,
    machineOpens: 0,
    uniqueMachineOpens: 0,
    clicks: 0,
    uniqueClicks: 0,
    machineClicks: 0,
    bounces: 0,
    complaints: 0,
    unsubscribes: 0,
  };
}

const Rate = z.number().min(0).nullable();

export const EngagementSummary = z
  .object({
    /** The range the figures cover (defaults applied). */
    from: Timestamp,
    to: Timestamp,
    totals: EngagementTotals,
    /**
     * `delivery` = delivered / sent, `bounce` = bounces / sent; `open`, `click` and `unsubscribe` are
     * unique human opens, unique human clicks and unsubscribes per delivered recipient. `null` when
     * the denominator is 0.
     */
    rates: z.object({
      delivery: Rate,
      open: Rate,
      click: Rate,
      bounce: Rate,
      unsubscribe: Rate,
    }),
    /**
     * The network benchmark over the same range (and the same journey when the scope names one):
     * open and click rates across every partner of the brand. `open`/`click` are `null` when fewer
     * than 5 partners or 5 recipients contributed (small-count privacy); `network` is `null` when the
     * caller may not see it.
     */
    network: z.object({ open: Rate, click: Rate, partners: Count }).nullable(),
  })
  .meta({ id: 'EngagementSummary' });
export type EngagementSummary = z.infer<typeof EngagementSummary>;

export const SeriesQuery = EngagementScope.extend({
  interval: z.enum(['day', 'week', 'month']).default('day'),
}).meta({ id: 'SeriesQuery' });
export type SeriesQuery = z.input<typeof SeriesQuery>;

export const EngagementPoint = EngagementTotals.extend({
  /** Start of the bucket (local midnight in `tz`; weeks start on Monday), as a UTC timestamp. */
  at: Timestamp,
}).meta({ id: 'EngagementPoint' });
export type EngagementPoint = z.infer<typeof EngagementPoint>;

export const EngagementSeries = z
  .object({
    interval: z.enum(['day', 'week', 'month']),
    tz: z.string(),
    from: Timestamp,
    to: Timestamp,
    /** One point per bucket from `from` to `to`, empty buckets included. */
    points: z.array(EngagementPoint),
  })
  .meta({ id: 'EngagementSeries' });
export type EngagementSeries = z.infer<typeof EngagementSeries>;

/** Which recipients `/v1/engagement/recipients` lists: those with such an event in the range. */
export const RecipientMetric = z
  .enum(['delivered', 'opened', 'machineOpened', 'clicked', 'bounced', 'complained', 'unsubscribed'])
  .meta({ id: 'RecipientMetric' });
export type RecipientMetric = z.infer<typeof RecipientMetric>;

export const RecipientSort = z.enum(['-at', 'at', 'email', '-email']).meta({ id: 'RecipientSort' });
export type RecipientSort = z.infer<typeof RecipientSort>;

/**
 * One recipient (a contact in a send). The flags and counters cover all of the recipient's history;
 * `at` is the first event in the queried range that matched (`metric`, or any event).
 */
export const RecipientEngagement = z
  .object({
    contactId: Id,
    email: z.string(),
    name: z.string().nullable(),
    sendId: Id,
    at: Timestamp,
    delivered: z.boolean(),
    /** Opened by a person (a machine open alone does not count). */
    opened: z.boolean(),
    machineOpened: z.boolean(),
    clicked: z.boolean(),
    bounced: z.boolean(),
    complained: z.boolean(),
    unsubscribed: z.boolean(),
    opens: Count,
    machineOpens: Count,
    clicks: Count,
    lastEventAt: Timestamp.nullable(),
  })
  .meta({ id: 'RecipientEngagement' });
export type RecipientEngagement = z.infer<typeof RecipientEngagement>;

export const RecipientQuery = EngagementScope.extend({
  /** Only recipients with this kind of event in the range (default: any event). */
  metric: RecipientMetric.optional(),
  /** `-at` (newest first, default), `at`, `email` or `-email`. */
  sort: RecipientSort.default('-at'),
  cursor: Cursor.optional(),
  limit: Limit,
}).meta({
  id: 'RecipientQuery',
});
export type RecipientQuery = z.input<typeof RecipientQuery>;

export const RecipientPage = page(RecipientEngagement, 'RecipientPage');
export type RecipientPage = z.infer<typeof RecipientPage>;

/** One event on the `/v1/live` stream. */
export const LiveEvent = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('engagement'),
      at: Timestamp,
      event: EventType,
      machine: z.boolean(),
      sendId: Id,
      contactId: Id,
      journeyId: Id,
      partnerId: Id,
      /**
       * True when this is the recipient's first event of this kind (and machine flag): it adds one to
       * the matching `unique*` count. Absent when the publisher did not check.
       */
      unique: z.boolean().optional(),
    }),
    z.object({ type: z.literal('send'), at: Timestamp, sendId: Id, status: z.string() }),
    z.object({ type: z.literal('approval'), at: Timestamp, approvalId: Id, status: z.string() }),
    z.object({ type: z.literal('heartbeat'), at: Timestamp }),
    /**
     * The server could not replay everything after the client's `Last-Event-ID` (too old, or the
     * server restarted): refetch what is shown instead of relying on the events that follow.
     */
    z.object({ type: z.literal('resync'), at: Timestamp }),
  ])
  .meta({ id: 'LiveEvent' });
export type LiveEvent = z.infer<typeof LiveEvent>;

export const HealthStatus = z
  .object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'down']), version: z.string() })
  .meta({ id: 'Health' });
export type HealthStatus = z.infer<typeof HealthStatus>;
