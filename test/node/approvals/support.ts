/**
 * Fixtures for the approval suites, on top of the demo brand from the shared harness (PGlite and
 * PostgreSQL): journeys with one precise approval rule each, contacts for two partners, a movable
 * clock, tokens minted at that clock, and an outbox worker delivering to an in-process SMTP sink.
 *
 * Demo users involved: u_jana and u_lukas (partner users, Nordlicht = partner_north), u_tom (partner
 * user, Südstern = partner_south, which has no partner manager), u_manager (approver for partner_north),
 * u_compliance (brand compliance approver), u_admin (brand admin).
 */
import { eq } from 'drizzle-orm';
import type { ApprovalRule, Block, Step } from '../../../src/contract/index.js';
import { createApp } from '../../../server/app.js';
import { signToken } from '../../../server/auth.js';
import { contacts, journeys, users } from '../../../server/db/schema.js';
import type { Db } from '../../../server/db/types.js';
import { createSmtpMailer } from '../../../server/mail/transports.js';
import { OutboxWorker } from '../../../server/mail/worker.js';
import { DEMO_USERS } from '../../../server/seed/demo.js';
import { startSmtpSink, type SmtpSink } from '../sending/smtp-sink.js';
import { TEST_SECRET, type TestContext } from '../support/db.js';
import { requestApp } from '../support/request.js';

export const BRAND = 'brand_aurora';
export const PUBLIC_URL = 'https://dm.example.test';
export const INTRO_DEFAULT = 'Thank you for visiting us. We hope you enjoyed the test drive.';

const block = (b: Partial<Block> & Pick<Block, 'id' | 'kind' | 'locked' | 'content'>): Block => ({
  label: b.id,
  ...b,
});

export const STEP: Step = {
  id: 'st_main',
  name: 'Main',
  delayDays: 0,
  subject: 'Hello {{ contact.first_name }} from {{ partner.name }}',
  preheader: '',
  blocks: [
    block({ id: 'b_logo', kind: 'header', locked: true, content: '<p>Aurora Motors</p>' }),
    block({
      id: 'b_intro',
      kind: 'text',
      label: 'Introduction',
      locked: false,
      content: INTRO_DEFAULT,
      rules: {
        required: false,
        maxLength: 500,
        format: 'plain',
        restrictedWords: ['free'],
        restrictedPatterns: [],
        allowedImageDomains: [],
        allowedLinkSchemes: ['https', 'mailto'],
      },
    }),
    block({
      id: 'b_note',
      kind: 'text',
      label: 'Personal note',
      locked: false,
      content: 'Kind regards',
    }),
    block({ id: 'b_legal', kind: 'legal', locked: true, content: '<p>Terms apply. {{ brand.name }}</p>' }),
  ],
};

/** One journey per rule; ids `j_ap_<name>`. */
export const RULES: Record<string, ApprovalRule> = {
  never: { mode: 'never', approver: 'partner_manager' },
  always: { mode: 'always', approver: 'partner_manager' },
  over: { mode: 'over_recipients', threshold: 3, approver: 'partner_manager' },
  edited: { mode: 'edited', approver: 'partner_manager' },
  warnings: { mode: 'warnings', approver: 'partner_manager' },
  brand: { mode: 'always', approver: 'brand_compliance' },
};
export const journeyId = (rule: keyof typeof RULES) => `j_ap_${rule}`;

let seq = 0;

