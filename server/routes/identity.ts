import { createRoute } from '@hono/zod-openapi';
import { asc, eq } from 'drizzle-orm';
import { DemoSession, DemoSessionRequest, DemoUserList, Me } from '../../src/contract/index.js';
import { signToken } from '../auth.js';
import { partners, users } from '../db/schema.js';
import type { App } from '../env.js';
import { ApiError } from '../errors.js';
import { toDemoUser } from './mappers.js';
import { errorResponses, json, jsonBody } from './shared.js';

const SESSION_TTL_SECONDS = 8 * 3600;

const me = createRoute({
  method: 'get',
  path: '/v1/me',
  tags: ['identity'],
  summary: 'The caller: user, role, brand and partner',
  responses: { 200: json(Me, 'The caller'), ...errorResponses },
});

const demoUsers = createRoute({
  method: 'get',
  path: '/v1/demo/users',
  tags: ['demo'],
  summary: 'Sample users (demo mode only)',
  security: [],
  responses: { 200: json(DemoUserList, 'Sample users'), ...errorResponses },
});

const demoSession = createRoute({
  method: 'post',
  path: '/v1/demo/session',
  tags: ['demo'],
  summary: 'A bearer token for a sample user (demo mode only)',
  security: [],
  request: { body: jsonBody(DemoSessionRequest) },
  responses: { 200: json(DemoSession, 'A session'), ...errorResponses },
});

export function registerIdentity(app: App) {
  app.openapi(me, (c) => {
    const { userId, name, email, role, brand, partner } = c.get('caller');
    return c.json({ user: { id: userId, name, email, role }, brand, partner }, 200);
  });

  const demoOnly = (demo: boolean) => {
    if (!demo) throw new ApiError(404, 'not_found', 'demo mode is off');
  };

  app.openapi(demoUsers, async (c) => {
    const { db, demo } = c.get('deps');
    demoOnly(demo);
    const rows = await db
      .select({ user: users, partner: partners })
      .from(users)
      .leftJoin(partners, eq(partners.id, users.partnerId))
      .orderBy(asc(users.role), asc(users.id));
    return c.json({ items: rows.map((r) => toDemoUser(r.user, r.partner)) }, 200);
  });

  app.openapi(demoSession, async (c) => {
    const { db, demo, secret, clock } = c.get('deps');
    demoOnly(demo);
    const { user: id } = c.req.valid('json');
    const [row] = await db
      .select({ user: users, partner: partners })
      .from(users)
      .leftJoin(partners, eq(partners.id, users.partnerId))
      .where(eq(users.id, id))
      .limit(1);
    if (!row)
      throw new ApiError(404, 'not_found', `user ${id} not found`, [
        { path: 'body.user', message: 'unknown user' },
      ]);
    const now = clock();
    const token = await signToken(
      secret,
      { sub: row.user.id, brand: row.user.brandId, partner: row.user.partnerId, role: row.user.role },
      SESSION_TTL_SECONDS,
      now,
    );
    const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000).toISOString();
    return c.json({ token, user: toDemoUser(row.user, row.partner), expiresAt }, 200);
  });
}
