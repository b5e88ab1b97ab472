/**
 * Fixtures for the sending suites: a brand, two partners, users, journeys with precise rules, and
 * helpers to create contacts, call the app with a movable clock, and run an outbox worker against an
 * SMTP sink. Databases come from the shared harness (PGlite in memory, and PostgreSQL via
 * DM_TEST_PG_URL or a throwaway cluster; missing PostgreSQL fails under CI and is skipped otherwise).
 */
import { after, before, describe } from 'node:test';
import type { Block, Journey, Step } from '../../../src/contract/index.js';
import { createApp } from '../../../server/app.js';
import { signToken } from '../../../server/auth.js';
import type { OpenedDb } from '../../../server/db/open.js';
import { brands, contacts, journeys, partners, users } from '../../../server/db/schema.js';
import type { Db } from '../../../server/db/types.js';
import { createSmtpMailer } from '../../../server/mail/transports.js';
import { OutboxWorker, type WorkerOptions } from '../../../server/mail/worker.js';
import { postgresInstalled } from '../support/postgres.js';
import { openTestDatabase, type DbKind } from '../support/db.js';
import { requestApp } from '../support/request.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

export const SECRET = 'sending-test-secret-0123456789-abcdef';
export const PUBLIC_URL = 'https://dm.example.test';
export const BRAND = 'brand_t';

export const USERS = {
  north: { id: 'u_north', partnerId: 'p_north', role: 'partner' as const },
  north2: { id: 'u_north2', partnerId: 'p_north', role: 'partner' as const },
  south: { id: 'u_south', partnerId: 'p_south', role: 'partner' as const },
  admin: { id: 'u_admin_t', partnerId: null, role: 'brand_admin' as const },
};
export type UserKey = keyof typeof USERS;

const block = (b: Partial<Block> & Pick<Block, 'id' | 'kind' | 'locked' | 'content'>): Block => ({
  label: b.id,
  ...b,
});

export const MAIN_STEP: Step = {
  id: 's_main',
  name: 'Main',
  delayDays: 0,
  subject: 'Hello {{ contact.first_name }}, news from {{ partner.name }}',
  preheader: 'For {{ contact.company }}',
  blocks: [
    block({
      id: 'logo',
      kind: 'header',
      locked: true,
      content: '<img src="https://cdn.aurora-motors.example/logo.png" alt="Aurora">',
    }),
    block({
      id: 'intro',
      kind: 'text',
      label: 'Intro',
      locked: false,
      content:
        '<p>Dear {{ contact.first_name }}, <a href="https://aurora-motors.example/new">see the new model</a>.</p>',
      rules: {
        required: false,
        maxLength: 200,
        format: 'basic',
        restrictedWords: ['free', 'guarantee'],
        restrictedPatterns: ['\\d{2,}\\s*%'],
        allowedImageDomains: ['cdn.aurora-motors.example'],
        allowedLinkSchemes: ['https', 'mailto'],
      },
    }),
    block({
      id: 'note',
      kind: 'text',
      label: 'Personal note',
      locked: false,
      content: '',
      rules: {
        required: true,
        format: 'plain',
        restrictedWords: [],
        restrictedPatterns: [],
        allowedImageDomains: [],
        allowedLinkSchemes: ['https', 'mailto'],
      },
    }),
    block({
      id: 'offer',
      kind: 'button',
      locked: true,
      content: '<p><a href="https://aurora-motors.example/offer?src=mail&amp;x=1">Book a test drive</a></p>',
    }),
    block({
      id: 'legal',
      kind: 'legal',
      locked: true,
      content: '<p>Offer terms apply. {{ brand.name }}</p>',
    }),
  ],
};

const stepN = (id: string, delayDays: number): Step => ({
  id,
  name: id,
  delayDays,
  subject: `Step ${id} for {{ contact.first_name }}`,
  preheader: '',
  blocks: [
    block({
      id: `${id}_body`,
      kind: 'text',
      locked: true,
      content: `<p>Step ${id}. <a href="https://aurora-motors.example/${id}">More</a></p>`,
    }),
  ],
});

