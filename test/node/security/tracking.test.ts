/**
 * Tracking, unsubscribe and rendering under attack: forged, altered and swapped tokens never redirect
 * to a host that is not a link of the message and never unsubscribe anyone; GET /u never unsubscribes;
 * contact data with HTML/JS stays text in previews; `javascript:` and `data:` links in partner content
 * are rule violations.
 */
import './pglite-only.js';
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import fc from 'fast-check';
import type { Step } from '../../../src/contract/index.js';
import { contacts, journeys, outbox } from '../../../server/db/schema.js';
import { signToken } from '../../../server/domain/tracking.js';
import { addContacts, journeyId, seedApprovalFixtures, STEP } from '../approvals/support.js';
import { forEachDatabase, TEST_SECRET } from '../support/db.js';
import { randomId } from './support.js';

const LINKS_A = ['https://a-one.example/x', 'https://a-two.example/y'];
const LINKS_B = ['https://b-one.example/x', 'https://b-two.example/y?z=1'];
const LINK_JOURNEY = 'j_sec_links';

interface Message {
  rowId: string;
  contactId: string;
  links: string[];
}

const flip = (token: string, at: number, to: string) => token.slice(0, at) + to + token.slice(at + 1);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

forEachDatabase('tracking and rendering under attack', (ctx, kind) => {
  if (kind !== 'pglite') return;
  let a: Message;
  let b: Message;
  const valid = new Set<string>();

  before(async () => {
    const { db } = ctx();
    await seedApprovalFixtures(db);
    const ids = await addContacts(db, 'partner_north', 2);
    const made: Message[] = [];
    for (const [i, contactId] of ids.entries()) {
      const res = await ctx().call('POST', '/v1/sends', {
        as: 'u_jana',
        headers: { 'idempotency-key': randomId('k') },
        body: { journeyId: journeyId('never'), contactIds: [contactId] },
      });
      assert.ok(res.status < 300, JSON.stringify(res.body));
      const [row] = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.sendId, res.body.id));
      const links = i === 0 ? LINKS_A : LINKS_B;
      await db.update(outbox).set({ links }).where(eq(outbox.id, row!.id));
      made.push({ rowId: row!.id, contactId: contactId!, links });
    }
    [a, b] = made as [Message, Message];
    for (const m of made) {
      m.links.forEach((_, i) => valid.add(signToken(TEST_SECRET, 'click', m.rowId, i)));
    }
    const [template] = await db
      .select()
      .from(journeys)
      .where(eq(journeys.id, journeyId('never')));
    const step: Step = {
      ...STEP,
      blocks: STEP.blocks.map((blk) =>
        blk.id === 'b_intro' ? { ...blk, rules: { ...blk.rules!, format: 'basic' as const } } : blk,
      ),
    };
    await db.insert(journeys).values({ ...template!, id: LINK_JOURNEY, name: 'Links', steps: [step] });
  });

  const status = async (contactId: string) =>
    (await ctx().db.select({ s: contacts.status }).from(contacts).where(eq(contacts.id, contactId)))[0]!.s;

  it('a valid click token redirects to its own link (control)', async () => {
    const res = await ctx().call('GET', `/t/c/${signToken(TEST_SECRET, 'click', a.rowId, 1)}`);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), LINKS_A[1]);
  });

  it('altered, truncated, swapped and random click tokens never redirect', async () => {
    const original = signToken(TEST_SECRET, 'click', a.rowId, 0);
    const macB = signToken(TEST_SECRET, 'click', b.rowId, 1).split('.')[2]!;
    const token = fc.oneof(
      fc
        .tuple(fc.nat({ max: original.length - 1 }), fc.constantFrom(...B64, '.', '%', '/'))
        .map(([i, ch]) => flip(original, i, ch)),
      fc.nat({ max: original.length - 1 }).map((n) => original.slice(0, n)),
      fc.constantFrom(
        `${a.rowId}.1.${macB}`,
        `${b.rowId}.0.${original.split('.')[2]}`,
        `${a.rowId}.2.${original.split('.')[2]}`,
        `${a.rowId}.01.${original.split('.')[2]}`,
        `${a.rowId}.-1.${original.split('.')[2]}`,
        signToken(TEST_SECRET, 'open', a.rowId),
        signToken(TEST_SECRET, 'unsubscribe', a.rowId),
        signToken(TEST_SECRET, 'click', a.rowId, 5),
        signToken(`${TEST_SECRET}x`, 'click', a.rowId, 0),
        `${original}.x`,
        `${original}%2Fhttps:%2F%2Fevil.example`,
      ),
      fc.base64String({ minLength: 1, maxLength: 60 }).map((s) => s.replace(/\+/g, '-').replace(/\//g, '_')),
    );
    const allLinks = new Set([...LINKS_A, ...LINKS_B]);
    await fc.assert(
      fc.asyncProperty(token, async (t) => {
        const res = await ctx().call('GET', `/t/c/${t}`);
        const location = res.headers.get('location');
        if (valid.has(t)) {
          assert.ok(location && allLinks.has(location));
          return;
        }
        assert.equal(location, null, `${t} redirected to ${location}`);
        assert.ok(res.status >= 400 && res.status < 500, `${t}: ${res.status}`);
      }),
      { numRuns: 150 },
    );
  });

  it('forged unsubscribe tokens never unsubscribe; GET never unsubscribes', async () => {
    const original = signToken(TEST_SECRET, 'unsubscribe', a.rowId);
    const token = fc.oneof(
      fc
        .tuple(fc.nat({ max: original.length - 1 }), fc.constantFrom(...B64, '.'))
        .map(([i, ch]) => flip(original, i, ch))
        .filter((t) => t !== original),
      fc.nat({ max: original.length - 1 }).map((n) => original.slice(0, n)),
      fc.constantFrom(
        signToken(TEST_SECRET, 'open', a.rowId),
        signToken(TEST_SECRET, 'click', a.rowId, 0),
        `${a.rowId}.${signToken(TEST_SECRET, 'unsubscribe', b.rowId).split('.')[1]}`,
        signToken(`${TEST_SECRET}x`, 'unsubscribe', a.rowId),
        'preview',
      ),
      fc.base64String({ minLength: 1, maxLength: 40 }).map((s) => s.replace(/\+/g, '-').replace(/\//g, '_')),
    );
    await fc.assert(
      fc.asyncProperty(token, async (t) => {
        await ctx().call('POST', `/u/${t}`, {
          body: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        assert.equal(await status(a.contactId), 'active', `forged ${t} unsubscribed`);
      }),
      { numRuns: 100 },
    );
    for (let i = 0; i < 3; i++) {
      const res = await ctx().call('GET', `/u/${original}`);
      assert.equal(res.status, 200);
      assert.match(String(res.body), /<form method="post">/);
    }
    assert.equal(await status(a.contactId), 'active', 'GET unsubscribed');
    assert.equal(await status(b.contactId), 'active');
    // Control: the real token, POSTed, unsubscribes exactly its own contact.
    const res = await ctx().call('POST', `/u/${original}`, {
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 200);
    assert.equal(await status(a.contactId), 'unsubscribed');
    assert.equal(await status(b.contactId), 'active');
  });

  it('HTML and JS in contact data never reach preview HTML unescaped', async () => {
    const [contactId] = await addContacts(ctx().db, 'partner_north', 1);
    const payload = fc.oneof(
      fc.constantFrom(
        '<script>alert(1)</script>',
        '"><img src=x onerror=alert(1)>',
        "'><svg onload=alert(1)>",
        'javascript:alert(1)',
        '{{ brand.name }}<script>',
        '</p><script src=//evil.example/x.js></script>',
        '<a href="javascript:alert(1)">x</a>',
        '<iframe srcdoc="<script>alert(1)</script>">',
      ),
      fc
        .tuple(
          fc.string({ maxLength: 20 }),
          fc.constantFrom('<script>', '" onerror=alert(1) x="', '<img onerror=x>'),
        )
        .map(([s, p]) => s + p + s),
    );
    await fc.assert(
      fc.asyncProperty(payload, payload, async (first, company) => {
        await ctx()
          .db.update(contacts)
          .set({ firstName: first.slice(0, 100), company: company.slice(0, 200) })
          .where(inArray(contacts.id, [contactId!]));
        const res = await ctx().call('POST', '/v1/previews', {
          as: 'u_jana',
          body: {
            journeyId: LINK_JOURNEY,
            contactId,
            personalization: { b_intro: 'Hi {{ contact.first_name }} of {{ contact.company }}' },
          },
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const html: string = res.body.html;
        assert.doesNotMatch(html, /<script/i);
        // An event-handler attribute inside any tag (escaped text like `&#34; onerror=` is harmless).
        assert.doesNotMatch(html, /<[a-z][^>]*\son\w+\s*=/i);
        assert.doesNotMatch(html, /<(img|svg|iframe)\b/i);
        assert.doesNotMatch(html, /href="\s*javascript:/i);
      }),
      { numRuns: 30 },
    );
  });

  it('javascript: and data: links in partner content are rule violations', async () => {
    const [contactId] = await addContacts(ctx().db, 'partner_north', 1);
    const bad = [
      '[win](javascript:alert(1))',
      '[win](JavaScript:alert(1))',
      '[win](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[win](vbscript:msgbox(1))',
    ];
    // Not links in the partner's format (raw HTML, a space before the target): text, never a href.
    for (const intro of [
      '[win]( javascript:alert(1))',
      '<a href="javascript:alert(1)">win</a>',
      '<a href="data:text/html,<script>alert(1)</script>">win</a>',
    ]) {
      const text = await ctx().call('POST', '/v1/previews', {
        as: 'u_jana',
        body: { journeyId: LINK_JOURNEY, contactId, personalization: { b_intro: intro } },
      });
      assert.equal(text.status, 200);
      assert.doesNotMatch(text.body.html, /href="\s*(javascript|data):/i, intro);
      assert.doesNotMatch(text.body.html, /<script/i, intro);
    }
    for (const intro of bad) {
      const res = await ctx().call('POST', '/v1/previews', {
        as: 'u_jana',
        body: { journeyId: LINK_JOURNEY, contactId, personalization: { b_intro: intro } },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const issues = res.body.issues as { code: string; field?: string; severity: string }[];
      assert.ok(
        issues.some((i) => i.code === 'rule_violation' && i.field === 'b_intro' && i.severity === 'blocking'),
        `${intro}: ${JSON.stringify(issues)}`,
      );
      assert.doesNotMatch(res.body.html, /href="\s*(javascript|data|vbscript):/i, intro);
      const send = await ctx().call('POST', '/v1/sends', {
        as: 'u_jana',
        headers: { 'idempotency-key': randomId('k') },
        body: { journeyId: LINK_JOURNEY, contactIds: [contactId], personalization: { b_intro: intro } },
      });
      assert.ok(send.status >= 400 && send.status < 500, `${intro}: send ${send.status}`);
    }
  });
});
