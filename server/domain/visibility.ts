import { and, eq, sql, type SQL } from 'drizzle-orm';
import { contacts, journeys } from '../db/schema.js';
import type { Caller } from '../env.js';
import { forbidden } from '../errors.js';

/**
 * Who sees which journeys — enforced in SQL, never by the widget:
 * - everyone sees only their own brand's journeys, and only `published` ones (drafts and archived
 *   journeys are never listed or readable through the API);
 * - a caller attached to a partner (partner users and partner-manager approvers) sees a journey only
 *   when its `tiers` is empty or contains the partner's tier AND its `regions` is empty or contains the
 *   partner's region;
 * - brand-level callers (brand admins, brand compliance approvers) see every published journey of the brand.
 */
export function journeyVisibility(caller: Caller): SQL {
  const base = and(eq(journeys.brandId, caller.brand.id), eq(journeys.status, 'published'))!;
  const partner = caller.partner;
  if (!partner) return base;
  return and(
    base,
    sql`(cardinality(${journeys.tiers}) = 0 or ${partner.tier} = any(${journeys.tiers}))`,
    sql`(cardinality(${journeys.regions}) = 0 or ${partner.region} = any(${journeys.regions}))`,
  )!;
}

/** The partner whose contacts the caller may read; brand-level callers have none (403). */
export function contactPartnerId(caller: Caller): string {
  if (!caller.partner) {
    throw forbidden(
      'contacts belong to partners; this user is not attached to a partner, so it has no contacts',
    );
  }
  return caller.partner.id;
}

/** The partner the caller may add contacts to: only partner users add contacts (403 for everyone else). */
export function contactWriterPartnerId(caller: Caller): string {
  const partnerId = contactPartnerId(caller);
  if (caller.role !== 'partner') throw forbidden('only partner users can add contacts');
  return partnerId;
}

/** The contacts of one partner of the caller's brand. */
export const contactScope = (caller: Caller, partnerId: string): SQL =>
  and(eq(contacts.brandId, caller.brand.id), eq(contacts.partnerId, partnerId))!;
