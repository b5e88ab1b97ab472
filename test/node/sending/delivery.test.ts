import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { and, count, eq, inArray } from 'drizzle-orm';
import { Preview } from '../../../src/contract/index.js';
import { contacts, events, outbox, sendRecipients, sends, suppressions } from '../../../server/db/schema.js';
import { eventWriterFor } from '../../../server/domain/engagement-writer.js';
import { liveBusFor, type LiveEntry } from '../../../server/domain/live-bus.js';
import { DeliveryError, type Mailer, type OutgoingMessage } from '../../../server/mail/mailer.js';
import { createSmtpMailer } from '../../../server/mail/transports.js';
import { addContacts, forEachDb, PUBLIC_URL, quickBody, SECRET, type SendingContext } from './support.js';
import type { SinkMessage } from './smtp-sink.js';

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const emailsOf = async (ctx: SendingContext, ids: string[]) =>
  (await ctx.db.select({ email: contacts.email }).from(contacts).where(inArray(contacts.id, ids))).map(
    (c) => c.email,
  );

/** Sink messages addressed to any of these contacts. */
async function received(ctx: SendingContext, ids: string[]): Promise<SinkMessage[]> {
  const emails = new Set(await emailsOf(ctx, ids));
  return ctx.sink.messages.filter((m) => m.to.some((t) => emails.has(t)));
}

function assertOncePerMessage(messages: SinkMessage[], expected: number) {
  const ids = messages.map((m) => m.headers.get('message-id'));
  assert.equal(new Set(ids).size, ids.length, `duplicate Message-IDs: ${ids.length - new Set(ids).size}`);
  assert.equal(messages.length, expected);
}

async function send(ctx: SendingContext, body: Record<string, unknown>, as: 'north' | 'south' = 'north') {
  const res = await ctx.call('POST', '/v1/sends', { as, headers: ctx.key(), body });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: string };
}

const tokenFrom = (html: string, kind: 'o' | 'c') =>
  [...html.matchAll(new RegExp(`${PUBLIC_URL}/t/${kind}/([A-Za-z0-9_.-]+)`, 'g'))].map((m) => m[1]!);

