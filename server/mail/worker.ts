/**
 * The outbox worker: claims due rows, renders each message with `renderMessage` (the preview code),
 * hands it to a `Mailer`, and records the outcome. No Node-only APIs: transports come in as a `Mailer`.
 *
 * Delivery semantics
 * - Claim: one statement `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)` moves due
 *   `queued` rows (and rows whose lease expired) to `claimed` with a fresh `claim_token` and a lease.
 *   Several workers on one PostgreSQL never claim the same row at the same time.
 * - Before any SMTP traffic the batch moves `claimed → delivering` (conditional on the worker's
 *   `claim_token`, storing the rendered links). A row cancelled, skipped (unsubscribe) or re-claimed by
 *   another worker meanwhile fails that condition and is not sent.
 * - After the next hop accepts a message, `delivering → delivered` (+ `sent`/`delivered` events) is
 *   committed by group commit: results that arrive while a commit runs share the next one.
 * - A worker that dies leaves `claimed`/`delivering` rows whose lease expires; the next claim picks them
 *   up. `claimed` rows were never handed to SMTP, so re-claiming them cannot duplicate. `delivering`
 *   rows are "in doubt": the crash may have come before or after the SMTP server accepted. With
 *   `inDoubt: 'redeliver'` (default) they are sent again with the same Message-ID (at-least-once in that
 *   window, which is the time between the server's 250 reply and our commit: `commitDelayMs` (20 ms)
 *   plus the commit already running plus its own); with `inDoubt: 'fail'` they become `failed` and
 *   are never retried (at-most-once). A duplicate carries the same Message-ID, so receivers that deduplicate drop it.
 *   The `.eml` file transport is idempotent (one file per Message-ID), so there it is exactly once.
 *   While a batch is being delivered its lease is renewed every `leaseMs / 3`, so a slow next hop does
 *   not hand a live worker's rows to another worker.
 */
import { and, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Locale, Personalization } from '../../src/contract/index.js';
import {
  brands,
  contacts,
  events,
  outbox,
  partners,
  sendRecipients,
  sends,
  suppressions,
  users,
  type SendSnapshot,
} from '../db/schema.js';
import type { Db } from '../db/types.js';
import { publishEvents } from '../domain/engagement-writer.js';
import { stopPendingFor } from '../domain/events.js';
import { publish } from '../domain/live-bus.js';
import { GroupCommit } from '../domain/group-commit.js';
import { compileStep, renderMessage } from '../domain/render.js';
import { effectivePersonalization, type Tx } from '../domain/sending.js';
import { toDeliveryError, type Mailer } from './mailer.js';

type OutboxRow = typeof outbox.$inferSelect;

export interface WorkerOptions {
  db: Db;
  mailer: Mailer;
  /** Signs tracking and unsubscribe tokens (the app's secret). */
  secret: string;
  publicUrl: string;
  clock?: () => Date;
  /** Rows claimed per batch (default 50). */
  batchSize?: number;
  /** How long a claim is valid (default 120 s); must exceed the transport's timeouts. */
  leaseMs?: number;
  /** Attempts before a transiently failing message is `failed` (default 5). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, capped at 6 h (default 60 s). */
  backoffMs?: number;
  /** Idle poll interval (default 500 ms); `wake()` cuts it short. */
  pollMs?: number;
  /**
   * Batches in flight at once (default 2): while one batch waits for SMTP, the next is claimed and
   * rendered. Each batch has its own claim token, so they never share rows.
   */
  pipelines?: number;
  /**
   * Delivery results are committed in groups: a commit waits this long for more results (default
   * 20 ms). It bounds the at-least-once window (SMTP accepted, not yet committed) from above.
   */
  commitDelayMs?: number;
  /** What to do with `delivering` rows whose worker died (see the module comment). */
  inDoubt?: 'redeliver' | 'fail';
  workerId?: string;
  onError?: (error: unknown) => void;
}

