/**
 * Edges of the delivery path where a send could be mislabelled, recorded twice or sent twice (PGlite,
 * with the approval suites' fixtures; the workers use in-process mailers that record what they were
 * handed, so every duplicate is counted exactly):
 *
 * 1. A cancel while a message is in flight (`delivering`): the message goes out, and the recipient is
 *    reported delivered, not cancelled.
 * 2. A delivery commit whose acknowledgement is lost (the COMMIT succeeded, the connection dropped before
 *    its reply) is retried without writing the `sent` and `delivered` events a second time.
 * 3. A database outage in the middle of a batch: the outcomes counted so far still settle, so their
 *    failing group commit is never an unhandled rejection (which would end the server process).
 * 4. A live worker whose batch takes longer than its lease keeps it (the lease is renewed while the
 *    batch is delivered), so no other worker sends it again.
 *
 * (That a worker survives a PostgreSQL restart is checked in chaos.test.ts.)
 */
import '../security/pglite-only.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, max } from 'drizzle-orm';
import { events, outbox } from '../../../server/db/schema.js';
import type { Db } from '../../../server/db/types.js';
import type { Mailer } from '../../../server/mail/mailer.js';
import { OutboxWorker, type WorkerOptions } from '../../../server/mail/worker.js';
import {
  addContacts,
  approvalContext,
  journeyId,
  PUBLIC_URL,
  type ApprovalCtx,
} from '../approvals/support.js';
import { forEachDatabase, TEST_SECRET } from '../support/db.js';
import { recordingMailer, waitUntil } from './support.js';

const duplicates = (ids: string[]) => ids.length - new Set(ids).size;

type Fault<K extends 'transaction' | 'execute'> = (
  real: Db[K],
  args: Parameters<Db[K]>,
) => ReturnType<Db[K]> | Promise<Awaited<ReturnType<Db[K]>>>;

/** The database with `transaction` and/or `execute` going through a fault (everything else as is). */
function withFaults(db: Db, faults: { transaction?: Fault<'transaction'>; execute?: Fault<'execute'> }): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      const fault = prop === 'transaction' || prop === 'execute' ? faults[prop] : undefined;
      if (fault) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one wrapper for both signatures
        return (...args: any[]) => (fault as any)(value.bind(target), args);
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

