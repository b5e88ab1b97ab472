import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Journey, JourneyPage, type JourneySummary } from '../../../src/contract/index.js';
import { encodeCursor } from '../../../server/domain/cursor.js';
import { DEMO_JOURNEYS, DEMO_PARTNERS, DEMO_USERS } from '../../../server/seed/demo.js';
import { forEachDatabase, type CallResult, type TestContext } from '../support/db.js';

/** What a user may see, computed from the seed definitions (independently of the SQL). */
function expectedVisible(userId: string): string[] {
  const user = DEMO_USERS.find((u) => u.id === userId)!;
  const partner = DEMO_PARTNERS.find((p) => p.id === user.partnerId);
  return DEMO_JOURNEYS.filter(
    (j) =>
      j.status === 'published' &&
      (!partner ||
        ((j.tiers.length === 0 || j.tiers.includes(partner.tier)) &&
          (j.regions.length === 0 || j.regions.includes(partner.region)))),
  )
    .map((j) => j.id)
    .sort();
}

const HIDDEN_STATUSES = DEMO_JOURNEYS.filter((j) => j.status !== 'published').map((j) => j.id);

async function walk(ctx: TestContext, as: string, query: string, limit: number) {
  const items: JourneySummary[] = [];
  const totals = new Set<number>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const qs: string = `${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res: CallResult = await ctx.call('GET', `/v1/journeys?${qs}`, { as });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const page = JourneyPage.parse(res.body);
    assert.ok(page.items.length <= limit);
    if (page.nextCursor) assert.equal(page.items.length, limit, 'only the last page may be short');
    items.push(...page.items);
    totals.add(page.total);
    cursor = page.nextCursor;
    pages += 1;
    assert.ok(pages < 100, 'pagination does not terminate');
  } while (cursor);
  assert.equal(totals.size, 1, 'total is the same on every page');
  return { items, total: [...totals][0]!, pages };
}

const ids = (items: { id: string }[]) => items.map((i) => i.id);

function assertSorted(items: JourneySummary[], sort: string) {
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1]!;
    const b = items[i]!;
    const where = `${sort}: ${a.id} before ${b.id}`;
    if (sort === 'newest') assert.ok(a.createdAt >= b.createdAt, where);
    if (sort === 'most_used') assert.ok(a.stats.sends >= b.stats.sends, where);
    if (sort === 'name') assert.ok(a.name <= b.name, where);
    if (sort === 'best_results') {
      const [x, y] = [a.stats.clickRate, b.stats.clickRate];
      assert.ok(y === null || (x !== null && x >= y), where);
    }
  }
}

forEachDatabase('journeys API', (ctx) => {
  describe('GET /v1/journeys', () => {
    for (const userId of [
      'u_jana',
      'u_tom',
      'u_ayse',
      'u_li',
      'u_sofia',
      'u_manager',
      'u_admin',
      'u_compliance',
    ]) {
      it(`lists exactly what ${userId} may see, never drafts or archived journeys`, async () => {
        const { items, total } = await walk(ctx(), userId, '', 100);
        const expected = expectedVisible(userId);
        assert.deepEqual(ids(items).sort(), expected);
        assert.equal(total, expected.length);
        for (const hidden of HIDDEN_STATUSES) assert.ok(!ids(items).includes(hidden));
      });
    }

    it('differs by tier and region', async () => {
      const jana = expectedVisible('u_jana');
      const ayse = expectedVisible('u_ayse');
      const li = expectedVisible('u_li');
      assert.ok(jana.includes('j_loyalty_upgrade_offer') && !ayse.includes('j_loyalty_upgrade_offer'));
      assert.ok(li.includes('j_zh_delivery_thanks') && !jana.includes('j_zh_delivery_thanks'));
      assert.ok(jana.includes('j_showroom_open_day') && !li.includes('j_showroom_open_day'));
    });

    for (const sort of ['newest', 'most_used', 'best_results', 'name'] as const) {
      it(`pages through sort=${sort} without duplicates or gaps, in order`, async () => {
        const full = await walk(ctx(), 'u_jana', `sort=${sort}`, 100);
        const paged = await walk(ctx(), 'u_jana', `sort=${sort}`, 3);
        assert.ok(paged.pages >= 5);
        assert.deepEqual(ids(paged.items), ids(full.items), 'pages concatenate to the one-page listing');
        assert.equal(new Set(ids(paged.items)).size, paged.items.length, 'no duplicates');
        assert.deepEqual(ids(paged.items).sort(), expectedVisible('u_jana'), 'no gaps');
        assertSorted(paged.items, sort);
      });
    }

    it('best_results puts hidden (null) rates last', async () => {
      const { items } = await walk(ctx(), 'u_admin', 'sort=best_results', 4);
      const firstNull = items.findIndex((i) => i.stats.clickRate === null);
      assert.ok(firstNull > 0, 'some journeys have published rates');
      assert.ok(items.slice(firstNull).every((i) => i.stats.clickRate === null));
    });

    it('hides rates when fewer than 5 partners or recipients contributed', async () => {
      const { items } = await walk(ctx(), 'u_admin', '', 100);
      for (const j of items) {
        if (j.stats.partners < 5 || j.stats.recipients < 5) {
          assert.equal(j.stats.openRate, null, j.id);
          assert.equal(j.stats.clickRate, null, j.id);
        }
      }
      assert.ok(items.some((j) => j.stats.openRate !== null && j.stats.partners >= 5));
      assert.ok(
        items.some((j) => j.stats.sends > 0 && j.stats.openRate === null),
        'privacy hides some',
      );
    });

    it('searches name, summary and tags; every word must match', async () => {
      const one = await ctx().call('GET', '/v1/journeys?q=winter%20TYRE', { as: 'u_jana' });
      assert.equal(one.status, 200);
      assert.deepEqual(ids(one.body.items), ['j_winter_tyres_offer']);

      const tag = await walk(ctx(), 'u_jana', 'q=aftersales', 2);
      assert.ok(tag.items.length >= 2);
      for (const j of tag.items) assert.ok(j.tags.includes('aftersales'), j.id);

      const none = await ctx().call('GET', '/v1/journeys?q=winter%20newsletter', { as: 'u_jana' });
      assert.equal(none.body.total, 0);

      const zh = await ctx().call('GET', `/v1/journeys?q=${encodeURIComponent('保养')}`, { as: 'u_li' });
      assert.deepEqual(ids(zh.body.items), ['j_zh_service_reminder']);
    });

    it('treats % and _ in q literally', async () => {
      for (const q of ['%', '_', '100%', 'e_volt']) {
        const res = await ctx().call('GET', `/v1/journeys?q=${encodeURIComponent(q)}`, { as: 'u_admin' });
        assert.equal(res.status, 200);
        assert.equal(res.body.total, 0, `q=${q}`);
      }
    });

    it('search never reveals journeys outside the tier/region', async () => {
      const res = await ctx().call('GET', `/v1/journeys?q=${encodeURIComponent('上海车展')}`, {
        as: 'u_jana',
      });
      assert.equal(res.body.total, 0);
      const draft = await ctx().call('GET', '/v1/journeys?q=draft', { as: 'u_admin' });
      assert.equal(draft.body.total, 0);
    });

    it('filters by category, locale, channel and kind', async () => {
      const cat = await walk(ctx(), 'u_li', 'category=event', 1);
      assert.ok(cat.items.length >= 2);
      assert.ok(cat.items.every((j) => j.category === 'event'));

      const zh = await walk(ctx(), 'u_li', 'locale=zh-CN', 2);
      const expectedZh = DEMO_JOURNEYS.filter((j) => j.status === 'published' && j.locale === 'zh-CN').map(
        (j) => j.id,
      );
      assert.deepEqual(ids(zh.items).sort(), expectedZh.sort());

      const multi = await walk(ctx(), 'u_jana', 'kind=journey&channel=email&sort=name', 2);
      assert.ok(multi.items.length >= 3);
      assert.ok(multi.items.every((j) => j.kind === 'journey' && j.stepCount > 1));

      const tpl = await walk(ctx(), 'u_jana', 'kind=template&category=offer', 1);
      assert.ok(tpl.items.every((j) => j.kind === 'template' && j.category === 'offer' && j.stepCount === 1));
    });

    it('covers every category in the catalogue', async () => {
      const { items } = await walk(ctx(), 'u_admin', '', 100);
      assert.equal(new Set(items.map((j) => j.category)).size, 8);
    });
  });

  describe('GET /v1/journeys/{id}', () => {
    it('returns steps, blocks with rules, merge fields, approval rule and audience', async () => {
      const res = await ctx().call('GET', '/v1/journeys/j_welcome_new_owner', { as: 'u_jana' });
      assert.equal(res.status, 200);
      const j = Journey.parse(res.body);
      assert.equal(j.steps.length, 3);
      assert.deepEqual(
        j.steps.map((s) => s.delayDays),
        [0, 7, 30],
      );
      const blocks = j.steps[0]!.blocks;
      assert.ok(blocks.some((b) => b.kind === 'header' && b.locked));
      assert.ok(blocks.some((b) => b.kind === 'legal' && b.locked));
      const editable = blocks.find((b) => !b.locked && b.kind === 'text');
      assert.ok(editable?.rules?.maxLength);
      assert.ok(editable.rules.restrictedWords.length > 0);
      assert.match(blocks.find((b) => b.id === 'greeting')!.content, /\{\{ contact\.first_name \}\}/);
      assert.deepEqual(j.mergeFields.map((m) => m.key).slice(0, 4), [
        'contact.first_name',
        'partner.name',
        'partner.postal_address',
        'sender.signature',
      ]);
      assert.equal(j.approvalRule.mode, 'never');
      assert.equal(j.approvalRequired, false);
      assert.deepEqual(j.audience, { tiers: [], regions: [] });
      assert.equal(j.stepCount, 3);
    });

    it('sets approvalRequired from the approval rule', async () => {
      for (const journey of DEMO_JOURNEYS.filter(
        (d) => d.status === 'published' && d.tiers.length === 0 && d.regions.length === 0,
      )) {
        const res = await ctx().call('GET', `/v1/journeys/${journey.id}`, { as: 'u_admin' });
        assert.equal(res.status, 200);
        assert.equal(res.body.approvalRequired, journey.approvalRule.mode !== 'never', journey.id);
        assert.deepEqual(res.body.approvalRule, journey.approvalRule);
      }
    });

    it('serves Chinese content to the Shanghai partner', async () => {
      const res = await ctx().call('GET', '/v1/journeys/j_zh_auto_show_invite', { as: 'u_li' });
      assert.equal(res.status, 200);
      assert.equal(res.body.locale, 'zh-CN');
      assert.match(res.body.name, /车展/);
      assert.deepEqual(res.body.audience.regions, ['shanghai']);
    });

    it('answers 404 alike for unknown, draft, archived and out-of-audience journeys', async () => {
      const unknown = await ctx().call('GET', '/v1/journeys/j_does_not_exist', { as: 'u_jana' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'not_found');
      for (const [as, id] of [
        ['u_jana', 'j_draft_summer_sale'],
        ['u_admin', 'j_draft_black_friday'],
        ['u_admin', 'j_archived_winter_2025'],
        ['u_jana', 'j_zh_auto_show_invite'],
        ['u_ayse', 'j_loyalty_upgrade_offer'],
        ['u_li', 'j_showroom_open_day'],
        ['u_manager', 'j_zh_welcome_journey'],
      ] as const) {
        const res = await ctx().call('GET', `/v1/journeys/${id}`, { as });
        assert.equal(res.status, 404, `${as} ${id}`);
        assert.deepEqual(res.body, unknown.body, 'same answer as an unknown id');
      }
    });

    it('rejects a malformed id with 400 on path.id', async () => {
      const res = await ctx().call('GET', '/v1/journeys/bad.id!', { as: 'u_jana' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.fields[0].path, 'path.id');
    });
  });

  describe('bad journey queries', () => {
    const cases: Array<[string, string]> = [
      ['foo=1', 'query.foo'],
      ['limit=0', 'query.limit'],
      ['limit=1000', 'query.limit'],
      ['limit=abc', 'query.limit'],
      ['limit=2.5', 'query.limit'],
      ['sort=random', 'query.sort'],
      ['category=cars', 'query.category'],
      ['locale=fr', 'query.locale'],
      ['channel=sms', 'query.channel'],
      ['kind=campaign', 'query.kind'],
      ['cursor=', 'query.cursor'],
      ['cursor=not-a-cursor', 'query.cursor'],
      ['cursor=%25%25%25', 'query.cursor'],
      [`cursor=${'a'.repeat(600)}`, 'query.cursor'],
      [`q=${'x'.repeat(201)}`, 'query.q'],
    ];
    for (const [qs, path] of cases) {
      it(`?${qs.slice(0, 40)} → 400 on ${path}`, async () => {
        const res = await ctx().call('GET', `/v1/journeys?${qs}`, { as: 'u_jana' });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error.code, 'validation');
        assert.ok(
          res.body.error.fields.some((f: { path: string }) => f.path === path),
          JSON.stringify(res.body.error.fields),
        );
      });
    }

    it('rejects a cursor from another sort order', async () => {
      const first = await ctx().call('GET', '/v1/journeys?sort=newest&limit=2', { as: 'u_jana' });
      assert.ok(first.body.nextCursor);
      const res = await ctx().call(
        'GET',
        `/v1/journeys?sort=name&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
        { as: 'u_jana' },
      );
      assert.equal(res.status, 400);
      assert.deepEqual(
        res.body.error.fields.map((f: { path: string }) => f.path),
        ['query.cursor'],
      );
    });

    it('rejects a contacts cursor and a cursor with a wrong key type', async () => {
      const contactsCursor = encodeCursor('contacts:newest', ['2026-01-01T00:00:00.000000Z'], 'c_north_0001');
      const wrongKey = encodeCursor('journeys:most_used', ['many'], 'j_x');
      const badTime = encodeCursor('journeys:newest', ['yesterday'], 'j_x');
      for (const [sort, cursor] of [
        ['newest', contactsCursor],
        ['most_used', wrongKey],
        ['newest', badTime],
      ]) {
        const res = await ctx().call('GET', `/v1/journeys?sort=${sort}&cursor=${cursor}`, { as: 'u_jana' });
        assert.equal(res.status, 400, cursor);
        assert.equal(res.body.error.fields[0].path, 'query.cursor');
      }
    });
  });
});
