import type { Brand, DemoUser, Partner } from '../../src/contract/index.js';
import type { brands, partners, users } from '../db/schema.js';

type Row<T extends { $inferSelect: unknown }> = T['$inferSelect'];

export const toBrand = (b: Row<typeof brands>): Brand => ({ id: b.id, name: b.name, domain: b.domain });

export const toPartner = (p: Row<typeof partners>): Partner => ({
  id: p.id,
  name: p.name,
  tier: p.tier,
  region: p.region,
});

export const toDemoUser = (u: Row<typeof users>, p: Row<typeof partners> | null): DemoUser => ({
  id: u.id,
  name: u.name,
  role: u.role,
  partner: p ? toPartner(p) : null,
  description: u.description,
});
