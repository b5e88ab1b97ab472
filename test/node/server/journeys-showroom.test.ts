import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import {
  Journey,
  JourneyFacets,
  JourneyPage,
  JourneyStepPreview,
  type FacetCount,
  type JourneySummary,
} from '../../../src/contract/index.js';
import { events, journeys, sends } from '../../../server/db/schema.js';
import { invalidateJourneyStats } from '../../../server/domain/journey-stats.js';
import { DEMO_JOURNEYS, DEMO_PARTNERS, DEMO_USERS } from '../../../server/seed/demo.js';
import type { DemoJourney } from '../../../server/seed/demo-journeys.js';
import { createClient } from '../../../src/sdk/index.js';
import { forEachDatabase, type TestContext } from '../support/db.js';

/** The demo journeys a user may see, from the seed definitions (independently of the SQL). */
function visibleTo(userId: string): DemoJourney[] {
  const user = DEMO_USERS.find((u) => u.id === userId)!;
  const partner = DEMO_PARTNERS.find((p) => p.id === user.partnerId);
  return DEMO_JOURNEYS.filter(
    (j) =>
      j.status === 'published' &&
      (!partner ||
        ((j.tiers.length === 0 || j.tiers.includes(partner.tier)) &&
          (j.regions.length === 0 || j.regions.includes(partner.region)))),
  );
}

const words = (q: string) => q.toLowerCase().split(/\s+/).filter(Boolean);
const searchTextOf = (j: DemoJourney) => [j.name, j.summary, ...j.tags].join(' ').toLowerCase();

interface DemoFilters {
  q?: string;
  category?: string;
  locale?: string;
  kind?: string;
  tags?: string[];
}

function matches(j: DemoJourney, f: DemoFilters, without?: keyof DemoFilters): boolean {
  const use = (k: keyof DemoFilters) => k !== without;
  return (
    (!use('q') || !f.q || words(f.q).every((w) => searchTextOf(j).includes(w))) &&
    (!use('category') || !f.category || j.category === f.category) &&
    (!use('locale') || !f.locale || j.locale === f.locale) &&
    (!use('kind') || !f.kind || j.kind === f.kind) &&
    (!use('tags') || (f.tags ?? []).every((t) => j.tags.includes(t)))
  );
}