/** Contacts of a partner (opted in, with names unless told otherwise); returns their ids. */
export async function addContacts(
  db: Db,
  partnerId: string,
  count: number,
  input: { consent?: 'opted_in' | 'unknown'; firstName?: string | null; email?: (i: number) => string } = {},
): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => {
    const n = ++seq;
    const id = `c_ap_${n}_${Math.random().toString(36).slice(2, 7)}`;
    return {
      id,
      brandId: BRAND,
      partnerId,
      email: input.email?.(i) ?? `${id}@mail.example`,
      firstName: input.firstName === undefined ? `Ann${n}` : input.firstName,
      lastName: `Lee${n}`,
      company: null,
      consent: input.consent ?? ('opted_in' as const),
      status: 'active' as const,
      searchText: id,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(contacts).values(rows.slice(i, i + 1000));
  return rows.map((r) => r.id);
}

export async function seedApprovalFixtures(db: Db) {
  const existing = await db
    .select({ id: journeys.id })
    .from(journeys)
    .where(eq(journeys.id, journeyId('never')));
  if (existing.length) return;
  await db.insert(journeys).values(
    Object.entries(RULES).map(([name, rule]) => ({
      id: journeyId(name),
      brandId: BRAND,
      kind: 'template' as const,
      status: 'published' as const,
      name: `Approval test ${name}`,
      summary: name,
      category: 'thank_you',
      locale: 'en',
      searchText: `approval test ${name}`,
      steps: [STEP],
      mergeFields: [{ key: 'contact.first_name', label: 'First name', fallback: 'there' }],
      approvalRule: rule,
    })),
  );
  // A partner user who is later made an approver of its own partner (self-approval).
  await db.insert(users).values({
    id: 'u_ap_self',
    brandId: BRAND,
    partnerId: 'partner_north',
    name: 'Sam Self',
    email: 'sam.self@nordlicht.example',
    role: 'partner',
  });
}

export interface ApprovalCtx {
  db: Db;
  kind: string;
  app: ReturnType<typeof createApp>;
  now(): Date;
  advance(ms: number): void;
  sink: SmtpSink;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read bodies loosely
  call<T = any>(
    method: string,
    path: string,
    o?: { as?: string; body?: unknown; headers?: Record<string, string>; role?: 'partner' | 'approver' },
  ): Promise<{ status: number; body: T; headers: Headers; text: string }>;
  worker(): OutboxWorker;
  close(): Promise<void>;
}

/** Builds the approval context over a harness context (call in `before()`). */
export async function approvalContext(base: TestContext): Promise<ApprovalCtx> {
  const db = base.db;
  await seedApprovalFixtures(db);
  let clock = Date.now();
  const now = () => new Date(clock);
  const app = createApp({ db, secret: TEST_SECRET, publicUrl: PUBLIC_URL, clock: now });
  const sink = await startSmtpSink();
  const workers: OutboxWorker[] = [];
  const mailers: { close?(): Promise<void> }[] = [];
  let keys = 0;
  return {
    db,
    kind: base.kind,
    app,
    now,
    advance: (ms) => {
      clock += ms;
    },
    sink,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.as) {
        // Demo users as seeded; others (and roles changed by a test) as they are in the database now.
        const demo = DEMO_USERS.find((u) => u.id === o.as);
        const [row] = demo
          ? [demo]
          : await db
              .select({ partnerId: users.partnerId, role: users.role })
              .from(users)
              .where(eq(users.id, o.as));
        const partner = row?.partnerId ?? null;
        const role = o.role ?? row?.role ?? 'partner';
        headers.authorization = `Bearer ${await signToken(
          TEST_SECRET,
          { sub: o.as, brand: BRAND, partner, role },
          3600,
          now(),
        )}`;
      }
      if (method === 'POST' && path === '/v1/sends')
        headers['idempotency-key'] ??= `k-${++keys}-${Math.random()}`;
      return requestApp(app, db, method, path, { headers, body: o.body });
    },
    worker() {
      const mailer = createSmtpMailer(sink.url, { maxConnections: 2, timeoutMs: 10_000 });
      mailers.push(mailer);
      const w = new OutboxWorker({
        db,
        mailer,
        secret: TEST_SECRET,
        publicUrl: PUBLIC_URL,
        clock: now,
        backoffMs: 1000,
        leaseMs: 30_000,
      });
      workers.push(w);
      return w;
    },
    async close() {
      for (const w of workers) await w.stop().catch(() => undefined);
      for (const m of mailers) await m.close?.();
      await sink.close();
    },
  };
}
