import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { ApprovalDetail, ApprovalPage } from '../../../src/contract/index.js';
import { approvalAudit, approvals, outbox, sends } from '../../../server/db/schema.js';
import { liveBusFor, type LiveEntry } from '../../../server/domain/live-bus.js';
import { forEachDatabase } from '../support/db.js';
import {
  addContacts,
  approvalContext,
  INTRO_DEFAULT,
  journeyId,
  type ApprovalCtx,
  type RULES,
} from './support.js';

type Rule = keyof typeof RULES;

async function createSend(
  ctx: ApprovalCtx,
  rule: Rule,
  contactIds: string[],
  personalization: Record<string, string> = {},
  as = 'u_jana',
) {
  const res = await ctx.call('POST', '/v1/sends', {
    as,
    body: { journeyId: journeyId(rule), contactIds, personalization },
  });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: string; status: string };
}

const approvalFor = async (ctx: ApprovalCtx, sendId: string) =>
  (await ctx.db.select().from(approvals).where(eq(approvals.sendId, sendId)))[0];

forEachDatabase('approvals: rules, queue and detail', (base) => {
  let ctx: ApprovalCtx;
  let north: string[];
  let south: string[];
  before(async () => {
    ctx = await approvalContext(base());
    north = await addContacts(ctx.db, 'partner_north', 12);
    south = await addContacts(ctx.db, 'partner_south', 4);
  });
  after(() => ctx.close());

  describe('rules', () => {
    it('never: edited content to many recipients goes out without approval', async () => {
      const s = await createSend(ctx, 'never', north.slice(0, 5), { b_intro: 'Something else entirely' });
      assert.equal(s.status, 'scheduled');
      assert.equal(await approvalFor(ctx, s.id), undefined);
    });

    it('always: one unedited recipient is held, with a pending approval at version 0', async () => {
      const s = await createSend(ctx, 'always', north.slice(0, 1));
      assert.equal(s.status, 'pending_approval');
      const a = await approvalFor(ctx, s.id);
      assert.ok(a);
      assert.equal(a.status, 'pending');
      assert.equal(a.version, 0);
      assert.equal(a.approverKind, 'partner_manager');
      assert.equal(a.submittedBy, 'u_jana');
      assert.match(a.contentHash, /^[0-9a-f]{64}$/);
      const result = await ctx.db.execute(
        sql`select dm_content_hash(content) as h from approvals where id = ${a.id}`,
      );
      const [check] = (result as unknown as { rows: { h: string }[] }).rows;
      assert.equal(check!.h, a.contentHash, 'the hash is the SHA-256 of the stored content');
      assert.deepEqual(
        a.content.steps.map((st) => st.id),
        ['st_main'],
      );
      const rows = await ctx.db.select().from(outbox).where(eq(outbox.sendId, s.id));
      assert.ok(rows.every((r) => r.status === 'held'));
      const audit = await ctx.db.select().from(approvalAudit).where(eq(approvalAudit.approvalId, a.id));
      assert.deepEqual(
        audit.map((r) => [r.action, r.actorId, r.version, r.contentHash]),
        [['submitted', 'u_jana', 0, a.contentHash]],
      );
    });

    it('over_recipients: at the threshold goes out, above it is held', async () => {
      assert.equal((await createSend(ctx, 'over', north.slice(0, 3))).status, 'scheduled');
      const held = await createSend(ctx, 'over', north.slice(0, 4));
      assert.equal(held.status, 'pending_approval');
      assert.ok(await approvalFor(ctx, held.id));
    });

    it('edited: the brand default goes out, changed content is held', async () => {
      const same = await createSend(ctx, 'edited', north.slice(0, 2), { b_intro: `  ${INTRO_DEFAULT} ` });
      assert.equal(same.status, 'scheduled');
      const changed = await createSend(ctx, 'edited', north.slice(0, 2), {
        b_intro: 'Come back soon for coffee',
      });
      assert.equal(changed.status, 'pending_approval');
      assert.ok(await approvalFor(ctx, changed.id));
    });

    it('warnings: clean recipients go out, unknown consent or missing merge data is held', async () => {
      assert.equal((await createSend(ctx, 'warnings', north.slice(0, 3))).status, 'scheduled');
      const [unknown] = await addContacts(ctx.db, 'partner_north', 1, { consent: 'unknown' });
      const a = await createSend(ctx, 'warnings', [north[0]!, unknown!]);
      assert.equal(a.status, 'pending_approval');
      const [nameless] = await addContacts(ctx.db, 'partner_north', 1, { firstName: null });
      const b = await createSend(ctx, 'warnings', [nameless!]);
      assert.equal(b.status, 'pending_approval');
    });

    it('routes to brand compliance by rule, and when the partner has no manager of its own', async () => {
      const brand = await createSend(ctx, 'brand', north.slice(0, 1));
      assert.equal((await approvalFor(ctx, brand.id))!.approverKind, 'brand_compliance');
      const south1 = await createSend(ctx, 'always', south.slice(0, 1), {}, 'u_tom');
      assert.equal((await approvalFor(ctx, south1.id))!.approverKind, 'brand_compliance');
    });
  });

  describe('queue scope and listing', () => {
    let northAlways: string;
    let southAlways: string;
    let brandItem: string;
    let lukasItem: string;
    before(async () => {
      northAlways = (await approvalFor(ctx, (await createSend(ctx, 'always', north.slice(5, 7))).id))!.id;
      southAlways = (await approvalFor(
        ctx,
        (await createSend(ctx, 'always', south.slice(1, 2), {}, 'u_tom')).id,
      ))!.id;
      brandItem = (await approvalFor(ctx, (await createSend(ctx, 'brand', north.slice(7, 8))).id))!.id;
      lukasItem = (await approvalFor(
        ctx,
        (await createSend(ctx, 'always', north.slice(8, 9), {}, 'u_lukas')).id,
      ))!.id;
    });

    const ids = (page: ApprovalPage) => page.items.map((a) => a.id);
    const list = async (as: string, query = '') => {
      const res = await ctx.call('GET', `/v1/approvals${query}`, { as });
      assert.equal(res.status, 200, res.text);
      return ApprovalPage.parse(res.body);
    };

    it("a partner manager sees its partner's items only, and may decide them", async () => {
      const page = await list('u_manager', '?limit=100');
      assert.ok(ids(page).includes(northAlways));
      assert.ok(ids(page).includes(lukasItem));
      assert.ok(!ids(page).includes(southAlways), "partner A's approver cannot see partner B's items");
      assert.ok(!ids(page).includes(brandItem), 'brand-compliance items are not in the manager queue');
      assert.ok(
        page.items.every((a) => a.send.partnerId === 'partner_north' && a.approver === 'partner_manager'),
      );
      assert.ok(page.items.every((a) => a.canDecide));
      const read = await ctx.call('GET', `/v1/approvals/${southAlways}`, { as: 'u_manager' });
      assert.equal(read.status, 404);
    });

    it('brand compliance sees brand-compliance items of every partner, not partner-manager ones', async () => {
      const page = await list('u_compliance', '?limit=100');
      assert.ok(ids(page).includes(brandItem));
      assert.ok(ids(page).includes(southAlways));
      assert.ok(!ids(page).includes(northAlways));
      assert.ok(page.items.every((a) => a.approver === 'brand_compliance'));
    });

    it('a brand admin sees everything, read only', async () => {
      const page = await list('u_admin', '?limit=100');
      for (const id of [northAlways, southAlways, brandItem, lukasItem]) assert.ok(ids(page).includes(id));
      assert.ok(page.items.every((a) => !a.canDecide));
    });

    it('partner users have no queue (403) and see only their own submissions with view=mine', async () => {
      const queue = await ctx.call('GET', '/v1/approvals', { as: 'u_jana' });
      assert.equal(queue.status, 403);
      assert.equal(queue.body.error.code, 'forbidden');
      const mine = await list('u_jana', '?view=mine&limit=100');
      assert.ok(ids(mine).includes(northAlways));
      assert.ok(!ids(mine).includes(lukasItem), "a colleague's submission is not mine");
      assert.ok(mine.items.every((a) => a.submittedBy?.id === 'u_jana' && !a.canDecide));
      const other = await ctx.call('GET', `/v1/approvals/${lukasItem}`, { as: 'u_jana' });
      assert.equal(other.status, 404);
    });

    it('pages oldest first with a cursor, and filters by partner, journey, search and age', async () => {
      const all = await list('u_compliance', '?limit=100');
      const first = await list('u_compliance', '?limit=2');
      assert.equal(first.items.length, 2);
      assert.equal(first.total, all.total);
      const second = await list('u_compliance', `?limit=100&cursor=${first.nextCursor}`);
      assert.deepEqual([...ids(first), ...ids(second)], ids(all));
      const times = all.items.map((a) => a.submittedAt);
      assert.deepEqual(times, [...times].sort(), 'oldest first');

      const southOnly = await list('u_compliance', '?partnerId=partner_south&limit=100');
      assert.ok(southOnly.items.length > 0);
      assert.ok(southOnly.items.every((a) => a.send.partnerId === 'partner_south'));
      const byJourney = await list('u_compliance', `?journeyId=${journeyId('brand')}`);
      assert.ok(byJourney.items.every((a) => a.send.journeyId === journeyId('brand')));
      const bySender = await list('u_compliance', '?q=tom%20s%C3%BCdstern');
      assert.ok(bySender.items.length > 0);
      assert.ok(bySender.items.every((a) => a.submittedBy?.id === 'u_tom'));
      assert.ok(all.facets!.partners.some((p) => p.id === 'partner_south' && p.count >= 1));
      const sum = (facets: { count: number }[]) => facets.reduce((n, f) => n + f.count, 0);
      assert.equal(sum(all.facets!.partners), all.total, 'partner facets add up to the total');
      assert.equal(sum(all.facets!.journeys), all.total, 'journey facets add up to the total');
      const names = all.facets!.journeys.map((j) => j.name);
      assert.deepEqual(
        names,
        [...names].sort((a, b) => a.localeCompare(b)),
        'journey facets by name',
      );
      // A filter narrows the total, not the facets (they list what the filter menus can pick).
      assert.equal(southOnly.total, southOnly.items.length);
      assert.deepEqual(southOnly.facets, all.facets);

      assert.equal((await list('u_compliance', '?olderThan=1')).total, 0);
      ctx.advance(2 * 3600_000);
      assert.equal((await list('u_compliance', '?olderThan=1')).total, all.total);
      ctx.advance(-2 * 3600_000);
    });

    it('rejects bad queries with structured 400s', async () => {
      for (const [query, path] of [
        ['?status=maybe', 'query.status'],
        ['?olderThan=-1', 'query.olderThan'],
        ['?limit=1000', 'query.limit'],
        ['?cursor=garbage', 'query.cursor'],
        ['?view=all', 'query.view'],
        ['?nope=1', 'query.nope'],
      ] as const) {
        const res = await ctx.call('GET', `/v1/approvals${query}`, { as: 'u_compliance' });
        assert.equal(res.status, 400, query);
        assert.equal(res.body.error.code, 'validation');
        assert.ok(
          res.body.error.fields.some((f: { path: string }) => f.path === path),
          `${query}: ${JSON.stringify(res.body.error.fields)}`,
        );
      }
      const decidedCursor = (await list('u_compliance', '?limit=1')).nextCursor;
      const mixed = await ctx.call('GET', `/v1/approvals?status=decided&cursor=${decidedCursor}`, {
        as: 'u_compliance',
      });
      assert.equal(mixed.status, 400, 'a cursor of another order is rejected');
    });
  });

  describe('detail', () => {
    it('has recipients, a rendered email, a redline per editable block, reasons, warnings and history', async () => {
      const [unknown] = await addContacts(ctx.db, 'partner_north', 1, { consent: 'unknown' });
      const many = await addContacts(ctx.db, 'partner_north', 14);
      const s = await createSend(ctx, 'edited', [...many, unknown!], {
        b_intro: 'Thank you for visiting us. We hope you loved the new model.',
      });
      const a = await approvalFor(ctx, s.id);
      const res = await ctx.call('GET', `/v1/approvals/${a!.id}`, { as: 'u_manager' });
      assert.equal(res.status, 200, res.text);
      const d = ApprovalDetail.parse(res.body);
      assert.equal(d.recipients.count, 15);
      assert.equal(d.recipients.sample.length, 10);
      const emails = d.recipients.sample.map((r) => r.email);
      assert.deepEqual(emails, [...emails].sort());
      assert.ok(d.preview);
      assert.equal(d.preview.contactId, d.recipients.sample[0]!.contactId);
      assert.match(d.preview.html, /^<!doctype html>/i);
      assert.match(d.preview.html, /We hope you loved the new model\./);
      assert.match(d.preview.subject, /^Hello Ann\d+ from Nordlicht Autohaus$/);

      const intro = d.redline.find((b) => b.blockId === 'b_intro')!;
      assert.equal(intro.edited, true);
      assert.equal(intro.original, INTRO_DEFAULT);
      assert.deepEqual(intro.segments, [
        { op: 'equal', text: 'Thank you for visiting us. We hope you ' },
        { op: 'delete', text: 'enjoyed the test drive' },
        { op: 'insert', text: 'loved the new model' },
        { op: 'equal', text: '.' },
      ]);
      const note = d.redline.find((b) => b.blockId === 'b_note')!;
      assert.equal(note.edited, false);
      assert.equal(note.edit, null);
      assert.deepEqual(note.segments, [{ op: 'equal', text: 'Kind regards' }]);
      assert.ok(!d.redline.some((b) => b.blockId === 'b_logo'), 'locked blocks have no redline');

      assert.deepEqual(
        d.reasons.map((r) => [r.code, r.blocks]),
        [['edited', 1]],
      );
      const consent = d.warnings.find((w) => w.code === 'no_consent');
      assert.equal(consent?.count, 1);
      assert.equal(consent?.severity, 'warning');
      assert.deepEqual(
        d.history.map((h) => [h.action, h.actor.id, h.version]),
        [['submitted', 'u_jana', 0]],
      );
      assert.equal(d.history[0]!.contentHash, d.contentHash);
    });

    it('explains over-recipient approvals with the threshold', async () => {
      const s = await createSend(ctx, 'over', north.slice(0, 5));
      const a = await approvalFor(ctx, s.id);
      const d = ApprovalDetail.parse(
        (await ctx.call('GET', `/v1/approvals/${a!.id}`, { as: 'u_admin' })).body,
      );
      assert.deepEqual(d.reasons, [
        {
          code: 'over_recipients',
          message: '5 recipients, more than the threshold of 3',
          threshold: 3,
          recipients: 5,
        },
      ]);
    });

    it('is 404 for unknown ids and outside the caller’s scope', async () => {
      assert.equal((await ctx.call('GET', '/v1/approvals/apr_nope', { as: 'u_compliance' })).status, 404);
      assert.equal((await ctx.call('GET', '/v1/approvals/bad%20id', { as: 'u_compliance' })).status, 400);
      assert.equal((await ctx.call('GET', '/v1/approvals')).status, 401);
    });
  });

  describe('live', () => {
    it('publishes a new pending item to the partner’s audience and a withdrawn one on cancel', async () => {
      const seen: LiveEntry[] = [];
      const stop = liveBusFor(ctx.db).subscribe((e) => seen.push(e));
      try {
        const s = await createSend(ctx, 'always', north.slice(0, 1));
        const a = await approvalFor(ctx, s.id);
        const created = seen.find((e) => e.message.event.type === 'approval');
        assert.ok(created);
        assert.deepEqual(
          { ...created.message, event: { ...created.message.event, at: 'x' } },
          {
            brandId: 'brand_aurora',
            partnerId: 'partner_north',
            event: { type: 'approval', at: 'x', approvalId: a!.id, status: 'pending' },
          },
        );
        const cancel = await ctx.call('POST', `/v1/sends/${s.id}/cancel`, { as: 'u_jana' });
        assert.equal(cancel.status, 200);
        assert.ok(
          seen.some(
            (e) =>
              e.message.event.type === 'approval' &&
              e.message.event.approvalId === a!.id &&
              e.message.event.status === 'withdrawn',
          ),
        );
        const queue = ApprovalPage.parse(
          (await ctx.call('GET', '/v1/approvals?limit=100', { as: 'u_manager' })).body,
        );
        assert.ok(!queue.items.some((i) => i.id === a!.id), 'a cancelled send leaves the queue');
        const late = await ctx.call('POST', `/v1/approvals/${a!.id}/decision`, {
          as: 'u_manager',
          headers: { 'if-match': '"0"' },
          body: { decision: 'approve' },
        });
        assert.equal(late.status, 409);
        assert.equal(late.body.error.current.status, 'withdrawn');
        assert.equal(late.body.error.current.send.status, 'cancelled');
        assert.match(late.body.error.message, /withdrew/);
        const mine = ApprovalPage.parse(
          (await ctx.call('GET', '/v1/approvals?view=mine&status=withdrawn', { as: 'u_jana' })).body,
        );
        assert.ok(mine.items.some((i) => i.id === a!.id && i.version === 1));
        const [row] = await ctx.db.select().from(sends).where(eq(sends.id, s.id));
        assert.equal(row!.status, 'cancelled');
      } finally {
        stop();
      }
    });
  });
});