export interface BatchResult {
  claimed: number;
  delivered: number;
  bounced: number;
  retried: number;
  failed: number;
  skipped: number;
}

type Outcome =
  | { kind: 'delivered'; row: OutboxRow }
  | { kind: 'bounced'; row: OutboxRow; email: string; error: string; code?: number }
  | { kind: 'transient'; row: OutboxRow; error: string; code?: number }
  | { kind: 'skipped'; row: OutboxRow; reason: string; journey: boolean }
  | { kind: 'cancelled'; row: OutboxRow };

interface SendContent {
  kind: 'quick' | 'journey';
  createdBy: string;
  snapshot: SendSnapshot;
  personalization: Personalization;
  overrides: Record<string, Personalization>;
  locale: Locale;
}

interface Written {
  newEvents: (typeof events.$inferInsert)[];
  sendStatuses: { id: string; status: string; brand_id: string; partner_id: string }[];
}

const PENDING = ['held', 'queued', 'claimed', 'delivering'] as const;

/** Many events in one statement with one parameter (PGlite binds thousands of parameters slowly). */
async function insertEvents(tx: Tx, rows: (typeof events.$inferInsert)[]) {
  const json = JSON.stringify(
    rows.map((e) => ({
      brand_id: e.brandId,
      partner_id: e.partnerId,
      journey_id: e.journeyId,
      send_id: e.sendId,
      step_id: e.stepId,
      contact_id: e.contactId,
      type: e.type,
      machine: e.machine ?? false,
      at: e.at.toISOString(),
      meta: e.meta ?? null,
    })),
  );
  await tx.execute(sql`
    insert into ${events} (brand_id, partner_id, journey_id, send_id, step_id, contact_id, type, machine, at, meta)
    select brand_id, partner_id, journey_id, send_id, step_id, contact_id, type, machine, at, meta
    from jsonb_to_recordset(${json}::jsonb) as v(brand_id text, partner_id text, journey_id text, send_id text,
      step_id text, contact_id text, type text, machine boolean, at timestamptz, meta jsonb)`);
}

export class OutboxWorker {
  readonly id: string;
  readonly #o: Required<Omit<WorkerOptions, 'workerId' | 'onError'>> & Pick<WorkerOptions, 'onError'>;
  readonly #acks: GroupCommit<Outcome & { now: Date; token: string }>;
  /** Send content is immutable once created; keep it (and its compiled steps) across batches. */
  readonly #content = new Map<string, SendContent>();
  #running: Promise<void> | null = null;
  #stopping = false;
  readonly #wakers = new Set<() => void>();

