/** Shared helpers for the security suites. */
import assert from 'node:assert/strict';
import type { CallResult } from '../support/db.js';

export const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** Fails when a response (body or headers) contains the secret or any of its dot-separated parts. */
export function assertNoSecretEcho(res: CallResult, secret: string, label: string) {
  const text = `${typeof res.body === 'string' ? res.body : JSON.stringify(res.body)}\n${[
    ...res.headers.entries(),
  ]
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}`;
  const parts = [secret, ...secret.split('.').filter((p) => p.length >= 12)];
  for (const part of parts) {
    assert.ok(!text.includes(part.slice(0, 64)), `${label}: the response echoes the token`);
  }
}

/** A value nobody has: same shape as the ids the server hands out. */
export const randomId = (prefix = 'x') => `${prefix}_${Math.random().toString(36).slice(2, 12)}`;
