import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { LiveEvent } from '../../../src/contract/index.js';
import { createClient } from '../../../src/sdk/index.js';
import { SseParser } from '../../../src/sdk/sse.js';
import { recordEvents } from '../../../server/domain/engagement-writer.js';
import { configureLive, publish, type LiveMessage } from '../../../server/domain/live-bus.js';
import { forEachDatabase } from '../support/db.js';
import { BRAND, eventRow, insertFixtureBase, tokenFor, type FxUser } from './fixture.js';

interface Frame {
  id: string;
  event: string;
  data: LiveEvent;
}

/** Reads an SSE response incrementally: frames, comments and the retry value, until closed. */
class StreamReader {
  readonly frames: Frame[] = [];
  readonly comments: string[] = [];
  retry: number | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #done: Promise<void>;

  constructor(response: Response) {
    const reader = response.body!.getReader();
    this.#reader = reader;
    const parser = new SseParser({
      message: (m) =>
        this.frames.push({ id: m.lastEventId, event: m.event, data: LiveEvent.parse(JSON.parse(m.data)) }),
      comment: (c) => this.comments.push(c),
      retry: (ms) => (this.retry = ms),
    });
    const decoder = new TextDecoder();
    this.#done = (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    })();
  }

  async until(check: () => boolean, what: string, timeout = 3000): Promise<void> {
    const end = Date.now() + timeout;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  get lastId(): string {
    return this.frames.at(-1)?.id ?? '';
  }

  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => undefined);
    await this.#done;
  }
}

const engagement = (partnerId: string, contactId: string, at = '2026-06-01T10:00:00.000Z'): LiveMessage => ({
  brandId: BRAND,
  partnerId,
  event: {
    type: 'engagement',
    at,
    event: 'open',
    machine: false,
    sendId: partnerId === 'p1' ? 's1' : 's3',
    contactId,
    journeyId: 'j1',
    partnerId,
  },
});

