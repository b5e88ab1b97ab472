import { createRoute } from '@hono/zod-openapi';
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  Id,
  Journey,
  JourneyPage,
  JourneyQuery,
  type JourneySort,
  type JourneySummary,
  type Tier,
} from '../../src/contract/index.js';
import { journeys } from '../db/schema.js';
import { CursorTimestamp, decodeCursor, encodeCursor, type CursorValue } from '../domain/cursor.js';
import { isoMicros, keysetAfter, keysetOrder, type KeyPart } from '../domain/keyset.js';
import { matchAllWords } from '../domain/search.js';
import { journeyVisibility } from '../domain/visibility.js';
import type { App } from '../env.js';
import { notFound } from '../errors.js';
import { errorResponses, json } from './shared.js';

type JourneyRow = typeof journeys.$inferSelect;

const listJourneys = createRoute({
  method: 'get',
  path: '/v1/journeys',
  tags: ['journeys'],
  summary: 'The showroom: journeys and templates the caller may use',
  description:
    "Published journeys of the caller's brand; partners see only those open to their tier and region. " +
    '`q` matches every word against name, summary and tags. Keyset pagination: pass `nextCursor` back as ' +
    '`cursor` with the same `sort`.',
  request: { query: JourneyQuery },
  responses: { 200: json(JourneyPage, 'A page of journeys'), ...errorResponses },
});

const getJourney = createRoute({
  method: 'get',
  path: '/v1/journeys/{id}',
  tags: ['journeys'],
  summary: 'One journey: steps, blocks, merge fields, approval rule and network stats',
  request: { params: z.object({ id: Id }) },
  responses: { 200: json(Journey, 'The journey'), ...errorResponses },
});

/** Sort orders as keyset parts; each ends with the id so the order is total. */
const SORTS: Record<
  JourneySort,
  {
    parts: KeyPart[];
    key: (r: JourneyRow & { cursorAt: string }) => CursorValue;
    keySchema: z.ZodType<[CursorValue]>;
  }
> = {
  newest: {
    parts: [
      { expr: sql`${journeys.createdAt}`, dir: 'desc', cast: 'timestamptz' },
      { expr: sql`${journeys.id}`, dir: 'desc' },
    ],
    key: (r) => r.cursorAt,
    keySchema: z.tuple([CursorTimestamp]),
  },
  most_used: {
    parts: [
      { expr: sql`${journeys.statSends}`, dir: 'desc', cast: 'integer' },
      { expr: sql`${journeys.id}`, dir: 'asc' },
    ],
    key: (r) => r.statSends,
    keySchema: z.tuple([z.number().int()]),
  },
  best_results: {
    parts: [
      { expr: sql`${journeys.statClickRate}`, dir: 'desc', nullable: true, cast: 'float8' },
      { expr: sql`${journeys.id}`, dir: 'asc' },
    ],
    key: (r) => r.statClickRate,
    keySchema: z.tuple([z.number().nullable()]),
  },
  name: {
    parts: [
      { expr: sql`${journeys.name} collate "C"`, dir: 'asc' },
      { expr: sql`${journeys.id}`, dir: 'asc' },
    ],
    key: (r) => r.name,
    keySchema: z.tuple([z.string()]),
  },
};

export const toJourneySummary = (r: JourneyRow): JourneySummary => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  summary: r.summary,
  category: r.category as JourneySummary['category'],
  channel: r.channel as JourneySummary['channel'],
  locale: r.locale as JourneySummary['locale'],
  tags: r.tags,
  stepCount: r.steps.length,
  approvalRequired: r.approvalRule.mode !== 'never',
  thumbnailUrl: r.thumbnailUrl,
  createdAt: r.createdAt.toISOString(),
  stats: {
    sends: r.statSends,
    recipients: r.statRecipients,
    partners: r.statPartners,
    openRate: r.statOpenRate,
    clickRate: r.statClickRate,
  },
});

export const toJourney = (r: JourneyRow): Journey => ({
  ...toJourneySummary(r),
  steps: r.steps,
  mergeFields: r.mergeFields,
  approvalRule: r.approvalRule,
  audience: { tiers: r.tiers as Tier[], regions: r.regions },
});

export function registerJourneys(app: App) {
  app.openapi(listJourneys, async (c) => {
    const { db } = c.get('deps');
    const caller = c.get('caller');
    const query = c.req.valid('query');
    const sort = SORTS[query.sort];
    const scope = `journeys:${query.sort}`;

    const filters: Array<SQL | undefined> = [
      journeyVisibility(caller),
      matchAllWords(journeys.searchText, query.q),
      query.category ? eq(journeys.category, query.category) : undefined,
      query.locale ? eq(journeys.locale, query.locale) : undefined,
      query.channel ? eq(journeys.channel, query.channel) : undefined,
      query.kind ? eq(journeys.kind, query.kind) : undefined,
    ];
    const where = and(...filters);
    const position = query.cursor ? decodeCursor(query.cursor, scope, sort.keySchema) : undefined;
    const pageWhere = position ? and(where, keysetAfter(sort.parts, [...position.key, position.id])) : where;

    const [rows, [totalRow]] = await Promise.all([
      db
        .select({ journey: journeys, cursorAt: isoMicros(journeys.createdAt) })
        .from(journeys)
        .where(pageWhere)
        .orderBy(keysetOrder(sort.parts))
        .limit(query.limit + 1),
      db.select({ n: count() }).from(journeys).where(where),
    ]);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor(scope, [sort.key({ ...last.journey, cursorAt: last.cursorAt })], last.journey.id)
        : null;
    return c.json(
      { items: items.map((r) => toJourneySummary(r.journey)), nextCursor, total: totalRow?.n ?? 0 },
      200,
    );
  });

  app.openapi(getJourney, async (c) => {
    const { db } = c.get('deps');
    const { id } = c.req.valid('param');
    const [row] = await db
      .select()
      .from(journeys)
      .where(and(eq(journeys.id, id), journeyVisibility(c.get('caller'))))
      .limit(1);
    // Unknown and not-visible journeys get the same answer, so ids do not leak across tenants.
    if (!row) throw notFound('journey');
    return c.json(toJourney(row), 200);
  });
}
