import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { Approval, ApprovalConflict, ApprovalDetail, Send } from '../../../src/contract/index.js';
import { approvalAudit, approvals, contacts, outbox, sends, users } from '../../../server/db/schema.js';
import { liveBusFor, type LiveEntry } from '../../../server/domain/live-bus.js';
import { signToken } from '../../../server/auth.js';
import { forEachDatabase, TEST_SECRET } from '../support/db.js';
import { addContacts, approvalContext, journeyId, type ApprovalCtx, type RULES } from './support.js';

type Rule = keyof typeof RULES;

async function createSend(
  ctx: ApprovalCtx,
  rule: Rule,
  contactIds: string[],
  personalization: Record<string, string> = {},
  extra: Record<string, unknown> = {},
  as = 'u_jana',
) {
  const res = await ctx.call('POST', '/v1/sends', {
    as,
    body: { journeyId: journeyId(rule), contactIds, personalization, ...extra },
  });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: string; status: string };
}

const approvalFor = async (ctx: ApprovalCtx, sendId: string) =>
  (await ctx.db.select().from(approvals).where(eq(approvals.sendId, sendId)))[0]!;

const decideAs = (
  ctx: ApprovalCtx,
  as: string,
  id: string,
  version: number | string | undefined,
  body: Record<string, unknown>,
) =>
  ctx.call('POST', `/v1/approvals/${id}/decision`, {
    as,
    headers:
      version === undefined ? {} : { 'if-match': typeof version === 'number' ? `"${version}"` : version },
    body,
  });

const emailsOf = async (ctx: ApprovalCtx, ids: string[]) =>
  (await ctx.db.select({ email: contacts.email }).from(contacts).where(inArray(contacts.id, ids))).map(
    (c) => c.email,
  );

async function delivered(ctx: ApprovalCtx, ids: string[]) {
  const emails = new Set(await emailsOf(ctx, ids));
  return ctx.sink.messages.filter((m) => m.to.some((t) => emails.has(t)));
}

/** The database's error (drizzle wraps it as `cause`) names the append-only rule. */
function appendOnly(error: unknown): boolean {
  for (let e = error as { message?: string; cause?: unknown } | undefined, i = 0; e && i < 4; i++) {
    if (/approval_audit is append-only/.test(e.message ?? '')) return true;
    e = e.cause as typeof e;
  }
  return false;
}