type JourneyFixture = Pick<Journey, 'id' | 'kind' | 'name' | 'steps' | 'approvalRule'>;

export const JOURNEYS: Record<string, JourneyFixture> = {
  quick: {
    id: 'j_quick',
    kind: 'template',
    name: 'Thank you',
    steps: [MAIN_STEP],
    approvalRule: { mode: 'never', approver: 'partner_manager' },
  },
  journey: {
    id: 'j_journey',
    kind: 'journey',
    name: 'Onboarding',
    steps: [stepN('s1', 0), stepN('s2', 3), stepN('s3', 7)],
    approvalRule: { mode: 'never', approver: 'partner_manager' },
  },
  always: {
    id: 'j_always',
    kind: 'template',
    name: 'Needs approval',
    steps: [MAIN_STEP],
    approvalRule: { mode: 'always', approver: 'partner_manager' },
  },
  edited: {
    id: 'j_edited',
    kind: 'template',
    name: 'Approval when edited',
    steps: [MAIN_STEP],
    approvalRule: { mode: 'edited', approver: 'partner_manager' },
  },
};

export async function seedFixtures(db: Db) {
  await db.insert(brands).values({
    id: BRAND,
    name: 'Aurora Motors',
    domain: 'aurora-motors.example',
    postalAddress: 'Aurora Motors GmbH, Am Hafen 1, 20457 Hamburg',
  });
  await db.insert(partners).values([
    {
      id: 'p_north',
      brandId: BRAND,
      name: 'Nordlicht Autohaus',
      tier: 'gold',
      region: 'north',
      replyTo: 'sales@nordlicht.example',
      postalAddress: 'Nordlicht Autohaus, Ring 5, Kiel',
      signature: 'Jana Weber',
    },
    {
      id: 'p_south',
      brandId: BRAND,
      name: 'Südstern Motors',
      tier: 'silver',
      region: 'south',
      replyTo: 'hello@suedstern.example',
      postalAddress: 'Südstern Motors, Allee 9, München',
      signature: 'Tom Berger',
    },
  ]);
  await db.insert(users).values(
    Object.values(USERS).map((u) => ({
      id: u.id,
      brandId: BRAND,
      partnerId: u.partnerId,
      name: u.id === 'u_north' ? 'Jana Weber' : u.id,
      email: `${u.id}@example.test`,
      role: u.role,
    })),
  );
  await db.insert(journeys).values(
    Object.values(JOURNEYS).map((j) => ({
      id: j.id,
      brandId: BRAND,
      kind: j.kind,
      status: 'published' as const,
      name: j.name,
      summary: j.name,
      category: 'thank_you',
      locale: 'en',
      searchText: j.name.toLowerCase(),
      steps: j.steps,
      mergeFields: [
        { key: 'contact.first_name', label: 'First name', fallback: 'there' },
        { key: 'contact.company', label: 'Company', fallback: 'your business' },
      ],
      approvalRule: j.approvalRule,
    })),
  );
}

let contactSeq = 0;

export interface ContactInput {
  partnerId?: string;
  email?: string;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  consent?: 'opted_in' | 'unknown' | 'opted_out';
  status?: 'active' | 'unsubscribed' | 'bounced';
}

