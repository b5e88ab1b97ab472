import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, DmApiError, isDmApiError, type ClientOptions } from '../../../src/sdk/index.js';
import { parseRetryAfter } from '../../../src/sdk/errors.js';
import type * as ErrorsModule from '../../../src/sdk/errors.js';
import { toSearch } from '../../../src/sdk/url.js';
import {
  EMPTY_PAGE,
  ME,
  SEND,
  apiError,
  deferred,
  flush,
  hang,
  json,
  rejection,
  stubFetch,
  waitUntil,
  within,
  type SeenRequest,
} from './helpers.js';

const BASE = 'http://dm.test';

/** A client over a stub fetch with fast retries. */
function setup(
  handler: (request: SeenRequest, index: number) => Response | Promise<Response>,
  options: Partial<ClientOptions> = {},
) {
  const stub = stubFetch(handler);
  const client = createClient({
    baseUrl: BASE,
    token: 'tok',
    fetch: stub.fetch,
    ...options,
    retry: { baseDelay: 1, maxDelay: 5, maxRetryAfter: 50, ...options.retry },
  });
  return { client, calls: stub.calls };
}

async function dmError(promise: Promise<unknown>): Promise<DmApiError> {
  const error = await rejection(promise);
  assert.ok(isDmApiError(error), `expected a DmApiError, got ${String(error)}`);
  return error;
}

