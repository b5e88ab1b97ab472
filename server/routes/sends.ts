import { createRoute } from '@hono/zod-openapi';
import { and, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { ErrorBody, Id, Send, SendCreate, SendPage, SendQuery } from '../../src/contract/index.js';
import { journeys, sends } from '../db/schema.js';
import { CursorTimestamp, decodeCursor, encodeCursor } from '../domain/cursor.js';
import { isoMicros, keysetAfter, keysetOrder, type KeyPart } from '../domain/keyset.js';
import { cancelSend, createSend, readSend, sendScope, toSend } from '../domain/sending.js';
import type { App } from '../env.js';
import { ApiError, notFound } from '../errors.js';
import { errorResponses, json, jsonBody } from './shared.js';

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Required. Retries with the same key and body return the first result.' }),
});

const create = createRoute({
  method: 'post',
  path: '/v1/sends',
  tags: ['sends'],
  summary: 'Create a quick or journey send',
  description:
    'Requires `Idempotency-Key`. The same key with the same body returns the existing send (200) and sends ' +
    'nothing again; the same key with a different body is 422. Concurrent requests with one key create one ' +
    'send: the others wait for it and return it (200). Any blocking preflight issue (unsubscribed, ' +
    'suppressed or opted-out contact, rule violation, missing footer) is a 422 with one field error per ' +
    'problem (`body.contactIds.3`, `body.personalization.<blockId>`, `body.overrides.<contactId>.<blockId>`) ' +
    'and nothing is written. Sends whose journey requires approval start as `pending_approval`.',
  request: { headers: IdempotencyHeaders, body: jsonBody(SendCreate) },
  responses: {
    200: json(Send, 'An earlier send with this Idempotency-Key and body'),
    201: json(Send, 'The new send'),
    ...errorResponses,
    409: json(ErrorBody, 'Conflict'),
    422: json(ErrorBody, 'Blocking preflight issues (one field error each), or Idempotency-Key reused'),
  },
});

const list = createRoute({
  method: 'get',
  path: '/v1/sends',
  tags: ['sends'],
  summary: 'Sends the caller may see (own partner; brand-level users: the whole brand), newest first',
  request: { query: SendQuery },
  responses: { 200: json(SendPage, 'A page of sends'), ...errorResponses },
});

const read = createRoute({
  method: 'get',
  path: '/v1/sends/{id}',
  tags: ['sends'],
  summary: 'One send with per-recipient status',
  request: { params: z.object({ id: Id }) },
  responses: { 200: json(Send, 'The send'), ...errorResponses },
});

const cancel = createRoute({
  method: 'post',
  path: '/v1/sends/{id}/cancel',
  tags: ['sends'],
  summary: 'Stop everything of a send that has not gone out',
  request: { params: z.object({ id: Id }) },
  responses: {
    200: json(Send, 'The send after cancelling'),
    ...errorResponses,
    409: json(ErrorBody, 'Nothing left to cancel'),
  },
});

const ORDER: KeyPart[] = [
  { expr: sql`${sends.createdAt}`, dir: 'desc', cast: 'timestamptz' },
  { expr: sql`${sends.id}`, dir: 'desc' },
];

export function registerSends(app: App) {
  app.openapi(create, async (c) => {
    const { db, clock, notifyOutbox } = c.get('deps');
    const key = c.req.valid('header')['idempotency-key'];
    if (!key) {
      throw new ApiError(400, 'validation', 'header.idempotency-key: required', [
        {
          path: 'header.idempotency-key',
          message: 'required: send a unique key per send and reuse it on retries',
        },
      ]);
    }
    const body = c.req.valid('json');
    const { send, created } = await createSend({
      db,
      caller: c.get('caller'),
      body,
      idempotencyKey: key,
      now: clock(),
    });
    if (created) notifyOutbox?.();
    return created ? c.json(send, 201) : c.json(send, 200);
  });

  app.openapi(list, async (c) => {
    const { db } = c.get('deps');
    const query = c.req.valid('query');
    const scope = 'sends:newest';
    const where = and(sendScope(c.get('caller')), query.status ? eq(sends.status, query.status) : undefined);
    const position = query.cursor ? decodeCursor(query.cursor, scope, z.tuple([CursorTimestamp])) : undefined;
    const pageWhere = position ? and(where, keysetAfter(ORDER, [...position.key, position.id])) : where;
    const [rows, [total]] = await Promise.all([
      db
        .select({ send: sends, journeyName: journeys.name, cursorAt: isoMicros(sends.createdAt) })
        .from(sends)
        .innerJoin(journeys, eq(journeys.id, sends.journeyId))
        .where(pageWhere)
        .orderBy(keysetOrder(ORDER))
        .limit(query.limit + 1),
      db.select({ n: count() }).from(sends).where(where),
    ]);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > query.limit && last ? encodeCursor(scope, [last.cursorAt], last.send.id) : null;
    return c.json(
      {
        items: items.map((r) => toSend(r.send, r.send.snapshot?.name ?? r.journeyName)),
        nextCursor,
        total: total?.n ?? 0,
      },
      200,
    );
  });

  app.openapi(read, async (c) => {
    const { db } = c.get('deps');
    const { id } = c.req.valid('param');
    const [visible] = await db
      .select({ id: sends.id })
      .from(sends)
      .where(and(eq(sends.id, id), sendScope(c.get('caller'))))
      .limit(1);
    if (!visible) throw notFound('send');
    return c.json(await readSend(db, id), 200);
  });

  app.openapi(cancel, async (c) => {
    const { db, clock } = c.get('deps');
    const { id } = c.req.valid('param');
    return c.json(await cancelSend(db, c.get('caller'), id, clock()), 200);
  });
}