forEachDatabase('approvals: decisions, delivery and audit', (base) => {
  let ctx: ApprovalCtx;
  before(async () => {
    ctx = await approvalContext(base());
  });
  after(() => ctx.close());

  describe('deciding', () => {
    it('approves: version 1, the send is released, the decider is recorded, the audit row appended', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 2);
      const s = await createSend(ctx, 'always', ids, { b_intro: 'See you at the open day.' });
      const a = await approvalFor(ctx, s.id);
      const seen: LiveEntry[] = [];
      const stop = liveBusFor(ctx.db).subscribe((e) => seen.push(e));
      const res = await decideAs(ctx, 'u_manager', a.id, 0, { decision: 'approve' });
      stop();
      assert.equal(res.status, 200, res.text);
      const approval = Approval.parse(res.body);
      assert.equal(approval.status, 'approved');
      assert.equal(approval.version, 1);
      assert.equal(approval.decidedBy, 'u_manager');
      assert.equal(approval.decidedByName, 'Petra Lindqvist');
      assert.equal(approval.send.status, 'scheduled');
      assert.equal(approval.canDecide, false);
      assert.equal(res.headers.get('etag'), '"1"');
      const rows = await ctx.db.select().from(outbox).where(eq(outbox.sendId, s.id));
      assert.ok(rows.every((r) => r.status === 'queued'));
      const audit = await ctx.db.select().from(approvalAudit).where(eq(approvalAudit.approvalId, a.id));
      assert.deepEqual(
        audit.map((r) => [r.action, r.actorId, r.version]),
        [
          ['submitted', 'u_jana', 0],
          ['approved', 'u_manager', 1],
        ],
      );
      assert.equal(audit[1]!.contentHash, a.contentHash);
      assert.deepEqual(audit[1]!.content, a.content);
      assert.equal(audit[1]!.content.personalization.b_intro, 'See you at the open day.');
      assert.ok(
        seen.some(
          (e) =>
            e.message.event.type === 'approval' &&
            e.message.event.approvalId === a.id &&
            e.message.event.status === 'approved',
        ),
      );
      const again = await decideAs(ctx, 'u_manager', a.id, 1, {
        decision: 'reject',
        reason: 'changed my mind',
      });
      assert.equal(again.status, 409, 'a decided approval cannot be decided again');
    });

    it('a second or stale decision is 409 with the current state, naming who decided', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 1);
      const a = await approvalFor(ctx, (await createSend(ctx, 'brand', ids)).id);
      assert.equal((await decideAs(ctx, 'u_compliance', a.id, 0, { decision: 'approve' })).status, 200);
      const late = await decideAs(ctx, 'u_compliance', a.id, 0, { decision: 'reject', reason: 'too late' });
      assert.equal(late.status, 409);
      const body = ApprovalConflict.parse(late.body);
      assert.equal(body.error.current.status, 'approved');
      assert.equal(body.error.current.version, 1);
      assert.equal(body.error.current.decidedByName, 'Greta Hoffmann');
      assert.match(body.error.message, /already approved by Greta Hoffmann/);
    });

    it('20 concurrent decisions on one item: exactly one wins, 19 get 409', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 1);
      const a = await approvalFor(ctx, (await createSend(ctx, 'always', ids)).id);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          decideAs(
            ctx,
            'u_manager',
            a.id,
            0,
            i % 2 ? { decision: 'approve' } : { decision: 'reject', reason: `reason ${i}` },
          ),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, ...Array(19).fill(409)], JSON.stringify(statuses));
      const winner = results.find((r) => r.status === 200)!.body as Approval;
      for (const r of results.filter((x) => x.status === 409)) {
        assert.equal(r.body.error.current.status, winner.status);
        assert.equal(r.body.error.current.version, 1);
      }
      const audit = await ctx.db
        .select()
        .from(approvalAudit)
        .where(
          and(eq(approvalAudit.approvalId, a.id), inArray(approvalAudit.action, ['approved', 'rejected'])),
        );
      assert.equal(audit.length, 1, 'one decision recorded');
      const [send] = await ctx.db.select().from(sends).where(eq(sends.id, a.sendId));
      assert.equal(send!.status, winner.status === 'approved' ? 'scheduled' : 'rejected');
    });

    it('nobody approves their own send (403)', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 1);
      const s = await createSend(ctx, 'always', ids, {}, {}, 'u_ap_self');
      const a = await approvalFor(ctx, s.id);
      // The sender is later made an approver of the same partner.
      await ctx.db.update(users).set({ role: 'approver' }).where(eq(users.id, 'u_ap_self'));
      try {
        const res = await decideAs(ctx, 'u_ap_self', a.id, 0, { decision: 'approve' });
        assert.equal(res.status, 403);
        assert.match(res.body.error.message, /own send/);
        const list = await ctx.call('GET', '/v1/approvals?limit=100', { as: 'u_ap_self', role: 'approver' });
        const item = (list.body.items as Approval[]).find((i) => i.id === a.id);
        assert.equal(item?.canDecide, false);
        assert.equal((await approvalFor(ctx, s.id)).status, 'pending');
      } finally {
        await ctx.db.update(users).set({ role: 'partner' }).where(eq(users.id, 'u_ap_self'));
      }
    });

    it('outside the approver’s scope is 404; partners and brand admins may not decide (403)', async () => {
      const north = await addContacts(ctx.db, 'partner_north', 1);
      const south = await addContacts(ctx.db, 'partner_south', 1);
      const managerItem = await approvalFor(ctx, (await createSend(ctx, 'always', north)).id);
      const southItem = await approvalFor(ctx, (await createSend(ctx, 'always', south, {}, {}, 'u_tom')).id);
      assert.equal((await decideAs(ctx, 'u_manager', southItem.id, 0, { decision: 'approve' })).status, 404);
      assert.equal(
        (await decideAs(ctx, 'u_compliance', managerItem.id, 0, { decision: 'approve' })).status,
        404,
      );
      assert.equal((await decideAs(ctx, 'u_manager', 'apr_missing', 0, { decision: 'approve' })).status, 404);
      const partner = await decideAs(ctx, 'u_jana', managerItem.id, 0, { decision: 'approve' });
      assert.equal(partner.status, 403);
      const admin = await decideAs(ctx, 'u_admin', managerItem.id, 0, { decision: 'approve' });
      assert.equal(admin.status, 403);
      const stranger = await decideAs(ctx, 'u_tom', managerItem.id, 0, { decision: 'approve' });
      assert.equal(stranger.status, 404, 'another partner cannot even see it');
      assert.equal((await approvalFor(ctx, managerItem.sendId)).status, 'pending');
    });

    it('bad inputs: structured 428, 400 and 409', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 1);
      const a = await approvalFor(ctx, (await createSend(ctx, 'always', ids)).id);
      const missing = await decideAs(ctx, 'u_manager', a.id, undefined, { decision: 'approve' });
      assert.equal(missing.status, 428);
      assert.deepEqual(
        missing.body.error.fields.map((f: { path: string }) => f.path),
        ['header.if-match'],
      );
      const malformed = await decideAs(ctx, 'u_manager', a.id, '"zero"', { decision: 'approve' });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.fields[0].path, 'header.if-match');
      assert.equal(
        (await decideAs(ctx, 'u_manager', a.id, 'W/"0"', { decision: 'approve', reason: 'ok' })).status,
        200,
      );

      const b = await approvalFor(ctx, (await createSend(ctx, 'always', ids)).id);
      const noReason = await decideAs(ctx, 'u_manager', b.id, 0, { decision: 'reject' });
      assert.equal(noReason.status, 400);
      assert.deepEqual(
        noReason.body.error.fields.map((f: { path: string }) => f.path),
        ['body.reason'],
      );
      const blank = await decideAs(ctx, 'u_manager', b.id, 0, { decision: 'reject', reason: '   ' });
      assert.equal(blank.status, 400);
      const unknown = await decideAs(ctx, 'u_manager', b.id, 0, { decision: 'maybe' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error.fields[0].path, 'body.decision');
      const extra = await decideAs(ctx, 'u_manager', b.id, 0, { decision: 'approve', note: 'x' });
      assert.equal(extra.status, 400);
      assert.equal(extra.body.error.fields[0].path, 'body.note');
      const malformedJson = await ctx.call('POST', `/v1/approvals/${b.id}/decision`, {
        as: 'u_manager',
        headers: { 'if-match': '"0"', 'content-type': 'application/json' },
        body: '{"decision":',
      });
      assert.equal(malformedJson.status, 400);
      const stale = await decideAs(ctx, 'u_manager', b.id, 3, { decision: 'approve' });
      assert.equal(stale.status, 409);
      assert.match(stale.body.error.message, /stale version/);
      assert.equal(stale.body.error.current.version, 0);
      assert.equal((await approvalFor(ctx, b.sendId)).status, 'pending');
    });
  });

  describe('delivery', () => {
    it('a rejected send never reaches SMTP', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 3);
      const s = await createSend(ctx, 'always', ids, { b_intro: 'Unapproved words here.' });
      const a = await approvalFor(ctx, s.id);
      const worker = ctx.worker();
      await worker.drain();
      assert.equal((await delivered(ctx, ids)).length, 0, 'nothing goes out while held');
      const res = await decideAs(ctx, 'u_manager', a.id, 0, {
        decision: 'reject',
        reason: 'The offer wording is not approved.',
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'rejected');
      assert.equal(res.body.reason, 'The offer wording is not approved.');
      assert.equal(res.body.send.status, 'rejected');
      ctx.advance(60_000);
      await worker.drain();
      assert.equal((await delivered(ctx, ids)).length, 0);
      const rows = await ctx.db.select().from(outbox).where(eq(outbox.sendId, s.id));
      assert.ok(rows.every((r) => r.status === 'cancelled'));
      const read = Send.parse((await ctx.call('GET', `/v1/sends/${s.id}`, { as: 'u_jana' })).body);
      assert.ok(read.recipients!.every((r) => r.status === 'cancelled'));
      const mine = await ctx.call('GET', '/v1/approvals?view=mine&status=rejected', { as: 'u_jana' });
      const item = (mine.body.items as Approval[]).find((i) => i.id === a.id);
      assert.equal(item?.reason, 'The offer wording is not approved.');
    });

    it('an approved send is delivered exactly once, with the approved content', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 3);
      const s = await createSend(ctx, 'always', ids, { b_intro: 'Our approved spring greeting.' });
      const a = await approvalFor(ctx, s.id);
      assert.equal((await decideAs(ctx, 'u_manager', a.id, 0, { decision: 'approve' })).status, 200);
      const worker = ctx.worker();
      await worker.drain();
      ctx.advance(60_000);
      await worker.drain();
      await ctx.worker().drain();
      const messages = await delivered(ctx, ids);
      assert.equal(messages.length, 3);
      assert.equal(new Set(messages.map((m) => m.headers.get('message-id'))).size, 3);
      for (const m of messages) assert.match(m.html, /Our approved spring greeting\./);
      const [send] = await ctx.db.select().from(sends).where(eq(sends.id, s.id));
      assert.equal(send!.status, 'sent');
    });

    it('an approved send scheduled for later waits for its time', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 1);
      const at = new Date(ctx.now().getTime() + 3 * 3600_000).toISOString();
      const s = await createSend(ctx, 'always', ids, {}, { scheduledAt: at });
      const a = await approvalFor(ctx, s.id);
      assert.equal((await decideAs(ctx, 'u_manager', a.id, 0, { decision: 'approve' })).status, 200);
      const [row] = await ctx.db.select().from(outbox).where(eq(outbox.sendId, s.id));
      assert.equal(row!.status, 'queued');
      assert.equal(row!.dueAt.toISOString(), at);
      await ctx.worker().drain();
      assert.equal((await delivered(ctx, ids)).length, 0);
    });
  });

  describe('edits send content back to review', () => {
    it('an edit after approval reopens the approval (new version), holds the messages, and delivers only the re-approved content', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 2);
      const at = new Date(ctx.now().getTime() + 3600_000).toISOString();
      const s = await createSend(ctx, 'always', ids, { b_intro: 'Version one.' }, { scheduledAt: at });
      const a = await approvalFor(ctx, s.id);
      assert.equal((await decideAs(ctx, 'u_manager', a.id, 0, { decision: 'approve' })).status, 200);

      const seen: LiveEntry[] = [];
      const stop = liveBusFor(ctx.db).subscribe((e) => seen.push(e));
      const edit = await ctx.call('PATCH', `/v1/sends/${s.id}`, {
        as: 'u_jana',
        body: { personalization: { b_intro: 'Version two, with a new promise.' } },
      });
      stop();
      assert.equal(edit.status, 200, edit.text);
      assert.equal(edit.body.status, 'pending_approval');
      const reopened = await approvalFor(ctx, s.id);
      assert.equal(reopened.status, 'pending');
      assert.equal(reopened.version, 2);
      assert.equal(reopened.decidedBy, null);
      assert.notEqual(reopened.contentHash, a.contentHash);
      assert.equal(reopened.content.personalization.b_intro, 'Version two, with a new promise.');
      assert.ok(
        seen.some((e) => e.message.event.type === 'approval' && e.message.event.status === 'pending'),
      );
      const rows = await ctx.db.select().from(outbox).where(eq(outbox.sendId, s.id));
      assert.ok(rows.every((r) => r.status === 'held'));

      ctx.advance(2 * 3600_000);
      await ctx.worker().drain();
      assert.equal((await delivered(ctx, ids)).length, 0, 'nothing goes out until approved again');

      const stale = await decideAs(ctx, 'u_manager', a.id, 1, { decision: 'approve' });
      assert.equal(stale.status, 409, 'the old version cannot be approved');
      const detail = ApprovalDetail.parse(
        (await ctx.call('GET', `/v1/approvals/${a.id}`, { as: 'u_manager' })).body,
      );
      assert.deepEqual(
        detail.history.map((h) => [h.action, h.version]),
        [
          ['submitted', 0],
          ['approved', 1],
          ['resubmitted', 2],
        ],
      );
      assert.match(detail.preview!.html, /Version two, with a new promise\./);
      assert.equal((await decideAs(ctx, 'u_manager', a.id, 2, { decision: 'approve' })).status, 200);
      await ctx.worker().drain();
      const messages = await delivered(ctx, ids);
      assert.equal(messages.length, 2);
      for (const m of messages) {
        assert.match(m.html, /Version two, with a new promise\./);
        assert.doesNotMatch(m.html, /Version one\./);
      }
      const audit = await ctx.db.select().from(approvalAudit).where(eq(approvalAudit.approvalId, a.id));
      assert.equal(audit.at(-1)!.action, 'approved');
      assert.equal(audit.at(-1)!.content.personalization.b_intro, 'Version two, with a new promise.');
    });

    it('an edit that makes a send need approval under its rule holds it; an unchanged edit changes nothing', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 1);
      const at = new Date(ctx.now().getTime() + 3600_000).toISOString();
      const s = await createSend(ctx, 'edited', ids, {}, { scheduledAt: at });
      assert.equal(s.status, 'scheduled');
      const same = await ctx.call('PATCH', `/v1/sends/${s.id}`, {
        as: 'u_jana',
        body: { personalization: {} },
      });
      assert.equal(same.status, 200);
      assert.equal(same.body.status, 'scheduled');
      const edited = await ctx.call('PATCH', `/v1/sends/${s.id}`, {
        as: 'u_jana',
        body: { personalization: { b_note: 'Cheers, Jana' } },
      });
      assert.equal(edited.status, 200, edited.text);
      assert.equal(edited.body.status, 'pending_approval');
      const a = await approvalFor(ctx, s.id);
      assert.equal(a.version, 0);
      assert.equal(a.status, 'pending');
      const rows = await ctx.db.select().from(outbox).where(eq(outbox.sendId, s.id));
      assert.ok(rows.every((r) => r.status === 'held'));
    });

    it('edits are refused once delivery started, for other users, and with rule violations', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 1);
      const s = await createSend(ctx, 'never', ids);
      const lukas = await ctx.call('PATCH', `/v1/sends/${s.id}`, {
        as: 'u_lukas',
        body: { personalization: { b_note: 'x' } },
      });
      assert.equal(lukas.status, 403);
      const manager = await ctx.call('PATCH', `/v1/sends/${s.id}`, {
        as: 'u_tom',
        body: { personalization: { b_note: 'x' } },
      });
      assert.equal(manager.status, 404);
      const bad = await ctx.call('PATCH', `/v1/sends/${s.id}`, {
        as: 'u_jana',
        body: { personalization: { b_intro: 'Get a free coffee', b_logo: 'mine' } },
      });
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.body.error.fields.map((f: { path: string }) => f.path).sort(), [
        'body.personalization.b_intro',
        'body.personalization.b_logo',
      ]);
      const empty = await ctx.call('PATCH', `/v1/sends/${s.id}`, { as: 'u_jana', body: {} });
      assert.equal(empty.status, 400);
      await ctx.worker().drain();
      const late = await ctx.call('PATCH', `/v1/sends/${s.id}`, {
        as: 'u_jana',
        body: { personalization: { b_note: 'too late' } },
      });
      assert.equal(late.status, 409);
    });
  });

  describe('audit trail', () => {
    it('is append-only: UPDATE, DELETE and TRUNCATE fail in the database', async () => {
      const ids = await addContacts(ctx.db, 'partner_north', 1);
      const a = await approvalFor(ctx, (await createSend(ctx, 'always', ids)).id);
      await assert.rejects(
        ctx.db.update(approvalAudit).set({ reason: 'rewritten' }).where(eq(approvalAudit.approvalId, a.id)),
        appendOnly,
      );
      await assert.rejects(
        ctx.db.delete(approvalAudit).where(eq(approvalAudit.approvalId, a.id)),
        appendOnly,
      );
      await assert.rejects(ctx.db.execute(sql`truncate approval_audit cascade`), appendOnly);
      const rows = await ctx.db.select().from(approvalAudit).where(eq(approvalAudit.approvalId, a.id));
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.reason, null);
    });

    it('tokens for users whose role changed are refused', async () => {
      // The approver role comes from the user record, not from a token's claim.
      const token = await signToken(TEST_SECRET, {
        sub: 'u_jana',
        brand: 'brand_aurora',
        partner: 'partner_north',
        role: 'approver',
      });
      const res = await ctx.app.request('/v1/approvals', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 401);
    });
  });
});
