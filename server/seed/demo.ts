import type { Db } from '../db/types.js';
import { brands, partners, users } from '../db/schema.js';

export const DEMO_BRAND_ID = 'brand_aurora';

/** Seeds the demo brand (idempotent: does nothing when the brand exists). */
export async function seedDemo(db: Db, _options: { now?: Date } = {}): Promise<{ seeded: boolean }> {
  const existing = await db.query.brands.findFirst({ where: (b, { eq }) => eq(b.id, DEMO_BRAND_ID) });
  if (existing) return { seeded: false };
  await db.transaction(async (tx) => {
    await tx.insert(brands).values({
      id: DEMO_BRAND_ID,
      name: 'Aurora Motors',
      domain: 'aurora-motors.example',
      postalAddress: 'Aurora Motors GmbH, Am Hafen 1, 20457 Hamburg, Germany',
    });
    await tx.insert(partners).values([
      { id: 'partner_north', brandId: DEMO_BRAND_ID, name: 'Nordlicht Autohaus', tier: 'gold', region: 'north', replyTo: 'sales@nordlicht.example', postalAddress: 'Nordlicht Autohaus, Ring 5, Kiel', signature: 'Jana Weber, Nordlicht Autohaus' },
      { id: 'partner_south', brandId: DEMO_BRAND_ID, name: 'Südstern Motors', tier: 'silver', region: 'south', replyTo: 'hello@suedstern.example', postalAddress: 'Südstern Motors, Allee 9, München', signature: 'Tom Berger, Südstern Motors' },
    ]);
    await tx.insert(users).values([
      { id: 'u_admin', brandId: DEMO_BRAND_ID, partnerId: null, name: 'Alex Brand', email: 'alex@aurora-motors.example', role: 'brand_admin', description: 'Corporate marketer' },
      { id: 'u_jana', brandId: DEMO_BRAND_ID, partnerId: 'partner_north', name: 'Jana Weber', email: 'jana@nordlicht.example', role: 'partner', description: 'Dealer, gold tier, north' },
      { id: 'u_tom', brandId: DEMO_BRAND_ID, partnerId: 'partner_south', name: 'Tom Berger', email: 'tom@suedstern.example', role: 'partner', description: 'Dealer, silver tier, south' },
    ]);
  });
  return { seeded: true };
}
