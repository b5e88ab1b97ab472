import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { signToken } from '../../../server/auth.js';
import { forEachDatabase, TEST_SECRET } from '../support/db.js';

/** The operations of api-outline.md served by this slice (identity, journeys, contacts, system). */
const OUTLINE: Array<[method: string, path: string]> = [
  ['get', '/v1/me'],
  ['get', '/v1/journeys'],
  ['get', '/v1/journeys/{id}'],
  ['get', '/v1/contacts'],
  ['post', '/v1/contacts'],
  ['post', '/v1/contacts/import'],
  ['get', '/v1/demo/users'],
  ['post', '/v1/demo/session'],
  ['get', '/healthz'],
];

forEachDatabase('API basics', (ctx) => {
  describe('GET /healthz', () => {
    it('reports the database as reachable, without a token', async () => {
      const res = await ctx().call('GET', '/healthz');
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ok');
      assert.equal(res.body.database, 'ok');
    });
  });

  describe('GET /preview-frame', () => {
    it('serves the preview page without a token, under its own policy that allows only its own script', async () => {
      const res = await ctx().app.request('/preview-frame');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      const html = await res.text();
      const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
      const digest = createHash('sha256').update(script).digest('base64');
      const policy = res.headers.get('content-security-policy')!;
      assert.equal(/script-src ([^;]+)/.exec(policy)![1], `'sha256-${digest}'`);
      assert.match(policy, /default-src 'none'/);
      assert.match(policy, /style-src 'unsafe-inline'/);
      assert.match(policy, /img-src https: data:/);
      assert.match(html, /<iframe id="email" sandbox=""/, 'the email frame runs no script');
    });
  });

  describe('authentication', () => {
    const protectedCalls: Array<[string, string]> = [
      ['GET', '/v1/journeys'],
      ['GET', '/v1/journeys/j_welcome_new_owner'],
      ['GET', '/v1/contacts'],
      ['POST', '/v1/contacts'],
    ];

    it('401 without a token, with WWW-Authenticate', async () => {
      for (const [method, path] of protectedCalls) {
        const res = await ctx().call(method, path);
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.equal(res.body.error.code, 'auth');
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      }
    });

    it('401 for a malformed, forged, expired or unknown-user token', async () => {
      const claims = {
        sub: 'u_jana',
        brand: 'brand_aurora',
        partner: 'partner_north',
        role: 'partner' as const,
      };
      const tokens = {
        garbage: 'not.a.jwt',
        forged: await signToken('another-secret-that-is-long-enough-000', claims),
        expired: await signToken(TEST_SECRET, claims, 60, new Date(Date.now() - 3600_000)),
        unknownUser: await signToken(TEST_SECRET, { ...claims, sub: 'u_nobody' }),
        wrongPartner: await signToken(TEST_SECRET, { ...claims, partner: 'partner_south' }),
        wrongRole: await signToken(TEST_SECRET, { ...claims, role: 'brand_admin' }),
      };
      for (const [name, token] of Object.entries(tokens)) {
        const res = await ctx().call('GET', '/v1/journeys', { token });
        assert.equal(res.status, 401, name);
        assert.equal(res.body.error.code, 'auth', name);
      }
      const scheme = await ctx().call('GET', '/v1/journeys', {
        headers: { authorization: 'Basic dXNlcjpwYXNz' },
      });
      assert.equal(scheme.status, 401);
    });

    it('a valid token works', async () => {
      const res = await ctx().call('GET', '/v1/me', { as: 'u_li' });
      assert.equal(res.status, 200);
      assert.equal(res.body.partner.region, 'shanghai');
    });
  });

  describe('demo users', () => {
    it('lists users for every role, each with a one-line description', async () => {
      const res = await ctx().call('GET', '/v1/demo/users');
      assert.equal(res.status, 200);
      const users = res.body.items as Array<{
        id: string;
        role: string;
        partner: { id: string } | null;
        description: string;
      }>;
      for (const role of ['brand_admin', 'partner', 'approver'])
        assert.ok(
          users.some((u) => u.role === role),
          role,
        );
      assert.ok(
        users.some((u) => u.role === 'approver' && u.partner === null),
        'brand compliance approver',
      );
      assert.ok(
        users.some((u) => u.role === 'approver' && u.partner !== null),
        'partner manager',
      );
      const partnerIds = new Set(users.filter((u) => u.role === 'partner').map((u) => u.partner!.id));
      assert.ok(partnerIds.size >= 5, 'a partner user for every partner');
      for (const u of users) assert.ok(u.description.length > 0 && !u.description.includes('\n'), u.id);
    });
  });

  describe('GET /openapi.json', () => {
    it('is a valid OpenAPI 3.1 document', async () => {
      const res = await ctx().call('GET', '/openapi.json');
      assert.equal(res.status, 200);
      assert.equal(res.body.openapi, '3.1.0');
      const validator = new Validator();
      const result = await validator.validate(res.body);
      assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    });

    it('has every operation of this slice of the API outline, with the error responses', async () => {
      const doc = (await ctx().call('GET', '/openapi.json')).body;
      for (const [method, path] of OUTLINE) {
        const op = doc.paths?.[path]?.[method];
        assert.ok(op, `${method.toUpperCase()} ${path} missing`);
        if (path.startsWith('/v1/') && !path.startsWith('/v1/demo/')) {
          assert.ok(op.responses['400'] && op.responses['401'], `${method} ${path} error responses`);
        }
      }
      const list = doc.paths['/v1/journeys'].get;
      const names = list.parameters.map((p: { name: string }) => p.name).sort();
      assert.deepEqual(names, [
        'category',
        'channel',
        'cursor',
        'kind',
        'limit',
        'locale',
        'q',
        'sort',
        'tags',
      ]);
      assert.ok(doc.paths['/v1/contacts/import'].post.requestBody.content['text/csv']);
      assert.ok(doc.paths['/v1/contacts'].post.responses['409']);
      for (const schema of [
        'Journey',
        'JourneyPage',
        'JourneySummary',
        'Contact',
        'ContactPage',
        'ContactCreate',
        'Error',
      ]) {
        assert.ok(doc.components.schemas[schema], schema);
      }
    });
  });

  describe('unknown routes', () => {
    it('404 with the error shape', async () => {
      const res = await ctx().call('GET', '/v1/nothing-here', { as: 'u_jana' });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'not_found');
    });
  });
});
