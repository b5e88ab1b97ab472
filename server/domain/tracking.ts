/**
 * Opaque, signed tracking tokens (HMAC-SHA256, synchronous, see hmac.ts; no Node APIs).
 *
 * A token names one outbox row (one message) and, for clicks, the index of a link stored with that
 * row. The MAC covers a purpose letter, so an open-pixel token can never be replayed as an
 * unsubscribe or click token. Click targets are never in the token: the click handler redirects only
 * to `outbox.links[index]` of the row.
 *
 *   open:        <rowId>.<mac>
 *   unsubscribe: <rowId>.<mac>
 *   click:       <rowId>.<index>.<mac>
 */

import { hmacKey, hmacSha256, type HmacKey } from './hmac.js';

export type TokenPurpose = 'open' | 'click' | 'unsubscribe';

const LETTER: Record<TokenPurpose, string> = { open: 'o', click: 'c', unsubscribe: 'u' };
const MAC_BYTES = 16;
const ROW_ID = /^[A-Za-z0-9_-]{1,80}$/;

const keys = new Map<string, HmacKey>();
const encoder = new TextEncoder();

function keyFor(secret: string): HmacKey {
  let key = keys.get(secret);
  if (!key) {
    key = hmacKey(encoder.encode(secret));
    keys.set(secret, key);
  }
  return key;
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function mac(secret: string, purpose: TokenPurpose, rowId: string, index: number): string {
  const data = encoder.encode(`dm-track-v1|${LETTER[purpose]}|${rowId}|${index}`);
  return base64url(hmacSha256(keyFor(secret), data).subarray(0, MAC_BYTES));
}

function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** A token for one message (and link index, for clicks). */
export function signToken(secret: string, purpose: TokenPurpose, rowId: string, index = 0): string {
  const sig = mac(secret, purpose, rowId, index);
  return purpose === 'click' ? `${rowId}.${index}.${sig}` : `${rowId}.${sig}`;
}

/** The row (and link index) a token names, or null when it is malformed or forged. */
export function verifyToken(
  secret: string,
  purpose: TokenPurpose,
  token: string,
): { rowId: string; index: number } | null {
  const parts = token.split('.');
  const [rowId, second, third] = parts;
  let index = 0;
  let sig: string | undefined;
  if (purpose === 'click') {
    if (parts.length !== 3 || !second || !/^\d{1,4}$/.test(second)) return null;
    index = Number(second);
    sig = third;
  } else {
    if (parts.length !== 2) return null;
    sig = second;
  }
  if (!rowId || !ROW_ID.test(rowId) || !sig) return null;
  return sameString(sig, mac(secret, purpose, rowId, index)) ? { rowId, index } : null;
}

/** SHA-256 of a string, hex. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** JSON with object keys sorted, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
