import { createRoute } from '@hono/zod-openapi';
import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import {
  Id,
  Journey,
  JourneyFacets,
  JourneyFacetsQuery,
  JourneyPage,
  JourneyPreviewQuery,
  JourneyQuery,
  JourneyStepPreview,
  type Category,
  type Channel,
  type FacetCount,
  type JourneyKind,
  type JourneySort,
  type JourneySummary,
  type Locale,
  type Tier,
} from '../../src/contract/index.js';
import type { Db } from '../db/types.js';
import { brands, journeys, partners } from '../db/schema.js';
import { CursorTimestamp, decodeCursor, encodeCursor, type CursorValue } from '../domain/cursor.js';
import { ensureFreshJourneyStats, partnerJourneyStats } from '../domain/journey-stats.js';
import { isoMicros, keysetAfter, keysetOrder, type KeyPart } from '../domain/keyset.js';
import { renderMessage, type RenderPartner } from '../domain/render.js';
import { matchAllWords, relevanceRank, searchFingerprint } from '../domain/search.js';
import { journeyVisibility } from '../domain/visibility.js';
import type { App, Caller } from '../env.js';
import { invalid, notFound } from '../errors.js';
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

const journeyFacets = createRoute({
  method: 'get',
  path: '/v1/journeys/facets',
  tags: ['journeys'],
  summary: 'Counts per filter value for the showroom filters',
  description:
    'With the same filters as `GET /v1/journeys`: for category, locale, channel and kind, how many visible ' +
    'journeys each value gives with every other filter applied (its own filter left out); for tags, with ' +
    'every filter applied (tags narrow). Only journeys the caller may see are counted.',
  request: { query: JourneyFacetsQuery },
  responses: { 200: json(JourneyFacets, 'Counts per filter value'), ...errorResponses },
});

