import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, count, eq } from 'drizzle-orm';
import { Send, SendPage } from '../../../src/contract/index.js';
import { outbox, sendRecipients, sends } from '../../../server/db/schema.js';
import { releaseSend, rejectSend } from '../../../server/domain/sending.js';
import { addContacts, forEachDb, quickBody } from './support.js';

forEachDb('sends', (ctx) => {
  const countSends = async () => (await ctx().db.select({ n: count() }).from(sends))[0]!.n;

  describe('POST /v1/sends', () => {
    it('requires an Idempotency-Key header', async () => {
      const ids = await addContacts(ctx().db, 1);
      const res = await ctx().call('POST', '/v1/sends', { as: 'north', body: quickBody(ids) });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.fields[0].path, 'header.idempotency-key');
    });

    it('creates a quick send with recipients and one outbox row each', async () => {
      const ids = await addContacts(ctx().db, 3);
      const res = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        body: quickBody(ids),
        headers: ctx().key(),
      });
      assert.equal(res.status, 201, res.text);
      const send = Send.parse(res.body);
      assert.equal(send.status, 'scheduled');
      assert.equal(send.kind, 'quick');
      assert.equal(send.journeyName, 'Thank you');
      assert.equal(send.recipientCount, 3);
      assert.deepEqual(
        send.recipients!.map((r) => r.status),
        ['queued', 'queued', 'queued'],
      );
      const rows = await ctx().db.select().from(outbox).where(eq(outbox.sendId, send.id));
      assert.equal(rows.length, 3);
      assert.ok(rows.every((r) => r.status === 'queued' && r.stepId === 's_main'));
      assert.equal(new Set(rows.map((r) => r.messageId)).size, 3);
    });

    it('same key and body: 50 sequential retries return the same send and write nothing more', async () => {
      const ids = await addContacts(ctx().db, 2);
      const headers = ctx().key();
      const first = await ctx().call('POST', '/v1/sends', { as: 'north', body: quickBody(ids), headers });
      assert.equal(first.status, 201);
      const before = await countSends();
      for (let i = 0; i < 50; i++) {
        const again = await ctx().call('POST', '/v1/sends', { as: 'north', body: quickBody(ids), headers });
        assert.equal(again.status, 200);
        assert.equal(again.body.id, first.body.id);
      }
      assert.equal(await countSends(), before);
      const rows = await ctx().db.select({ n: count() }).from(outbox).where(eq(outbox.sendId, first.body.id));
      assert.equal(rows[0]!.n, 2);
    });

    it('same key, different body: 422', async () => {
      const ids = await addContacts(ctx().db, 2);
      const headers = ctx().key();
      assert.equal(
        (await ctx().call('POST', '/v1/sends', { as: 'north', body: quickBody(ids), headers })).status,
        201,
      );
      const res = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        body: quickBody(ids.slice(0, 1)),
        headers,
      });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'validation');
      assert.equal(res.body.error.message, 'Idempotency-Key reused with a different request');
    });

    it('the same key is independent per user', async () => {
      const [a] = await addContacts(ctx().db, 1);
      const headers = ctx().key();
      const one = await ctx().call('POST', '/v1/sends', { as: 'north', body: quickBody([a!]), headers });
      const two = await ctx().call('POST', '/v1/sends', { as: 'north2', body: quickBody([a!]), headers });
      assert.equal(one.status, 201);
      assert.equal(two.status, 201);
      assert.notEqual(one.body.id, two.body.id);
    });

    it('20 concurrent requests with one key create exactly one send; all return it', async () => {
      const ids = await addContacts(ctx().db, 2);
      const headers = ctx().key();
      const before = await countSends();
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          ctx().call('POST', '/v1/sends', { as: 'north', body: quickBody(ids), headers }),
        ),
      );
      assert.equal(await countSends(), before + 1);
      const statuses = results.map((r) => r.status).sort();
      assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 200).length, 19, statuses.join(','));
      assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
    });

    it('refuses blocking issues with one field error each and writes nothing', async () => {
      const db = ctx().db;
      const [ok] = await addContacts(db, 1);
      const [unsub] = await addContacts(db, 1, { status: 'unsubscribed' });
      const [optedOut] = await addContacts(db, 1, { consent: 'opted_out' });
      const [ok2] = await addContacts(db, 1);
      const before = await countSends();
      const res = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        headers: ctx().key(),
        body: {
          journeyId: 'j_quick',
          contactIds: [ok, unsub, optedOut, ok2],
          personalization: { intro: 'It is FREE, [go](javascript:alert(1))' },
          overrides: { [ok2!]: { intro: 'a'.repeat(300) } },
        },
      });
      assert.equal(res.status, 422, res.text);
      const paths = (res.body.error.fields as { path: string }[]).map((f) => f.path).sort();
      assert.deepEqual(paths, [
        'body.contactIds.1',
        'body.contactIds.2',
        'body.overrides.' + ok2 + '.intro',
        'body.personalization.intro',
        'body.personalization.intro',
        'body.personalization.note',
      ]);
      assert.equal(await countSends(), before);
    });

    it("refuses another partner's contact with 404 naming the index", async () => {
      const [mine] = await addContacts(ctx().db, 1);
      const [theirs] = await addContacts(ctx().db, 1, { partnerId: 'p_south' });
      const before = await countSends();
      const res = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        headers: ctx().key(),
        body: quickBody([mine!, theirs!]),
      });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body.error.fields, [{ path: 'body.contactIds.1', message: 'unknown contact' }]);
      assert.equal(await countSends(), before);
    });

    it('duplicate recipients, unknown steps and brand admins are refused', async () => {
      const [a] = await addContacts(ctx().db, 1);
      const dup = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        headers: ctx().key(),
        body: quickBody([a!, a!]),
      });
      assert.equal(dup.status, 422);
      assert.equal(dup.body.error.fields[0].path, 'body.contactIds.1');
      const step = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        headers: ctx().key(),
        body: quickBody([a!], { stepId: 'nope' }),
      });
      assert.equal(step.status, 400);
      assert.equal(step.body.error.fields[0].path, 'body.stepId');
      const admin = await ctx().call('POST', '/v1/sends', {
        as: 'admin',
        headers: ctx().key(),
        body: quickBody([a!]),
      });
      assert.equal(admin.status, 403);
    });

    it('journey sends schedule each step at its delay after the start', async () => {
      const ids = await addContacts(ctx().db, 2);
      const scheduledAt = new Date(ctx().now().getTime() + 3600_000).toISOString();
      const res = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        headers: ctx().key(),
        body: { kind: 'journey', journeyId: 'j_journey', contactIds: ids, scheduledAt },
      });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.scheduledAt, scheduledAt);
      const rows = await ctx().db.select().from(outbox).where(eq(outbox.sendId, res.body.id));
      assert.equal(rows.length, 6);
      for (const r of rows) {
        const delay = { s1: 0, s2: 3, s3: 7 }[r.stepId as 's1']!;
        assert.equal(r.dueAt.getTime(), Date.parse(scheduledAt) + delay * 86_400_000, r.stepId);
      }
    });
  });

  describe('approval hook', () => {
    it('holds sends whose journey always needs approval, and releases or rejects them', async () => {
      const ids = await addContacts(ctx().db, 2);
      const res = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        headers: ctx().key(),
        body: quickBody(ids, { journeyId: 'j_always' }),
      });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.status, 'pending_approval');
      const held = await ctx().db.select().from(outbox).where(eq(outbox.sendId, res.body.id));
      assert.ok(held.every((r) => r.status === 'held'));
      const delivered = await ctx().worker().drain();
      assert.equal(
        (await ctx().db.select().from(outbox).where(eq(outbox.sendId, res.body.id))).filter(
          (r) => r.status !== 'held',
        ).length,
        0,
        `worker left held rows alone (${JSON.stringify(delivered)})`,
      );
      assert.equal(await ctx().db.transaction((tx) => releaseSend(tx, res.body.id, ctx().now())), true);
      assert.equal(
        await ctx().db.transaction((tx) => releaseSend(tx, res.body.id, ctx().now())),
        false,
        'only once',
      );
      const rows = await ctx().db.select().from(outbox).where(eq(outbox.sendId, res.body.id));
      assert.ok(rows.every((r) => r.status === 'queued'));

      const other = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        headers: ctx().key(),
        body: quickBody(ids, { journeyId: 'j_always' }),
      });
      assert.equal(await ctx().db.transaction((tx) => rejectSend(tx, other.body.id, ctx().now())), true);
      const read = await ctx().call('GET', `/v1/sends/${other.body.id}`, { as: 'north' });
      assert.equal(read.body.status, 'rejected');
      assert.ok(read.body.recipients.every((r: { status: string }) => r.status === 'cancelled'));
    });

    it('edited mode: approval only when the partner changed brand content', async () => {
      const ids = await addContacts(ctx().db, 1);
      const plain = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        headers: ctx().key(),
        body: { journeyId: 'j_edited', contactIds: ids, personalization: { note: '' } },
      });
      // `note` is required and empty by default, so an unedited send is refused; edit only the note.
      assert.equal(plain.status, 422);
      const edited = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        headers: ctx().key(),
        body: { journeyId: 'j_edited', contactIds: ids, personalization: { note: 'Hello' } },
      });
      assert.equal(edited.body.status, 'pending_approval');
    });
  });

  describe('GET /v1/sends and cancel', () => {
    it("lists only the caller's partner's sends; brand admins see all, paged", async () => {
      const [s] = await addContacts(ctx().db, 1, { partnerId: 'p_south' });
      const south = await ctx().call('POST', '/v1/sends', {
        as: 'south',
        headers: ctx().key(),
        body: quickBody([s!]),
      });
      assert.equal(south.status, 201);
      const north = SendPage.parse((await ctx().call('GET', '/v1/sends?limit=100', { as: 'north' })).body);
      assert.ok(north.items.length > 0);
      assert.ok(north.items.every((i) => i.partnerId === 'p_north'));
      assert.ok(!north.items.some((i) => i.id === south.body.id));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: unknown } = await ctx().call(
          'GET',
          `/v1/sends?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { as: 'admin' },
        );
        const parsed = SendPage.parse(page.body);
        seen.push(...parsed.items.map((i) => i.id));
        cursor = parsed.nextCursor;
      } while (cursor);
      assert.equal(seen.length, await countSends());
      assert.equal(new Set(seen).size, seen.length);
      assert.ok(seen.includes(south.body.id));
      const hidden = await ctx().call('GET', `/v1/sends/${south.body.id}`, { as: 'north' });
      assert.equal(hidden.status, 404);
    });

    it('cancel stops what has not gone out; a second cancel is 409', async () => {
      const ids = await addContacts(ctx().db, 3);
      const res = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        headers: ctx().key(),
        body: quickBody(ids, { scheduledAt: new Date(ctx().now().getTime() + 86_400_000).toISOString() }),
      });
      const cancelled = await ctx().call('POST', `/v1/sends/${res.body.id}/cancel`, { as: 'north' });
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.body.status, 'cancelled');
      assert.ok(cancelled.body.recipients.every((r: { status: string }) => r.status === 'cancelled'));
      const rows = await ctx()
        .db.select()
        .from(outbox)
        .where(and(eq(outbox.sendId, res.body.id), eq(outbox.status, 'cancelled')));
      assert.equal(rows.length, 3);
      const again = await ctx().call('POST', `/v1/sends/${res.body.id}/cancel`, { as: 'north' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'conflict');
      const other = await ctx().call('POST', `/v1/sends/${res.body.id}/cancel`, { as: 'south' });
      assert.equal(other.status, 404);
      const recips = await ctx()
        .db.select()
        .from(sendRecipients)
        .where(eq(sendRecipients.sendId, res.body.id));
      assert.equal(recips.length, 3);
    });
  });
});
