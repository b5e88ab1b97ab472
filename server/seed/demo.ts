import { eq } from 'drizzle-orm';
import type { Personalization } from '../../src/contract/index.js';
import {
  brands,
  contacts,
  type events,
  journeys,
  partners,
  sendRecipients,
  sends,
  users,
} from '../db/schema.js';
import type { Db } from '../db/types.js';
import { refreshJourneyStats } from '../domain/journey-stats.js';
import { searchText } from '../domain/search.js';
import { insertBatched, insertEvents } from './batch.js';
import { DEMO_JOURNEYS, thumbnailFor, type DemoJourney } from './demo-journeys.js';
import {
  CHINESE_FAMILY,
  CHINESE_GIVEN,
  CONTACT_TAGS,
  DEMO_PARTNERS,
  DEMO_USERS,
  WESTERN_FIRST,
  WESTERN_LAST,
  type DemoPartner,
} from './demo-people.js';
import { Prng } from './prng.js';

export const DEMO_BRAND_ID = 'brand_aurora';
export { DEMO_JOURNEYS, DEMO_PARTNERS, DEMO_USERS };

/** Days of send and engagement history before `now`. */
export const DEMO_HISTORY_DAYS = 90;
const SEED = 0x0a0b0c;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type ContactInsert = typeof contacts.$inferInsert;
type SendInsert = typeof sends.$inferInsert;
type RecipientInsert = typeof sendRecipients.$inferInsert;
type EventInsert = typeof events.$inferInsert;
type ContactStatus = 'active' | 'unsubscribed' | 'bounced' | 'complained';

export interface SeedDemoResult {
  seeded: boolean;
  counts?: {
    partners: number;
    users: number;
    journeys: number;
    contacts: number;
    sends: number;
    recipients: number;
    events: number;
  };
}

/**
 * Seeds the demo brand, Aurora Motors: 6 partners across tiers and regions (one in Shanghai), a user
 * for every role, a catalogue of journeys and templates (drafts and archived ones included), a few
 * hundred contacts per partner, and 90 days of sends and engagement before `now`, then rolls the
 * journeys' network stats up from that history.
 *
 * Deterministic for a given `now` (seeded PRNG) and idempotent: does nothing when the brand exists.
 */
export async function seedDemo(db: Db, options: { now?: Date } = {}): Promise<SeedDemoResult> {
  const existing = await db
    .select({ id: brands.id })
    .from(brands)
    .where(eq(brands.id, DEMO_BRAND_ID))
    .limit(1);
  if (existing.length > 0) return { seeded: false };

  const now = options.now ?? new Date();
  const data = buildDemoData(now);

  const seeded = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const inserted = await t
      .insert(brands)
      .values({
        id: DEMO_BRAND_ID,
        name: 'Aurora Motors',
        domain: 'aurora-motors.example',
        postalAddress: 'Aurora Motors GmbH, Am Hafen 1, 20457 Hamburg, Germany',
      })
      .onConflictDoNothing()
      .returning({ id: brands.id });
    // Another process seeded it first.
    if (inserted.length === 0) return false;
    await t.insert(partners).values(
      DEMO_PARTNERS.map((p) => ({
        id: p.id,
        brandId: DEMO_BRAND_ID,
        name: p.name,
        tier: p.tier,
        region: p.region,
        replyTo: p.replyTo,
        postalAddress: p.postalAddress,
        signature: p.signature,
      })),
    );
    await t.insert(users).values(DEMO_USERS.map((u) => ({ ...u, brandId: DEMO_BRAND_ID })));
    await insertBatched(t, journeys, data.journeys, 100);
    await insertBatched(t, contacts, data.contacts);
    await insertBatched(t, sends, data.sends);
    await insertBatched(t, sendRecipients, data.recipients);
    await insertEvents(t, data.events);
    await refreshJourneyStats(t, { brandId: DEMO_BRAND_ID });
    return true;
  });
  if (!seeded) return { seeded: false };
  return {
    seeded: true,
    counts: {
      partners: DEMO_PARTNERS.length,
      users: DEMO_USERS.length,
      journeys: data.journeys.length,
      contacts: data.contacts.length,
      sends: data.sends.length,
      recipients: data.recipients.length,
      events: data.events.length,
    },
  };
}