const previewStep = createRoute({
  method: 'get',
  path: '/v1/journeys/{id}/preview',
  tags: ['journeys'],
  summary: 'One step rendered for a sample contact, before the journey is chosen',
  description:
    'Renders the brand content of a step (no partner edits) for a built-in sample contact with the ' +
    "caller's partner as sender (a sample partner for brand-level callers), through the same renderer as " +
    'real sends. Journeys the caller may not see answer 404, like unknown ones.',
  request: { params: z.object({ id: Id }), query: JourneyPreviewQuery },
  responses: { 200: json(JourneyStepPreview, 'The rendered step'), ...errorResponses },
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
  Exclude<JourneySort, 'relevance'>,
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

/** `relevance`: rank (name, then name or tags, then summary matches), then newest first. */
function relevanceSort(q: string | undefined) {
  return {
    parts: [
      { expr: relevanceRank(sql`${journeys.name}`, sql`${journeys.tags}`, q), dir: 'asc', cast: 'integer' },
      { expr: sql`${journeys.createdAt}`, dir: 'desc', cast: 'timestamptz' },
      { expr: sql`${journeys.id}`, dir: 'desc' },
    ] satisfies KeyPart[],
    keySchema: z.tuple([z.number().int().min(0).max(2), CursorTimestamp]),
  };
}

interface Filters {
  q?: string | undefined;
  category?: Category | undefined;
  locale?: Locale | undefined;
  channel?: Channel | undefined;
  kind?: JourneyKind | undefined;
  tags?: string[] | undefined;
}

type FilterName = 'q' | 'category' | 'locale' | 'channel' | 'kind' | 'tags';

/** The WHERE clause for the caller and filters, optionally leaving one filter out (for its facet). */
function journeyWhere(caller: Caller, f: Filters, without?: FilterName): SQL {
  const use = (name: FilterName) => name !== without;
  const tags = f.tags ?? [];
  return and(
    journeyVisibility(caller),
    use('q') ? matchAllWords(journeys.searchText, f.q) : undefined,
    use('category') && f.category ? eq(journeys.category, f.category) : undefined,
    use('locale') && f.locale ? eq(journeys.locale, f.locale) : undefined,
    use('channel') && f.channel ? eq(journeys.channel, f.channel) : undefined,
    use('kind') && f.kind ? eq(journeys.kind, f.kind) : undefined,
    use('tags') && tags.length > 0
      ? sql`${journeys.tags} @> array[${sql.join(
          tags.map((t) => sql`${t}`),
          sql`, `,
        )}]::text[]`
      : undefined,
  )!;
}

const byCountThenValue = (a: FacetCount, b: FacetCount) =>
  b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

/** How many tags the tags facet lists (chosen tags are always added). */
const TAG_FACET_SIZE = 30;

async function facetCounts(
  db: Db,
  caller: Caller,
  f: Filters,
  column: 'category' | 'locale' | 'channel' | 'kind',
) {
  const col = journeys[column];
  const rows = await db
    .select({ value: col, count: count() })
    .from(journeys)
    .where(journeyWhere(caller, f, column))
    .groupBy(col);
  return rows.map((r) => ({ value: String(r.value), count: Number(r.count) })).sort(byCountThenValue);
}

async function tagCounts(db: Db, caller: Caller, f: Filters): Promise<FacetCount[]> {
  const tag = sql<string>`t.tag`;
  const rows = await db
    .select({ value: tag, count: count() })
    .from(journeys)
    .innerJoin(sql`unnest(${journeys.tags}) as t(tag)`, sql`true`)
    .where(journeyWhere(caller, f))
    .groupBy(tag)
    .orderBy(desc(count()), sql`t.tag collate "C"`)
    .limit(TAG_FACET_SIZE);
  const counts = rows.map((r) => ({ value: r.value, count: Number(r.count) }));
  const chosen = (f.tags ?? []).filter((t) => !counts.some((c) => c.value === t));
  if (chosen.length === 0) return counts;
  // A chosen tag is on every matching journey: its count is the total.
  const [total] = await db.select({ n: count() }).from(journeys).where(journeyWhere(caller, f));
  return [...counts, ...chosen.map((value) => ({ value, count: Number(total?.n ?? 0) }))].sort(
    byCountThenValue,
  );
}

/** The built-in sample contact previews are addressed to. */
const SAMPLE_CONTACT: Record<
  Locale,
  { firstName: string; lastName: string; email: string; company: string }
> = {
  en: { firstName: 'Alex', lastName: 'Sample', email: 'alex.sample@example.com', company: 'Sample Ltd' },
  'zh-CN': { firstName: '小明', lastName: '王', email: 'xiaoming.wang@example.com', company: '示例有限公司' },
};

/** The sender of a preview: the caller's partner, or a sample partner for brand-level callers. */
async function previewParties(db: Db, caller: Caller) {
  const [brand] = await db.select().from(brands).where(eq(brands.id, caller.brand.id)).limit(1);
  if (!brand) throw notFound('brand');
  let partner: RenderPartner | undefined;
  if (caller.partner) {
    const [row] = await db
      .select()
      .from(partners)
      .where(and(eq(partners.id, caller.partner.id), eq(partners.brandId, brand.id)))
      .limit(1);
    if (row) {
      partner = {
        id: row.id,
        name: row.name,
        replyTo: row.replyTo,
        postalAddress: row.postalAddress,
        signature: row.signature,
      };
    }
  }
  partner ??= {
    id: 'sample-partner',
    name: 'Your dealership',
    replyTo: `partners@${brand.domain}`,
    postalAddress: brand.postalAddress,
    signature: '',
  };
  return {
    brand: { id: brand.id, name: brand.name, domain: brand.domain, postalAddress: brand.postalAddress },
    partner,
  };
}

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
    await ensureFreshJourneyStats(db, caller.brand.id);
    const where = journeyWhere(caller, query);

    let parts: KeyPart[];
    let scope: string;
    let keySchema: z.ZodType<CursorValue[]>;
    let keyOf: (row: { journey: JourneyRow; cursorAt: string; rank: number }) => CursorValue[];
    if (query.sort === 'relevance') {
      const relevance = relevanceSort(query.q);
      parts = relevance.parts;
      // The rank depends on the words searched: a cursor only continues the same search.
      scope = `journeys:relevance:${searchFingerprint(query.q)}`;
      keySchema = relevance.keySchema;
      keyOf = (r) => [r.rank, r.cursorAt];
    } else {
      const sort = SORTS[query.sort];
      parts = sort.parts;
      scope = `journeys:${query.sort}`;
      keySchema = sort.keySchema;
      keyOf = (r) => [sort.key({ ...r.journey, cursorAt: r.cursorAt })];
    }
    const position = query.cursor ? decodeCursor(query.cursor, scope, keySchema) : undefined;
    const pageWhere = position ? and(where, keysetAfter(parts, [...position.key, position.id])) : where;

    const [rows, [totalRow]] = await Promise.all([
      db
        .select({
          journey: journeys,
          cursorAt: isoMicros(journeys.createdAt),
          rank: relevanceRank(sql`${journeys.name}`, sql`${journeys.tags}`, query.q),
        })
        .from(journeys)
        .where(pageWhere)
        .orderBy(keysetOrder(parts))
        .limit(query.limit + 1),
      db.select({ n: count() }).from(journeys).where(where),
    ]);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor(scope, keyOf({ ...last, rank: Number(last.rank) }), last.journey.id)
        : null;
    return c.json(
      { items: items.map((r) => toJourneySummary(r.journey)), nextCursor, total: totalRow?.n ?? 0 },
      200,
    );
  });

  app.openapi(journeyFacets, async (c) => {
    const { db } = c.get('deps');
    const caller = c.get('caller');
    const query = c.req.valid('query');
    // One at a time: PGlite runs one query at a time anyway, and a pool stays free for other requests.
    const category = await facetCounts(db, caller, query, 'category');
    const locale = await facetCounts(db, caller, query, 'locale');
    const channel = await facetCounts(db, caller, query, 'channel');
    const kind = await facetCounts(db, caller, query, 'kind');
    const tags = await tagCounts(db, caller, query);
    const [total] = await db.select({ n: count() }).from(journeys).where(journeyWhere(caller, query));
    return c.json({ total: Number(total?.n ?? 0), category, locale, channel, kind, tags }, 200);
  });

  app.openapi(previewStep, async (c) => {
    const { db, publicUrl } = c.get('deps');
    const caller = c.get('caller');
    const { id } = c.req.valid('param');
    const { stepId } = c.req.valid('query');
    const [row] = await db
      .select()
      .from(journeys)
      .where(and(eq(journeys.id, id), journeyVisibility(caller)))
      .limit(1);
    if (!row) throw notFound('journey');
    const step = stepId ? row.steps.find((s) => s.id === stepId) : row.steps[0];
    if (!step) {
      throw stepId ? invalid('query.stepId', 'no step with this id in the journey') : notFound('step');
    }
    const locale = row.locale as Locale;
    const sample = SAMPLE_CONTACT[locale] ?? SAMPLE_CONTACT.en;
    const { brand, partner } = await previewParties(db, caller);
    const rendered = await renderMessage({
      step,
      mergeFields: row.mergeFields,
      personalization: {},
      locale,
      brand,
      partner,
      senderName: caller.partner ? caller.name : partner.name,
      contact: { id: 'sample-contact', ...sample },
      publicUrl,
      tracking: null,
    });
    const name =
      locale === 'zh-CN' ? `${sample.lastName}${sample.firstName}` : `${sample.firstName} ${sample.lastName}`;
    return c.json(
      {
        journeyId: row.id,
        stepId: step.id,
        subject: rendered.subject,
        preheader: step.preheader ?? '',
        html: rendered.html,
        text: rendered.text,
        sampleContact: { name, email: sample.email },
      },
      200,
    );
  });

  app.openapi(getJourney, async (c) => {
    const { db } = c.get('deps');
    const caller = c.get('caller');
    const { id } = c.req.valid('param');
    await ensureFreshJourneyStats(db, caller.brand.id);
    const [row] = await db
      .select()
      .from(journeys)
      .where(and(eq(journeys.id, id), journeyVisibility(caller)))
      .limit(1);
    // Unknown and not-visible journeys get the same answer, so ids do not leak across tenants.
    if (!row) throw notFound('journey');
    const partnerStats = caller.partner ? await partnerJourneyStats(db, row.id, caller.partner.id) : null;
    return c.json({ ...toJourney(row), partnerStats }, 200);
  });
}
