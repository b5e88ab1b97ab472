/**
 * A small engagement fixture with hand-counted answers: brand `brand_fx` with six partners, two
 * journeys and seven sends, plus a second brand whose data must never show up.
 *
 * Send s1 (partner p1, journey j1) — every time UTC, 2026-03-10 unless said otherwise:
 *
 * | contact | events |
 * |---------|--------|
 * | c1 | sent, delivered 01:00; machine open 01:00:01 (Apple proxy); open 15:30 (= 23:30 in Shanghai); open 16:30 (= 00:30 next day in Shanghai); click 16:45 |
 * | c2 | sent, delivered 01:00; open 03-11 02:00; clicks 03-11 02:05 and 02:06 |
 * | c3 | sent, delivered 01:00; machine open 01:00:01; unsubscribe 03-12 09:00 |
 * | c4 | sent 01:00; bounce (hard) 01:00:05 |
 *
 * Send s2 (p1, j2): c1 delivered 03-01 10:00 (a Sunday), open 03-02 10:00 (Monday), click 04-02 10:00.
 * Sends s3–s6 (p2–p5, j1): one recipient each, delivered 03-10 05:00, open 03-10 05:10.
 * Send s7 (p6, j1): one recipient, delivered and opened 03-20 05:00.
 * Brand `brand_other`, send so1: one delivered and one open on 03-10.
 */
import { sql } from 'drizzle-orm';
import { signToken } from '../../../server/auth.js';
import {
  brands,
  contacts,
  events,
  journeys,
  partners,
  sendRecipients,
  sends,
  users,
} from '../../../server/db/schema.js';
import type { Db } from '../../../server/db/types.js';
import { TEST_SECRET } from '../support/db.js';

export const BRAND = 'brand_fx';
export const OTHER_BRAND = 'brand_other';

type EventType = 'sent' | 'delivered' | 'open' | 'click' | 'bounce' | 'complaint' | 'unsubscribe';

export interface FxEvent {
  send: string;
  contact: string;
  type: EventType;
  at: string;
  machine?: boolean;
  meta?: Record<string, unknown>;
}

export const SENDS: Record<string, { partner: string; journey: string; brand?: string }> = {
  s1: { partner: 'p1', journey: 'j1' },
  s2: { partner: 'p1', journey: 'j2' },
  s3: { partner: 'p2', journey: 'j1' },
  s4: { partner: 'p3', journey: 'j1' },
  s5: { partner: 'p4', journey: 'j1' },
  s6: { partner: 'p5', journey: 'j1' },
  s7: { partner: 'p6', journey: 'j1' },
  so1: { partner: 'po1', journey: 'jo1', brand: OTHER_BRAND },
};

const d = (s: string) => `2026-${s}Z`;

export const FIXTURE_EVENTS: FxEvent[] = [
  ...['c1', 'c2', 'c3', 'c4'].map((c) => ({
    send: 's1',
    contact: c,
    type: 'sent' as const,
    at: d('03-10T01:00:00'),
  })),
  ...['c1', 'c2', 'c3'].map((c) => ({
    send: 's1',
    contact: c,
    type: 'delivered' as const,
    at: d('03-10T01:00:00'),
  })),
  { send: 's1', contact: 'c1', type: 'open', at: d('03-10T01:00:01'), machine: true },
  { send: 's1', contact: 'c1', type: 'open', at: d('03-10T15:30:00') },
  { send: 's1', contact: 'c1', type: 'open', at: d('03-10T16:30:00') },
  { send: 's1', contact: 'c1', type: 'click', at: d('03-10T16:45:00') },
  { send: 's1', contact: 'c2', type: 'open', at: d('03-11T02:00:00') },
  { send: 's1', contact: 'c2', type: 'click', at: d('03-11T02:05:00') },
  { send: 's1', contact: 'c2', type: 'click', at: d('03-11T02:06:00') },
  { send: 's1', contact: 'c3', type: 'open', at: d('03-10T01:00:01'), machine: true },
  { send: 's1', contact: 'c3', type: 'unsubscribe', at: d('03-12T09:00:00') },
  { send: 's1', contact: 'c4', type: 'bounce', at: d('03-10T01:00:05'), meta: { bounce: 'hard' } },
  { send: 's2', contact: 'c1', type: 'delivered', at: d('03-01T10:00:00') },
  { send: 's2', contact: 'c1', type: 'open', at: d('03-02T10:00:00') },
  { send: 's2', contact: 'c1', type: 'click', at: d('04-02T10:00:00') },
  ...['s3', 's4', 's5', 's6'].flatMap((s, i) => [
    { send: s, contact: `c${11 + i}`, type: 'delivered' as const, at: d('03-10T05:00:00') },
    { send: s, contact: `c${11 + i}`, type: 'open' as const, at: d('03-10T05:10:00') },
  ]),
  { send: 's7', contact: 'c15', type: 'delivered', at: d('03-20T05:00:00') },
  { send: 's7', contact: 'c15', type: 'open', at: d('03-20T05:00:30') },
  { send: 'so1', contact: 'co1', type: 'delivered', at: d('03-10T05:00:00') },
  { send: 'so1', contact: 'co1', type: 'open', at: d('03-10T06:00:00') },
];