forEachDb('delivery', (ctx, kind) => {
  describe('outbox to SMTP', () => {
    it('delivers with sender identity, Message-ID, one-click unsubscribe headers, text part and tracking', async () => {
      const ids = await addContacts(ctx().db, 2);
      const s = await send(
        ctx(),
        quickBody(ids, { personalization: { note: 'See you, {{ contact.first_name }}!' } }),
      );
      const result = await ctx().worker().drain();
      assert.ok(result.delivered >= 2);
      const messages = await received(ctx(), ids);
      assertOncePerMessage(messages, 2);
      const [c] = await ctx().db.select().from(contacts).where(eq(contacts.id, ids[0]!));
      const m = messages.find((x) => x.to.includes(c!.email))!;
      const h = m.headers;
      assert.match(
        h.get('from')!,
        /^"?Nordlicht Autohaus via Aurora Motors"? <partners@aurora-motors\.example>$/,
      );
      assert.equal(h.get('reply-to'), 'sales@nordlicht.example');
      assert.equal(h.get('to'), c!.email);
      const [row] = await ctx()
        .db.select()
        .from(outbox)
        .where(and(eq(outbox.sendId, s.id), eq(outbox.contactId, c!.id)));
      assert.equal(h.get('message-id'), `<${row!.messageId}>`);
      assert.equal(row!.status, 'delivered');
      assert.match(
        h.get('list-unsubscribe')!,
        new RegExp(`^<${PUBLIC_URL}/u/[^>]+>, <mailto:unsubscribe@aurora-motors\\.example\\?subject=[^>]+>$`),
      );
      assert.equal(h.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
      assert.equal(h.get('subject'), `Hello ${c!.firstName}, news from Nordlicht Autohaus`);
      assert.match(m.html, new RegExp(`See you, ${c!.firstName}!`));
      assert.match(m.text, new RegExp(`See you, ${c!.firstName}!`));
      assert.match(m.text, /Unsubscribe \(https:\/\/dm\.example\.test\/u\//);
      assert.match(m.html, /Nordlicht Autohaus, Ring 5, Kiel/);
      assert.equal(tokenFrom(m.html, 'o').length, 1, 'one open pixel');
      assert.equal(tokenFrom(m.html, 'c').length, 2, 'both brand links are tracked');
      assert.doesNotMatch(m.html, /href="https:\/\/aurora-motors\.example/, 'no untracked http links');
      assert.deepEqual(row!.links, [
        'https://aurora-motors.example/new',
        'https://aurora-motors.example/offer?src=mail&x=1',
      ]);

      const read = await ctx().call('GET', `/v1/sends/${s.id}`, { as: 'north' });
      assert.equal(read.body.status, 'sent');
      assert.ok(read.body.recipients.every((r: { status: string }) => r.status === 'delivered'));
      const evs = await ctx().db.select().from(events).where(eq(events.sendId, s.id));
      assert.deepEqual(evs.map((e) => e.type).sort(), ['delivered', 'delivered', 'sent', 'sent']);
    });

    it('clicks redirect only to stored links; forged or foreign tokens are 404; opens return a no-store GIF', async () => {
      const ids = await addContacts(ctx().db, 1);
      const s = await send(ctx(), quickBody(ids));
      await ctx().worker().drain();
      const [m] = await received(ctx(), ids);
      const [click0, click1] = tokenFrom(m!.html, 'c');
      const res = await ctx().call('GET', `/t/c/${click1}`, {
        headers: { 'user-agent': 'Mozilla/5.0 (Macintosh) Firefox/130' },
      });
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), 'https://aurora-motors.example/offer?src=mail&x=1');
      assert.equal(
        (await ctx().call('GET', `/t/c/${click0}`)).headers.get('location'),
        'https://aurora-motors.example/new',
      );

      const [rowId, , sig] = click0!.split('.');
      const forged = [
        `${rowId}.1.${sig}`, // another index with the first link's MAC
        `${rowId}.0.${sig!.slice(0, -1)}${sig!.endsWith('A') ? 'B' : 'A'}`,
        `${rowId}.7.${sig}`,
        `ob_other.0.${sig}`,
        'garbage',
        tokenFrom(m!.html, 'o')[0]!, // an open token is not a click token
      ];
      for (const token of forged) {
        const bad = await ctx().call('GET', `/t/c/${encodeURIComponent(token)}`);
        assert.equal(bad.status, 404, token);
        assert.equal(bad.headers.get('location'), null);
      }

      const open = await ctx().call('GET', `/t/o/${tokenFrom(m!.html, 'o')[0]}`, {
        headers: { 'user-agent': 'Mozilla/5.0' },
      });
      assert.equal(open.status, 200);
      assert.equal(open.headers.get('content-type'), 'image/gif');
      assert.match(open.headers.get('cache-control')!, /no-store/);
      assert.equal((await ctx().call('GET', `/t/o/${click0}`)).status, 404);
      const evs = await ctx()
        .db.select()
        .from(events)
        .where(and(eq(events.sendId, s.id), inArray(events.type, ['open', 'click'])));
      assert.equal(evs.filter((e) => e.type === 'click').length, 2);
      const openEvent = evs.find((e) => e.type === 'open')!;
      assert.equal(openEvent.machine, true, 'bare Mozilla/5.0 is a privacy proxy');
      assert.equal(openEvent.meta!.userAgent, 'Mozilla/5.0');
      assert.equal(typeof openEvent.meta!.secondsSinceDelivery, 'number');
    });

    it('the pixel answers before its open is written; the batched writer writes it next', async () => {
      const ids = await addContacts(ctx().db, 1);
      const s = await send(ctx(), quickBody(ids));
      await ctx().worker().drain();
      const [m] = await received(ctx(), ids);
      const writer = eventWriterFor(ctx().db);
      await writer.flush();
      const opens = () =>
        ctx()
          .db.select()
          .from(events)
          .where(and(eq(events.sendId, s.id), eq(events.type, 'open')));
      // Straight to the app (the harness's call() would wait for the writer).
      const res = await ctx().app.request(`/t/o/${tokenFrom(m!.html, 'o')[0]}`);
      assert.equal(res.status, 200);
      assert.equal(writer.pending, 1, 'the open waits in the writer after the answer');
      assert.equal((await opens()).length, 0);
      await writer.flush();
      assert.equal((await opens()).length, 1);
    });

    it('publishes delivery, send status, tracked opens and clicks to the live stream', async () => {
      const seen: LiveEntry[] = [];
      const stop = liveBusFor(ctx().db).subscribe((entry) => seen.push(entry));
      try {
        const ids = await addContacts(ctx().db, 1);
        const s = await send(ctx(), quickBody(ids));
        await ctx().worker().drain();
        const [m] = await received(ctx(), ids);
        const person = { headers: { 'user-agent': 'Mozilla/5.0 (Macintosh) Firefox/130' } };
        ctx().advance(60_000); // a person opens a minute later, not within the prefetch window
        await ctx().call('GET', `/t/o/${tokenFrom(m!.html, 'o')[0]}`, person);
        await ctx().call('GET', `/t/c/${tokenFrom(m!.html, 'c')[0]}`, person);
        await ctx().call('GET', `/t/c/${tokenFrom(m!.html, 'c')[0]}`, {
          headers: { 'user-agent': 'curl/8.0' },
        });
        const mine = seen
          .map((e) => e.message.event)
          .filter((e) => (e.type === 'engagement' || e.type === 'send') && e.sendId === s.id);
        const summary = mine.map((e) =>
          e.type === 'send'
            ? `send ${e.status}`
            : e.type === 'engagement'
              ? `${e.event}${e.machine ? ' machine' : ''}`
              : e.type,
        );
        assert.deepEqual(summary, ['sent', 'delivered', 'send sent', 'open', 'click', 'click machine']);
        const [open, click] = mine.filter((e) => e.type === 'engagement' && !e.machine).slice(2);
        assert.equal(open?.type === 'engagement' && open.unique, true, 'the first open is unique');
        assert.equal(click?.type === 'engagement' && click.contactId, ids[0]);
        assert.ok(seen.every((e) => e.message.partnerId === seen[0]!.message.partnerId));
      } finally {
        stop();
      }
    });

    it('GET /u never unsubscribes; the one-click POST does, for every later send and preview', async () => {
      const ids = await addContacts(ctx().db, 2);
      await send(ctx(), quickBody(ids));
      await ctx().worker().drain();
      const [c] = await ctx().db.select().from(contacts).where(eq(contacts.id, ids[0]!));
      const m = (await received(ctx(), ids)).find((x) => x.to.includes(c!.email))!;
      const url = /<(https:\/\/[^>]+)>/.exec(m.headers.get('list-unsubscribe')!)![1]!;
      const path = url.slice(PUBLIC_URL.length);

      // A pending journey for the same contact.
      const journey = await send(ctx(), { kind: 'journey', journeyId: 'j_journey', contactIds: [ids[0]] });

      const page = await ctx().call('GET', path);
      assert.equal(page.status, 200);
      assert.match(page.text, /<form method="post">/);
      assert.match(page.headers.get('content-security-policy')!, /default-src 'none'/);
      const [still] = await ctx().db.select().from(contacts).where(eq(contacts.id, ids[0]!));
      assert.equal(still!.status, 'active', 'GET did not unsubscribe');

      const post = await ctx().call('POST', path, {
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(post.status, 200);
      const [after] = await ctx().db.select().from(contacts).where(eq(contacts.id, ids[0]!));
      assert.equal(after!.status, 'unsubscribed');
      const sup = await ctx()
        .db.select()
        .from(suppressions)
        .where(eq(suppressions.email, c!.email.toLowerCase()));
      assert.equal(sup[0]?.reason, 'unsubscribe');
      const unsubEvents = await ctx()
        .db.select()
        .from(events)
        .where(and(eq(events.contactId, ids[0]!), eq(events.type, 'unsubscribe')));
      assert.equal(unsubEvents.length, 1);
      assert.equal(unsubEvents[0]!.meta!.oneClick, true);
      // A second POST changes nothing and records nothing.
      await ctx().call('POST', path, { body: 'List-Unsubscribe=One-Click' });
      assert.equal(
        (
          await ctx()
            .db.select({ n: count() })
            .from(events)
            .where(and(eq(events.contactId, ids[0]!), eq(events.type, 'unsubscribe')))
        )[0]!.n,
        1,
      );

      const rows = await ctx().db.select().from(outbox).where(eq(outbox.sendId, journey.id));
      assert.ok(
        rows.every((r) => r.status === 'skipped'),
        rows.map((r) => r.status).join(),
      );
      const [recipient] = await ctx()
        .db.select()
        .from(sendRecipients)
        .where(eq(sendRecipients.sendId, journey.id));
      assert.equal(recipient!.status, 'left_journey');

      const preview = await ctx().call('POST', '/v1/previews', {
        as: 'north',
        body: { journeyId: 'j_quick', contactId: ids[0], personalization: { note: 'x' } },
      });
      assert.deepEqual(
        Preview.parse(preview.body).issues.map((i) => i.code),
        ['unsubscribed'],
      );
      const refused = await ctx().call('POST', '/v1/sends', {
        as: 'north',
        headers: ctx().key(),
        body: quickBody(ids),
      });
      assert.equal(refused.status, 422);
      assert.deepEqual(
        refused.body.error.fields.map((f: { path: string }) => f.path),
        ['body.contactIds.0'],
      );
      // The same address at another partner of the brand is suppressed too.
      const [twin] = await addContacts(ctx().db, 1, { partnerId: 'p_south', email: c!.email });
      const twinPreview = await ctx().call('POST', '/v1/previews', {
        as: 'south',
        body: { journeyId: 'j_quick', contactId: twin, personalization: { note: 'x' } },
      });
      assert.deepEqual(
        Preview.parse(twinPreview.body).issues.map((i) => i.code),
        ['unsubscribed'],
      );
      const bad = await ctx().call('POST', `/u/${path.split('/').pop()!.slice(0, -2)}xx`);
      assert.equal(bad.status, 404);
    });

    it('50 retries of one request: one send, one delivery', async () => {
      const ids = await addContacts(ctx().db, 1);
      const headers = ctx().key();
      for (let i = 0; i < 50; i++) {
        const res = await ctx().call('POST', '/v1/sends', { as: 'north', headers, body: quickBody(ids) });
        assert.ok(res.status === 201 || res.status === 200);
        if (i % 10 === 0) await ctx().worker().drain();
      }
      await ctx().worker().drain();
      assertOncePerMessage(await received(ctx(), ids), 1);
    });
  });

  describe('failures and crashes', () => {
    it('a worker that dies mid-batch: after its lease expires, each message goes out exactly once', async () => {
      const ids = await addContacts(ctx().db, 40);
      const s = await send(ctx(), quickBody(ids));
      const smtp = createSmtpMailer(ctx().sink.url, { maxConnections: 2 });
      let sent = 0;
      const stuck: (() => void)[] = [];
      // Delivers 15 messages, then hangs forever: the process is as good as dead.
      const dying: Mailer = {
        async send(message: OutgoingMessage) {
          if (sent++ < 15) return smtp.send(message);
          return new Promise<void>((_resolve, reject) =>
            stuck.push(() => reject(new DeliveryError('killed', false))),
          );
        },
      };
      const doomed = ctx().worker({ mailer: dying, batchSize: 40 });
      const run = doomed.runOnce();
      await waitUntil(() => stuck.length === 25, 'the dying worker to hang');
      await waitUntil(
        async () =>
          (
            await ctx()
              .db.select({ n: count() })
              .from(outbox)
              .where(and(eq(outbox.sendId, s.id), eq(outbox.status, 'delivered')))
          )[0]!.n === 15,
        'the 15 deliveries to be committed',
      );
      const states = await ctx()
        .db.select({ status: outbox.status })
        .from(outbox)
        .where(eq(outbox.sendId, s.id));
      assert.equal(states.filter((r) => r.status === 'delivering').length, 25);

      // A fresh worker does not touch rows under a live lease...
      const early = await ctx().worker().drain();
      assert.equal(early.claimed, 0);
      // ...and takes them over once it has expired.
      ctx().advance(31_000);
      // On a loaded machine an SMTP connection may fail transiently; such a row is retried after its
      // backoff, so keep draining (advancing the clock past the backoff) until nothing is left.
      let delivered = 0;
      for (let round = 0; round < 5 && delivered < 25; round++) {
        delivered += (await ctx().worker().drain()).delivered;
        ctx().advance(120_000);
      }
      assert.equal(delivered, 25);
      // The dead worker's late outcome changes nothing.
      for (const fail of stuck) fail();
      await run;
      await smtp.close?.();
      assertOncePerMessage(await received(ctx(), ids), 40);
      const rows = await ctx().db.select().from(outbox).where(eq(outbox.sendId, s.id));
      assert.ok(rows.every((r) => r.status === 'delivered'));
    });

    it('a worker claimed a batch and vanished before delivering: re-claimed after the lease, sent once', async () => {
      const ids = await addContacts(ctx().db, 10);
      await send(ctx(), quickBody(ids));
      const blocked: Mailer = { send: () => new Promise<void>(() => undefined) };
      const ghost = ctx().worker({ mailer: blocked, batchSize: 100 });
      void ghost.runOnce();
      await waitUntil(
        async () =>
          (await ctx().db.select({ n: count() }).from(outbox).where(inArray(outbox.contactId, ids)))
            .map((r) => r.n)
            .includes(10),
        'rows',
      );
      await waitUntil(
        async () =>
          (
            await ctx()
              .db.select({ n: count() })
              .from(outbox)
              .where(and(inArray(outbox.contactId, ids), inArray(outbox.status, ['claimed', 'delivering'])))
          )[0]!.n === 10,
        'the claim',
      );
      ctx().advance(31_000);
      await ctx().worker().drain();
      assertOncePerMessage(await received(ctx(), ids), 10);
    });

    it('transient 451: retried with backoff and delivered once', async () => {
      const ids = await addContacts(ctx().db, 3);
      const emails = new Set(await emailsOf(ctx(), ids));
      const refused = new Set<string>();
      ctx().sink.onRcpt = (address) => {
        if (!emails.has(address) || refused.has(address)) return null;
        refused.add(address);
        return { code: 451, message: '4.3.0 Try again later' };
      };
      try {
        const s = await send(ctx(), quickBody(ids));
        const first = await ctx().worker().drain();
        assert.equal(first.retried, 3);
        const queued = await ctx().db.select().from(outbox).where(eq(outbox.sendId, s.id));
        assert.ok(
          queued.every(
            (r) => r.status === 'queued' && r.dueAt > ctx().now() && /451/.test(r.lastError ?? ''),
          ),
        );
        assert.equal((await received(ctx(), ids)).length, 0);
        ctx().advance(1500);
        const second = await ctx().worker().drain();
        assert.equal(second.delivered, 3);
        assertOncePerMessage(await received(ctx(), ids), 3);
        const rows = await ctx().db.select().from(outbox).where(eq(outbox.sendId, s.id));
        assert.ok(rows.every((r) => r.status === 'delivered' && r.attempts === 2));
      } finally {
        ctx().sink.onRcpt = null;
      }
    });

    it('gives up after the last attempt: failed', async () => {
      const ids = await addContacts(ctx().db, 1);
      const [email] = await emailsOf(ctx(), ids);
      ctx().sink.onRcpt = (address) => (address === email ? { code: 421, message: 'busy' } : null);
      try {
        const s = await send(ctx(), quickBody(ids));
        for (let i = 0; i < 3; i++) {
          await ctx().worker({ maxAttempts: 3 }).drain();
          ctx().advance(10_000);
        }
        const [row] = await ctx().db.select().from(outbox).where(eq(outbox.sendId, s.id));
        assert.equal(row!.status, 'failed');
        assert.equal(row!.attempts, 3);
        const read = await ctx().call('GET', `/v1/sends/${s.id}`, { as: 'north' });
        assert.equal(read.body.recipients[0].status, 'failed');
        assert.equal(read.body.status, 'failed');
        const bounces = await ctx()
          .db.select()
          .from(events)
          .where(and(eq(events.sendId, s.id), eq(events.type, 'bounce')));
        assert.deepEqual(
          bounces.map((b) => [b.meta!.bounce, b.meta!.responseCode]),
          [['soft', 421]],
          'one soft bounce when the last attempt is refused',
        );
        const [contact] = await ctx().db.select().from(contacts).where(eq(contacts.id, ids[0]!));
        assert.equal(contact!.status, 'active', 'a soft bounce does not suppress the address');
      } finally {
        ctx().sink.onRcpt = null;
      }
    });

    it('permanent 550: bounced, contact bounced and suppressed, later journey steps skipped', async () => {
      const ids = await addContacts(ctx().db, 2);
      const [bad] = await emailsOf(ctx(), [ids[0]!]);
      ctx().sink.onRcpt = (address) =>
        address === bad ? { code: 550, message: '5.1.1 No such user' } : null;
      try {
        const s = await send(ctx(), { kind: 'journey', journeyId: 'j_journey', contactIds: ids });
        const now = await ctx().worker().drain();
        assert.equal(now.bounced, 1);
        assert.equal(now.delivered, 1);
        const [contact] = await ctx().db.select().from(contacts).where(eq(contacts.id, ids[0]!));
        assert.equal(contact!.status, 'bounced');
        const sup = await ctx()
          .db.select()
          .from(suppressions)
          .where(eq(suppressions.email, bad!.toLowerCase()));
        assert.equal(sup[0]?.reason, 'bounce');
        const rows = await ctx().db.select().from(outbox).where(eq(outbox.sendId, s.id));
        const of = (c: string) =>
          rows
            .filter((r) => r.contactId === c)
            .sort((a, b) => a.stepIndex - b.stepIndex)
            .map((r) => r.status);
        assert.deepEqual(of(ids[0]!), ['bounced', 'skipped', 'skipped']);
        assert.deepEqual(of(ids[1]!), ['delivered', 'queued', 'queued']);
        const bounce = await ctx()
          .db.select()
          .from(events)
          .where(and(eq(events.sendId, s.id), eq(events.type, 'bounce')));
        assert.equal(bounce[0]!.meta!.responseCode, 550);
        assert.equal(bounce[0]!.meta!.bounce, 'hard');

        ctx().advance(3 * 86_400_000 + 1000);
        assert.equal((await ctx().worker().drain()).delivered, 1, 'step 2 for the good address only');
        ctx().advance(4 * 86_400_000);
        assert.equal((await ctx().worker().drain()).delivered, 1, 'step 3');
        const read = await ctx().call('GET', `/v1/sends/${s.id}`, { as: 'north' });
        assert.equal(read.body.status, 'sent');
        const statuses = Object.fromEntries(
          read.body.recipients.map((r: { contactId: string; status: string }) => [r.contactId, r.status]),
        );
        assert.deepEqual(statuses, { [ids[0]!]: 'bounced', [ids[1]!]: 'delivered' });
        const subjects = (await received(ctx(), [ids[1]!])).map(
          (m) => m.headers.get('subject')!.split(' ')[1],
        );
        assert.deepEqual(subjects.sort(), ['s1', 's2', 's3']);
        assert.equal((await received(ctx(), [ids[0]!])).length, 0);
      } finally {
        ctx().sink.onRcpt = null;
      }
    });

    it('a hard bounce settles another send left with nothing to deliver', async () => {
      const ids = await addContacts(ctx().db, 1);
      const [bad] = await emailsOf(ctx(), ids);
      ctx().sink.onRcpt = (address) =>
        address === bad ? { code: 550, message: '5.1.1 No such user' } : null;
      try {
        await send(ctx(), quickBody(ids));
        const later = await send(
          ctx(),
          quickBody(ids, { scheduledAt: new Date(ctx().now().getTime() + 86_400_000).toISOString() }),
        );
        await ctx().worker().drain();
        const read = await ctx().call('GET', `/v1/sends/${later.id}`, { as: 'north' });
        assert.equal(read.body.recipients[0].status, 'cancelled');
        assert.equal(read.body.status, 'failed', 'not left scheduled with nothing to send');
      } finally {
        ctx().sink.onRcpt = null;
      }
    });

    it('cancel while rows are claimed: the worker does not deliver them', async () => {
      const ids = await addContacts(ctx().db, 5);
      const s = await send(ctx(), quickBody(ids));
      // Claim, then cancel before the worker moves the rows to delivering.
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      const slow: Mailer = { send: async () => gate };
      const worker = ctx().worker({ mailer: slow });
      const claimed = await ctx()
        .db.update(outbox)
        .set({
          status: 'claimed',
          claimToken: 'someone',
          leaseUntil: new Date(ctx().now().getTime() + 60_000),
        })
        .where(eq(outbox.sendId, s.id))
        .returning();
      assert.equal(claimed.length, 5);
      const res = await ctx().call('POST', `/v1/sends/${s.id}/cancel`, { as: 'north' });
      assert.equal(res.status, 200);
      release();
      ctx().advance(61_000);
      await worker.drain();
      assert.equal((await received(ctx(), ids)).length, 0);
      const rows = await ctx().db.select().from(outbox).where(eq(outbox.sendId, s.id));
      assert.ok(rows.every((r) => r.status === 'cancelled'));
      assert.equal((await ctx().db.select().from(sends).where(eq(sends.id, s.id)))[0]!.status, 'cancelled');
    });
  });

  if (kind === 'postgres') {
    describe('several workers on one PostgreSQL', () => {
      it('three concurrent workers deliver every message exactly once', async () => {
        const ids = await addContacts(ctx().db, 300);
        await send(ctx(), quickBody(ids));
        const workers = [1, 2, 3].map(() => ctx().worker({ batchSize: 20 }));
        const results = await Promise.all(workers.map((w) => w.drain()));
        assert.equal(
          results.reduce((n, r) => n + r.delivered, 0),
          300,
        );
        assert.ok(
          results.filter((r) => r.claimed > 0).length >= 2,
          `work was shared: ${results.map((r) => r.claimed)}`,
        );
        assertOncePerMessage(await received(ctx(), ids), 300);
      });

      it('a worker process killed with SIGKILL mid-batch: a restarted worker finishes, each message once', async () => {
        const ids = await addContacts(ctx().db, 60);
        const s = await send(ctx(), quickBody(ids));
        // The child runs on the real clock; earlier tests moved the app's clock ahead.
        await ctx()
          .db.update(outbox)
          .set({ dueAt: new Date(Date.now() - 1000) })
          .where(eq(outbox.sendId, s.id));
        const emails = new Set(await emailsOf(ctx(), ids));
        const mine = () => ctx().sink.messages.filter((m) => m.to.some((t) => emails.has(t))).length;
        const before = ctx().sink.accepted;
        ctx().sink.holdAfter = before + 25;
        const url = (ctx().db as unknown as { $client: { options: { connectionString: string } } }).$client
          .options.connectionString;
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', fileURLToPath(new URL('./worker-child.ts', import.meta.url))],
          {
            env: {
              ...process.env,
              DATABASE_URL: url,
              SMTP_URL: ctx().sink.url,
              DM_SECRET: SECRET,
              DM_PUBLIC_URL: PUBLIC_URL,
              DM_LEASE_MS: '1500',
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let output = '';
        child.stdout!.on('data', (d) => (output += d));
        child.stderr!.on('data', (d) => (output += d));
        try {
          await waitUntil(
            () => mine() === 25 && ctx().sink.held > 0,
            'the child to deliver 25 and block',
            60_000,
          ).catch((error: Error) => {
            throw new Error(
              `${error.message} (sink: ${mine()} mine, ${ctx().sink.held} held); child: ${output}`,
            );
          });
          await waitUntil(
            async () =>
              (
                await ctx()
                  .db.select({ n: count() })
                  .from(outbox)
                  .where(and(eq(outbox.sendId, s.id), eq(outbox.status, 'delivered')))
              )[0]!.n === 25,
            'the 25 deliveries to be committed',
          );
          child.kill('SIGKILL');
          await new Promise((r) => child.once('exit', r));
        } finally {
          child.kill('SIGKILL');
          ctx().sink.holdAfter = null;
        }
        const inDoubt = await ctx()
          .db.select({ n: count() })
          .from(outbox)
          .where(and(eq(outbox.sendId, s.id), inArray(outbox.status, ['claimed', 'delivering'])));
        assert.ok(inDoubt[0]!.n > 0, 'the kill left claimed/delivering rows');
        await ctx()
          .worker({ leaseMs: 1500, clock: () => new Date(Date.now() + 2000) })
          .drain();
        assertOncePerMessage(await received(ctx(), ids), 60);
      });
    });
  }
});