describe('sdk: requests', () => {
  it('sends Accept, Accept-Language and the bearer token', async () => {
    const { client, calls } = setup(() => json(ME), { locale: 'zh-CN' });
    const me = await client.me();
    assert.equal(me.user.id, 'u_jana');
    assert.equal(calls.length, 1);
    const [call] = calls;
    assert.equal(call!.method, 'GET');
    assert.equal(call!.url.href, `${BASE}/v1/me`);
    assert.equal(call!.headers.get('accept-language'), 'zh-CN');
    assert.equal(call!.headers.get('authorization'), 'Bearer tok');
    assert.equal(call!.headers.get('accept'), 'application/json');
  });

  it('omits Accept-Language and Authorization when not configured', async () => {
    const { client, calls } = setup(() => json(ME), { token: undefined });
    await client.me();
    assert.equal(calls[0]!.headers.get('accept-language'), null);
    assert.equal(calls[0]!.headers.get('authorization'), null);
  });

  it('keeps a path in the base URL', async () => {
    const { client, calls } = setup(() => json(ME), { baseUrl: 'http://portal.test/dm/' });
    await client.me();
    assert.equal(calls[0]!.url.href, 'http://portal.test/dm/v1/me');
  });

  it('serializes queries: skips undefined, keeps order, repeats arrays', async () => {
    const { client, calls } = setup(() => json(EMPTY_PAGE));
    await client.journeys.list({ q: 'new car', category: undefined, sort: 'name', limit: 5 });
    assert.equal(calls[0]!.url.search, '?q=new+car&sort=name&limit=5');
    assert.equal(
      toSearch({ tag: ['a', 'b c'], skip: undefined, none: null, n: 0, on: false }),
      '?tag=a&tag=b+c&n=0&on=false',
    );
    assert.equal(toSearch({}), '');
    assert.equal(
      toSearch({ from: new Date('2026-01-02T03:04:05.000Z') }),
      '?from=2026-01-02T03%3A04%3A05.000Z',
    );
  });

  it('encodes ids in paths', async () => {
    const { client, calls } = setup(() => apiError(404, 'not_found', 'journey not found'));
    await rejection(client.journeys.get('a/b c?d'));
    assert.equal(calls[0]!.url.pathname, '/v1/journeys/a%2Fb%20c%3Fd');
    assert.equal(calls[0]!.url.search, '');
  });

  it('sends JSON bodies, CSV imports, If-Match and cancel paths', async () => {
    const approval = {
      id: 'ap_1',
      status: 'rejected',
      version: 4,
      send: SEND,
      submittedAt: '2026-11-27T12:00:00.000Z',
      decidedAt: '2026-11-27T12:05:00.000Z',
      decidedBy: 'u_admin',
      reason: 'off brand',
    };
    const { client, calls } = setup((request) => {
      if (request.url.pathname.endsWith('/decision')) return json(approval);
      if (request.url.pathname.endsWith('/import')) return json({ created: 1, skipped: 0, errors: [] });
      return json({ ...SEND, status: 'cancelled' });
    });
    const decided = await client.approvals.decide(
      'ap_1',
      { decision: 'reject', reason: 'off brand' },
      { version: 3 },
    );
    assert.equal(decided.version, 4);
    assert.equal(calls[0]!.method, 'POST');
    assert.equal(calls[0]!.url.pathname, '/v1/approvals/ap_1/decision');
    assert.equal(calls[0]!.headers.get('if-match'), '"3"');
    assert.equal(calls[0]!.headers.get('content-type'), 'application/json');
    assert.deepEqual(JSON.parse(calls[0]!.body), { decision: 'reject', reason: 'off brand' });

    const csv = 'email,firstName\nanna@example.com,Anna\n';
    const imported = await client.contacts.import(csv);
    assert.equal(imported.created, 1);
    assert.equal(calls[1]!.url.pathname, '/v1/contacts/import');
    assert.match(calls[1]!.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(calls[1]!.body, csv);

    const cancelled = await client.sends.cancel('send_1');
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(calls[2]!.method, 'POST');
    assert.equal(calls[2]!.url.pathname, '/v1/sends/send_1/cancel');
  });

  it('health() resolves with a degraded body (503) and does not retry', async () => {
    const { client, calls } = setup(() =>
      json({ status: 'degraded', database: 'down', version: '0.1.0' }, 503),
    );
    const health = await client.health();
    assert.deepEqual(health, { status: 'degraded', database: 'down', version: '0.1.0' });
    assert.equal(calls.length, 1);
  });
});

describe('sdk: error mapping', () => {
  const cases: [number, string, DmApiError['kind']][] = [
    [400, 'validation', 'validation'],
    [422, 'validation', 'validation'],
    [401, 'auth', 'auth'],
    [403, 'forbidden', 'forbidden'],
    [404, 'not_found', 'not_found'],
    [409, 'conflict', 'conflict'],
    [412, 'conflict', 'conflict'],
    [500, 'server', 'server'],
  ];
  for (const [status, code, kind] of cases) {
    it(`maps ${status} to kind ${kind}`, async () => {
      const { client } = setup(() => apiError(status, code, 'nope'));
      const error = await dmError(client.sends.get('send_1'));
      assert.equal(error.kind, kind);
      assert.equal(error.status, status);
      assert.equal(error.code, code);
      assert.equal(error.operation, 'sends.get');
      assert.equal(error.message, 'sends.get failed: nope');
    });
  }

  it('carries field errors and a readable message', async () => {
    const fields = [
      { path: 'query.limit', message: 'Too big: expected number to be <=100' },
      { path: 'query.sort', message: 'Invalid option' },
    ];
    const { client } = setup(() =>
      apiError(400, 'validation', 'query.limit: Too big: expected number to be <=100 (and 1 more)', fields, {
        'x-request-id': 'req-42',
      }),
    );
    const error = await dmError(client.journeys.list({ limit: 1000 }));
    assert.equal(error.kind, 'validation');
    assert.equal(
      error.message,
      'journeys.list failed: query.limit: Too big: expected number to be <=100 (and 1 more)',
    );
    assert.deepEqual(error.fields, fields);
    assert.equal(error.requestId, 'req-42');
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'DmApiError');
  });

  it('tolerates a non-JSON error body', async () => {
    const { client } = setup(
      () =>
        new Response('<html><body>Bad gateway</body></html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
      { retry: { limit: 0 } },
    );
    const error = await dmError(client.me());
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 502);
    assert.equal(error.code, undefined);
    assert.deepEqual(error.fields, []);
    assert.match(error.message, /^me failed: HTTP 502.*Bad gateway/);
  });

  it('tolerates a JSON error body of another shape', async () => {
    const { client } = setup(() => json({ message: 'teapot' }, 418));
    const error = await dmError(client.me());
    assert.equal(error.kind, 'validation');
    assert.equal(error.status, 418);
    assert.match(error.message, /^me failed: HTTP 418/);
  });

  it('reports a response that does not match the contract as invalid_response', async () => {
    const { client } = setup(() => json({ ...ME, user: { ...ME.user, email: 'not-an-email' } }));
    const error = await dmError(client.me());
    assert.equal(error.kind, 'invalid_response');
    assert.equal(error.status, 200);
    assert.match(
      error.message,
      /^me failed: the response from GET \/v1\/me does not match the contract: response\.user\.email: /,
    );
    assert.equal(error.fields[0]?.path, 'response.user.email');
  });

  it('reports a 2xx body that is not JSON as invalid_response', async () => {
    const { client } = setup(() => new Response('<html>login</html>', { status: 200 }));
    const error = await dmError(client.journeys.list());
    assert.equal(error.kind, 'invalid_response');
    assert.match(error.message, /GET \/v1\/journeys is not JSON/);
  });

  it('recognizes errors from another copy of the SDK', async () => {
    // A second module instance stands in for a second bundle on the page.
    const specifier = '../../../src/sdk/errors.js?copy';
    const copy = (await import(specifier)) as typeof ErrorsModule;
    assert.notEqual(copy.DmApiError, DmApiError, 'the test needs a second module instance');
    const foreign = new copy.DmApiError({ kind: 'server', message: 'x' });
    assert.equal(isDmApiError(foreign), true);
    assert.equal(foreign instanceof DmApiError, true);
    assert.equal(isDmApiError(new Error('x')), false);
    assert.equal(isDmApiError({ kind: 'server', message: 'x' }), false);
    assert.equal(isDmApiError(null), false);
    assert.equal(new Error('x') instanceof DmApiError, false);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-27T12:00:00.000Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 12:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });
});

