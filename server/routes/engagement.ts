import { createRoute } from '@hono/zod-openapi';
import {
  EngagementScope,
  EngagementSeries,
  EngagementSummary,
  RecipientPage,
  RecipientQuery,
  SeriesQuery,
} from '../../src/contract/index.js';
import { recipients, resolveRange, resolveScope, series, summary } from '../domain/engagement.js';
import type { App } from '../env.js';
import { errorResponses, json } from './shared.js';

const SCOPE_RULES =
  'Scope: `sendId`, `journeyId`, `partnerId` (combinable; they must agree) or `scope=network` (brand admins ' +
  'only, 403 otherwise). Partner users and partner-manager approvers see only their own partner: another ' +
  '`partnerId` is 403, a send or journey outside it is 404. Range: `from` (inclusive) to `to` (exclusive), ' +
  'default the 30 days before now; `from` must be before `to`. `tz` is an IANA name. Unknown parameters are 400.';

const summaryRoute = createRoute({
  method: 'get',
  path: '/v1/engagement/summary',
  tags: ['engagement'],
  summary: 'Totals, rates and the network benchmark',
  description:
    `${SCOPE_RULES} Opens and clicks are human only; machine opens and clicks are counted apart. Unique ` +
    'counts count recipients (send, contact) by their first event of the kind. The network benchmark ' +
    '(same range; same journey when one is named) has `open`/`click` `null` when fewer than 5 partners ' +
    'or 5 recipients contributed.',
  request: { query: EngagementScope },
  responses: { 200: json(EngagementSummary, 'The figures'), ...errorResponses },
});

const seriesRoute = createRoute({
  method: 'get',
  path: '/v1/engagement/series',
  tags: ['engagement'],
  summary: 'Totals per day, week (from Monday) or month in a time zone',
  description:
    `${SCOPE_RULES} One point per bucket, empty buckets included; \`at\` is the bucket's local start. ` +
    'The first bucket starts at `from` and the last ends at `to`, so the points add up to the summary. ' +
    'At most 2000 buckets (400 on `query.interval` beyond).',
  request: { query: SeriesQuery },
  responses: { 200: json(EngagementSeries, 'The series'), ...errorResponses },
});

const recipientsRoute = createRoute({
  method: 'get',
  path: '/v1/engagement/recipients',
  tags: ['engagement'],
  summary: 'Recipients with activity in the range, one row per (send, contact)',
  description:
    `${SCOPE_RULES} \`metric\` keeps recipients with that kind of event in the range (opened and clicked: ` +
    'human only); `at` is their first such event. Sorted by `sort`, paged with `cursor`.',
  request: { query: RecipientQuery },
  responses: { 200: json(RecipientPage, 'A page of recipients'), ...errorResponses },
});

export function registerEngagement(app: App) {
  app.openapi(summaryRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const q = c.req.valid('query');
    const { from, to } = resolveRange(q, clock());
    const scope = await resolveScope(db, c.get('caller'), q);
    return c.json(await summary(db, scope, from, to), 200);
  });

  app.openapi(seriesRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const q = c.req.valid('query');
    const { from, to } = resolveRange(q, clock());
    const scope = await resolveScope(db, c.get('caller'), q);
    return c.json(await series(db, scope, { from, to, interval: q.interval, tz: q.tz }), 200);
  });

  app.openapi(recipientsRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const q = c.req.valid('query');
    const { from, to } = resolveRange(q, clock());
    const scope = await resolveScope(db, c.get('caller'), q);
    const page = await recipients(db, scope, {
      from,
      to,
      metric: q.metric,
      sort: q.sort,
      cursor: q.cursor,
      limit: q.limit,
    });
    return c.json(page, 200);
  });
}