forEachDatabase('reliability: delivery edges', (base) => {
  let ctx: ApprovalCtx;
  before(async () => {
    ctx = await approvalContext(base());
  });
  after(() => ctx.close());

  const newSend = async (recipients: number) => {
    const ids = await addContacts(ctx.db, 'partner_north', recipients);
    const res = await ctx.call('POST', '/v1/sends', {
      as: 'u_jana',
      body: { journeyId: journeyId('never'), contactIds: ids, personalization: {} },
    });
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  const worker = (db: Db, mailer: Mailer, options: Partial<WorkerOptions> = {}) =>
    new OutboxWorker({ db, mailer, secret: TEST_SECRET, publicUrl: PUBLIC_URL, clock: ctx.now, ...options });

  describe('delivery records', () => {
    it('a recipient whose message was in flight when the send was cancelled is reported delivered', async () => {
      const sendId = await newSend(2);
      let release!: () => void;
      const rec = recordingMailer({ gate: new Promise<void>((r) => (release = r)) });
      // One message at a time: the first is in flight, the second still queued.
      const run = worker(ctx.db, rec.mailer, { batchSize: 1, pipelines: 1 }).runOnce();
      await waitUntil(() => rec.inFlight() === 1, 'the first message to be in flight');
      const cancelled = await ctx.call('POST', `/v1/sends/${sendId}/cancel`, { as: 'u_jana' });
      assert.equal(cancelled.status, 200, cancelled.text);
      release();
      await run;
      const rows = await ctx.db.select().from(outbox).where(eq(outbox.sendId, sendId));
      const read = await ctx.call('GET', `/v1/sends/${sendId}`, { as: 'u_jana' });
      const statusOf = (contactId: string) =>
        read.body.recipients.find((r: { contactId: string }) => r.contactId === contactId).status;
      assert.equal(rec.sent.length, 1);
      const delivered = rows.find((r) => r.status === 'delivered')!;
      const stopped = rows.find((r) => r.status === 'cancelled')!;
      assert.equal(statusOf(stopped.contactId), 'cancelled');
      assert.equal(statusOf(delivered.contactId), 'delivered', 'the API says the message went out');
    });

    it('a delivery commit whose reply was lost is recorded once', async () => {
      const sendId = await newSend(1);
      // The first transaction commits, then its connection "drops" before the client hears back.
      let lose = 1;
      const flaky = withFaults(ctx.db, {
        async transaction(real, args) {
          const result = await real(...args);
          if (lose-- > 0) throw new Error('Connection terminated unexpectedly');
          return result;
        },
      });
      const rec = recordingMailer();
      await worker(flaky, rec.mailer).drain();
      assert.equal(rec.sent.length, 1);
      const delivered = await ctx.db
        .select()
        .from(events)
        .where(and(eq(events.sendId, sendId), eq(events.type, 'delivered')));
      assert.equal(delivered.length, 1, 'one delivered event for one delivery');
    });

    it('a database outage mid-batch leaves no unhandled rejection behind (it would end the process)', async () => {
      // An in-doubt row of a cancelled send (its worker died while delivering) and a row of a live
      // send, claimed in one batch: the first becomes a `cancelled` outcome waiting for the group
      // commit, then the database goes away before the second is marked `delivering`.
      const cancelled = await newSend(2);
      await newSend(1); // the live send
      const [doubtful] = await ctx.db.select().from(outbox).where(eq(outbox.sendId, cancelled));
      await ctx.db
        .update(outbox)
        .set({ status: 'delivering', leaseUntil: new Date(ctx.now().getTime() - 1000), claimToken: 'dead' })
        .where(eq(outbox.id, doubtful!.id));
      assert.equal((await ctx.call('POST', `/v1/sends/${cancelled}/cancel`, { as: 'u_jana' })).status, 200);
      let commits = 0;
      const down = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
      const outage = withFaults(ctx.db, {
        execute: down,
        transaction: () => (commits++, down()),
      });
      const unhandled: unknown[] = [];
      const listen = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', listen);
      try {
        const w = worker(outage, recordingMailer().mailer, { batchSize: 10 });
        await assert.rejects(w.runOnce(), /ECONNREFUSED/);
        await waitUntil(() => commits >= 3, 'the group commit to give up');
        await w.stop();
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('unhandledRejection', listen);
      }
      assert.deepEqual(unhandled, [], 'a rejection nobody handles ends a Node process');
    });
  });

  describe('leases', () => {
    it('a live worker slower than its lease keeps its batch: no message goes out twice', async () => {
      const sendId = await newSend(8);
      // Both workers on a clock that runs in real time from the app's clock.
      const start = Date.now();
      const clock = () => new Date(ctx.now().getTime() + (Date.now() - start));
      // Each message takes 100 ms, far below the 500 ms lease; a batch of 8 over one connection takes
      // 800 ms.
      const slow = recordingMailer({ perMessageMs: 100 });
      const fast = recordingMailer();
      const first = worker(ctx.db, slow.mailer, { clock, leaseMs: 500, batchSize: 8, pipelines: 1 });
      const running = first.drain();
      await waitUntil(() => slow.sent.length > 0, 'the first worker to deliver');
      const [{ lease }] = await ctx.db
        .select({ lease: max(outbox.leaseUntil) })
        .from(outbox)
        .where(and(eq(outbox.sendId, sendId), eq(outbox.status, 'delivering')));
      await waitUntil(() => clock() > lease!, 'the first worker’s lease to expire (it is still delivering)');
      await worker(ctx.db, fast.mailer, { clock, leaseMs: 500, pipelines: 1 }).drain();
      await running;
      const all = [...slow.sent, ...fast.sent].map((m) => m.messageId);
      const rows = await ctx.db.select().from(outbox).where(eq(outbox.sendId, sendId));
      assert.ok(rows.every((r) => r.status === 'delivered'));
      assert.equal(duplicates(all), 0, `${duplicates(all)} of 8 messages were sent twice by live workers`);
    });
  });
});
