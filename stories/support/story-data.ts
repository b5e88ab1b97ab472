/**
 * Data the stories need beyond the demo seed, made the way the product makes it: held sends created
 * through `POST /v1/sends` (the approval opens in the database), decisions through the approvals API,
 * engagement events through the server's event writer (which also feeds `/v1/live`). Each fixture is
 * built once per page, on first use (as a story loader).
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { contacts, events, sends } from '../../server/db/schema.js';
import { recordEvents } from '../../server/domain/engagement-writer.js';
import { generateLarge } from '../../server/seed/large.js';
import type { Personalization } from '../../src/contract/index.js';
import { createClient, type DmClient } from '../../src/sdk/index.js';
import {
  NEWCOMER,
  STORY_BASE_URL,
  storyServer,
  toRequest,
  tokenFor,
  type FetchWrapper,
} from './story-server.js';

/** What kind of contact a story needs. */
export type ContactKind = 'mailable' | 'unsubscribed' | 'unnamed';

const kindOf = (c: { status: string; consent: string; firstName: string | null }): ContactKind | null => {
  if (c.status === 'unsubscribed') return 'unsubscribed';
  if (c.status !== 'active' || c.consent !== 'opted_in') return null;
  return c.firstName ? 'mailable' : 'unnamed';
};

/**
 * Ids of `partnerId`'s contacts, one per entry of `kinds`: the n-th `mailable` entry is the partner's
 * n-th mailable contact (by id), and so on. Fails when the partner has too few of a kind.
 */
export async function contactsOf(partnerId: string, kinds: readonly ContactKind[]): Promise<string[]> {
  const { db } = await storyServer();
  const rows = await db
    .select({
      id: contacts.id,
      status: contacts.status,
      consent: contacts.consent,
      firstName: contacts.firstName,
    })
    .from(contacts)
    .where(eq(contacts.partnerId, partnerId))
    .orderBy(asc(contacts.id));
  const seen = new Map<ContactKind, number>();
  return kinds.map((kind) => {
    const n = seen.get(kind) ?? 0;
    seen.set(kind, n + 1);
    const found = rows.filter((c) => kindOf(c) === kind)[n];
    if (!found) throw new Error(`${partnerId} has no ${n + 1}th ${kind} contact`);
    return found.id;
  });
}

/** A story loader: `loaded.contactIds`, contacts of Nordlicht Autohaus (the partner of `u_jana`). */
export const recipients =
  (...kinds: ContactKind[]) =>
  async (): Promise<{ contactIds: string }> => ({
    contactIds: (await contactsOf('partner_north', kinds)).join(','),
  });

/**
 * A story loader: `loaded.journeyId`, a journey Nordlicht sent in the last 30 days that fewer than 5
 * partners sent (so the network benchmark for it is withheld).
 */
export async function fewPartnersJourney(): Promise<{ journeyId: string }> {
  const { db } = await storyServer();
  const [row] = await db
    .select({ journeyId: events.journeyId })
    .from(events)
    .where(sql`${events.at} >= now() - interval '30 days'`)
    .groupBy(events.journeyId)
    .having(sql`count(distinct ${events.partnerId}) < 5 and bool_or(${events.partnerId} = 'partner_north')`)
    .orderBy(sql`count(*) desc`)
    .limit(1);
  if (!row) throw new Error('every journey Nordlicht sent lately was sent by 5 partners or more');
  return { journeyId: row.journeyId };
}

/** Marks a contact as having complained (as a feedback loop report would), so sending to it is refused. */
export async function complain(contactId: string): Promise<void> {
  const { db } = await storyServer();
  await db.update(contacts).set({ status: 'complained' }).where(eq(contacts.id, contactId));
}

/** An SDK client for `userId` on the page's server, its clock at `now` (default: the real time). */
async function clientAt(userId: string, now?: Date): Promise<DmClient> {
  const server = await storyServer();
  const fetch = now ? server.fetchAt(now) : server.fetch;
  const token = await tokenFor(userId);
  return createClient({
    baseUrl: STORY_BASE_URL,
    token,
    fetch: (input, init) => fetch(toRequest(input, init)),
    retry: { limit: 0 },
  });
}

const HOUR = 3_600_000;

/** Who submits the held sends: dealers of four partners (Nordlicht twice as often). */
const SENDERS = [
  { user: 'u_jana', partner: 'partner_north' },
  { user: 'u_tom', partner: 'partner_south' },
  { user: 'u_felix', partner: 'partner_east' },
  { user: 'u_li', partner: 'partner_shanghai' },
];

/** A partner's edit of the e-Volt launch's introduction, so the approver has a redline to read. */
const EDITED_INTRO: Personalization = {
  intro:
    'Thank you for visiting us last week. We hope you loved the test drive in the new e-Volt, and the coffee.',
};

let held: Promise<void> | undefined;

/**
 * Two dozen sends waiting for brand compliance, submitted over the last three days (so some are late
 * and some overdue), a third of them with the partner's own introduction; and three of `u_jana`'s own
 * submissions: one waiting, one approved, one rejected with a reason. Use it as a story's loader.
 */
