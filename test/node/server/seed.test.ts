import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, count, eq, sql } from 'drizzle-orm';
import { signToken } from '../../../server/auth.js';
import { contacts, events, journeys, sendRecipients, sends } from '../../../server/db/schema.js';
import { MIN_PARTNERS_FOR_RATES } from '../../../server/domain/journey-stats.js';
import {
  buildDemoData,
  DEMO_BRAND_ID,
  DEMO_HISTORY_DAYS,
  DEMO_JOURNEYS,
  DEMO_PARTNERS,
  DEMO_USERS,
  seedDemo,
} from '../../../server/seed/demo.js';
import { generateLarge, LARGE_BRAND_ID } from '../../../server/seed/large.js';
import { forEachDatabase, TEST_SECRET } from '../support/db.js';

const rowsOf = <T>(result: unknown): T[] => ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];

describe('demo data (in memory)', () => {
  const now = new Date('2026-11-27T12:00:00.000Z');
  const data = buildDemoData(now);

  it('is deterministic for a given now', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(buildDemoData(now))), JSON.parse(JSON.stringify(data)));
  });

  it('has a rich catalogue: all categories, both kinds, Chinese, restricted, drafts and archived', () => {
    const published = DEMO_JOURNEYS.filter((j) => j.status === 'published');
    assert.ok(DEMO_JOURNEYS.length >= 14);
    assert.equal(new Set(published.map((j) => j.category)).size, 8);
    assert.ok(
      published.some(
        (j) => j.kind === 'journey' && j.steps.length > 1 && j.steps.some((s) => s.delayDays > 0),
      ),
    );
    assert.ok(published.some((j) => j.kind === 'template' && j.steps.length === 1));
    assert.ok(published.filter((j) => j.locale === 'zh-CN').length >= 3);
    assert.ok(published.some((j) => j.tiers.length > 0) && published.some((j) => j.regions.length > 0));
    assert.ok(
      DEMO_JOURNEYS.some((j) => j.status === 'draft') && DEMO_JOURNEYS.some((j) => j.status === 'archived'),
    );
    assert.ok(new Set(DEMO_JOURNEYS.map((j) => j.approvalRule.mode)).size >= 4);
    for (const j of DEMO_JOURNEYS) {
      for (const step of j.steps) {
        const blockIds = step.blocks.map((b) => b.id);
        assert.equal(new Set(blockIds).size, blockIds.length, `${j.id}/${step.id} block ids unique`);
        assert.ok(
          step.blocks.some((b) => b.kind === 'legal' && b.locked),
          `${j.id} has a locked legal footer`,
        );
        assert.ok(
          step.blocks.some((b) => b.kind === 'header' && b.locked),
          `${j.id} has a locked header`,
        );
      }
      assert.ok(j.mergeFields.some((m) => m.key === 'contact.first_name' && m.fallback));
    }
  });

  it('has users for every role and 5+ partners across tiers, one in Shanghai', () => {
    assert.ok(DEMO_PARTNERS.length >= MIN_PARTNERS_FOR_RATES);
    assert.deepEqual(new Set(DEMO_PARTNERS.map((p) => p.tier)), new Set(['gold', 'silver', 'bronze']));
    assert.ok(DEMO_PARTNERS.some((p) => p.region === 'shanghai'));
    for (const p of DEMO_PARTNERS)
      assert.ok(
        DEMO_USERS.some((u) => u.partnerId === p.id && u.role === 'partner'),
        p.id,
      );
    assert.ok(DEMO_USERS.some((u) => u.role === 'brand_admin'));
    assert.ok(DEMO_USERS.some((u) => u.role === 'approver' && u.partnerId === null));
    assert.ok(DEMO_USERS.some((u) => u.role === 'approver' && u.partnerId !== null));
  });

  it('gives each partner 240–320 contacts with every status and consent', () => {
    for (const p of DEMO_PARTNERS) {
      const list = data.contacts.filter((c) => c.partnerId === p.id);
      assert.ok(list.length >= 240 && list.length <= 320, `${p.id}: ${list.length}`);
      for (const s of ['active', 'unsubscribed', 'bounced'])
        assert.ok(
          list.some((c) => c.status === s),
          `${p.id} ${s}`,
        );
      for (const s of ['opted_in', 'unknown', 'opted_out'])
        assert.ok(
          list.some((c) => c.consent === s),
          `${p.id} ${s}`,
        );
      assert.equal(new Set(list.map((c) => c.email)).size, list.length, 'emails unique per partner');
    }
    assert.ok(data.contacts.some((c) => c.status === 'complained'));
  });

  it('has 90 days of sends and events before now, consistent with each other', () => {
    const start = now.getTime() - (DEMO_HISTORY_DAYS + 1) * 86400_000;
    assert.ok(data.sends.length > 100);
    for (const e of data.events) assert.ok(e.at.getTime() <= now.getTime() && e.at.getTime() >= start);
    const recipientsPerSend = new Map<string, number>();
    for (const r of data.recipients)
      recipientsPerSend.set(r.sendId, (recipientsPerSend.get(r.sendId) ?? 0) + 1);
    for (const s of data.sends) assert.equal(recipientsPerSend.get(s.id), s.recipientCount, s.id);
    const types = new Set(data.events.map((e) => e.type));
    for (const t of ['sent', 'delivered', 'open', 'click', 'bounce', 'unsubscribe'])
      assert.ok(types.has(t as never), t);
    assert.ok(
      data.events.some((e) => e.type === 'open' && e.machine),
      'machine opens',
    );
    // Early days and recent days both have activity, so charts have history.
    const day = (e: { at: Date }) => Math.floor((now.getTime() - e.at.getTime()) / 86400_000);
    assert.ok(data.events.some((e) => day(e) > 80) && data.events.some((e) => day(e) < 3));
  });
});