/** Every row of the demo brand, computed in memory (no database access). */
export function buildDemoData(now: Date) {
  const rng = new Prng(SEED);
  const nowMs = now.getTime();

  const journeyRows = DEMO_JOURNEYS.map((j, index) => ({
    id: j.id,
    brandId: DEMO_BRAND_ID,
    kind: j.kind,
    status: j.status,
    name: j.name,
    summary: j.summary,
    category: j.category,
    channel: 'email',
    locale: j.locale,
    tags: j.tags,
    tiers: j.tiers,
    regions: j.regions,
    searchText: searchText(j.name, j.summary, j.tags),
    steps: j.steps,
    mergeFields: j.mergeFields,
    approvalRule: j.approvalRule,
    thumbnailUrl: thumbnailFor(j),
    // Distinct, stable creation times: whole days back plus a per-journey offset in minutes.
    createdAt: new Date(nowMs - j.createdDaysAgo * DAY - (index * 37 + 9 * 60) * MINUTE),
  }));
  const createdAtOf = new Map(journeyRows.map((j) => [j.id, j.createdAt.getTime()]));

  const contactRows: ContactInsert[] = [];
  const byPartner = new Map<string, ContactInsert[]>();
  for (const partner of DEMO_PARTNERS) {
    const list = makeContacts(rng, partner, nowMs);
    byPartner.set(partner.id, list);
    contactRows.push(...list);
  }

  const history = simulateHistory(rng, nowMs, byPartner, createdAtOf);
  // Contacts end in the state their history left them in.
  for (const c of contactRows) c.status = history.status.get(c.id) ?? c.status;

  return { journeys: journeyRows, contacts: contactRows, ...history };
}

// ---- contacts -------------------------------------------------------------------------------------

const ASCII: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  ş: 's',
  ı: 'i',
  ğ: 'g',
  ç: 'c',
  é: 'e',
};
const asciiLocal = (s: string) =>
  s
    .toLowerCase()
    .replace(/[äöüßşığçé]/g, (ch) => ASCII[ch] ?? '')
    .replace(/[^a-z0-9.]/g, '');

function makeContacts(rng: Prng, partner: DemoPartner, nowMs: number): ContactInsert[] {
  const emails = new Set<string>();
  const drafts: Array<Omit<ContactInsert, 'id'>> = [];
  for (let i = 0; i < partner.contacts; i++) {
    const chinese = rng.chance(partner.chineseShare);
    let first: string;
    let last: string;
    let firstAscii: string;
    let lastAscii: string;
    if (chinese) {
      const [fam, famPy] = rng.pick(CHINESE_FAMILY);
      const [giv, givPy] = rng.pick(CHINESE_GIVEN);
      [first, last, firstAscii, lastAscii] = [giv, fam, givPy, famPy];
    } else {
      first = rng.pick(WESTERN_FIRST);
      last = rng.pick(WESTERN_LAST);
      [firstAscii, lastAscii] = [asciiLocal(first), asciiLocal(last)];
    }
    const pattern = rng.int(0, 4);
    const base =
      pattern === 0
        ? `${firstAscii}.${lastAscii}`
        : pattern === 1
          ? `${firstAscii[0]}.${lastAscii}`
          : pattern === 2
            ? `${firstAscii}${lastAscii}${rng.int(1, 99)}`
            : pattern === 3
              ? `${lastAscii}.${firstAscii}`
              : `${firstAscii}.${lastAscii[0]}${rng.int(60, 99)}`;
    const domain =
      chinese && partner.domains.includes('example.cn') ? 'example.cn' : rng.pick(partner.domains);
    let email = `${base}@${domain}`;
    for (let n = 2; emails.has(email); n++) email = `${base}${n}@${domain}`;
    emails.add(email);

    // Incomplete records, as imported from old spreadsheets and business cards.
    const gap = rng.next();
    const firstName = gap < 0.02 || (gap >= 0.02 && gap < 0.07) ? null : first;
    const lastName = gap < 0.02 || (gap >= 0.07 && gap < 0.11) ? null : last;
    const business = rng.chance(0.2);
    const company = business ? rng.pick(partner.companies) : null;
    const locale = chinese ? 'zh-CN' : rng.chance(0.88) ? 'en' : null;
    const consent = rng.weighted([
      ['opted_in', 68],
      ['unknown', 24],
      ['opted_out', 8],
    ] as const);
    const status = rng.weighted<ContactStatus>([
      ['active', 93.5],
      ['unsubscribed', 3.5],
      ['bounced', 2.2],
      ['complained', 0.8],
    ]);
    const tags = rng.sample(
      CONTACT_TAGS,
      rng.weighted([
        [0, 3],
        [1, 4],
        [2, 2],
        [3, 1],
      ] as const),
    );
    if (business && !tags.includes('fleet') && rng.chance(0.6)) tags.push('fleet');
    // Mostly older customers, some added in the last weeks.
    const ageDays = rng.chance(0.08) ? rng.next() * 14 : 14 + Math.pow(rng.next(), 1.4) * 700;
    const createdAt = new Date(nowMs - Math.round(ageDays * DAY) - rng.int(0, 3600) * 1000);
    drafts.push({
      brandId: DEMO_BRAND_ID,
      partnerId: partner.id,
      email,
      firstName,
      lastName,
      company,
      locale,
      consent,
      status,
      tags,
      searchText: searchText(firstName, lastName, email, company),
      createdAt,
    });
  }
  drafts.sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
  return drafts.map((d, i) => ({ id: `c_${partner.code}_${String(i + 1).padStart(4, '0')}`, ...d }));
}