describe('sdk: retries', () => {
  it('retries a 429 once after Retry-After, capped by maxRetryAfter', async () => {
    const { client, calls } = setup(
      (_r, i) =>
        i === 0 ? apiError(429, 'rate_limited', 'slow down', undefined, { 'retry-after': '1' }) : json(ME),
      { retry: { maxRetryAfter: 40 } },
    );
    const start = performance.now();
    const me = await within(900, (signal) => client.me({ signal }));
    const elapsed = performance.now() - start;
    assert.equal(me.user.id, 'u_jana');
    assert.equal(calls.length, 2);
    assert.ok(elapsed >= 35, `waited ${elapsed} ms, expected about the 40 ms cap`);
    assert.ok(elapsed < 900, `waited ${elapsed} ms: Retry-After (1 s) was not capped`);
  });

  it('caps a huge Retry-After (3600 s) at maxRetryAfter', async () => {
    const { client, calls } = setup(
      (_r, i) =>
        i === 0 ? apiError(503, 'server', 'maintenance', undefined, { 'retry-after': '3600' }) : json(ME),
      { retry: { maxRetryAfter: 50 } },
    );
    await within(2000, (signal) => client.me({ signal }));
    assert.equal(calls.length, 2);
  });

  it('honours an HTTP-date Retry-After within the cap', async () => {
    const when = new Date(Date.now() + 3600_000).toUTCString();
    const { client, calls } = setup(
      (_r, i) =>
        i === 0 ? apiError(429, 'rate_limited', 'later', undefined, { 'retry-after': when }) : json(ME),
      { retry: { maxRetryAfter: 20 } },
    );
    await within(2000, (signal) => client.me({ signal }));
    assert.equal(calls.length, 2);
  });

  it('gives up after the limit with kind rate_limited and retryAfter in ms', async () => {
    const { client, calls } = setup(
      () => apiError(429, 'rate_limited', 'slow down', undefined, { 'retry-after': '2' }),
      { retry: { limit: 2, maxRetryAfter: 1 } },
    );
    const error = await dmError(within(2000, (signal) => client.me({ signal })));
    assert.equal(error.kind, 'rate_limited');
    assert.equal(error.retryAfter, 2000);
    assert.equal(calls.length, 3);
  });

  it('retries 503 then succeeds', async () => {
    const { client, calls } = setup((_r, i) =>
      i === 0 ? apiError(503, 'server', 'busy') : json(EMPTY_PAGE),
    );
    const page = await client.sends.list();
    assert.deepEqual(page, EMPTY_PAGE);
    assert.equal(calls.length, 2);
  });

  for (const status of [408, 502, 504]) {
    it(`retries ${status}`, async () => {
      const { client, calls } = setup((_r, i) => (i === 0 ? apiError(status, 'server', 'x') : json(ME)));
      await client.me();
      assert.equal(calls.length, 2);
    });
  }

  it('does not retry 500', async () => {
    const { client, calls } = setup(() => apiError(500, 'server', 'internal error'));
    const error = await dmError(client.me());
    assert.equal(error.kind, 'server');
    assert.equal(calls.length, 1);
  });

  it('does not retry a 4xx other than 408/429', async () => {
    const { client, calls } = setup(() => apiError(404, 'not_found', 'gone'));
    await dmError(client.journeys.get('j1'));
    assert.equal(calls.length, 1);
  });

  it('does not retry a POST without an idempotency key', async () => {
    const { client, calls } = setup(() => apiError(503, 'server', 'busy'));
    const error = await dmError(client.contacts.create({ email: 'anna@example.com' }));
    assert.equal(error.kind, 'server');
    assert.equal(calls.length, 1);
    const { client: c2, calls: calls2 } = setup(() => {
      throw new TypeError('fetch failed');
    });
    assert.equal((await dmError(c2.previews.create({ journeyId: 'j1', contactId: 'c1' }))).kind, 'network');
    assert.equal(calls2.length, 1);
  });

  it('retries sends.create with the same generated Idempotency-Key', async () => {
    const { client, calls } = setup((_r, i) => (i < 2 ? apiError(503, 'server', 'busy') : json(SEND, 201)));
    const send = await client.sends.create({ journeyId: 'j_welcome', contactIds: ['c1', 'c2'] });
    assert.equal(send.id, 'send_1');
    assert.equal(calls.length, 3);
    const keys = calls.map((c) => c.headers.get('idempotency-key'));
    assert.match(keys[0] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(new Set(keys).size, 1);
    assert.deepEqual(
      calls.map((c) => JSON.parse(c.body)),
      Array(3).fill({ journeyId: 'j_welcome', contactIds: ['c1', 'c2'] }),
    );

    await client.sends.create({ journeyId: 'j_welcome', contactIds: ['c1'] });
    assert.notEqual(calls[3]!.headers.get('idempotency-key'), keys[0], 'each create gets its own key');
  });

  it('uses a caller-supplied Idempotency-Key on every attempt', async () => {
    const { client, calls } = setup(() => {
      throw new TypeError('fetch failed');
    });
    const error = await dmError(
      client.sends.create({ journeyId: 'j1', contactIds: ['c1'] }, { idempotencyKey: 'key-1' }),
    );
    assert.equal(error.kind, 'network');
    assert.deepEqual(
      calls.map((c) => c.headers.get('idempotency-key')),
      ['key-1', 'key-1', 'key-1'],
    );
  });

  it('retries a network reset, then fails with kind network after the limit', async () => {
    const reset = () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      });
    };
    const { client, calls } = setup(reset, { retry: { limit: 2 } });
    const error = await dmError(client.me());
    assert.equal(error.kind, 'network');
    assert.equal(error.status, undefined);
    assert.match(error.message, /^me failed: could not reach the server \(read ECONNRESET\)/);
    assert.equal(calls.length, 3);

    const { client: c2, calls: calls2 } = setup((_r, i) => {
      if (i === 0) throw new TypeError('other side closed');
      return json(ME);
    });
    await c2.me();
    assert.equal(calls2.length, 2);
  });

  it('times out a request that gets no response (kind timeout, not retried)', async () => {
    const { client, calls } = setup(hang, { timeout: 30 });
    const error = await dmError(client.me());
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /^me failed: no response within 30 ms$/);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.signal.aborted, true, 'the timed-out request is aborted');
  });

  it('rejects with kind aborted when the caller aborts, and aborts the request', async () => {
    const { client, calls } = setup(hang);
    const controller = new AbortController();
    const pending = client.me({ signal: controller.signal });
    await waitUntil(() => calls.length === 1, 'the request');
    controller.abort();
    const error = await dmError(pending);
    assert.equal(error.kind, 'aborted');
    assert.equal(calls[0]!.signal.aborted, true);

    const already = await dmError(client.me({ signal: AbortSignal.abort() }));
    assert.equal(already.kind, 'aborted');
    assert.equal(calls.length, 1, 'an already-aborted call sends nothing');
  });

  it('never retries after the caller aborted during the backoff wait', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const run = async (abort: boolean) => {
      const { client, calls } = setup(() => apiError(503, 'server', 'busy'), {
        retry: { baseDelay: 60_000, maxDelay: 60_000 },
      });
      const controller = new AbortController();
      const pending = client.me({ signal: controller.signal });
      pending.catch(() => undefined);
      while (calls.length === 0) await flush(1);
      await flush();
      if (abort) {
        controller.abort();
        assert.equal((await dmError(pending)).kind, 'aborted');
      }
      t.mock.timers.tick(120_000);
      await flush();
      return calls.length;
    };
    assert.equal(await run(false), 2, 'control: without an abort the retry happens after the wait');
    assert.equal(await run(true), 1, 'after an abort nothing is retried');
  });
});

