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

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url of the first `length` bytes. */
export function base64url(bytes: Uint8Array, length = bytes.length): string {
  let out = '';
  let i = 0;
  for (; i + 2 < length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]! + B64URL[(n >>> 6) & 63]! + B64URL[n & 63]!;
  }
  const rest = length - i;
  if (rest) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]!;
    if (rest === 2) out += B64URL[(n >>> 6) & 63]!;
  }
  return out;
}

// Token input is short ASCII (row ids match ROW_ID): written into one reused buffer, as is the MAC.
const input = new Uint8Array(128);
const digest = new Uint8Array(32);

function mac(secret: string, purpose: TokenPurpose, rowId: string, index: number): string {
  const text = `dm-track-v1|${LETTER[purpose]}|${rowId}|${index}`;
  if (text.length > input.length) throw new Error('tracking token input too long');
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new Error('tracking token input is not ASCII');
    input[i] = code;
  }
  return base64url(hmacSha256(keyFor(secret), input.subarray(0, text.length), digest), MAC_BYTES);
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
