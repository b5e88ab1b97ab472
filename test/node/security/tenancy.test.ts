/**
 * Tenancy matrix, driven by `/openapi.json` (a new route is covered without touching this file):
 * every operation × callers from another partner, another partner's approver, another brand's admin
 * and partner × ids they must not reach. For a foreign id the answer must be exactly the answer for an
 * id that does not exist (same status, same body modulo the id), never a 2xx; list endpoints never
 * contain foreign rows, even when searched for by the foreign email or name.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { signToken } from '../../../server/auth.js';
import { brands, contacts, journeys, partners, users } from '../../../server/db/schema.js';
import { addContacts, journeyId, seedApprovalFixtures } from '../approvals/support.js';
import { forEachDatabase, TEST_SECRET, type CallResult, type TestContext } from '../support/db.js';
import { randomId } from './support.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document, read loosely
type Doc = any;
interface Op {
  method: string;
  path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  op: any;
}

type Kind = 'contact' | 'send' | 'approval' | 'journey' | 'partner';
type Ids = Record<Kind, string>;

interface Attacker {
  label: string;
  user: { id: string; brand: string; partner: string | null; role: 'partner' | 'approver' | 'brand_admin' };
  /** Ids of rows the attacker must not reach. */
  foreign: Ids;
  /** Strings of foreign rows that must never appear in the attacker's answers. */
  markers: string[];
  /** Ids the attacker may use (so a request fails only because of the foreign id). */
  own: { journey: string; contact: string };
}

const MARK = `zq${Math.random().toString(36).slice(2, 8)}`;
const EVIL_MARK = `ev${Math.random().toString(36).slice(2, 8)}`;
const EVIL = { brand: 'brand_evil', partner: 'partner_evil', journey: 'j_evil_only' };

/** The kind of row a path's `{id}` names, from the collection it sits under. */
function pathKind(path: string): Kind {
  const segment = path.split('/')[2];
  const kinds: Record<string, Kind> = {
    journeys: 'journey',
    sends: 'send',
    approvals: 'approval',
    contacts: 'contact',
  };
  const kind = segment ? kinds[segment] : undefined;
  if (!kind) throw new Error(`tenancy matrix: no id kind for ${path}; add the collection here`);
  return kind;
}

const QUERY_KINDS: Record<string, Kind> = {
  sendId: 'send',
  journeyId: 'journey',
  partnerId: 'partner',
  contactId: 'contact',
};

/** A valid body for each operation with a JSON body, with ids substituted. */
function bodyFor(o: Op, ids: { journey: string; contact: string }): unknown {
  const key = `${o.method} ${o.path}`;
  switch (key) {
    case 'POST /v1/previews':
      return { journeyId: ids.journey, contactId: ids.contact, personalization: {} };
    case 'POST /v1/previews/batch':
    case 'POST /v1/sends':
      return { journeyId: ids.journey, contactIds: [ids.contact], personalization: {} };
    case 'POST /v1/contacts':
      return { email: `${MARK}-new@example.com` };
    case 'PATCH /v1/sends/{id}':
      return { personalization: { b_intro: 'changed' } };
    case 'POST /v1/approvals/{id}/decision':
      return { decision: 'approve' };
    case 'POST /v1/demo/session':
      return { user: 'u_jana' };
    default:
      if (o.op.requestBody?.content?.['application/json']) {
        throw new Error(`tenancy matrix: no body template for ${key}; add one`);
      }
      return undefined;
  }
}

function headersFor(o: Op): Record<string, string> {
  const h: Record<string, string> = {};
  for (const p of o.op.parameters ?? []) {
    if (p.in !== 'header') continue;
    if (p.name === 'idempotency-key') h[p.name] = randomId('k');
    if (p.name === 'if-match') h[p.name] = '0';
  }
  if (o.op.requestBody?.content?.['text/csv']) h['content-type'] = 'text/csv';
  return h;
}