// ---- sends and engagement -------------------------------------------------------------------------

const PARTNER_EDITS: Record<'en' | 'zh-CN', string[]> = {
  en: [
    '<p>It was great to see you at {{ partner.name }} last week. <strong>Call me directly</strong> if you have any questions.</p>',
    '<p>We have extended our Saturday opening hours until 16:00, so it is easier to drop by.</p>',
    '<p>Our workshop team is looking forward to seeing you again.</p>',
  ],
  'zh-CN': [
    '<p>感谢您上周光临{{ partner.name }}，如有任何问题请直接联系我。</p>',
    '<p>我们周六营业时间延长至下午四点，欢迎随时到店。</p>',
  ],
};

const visibleTo = (j: DemoJourney, p: DemoPartner) =>
  j.status === 'published' &&
  (j.tiers.length === 0 || j.tiers.includes(p.tier)) &&
  (j.regions.length === 0 || j.regions.includes(p.region));

function simulateHistory(
  rng: Prng,
  nowMs: number,
  byPartner: Map<string, ContactInsert[]>,
  createdAtOf: Map<string, number>,
) {
  const status = new Map<string, ContactStatus>();
  // Addresses that no longer exist: the first mail to them bounces and they are suppressed from then on.
  const deadAddress = new Set<string>();
  for (const list of byPartner.values()) {
    for (const c of list) {
      status.set(c.id!, c.status as ContactStatus);
      if (rng.chance(c.consent === 'unknown' ? 0.05 : 0.02)) deadAddress.add(c.id!);
    }
  }

  // Plan every send first, then play them in time order so unsubscribes and bounces carry forward.
  const start = nowMs - DEMO_HISTORY_DAYS * DAY;
  const plans: Array<{ at: number; partner: DemoPartner }> = [];
  for (const partner of DEMO_PARTNERS) {
    for (let d = DEMO_HISTORY_DAYS; d >= 0; d--) {
      const day = new Date(nowMs - d * DAY);
      day.setUTCHours(0, 0, 0, 0);
      const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
      const n = Math.floor(partner.activity * (weekend ? 0.35 : 1.2) + rng.next());
      for (let k = 0; k < n; k++) {
        // Working hours, local to the partner (Shanghai is UTC+8, Germany about UTC+1).
        const localHour = rng.int(8, 18);
        const utcHour = partner.region === 'shanghai' ? localHour - 8 : localHour - 1;
        const at = day.getTime() + utcHour * HOUR + rng.int(0, 59) * MINUTE + rng.int(0, 59) * 1000;
        if (at >= start && at <= nowMs - HOUR) plans.push({ at, partner });
      }
    }
  }
  plans.sort((a, b) => a.at - b.at || a.partner.id.localeCompare(b.partner.id));

  const sendRows: SendInsert[] = [];
  const recipientRows: RecipientInsert[] = [];
  const eventRows: EventInsert[] = [];
  const senders = new Map(
    DEMO_PARTNERS.map((p) => [p.id, DEMO_USERS.filter((u) => u.partnerId === p.id && u.role === 'partner')]),
  );

  for (const plan of plans) {
    const { partner, at } = plan;
    const choices = DEMO_JOURNEYS.filter(
      (j) => j.popularity > 0 && visibleTo(j, partner) && (createdAtOf.get(j.id) ?? Infinity) < at - DAY,
    ).map((j) => {
      const shanghai = partner.region === 'shanghai';
      const fit = j.locale === 'zh-CN' ? (shanghai ? 3 : 0.1) : shanghai ? 0.3 : 1;
      return [j, j.popularity * fit] as const;
    });
    if (choices.length === 0) continue;
    const journey = rng.weighted(choices);
    const eligible = (byPartner.get(partner.id) ?? []).filter(
      (c) =>
        c.createdAt!.getTime() < at &&
        status.get(c.id) === 'active' &&
        c.consent !== 'opted_out' &&
        (journey.locale === 'zh-CN' ? c.locale === 'zh-CN' : c.locale !== 'zh-CN'),
    );
    const size = Math.min(eligible.length, rng.int(journey.audience[0], journey.audience[1]));
    if (size === 0) continue;
    const recipients = rng.sample(eligible, size);

    const sendId = `s_demo_${String(sendRows.length + 1).padStart(4, '0')}`;
    const personalization: Personalization = {};
    const firstEditable = journey.steps[0]?.blocks.find(
      (b) => !b.locked && b.kind === 'text' && b.id !== 'greeting',
    );
    if (firstEditable && rng.chance(0.35))
      personalization[firstEditable.id] = rng.pick(PARTNER_EDITS[journey.locale]);
    sendRows.push({
      id: sendId,
      brandId: DEMO_BRAND_ID,
      partnerId: partner.id,
      journeyId: journey.id,
      createdBy: rng.pick(senders.get(partner.id) ?? [])!.id,
      kind: journey.kind === 'journey' ? 'journey' : 'quick',
      status: 'sent',
      personalization,
      overrides: {},
      recipientCount: recipients.length,
      createdAt: new Date(at),
    });

    const engagement = partner.tier === 'gold' ? 1.1 : partner.tier === 'bronze' ? 0.88 : 1;
    for (const contact of recipients) {
      const outcome = playRecipient(
        rng,
        nowMs,
        at,
        journey,
        contact,
        engagement,
        sendId,
        partner,
        status,
        deadAddress,
      );
      eventRows.push(...outcome.events);
      recipientRows.push({
        sendId,
        contactId: contact.id!,
        email: contact.email,
        status: outcome.status,
        updatedAt: new Date(outcome.lastAt),
      });
    }
  }
  eventRows.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { sends: sendRows, recipients: recipientRows, events: eventRows, status };
}