function countBy(list: DemoJourney[], key: (j: DemoJourney) => string[]): FacetCount[] {
  const counts = new Map<string, number>();
  for (const j of list) for (const v of key(j)) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** The facets a user should get, computed from the seed definitions. */
function expectedFacets(userId: string, f: DemoFilters) {
  const visible = visibleTo(userId);
  const facet = (name: keyof DemoFilters, key: (j: DemoJourney) => string[]) =>
    countBy(
      visible.filter((j) => matches(j, f, name)),
      key,
    );
  const all = visible.filter((j) => matches(j, f));
  return {
    total: all.length,
    category: facet('category', (j) => [j.category]),
    locale: facet('locale', (j) => [j.locale]),
    channel: countBy(all, () => ['email']),
    kind: facet('kind', (j) => [j.kind]),
    tags: countBy(all, (j) => j.tags).slice(0, 30),
  };
}

function qs(f: DemoFilters): string {
  const params = new URLSearchParams();
  if (f.q) params.set('q', f.q);
  if (f.category) params.set('category', f.category);
  if (f.locale) params.set('locale', f.locale);
  if (f.kind) params.set('kind', f.kind);
  for (const t of f.tags ?? []) params.append('tags', t);
  return params.toString();
}

async function walk(ctx: TestContext, as: string, query: string, limit: number) {
  const items: JourneySummary[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/v1/journeys?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await ctx.call('GET', url, { as });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const page = JourneyPage.parse(res.body);
    items.push(...page.items);
    cursor = page.nextCursor;
    assert.ok(++pages < 100, 'pagination does not terminate');
  } while (cursor);
  return items;
}

const ids = (items: { id: string }[]) => items.map((i) => i.id);

/** The relevance rank of a demo journey for `q` (0 name, 1 name or tags, 2 summary). */
function rankOf(j: Pick<DemoJourney, 'name' | 'tags'>, q: string): number {
  const ws = words(q);
  if (ws.every((w) => j.name.toLowerCase().includes(w))) return 0;
  if (ws.every((w) => j.name.toLowerCase().includes(w) || j.tags.join(' ').toLowerCase().includes(w)))
    return 1;
  return 2;
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

forEachDatabase('journeys showroom API', (ctx) => {
  describe('GET /v1/journeys/facets', () => {
    const cases: Array<[string, DemoFilters]> = [
      ['u_jana', {}],
      ['u_jana', { category: 'offer' }],
      ['u_admin', { locale: 'en', kind: 'template' }],
      ['u_li', { q: 'e' }],
      ['u_jana', { tags: ['aftersales'] }],
      ['u_admin', { tags: ['aftersales', 'seasonal'], category: 'promotion' }],
      ['u_ayse', { q: 'nothing matches this' }],
    ];
    for (const [as, filters] of cases) {
      it(`counts each facet with the other filters for ${as} ${JSON.stringify(filters)}`, async () => {
        const res = await ctx().call('GET', `/v1/journeys/facets?${qs(filters)}`, { as });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const facets = JourneyFacets.parse(res.body);
        assert.deepEqual(facets, expectedFacets(as, filters));
      });
    }

    it('agrees with the listing total and each count with the listing for that value', async () => {
      const filters: DemoFilters = { kind: 'template' };
      const facets = JourneyFacets.parse(
        (await ctx().call('GET', `/v1/journeys/facets?${qs(filters)}`, { as: 'u_jana' })).body,
      );
      const list = await ctx().call('GET', `/v1/journeys?${qs(filters)}&limit=1`, { as: 'u_jana' });
      assert.equal(facets.total, list.body.total);
      for (const { value, count } of facets.category) {
        const res = await ctx().call('GET', `/v1/journeys?${qs({ ...filters, category: value })}&limit=1`, {
          as: 'u_jana',
        });
        assert.equal(res.body.total, count, value);
      }
    });

    it('never counts journeys outside the tier and region, drafts or archived ones', async () => {
      const jana = JourneyFacets.parse(
        (await ctx().call('GET', '/v1/journeys/facets', { as: 'u_jana' })).body,
      );
      assert.ok(
        !jana.locale.some((l) => l.value === 'zh-CN' && l.count > 1),
        'Shanghai-only journeys hidden',
      );
      assert.ok(!jana.tags.some((t) => t.value === '车展'));
      const admin = JourneyFacets.parse(
        (await ctx().call('GET', '/v1/journeys/facets', { as: 'u_admin' })).body,
      );
      assert.equal(admin.total, visibleTo('u_admin').length);
      assert.ok(!admin.tags.some((t) => t.value === 'black friday'), 'drafts are not counted');
    });

    it('keeps a chosen tag in the tags facet', async () => {
      const res = await ctx().call('GET', '/v1/journeys/facets?tags=2025', { as: 'u_admin' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.tags, [{ value: '2025', count: 0 }]);
      assert.equal(res.body.total, 0);
    });

    it('rejects unknown filters and bad values like the listing', async () => {
      for (const [query, path] of [
        ['sort=name', 'query.sort'],
        ['category=cars', 'query.category'],
        [`tags=${'x'.repeat(51)}`, 'query.tags.0'],
        [Array.from({ length: 11 }, (_, i) => `tags=t${i}`).join('&'), 'query.tags'],
      ] as const) {
        const res = await ctx().call('GET', `/v1/journeys/facets?${query}`, { as: 'u_jana' });
        assert.equal(res.status, 400, query);
        assert.ok(
          res.body.error.fields.some((f: { path: string }) => f.path === path),
          JSON.stringify(res.body.error.fields),
        );
      }
    });

    it('requires a token', async () => {
      const res = await ctx().call('GET', '/v1/journeys/facets');
      assert.equal(res.status, 401);
    });
  });

  describe('GET /v1/journeys with tags', () => {
    it('keeps journeys that have every tag, given repeated or comma-separated', async () => {
      const one = await walk(ctx(), 'u_admin', 'tags=aftersales', 2);
      const expected = visibleTo('u_admin').filter((j) => j.tags.includes('aftersales'));
      assert.deepEqual(ids(one).sort(), ids(expected).sort());

      const both = await walk(ctx(), 'u_admin', 'tags=aftersales&tags=seasonal', 2);
      const comma = await walk(ctx(), 'u_admin', `tags=${encodeURIComponent('aftersales, seasonal')}`, 2);
      const expectedBoth = expected.filter((j) => j.tags.includes('seasonal'));
      assert.ok(expectedBoth.length >= 2);
      assert.deepEqual(ids(both).sort(), ids(expectedBoth).sort());
      assert.deepEqual(ids(comma), ids(both));
    });

    it('matches tags exactly, with spaces and in Chinese', async () => {
      const spaced = await walk(ctx(), 'u_jana', `tags=${encodeURIComponent('test drive')}`, 5);
      assert.deepEqual(ids(spaced).sort(), ['j_ev_launch_promotion', 'j_test_drive_follow_up']);
      const zh = await walk(ctx(), 'u_li', `tags=${encodeURIComponent('保养')}`, 5);
      assert.deepEqual(ids(zh), ['j_zh_service_reminder']);
      const partial = await ctx().call('GET', '/v1/journeys?tags=test', { as: 'u_jana' });
      assert.equal(partial.body.total, 0);
    });
  });

  describe('GET /v1/journeys?sort=relevance', () => {
    for (const q of ['service', 'offer', 'e-volt', 'quick', 'welcome owner', '保养']) {
      it(`ranks name matches first for q=${q}, pages without gaps`, async () => {
        const as = /\p{Script=Han}/u.test(q) ? 'u_li' : 'u_admin';
        const query = `sort=relevance&q=${encodeURIComponent(q)}`;
        const full = await walk(ctx(), as, query, 100);
        const paged = await walk(ctx(), as, query, 2);
        assert.deepEqual(ids(paged), ids(full), 'pages concatenate to the one-page listing');
        const expected = visibleTo(as).filter((j) => matches(j, { q }));
        assert.deepEqual(ids(full).sort(), ids(expected).sort(), 'same matches as any other sort');
        const byId = new Map(DEMO_JOURNEYS.map((j) => [j.id, j]));
        for (let i = 1; i < full.length; i++) {
          const [a, b] = [full[i - 1]!, full[i]!];
          const [ra, rb] = [rankOf(byId.get(a.id)!, q), rankOf(byId.get(b.id)!, q)];
          assert.ok(
            ra < rb || (ra === rb && a.createdAt >= b.createdAt),
            `${a.id} (${ra}) before ${b.id} (${rb})`,
          );
        }
      });
    }

    it('puts a name match before a newer summary or tag match', async () => {
      const items = await walk(ctx(), 'u_admin', 'sort=relevance&q=service', 100);
      assert.equal(items[0]!.id, 'j_service_reminder');
      const newest = await walk(ctx(), 'u_admin', 'sort=newest&q=service', 100);
      assert.notEqual(newest[0]!.id, 'j_service_reminder', 'the fixture needs a newer non-name match');
    });

    it('is the newest order without q', async () => {
      const relevance = await walk(ctx(), 'u_jana', 'sort=relevance', 3);
      const newest = await walk(ctx(), 'u_jana', 'sort=newest', 3);
      assert.deepEqual(ids(relevance), ids(newest));
    });

    it('rejects a relevance cursor of another search', async () => {
      const first = await ctx().call('GET', '/v1/journeys?sort=relevance&q=e&limit=1', { as: 'u_admin' });
      assert.ok(first.body.nextCursor);
      const cursor = encodeURIComponent(first.body.nextCursor);
      const same = await ctx().call('GET', `/v1/journeys?sort=relevance&q=E&limit=1&cursor=${cursor}`, {
        as: 'u_admin',
      });
      assert.equal(same.status, 200, 'the same words in another case continue');
      const other = await ctx().call('GET', `/v1/journeys?sort=relevance&q=a&limit=1&cursor=${cursor}`, {
        as: 'u_admin',
      });
      assert.equal(other.status, 400);
      assert.equal(other.body.error.fields[0].path, 'query.cursor');
    });
  });

  describe('GET /v1/journeys/{id}/preview', () => {
    it('renders a step for the sample contact with the partner as sender', async () => {
      const journey = DEMO_JOURNEYS.find((j) => j.id === 'j_welcome_new_owner')!;
      const step = journey.steps[1]!;
      const res = await ctx().call('GET', `/v1/journeys/${journey.id}/preview?stepId=${step.id}`, {
        as: 'u_jana',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const preview = JourneyStepPreview.parse(res.body);
      assert.equal(preview.stepId, step.id);
      assert.equal(preview.journeyId, journey.id);
      assert.match(preview.html, /^<!doctype html>/i);
      assert.match(preview.html, /Nordlicht Autohaus/);
      assert.equal(preview.sampleContact.name, 'Alex Sample');
      assert.ok(!preview.html.includes('{{'), 'merge fields are filled in');
      assert.ok(!/\/t\/[oc]\//.test(preview.html), 'no tracking links or pixel');
      assert.ok(preview.text.length > 0);
    });

    it('renders the first step without stepId, in Chinese for a Chinese journey', async () => {
      const res = await ctx().call('GET', '/v1/journeys/j_zh_service_reminder/preview', { as: 'u_li' });
      assert.equal(res.status, 200);
      const journey = DEMO_JOURNEYS.find((j) => j.id === 'j_zh_service_reminder')!;
      assert.equal(res.body.stepId, journey.steps[0]!.id);
      assert.equal(res.body.sampleContact.name, '王小明');
      assert.match(res.body.html, /lang="zh-CN"/);
    });

    it('uses a sample partner for brand-level callers', async () => {
      const res = await ctx().call('GET', '/v1/journeys/j_thank_you_purchase/preview', { as: 'u_admin' });
      assert.equal(res.status, 200);
      assert.match(res.body.html, /Your dealership/);
    });

    it('answers 404 alike for unknown, draft and out-of-audience journeys', async () => {
      const unknown = await ctx().call('GET', '/v1/journeys/j_nope/preview', { as: 'u_ayse' });
      assert.equal(unknown.status, 404);
      for (const [as, id] of [
        ['u_ayse', 'j_loyalty_upgrade_offer'], // gold only; Ayşe's partner is bronze
        ['u_jana', 'j_zh_auto_show_invite'], // Shanghai only
        ['u_admin', 'j_draft_summer_sale'],
        ['u_admin', 'j_archived_winter_2025'],
      ] as const) {
        const res = await ctx().call('GET', `/v1/journeys/${id}/preview`, { as });
        assert.equal(res.status, 404, `${as} ${id}`);
        assert.deepEqual(res.body, unknown.body);
      }
    });

    it('rejects an unknown step and unknown parameters', async () => {
      const step = await ctx().call('GET', '/v1/journeys/j_welcome_new_owner/preview?stepId=nope', {
        as: 'u_jana',
      });
      assert.equal(step.status, 400);
      assert.equal(step.body.error.fields[0].path, 'query.stepId');
      const extra = await ctx().call('GET', '/v1/journeys/j_welcome_new_owner/preview?contactId=c1', {
        as: 'u_jana',
      });
      assert.equal(extra.status, 400);
    });

    it('requires a token', async () => {
      const res = await ctx().call('GET', '/v1/journeys/j_welcome_new_owner/preview');
      assert.equal(res.status, 401);
    });
  });

  describe('through the SDK', () => {
    it('journeys.facets and journeys.preview validate the server’s answers', async () => {
      const token = await ctx().token('u_jana');
      const client = createClient({
        baseUrl: 'https://dm.test',
        token,
        fetch: (input, init) => ctx().app.fetch(new Request(input, init)),
      });
      const facets = await client.journeys.facets({ kind: 'template', tags: ['quick', 'sales'] });
      assert.deepEqual(facets, expectedFacets('u_jana', { kind: 'template', tags: ['quick', 'sales'] }));
      const page = await client.journeys.list({ sort: 'relevance', q: 'follow', tags: ['quick'] });
      assert.deepEqual(ids(page.items).sort(), ['j_meeting_follow_up', 'j_test_drive_follow_up']);
      const preview = await client.journeys.preview('j_thank_you_purchase');
      assert.equal(preview.journeyId, 'j_thank_you_purchase');
    });
  });

  describe('network and partner results', () => {
    it('gives partners their own results next to the network figures', async () => {
      const res = await ctx().call('GET', '/v1/journeys/j_welcome_new_owner', { as: 'u_jana' });
      assert.equal(res.status, 200);
      const journey = Journey.parse(res.body);
      const [own] = await ctx()
        .db.select({
          sends: sql<number>`count(*)::int`,
          recipients: sql<number>`coalesce(sum(${sends.recipientCount}), 0)::int`,
        })
        .from(sends)
        .where(
          and(
            eq(sends.journeyId, 'j_welcome_new_owner'),
            eq(sends.partnerId, 'partner_north'),
            eq(sends.status, 'sent'),
          ),
        );
      assert.ok(journey.partnerStats);
      assert.equal(journey.partnerStats.sends, own!.sends);
      assert.equal(journey.partnerStats.recipients, own!.recipients);
      assert.equal(journey.partnerStats.partners, own!.sends > 0 ? 1 : 0);
      if (own!.recipients < 5) assert.equal(journey.partnerStats.openRate, null);
      assert.ok(journey.stats.sends >= journey.partnerStats.sends);
    });

    it('has no partner results for brand-level callers', async () => {
      const res = await ctx().call('GET', '/v1/journeys/j_welcome_new_owner', { as: 'u_admin' });
      assert.equal(res.body.partnerStats, null);
    });

    it('keeps the roll-ups fresh as engagement arrives', async () => {
      const db = ctx().db;
      // Warm up: the first read of the process rolls up the whole brand.
      await ctx().call('GET', '/v1/journeys?limit=1', { as: 'u_admin' });
      const [target] = await db
        .select()
        .from(journeys)
        .where(sql`${journeys.statOpenRate} is not null and ${journeys.statOpenRate} < 0.9`)
        .limit(1);
      assert.ok(target, 'a journey with a published open rate');
      const unopened = rowsOf<{ send_id: string; contact_id: string; partner_id: string; step_id: string }>(
        await db.execute(sql`
          select d.send_id, d.contact_id, d.partner_id, d.step_id from events d
          where d.journey_id = ${target.id} and d.type = 'delivered'
            and not exists (select 1 from events o where o.send_id = d.send_id and o.contact_id = d.contact_id
                            and o.type = 'open' and not o.machine)
          limit 20`),
      );
      assert.ok(unopened.length > 0);
      await db.insert(events).values(
        unopened.map((p) => ({
          brandId: target.brandId,
          partnerId: p.partner_id,
          journeyId: target.id,
          sendId: p.send_id,
          stepId: p.step_id,
          contactId: p.contact_id,
          type: 'open' as const,
          machine: false,
          at: new Date(),
        })),
      );
      invalidateJourneyStats(db);
      const res = await ctx().call('GET', `/v1/journeys/${target.id}`, { as: 'u_admin' });
      const [expected] = rowsOf<{ delivered: number; opened: number }>(
        await db.execute(sql`
          select count(*) filter (where d)::int as delivered, count(*) filter (where d and o)::int as opened
          from (select send_id, contact_id, bool_or(type = 'delivered') d, bool_or(type = 'open' and not machine) o
                from events where journey_id = ${target.id} group by 1, 2) p`),
      );
      const rate = Math.round((expected!.opened / expected!.delivered) * 10_000) / 10_000;
      assert.ok(rate > target.statOpenRate!, 'the fixture raised the open rate');
      assert.equal(res.body.stats.openRate, rate);
    });
  });
});
