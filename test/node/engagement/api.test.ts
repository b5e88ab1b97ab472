import { emptyTotals } from '../../../src/contract/index.js';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  EngagementSeries,
  EngagementSummary,
  RecipientPage,
  type EngagementTotals,
} from '../../../src/contract/index.js';
import { countBuckets } from '../../../server/domain/engagement.js';
import { buckets } from '../../../server/domain/engagement-time.js';
import { forEachDatabase } from '../support/db.js';
import { BRAND, insertFixture, qs, tokenFor, type FxUser } from './fixture.js';

const ZERO: EngagementTotals = emptyTotals();
const totals = (t: Partial<EngagementTotals>): EngagementTotals => ({ ...ZERO, ...t });

/** Send s1 from 2026-03-10 to 2026-03-13 (see fixture.ts). */
const S1 = totals({
  sent: 4,
  delivered: 3,
  uniqueDelivered: 3,
  opens: 3,
  uniqueOpens: 2,
  machineOpens: 2,
  uniqueMachineOpens: 2,
  clicks: 3,
  uniqueClicks: 2,
  bounces: 1,
  unsubscribes: 1,
});
const MAR10 = '2026-03-10T00:00:00Z';
const MAR13 = '2026-03-13T00:00:00Z';

forEachDatabase(
  'engagement API',
  (ctx) => {
    before(async () => {
      await insertFixture(ctx().db);
    });

    const get = async (as: FxUser, path: string, query: Record<string, string | number | undefined> = {}) =>
      ctx().call('GET', `${path}${qs(query)}`, { token: await tokenFor(as) });

    describe('GET /v1/engagement/summary', () => {
      it('counts a send exactly: events vs unique recipients, human vs machine opens, rates', async () => {
        const res = await get('p1', '/v1/engagement/summary', { sendId: 's1', from: MAR10, to: MAR13 });
        assert.equal(res.status, 200);
        const body = EngagementSummary.parse(res.body);
        assert.deepEqual(body.totals, S1);
        assert.deepEqual(body.rates, {
          delivery: 0.75,
          open: 0.6667,
          click: 0.6667,
          bounce: 0.25,
          unsubscribe: 0.3333,
        });
        assert.equal(body.from, '2026-03-10T00:00:00.000Z');
        assert.equal(body.to, '2026-03-13T00:00:00.000Z');
      });

      it('benchmarks against the network for the same journey and range', async () => {
        const res = await get('p1', '/v1/engagement/summary', { sendId: 's1', from: MAR10, to: MAR13 });
        // j1 in range: s1 (3 delivered, 2 opened, 2 clicked) and s3–s6 (1 delivered and opened each).
        assert.deepEqual(res.body.network, { open: 0.8571, click: 0.2857, partners: 5 });
      });

      it('hides network rates behind small-count privacy (fewer than 5 partners)', async () => {
        const j2 = await get('p1', '/v1/engagement/summary', {
          journeyId: 'j2',
          from: '2026-03-01T00:00:00Z',
          to: '2026-04-06T00:00:00Z',
        });
        assert.deepEqual(j2.body.network, { open: null, click: null, partners: 1 });
        const late = await get('admin', '/v1/engagement/summary', {
          journeyId: 'j1',
          from: '2026-03-14T00:00:00Z',
          to: '2026-03-25T00:00:00Z',
        });
        assert.deepEqual(late.body.network, { open: null, click: null, partners: 1 });
        assert.equal(late.body.totals.uniqueOpens, 1);
      });

      it('places unique counts at the first event: a range after the first open counts only new openers', async () => {
        const res = await get('p1', '/v1/engagement/summary', {
          sendId: 's1',
          from: '2026-03-10T16:00:00Z',
          to: MAR13,
        });
        assert.equal(res.body.totals.opens, 2);
        assert.equal(res.body.totals.uniqueOpens, 1);
      });

      it('is exact for ranges that do not start or end on the hour', async () => {
        const res = await get('p1', '/v1/engagement/summary', {
          sendId: 's1',
          from: '2026-03-10T15:45:00Z',
          to: '2026-03-11T02:05:30Z',
        });
        assert.deepEqual(res.body.totals, totals({ opens: 2, uniqueOpens: 1, clicks: 2, uniqueClicks: 2 }));
      });

      it('covers the brand for scope=network, and never another brand', async () => {
        const res = await get('admin', '/v1/engagement/summary', {
          scope: 'network',
          from: MAR10,
          to: MAR13,
        });
        assert.equal(res.status, 200);
        assert.deepEqual(
          res.body.totals,
          totals({
            ...S1,
            delivered: 7,
            uniqueDelivered: 7,
            opens: 7,
            uniqueOpens: 6,
          }),
        );
        const other = await get('otherAdmin', '/v1/engagement/summary', {
          scope: 'network',
          from: MAR10,
          to: MAR13,
        });
        assert.deepEqual(
          other.body.totals,
          totals({ delivered: 1, uniqueDelivered: 1, opens: 1, uniqueOpens: 1 }),
        );
      });

      it('defaults to the 30 days before now', async () => {
        const before = Date.now();
        const res = await get('admin', '/v1/engagement/summary');
        assert.equal(res.status, 200);
        const to = Date.parse(res.body.to);
        assert.ok(to >= before - 1000 && to <= Date.now() + 1000);
        assert.equal(to - Date.parse(res.body.from), 30 * 86_400_000);
        assert.deepEqual(res.body.totals, ZERO);
      });
    });

    describe('GET /v1/engagement/series', () => {
      it('buckets by UTC day', async () => {
        const res = await get('p1', '/v1/engagement/series', { sendId: 's1', from: MAR10, to: MAR13 });
        assert.equal(res.status, 200);
        const body = EngagementSeries.parse(res.body);
        assert.deepEqual(
          body.points.map(({ at, ...t }) => [at, t]),
          [
            [
              '2026-03-10T00:00:00.000Z',
              totals({
                sent: 4,
                delivered: 3,
                uniqueDelivered: 3,
                opens: 2,
                uniqueOpens: 1,
                machineOpens: 2,
                uniqueMachineOpens: 2,
                clicks: 1,
                uniqueClicks: 1,
                bounces: 1,
              }),
            ],
            ['2026-03-11T00:00:00.000Z', totals({ opens: 1, uniqueOpens: 1, clicks: 2, uniqueClicks: 1 })],
            ['2026-03-12T00:00:00.000Z', totals({ unsubscribes: 1 })],
          ],
        );
      });

      it('buckets by local day in Asia/Shanghai: opens either side of local midnight land on different days', async () => {
        const res = await get('p1', '/v1/engagement/series', {
          sendId: 's1',
          from: '2026-03-10T00:00:00+08:00',
          to: '2026-03-13T00:00:00+08:00',
          tz: 'Asia/Shanghai',
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.tz, 'Asia/Shanghai');
        assert.deepEqual(
          res.body.points.map(({ at, ...t }: { at: string }) => [at, t]),
          [
            [
              '2026-03-09T16:00:00.000Z',
              totals({
                sent: 4,
                delivered: 3,
                uniqueDelivered: 3,
                opens: 1,
                uniqueOpens: 1,
                machineOpens: 2,
                uniqueMachineOpens: 2,
                bounces: 1,
              }),
            ],
            ['2026-03-10T16:00:00.000Z', totals({ opens: 2, uniqueOpens: 1, clicks: 3, uniqueClicks: 2 })],
            ['2026-03-11T16:00:00.000Z', totals({ unsubscribes: 1 })],
          ],
        );
      });

      it('buckets by ISO week (Monday) and by month', async () => {
        const weeks = await get('admin', '/v1/engagement/series', {
          partnerId: 'p1',
          interval: 'week',
          from: '2026-02-23T00:00:00Z',
          to: '2026-04-06T00:00:00Z',
        });
        assert.equal(weeks.status, 200);
        const w = weeks.body.points as (EngagementTotals & { at: string })[];
        assert.deepEqual(
          w.map((p) => p.at),
          ['02-23', '03-02', '03-09', '03-16', '03-23', '03-30'].map((d) => `2026-${d}T00:00:00.000Z`),
        );
        // s2: delivered on Sunday 03-01 (week of 02-23), opened Monday 03-02, clicked 04-02.
        assert.deepEqual([w[0]!.delivered, w[1]!.opens, w[5]!.clicks], [1, 1, 1]);
        const { at: _at, ...week3 } = w[2]!;
        assert.deepEqual(week3, S1);

        const months = await get('admin', '/v1/engagement/series', {
          partnerId: 'p1',
          interval: 'month',
          from: '2026-02-01T00:00:00Z',
          to: '2026-05-01T00:00:00Z',
        });
        const m = months.body.points as (EngagementTotals & { at: string })[];
        assert.deepEqual(
          m.map((p) => p.at),
          ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
        );
        assert.deepEqual(
          [
            m[0]!.delivered,
            m[1]!.delivered,
            m[1]!.uniqueDelivered,
            m[1]!.opens,
            m[1]!.uniqueOpens,
            m[2]!.clicks,
          ],
          [0, 4, 4, 4, 3, 1],
        );
      });

      it('adds up to the summary over the same range', async () => {
        const query = {
          partnerId: 'p1',
          from: '2026-03-01T07:30:00Z',
          to: '2026-04-03T00:00:00Z',
          tz: 'Asia/Kolkata',
        };
        const series = await get('admin', '/v1/engagement/series', query);
        const summary = await get('admin', '/v1/engagement/summary', query);
        const sum = { ...ZERO };
        for (const p of series.body.points as EngagementTotals[]) {
          for (const k of Object.keys(ZERO) as (keyof EngagementTotals)[]) sum[k] += p[k];
        }
        assert.deepEqual(sum, summary.body.totals);
      });

      it('answers the same from the roll-ups as from raw events, in any time zone and interval', async () => {
        const scopes = [
          { brandId: BRAND, partnerId: null, journeyId: null, sendId: null },
          { brandId: BRAND, partnerId: 'p1', journeyId: null, sendId: null },
          { brandId: BRAND, partnerId: null, journeyId: 'j1', sendId: null },
          { brandId: BRAND, partnerId: 'p1', journeyId: 'j1', sendId: 's1' },
        ];
        const zones = [
          'UTC',
          'Asia/Shanghai',
          'Asia/Kolkata',
          'Asia/Kathmandu',
          'America/New_York',
          'Pacific/Chatham',
        ];
        const from = Date.parse('2026-02-27T13:17:00Z');
        const to = Date.parse('2026-04-04T08:45:10Z');
        for (const scope of scopes) {
          for (const tz of zones) {
            for (const interval of ['day', 'week', 'month'] as const) {
              const { edges } = buckets(tz, interval, from, to)!;
              const fast = await countBuckets(ctx().db, scope, edges);
              const slow = await countBuckets(ctx().db, scope, edges, { rollups: false });
              assert.deepEqual(fast, slow, `${JSON.stringify(scope)} ${tz} ${interval}`);
            }
          }
        }
      });
    });

    describe('GET /v1/engagement/recipients', () => {
      const range = { from: MAR10, to: MAR13 };

      it('lists who opened (humans only), newest first, with their history', async () => {
        const res = await get('p1', '/v1/engagement/recipients', {
          sendId: 's1',
          metric: 'opened',
          ...range,
        });
        assert.equal(res.status, 200);
        const page = RecipientPage.parse(res.body);
        assert.deepEqual(
          page.items.map((r) => [r.contactId, r.at]),
          [
            ['c2', '2026-03-11T02:00:00.000Z'],
            ['c1', '2026-03-10T15:30:00.000Z'],
          ],
        );
        assert.equal(page.total, 2);
        assert.equal(page.nextCursor, null);
        assert.deepEqual(page.items[1], {
          contactId: 'c1',
          email: 'anna@example.com',
          name: 'Anna Adler',
          sendId: 's1',
          at: '2026-03-10T15:30:00.000Z',
          delivered: true,
          opened: true,
          machineOpened: true,
          clicked: true,
          bounced: false,
          complained: false,
          unsubscribed: false,
          opens: 2,
          machineOpens: 1,
          clicks: 1,
          lastEventAt: '2026-03-10T16:45:00.000Z',
        });
      });

      it('filters by metric', async () => {
        const ids = async (metric: string) =>
          (
            await get('p1', '/v1/engagement/recipients', { sendId: 's1', metric, sort: 'email', ...range })
          ).body.items.map((r: { contactId: string }) => r.contactId);
        assert.deepEqual(await ids('machineOpened'), ['c1', 'c3']);
        assert.deepEqual(await ids('clicked'), ['c1', 'c2']);
        assert.deepEqual(await ids('bounced'), ['c4']);
        assert.deepEqual(await ids('unsubscribed'), ['c3']);
        assert.deepEqual(await ids('delivered'), ['c1', 'c2', 'c3']);
        assert.deepEqual(await ids('complained'), []);
      });

      it('sorts by email either way and pages with a cursor', async () => {
        const all: string[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 5; i++) {
          const res = await get('p1', '/v1/engagement/recipients', {
            sendId: 's1',
            sort: '-email',
            limit: 1,
            cursor,
            ...range,
          });
          assert.equal(res.status, 200);
          assert.equal(res.body.total, 4);
          all.push(...res.body.items.map((r: { email: string }) => r.email));
          cursor = res.body.nextCursor ?? undefined;
          if (!cursor) break;
        }
        assert.deepEqual(all, [
          'dora@example.com',
          'cleo@example.com',
          'bert@example.com',
          'anna@example.com',
        ]);
        const bad = await get('p1', '/v1/engagement/recipients', {
          sendId: 's1',
          sort: 'at',
          cursor: 'abc',
          ...range,
        });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.fields[0].path, 'query.cursor');
      });

      it('pages by time with ties broken by send and contact', async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const res = await get('p1', '/v1/engagement/recipients', {
            sendId: 's1',
            sort: 'at',
            limit: 3,
            cursor,
            ...range,
          });
          seen.push(...res.body.items.map((r: { contactId: string }) => r.contactId));
          cursor = res.body.nextCursor ?? undefined;
        } while (cursor);
        // Every recipient's first event in range is the 01:00 `sent`.
        assert.deepEqual(seen, ['c1', 'c2', 'c3', 'c4']);
      });

      it('lists the whole brand for a brand admin, and only the own partner for a partner', async () => {
        const network = await get('admin', '/v1/engagement/recipients', {
          scope: 'network',
          metric: 'opened',
          ...range,
        });
        assert.equal(network.body.total, 6);
        assert.ok(!network.body.items.some((r: { contactId: string }) => r.contactId === 'co1'));
        const own = await get('p2', '/v1/engagement/recipients', { metric: 'opened', ...range });
        assert.deepEqual(
          own.body.items.map((r: { contactId: string }) => r.contactId),
          ['c11'],
        );
      });
    });

    describe('tenancy', () => {
      it('partners see only their own partner', async () => {
        const own = await get('p1', '/v1/engagement/summary', {
          from: '2026-03-01T00:00:00Z',
          to: '2026-04-06T00:00:00Z',
        });
        assert.equal(own.body.totals.delivered, 4);
        const journey = await get('p1', '/v1/engagement/summary', {
          journeyId: 'j1',
          from: MAR10,
          to: MAR13,
        });
        assert.deepEqual(journey.body.totals, S1);
      });

      it('a partner asking for the network or another partner gets 403, the same whether it exists or not', async () => {
        for (const user of ['p1', 'manager'] as const) {
          const network = await get(user, '/v1/engagement/summary', { scope: 'network' });
          assert.equal(network.status, 403, user);
          const other = await get(user, '/v1/engagement/series', { partnerId: 'p2' });
          const missing = await get(user, '/v1/engagement/series', { partnerId: 'p_nobody' });
          assert.equal(other.status, 403);
          assert.deepEqual(other.body, missing.body);
        }
      });

      it("another partner's send, or a journey of another brand, is 404 like one that does not exist", async () => {
        const theirs = await get('p1', '/v1/engagement/recipients', { sendId: 's3' });
        const none = await get('p1', '/v1/engagement/recipients', { sendId: 's_nobody' });
        assert.equal(theirs.status, 404);
        assert.equal(none.status, 404);
        assert.equal(theirs.body.error.code, none.body.error.code);
        for (const query of [{ sendId: 'so1' }, { journeyId: 'jo1' }, { partnerId: 'po1' }]) {
          const res = await get('admin', '/v1/engagement/summary', query);
          assert.equal(res.status, 404, JSON.stringify(query));
        }
        const mismatch = await get('admin', '/v1/engagement/summary', { sendId: 's1', partnerId: 'p2' });
        assert.equal(mismatch.status, 404);
      });

      it('approvers: a partner manager sees its partner, brand compliance every partner but not the network scope', async () => {
        const manager = await get('manager', '/v1/engagement/summary', { from: MAR10, to: MAR13 });
        assert.deepEqual(manager.body.totals, S1);
        const compliance = await get('compliance', '/v1/engagement/summary', {
          partnerId: 'p2',
          from: MAR10,
          to: MAR13,
        });
        assert.equal(compliance.status, 200);
        assert.deepEqual(
          compliance.body.totals,
          totals({ delivered: 1, uniqueDelivered: 1, opens: 1, uniqueOpens: 1 }),
        );
        const network = await get('compliance', '/v1/engagement/summary', { scope: 'network' });
        assert.equal(network.status, 403);
      });

      it('requires a token', async () => {
        for (const path of [
          '/v1/engagement/summary',
          '/v1/engagement/series',
          '/v1/engagement/recipients',
          '/v1/live',
        ]) {
          const res = await ctx().call('GET', path);
          assert.equal(res.status, 401, path);
        }
      });
    });

    describe('bad input: 400 with field paths', () => {
      const cases: Array<[string, Record<string, string | number>, string]> = [
        ['/v1/engagement/summary', { tz: 'Mars/Olympus_Mons' }, 'query.tz'],
        ['/v1/engagement/series', { tz: 'not a zone' }, 'query.tz'],
        ['/v1/engagement/summary', { from: MAR13, to: MAR10 }, 'query.to'],
        ['/v1/engagement/summary', { from: MAR10, to: MAR10 }, 'query.to'],
        ['/v1/engagement/summary', { from: '2026-03-10' }, 'query.from'],
        ['/v1/engagement/summary', { color: 'blue' }, 'query.color'],
        ['/v1/engagement/series', { interval: 'year' }, 'query.interval'],
        [
          '/v1/engagement/series',
          { interval: 'day', from: '2016-01-01T00:00:00Z', to: MAR10 },
          'query.interval',
        ],
        ['/v1/engagement/recipients', { limit: 0 }, 'query.limit'],
        ['/v1/engagement/recipients', { metric: 'liked' }, 'query.metric'],
        ['/v1/engagement/recipients', { sort: 'name' }, 'query.sort'],
        ['/v1/engagement/summary', { scope: 'everyone' }, 'query.scope'],
        ['/v1/engagement/summary', { scope: 'network', partnerId: 'p1' }, 'query.scope'],
        ['/v1/engagement/summary', { sendId: 'bad id!' }, 'query.sendId'],
      ];
      for (const [path, query, field] of cases) {
        it(`${path}${qs(query)} → ${field}`, async () => {
          const res = await get('admin', path, query);
          assert.equal(res.status, 400);
          assert.equal(res.body.error.code, 'validation');
          assert.ok(
            res.body.error.fields.some((f: { path: string }) => f.path === field),
            JSON.stringify(res.body.error.fields),
          );
        });
      }
    });

    it('publishes the routes in /openapi.json', async () => {
      const res = await ctx().call('GET', '/openapi.json');
      for (const path of [
        '/v1/engagement/summary',
        '/v1/engagement/series',
        '/v1/engagement/recipients',
        '/v1/live',
      ]) {
        assert.ok(res.body.paths[path]?.get, path);
      }
      assert.ok(res.body.paths['/v1/live'].get.responses['200'].content['text/event-stream']);
    });
  },
  { seed: false },
);
