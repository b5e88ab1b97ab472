import { z } from 'zod';
import { Cursor, Id, Limit, Timestamp, page } from './common.js';

export const EventType = z
  .enum(['sent', 'delivered', 'open', 'click', 'bounce', 'complaint', 'unsubscribe'])
  .meta({ id: 'EventType' });
export type EventType = z.infer<typeof EventType>;

export const EngagementScope = z
  .strictObject({
    sendId: Id.optional(),
    journeyId: Id.optional(),
    partnerId: Id.optional(),
    /** `network`: every partner of the brand (brand admins only). */
    scope: z.enum(['own', 'network']).default('own'),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** IANA time zone used for bucketing, e.g. `Asia/Shanghai`. */
    tz: z.string().max(64).default('UTC'),
  })
  .meta({ id: 'EngagementScope' });
export type EngagementScope = z.input<typeof EngagementScope>;

const Count = z.number().int().nonnegative();

export const EngagementTotals = z
  .object({
    sent: Count,
    delivered: Count,
    opens: Count,
    uniqueOpens: Count,
    machineOpens: Count,
    clicks: Count,
    uniqueClicks: Count,
    bounces: Count,
    complaints: Count,
    unsubscribes: Count,
  })
  .meta({ id: 'EngagementTotals' });
export type EngagementTotals = z.infer<typeof EngagementTotals>;

export const EngagementSummary = z
  .object({
    totals: EngagementTotals,
    rates: z.object({
      delivery: z.number().nullable(),
      open: z.number().nullable(),
      click: z.number().nullable(),
      bounce: z.number().nullable(),
      unsubscribe: z.number().nullable(),
    }),
    /** The network benchmark; `null` where hidden by small-count privacy or not permitted. */
    network: z
      .object({ open: z.number().nullable(), click: z.number().nullable(), partners: Count })
      .nullable(),
  })
  .meta({ id: 'EngagementSummary' });
export type EngagementSummary = z.infer<typeof EngagementSummary>;

export const SeriesQuery = EngagementScope.extend({
  interval: z.enum(['day', 'week', 'month']).default('day'),
}).meta({ id: 'SeriesQuery' });
export type SeriesQuery = z.input<typeof SeriesQuery>;

export const EngagementSeries = z
  .object({
    interval: z.enum(['day', 'week', 'month']),
    tz: z.string(),
    points: z.array(EngagementTotals.extend({ at: Timestamp })),
  })
  .meta({ id: 'EngagementSeries' });
export type EngagementSeries = z.infer<typeof EngagementSeries>;

export const RecipientEngagement = z
  .object({
    contactId: Id,
    email: z.string(),
    name: z.string().nullable(),
    sendId: Id,
    delivered: z.boolean(),
    opened: z.boolean(),
    clicked: z.boolean(),
    bounced: z.boolean(),
    unsubscribed: z.boolean(),
    lastEventAt: Timestamp.nullable(),
  })
  .meta({ id: 'RecipientEngagement' });
export type RecipientEngagement = z.infer<typeof RecipientEngagement>;

export const RecipientQuery = EngagementScope.extend({ cursor: Cursor.optional(), limit: Limit }).meta({
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
    }),
    z.object({ type: z.literal('send'), at: Timestamp, sendId: Id, status: z.string() }),
    z.object({ type: z.literal('approval'), at: Timestamp, approvalId: Id, status: z.string() }),
    z.object({ type: z.literal('heartbeat'), at: Timestamp }),
  ])
  .meta({ id: 'LiveEvent' });
export type LiveEvent = z.infer<typeof LiveEvent>;

export const HealthStatus = z
  .object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'down']), version: z.string() })
  .meta({ id: 'Health' });
export type HealthStatus = z.infer<typeof HealthStatus>;