/** Contacts: c1–c4 of p1 (with names for sorting), c11–c15 of p2–p6, co1 of the other brand. */
const CONTACTS: Array<{
  id: string;
  partner: string;
  email: string;
  first?: string;
  last?: string;
  brand?: string;
}> = [
  { id: 'c1', partner: 'p1', email: 'anna@example.com', first: 'Anna', last: 'Adler' },
  { id: 'c2', partner: 'p1', email: 'bert@example.com', first: 'Bert', last: 'Berg' },
  { id: 'c3', partner: 'p1', email: 'cleo@example.com', first: 'Cleo' },
  { id: 'c4', partner: 'p1', email: 'dora@example.com' },
  ...[11, 12, 13, 14, 15].map((n, i) => ({ id: `c${n}`, partner: `p${i + 2}`, email: `c${n}@example.com` })),
  { id: 'co1', partner: 'po1', email: 'other@example.com', brand: OTHER_BRAND },
];

export const USERS = {
  admin: { id: 'fx_admin', partner: null, role: 'brand_admin' },
  p1: { id: 'fx_p1', partner: 'p1', role: 'partner' },
  p2: { id: 'fx_p2', partner: 'p2', role: 'partner' },
  manager: { id: 'fx_manager', partner: 'p1', role: 'approver' },
  compliance: { id: 'fx_compliance', partner: null, role: 'approver' },
  otherAdmin: { id: 'fo_admin', partner: null, role: 'brand_admin', brand: OTHER_BRAND },
} as const satisfies Record<
  string,
  { id: string; partner: string | null; role: 'brand_admin' | 'partner' | 'approver'; brand?: string }
>;

export type FxUser = keyof typeof USERS;

export function eventRow(e: FxEvent) {
  const send = SENDS[e.send]!;
  return {
    brandId: send.brand ?? BRAND,
    partnerId: send.partner,
    journeyId: send.journey,
    sendId: e.send,
    stepId: 'step1',
    contactId: e.contact,
    type: e.type,
    machine: e.machine ?? false,
    at: new Date(e.at),
    meta: e.meta ?? null,
  };
}