describe('sdk: token', () => {
  it('refreshes the token once after a 401 and repeats the request', async () => {
    const tokens = ['stale', 'fresh'];
    let asked = 0;
    const { client, calls } = setup(
      (request) =>
        request.headers.get('authorization') === 'Bearer fresh'
          ? json(ME)
          : apiError(401, 'auth', 'invalid or expired token'),
      { token: undefined, getToken: async () => tokens[asked++]! },
    );
    const me = await client.me();
    assert.equal(me.user.id, 'u_jana');
    assert.equal(asked, 2);
    assert.deepEqual(
      calls.map((c) => c.headers.get('authorization')),
      ['Bearer stale', 'Bearer fresh'],
    );
  });

  it('gives up with kind auth when the refreshed token is rejected too', async () => {
    let asked = 0;
    const { client, calls } = setup(() => apiError(401, 'auth', 'invalid or expired token'), {
      token: undefined,
      getToken: () => `t${++asked}`,
    });
    const error = await dmError(client.me());
    assert.equal(error.kind, 'auth');
    assert.equal(asked, 2);
    assert.equal(calls.length, 2);
  });

  it('does not repeat a 401 with a static token', async () => {
    const { client, calls } = setup(() => apiError(401, 'auth', 'invalid or expired token'));
    assert.equal((await dmError(client.me())).kind, 'auth');
    assert.equal(calls.length, 1);
  });

  it('calls getToken for every request', async () => {
    let n = 0;
    const { client, calls } = setup(() => json(ME), { token: undefined, getToken: () => `t${++n}` });
    await client.me();
    await client.me();
    assert.deepEqual(
      calls.map((c) => c.headers.get('authorization')),
      ['Bearer t1', 'Bearer t2'],
    );
  });

  it('reports a throwing getToken as kind auth without sending', async () => {
    const { client, calls } = setup(() => json(ME), {
      token: undefined,
      getToken: () => {
        throw new Error('portal session expired');
      },
    });
    const error = await dmError(client.me());
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /portal session expired/);
    assert.equal(calls.length, 0);
  });
});

