/**
 * Hostile input for every operation in `/openapi.json` (PGlite only, bounded runs): random and
 * boundary values in path, query, headers and body, huge and deeply nested bodies, wrong content types,
 * invalid UTF-8, NUL bytes, prototype-pollution keys, garbage cursors and ids. The server must answer
 * every request within a timeout, never with a 5xx, and every 4xx with the structured error body.
 */
import './pglite-only.js';
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import fc from 'fast-check';
import { ErrorBody } from '../../../src/contract/index.js';
import { forEachDatabase } from '../support/db.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document, read loosely
type Any = any;
interface Op {
  method: string;
  path: string;
  op: Any;
}
interface Req {
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const TIMEOUT_MS = 10_000;
const RUNS = Number(process.env.DM_FUZZ_RUNS ?? 25);

const hostileString = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '-0',
    'NaN',
    'Infinity',
    '1e308',
    '-1e308',
    '1.5',
    '9007199254740993',
    '0x10',
    'null',
    'undefined',
    'true',
    '[]',
    '{}',
    '../../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '\u0000',
    'a\u0000b',
    '\uD800',
    '\uFFFF',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '"; drop table contacts; --',
    '__proto__',
    'constructor',
    'prototype',
    'eyJhbGciOiJub25lIn0.e30.',
    'ZZZZ',
    '\u202Egnp.exe',
    'x'.repeat(5000),
  ),
);

const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'journeyId', 'email'),
    fc.jsonValue(),
  ),
  fc.record(
    {
      journeyId: hostileString,
      contactId: hostileString,
      contactIds: fc.array(hostileString, { maxLength: 5 }),
      email: hostileString,
      decision: hostileString,
      personalization: fc.dictionary(hostileString, hostileString),
    },
    { requiredKeys: [] },
  ),
);

/** encodeURIComponent, with lone surrogates (which it refuses) replaced as a client would. */
const encode = (s: string) =>
  encodeURIComponent(
    s.replace(/[\uD800-\uDFFF]/g, (ch, i: number) => {
      const code = ch.charCodeAt(0);
      const next = s.charCodeAt(i + 1);
      const prev = s.charCodeAt(i - 1);
      const paired = code < 0xdc00 ? next >= 0xdc00 && next <= 0xdfff : prev >= 0xd800 && prev < 0xdc00;
      return paired ? ch : '\uFFFD';
    }),
  );

const nested = (depth: number, open: string, close: string, leaf = '1') =>
  open.repeat(depth) + leaf + close.repeat(depth);

/** Fixed hostile bodies every operation with a body gets. */
const FIXED_BODIES: [string, string | Uint8Array, string][] = [
  ['1 MB string value', JSON.stringify({ email: 'a'.repeat(1_000_000) }), 'application/json'],
  [
    '1 MB of keys',
    `{${Array.from({ length: 60_000 }, (_, i) => `"k${i}":1`).join(',')}}`,
    'application/json',
  ],
  ['array nested 10,000 deep', nested(10_000, '[', ']'), 'application/json'],
  ['object nested 10,000 deep', nested(10_000, '{"a":', '}'), 'application/json'],
  ['malformed JSON', '{"journeyId": ', 'application/json'],
  ['JSON as text/plain', '{"journeyId":"x"}', 'text/plain'],
  ['form encoded', 'journeyId=x&contactId=y', 'application/x-www-form-urlencoded'],
  [
    'multipart',
    '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--b--',
    'multipart/form-data; boundary=b',
  ],
  [
    'invalid UTF-8',
    Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
    'application/json',
  ],
  [
    'NUL bytes in values',
    JSON.stringify({ journeyId: 'a\u0000b', contactId: '\u0000', email: 'a\u0000@b.c' }),
    'application/json',
  ],
  [
    'prototype pollution',
    '{"__proto__":{"role":"brand_admin"},"constructor":{"prototype":{"x":1}}}',
    'application/json',
  ],
  ['lone surrogate', '{"journeyId":"\\ud800"}', 'application/json'],
  ['JSON null', 'null', 'application/json'],
  ['empty body', '', 'application/json'],
  ['CSV with NUL and a huge cell', `email\n${'a'.repeat(200_000)}@x.y\n\u0000@x.y\n`, 'text/csv'],
];

/** Queries that are invalid wherever they are accepted (the last entries may be valid). */
const FIXED_QUERIES: [string, string][][] = [
  [['limit', '-1']],
  [['limit', 'NaN']],
  [['limit', '1e308']],
  [['limit', '0']],
  [['limit', '101']],
  [['limit', '1.5']],
  [['cursor', '../../etc/passwd']],
  [['cursor', 'eyJ4IjoxfQ']],
  [['cursor', '\u0000']],
  [['tags', '\u0000']],
  [['q', 'a\u0000b']],
  [['cursor', 'x'.repeat(600)]],
  [['zzz_unknown', '1']],
  [['q', 'a'.repeat(100_000)]],
  [['from', '9999-99-99']],
  [['tz', '../../etc/localtime']],
];
/** Odd but possibly valid queries: any answer but a 5xx or an unstructured error. */
const ODD_QUERIES: [string, string][][] = [
  [['q', '%_\\']],
  [['q', "' OR 1=1 --"]],
  [
    ['limit', '1'],
    ['limit', '2'],
  ],
];

const FIXED_IDS = [
  '..',
  '../../etc/passwd',
  '%2e%2e%2f%2e%2e%2f',
  '%00',
  'a'.repeat(1000),
  '💥',
  ' ',
  '__proto__',
];

