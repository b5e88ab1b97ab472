import { eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { verifyToken } from '../auth.js';
import { brands, partners, users } from '../db/schema.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';
import { toBrand, toPartner } from './mappers.js';

const PUBLIC = /^\/v1\/demo\//;

/** Resolves the bearer token to a caller; the token must name a known user with matching claims. */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (PUBLIC.test(c.req.path)) return next();
  const deps = c.get('deps');
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    throw new ApiError(401, 'auth', 'missing bearer token', undefined, { 'WWW-Authenticate': 'Bearer' });
  }
  const claims = await verifyToken(deps.secret, match[1], deps.clock());
  const [row] = await deps.db
    .select({ user: users, brand: brands, partner: partners })
    .from(users)
    .innerJoin(brands, eq(brands.id, users.brandId))
    .leftJoin(partners, eq(partners.id, users.partnerId))
    .where(eq(users.id, claims.sub))
    .limit(1);
  if (
    !row ||
    row.user.brandId !== claims.brand ||
    row.user.role !== claims.role ||
    row.user.partnerId !== claims.partner
  ) {
    throw new ApiError(401, 'auth', 'token does not match a known user');
  }
  c.set('caller', {
    userId: row.user.id,
    name: row.user.name,
    email: row.user.email,
    role: row.user.role,
    brand: toBrand(row.brand),
    partner: row.partner ? toPartner(row.partner) : null,
  });
  return next();
};
