import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import { Role } from '../src/contract/index.js';
import { ApiError } from './errors.js';

export const Claims = z.object({
  sub: z.string().min(1),
  brand: z.string().min(1),
  partner: z.string().min(1).nullable(),
  role: Role,
});
export type Claims = z.infer<typeof Claims>;

const ISSUER = 'dm-kit';
const key = (secret: string) => new TextEncoder().encode(secret);

/** Mints a bearer token (HS256) as a host portal would with the shared secret. */
export async function signToken(secret: string, claims: Claims, ttlSeconds = 8 * 3600, now = new Date()) {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ brand: claims.brand, partner: claims.partner, role: claims.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(key(secret));
}

export async function verifyToken(secret: string, token: string, now: Date): Promise<Claims> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer: ISSUER,
      algorithms: ['HS256'],
      // A token without an expiry would never lapse; the issuer must always set one.
      requiredClaims: ['exp', 'sub'],
      currentDate: now,
    });
    return Claims.parse(payload);
  } catch {
    throw new ApiError(401, 'auth', 'invalid or expired token', undefined, {
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    });
  }
}