  constructor(options: WorkerOptions) {
    this.id = options.workerId ?? `w_${crypto.randomUUID().slice(0, 8)}`;
    this.#o = {
      clock: () => new Date(),
      batchSize: 50,
      leaseMs: 120_000,
      maxAttempts: 5,
      backoffMs: 60_000,
      pollMs: 500,
      pipelines: 2,
      commitDelayMs: 20,
      inDoubt: 'redeliver',
      ...options,
    };
    this.#acks = new GroupCommit((items) => this.#commit(items), 500, this.#o.commitDelayMs);
  }

  /** Claims and processes one batch; resolves when every outcome of it is committed. */
  async runOnce(): Promise<BatchResult> {
    const result: BatchResult = { claimed: 0, delivered: 0, bounced: 0, retried: 0, failed: 0, skipped: 0 };
    const now = this.#o.clock();
    if (this.#o.inDoubt === 'fail') await this.#failInDoubt(now);
    const token = crypto.randomUUID();
    const rows = await this.#claim(now, token);
    result.claimed = rows.length;
    if (!rows.length) return result;

    const outcomes: Promise<void>[] = [];
    try {
      return await this.#process(rows, token, now, result, outcomes);
    } catch (error) {
      // Outcomes already handed to the group commit still settle (and must not reject unheard).
      await Promise.allSettled(outcomes);
      throw error;
    }
  }

  async #process(
    rows: OutboxRow[],
    token: string,
    now: Date,
    result: BatchResult,
    outcomes: Promise<void>[],
  ): Promise<BatchResult> {
    const ctx = await this.#load(rows);
    const count = (o: Outcome) => {
      if (o.kind === 'delivered') result.delivered++;
      else if (o.kind === 'bounced') result.bounced++;
      else if (o.kind === 'transient') {
        if (o.row.attempts >= this.#o.maxAttempts) result.failed++;
        else result.retried++;
      } else result.skipped++;
      const ack = this.#acks.add({ ...o, now: this.#o.clock(), token });
      // Handled now: the commit may fail while the batch is still rendering or delivering, long before
      // the batch awaits its outcomes, and a rejection nobody listens to ends the process.
      ack.catch(() => {});
      outcomes.push(ack);
    };

    // Render everything first, then take the batch to `delivering` in one statement.
    const ready: { row: OutboxRow; message: Parameters<Mailer['send']>[0]; links: string[] }[] = [];
    const renders = rows.map(async (row) => {
      const send = ctx.sends.get(row.sendId);
      const content = this.#content.get(row.sendId);
      const contact = ctx.contacts.get(row.contactId);
      const parties = ctx.parties.get(row.partnerId);
      const step = content?.snapshot.steps.find((s) => s.id === row.stepId);
      if (
        !send ||
        !content ||
        !contact ||
        !parties ||
        !step ||
        send.status === 'cancelled' ||
        send.status === 'rejected'
      ) {
        count({ kind: 'cancelled', row });
        return;
      }
      const suppressed = ctx.suppressed.has(`${row.brandId}\u0000${contact.email.toLowerCase()}`);
      if (contact.status !== 'active' || contact.consent === 'opted_out' || suppressed) {
        count({
          kind: 'skipped',
          row,
          reason: suppressed ? 'suppressed' : contact.status !== 'active' ? contact.status : 'opted_out',
          journey: content.kind === 'journey',
        });
        return;
      }
      try {
        const personalization = effectivePersonalization(
          content.personalization,
          content.overrides[row.contactId],
        );
        const input = {
          step,
          mergeFields: content.snapshot.mergeFields,
          personalization,
          locale: content.locale,
          brand: parties.brand,
          partner: parties.partner,
          senderName: ctx.senders.get(content.createdBy),
          contact: {
            id: contact.id,
            email: contact.email,
            firstName: contact.firstName,
            lastName: contact.lastName,
            company: contact.company,
          },
          publicUrl: this.#o.publicUrl,
          tracking: { rowId: row.id, secret: this.#o.secret },
        };
        const rendered = await renderMessage(input, compileStep(step, personalization, content.locale));
        ready.push({
          row,
          links: rendered.links,
          message: {
            messageId: row.messageId,
            from: rendered.from,
            to: contact.email,
            replyTo: rendered.replyTo,
            subject: rendered.subject,
            html: rendered.html,
            text: rendered.text,
            headers: rendered.headers,
            date: this.#o.clock(),
          },
        });
      } catch (error) {
        count({
          kind: 'transient',
          row,
          error: `render failed: ${String((error as Error)?.message ?? error)}`,
        });
      }
    });
    // Renders run concurrently, so their HMAC signatures (Web Crypto, async) overlap.
    await Promise.all(renders);

    const mine = await this.#markDelivering(ready, token, now);
    // A slow next hop must not cost the batch its lease (another worker would send it again).
    const renewal = mine.size
      ? setInterval(() => void this.#renewLease(token), this.#o.leaseMs / 3)
      : undefined;
    try {
      await this.#deliver(ready, mine, count);
    } finally {
      clearInterval(renewal);
    }
    await Promise.all(outcomes);
    return result;
  }

  /** Extends the lease of this batch's rows still being delivered. */
  async #renewLease(token: string): Promise<void> {
    const until = new Date(this.#o.clock().getTime() + this.#o.leaseMs);
    try {
      await this.#o.db
        .update(outbox)
        .set({ leaseUntil: until })
        .where(and(eq(outbox.claimToken, token), eq(outbox.status, 'delivering')));
    } catch (error) {
      this.#o.onError?.(error);
    }
  }

  async #deliver(
    ready: { row: OutboxRow; message: Parameters<Mailer['send']>[0] }[],
    mine: Set<string>,
    count: (o: Outcome) => void,
  ): Promise<void> {
    await Promise.all(
      ready.map(async ({ row, message }) => {
        if (!mine.has(row.id)) return; // cancelled, skipped or taken over since the claim
        try {
          await this.#o.mailer.send(message);
          count({ kind: 'delivered', row });
        } catch (error) {
          const e = toDeliveryError(error);
          if (e.permanent)
            count({ kind: 'bounced', row, email: message.to, error: e.message, code: e.responseCode });
          else count({ kind: 'transient', row, error: e.message, code: e.responseCode });
        }
      }),
    );
  }

  /** Runs batches until nothing is due (tests, benchmarks, one-shot jobs). */
  async drain(): Promise<BatchResult> {
    const total: BatchResult = { claimed: 0, delivered: 0, bounced: 0, retried: 0, failed: 0, skipped: 0 };
    const loop = async () => {
      for (;;) {
        const r = await this.runOnce();
        for (const k of Object.keys(total) as (keyof BatchResult)[]) total[k] += r[k];
        if (!r.claimed) return;
      }
    };
    await Promise.all(Array.from({ length: this.#o.pipelines }, loop));
    return total;
  }

  /** Polls every `pollMs` (or sooner after `wake()`) until `stop()`, with `pipelines` loops. */
  start(): void {
    if (this.#running) return;
    this.#stopping = false;
    const loop = async () => {
      while (!this.#stopping) {
        let claimed = 0;
        try {
          claimed = (await this.runOnce()).claimed;
        } catch (error) {
          this.#o.onError?.(error);
        }
        if (claimed === 0 && !this.#stopping) {
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              this.#wakers.delete(done);
              resolve();
            };
            const timer = setTimeout(done, this.#o.pollMs);
            this.#wakers.add(done);
          });
        }
      }
    };
    this.#running = Promise.all(Array.from({ length: this.#o.pipelines }, loop)).then(() => undefined);
  }

  /** Cuts the idle wait short (call after committing outbox rows). */
  wake(): void {
    const wakers = [...this.#wakers];
    this.#wakers.clear();
    for (const resolve of wakers) resolve();
  }

  /** Finishes the batch in flight (its outcomes committed), then stops polling. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#running;
    await this.#acks.drain();
    this.#running = null;
  }

  // -------------------------------------------------------------------------------------------------

  async #claim(now: Date, token: string): Promise<OutboxRow[]> {
    const { db, batchSize, leaseMs, inDoubt } = this.#o;
    const expired = inDoubt === 'redeliver' ? (['claimed', 'delivering'] as const) : (['claimed'] as const);
    const due = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        or(
          and(eq(outbox.status, 'queued'), lte(outbox.dueAt, now)),
          and(inArray(outbox.status, [...expired]), lt(outbox.leaseUntil, now)),
        ),
      )
      .orderBy(outbox.dueAt)
      .limit(batchSize)
      .for('update', { skipLocked: true });
    return db
      .update(outbox)
      .set({
        status: 'claimed',
        claimToken: token,
        leaseUntil: new Date(now.getTime() + leaseMs),
        attempts: sql`${outbox.attempts} + 1`,
        updatedAt: now,
      })
      .where(inArray(outbox.id, due))
      .returning();
  }

  async #failInDoubt(now: Date): Promise<void> {
    await this.#o.db.transaction(async (tx) => {
      const rows = await tx
        .update(outbox)
        .set({
          status: 'failed',
          claimToken: null,
          updatedAt: now,
          lastError:
            'delivery outcome unknown: the worker stopped during delivery; not retried (at-most-once)',
        })
        .where(and(eq(outbox.status, 'delivering'), lt(outbox.leaseUntil, now)))
        .returning({ sendId: outbox.sendId, contactId: outbox.contactId });
      for (const r of rows) {
        await tx
          .update(sendRecipients)
          .set({ status: 'failed', updatedAt: now })
          .where(
            and(
              eq(sendRecipients.sendId, r.sendId),
              eq(sendRecipients.contactId, r.contactId),
              eq(sendRecipients.status, 'queued'),
            ),
          );
      }
    });
  }

  async #load(rows: OutboxRow[]) {
    const { db } = this.#o;
    const sendIds = [...new Set(rows.map((r) => r.sendId))];
    const missing = sendIds.filter((id) => !this.#content.has(id));
    const [statuses, contactRows, partyRows] = await Promise.all([
      db.select({ id: sends.id, status: sends.status }).from(sends).where(inArray(sends.id, sendIds)),
      db
        .select()
        .from(contacts)
        .where(inArray(contacts.id, [...new Set(rows.map((r) => r.contactId))])),
      db
        .select({ brand: brands, partner: partners })
        .from(partners)
        .innerJoin(brands, eq(brands.id, partners.brandId))
        .where(inArray(partners.id, [...new Set(rows.map((r) => r.partnerId))])),
    ]);
    if (missing.length) {
      const full = await db
        .select({
          send: sends,
          locale: sql<string>`(select locale from journeys where id = ${sends.journeyId})`,
        })
        .from(sends)
        .where(inArray(sends.id, missing));
      if (this.#content.size > 500) this.#content.clear();
      for (const { send, locale } of full) {
        if (!send.snapshot) continue;
        this.#content.set(send.id, {
          kind: send.kind,
          createdBy: send.createdBy,
          snapshot: send.snapshot,
          personalization: send.personalization,
          overrides: send.overrides,
          locale: (locale === 'zh-CN' ? 'zh-CN' : 'en') as Locale,
        });
      }
    }
    const creators = [
      ...new Set(sendIds.map((id) => this.#content.get(id)?.createdBy).filter((v) => v !== undefined)),
    ];
    const [senderRows, suppressedRows] = await Promise.all([
      creators.length
        ? db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, creators))
        : Promise.resolve([]),
      contactRows.length
        ? db
            .select({ brandId: suppressions.brandId, email: suppressions.email })
            .from(suppressions)
            .where(
              inArray(
                suppressions.email,
                contactRows.map((c) => c.email.toLowerCase()),
              ),
            )
        : Promise.resolve([]),
    ]);
    return {
      sends: new Map(statuses.map((s) => [s.id, s])),
      contacts: new Map(contactRows.map((c) => [c.id, c])),
      parties: new Map(
        partyRows.map(({ brand, partner }) => [
          partner.id,
          {
            brand: {
              id: brand.id,
              name: brand.name,
              domain: brand.domain,
              postalAddress: brand.postalAddress,
            },
            partner: {
              id: partner.id,
              name: partner.name,
              replyTo: partner.replyTo,
              postalAddress: partner.postalAddress,
              signature: partner.signature,
            },
          },
        ]),
      ),
      senders: new Map(senderRows.map((u) => [u.id, u.name])),
      suppressed: new Set(suppressedRows.map((s) => `${s.brandId}\u0000${s.email}`)),
    };
  }

  async #markDelivering(
    ready: { row: OutboxRow; links: string[] }[],
    token: string,
    now: Date,
  ): Promise<Set<string>> {
    if (!ready.length) return new Set();
    const values = JSON.stringify(ready.map((r) => ({ id: r.row.id, links: r.links })));
    const leaseUntil = new Date(now.getTime() + this.#o.leaseMs).toISOString();
    const result = await this.#o.db.execute(sql`
      update ${outbox} as o
      set status = 'delivering', links = v.links, lease_until = ${leaseUntil}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${values}::jsonb) as v(id text, links jsonb)
      where o.id = v.id and o.status = 'claimed' and o.claim_token = ${token}
      returning o.id`);
    const rows = (result as unknown as { rows: { id: string }[] }).rows;
    return new Set(rows.map((r) => r.id));
  }

  /** Writes a group of outcomes in one transaction (retried a few times: losing it means redelivery). */
  async #commit(items: (Outcome & { now: Date; token: string })[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const written = await this.#o.db.transaction((tx) => this.#write(tx, items));
        await this.#announce(written);
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  /** Pushes what a committed group changed to `/v1/live`: engagement events and send statuses. */
  async #announce({ newEvents, sendStatuses }: Written): Promise<void> {
    try {
      await publishEvents(this.#o.db, newEvents);
      for (const s of sendStatuses) {
        publish(this.#o.db, {
          brandId: s.brand_id,
          partnerId: s.partner_id,
          event: { type: 'send', at: new Date().toISOString(), sendId: s.id, status: s.status },
        });
      }
    } catch (error) {
      // Committed already: a missed live message is repaired by the next fetch, never by redelivery.
      this.#o.onError?.(error);
    }
  }

  async #write(tx: Tx, items: (Outcome & { now: Date; token: string })[]): Promise<Written> {
    const now = items[items.length - 1]!.now;
    const ev = (row: OutboxRow, type: 'sent' | 'delivered' | 'bounce', meta?: Record<string, unknown>) => ({
      brandId: row.brandId,
      partnerId: row.partnerId,
      journeyId: row.journeyId,
      sendId: row.sendId,
      stepId: row.stepId,
      contactId: row.contactId,
      type,
      at: now,
      meta: meta ?? null,
    });
    const newEvents: (typeof events.$inferInsert)[] = [];
    const recipientStatus = new Map<
      string,
      { sendId: string; status: string; contactIds: string[]; from: string[] }
    >();
    const setRecipient = (row: OutboxRow, status: string, from: string[]) => {
      const key = `${row.sendId}\u0000${status}`;
      const entry = recipientStatus.get(key) ?? { sendId: row.sendId, status, contactIds: [], from };
      entry.contactIds.push(row.contactId);
      recipientStatus.set(key, entry);
    };

    const delivered = items.filter((i) => i.kind === 'delivered');
    if (delivered.length) {
      // Whatever state the row is in now (even re-claimed after a lost lease), it went out: record it —
      // once: a retried commit whose first attempt did commit finds the rows delivered already.
      const updated = await tx
        .update(outbox)
        .set({
          status: 'delivered',
          deliveredAt: now,
          leaseUntil: null,
          claimToken: null,
          lastError: null,
          updatedAt: now,
        })
        .where(
          and(
            inArray(
              outbox.id,
              delivered.map((d) => d.row.id),
            ),
            inArray(outbox.status, ['queued', 'claimed', 'delivering']),
          ),
        )
        .returning({ id: outbox.id });
      const recorded = new Set(updated.map((u) => u.id));
      for (const d of delivered) {
        if (!recorded.has(d.row.id)) continue;
        newEvents.push(ev(d.row, 'sent'), ev(d.row, 'delivered'));
        setRecipient(d.row, 'delivered', ['queued', 'failed']);
      }
    }
    for (const item of items) {
      const { row } = item;
      const mine = and(eq(outbox.id, row.id), eq(outbox.claimToken, item.token));
      if (item.kind === 'bounced') {
        await tx
          .update(outbox)
          .set({
            status: 'bounced',
            leaseUntil: null,
            claimToken: null,
            lastError: item.error,
            updatedAt: now,
          })
          .where(eq(outbox.id, row.id));
        setRecipient(row, 'bounced', ['queued', 'delivered', 'failed']);
        await tx
          .update(contacts)
          .set({ status: 'bounced' })
          .where(and(eq(contacts.id, row.contactId), eq(contacts.status, 'active')));
        await tx
          .insert(suppressions)
          .values({ brandId: row.brandId, email: item.email.toLowerCase(), reason: 'bounce', createdAt: now })
          .onConflictDoNothing();
        newEvents.push(
          ev(row, 'bounce', { bounce: 'hard', responseCode: item.code ?? null, message: item.error }),
        );
      } else if (item.kind === 'transient') {
        const last = row.attempts >= this.#o.maxAttempts;
        const delay = Math.min(this.#o.backoffMs * 2 ** (row.attempts - 1), 6 * 3600_000);
        await tx
          .update(outbox)
          .set(
            last
              ? {
                  status: 'failed',
                  leaseUntil: null,
                  claimToken: null,
                  lastError: item.error,
                  updatedAt: now,
                }
              : {
                  status: 'queued',
                  dueAt: new Date(now.getTime() + delay),
                  leaseUntil: null,
                  claimToken: null,
                  lastError: item.error,
                  updatedAt: now,
                },
          )
          .where(mine);
        if (last) {
          setRecipient(row, 'failed', ['queued']);
          // The receiving server kept refusing for now (SMTP 4xx) until we gave up: a soft bounce. The
          // address stays usable; connection errors and timeouts are ours, not a bounce.
          if (item.code !== undefined && item.code >= 400 && item.code < 500) {
            newEvents.push(
              ev(row, 'bounce', { bounce: 'soft', responseCode: item.code, message: item.error }),
            );
          }
        }
      } else if (item.kind === 'skipped') {
        await tx
          .update(outbox)
          .set({
            status: 'skipped',
            leaseUntil: null,
            claimToken: null,
            lastError: item.reason,
            updatedAt: now,
          })
          .where(mine);
        setRecipient(row, item.journey ? 'left_journey' : 'suppressed', ['queued', 'delivered']);
      } else if (item.kind === 'cancelled') {
        await tx
          .update(outbox)
          .set({ status: 'cancelled', leaseUntil: null, claimToken: null, updatedAt: now })
          .where(mine);
        setRecipient(row, 'cancelled', ['queued']);
      }
    }
    for (const { sendId, status, contactIds, from } of recipientStatus.values()) {
      await tx
        .update(sendRecipients)
        .set({ status, updatedAt: now })
        .where(
          and(
            eq(sendRecipients.sendId, sendId),
            inArray(sendRecipients.contactId, contactIds),
            inArray(sendRecipients.status, from),
          ),
        );
    }
    // Later steps of a bounced address are skipped everywhere in the brand (after the bounced
    // recipient got its own status, so only other sends' recipients become `left_journey`).
    for (const item of items) {
      if (item.kind === 'bounced') {
        await stopPendingFor(tx, item.row.brandId, item.email.toLowerCase(), now, 'left_journey');
      }
    }
    if (newEvents.length) await insertEvents(tx, newEvents);
    const sendIds = [...new Set(items.map((i) => i.row.sendId))];
    const updated = await tx.execute(sql`
      update ${sends} as s set status = case
        when exists (select 1 from ${outbox} o where o.send_id = s.id and o.status in (${sql.join(
          PENDING.map((p) => sql`${p}`),
          sql`, `,
        )})) then 'sending'
        when exists (select 1 from ${outbox} o where o.send_id = s.id and o.status = 'delivered') then 'sent'
        else 'failed' end
      where s.id in (${sql.join(
        sendIds.map((id) => sql`${id}`),
        sql`, `,
      )}) and s.status in ('scheduled', 'sending')
      returning s.id, s.status, s.brand_id, s.partner_id`);
    return { newEvents, sendStatuses: (updated as unknown as { rows: Written['sendStatuses'] }).rows };
  }
}
