import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { events } from '../../../server/db/schema.js';
import { countTotals } from '../../../server/domain/engagement.js';
import { EventWriter, recordEvents, type EventInsert } from '../../../server/domain/engagement-writer.js';
import { forEachDatabase } from '../support/db.js';
import { BRAND, eventRow, FIXTURE_EVENTS, insertFixtureBase, rollupSnapshot } from './fixture.js';

const brand = { brandId: BRAND, partnerId: null, journeyId: null, sendId: null };
const ALL = [Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z')] as const;

/** A deterministic pseudo-random stream (so a failure can be replayed). */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomEvents(count: number, seed: number): EventInsert[] {
  const rnd = prng(seed);
  const types = [
    'sent',
    'delivered',
    'open',
    'open',
    'open',
    'click',
    'bounce',
    'unsubscribe',
    'complaint',
  ] as const;
  return Array.from({ length: count }, () => {
    const send = ['s1', 's2', 's3'][Math.floor(rnd() * 3)]!;
    const row = eventRow({
      send,
      contact: ['c1', 'c2', 'c3', 'c4'][Math.floor(rnd() * 4)]!,
      type: types[Math.floor(rnd() * types.length)]!,
      at: new Date(Date.parse('2026-05-01T00:00:00Z') + Math.floor(rnd() * 10 * 86_400_000)).toISOString(),
      machine: rnd() < 0.3,
    });
    return { ...row, meta: { random: true } };
  });
}

forEachDatabase(
  'engagement roll-ups',
  (ctx) => {
    before(async () => {
      await insertFixtureBase(ctx().db);
    });

    /** Incremental state equals a rebuild from events, and the roll-up path equals raw counting. */
    async function assertConsistent(label: string) {
      const db = ctx().db;
      const fast = await countTotals(db, brand, ...ALL);
      const slow = await countTotals(db, brand, ...ALL, { rollups: false });
      assert.deepEqual(fast, slow, `${label}: roll-up vs raw`);
      const incremental = await rollupSnapshot(db);
      await db.execute(sql`select engagement_rebuild()`);
      const rebuilt = await rollupSnapshot(db);
      assert.deepEqual(incremental, rebuilt, `${label}: incremental vs rebuild`);
    }

    describe('trigger maintenance', () => {
      it('stays exact through out-of-order inserts, deletes, updates and truncate', async () => {
        const db = ctx().db;
        // Newest first, in uneven batches: later batches hold earlier "first" events.
        const list = randomEvents(600, 7).sort((a, b) => (b.at as Date).getTime() - (a.at as Date).getTime());
        for (let i = 0; i < list.length;) {
          const size = 1 + ((i * 37) % 90);
          await db.insert(events).values(list.slice(i, i + size));
          i += size;
        }
        await assertConsistent('after inserts');
        const before = await countTotals(db, brand, ...ALL);
        assert.equal(
          before.sent +
            before.delivered +
            before.opens +
            before.machineOpens +
            before.clicks +
            before.machineClicks +
            before.bounces +
            before.complaints +
            before.unsubscribes,
          600,
        );

        await db.delete(events).where(and(eq(events.sendId, 's2'), eq(events.type, 'open')));
        await assertConsistent('after a delete');

        // Reclassify: every click of c1 was a link scanner.
        await db
          .update(events)
          .set({ machine: true })
          .where(and(eq(events.contactId, 'c1'), eq(events.type, 'click')));
        await assertConsistent('after an update');

        await db.execute(sql`truncate events`);
        const snapshot = await rollupSnapshot(db);
        assert.deepEqual(snapshot, { rollups: [], recipients: [] });
      });

      it('keeps counts exact under concurrent writers', { timeout: 60_000 }, async () => {
        const db = ctx().db;
        await db.execute(sql`truncate events`);
        const batches = Array.from({ length: 8 }, (_, i) => randomEvents(150, 100 + i));
        await Promise.all(batches.map((b) => recordEvents(db, b)));
        await assertConsistent('after concurrent batches');
        const t = await countTotals(db, brand, ...ALL);
        const n =
          t.sent +
          t.delivered +
          t.opens +
          t.machineOpens +
          t.clicks +
          t.machineClicks +
          t.bounces +
          t.complaints +
          t.unsubscribes;
        assert.equal(n, 1200);
      });

      it('backfills existing events when rebuilt', async () => {
        const db = ctx().db;
        await db.execute(sql`truncate events`);
        await db.insert(events).values(FIXTURE_EVENTS.map(eventRow));
        const live = await rollupSnapshot(db);
        await db.execute(sql`truncate engagement_rollups, engagement_recipients`);
        await db.execute(sql`select engagement_rebuild()`);
        assert.deepEqual(await rollupSnapshot(db), live);
      });
    });

    describe('EventWriter', () => {
      it('writes concurrent events in batches of at most maxBatch, and resolves each when committed', async () => {
        const db = ctx().db;
        await db.execute(sql`truncate events`);
        const writer = new EventWriter(db, { maxBatch: 100, maxWaitMs: 5 });
        const list = randomEvents(250, 42);
        await Promise.all(list.map((e) => writer.write(e)));
        assert.ok(writer.batches >= 3 && writer.batches <= 6, `batches: ${writer.batches}`);
        const result = (await db.execute(sql`select count(*)::int as n from events`)) as unknown as {
          rows: { n: number }[];
        };
        assert.equal(Number(result.rows[0]!.n), 250);
        await assertConsistent('after the writer');
      });

      it('waits at most maxWaitMs for companions', async () => {
        const writer = new EventWriter(ctx().db, { maxBatch: 1000, maxWaitMs: 30 });
        const started = performance.now();
        await writer.write(randomEvents(1, 1)[0]!);
        const took = performance.now() - started;
        assert.ok(took >= 25, `took ${took} ms`);
        assert.equal(writer.batches, 1);
      });

      it('keeps writing after its timer fires with nothing left to write', async () => {
        const writer = new EventWriter(ctx().db, { maxBatch: 1000, maxWaitMs: 20 });
        const [a, b, c] = randomEvents(3, 7);
        const first = writer.write(a!);
        const flushed = writer.flush(); // writes `a` now; `b` arrives while that batch is in flight
        const second = writer.write(b!); // its timer outlives the batch that takes `b` along
        await Promise.all([first, flushed, second]);
        await new Promise((resolve) => setTimeout(resolve, 60)); // let that timer fire on an empty queue
        const third = writer.write(c!);
        const stuck = await Promise.race([
          third.then(() => false),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 2_000)),
        ]);
        assert.equal(stuck, false, 'a later event is still written');
      });

      it('rejects every event of a failed batch and carries on', async () => {
        const writer = new EventWriter(ctx().db, { maxBatch: 10, maxWaitMs: 1 });
        const good = randomEvents(3, 9);
        const bad = { ...good[0]!, brandId: null as unknown as string };
        const results = await Promise.allSettled([writer.write(good[1]!), writer.write(bad)]);
        assert.deepEqual(
          results.map((r) => r.status),
          ['rejected', 'rejected'],
        );
        await writer.write(good[2]!);
        assert.equal(writer.pending, 0);
      });
    });
  },
  { seed: false },
);