forEachDatabase(
  'live stream',
  (ctx) => {
    before(async () => {
      await insertFixtureBase(ctx().db);
    });

    const open = async (as: FxUser, headers: Record<string, string> = {}) => {
      const res = await ctx().app.request('/v1/live', {
        headers: { authorization: `Bearer ${await tokenFor(as)}`, accept: 'text/event-stream', ...headers },
      });
      return res;
    };

    it('streams text/event-stream with retry, ids and contract-valid events', async () => {
      const bus = configureLive(ctx().db, { heartbeatMs: 60_000, retryMs: 1500 });
      const res = await open('p1');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const stream = new StreamReader(res);
      await stream.until(() => stream.comments.includes('connected'), 'the opening comment');
      assert.equal(stream.retry, 1500);
      publish(ctx().db, engagement('p1', 'c1'));
      await stream.until(() => stream.frames.length === 1, 'an event');
      const [frame] = stream.frames;
      assert.equal(frame!.event, 'engagement');
      assert.equal(frame!.id, `${bus.epoch}.1`);
      assert.deepEqual(frame!.data, engagement('p1', 'c1').event);
      await stream.close();
    });

    it('sends each caller only what it may see', async () => {
      configureLive(ctx().db, { heartbeatMs: 60_000 });
      const p1 = new StreamReader(await open('p1'));
      const p2 = new StreamReader(await open('p2'));
      const admin = new StreamReader(await open('admin'));
      const other = new StreamReader(await open('otherAdmin'));
      await Promise.all([p1, p2, admin, other].map((s) => s.until(() => s.comments.length > 0, 'connected')));
      publish(ctx().db, engagement('p1', 'c1'));
      publish(ctx().db, engagement('p2', 'c11'));
      publish(ctx().db, {
        brandId: BRAND,
        partnerId: null,
        event: { type: 'approval', at: '2026-06-01T10:00:00.000Z', approvalId: 'a1', status: 'approved' },
      });
      await admin.until(() => admin.frames.length === 3, 'three events for the admin');
      await p2.until(() => p2.frames.length === 1, 'one event for p2');
      await p1.until(() => p1.frames.length === 1, 'one event for p1');
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(
        p1.frames.map((f) => f.data.type === 'engagement' && f.data.contactId),
        ['c1'],
      );
      assert.deepEqual(
        p2.frames.map((f) => f.data.type === 'engagement' && f.data.contactId),
        ['c11'],
      );
      assert.equal(other.frames.length, 0);
      await Promise.all([p1, p2, admin, other].map((s) => s.close()));
    });

    it('publishes what recordEvents() commits', async () => {
      configureLive(ctx().db, { heartbeatMs: 60_000 });
      const stream = new StreamReader(await open('p1'));
      await stream.until(() => stream.comments.length > 0, 'connected');
      await recordEvents(ctx().db, [
        eventRow({ send: 's1', contact: 'c2', type: 'click', at: '2026-06-02T08:00:00Z' }),
        eventRow({ send: 's3', contact: 'c11', type: 'click', at: '2026-06-02T08:00:00Z' }),
        eventRow({ send: 's1', contact: 'c3', type: 'open', at: '2026-06-02T08:00:01Z', machine: true }),
      ]);
      // A later click of the same recipient, and an earlier one arriving late: not its first click.
      await recordEvents(ctx().db, [
        eventRow({ send: 's1', contact: 'c2', type: 'click', at: '2026-06-02T09:00:00Z' }),
      ]);
      await stream.until(() => stream.frames.length === 3, 'three events');
      assert.deepEqual(
        stream.frames.map(
          (f) =>
            f.data.type === 'engagement' && [f.data.event, f.data.contactId, f.data.machine, f.data.unique],
        ),
        [
          ['click', 'c2', false, true],
          ['open', 'c3', true, true],
          ['click', 'c2', false, false],
        ],
      );
      await stream.close();
    });

    it('sends heartbeat comments', async () => {
      configureLive(ctx().db, { heartbeatMs: 40 });
      const stream = new StreamReader(await open('p1'));
      await stream.until(
        () => stream.comments.filter((c) => c === 'heartbeat').length >= 3,
        'three heartbeats',
      );
      await stream.close();
    });

    it('resumes after Last-Event-ID with exactly the missed events the caller may see', async () => {
      configureLive(ctx().db, { heartbeatMs: 60_000 });
      const first = new StreamReader(await open('p1'));
      await first.until(() => first.comments.length > 0, 'connected');
      publish(ctx().db, engagement('p1', 'c1'));
      await first.until(() => first.frames.length === 1, 'the first event');
      const lastId = first.lastId;
      await first.close();

      publish(ctx().db, engagement('p1', 'c2'));
      publish(ctx().db, engagement('p2', 'c11'));
      publish(ctx().db, engagement('p1', 'c3'));

      const resumed = new StreamReader(await open('p1', { 'last-event-id': lastId }));
      await resumed.until(() => resumed.frames.length === 2, 'the two missed events');
      publish(ctx().db, engagement('p1', 'c4'));
      await resumed.until(() => resumed.frames.length === 3, 'a new event');
      assert.deepEqual(
        resumed.frames.map((f) => f.data.type === 'engagement' && f.data.contactId),
        ['c2', 'c3', 'c4'],
      );
      const ids = resumed.frames.map((f) => Number(f.id.split('.')[1]));
      assert.deepEqual(ids, [2, 4, 5]);
      await resumed.close();
    });

    it('tells a client to resync when its events are no longer buffered or come from another process', async () => {
      const bus = configureLive(ctx().db, { heartbeatMs: 60_000, bufferSize: 2 });
      for (const c of ['c1', 'c2', 'c3', 'c4']) publish(ctx().db, engagement('p1', c));
      const evicted = new StreamReader(await open('p1', { 'last-event-id': `${bus.epoch}.1` }));
      await evicted.until(() => evicted.frames.length === 1, 'resync');
      assert.equal(evicted.frames[0]!.data.type, 'resync');
      assert.equal(evicted.frames[0]!.id, `${bus.epoch}.4`);
      await evicted.close();

      const foreign = new StreamReader(await open('p1', { 'last-event-id': 'zzzzzz.99' }));
      await foreign.until(() => foreign.frames.length === 1, 'resync');
      assert.equal(foreign.frames[0]!.event, 'resync');
      await foreign.close();

      const current = new StreamReader(await open('p1', { 'last-event-id': `${bus.epoch}.3` }));
      await current.until(() => current.frames.length === 1, 'the one missed event');
      assert.equal(current.frames[0]!.data.type, 'engagement');
      await current.close();
    });

    it('unsubscribes when the client goes away', async () => {
      const bus = configureLive(ctx().db, { heartbeatMs: 20 });
      const streams = await Promise.all([open('p1'), open('admin')]);
      assert.equal(bus.subscriberCount, 2);
      for (const res of streams) await res.body!.cancel();
      assert.equal(bus.subscriberCount, 0);
      const controller = new AbortController();
      const res = await ctx().app.request('/v1/live', {
        headers: { authorization: `Bearer ${await tokenFor('p1')}` },
        signal: controller.signal,
      });
      assert.equal(bus.subscriberCount, 1);
      controller.abort();
      await res.body!.cancel().catch(() => undefined);
      assert.equal(bus.subscriberCount, 0);
    });

    describe('over HTTP (@hono/node-server) with the SDK', () => {
      let server: ReturnType<typeof serve>;
      let baseUrl = '';
      before(async () => {
        await new Promise<void>((resolve) => {
          server = serve({ fetch: ctx().app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
            baseUrl = `http://127.0.0.1:${info.port}`;
            resolve();
          });
        });
      });
      after(() => {
        server.close();
      });

      it('delivers events and heartbeats through client.live.subscribe, and reconnects with Last-Event-ID', async () => {
        const bus = configureLive(ctx().db, { heartbeatMs: 30, retryMs: 20 });
        const client = createClient({ baseUrl, token: await tokenFor('p1') });
        const received: string[] = [];
        let heartbeats = 0;
        let opens = 0;
        const stop = client.live.subscribe({
          onEvent: (event, meta) =>
            received.push(`${event.type === 'engagement' ? event.contactId : event.type}@${meta.id}`),
          onHeartbeat: () => (heartbeats += 1),
          onOpen: () => (opens += 1),
        });
        const wait = async (check: () => boolean, what: string) => {
          const end = Date.now() + 4000;
          while (!check()) {
            if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
            await new Promise((r) => setTimeout(r, 5));
          }
        };
        try {
          await wait(() => bus.subscriberCount === 1, 'the subscription');
          publish(ctx().db, engagement('p1', 'c1'));
          publish(ctx().db, engagement('p2', 'c11'));
          await wait(() => received.length === 1 && heartbeats >= 2, 'an event and heartbeats');
          assert.deepEqual(received, [`c1@${bus.epoch}.1`]);
          // The server ends every stream; an event published before the client is back is replayed.
          bus.disconnectAll();
          publish(ctx().db, engagement('p1', 'c2'));
          await wait(() => received.length === 2 && opens === 2, 'the reconnect and the replay');
          assert.deepEqual(received, [`c1@${bus.epoch}.1`, `c2@${bus.epoch}.3`]);
        } finally {
          stop();
        }
        await wait(() => bus.subscriberCount === 0, 'the server to drop the stream');
        assert.equal(opens, 2);
      });
    });
  },
  { seed: false },
);