/** Inserts contacts (default: partner north, opted in, active) and returns their ids. */
export async function addContacts(db: Db, count: number, input: ContactInput = {}): Promise<string[]> {
  const rows = Array.from({ length: count }, () => {
    const n = ++contactSeq;
    const id = `c_${n}_${Math.random().toString(36).slice(2, 8)}`;
    return {
      id,
      brandId: BRAND,
      partnerId: input.partnerId ?? 'p_north',
      email: count === 1 && input.email ? input.email : `${id}@mail.example`,
      firstName: input.firstName === undefined ? `First${n}` : input.firstName,
      lastName: input.lastName === undefined ? `Last${n}` : input.lastName,
      company: input.company === undefined ? `Company ${n}` : input.company,
      consent: input.consent ?? ('opted_in' as const),
      status: input.status ?? ('active' as const),
      searchText: id,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(contacts).values(rows.slice(i, i + 1000));
  return rows.map((r) => r.id);
}

export interface SendingContext {
  kind: DbKind;
  db: Db;
  /** The app's clock; move it with `advance()`. */
  now(): Date;
  advance(ms: number): void;
  app: ReturnType<typeof createApp>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read error bodies loosely
  call<T = any>(
    method: string,
    path: string,
    o?: { as?: UserKey; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; headers: Headers; text: string }>;
  sink: SmtpSink;
  /** A worker delivering to the sink over pooled SMTP (stopped and closed after the suite). */
  worker(options?: Partial<WorkerOptions>): OutboxWorker;
  /** Idempotency-Key header. */
  key(): Record<string, string>;
}

export function forEachDb(name: string, suite: (ctx: () => SendingContext, kind: DbKind) => void) {
  const only = process.env.DM_TEST_DB as DbKind | undefined;
  for (const kind of ['pglite', 'postgres'] as const) {
    if (only && only !== kind) continue;
    let skip: string | undefined;
    let fail: string | undefined;
    if (kind === 'postgres' && !process.env.DM_TEST_PG_URL && !postgresInstalled()) {
      const why = 'PostgreSQL is not installed and DM_TEST_PG_URL is not set';
      if (process.env.CI) fail = `${why} (CI is set, so the PostgreSQL suite must run)`;
      else skip = `${why}: PostgreSQL suite skipped`;
      if (skip) console.log(`# ${name} [postgres]: ${skip}`);
    }
    describe(`${name} [${kind}]`, { skip }, () => {
      let ctx: SendingContext | undefined;
      let opened: OpenedDb | undefined;
      const workers: OutboxWorker[] = [];
      const mailers: { close?(): Promise<void> }[] = [];
      before(
        async () => {
          if (fail) throw new Error(fail);
          opened = await openTestDatabase(kind);
          const db = opened.db;
          await seedFixtures(db);
          let clock = Date.now();
          const now = () => new Date(clock);
          const app = createApp({ db, secret: SECRET, publicUrl: PUBLIC_URL, clock: now });
          const sink = await startSmtpSink();
          let keys = 0;
          ctx = {
            kind,
            db,
            now,
            advance: (ms) => {
              clock += ms;
            },
            app,
            sink,
            key: () => ({ 'idempotency-key': `k-${Date.now()}-${++keys}-${Math.random()}` }),
            async call(method, path, o = {}) {
              const headers: Record<string, string> = { ...o.headers };
              if (o.as) {
                const u = USERS[o.as];
                // Minted per call at the app's clock, which tests move forward by days.
                const token = await signToken(
                  SECRET,
                  { sub: u.id, brand: BRAND, partner: u.partnerId, role: u.role },
                  3600,
                  now(),
                );
                headers.authorization = `Bearer ${token}`;
              }
              return requestApp(app, db, method, path, { headers, body: o.body });
            },
            worker(options = {}) {
              const mailer =
                options.mailer ?? createSmtpMailer(sink.url, { maxConnections: 3, timeoutMs: 10_000 });
              if (!options.mailer) mailers.push(mailer);
              const w = new OutboxWorker({
                db,
                mailer,
                secret: SECRET,
                publicUrl: PUBLIC_URL,
                clock: now,
                backoffMs: 1000,
                leaseMs: 30_000,
                ...options,
              });
              workers.push(w);
              return w;
            },
          };
        },
        { timeout: 180_000 },
      );
      after(async () => {
        for (const w of workers) await w.stop().catch(() => undefined);
        for (const m of mailers) await m.close?.();
        await ctx?.sink.close();
        await opened?.close();
      });
      suite(() => {
        if (!ctx) throw new Error('the database did not open; see the before() hook failure');
        return ctx;
      }, kind);
    });
  }
}

/** A valid quick-send body for the main template. */
export const quickBody = (contactIds: string[], extra: Record<string, unknown> = {}) => ({
  journeyId: 'j_quick',
  contactIds,
  personalization: { note: 'Thanks for visiting us last week!' },
  ...extra,
});
