import { z } from 'zod';
import { Id, Role } from './common.js';

export const Tier = z.enum(['gold', 'silver', 'bronze']).meta({ id: 'Tier' });
export type Tier = z.infer<typeof Tier>;

export const Brand = z.object({ id: Id, name: z.string(), domain: z.string() }).meta({ id: 'Brand' });
export type Brand = z.infer<typeof Brand>;

export const Partner = z
  .object({ id: Id, name: z.string(), tier: Tier, region: z.string() })
  .meta({ id: 'Partner' });
export type Partner = z.infer<typeof Partner>;

export const User = z.object({ id: Id, name: z.string(), email: z.email(), role: Role }).meta({ id: 'User' });
export type User = z.infer<typeof User>;

/** The caller, as seen by the server. */
export const Me = z.object({ user: User, brand: Brand, partner: Partner.nullable() }).meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const DemoUser = z
  .object({ id: Id, name: z.string(), role: Role, partner: Partner.nullable(), description: z.string() })
  .meta({ id: 'DemoUser' });
export type DemoUser = z.infer<typeof DemoUser>;

export const DemoUserList = z.object({ items: z.array(DemoUser) }).meta({ id: 'DemoUserList' });
export type DemoUserList = z.infer<typeof DemoUserList>;

export const DemoSessionRequest = z.strictObject({ user: Id }).meta({ id: 'DemoSessionRequest' });
export type DemoSessionRequest = z.infer<typeof DemoSessionRequest>;

export const DemoSession = z
  .object({ token: z.string(), user: DemoUser, expiresAt: z.string() })
  .meta({ id: 'DemoSession' });
export type DemoSession = z.infer<typeof DemoSession>;