describe('sdk: in-flight GET de-duplication', () => {
  it('shares one request between identical GETs', async () => {
    const gate = deferred();
    const { client, calls } = setup(async () => {
      await gate.promise;
      return json(EMPTY_PAGE);
    });
    const a = client.journeys.list({ limit: 5 });
    const b = client.journeys.list({ limit: 5 });
    const c = client.journeys.list({ limit: 6 });
    await waitUntil(() => calls.length === 2, 'two requests');
    gate.resolve();
    const [pa, pb, pc] = await Promise.all([a, b, c]);
    assert.deepEqual(pa, EMPTY_PAGE);
    assert.equal(pa, pb, 'sharers get the same result');
    assert.deepEqual(pc, EMPTY_PAGE);
    await flush();
    assert.equal(calls.length, 2, 'the identical GET did not fetch again');
    assert.deepEqual(
      calls.map((call) => call.url.search),
      ['?limit=5', '?limit=6'],
    );

    await client.journeys.list({ limit: 5 });
    assert.equal(calls.length, 3, 'a settled request is not a cache');
  });

  it('evicts a failed request so the next call fetches again', async () => {
    const gate = deferred();
    const { client, calls } = setup(async (_r, i) => {
      if (i === 0) {
        await gate.promise;
        return apiError(500, 'server', 'boom');
      }
      return json(ME);
    });
    const a = client.me();
    const b = client.me();
    await waitUntil(() => calls.length === 1, 'the request');
    gate.resolve();
    assert.equal((await dmError(a)).kind, 'server');
    assert.equal((await dmError(b)).kind, 'server');
    const me = await client.me();
    assert.equal(me.user.id, 'u_jana');
    assert.equal(calls.length, 2);
  });

  it('does not share between different tokens, or POSTs', async () => {
    const gate = deferred();
    let n = 0;
    const { client, calls } = setup(
      async (request) => {
        await gate.promise;
        return request.method === 'POST' ? json({ created: 0, skipped: 0, errors: [] }) : json(ME);
      },
      { token: undefined, getToken: () => `t${++n}` },
    );
    const all = Promise.all([
      client.me(),
      client.me(),
      client.contacts.import('a'),
      client.contacts.import('a'),
    ]);
    await waitUntil(() => calls.length === 4, 'four requests');
    gate.resolve();
    await all;
  });

  it('a sharer that aborts rejects at once; the request goes on for the others', async () => {
    const gate = deferred();
    const { client, calls } = setup(async () => {
      await gate.promise;
      return json(ME);
    });
    const ca = new AbortController();
    const a = client.me({ signal: ca.signal });
    const b = client.me();
    await waitUntil(() => calls.length === 1, 'the request');
    ca.abort();
    assert.equal((await dmError(a)).kind, 'aborted');
    assert.equal(calls[0]!.signal.aborted, false, 'still wanted by b');
    gate.resolve();
    assert.equal((await b).user.id, 'u_jana');
    assert.equal(calls.length, 1);
  });

  it('the shared request is aborted once every sharer aborted; a later call fetches anew', async () => {
    const { client, calls } = setup((request, i) => (i === 0 ? hang(request) : json(ME)));
    const ca = new AbortController();
    const cb = new AbortController();
    const a = client.me({ signal: ca.signal });
    const b = client.me({ signal: cb.signal });
    await waitUntil(() => calls.length === 1, 'the request');
    ca.abort();
    assert.equal((await dmError(a)).kind, 'aborted');
    assert.equal(calls[0]!.signal.aborted, false);
    cb.abort();
    assert.equal((await dmError(b)).kind, 'aborted');
    assert.equal(calls[0]!.signal.aborted, true);
    assert.equal((await client.me()).user.id, 'u_jana');
    assert.equal(calls.length, 2);
  });
});