function playRecipient(
  rng: Prng,
  nowMs: number,
  sentAt: number,
  journey: DemoJourney,
  contact: ContactInsert,
  engagement: number,
  sendId: string,
  partner: DemoPartner,
  status: Map<string, ContactStatus>,
  deadAddress: Set<string>,
) {
  const out: EventInsert[] = [];
  let recipientStatus: 'delivered' | 'bounced' | 'left_journey' | 'queued' = 'queued';
  let lastAt = sentAt;
  let currentStep = '';
  /** Records an event unless it lies after `now`; true when recorded. */
  const emit = (
    type: EventInsert['type'],
    at: number,
    machine = false,
    meta: Record<string, unknown> | null = null,
  ) => {
    if (at > nowMs) return false;
    lastAt = Math.max(lastAt, at);
    out.push({
      brandId: DEMO_BRAND_ID,
      partnerId: partner.id,
      journeyId: journey.id,
      sendId,
      stepId: currentStep,
      contactId: contact.id!,
      type,
      machine,
      at: new Date(at),
      meta,
    });
    return true;
  };
  const openP = Math.min(0.95, journey.openRate * engagement);
  const clickGivenOpen = Math.min(0.9, journey.clickRate / journey.openRate);

  for (const [index, step] of journey.steps.entries()) {
    currentStep = step.id;
    const t = sentAt + step.delayDays * DAY + (index === 0 ? rng.int(5, 600) : rng.int(0, 3600)) * 1000;
    if (t > nowMs) break; // later steps still to come
    if (status.get(contact.id!) !== 'active') {
      recipientStatus = 'left_journey';
      break;
    }
    emit('sent', t);
    if (
      deadAddress.has(contact.id!) &&
      emit('bounce', t + rng.int(20, 300) * 1000, false, { reason: '550 5.1.1 mailbox unavailable' })
    ) {
      status.set(contact.id!, 'bounced');
      recipientStatus = 'bounced';
      break;
    }
    emit('delivered', t + rng.int(2, 90) * 1000);
    recipientStatus = 'delivered';
    // Apple Mail Privacy Protection fetches the pixel without a person reading.
    if (rng.chance(0.17)) emit('open', t + rng.int(60, 900) * 1000, true, { agent: 'apple-mpp' });
    // Corporate link scanners follow links within seconds.
    if (rng.chance(0.02))
      emit('click', t + rng.int(5, 60) * 1000, true, {
        url: 'https://aurora-motors.example/',
        agent: 'scanner',
      });
    if (rng.chance(openP)) {
      const openAt = t + Math.min(rng.exp(5 * HOUR), 4 * DAY) + 30_000;
      emit('open', openAt);
      if (rng.chance(0.3)) emit('open', openAt + rng.int(1, 48) * HOUR);
      if (rng.chance(clickGivenOpen)) {
        const cta = step.blocks.find((b) => b.kind === 'button');
        const url = /href="([^"]+)"/.exec(cta?.content ?? '')?.[1] ?? 'https://aurora-motors.example/';
        emit('click', openAt + rng.int(20, 1800) * 1000, false, { url });
      }
      if (rng.chance(0.007) && emit('unsubscribe', openAt + rng.int(60, 900) * 1000)) {
        status.set(contact.id!, 'unsubscribed');
        if (index < journey.steps.length - 1) recipientStatus = 'left_journey';
        break;
      }
      if (rng.chance(0.0015) && emit('complaint', openAt + rng.int(60, 900) * 1000)) {
        status.set(contact.id!, 'complained');
        break;
      }
    }
  }
  return { events: out, status: recipientStatus, lastAt };
}