const normalize = (res: CallResult, id: string) =>
  JSON.stringify({ status: res.status, body: res.body }).split(id).join('<id>');

const isStream = (o: Op) =>
  Object.values(o.op.responses ?? {}).some(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (r: any) => r?.content && Object.keys(r.content).some((t) => t.includes('event-stream')),
  );

async function fixtures(t: TestContext) {
  const db = t.db;
  await seedApprovalFixtures(db);
  const [northContact] = await addContacts(db, 'partner_north', 1, {
    email: () => `${MARK}.north@nordlicht.example`,
  });
  await db
    .update(contacts)
    .set({ firstName: `${MARK}first`, searchText: `${MARK} ${MARK}first ${MARK}.north@nordlicht.example` })
    .where(eq(contacts.id, northContact!));
  const created = await t.call('POST', '/v1/sends', {
    as: 'u_jana',
    headers: { 'idempotency-key': randomId('k') },
    body: { journeyId: journeyId('always'), contactIds: [northContact] },
  });
  assert.ok(created.status === 201 || created.status === 200, JSON.stringify(created.body));
  const sendId: string = created.body.id;
  const queue = await t.call('GET', '/v1/approvals?limit=100', { as: 'u_manager' });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const approval = queue.body.items.find((a: any) => a.send.id === sendId);
  assert.ok(approval, 'the send waits for the partner manager');

  // Another partner's approver in the same brand.
  await db.insert(users).values({
    id: 'u_south_mgr',
    brandId: 'brand_aurora',
    partnerId: 'partner_south',
    name: 'South Manager',
    email: 'mgr@suedstern.example',
    role: 'approver',
  });
  // Another brand, with its own partner, users, contact and journey.
  await db.insert(brands).values({
    id: EVIL.brand,
    name: 'Evil Corp',
    domain: 'evil.example',
    postalAddress: 'Nowhere 1',
  });
  await db.insert(partners).values({
    id: EVIL.partner,
    brandId: EVIL.brand,
    name: 'Evil Dealer',
    tier: 'gold',
    region: 'north',
    replyTo: 'dealer@evil.example',
    postalAddress: 'Nowhere 2',
  });
  await db.insert(users).values([
    {
      id: 'u_evil_admin',
      brandId: EVIL.brand,
      partnerId: null,
      name: 'Eve',
      email: 'eve@evil.example',
      role: 'brand_admin',
    },
    {
      id: 'u_evil_partner',
      brandId: EVIL.brand,
      partnerId: EVIL.partner,
      name: 'Mal',
      email: 'mal@evil.example',
      role: 'partner',
    },
  ]);
  await db.insert(contacts).values({
    id: 'c_evil_own',
    brandId: EVIL.brand,
    partnerId: EVIL.partner,
    email: 'victim@evil.example',
    consent: 'opted_in',
    status: 'active',
    searchText: 'victim',
  });
  const [template] = await db
    .select()
    .from(journeys)
    .where(eq(journeys.id, journeyId('always')));
  await db.insert(journeys).values({
    ...template!,
    id: EVIL.journey,
    brandId: EVIL.brand,
    name: `${EVIL_MARK} evil journey`,
    searchText: `${EVIL_MARK} evil journey`,
  });
  const [southContact] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(eq(contacts.partnerId, 'partner_south'))
    .limit(1);

  const north: Ids = {
    contact: northContact!,
    send: sendId,
    approval: approval.id,
    journey: EVIL.journey,
    partner: 'partner_north',
  };
  const attackers: Attacker[] = [
    {
      label: 'partner user of another partner (u_tom)',
      user: { id: 'u_tom', brand: 'brand_aurora', partner: 'partner_south', role: 'partner' },
      foreign: north,
      markers: [MARK, northContact!, sendId, approval.id, EVIL.journey, EVIL_MARK],
      own: { journey: journeyId('never'), contact: southContact!.id },
    },
    {
      label: 'approver of another partner (u_south_mgr)',
      user: { id: 'u_south_mgr', brand: 'brand_aurora', partner: 'partner_south', role: 'approver' },
      foreign: north,
      markers: [MARK, northContact!, sendId, approval.id, EVIL.journey, EVIL_MARK],
      own: { journey: journeyId('never'), contact: southContact!.id },
    },
    {
      label: 'brand admin of another brand (u_evil_admin)',
      user: { id: 'u_evil_admin', brand: EVIL.brand, partner: null, role: 'brand_admin' },
      foreign: { ...north, journey: journeyId('always') },
      markers: [MARK, northContact!, sendId, approval.id, journeyId('always'), 'Approval test'],
      own: { journey: EVIL.journey, contact: 'c_evil_own' },
    },
    {
      label: 'partner user of another brand (u_evil_partner)',
      user: { id: 'u_evil_partner', brand: EVIL.brand, partner: EVIL.partner, role: 'partner' },
      foreign: { ...north, journey: journeyId('always') },
      markers: [MARK, northContact!, sendId, approval.id, journeyId('always'), 'Approval test'],
      own: { journey: EVIL.journey, contact: 'c_evil_own' },
    },
  ];
  return attackers;
}

