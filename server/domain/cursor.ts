import { z } from 'zod';
import { Id } from '../../src/contract/index.js';
import { invalid } from '../errors.js';

/**
 * Opaque keyset cursors: base64url of `{"v":1,"s":<scope>,"k":[…last sort key…],"id":<last id>}`.
 *
 * The scope names the listing and its sort (`journeys:newest`), so a cursor taken from one listing or
 * sort order is rejected by another instead of silently skipping or repeating rows. Cursors are not
 * signed: a tampered cursor can only move the page start, never widen what the caller may see, because
 * visibility is part of every query's WHERE clause.
 */

const CURSOR_VERSION = 1;
const CURSOR_PATH = 'query.cursor';

/** A sort-key value as it travels in a cursor. */
export type CursorValue = string | number | null;

export interface CursorPosition<K extends readonly CursorValue[] = CursorValue[]> {
  key: K;
  id: string;
}

const Payload = z.object({
  v: z.literal(CURSOR_VERSION),
  s: z.string(),
  k: z.array(z.union([z.string(), z.number(), z.null()])),
  id: Id,
});

/** Microsecond ISO timestamp in UTC, as produced by `isoMicros()` in SQL. */
export const CursorTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);

function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(raw: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error('not base64url');
  const b64 = raw.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

export function encodeCursor(scope: string, key: readonly CursorValue[], id: string): string {
  return toBase64Url(JSON.stringify({ v: CURSOR_VERSION, s: scope, k: key, id }));
}

/**
 * Decodes a cursor for `scope`, checking the key against `keySchema`.
 * Anything else — garbage, another listing's or another sort's cursor — is a 400 on `query.cursor`.
 */
export function decodeCursor<K extends readonly CursorValue[]>(
  raw: string,
  scope: string,
  keySchema: z.ZodType<K>,
): CursorPosition<K> {
  let payload: z.infer<typeof Payload>;
  try {
    payload = Payload.parse(JSON.parse(fromBase64Url(raw)));
  } catch {
    throw invalid(CURSOR_PATH, 'malformed cursor; pass the nextCursor of a previous page unchanged');
  }
  if (payload.s !== scope) {
    throw invalid(
      CURSOR_PATH,
      'cursor belongs to a different listing or sort order; restart without a cursor',
    );
  }
  const key = keySchema.safeParse(payload.k);
  if (!key.success)
    throw invalid(CURSOR_PATH, 'malformed cursor; pass the nextCursor of a previous page unchanged');
  return { key: key.data, id: payload.id };
}
