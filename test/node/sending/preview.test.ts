import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Preview, PreviewBatch, type PreviewIssue } from '../../../src/contract/index.js';
import { addContacts, forEachDb } from './support.js';

const codes = (issues: PreviewIssue[]) => issues.map((i) => `${i.code}:${i.severity}:${i.field ?? ''}`);

forEachDb('previews', (ctx) => {
  describe('POST /v1/previews', () => {
    it('renders subject, html and text with personalization, sender identity and the footer', async () => {
      const [id] = await addContacts(ctx().db, 1, { firstName: 'Ada', company: 'Lovelace GmbH' });
      const res = await ctx().call('POST', '/v1/previews', {
        as: 'north',
        body: {
          journeyId: 'j_quick',
          contactId: id,
          personalization: {
            intro: 'Hi {{ contact.first_name }}, **welcome** to [our site](https://nordlicht.example/a)',
            note: 'See you soon',
          },
        },
      });
      assert.equal(res.status, 200, res.text);
      const p = Preview.parse(res.body);
      assert.equal(p.subject, 'Hello Ada, news from Nordlicht Autohaus');
      assert.match(
        p.html,
        /Hi Ada, <strong>welcome<\/strong> to <a href="https:\/\/nordlicht.example\/a">our site<\/a>/,
      );
      assert.match(p.html, /See you soon/);
      assert.match(p.html, /Nordlicht Autohaus, Ring 5, Kiel/, 'partner postal address in the footer');
      assert.match(p.html, /Aurora Motors GmbH, Am Hafen 1/, 'brand postal address in the footer');
      assert.match(p.html, /\/u\/preview">Unsubscribe</);
      assert.doesNotMatch(p.html, /\/t\/o\//, 'no open pixel in a preview');
      assert.match(p.text, /Hi Ada, welcome to our site \(https:\/\/nordlicht.example\/a\)/);
      assert.match(p.text, /Unsubscribe/);
      assert.equal(p.from, 'Nordlicht Autohaus via Aurora Motors <partners@aurora-motors.example>');
      assert.equal(p.replyTo, 'sales@nordlicht.example');
      assert.deepEqual(p.issues, []);
    });

    it('keeps XSS-looking contact data as text in html, text and subject', async () => {
      const [id] = await addContacts(ctx().db, 1, {
        firstName: '<script>alert(1)</script>',
        company: '"><img src=x onerror=alert(1)>',
      });
      const res = await ctx().call('POST', '/v1/previews', {
        as: 'north',
        body: {
          journeyId: 'j_quick',
          contactId: id,
          personalization: { note: 'x', intro: 'Hi {{ contact.company }}' },
        },
      });
      assert.equal(res.status, 200, res.text);
      const p = Preview.parse(res.body);
      assert.doesNotMatch(p.html, /<script/i);
      assert.doesNotMatch(p.html, /<img src=x/i);
      assert.doesNotMatch(p.html, /onerror=alert\(1\)>/);
      assert.match(p.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      assert.match(p.html, /&#34;&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
      assert.match(
        p.text,
        /Hi "><img src=x onerror=alert\(1\)>/,
        'the text part shows the literal characters',
      );
      assert.equal(p.subject, 'Hello <script>alert(1)</script>, news from Nordlicht Autohaus');
    });

    it('partner markup and Liquid never become HTML or template code', async () => {
      const [id] = await addContacts(ctx().db, 1);
      const res = await ctx().call('POST', '/v1/previews', {
        as: 'north',
        body: {
          journeyId: 'j_quick',
          contactId: id,
          personalization: {
            note: '<b>bold</b> {% for i in (1..3) %}x{% endfor %} {{ "a" | raw }}',
            intro: '<iframe src=x>',
          },
        },
      });
      const p = Preview.parse(res.body);
      assert.match(
        p.html,
        /&lt;b&gt;bold&lt;\/b&gt; &#123;% for i in \(1..3\) %&#125;x&#123;% endfor %&#125;/,
      );
      assert.match(p.html, /&lt;iframe src=x&gt;/);
      assert.doesNotMatch(p.html, /<iframe|<b>bold/);
    });

    it('warns about missing merge data and uses the brand fallback', async () => {
      const [id] = await addContacts(ctx().db, 1, { firstName: null, company: null });
      const res = await ctx().call('POST', '/v1/previews', {
        as: 'north',
        body: { journeyId: 'j_quick', contactId: id, personalization: { note: 'x' } },
      });
      const p = Preview.parse(res.body);
      assert.equal(p.subject, 'Hello there, news from Nordlicht Autohaus');
      assert.deepEqual(codes(p.issues).sort(), [
        'missing_merge_data:warning:contact.company',
        'missing_merge_data:warning:contact.first_name',
      ]);
      assert.match(p.issues.find((i) => i.field === 'contact.first_name')!.message, /"there"/);
    });

    it('flags unsubscribed, bounced and opted-out contacts as blocking, unknown consent as a warning', async () => {
      const db = ctx().db;
      const cases = [
        [{ status: 'unsubscribed' as const }, 'unsubscribed:blocking'],
        [{ status: 'bounced' as const }, 'suppressed:blocking'],
        [{ consent: 'opted_out' as const }, 'no_consent:blocking'],
        [{ consent: 'unknown' as const }, 'no_consent:warning'],
      ] as const;
      for (const [input, expected] of cases) {
        const [id] = await addContacts(db, 1, input);
        const res = await ctx().call('POST', '/v1/previews', {
          as: 'north',
          body: { journeyId: 'j_quick', contactId: id, personalization: { note: 'x' } },
        });
        assert.equal(res.status, 200);
        assert.deepEqual(codes(Preview.parse(res.body).issues), [`${expected}:${id}`]);
      }
    });

    it('reports rule violations per block', async () => {
      const [id] = await addContacts(ctx().db, 1);
      const preview = async (personalization: Record<string, string>) => {
        const res = await ctx().call('POST', '/v1/previews', {
          as: 'north',
          body: { journeyId: 'j_quick', contactId: id, personalization },
        });
        assert.equal(res.status, 200, res.text);
        return Preview.parse(res.body).issues;
      };
      assert.deepEqual(codes(await preview({})), ['required:blocking:note']);
      assert.deepEqual(codes(await preview({ note: 'x', intro: 'a'.repeat(201) })), [
        'rule_violation:blocking:intro',
      ]);
      assert.deepEqual(codes(await preview({ note: 'x', intro: 'Totally FREE service' })), [
        'rule_violation:blocking:intro',
      ]);
      assert.deepEqual(codes(await preview({ note: 'x', intro: 'freedom is fine' })), []);
      assert.deepEqual(codes(await preview({ note: 'x', intro: 'Save 20 % today' })), [
        'rule_violation:blocking:intro',
      ]);
      const js = await preview({ note: 'x', intro: '[win](javascript:alert(1))' });
      assert.deepEqual(codes(js), ['rule_violation:blocking:intro']);
      assert.match(js[0]!.message, /javascript/);
      assert.deepEqual(codes(await preview({ note: 'x', intro: '![car](https://evil.example/x.png)' })), [
        'rule_violation:blocking:intro',
      ]);
      assert.deepEqual(
        codes(await preview({ note: 'x', intro: '![car](https://cdn.aurora-motors.example/x.png)' })),
        [],
      );
      assert.deepEqual(codes(await preview({ note: 'x', logo: 'mine' })), ['rule_violation:blocking:logo']);
      assert.deepEqual(codes(await preview({ note: 'x', nope: 'y' })), ['rule_violation:blocking:nope']);
      assert.deepEqual(codes(await preview({ note: '   ' })), ['required:blocking:note']);
    });

    it("is 404 for another partner's contact and 403 for a brand admin", async () => {
      const [south] = await addContacts(ctx().db, 1, { partnerId: 'p_south' });
      const res = await ctx().call('POST', '/v1/previews', {
        as: 'north',
        body: { journeyId: 'j_quick', contactId: south, personalization: { note: 'x' } },
      });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body.error.fields, [{ path: 'body.contactId', message: 'unknown contact' }]);
      const admin = await ctx().call('POST', '/v1/previews', {
        as: 'admin',
        body: { journeyId: 'j_quick', contactId: south, personalization: {} },
      });
      assert.equal(admin.status, 403);
    });
  });

  describe('POST /v1/previews/batch', () => {
    it('summarises issues per recipient without html, including overrides', async () => {
      const db = ctx().db;
      const ok = await addContacts(db, 3);
      const [unsub] = await addContacts(db, 1, { status: 'unsubscribed' });
      const [noName] = await addContacts(db, 1, { firstName: null });
      const res = await ctx().call('POST', '/v1/previews/batch', {
        as: 'north',
        body: {
          journeyId: 'j_quick',
          contactIds: [...ok, unsub, noName],
          personalization: { note: 'x' },
          overrides: { [ok[0]!]: { intro: 'FREE stuff' } },
        },
      });
      assert.equal(res.status, 200, res.text);
      const batch = PreviewBatch.parse(res.body);
      assert.equal(batch.items.length, 5);
      assert.deepEqual(batch.summary, {
        recipients: 5,
        ok: 2,
        warning: 1,
        blocking: 2,
        byCode: { rule_violation: 1, unsubscribed: 1, missing_merge_data: 1 },
      });
      assert.deepEqual(codes(batch.items[0]!.issues), ['rule_violation:blocking:intro']);
      assert.equal(batch.items[3]!.status, 'blocking');
      assert.ok(!('html' in batch.items[0]!));
    });

    it('previews 10,000 recipients quickly', async () => {
      const ids = await addContacts(ctx().db, 10_000, { firstName: null });
      const start = performance.now();
      const res = await ctx().call('POST', '/v1/previews/batch', {
        as: 'north',
        body: { journeyId: 'j_quick', contactIds: ids, personalization: { note: 'x' } },
      });
      const ms = performance.now() - start;
      assert.equal(res.status, 200);
      assert.equal(res.body.summary.warning, 10_000);
      console.log(`# ${ctx().kind}: batch preview of 10,000 recipients in ${ms.toFixed(0)} ms`);
      assert.ok(ms < 5000, `took ${ms} ms`);
    });

    it("is 404 naming the index of another partner's contact", async () => {
      const [mine] = await addContacts(ctx().db, 1);
      const [theirs] = await addContacts(ctx().db, 1, { partnerId: 'p_south' });
      const res = await ctx().call('POST', '/v1/previews/batch', {
        as: 'north',
        body: { journeyId: 'j_quick', contactIds: [mine, theirs], personalization: {} },
      });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body.error.fields, [{ path: 'body.contactIds.1', message: 'unknown contact' }]);
    });
  });
});