forEachDatabase('seeding', (ctx) => {
  it('is idempotent', async () => {
    assert.equal(ctx().seed.seeded, true);
    const before = await ctx().db.select({ n: count() }).from(contacts);
    const again = await seedDemo(ctx().db);
    assert.equal(again.seeded, false);
    const after = await ctx().db.select({ n: count() }).from(contacts);
    assert.deepEqual(after, before);
  });

  it('stores what it built', async () => {
    const counts = ctx().seed.counts!;
    const [s] = await ctx().db.select({ n: count() }).from(sends).where(eq(sends.brandId, DEMO_BRAND_ID));
    const [r] = await ctx().db.select({ n: count() }).from(sendRecipients);
    const [e] = await ctx().db.select({ n: count() }).from(events).where(eq(events.brandId, DEMO_BRAND_ID));
    assert.deepEqual([s!.n, r!.n, e!.n], [counts.sends, counts.recipients, counts.events]);
  });

  it('rolls journey stats up from sends and events, with small-count privacy', async () => {
    const stats = await ctx().db.select().from(journeys).where(eq(journeys.brandId, DEMO_BRAND_ID));
    for (const j of stats) {
      const [agg] = await ctx()
        .db.select({
          sends: count(),
          recipients: sql<number>`coalesce(sum(${sends.recipientCount}), 0)::int`,
          partners: sql<number>`count(distinct ${sends.partnerId})::int`,
        })
        .from(sends)
        .where(and(eq(sends.journeyId, j.id), eq(sends.status, 'sent')));
      assert.deepEqual(
        [j.statSends, j.statRecipients, j.statPartners],
        [agg!.sends, agg!.recipients, agg!.partners],
        j.id,
      );
      const visible = agg!.partners >= 5 && agg!.recipients >= 5;
      assert.equal(j.statOpenRate !== null, visible, `${j.id} open rate visibility`);
      if (!visible) continue;
      const [pairs] = rowsOf<{ delivered: number; opened: number; clicked: number }>(
        await ctx().db.execute(sql`
          select count(*) filter (where d)::int as delivered, count(*) filter (where d and o)::int as opened,
                 count(*) filter (where d and c)::int as clicked
          from (select send_id, contact_id, bool_or(type = 'delivered') d, bool_or(type = 'open' and not machine) o,
                       bool_or(type = 'click') c
                from events where journey_id = ${j.id} group by 1, 2) p`),
      );
      assert.ok(Math.abs(j.statOpenRate! - pairs!.opened / pairs!.delivered) < 1e-4, j.id);
      assert.ok(Math.abs(j.statClickRate! - pairs!.clicked / pairs!.delivered) < 1e-4, j.id);
    }
    assert.ok(stats.some((j) => j.statOpenRate !== null));
  });

  it('generates a large synthetic brand that stays separate from the demo brand', async () => {
    const result = await generateLarge(ctx().db, {
      journeys: 150,
      contacts: 700,
      events: 2000,
      partners: 7,
      kind: ctx().kind,
      chunk: 600,
    });
    assert.equal(result.generated, true);
    const [j] = await ctx()
      .db.select({ n: count() })
      .from(journeys)
      .where(eq(journeys.brandId, LARGE_BRAND_ID));
    const [c] = await ctx()
      .db.select({ n: count() })
      .from(contacts)
      .where(eq(contacts.brandId, LARGE_BRAND_ID));
    const [e] = await ctx().db.select({ n: count() }).from(events).where(eq(events.brandId, LARGE_BRAND_ID));
    assert.deepEqual([j!.n, c!.n, e!.n], [150, 700, 2000]);
    // Every event names an existing contact of the event's partner, and an existing send.
    const [orphans] = rowsOf<{ n: number }>(
      await ctx().db.execute(sql`
        select count(*)::int as n from events e
        left join contacts c on c.id = e.contact_id and c.partner_id = e.partner_id
        left join sends s on s.id = e.send_id and s.partner_id = e.partner_id and s.journey_id = e.journey_id
        where e.brand_id = ${LARGE_BRAND_ID} and (c.id is null or s.id is null)`),
    );
    assert.equal(orphans!.n, 0);
    assert.equal(
      (await generateLarge(ctx().db, { journeys: 1, contacts: 7, events: 0, partners: 7 })).generated,
      false,
    );

    // Tenancy across brands: neither side sees the other's journeys.
    const demo = await ctx().call('GET', '/v1/journeys?limit=100', { as: 'u_admin' });
    assert.ok(demo.body.items.every((i: { id: string }) => i.id.startsWith('j_')));
    const token = await signToken(TEST_SECRET, {
      sub: 'bu_0001',
      brand: LARGE_BRAND_ID,
      partner: 'bp_0001',
      role: 'partner',
    });
    const bench = await ctx().call('GET', '/v1/journeys?limit=100&sort=most_used', { token });
    assert.equal(bench.status, 200);
    assert.ok(bench.body.total > 100);
    assert.ok(bench.body.items.every((i: { id: string }) => i.id.startsWith('bj_')));
    const own = await ctx().call('GET', '/v1/contacts?limit=100', { token });
    assert.equal(own.body.total, 100);
    assert.ok(own.body.items.every((i: { id: string }) => i.id.startsWith('bc_')));
  });
});
