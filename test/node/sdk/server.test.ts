import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../../../server/app.js';
import { openDatabase, type OpenedDb } from '../../../server/db/open.js';
import { seedDemo } from '../../../server/seed/demo.js';
import {
  createClient,
  isDmApiError,
  type ClientOptions,
  type DmApiError,
  type DmClient,
  type FetchLike,
} from '../../../src/sdk/index.js';
import { rejection } from './helpers.js';

const SECRET = 'sdk-test-secret-0123456789-abcdefghij';

async function dmError(promise: Promise<unknown>): Promise<DmApiError> {
  const error = await rejection(promise);
  assert.ok(isDmApiError(error), `expected a DmApiError, got ${String(error)}`);
  return error;
}

describe('sdk against the reference server', () => {
  let opened: OpenedDb;
  let requests = 0;
  let fetch: FetchLike;
  const tokens = new Map<string, string>();

  /** A client over the in-process app; `as` signs in as a demo user through the SDK itself. */
  async function client(as?: string, options: Partial<ClientOptions> = {}): Promise<DmClient> {
    let token: string | undefined;
    if (as) {
      token = tokens.get(as);
      if (!token) {
        token = (await createClient({ baseUrl: 'http://dm.test', fetch }).demo.session(as)).token;
        tokens.set(as, token);
      }
    }
    return createClient({ baseUrl: 'http://dm.test', fetch, ...(token ? { token } : {}), ...options });
  }

  before(async () => {
    opened = await openDatabase();
    await seedDemo(opened.db);
    const app = createApp({ db: opened.db, secret: SECRET, demo: true });
    // ky hands fetch a Request object; `new Request(input, init)` accepts both forms.
    fetch = (input, init) => {
      requests += 1;
      return app.fetch(new Request(input, init));
    };
  });

  after(async () => {
    await opened?.close();
  });

  it('health() reports the database', async () => {
    const health = await (await client()).health();
    assert.equal(health.status, 'ok');
    assert.equal(health.database, 'ok');
  });

  it('demo.users() lists sample users of every role', async () => {
    const { items } = await (await client()).demo.users();
    const jana = items.find((u) => u.id === 'u_jana');
    assert.equal(jana?.role, 'partner');
    assert.equal(jana?.partner?.id, 'partner_north');
    assert.deepEqual(new Set(items.map((u) => u.role)), new Set(['brand_admin', 'partner', 'approver']));
  });

  it('demo.session() → token → me()', async () => {
    const session = await (await client()).demo.session('u_jana');
    assert.equal(session.user.id, 'u_jana');
    const me = await createClient({ baseUrl: 'http://dm.test', fetch, token: session.token }).me();
    assert.equal(me.user.id, 'u_jana');
    assert.equal(me.user.role, 'partner');
    assert.equal(me.partner?.id, 'partner_north');
    assert.equal(me.brand.id, 'brand_aurora');
  });

  it('maps a bad or missing token to kind auth (401)', async () => {
    const bad = await dmError((await client(undefined, { token: 'not.a.jwt' })).me());
    assert.equal(bad.kind, 'auth');
    assert.equal(bad.status, 401);
    assert.equal(bad.code, 'auth');
    assert.equal(bad.message, 'me failed: invalid or expired token');

    const missing = await dmError((await client()).me());
    assert.equal(missing.kind, 'auth');
    assert.equal(missing.message, 'me failed: missing bearer token');
  });

  it('maps an unknown demo user to not_found and a malformed id to validation, with field paths', async () => {
    const anon = await client();
    const unknown = await dmError(anon.demo.session('u_nobody'));
    assert.equal(unknown.kind, 'not_found');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.fields, [{ path: 'body.user', message: 'unknown user' }]);

    const malformed = await dmError(anon.demo.session('not an id!'));
    assert.equal(malformed.kind, 'validation');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.fields[0]?.path, 'body.user');
    assert.match(malformed.message, /^demo\.session failed: body\.user: /);
  });

  it('refreshes a rejected token through getToken() and repeats the call', async () => {
    const good = (await (await client()).demo.session('u_tom')).token;
    const handed = ['expired-token', good];
    let asked = 0;
    const before = requests;
    const me = await createClient({
      baseUrl: 'http://dm.test',
      fetch,
      getToken: () => handed[asked++]!,
    }).me();
    assert.equal(me.user.id, 'u_tom');
    assert.equal(asked, 2);
    assert.equal(requests - before, 2);
  });

  it('shares one request between identical concurrent GETs', async () => {
    const jana = await client('u_jana');
    const before = requests;
    const [a, b, c] = await Promise.all([jana.me(), jana.me(), jana.journeys.list({ limit: 2 })]);
    assert.equal(a, b);
    assert.equal(c.items.length, 2);
    assert.equal(requests - before, 2);
  });

  it('journeys: list, paginate, get, and report bad queries and missing ids', async () => {
    const jana = await client('u_jana');
    const first = await jana.journeys.list({ limit: 3, sort: 'name' });
    assert.equal(first.items.length, 3);
    assert.ok(first.total > 3);
    assert.ok(first.nextCursor);
    const second = await jana.journeys.list({ limit: 3, sort: 'name', cursor: first.nextCursor });
    const ids = [...first.items, ...second.items].map((j) => j.id);
    assert.equal(new Set(ids).size, ids.length, 'pages do not overlap');

    const journey = await jana.journeys.get(first.items[0]!.id);
    assert.equal(journey.id, first.items[0]!.id);
    assert.ok(journey.steps.length >= 1);
    assert.equal(journey.stepCount, journey.steps.length);

    const missing = await dmError(jana.journeys.get('j_does_not_exist'));
    assert.equal(missing.kind, 'not_found');

    const invalid = await dmError(jana.journeys.list({ limit: 1000 }));
    assert.equal(invalid.kind, 'validation');
    assert.equal(invalid.fields[0]?.path, 'query.limit');
    assert.match(invalid.message, /^journeys\.list failed: query\.limit: Too big/);
  });

  it('contacts: validation with field paths, create, conflict, search and CSV import', async () => {
    const jana = await client('u_jana');
    const invalid = await dmError(jana.contacts.create({ email: 'not-an-email' }));
    assert.equal(invalid.kind, 'validation');
    assert.deepEqual(
      invalid.fields.map((f) => f.path),
      ['body.email'],
    );
    assert.match(invalid.message, /^contacts\.create failed: body\.email: /);

    const email = `sdk-${Date.now()}@example.com`;
    const created = await jana.contacts.create({ email, firstName: 'Sdk', tags: ['vip'] });
    assert.equal(created.email, email);
    assert.deepEqual(created.tags, ['vip']);

    const duplicate = await dmError(jana.contacts.create({ email }));
    assert.equal(duplicate.kind, 'conflict');
    assert.equal(duplicate.fields[0]?.path, 'body.email');

    const found = await jana.contacts.list({ q: email });
    assert.deepEqual(
      found.items.map((c) => c.id),
      [created.id],
    );

    const imported = await jana.contacts.import(
      `email,firstName\nimport-${Date.now()}@example.com,Ida\nbroken,Row\n`,
    );
    assert.equal(imported.created, 1);
    assert.deepEqual(
      imported.errors.map((e) => [e.row, e.field]),
      [[3, 'email']],
    );
  });

  it('previews and sends: render, create idempotently, read, cancel', async () => {
    const jana = await client('u_jana');
    const journey = (await jana.journeys.list({ limit: 1 })).items[0]!;
    const contact = (await jana.contacts.list({ limit: 50 })).items.find((c) => c.mailable)!;
    const preview = await jana.previews.create({ journeyId: journey.id, contactId: contact.id });
    assert.ok(preview.subject.length > 0);
    assert.match(preview.html, /<html/i);

    const body = { journeyId: journey.id, contactIds: [contact.id] };
    const key = `sdk-test-${Date.now()}`;
    const send = await jana.sends.create(body, { idempotencyKey: key });
    const again = await jana.sends.create(body, { idempotencyKey: key });
    assert.equal(again.id, send.id, 'the same Idempotency-Key returns the same send');
    const other = await jana.sends.create(body);
    assert.notEqual(other.id, send.id, 'a generated key makes a new send');

    assert.equal((await jana.sends.get(send.id)).id, send.id);
    const cancelled = await jana.sends.cancel(send.id);
    assert.equal(cancelled.status, 'cancelled');
    const listed = await jana.sends.list({ status: 'cancelled' });
    assert.ok(listed.items.some((s) => s.id === send.id));
  });
});
