import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq, ne } from 'drizzle-orm';
import { Contact, ContactPage, type Contact as ContactT } from '../../../src/contract/index.js';
import { contacts } from '../../../server/db/schema.js';
import { forEachDatabase, type CallResult, type TestContext } from '../support/db.js';

async function walk(ctx: TestContext, as: string, query: string, limit: number) {
  const items: ContactT[] = [];
  let cursor: string | null = null;
  let total = -1;
  for (let pages = 0; ; pages++) {
    assert.ok(pages < 200, 'pagination does not terminate');
    const qs: string = `${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res: CallResult = await ctx.call('GET', `/v1/contacts?${qs}`, { as });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const page = ContactPage.parse(res.body);
    if (total >= 0) assert.equal(page.total, total, 'total is the same on every page');
    total = page.total;
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return { items, total };
}

const partnerOf = (id: string) => /^c_([a-z]+)_/.exec(id)?.[1];

forEachDatabase('contacts API', (ctx) => {
  describe('GET /v1/contacts', () => {
    it("lists all of the caller's partner's contacts, newest first, across pages", async () => {
      const rows = await ctx()
        .db.select({ id: contacts.id })
        .from(contacts)
        .where(eq(contacts.partnerId, 'partner_north'));
      assert.ok(rows.length >= 240 && rows.length <= 320, `seeded ${rows.length}`);
      const { items, total } = await walk(ctx(), 'u_jana', '', 100);
      assert.equal(total, rows.length);
      assert.equal(items.length, rows.length, 'no gaps');
      assert.equal(new Set(items.map((c) => c.id)).size, items.length, 'no duplicates');
      assert.deepEqual(new Set(items.map((c) => c.id)), new Set(rows.map((r) => r.id)));
      for (let i = 1; i < items.length; i++) assert.ok(items[i - 1]!.createdAt >= items[i]!.createdAt);
    });

    it('small pages give the same sequence as one big page', async () => {
      const big = await walk(ctx(), 'u_tom', 'status=active', 100);
      const small = await walk(ctx(), 'u_tom', 'status=active', 7);
      assert.deepEqual(
        small.items.map((c) => c.id),
        big.items.map((c) => c.id),
      );
    });

    it('reports consent and status, and mailable = active and not opted out', async () => {
      const { items } = await walk(ctx(), 'u_jana', '', 100);
      for (const c of items)
        assert.equal(c.mailable, c.status === 'active' && c.consent !== 'opted_out', c.id);
      const statuses = new Set(items.map((c) => c.status));
      for (const s of ['active', 'unsubscribed', 'bounced'])
        assert.ok(statuses.has(s as ContactT['status']), s);
      const consents = new Set(items.map((c) => c.consent));
      for (const s of ['opted_in', 'unknown', 'opted_out'])
        assert.ok(consents.has(s as ContactT['consent']), s);
      assert.ok(
        items.some((c) => c.firstName === null),
        'some contacts lack a first name',
      );
      assert.ok(
        items.some((c) => c.lastName === null),
        'some contacts lack a last name',
      );
    });

    it('has Chinese names for the Shanghai partner', async () => {
      const { items } = await walk(ctx(), 'u_li', '', 100);
      const chinese = items.filter(
        (c) => c.locale === 'zh-CN' && /[\u4e00-\u9fff]/.test(c.lastName ?? c.firstName ?? ''),
      );
      assert.ok(chinese.length > items.length / 2, `${chinese.length} of ${items.length}`);
    });

    it('filters by status', async () => {
      const { items, total } = await walk(ctx(), 'u_jana', 'status=unsubscribed', 10);
      assert.ok(total > 0);
      assert.ok(items.every((c) => c.status === 'unsubscribed' && !c.mailable));
    });

    it('searches name, email and company (all words)', async () => {
      const { items } = await walk(ctx(), 'u_jana', '', 100);
      const target = items.find((c) => c.firstName && c.lastName && c.company)!;
      const byEmail = await ctx().call(
        'GET',
        `/v1/contacts?q=${encodeURIComponent(target.email.toUpperCase())}`,
        { as: 'u_jana' },
      );
      assert.deepEqual(
        byEmail.body.items.map((c: ContactT) => c.id),
        [target.id],
      );
      const byName = await walk(
        ctx(),
        'u_jana',
        `q=${encodeURIComponent(`${target.lastName} ${target.firstName}`)}`,
        5,
      );
      assert.ok(byName.items.some((c) => c.id === target.id));
      for (const c of byName.items) {
        const hay = [c.firstName, c.lastName, c.email, c.company].join(' ').toLowerCase();
        assert.ok(
          hay.includes(target.lastName!.toLowerCase()) && hay.includes(target.firstName!.toLowerCase()),
        );
      }
      const byCompany = await walk(ctx(), 'u_jana', `q=${encodeURIComponent(target.company!)}`, 50);
      assert.ok(byCompany.items.some((c) => c.id === target.id));
      const literal = await ctx().call('GET', '/v1/contacts?q=%25', { as: 'u_jana' });
      assert.equal(literal.body.total, 0);
    });

    it('rejects bad queries with the field path', async () => {
      for (const [qs, path] of [
        ['status=gone', 'query.status'],
        ['limit=0', 'query.limit'],
        ['limit=101', 'query.limit'],
        ['page=2', 'query.page'],
        ['cursor=zzz', 'query.cursor'],
      ]) {
        const res = await ctx().call('GET', `/v1/contacts?${qs}`, { as: 'u_jana' });
        assert.equal(res.status, 400, qs);
        assert.equal(res.body.error.code, 'validation');
        assert.ok(
          res.body.error.fields.some((f: { path: string }) => f.path === path),
          qs,
        );
      }
      const journeysCursor = await ctx().call('GET', '/v1/journeys?limit=1', { as: 'u_jana' });
      const res = await ctx().call('GET', `/v1/contacts?cursor=${journeysCursor.body.nextCursor}`, {
        as: 'u_jana',
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.fields[0].path, 'query.cursor');
    });
  });

  describe('tenancy', () => {
    it("a partner never sees another partner's contacts, even searching for them", async () => {
      const [other] = await ctx()
        .db.select()
        .from(contacts)
        .where(and(eq(contacts.partnerId, 'partner_south'), ne(contacts.status, 'active')))
        .limit(1);
      assert.ok(other);
      for (const q of [other.email, other.email.split('@')[0]!, other.id]) {
        const res = await ctx().call('GET', `/v1/contacts?q=${encodeURIComponent(q)}`, { as: 'u_jana' });
        assert.equal(res.status, 200);
        assert.ok(
          res.body.items.every((c: ContactT) => partnerOf(c.id) === 'north'),
          `q=${q} leaked ${JSON.stringify(res.body.items.map((c: ContactT) => c.id))}`,
        );
        assert.ok(!res.body.items.some((c: ContactT) => c.email === other.email && c.id === other.id));
      }
      const { items } = await walk(ctx(), 'u_jana', '', 100);
      assert.ok(items.every((c) => partnerOf(c.id) === 'north'));
    });

    it("another partner's cursor only moves within the caller's own contacts", async () => {
      const jana = await ctx().call('GET', '/v1/contacts?limit=5', { as: 'u_jana' });
      const tom = await ctx().call(
        'GET',
        `/v1/contacts?limit=100&cursor=${encodeURIComponent(jana.body.nextCursor)}`,
        { as: 'u_tom' },
      );
      assert.equal(tom.status, 200);
      assert.ok(tom.body.items.length > 0);
      assert.ok(tom.body.items.every((c: ContactT) => partnerOf(c.id) === 'south'));
    });

    it("a partner manager reads its partner's contacts; brand-level users get 403", async () => {
      const manager = await ctx().call('GET', '/v1/contacts?limit=3', { as: 'u_manager' });
      assert.equal(manager.status, 200);
      assert.ok(manager.body.items.every((c: ContactT) => partnerOf(c.id) === 'north'));
      for (const as of ['u_admin', 'u_compliance']) {
        const res = await ctx().call('GET', '/v1/contacts', { as });
        assert.equal(res.status, 403, as);
        assert.equal(res.body.error.code, 'forbidden');
        assert.match(res.body.error.message, /partner/);
      }
    });
  });

  describe('POST /v1/contacts', () => {
    it('creates a contact with a normalized email; it lists first and is searchable', async () => {
      const res = await ctx().call('POST', '/v1/contacts', {
        as: 'u_sofia',
        body: {
          email: 'Neue.Kundin@Example.COM',
          firstName: 'Frieda',
          lastName: 'Neumann',
          company: 'Kiez Café',
          locale: 'en',
          consent: 'opted_in',
          tags: ['walk-in'],
        },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const created = Contact.parse(res.body);
      assert.equal(created.email, 'neue.kundin@example.com');
      assert.equal(created.status, 'active');
      assert.equal(created.mailable, true);
      assert.deepEqual(created.tags, ['walk-in']);

      const list = await ctx().call('GET', '/v1/contacts?limit=1', { as: 'u_sofia' });
      assert.equal(list.body.items[0].id, created.id);
      const found = await ctx().call('GET', '/v1/contacts?q=kiez%20frieda', { as: 'u_sofia' });
      assert.deepEqual(
        found.body.items.map((c: ContactT) => c.id),
        [created.id],
      );
      const elsewhere = await ctx().call('GET', '/v1/contacts?q=neue.kundin', { as: 'u_jana' });
      assert.equal(elsewhere.body.total, 0);
    });

    it('defaults consent to unknown; unknown consent is still mailable', async () => {
      const res = await ctx().call('POST', '/v1/contacts', {
        as: 'u_sofia',
        body: { email: 'only.email@example.net' },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.consent, 'unknown');
      assert.equal(res.body.firstName, null);
      assert.equal(res.body.mailable, true);
    });

    it('rejects a duplicate email for the same partner with 409 on body.email', async () => {
      const first = await ctx().call('POST', '/v1/contacts', {
        as: 'u_felix',
        body: { email: 'dup@example.org' },
      });
      assert.equal(first.status, 201);
      const again = await ctx().call('POST', '/v1/contacts', {
        as: 'u_marie',
        body: { email: 'DUP@example.org' },
      });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'conflict');
      assert.deepEqual(again.body.error.fields, [
        { path: 'body.email', message: 'a contact with this email already exists' },
      ]);
      const otherPartner = await ctx().call('POST', '/v1/contacts', {
        as: 'u_tom',
        body: { email: 'dup@example.org' },
      });
      assert.equal(otherPartner.status, 201, 'the same email may exist at another partner');
    });

    it('validates the body with field paths', async () => {
      const cases: Array<[unknown, string]> = [
        [{ email: 'x@example.com', nickname: 'X' }, 'body.nickname'],
        [{ email: 'not-an-email' }, 'body.email'],
        [{ firstName: 'No Email' }, 'body.email'],
        [{ email: 'x@example.com', firstName: 5 }, 'body.firstName'],
        [{ email: 'x@example.com', firstName: '   ' }, 'body.firstName'],
        [{ email: 'x@example.com', consent: 'maybe' }, 'body.consent'],
        [{ email: 'x@example.com', locale: 'de' }, 'body.locale'],
        [{ email: 'x@example.com', tags: 'vip' }, 'body.tags'],
        [[{ email: 'x@example.com' }], 'body'],
      ];
      for (const [body, path] of cases) {
        const res = await ctx().call('POST', '/v1/contacts', { as: 'u_jana', body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error.code, 'validation');
        assert.ok(
          res.body.error.fields.some((f: { path: string }) => f.path === path),
          `${JSON.stringify(body)} → ${JSON.stringify(res.body.error.fields)}`,
        );
      }
    });

    it('rejects malformed JSON with 400 on body', async () => {
      const res = await ctx().call('POST', '/v1/contacts', { as: 'u_jana', body: '{"email": ' });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.error.fields, [{ path: 'body', message: 'malformed JSON' }]);
    });

    it('only partner users add contacts', async () => {
      for (const as of ['u_admin', 'u_compliance', 'u_manager']) {
        const res = await ctx().call('POST', '/v1/contacts', { as, body: { email: `by.${as}@example.com` } });
        assert.equal(res.status, 403, as);
        assert.equal(res.body.error.code, 'forbidden');
      }
    });

    it('requires a token', async () => {
      const res = await ctx().call('POST', '/v1/contacts', { body: { email: 'anon@example.com' } });
      assert.equal(res.status, 401);
    });
  });

  describe('POST /v1/contacts/import', () => {
    const csv = (text: string, as = 'u_ayse', type = 'text/csv') =>
      ctx().call('POST', '/v1/contacts/import', { as, body: text, headers: { 'content-type': type } });

    it('adds valid rows, skips duplicates and reports invalid rows by row number', async () => {
      const existing = (await ctx().call('GET', '/v1/contacts?limit=1', { as: 'u_ayse' })).body
        .items[0] as ContactT;
      const text = [
        'email,firstName,lastName,company,locale,consent,tags',
        'import.one@example.com,Ida,Imholz,,en,opted_in,customer;vip',
        '"import.two@example.com","Jan","Jung","Jung, Sohn & Co",en,unknown,',
        'IMPORT.ONE@example.com,Ida,Twice,,,,',
        'broken-address,Bad,Row,,,,',
        `${existing.email},Already,There,,,,`,
        'import.three@example.com,,,,zh-CN,opted_out,',
        'import.four@example.com,Vera,Vogt,,fr,,',
        '',
      ].join('\r\n');
      const res = await csv(text);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.created, 3);
      assert.equal(res.body.skipped, 2);
      assert.deepEqual(res.body.errors, [
        { row: 5, field: 'email', message: res.body.errors[0].message },
        { row: 8, field: 'locale', message: res.body.errors[1].message },
      ]);
      const found = await ctx().call('GET', '/v1/contacts?q=sohn', { as: 'u_ayse' });
      assert.equal(found.body.items[0].company, 'Jung, Sohn & Co');
      const vip = await ctx().call('GET', '/v1/contacts?q=import.one', { as: 'u_ayse' });
      assert.deepEqual(vip.body.items[0].tags, ['customer', 'vip']);
    });

    it('rejects unknown columns, a missing email column, and non-CSV bodies', async () => {
      const unknown = await csv('email,phone\na@example.com,123\n');
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.error.message, /phone/);
      const noEmail = await csv('firstName\nAnna\n');
      assert.equal(noEmail.status, 400);
      const json = await csv('{"email":"a@example.com"}', 'u_ayse', 'application/json');
      assert.ok(json.status === 400 || json.status === 415, String(json.status));
    });

    it(`refuses more than 5,000 rows with 413`, async () => {
      const rows = Array.from({ length: 5001 }, (_, i) => `bulk${i}@example.com`);
      const res = await csv(['email', ...rows].join('\n'));
      assert.equal(res.status, 413);
      assert.equal(res.body.error.code, 'validation');
      const count = await ctx().call('GET', '/v1/contacts?q=bulk1', { as: 'u_ayse' });
      assert.equal(count.body.total, 0, 'nothing was imported');
    });

    it('is for partner users only', async () => {
      const res = await csv('email\nx@example.com\n', 'u_admin');
      assert.equal(res.status, 403);
    });
  });
});