export function heldSends(): Promise<void> {
  return (held ??= (async () => {
    const now = Date.now();
    for (let n = 0; n < 24; n++) {
      const sender = SENDERS[n % SENDERS.length]!;
      const at = new Date(now - (72 * (1 - n / 24) + 0.2) * HOUR);
      const client = await clientAt(sender.user, at);
      await client.sends.create({
        journeyId: 'j_ev_launch_promotion',
        contactIds: await contactsOf(sender.partner, Array(2 + (n % 4)).fill('mailable')),
        personalization: n % 3 === 0 ? EDITED_INTRO : {},
      });
    }
    const jana = await clientAt('u_jana', new Date(now - 5 * HOUR));
    const compliance = await clientAt(NEWCOMER.compliance);
    const [a, b] = await contactsOf('partner_north', ['mailable', 'mailable']);
    const edited: Personalization = {
      message: 'As one of our longest-standing customers, you get first pick.',
    };
    const submitted = [];
    for (const personalization of [edited, {}, edited]) {
      submitted.push(
        await jana.sends.create({
          journeyId: 'j_loyalty_upgrade_offer',
          contactIds: [a!, b!],
          personalization,
        }),
      );
    }
    const { items } = await compliance.approvals.list({ view: 'queue', limit: 100 });
    const approvalOf = (sendId: string) => items.find((item) => item.send.id === sendId)!;
    const [approve, reject] = [approvalOf(submitted[1]!.id), approvalOf(submitted[2]!.id)];
    await compliance.approvals.decide(approve.id, { decision: 'approve' }, { version: approve.version });
    await compliance.approvals.decide(
      reject.id,
      { decision: 'reject', reason: 'The loyalty bonus must stay as the brand wrote it.' },
      { version: reject.version },
    );
  })());
}

/**
 * For `POST /v1/approvals/{id}/decision`: another compliance approver approves the same item just
 * before the request reaches the server, which then answers 409 with who won.
 */
export const colleagueDecidesFirst = (): FetchWrapper => (next) => async (input, init) => {
  const request = toRequest(input, init);
  const id = decodeURIComponent(new URL(request.url).pathname.split('/')[3]!);
  const colleague = await clientAt(NEWCOMER.compliance);
  const { version } = await colleague.approvals.get(id);
  await colleague.approvals.decide(id, { decision: 'approve' }, { version });
  return next(request);
};

/** `u_manager`, the partner manager of Nordlicht Autohaus, who reviews its edited sends. */
export const BACKLOG_APPROVER = 'u_manager';

let backlog: Promise<void> | undefined;

/**
 * 10,000 held sends for Nordlicht's partner manager: one real edited send through the API, then
 * copies of it (and its recipients) inserted in SQL, a minute apart; the database opens each copy's
 * approval as it does for any held send. Use it as a story's loader.
 */
export function approvalBacklog(): Promise<void> {
  return (backlog ??= (async () => {
    const jana = await clientAt('u_jana');
    const template = await jana.sends.create({
      journeyId: 'j_test_drive_follow_up',
      contactIds: await contactsOf('partner_north', ['mailable', 'mailable', 'mailable']),
      personalization: { message: 'Thank you for the test drive on Saturday. Call me any time.' },
    });
    if (template.status !== 'pending_approval') throw new Error(`the edited send is ${template.status}`);
    const { db } = await storyServer();
    await db.execute(sql`
      insert into sends (id, brand_id, partner_id, journey_id, created_by, kind, status, personalization,
        overrides, recipient_count, scheduled_at, created_at, step_id, snapshot)
      select ${template.id} || '_' || i, brand_id, partner_id, journey_id, created_by, kind, status,
        personalization, overrides, recipient_count, scheduled_at, created_at - i * interval '1 minute',
        step_id, snapshot
      from ${sends}, generate_series(1, 9999) as i where id = ${template.id}`);
    await db.execute(sql`
      insert into send_recipients (send_id, contact_id, email, status, updated_at)
      select send_id || '_' || i, contact_id, email, status, updated_at
      from send_recipients, generate_series(1, 9999) as i where send_id = ${template.id}`);
  })());
}

/**
 * While `GET /v1/live` is open, records an open every `everyMs` for one of Nordlicht's recent
 * recipients who had not opened yet (through the server's event writer, which publishes it live).
 */
export const liveOpens =
  (everyMs: number): FetchWrapper =>
  (next) =>
  async (input, init) => {
    const request = toRequest(input, init);
    const response = await next(request);
    if (!new URL(request.url).pathname.endsWith('/v1/live') || !response.ok) return response;
    const { db } = await storyServer();
    const delivered = await db
      .select()
      .from(events)
      .where(
        and(
          eq(events.partnerId, 'partner_north'),
          eq(events.type, 'delivered'),
          sql`not exists (select 1 from events o where o.send_id = ${events.sendId}
            and o.contact_id = ${events.contactId} and o.type = 'open')`,
        ),
      )
      .orderBy(desc(events.at))
      .limit(200);
    let n = 0;
    const timer = setInterval(() => {
      const source = delivered[n++ % delivered.length];
      if (!source) return;
      const { id: _id, ...event } = source;
      void recordEvents(db, [{ ...event, type: 'open', machine: false, at: new Date(), meta: null }]);
    }, everyMs);
    request.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    return response;
  };

/** Users of the benchmark brand that {@link largeCatalogue} generates. */
export const LARGE = {
  /** A partner user of one of its partners. */
  partner: 'bu_0001',
} as const;

let large: Promise<void> | undefined;

/**
 * Adds the benchmark brand with 10,000 journeys (the server's own generator, no contacts or events),
 * once per page. Use it as a story's loader.
 */
export function largeCatalogue(): Promise<void> {
  return (large ??= (async () => {
    const { db } = await storyServer();
    await generateLarge(db, { journeys: 10_000, contacts: 0, events: 0, partners: 1, kind: 'pglite' });
  })());
}