/** Inserts everything but the events (brands, partners, users, journeys, contacts, sends). */
export async function insertFixtureBase(db: Db): Promise<void> {
  await db.insert(brands).values([
    { id: BRAND, name: 'Fixture Motors', domain: 'fx.example', postalAddress: 'Street 1' },
    { id: OTHER_BRAND, name: 'Other Brand', domain: 'other.example', postalAddress: 'Street 2' },
  ]);
  await db.insert(partners).values([
    ...['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id) => ({
      id,
      brandId: BRAND,
      name: `Partner ${id}`,
      tier: 'gold' as const,
      region: 'north',
      replyTo: `${id}@fx.example`,
      postalAddress: 'Street',
    })),
    {
      id: 'po1',
      brandId: OTHER_BRAND,
      name: 'Other partner',
      tier: 'gold' as const,
      region: 'north',
      replyTo: 'po1@other.example',
      postalAddress: 'Street',
    },
  ]);
  await db.insert(users).values(
    Object.values(USERS).map((u) => ({
      id: u.id,
      brandId: 'brand' in u ? u.brand : BRAND,
      partnerId: u.partner,
      name: u.id,
      email: `${u.id}@fx.example`,
      role: u.role,
    })),
  );
  await db.insert(journeys).values(
    [
      ['j1', BRAND],
      ['j2', BRAND],
      ['jo1', OTHER_BRAND],
    ].map(([id, brandId]) => ({
      id: id!,
      brandId: brandId!,
      kind: 'journey' as const,
      status: 'published' as const,
      name: `Journey ${id}`,
      summary: 'Fixture',
      category: 'onboarding',
      locale: 'en',
      searchText: `journey ${id}`,
      steps: [],
      mergeFields: [],
      approvalRule: { mode: 'never', approver: 'partner_manager' } as never,
    })),
  );
  await db.insert(contacts).values(
    CONTACTS.map((c) => ({
      id: c.id,
      brandId: c.brand ?? BRAND,
      partnerId: c.partner,
      email: c.email,
      firstName: c.first ?? null,
      lastName: c.last ?? null,
      consent: 'opted_in' as const,
      status: 'active' as const,
      searchText: c.email,
    })),
  );
  await db.insert(sends).values(
    Object.entries(SENDS).map(([id, s]) => ({
      id,
      brandId: s.brand ?? BRAND,
      partnerId: s.partner,
      journeyId: s.journey,
      createdBy: s.brand ? USERS.otherAdmin.id : USERS.admin.id,
      kind: 'journey' as const,
      status: 'sent',
      recipientCount: 1,
    })),
  );
  const pairs = new Map<string, { sendId: string; contactId: string; email: string }>();
  for (const e of FIXTURE_EVENTS) {
    const email = CONTACTS.find((c) => c.id === e.contact)!.email;
    pairs.set(`${e.send}/${e.contact}`, { sendId: e.send, contactId: e.contact, email });
  }
  await db.insert(sendRecipients).values([...pairs.values()].map((p) => ({ ...p, status: 'delivered' })));
}

/** The fixture: base rows, then the events in two out-of-order batches (the roll-up must not care). */
export async function insertFixture(db: Db): Promise<void> {
  await insertFixtureBase(db);
  const rows = FIXTURE_EVENTS.map(eventRow);
  const reversed = [...rows].reverse();
  await db.insert(events).values(reversed.slice(0, 15));
  await db.insert(events).values(reversed.slice(15));
}

const tokens = new Map<string, string>();

export async function tokenFor(user: FxUser): Promise<string> {
  const u = USERS[user];
  let token = tokens.get(u.id);
  if (!token) {
    token = await signToken(TEST_SECRET, {
      sub: u.id,
      brand: 'brand' in u ? u.brand : BRAND,
      partner: u.partner,
      role: u.role,
    });
    tokens.set(u.id, token);
  }
  return token;
}

/** A query string from an object (undefined skipped). */
export function qs(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Snapshot of the roll-up tables, for comparing incremental maintenance with a rebuild. */
export async function rollupSnapshot(db: Db): Promise<{ rollups: unknown[]; recipients: unknown[] }> {
  const rollups = await db.execute(sql`
    select brand_id, partner_id, journey_id, send_id, extract(epoch from hour)::bigint::text as hour, type, machine, n, u
    from engagement_rollups where n <> 0 or u <> 0 order by 1, 2, 3, 4, 5, 6, 7`);
  const recipients = await db.execute(sql`
    select send_id, contact_id, brand_id, partner_id, journey_id,
      first_sent_at::text, first_delivered_at::text, first_open_at::text, first_machine_open_at::text,
      first_click_at::text, first_machine_click_at::text, first_bounce_at::text, first_complaint_at::text,
      first_unsubscribe_at::text, last_event_at::text, opens, machine_opens, clicks, machine_clicks
    from engagement_recipients order by 1, 2`);
  return {
    rollups: (rollups as unknown as { rows: unknown[] }).rows,
    recipients: (recipients as unknown as { rows: unknown[] }).rows,
  };
}