forEachDatabase('tenancy matrix', (ctx) => {
  let ops: Op[] = [];
  let attackers: Attacker[] = [];
  const tokens = new Map<string, string>();
  const call = async (a: Attacker, method: string, path: string, body?: unknown, headers = {}) => {
    let token = tokens.get(a.user.id);
    if (!token) {
      token = await signToken(TEST_SECRET, {
        sub: a.user.id,
        brand: a.user.brand,
        partner: a.user.partner,
        role: a.user.role,
      });
      tokens.set(a.user.id, token);
    }
    return ctx().call(method, path, { token, body, headers });
  };

  before(async () => {
    const doc: Doc = (await ctx().call('GET', '/openapi.json')).body;
    for (const [path, item] of Object.entries<Doc>(doc.paths)) {
      for (const [method, op] of Object.entries<Doc>(item))
        ops.push({ method: method.toUpperCase(), path, op });
    }
    ops = ops.filter((o) => o.path.startsWith('/v1/') && !isStream(o));
    attackers = await fixtures(ctx());
  });

  it('covers every operation of the document', () => {
    assert.ok(ops.length >= 20, `only ${ops.length} operations`);
    assert.ok(ops.some((o) => o.path === '/v1/sends/{id}'));
  });

  it('a foreign id in the path answers exactly like a nonexistent one', async () => {
    const failures: string[] = [];
    for (const o of ops.filter((x) => x.path.includes('{id}'))) {
      const kind = pathKind(o.path);
      for (const a of attackers) {
        const foreign = a.foreign[kind];
        const ghost = randomId(kind.slice(0, 1));
        const body = bodyFor(o, a.own);
        const f = await call(a, o.method, o.path.replace('{id}', foreign), body, headersFor(o));
        const g = await call(a, o.method, o.path.replace('{id}', ghost), body, headersFor(o));
        const label = `${o.method} ${o.path} as ${a.label}`;
        if (f.status < 400)
          failures.push(`${label}: foreign ${kind} answered ${f.status} ${JSON.stringify(f.body)}`);
        else if (normalize(f, foreign) !== normalize(g, ghost)) {
          failures.push(`${label}: foreign ${normalize(f, foreign)} ≠ nonexistent ${normalize(g, ghost)}`);
        } else if (f.status !== 404 && f.status !== 403) failures.push(`${label}: ${f.status}`);
        assert.notEqual(f.status, 500, label);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('a foreign id in the query answers exactly like a nonexistent one', async () => {
    const failures: string[] = [];
    for (const o of ops.filter((x) => x.method === 'GET')) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const params = (o.op.parameters ?? []).filter((p: any) => p.in === 'query' && QUERY_KINDS[p.name]);
      for (const p of params) {
        const kind = QUERY_KINDS[p.name]!;
        for (const a of attackers) {
          const foreign = a.foreign[kind];
          const ghost = randomId(kind.slice(0, 1));
          const f = await call(a, 'GET', `${o.path}?${p.name}=${encodeURIComponent(foreign)}`);
          const g = await call(a, 'GET', `${o.path}?${p.name}=${encodeURIComponent(ghost)}`);
          const label = `GET ${o.path}?${p.name} as ${a.label}`;
          if (f.status === 200) {
            const text = JSON.stringify(f.body);
            // A filter may be ignored by a scoped list, but then it must not surface foreign rows.
            for (const m of a.markers) if (text.includes(m)) failures.push(`${label}: leaks ${m}`);
          }
          if (normalize(f, foreign) !== normalize(g, ghost)) {
            failures.push(`${label}: foreign ${normalize(f, foreign)} ≠ nonexistent ${normalize(g, ghost)}`);
          }
          assert.notEqual(f.status, 500, label);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('a foreign contact or journey in a body answers exactly like a nonexistent one', async () => {
    const failures: string[] = [];
    for (const o of ops.filter((x) => x.op.requestBody && !x.path.includes('{'))) {
      if (o.path.startsWith('/v1/demo/') || o.path === '/v1/contacts' || o.path.endsWith('/import')) continue;
      for (const a of attackers) {
        for (const kind of ['contact', 'journey'] as const) {
          const foreign = a.foreign[kind];
          const ghost = randomId(kind.slice(0, 1));
          const f = await call(a, o.method, o.path, bodyFor(o, { ...a.own, [kind]: foreign }), headersFor(o));
          const g = await call(a, o.method, o.path, bodyFor(o, { ...a.own, [kind]: ghost }), headersFor(o));
          const label = `${o.method} ${o.path} with a foreign ${kind} as ${a.label}`;
          if (f.status < 400) failures.push(`${label}: ${f.status} ${JSON.stringify(f.body).slice(0, 300)}`);
          else if (normalize(f, foreign) !== normalize(g, ghost)) {
            failures.push(`${label}: foreign ${normalize(f, foreign)} ≠ nonexistent ${normalize(g, ghost)}`);
          }
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('lists never include foreign rows, even when searched for', async () => {
    const failures: string[] = [];
    for (const o of ops.filter((x) => x.method === 'GET' && !x.path.includes('{'))) {
      const queries = [''];
      for (const p of o.op.parameters ?? []) {
        if (p.in !== 'query') continue;
        if (p.name === 'q') queries.push(`q=${MARK}`, `q=${EVIL_MARK}`, `q=approval%20test`);
        for (const v of p.schema?.enum ?? []) queries.push(`${p.name}=${encodeURIComponent(String(v))}`);
      }
      for (const a of attackers) {
        for (const q of queries) {
          const res = await call(a, 'GET', q ? `${o.path}?${q}` : o.path);
          assert.notEqual(res.status, 500, `${o.path}?${q}`);
          const text = JSON.stringify(res.body);
          for (const m of a.markers) {
            if (text.includes(m)) failures.push(`GET ${o.path}?${q} as ${a.label}: contains ${m}`);
          }
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('documented role answers: brand-level callers have no contacts (403), partners see their own', async () => {
    const admin = attackers.find((a) => a.user.role === 'brand_admin')!;
    const res = await call(admin, 'GET', '/v1/contacts');
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'forbidden');
    const own = await ctx().call('GET', `/v1/contacts?q=${MARK}`, { as: 'u_jana' });
    assert.equal(own.status, 200);
    assert.equal(own.body.items.length, 1, 'control: the owner finds the marked contact');
  });

  it('the owner reaches the rows the attackers cannot (control)', async () => {
    const [a] = attackers;
    const send = await ctx().call('GET', `/v1/sends/${a!.foreign.send}`, { as: 'u_jana' });
    assert.equal(send.status, 200);
    const approval = await ctx().call('GET', `/v1/approvals/${a!.foreign.approval}`, { as: 'u_manager' });
    assert.equal(approval.status, 200);
  });
});
