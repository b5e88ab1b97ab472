/**
 * Bearer authentication: every token that is not a fresh HS256 JWT from issuer `dm-kit`, signed with
 * the server secret and naming a known user with exactly the claims of that user's row, is a 401 with
 * the structured error body and a `WWW-Authenticate` header; the token is never echoed back.
 */
import './pglite-only.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SignJWT } from 'jose';
import { ErrorBody } from '../../../src/contract/index.js';
import { forEachDatabase, TEST_SECRET, type CallResult } from '../support/db.js';
import { assertNoSecretEcho, b64url } from './support.js';

const key = new TextEncoder().encode(TEST_SECRET);
const JANA = { sub: 'u_jana', brand: 'brand_aurora', partner: 'partner_north', role: 'partner' };

interface Mint {
  claims?: Record<string, unknown>;
  alg?: string;
  secret?: Uint8Array;
  issuer?: string | null;
  exp?: number | null;
  nbf?: number;
  sub?: string;
}

const nowSec = () => Math.floor(Date.now() / 1000);

async function mint(o: Mint = {}): Promise<string> {
  const { sub, ...claims } = { ...JANA, ...o.claims, ...(o.sub ? { sub: o.sub } : {}) };
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? 'HS256' })
    .setSubject(sub)
    .setIssuedAt();
  if (o.issuer !== null) jwt = jwt.setIssuer(o.issuer ?? 'dm-kit');
  if (o.exp !== null) jwt = jwt.setExpirationTime(o.exp ?? nowSec() + 3600);
  if (o.nbf !== undefined) jwt = jwt.setNotBefore(o.nbf);
  return jwt.sign(o.secret ?? key);
}

/** A hand-built JWT with the given header and payload and no valid signature. */
function unsigned(header: object, payload: object, signature = ''): string {
  const enc = (v: object) => b64url(Buffer.from(JSON.stringify(v)));
  return `${enc(header)}.${enc(payload)}.${signature}`;
}

const validPayload = () => ({ ...JANA, iss: 'dm-kit', iat: nowSec(), exp: nowSec() + 3600 });

function assert401(res: CallResult, secret: string | undefined, label: string) {
  assert.equal(res.status, 401, `${label}: ${JSON.stringify(res.body)}`);
  const body = ErrorBody.parse(res.body);
  assert.equal(body.error.code, 'auth', label);
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer\b/, `${label}: WWW-Authenticate`);
  if (secret) assertNoSecretEcho(res, secret, label);
}

forEachDatabase('bearer authentication', (ctx) => {
  it('accepts a valid token (control)', async () => {
    const res = await ctx().call('GET', '/v1/me', { token: await mint() });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  const cases: [string, () => Promise<string>][] = [
    ['expired', () => mint({ exp: nowSec() - 5 })],
    ['not yet valid (nbf in the future)', () => mint({ nbf: nowSec() + 600 })],
    ['without an expiry', () => mint({ exp: null })],
    ['wrong signature (other secret)', () => mint({ secret: new TextEncoder().encode(`${TEST_SECRET}x`) })],
    [
      'signature of another token',
      async () => {
        const [h, p] = (await mint()).split('.');
        const [, , s] = (await mint({ claims: { role: 'approver' } })).split('.');
        return `${h}.${p}.${s}`;
      },
    ],
    ['wrong issuer', () => mint({ issuer: 'evil' })],
    ['no issuer', () => mint({ issuer: null })],
    ['alg none (unsigned)', async () => unsigned({ alg: 'none', typ: 'JWT' }, validPayload())],
    ['alg None with a junk signature', async () => unsigned({ alg: 'None' }, validPayload(), 'AAAA')],
    ['HS512 with the right secret', () => mint({ alg: 'HS512' })],
    ['HS384 with the right secret', () => mint({ alg: 'HS384' })],
    [
      'RS256 header over an HMAC signature (alg confusion)',
      async () => {
        const [, p, s] = (await mint()).split('.');
        return `${b64url(Buffer.from('{"alg":"RS256"}'))}.${p}.${s}`;
      },
    ],
    ['user that does not exist', () => mint({ sub: 'u_ghost' })],
    ['role tampered (partner → brand_admin)', () => mint({ claims: { role: 'brand_admin' } })],
    ['role tampered (partner → approver)', () => mint({ claims: { role: 'approver' } })],
    ['partner tampered', () => mint({ claims: { partner: 'partner_south' } })],
    ['partner removed (null)', () => mint({ claims: { partner: null } })],
    ['brand tampered', () => mint({ claims: { brand: 'brand_other' } })],
    ['brand admin claiming a partner', () => mint({ sub: 'u_admin', claims: { role: 'brand_admin' } })],
    ['claims missing', () => mint({ claims: { role: undefined, brand: undefined } })],
    ['unknown role', () => mint({ claims: { role: 'root' } })],
    ['garbage', async () => 'not.a.jwt'],
    ['two segments', async () => (await mint()).split('.').slice(0, 2).join('.')],
    ['huge token', async () => 'a'.repeat(100_000)],
  ];

  for (const [label, make] of cases) {
    it(`rejects a token: ${label}`, async () => {
      const token = await make();
      for (const path of ['/v1/me', '/v1/journeys', '/v1/contacts']) {
        assert401(await ctx().call('GET', path, { token }), token, `${label} ${path}`);
      }
      assert401(
        await ctx().call('POST', '/v1/contacts', { token, body: { email: 'x@example.com' } }),
        token,
        `${label} POST`,
      );
    });
  }

  const headerForms: [string, (token: string) => string | undefined][] = [
    ['no header', () => undefined],
    ['empty', () => ''],
    ['Bearer alone', () => 'Bearer'],
    ['Bearer and a space', () => 'Bearer '],
    ['Basic credentials', () => `Basic ${Buffer.from('u_jana:secret').toString('base64')}`],
    ['Basic with the JWT', (t) => `Basic ${t}`],
    ['token without a scheme', (t) => t],
    ['two tokens', (t) => `Bearer ${t} ${t}`],
    ['two Bearer values', (t) => `Bearer ${t}, Bearer ${t}`],
    ['token with a trailing comma', (t) => `Bearer ${t},`],
    ['scheme typo', (t) => `Bearerr ${t}`],
    ['NUL in header', (t) => `Bearer ${t}\u0000`],
  ];

  for (const [label, form] of headerForms) {
    it(`rejects a malformed Authorization header: ${label}`, async () => {
      const token = await mint();
      const value = form(token);
      let res: CallResult;
      try {
        res = await ctx().call('GET', '/v1/me', {
          headers: value === undefined ? {} : { authorization: value },
        });
      } catch (err) {
        // The Fetch API refuses header values with NUL: nothing reaches the server.
        assert.match(String(err), /invalid|header/i);
        return;
      }
      assert401(res, token, label);
    });
  }

  it('accepts the scheme case-insensitively (RFC 7235)', async () => {
    const res = await ctx().call('GET', '/v1/me', { headers: { authorization: `bearer ${await mint()}` } });
    assert.equal(res.status, 200);
  });

  it('keeps the demo endpoints public but never mints tokens for unknown users', async () => {
    const res = await ctx().call('POST', '/v1/demo/session', { body: { user: 'u_ghost' } });
    assert.ok(res.status >= 400 && res.status < 500, String(res.status));
    ErrorBody.parse(res.body);
  });
});