forEachDatabase('hostile input on every operation', (ctx, kind) => {
  if (kind !== 'pglite') return;
  const ops: Op[] = [];
  const tokens: Record<string, string> = {};

  before(async () => {
    const doc: Any = (await ctx().call('GET', '/openapi.json')).body;
    for (const [path, item] of Object.entries<Any>(doc.paths)) {
      for (const [method, op] of Object.entries<Any>(item)) {
        const streams = Object.values<Any>(op.responses ?? {}).some((r) =>
          Object.keys(r?.content ?? {}).some((t) => t.includes('event-stream')),
        );
        if (!streams) ops.push({ method: method.toUpperCase(), path, op });
      }
    }
    for (const u of ['u_jana', 'u_admin', 'u_manager']) tokens[u] = await ctx().token(u);
  });

  async function send(o: Op, req: Req, as: string, label: string) {
    const url = new URL(`http://x${req.path}`);
    for (const [k, v] of req.query) url.searchParams.append(k, v);
    const headers = new Headers();
    headers.set('authorization', `Bearer ${tokens[as]}`);
    for (const [k, v] of Object.entries(req.headers)) {
      try {
        headers.set(k, v);
      } catch {
        // Not a valid header value (NUL, CR/LF): a client cannot send it.
      }
    }
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`${label}: no answer within ${TIMEOUT_MS} ms`));
      }, TIMEOUT_MS);
    });
    try {
      const res = await Promise.race([
        ctx().app.request(url.pathname + url.search, {
          method: o.method,
          headers,
          body: req.body as BodyInit | undefined,
          signal: controller.signal,
        }),
        timeout,
      ]);
      const text = await Promise.race([res.text(), timeout]);
      return { status: res.status, text, type: res.headers.get('content-type') ?? '' };
    } finally {
      clearTimeout(timer);
    }
  }

  function check(res: { status: number; text: string; type: string }, label: string, expect4xx: boolean) {
    assert.ok(res.status < 500, `${label}: ${res.status} ${res.text.slice(0, 300)}`);
    if (expect4xx) assert.ok(res.status >= 400, `${label}: expected a 4xx, got ${res.status}`);
    if (res.status >= 400) {
      assert.match(res.type, /json/, `${label}: error content type`);
      const parsed = ErrorBody.safeParse(JSON.parse(res.text));
      assert.ok(parsed.success, `${label}: unstructured error ${res.text.slice(0, 300)}`);
    }
  }

  const pathWith = (o: Op, id: string) => o.path.replace(/\{[^}]+\}/g, encode(id));
  const hasBody = (o: Op) => Boolean(o.op.requestBody);
  const queryNames = (o: Op): string[] =>
    (o.op.parameters ?? []).filter((p: Any) => p.in === 'query').map((p: Any) => p.name);

  it('fixed hostile requests: every operation answers with a structured 4xx, never a 5xx', async () => {
    assert.ok(ops.length >= 20, `${ops.length} operations`);
    for (const o of ops) {
      if (o.path === '/healthz' || o.path === '/openapi.json') continue;
      const base = pathWith(o, 'x_missing');
      const label = (what: string) => `${o.method} ${o.path} ${what}`;
      if (hasBody(o)) {
        const csv = Boolean(o.op.requestBody.content?.['text/csv']);
        for (const [what, body, type] of FIXED_BODIES) {
          const res = await send(
            o,
            {
              path: base,
              query: [],
              headers: { 'content-type': type, 'idempotency-key': 'k-fuzz', 'if-match': '0' },
              body,
            },
            'u_jana',
            label(what),
          );
          // The CSV import reports bad rows in a 200; it must not fail as a whole.
          check(res, label(what), !(csv && type === 'text/csv'));
        }
      }
      for (const query of [...FIXED_QUERIES, ...ODD_QUERIES]) {
        const what = label(JSON.stringify(query).slice(0, 80));
        const res = await send(o, { path: base, query, headers: {} }, 'u_admin', what);
        // Operations without a query schema may ignore unknown parameters; none may fail.
        const names = queryNames(o);
        const applies = query.every(([k]) => names.includes(k) || k === 'zzz_unknown');
        check(
          res,
          what,
          FIXED_QUERIES.includes(query) && names.length > 0 && applies && !o.path.includes('{'),
        );
      }
      if (o.path.includes('{')) {
        for (const id of FIXED_IDS) {
          const res = await send(
            o,
            {
              path: o.path.replace(/\{[^}]+\}/g, id.includes('%') ? id : encode(id)),
              query: [],
              headers: { 'content-type': 'application/json', 'if-match': '0' },
              body: hasBody(o) ? '{}' : undefined,
            },
            'u_manager',
            label(`id ${id.slice(0, 20)}`),
          );
          check(res, label(`id ${id.slice(0, 20)}`), true);
        }
      }
    }
  });

  it('generated hostile requests never get a 5xx or an unstructured error', async () => {
    for (const o of ops) {
      if (o.path === '/healthz' || o.path === '/openapi.json') continue;
      const names = [...queryNames(o), 'unknown_param', '__proto__'];
      const request = fc.record({
        id: hostileString,
        query: fc.array(fc.tuple(fc.constantFrom(...names), hostileString), { maxLength: 4 }),
        body: hasBody(o) ? fc.option(hostileJson, { nil: undefined }) : fc.constant(undefined),
        ifMatch: hostileString,
        idem: hostileString,
        as: fc.constantFrom('u_jana', 'u_admin', 'u_manager'),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const label = `${o.method} ${o.path} ${JSON.stringify(r).slice(0, 200)}`;
          const res = await send(
            o,
            {
              path: pathWith(o, r.id),
              query: r.query,
              headers: {
                'content-type': 'application/json',
                'if-match': r.ifMatch,
                'idempotency-key': r.idem,
              },
              body: r.body === undefined ? undefined : JSON.stringify(r.body),
            },
            r.as,
            label,
          );
          check(res, label, false);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }
  });
});
