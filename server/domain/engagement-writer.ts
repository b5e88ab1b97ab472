/**
 * Writing engagement events: `recordEvents()` inserts a list in one statement (the roll-up trigger
 * updates `engagement_rollups` / `engagement_recipients` in the same transaction) and then publishes
 * them to `/v1/live`; `EventWriter` collects single events from many requests (the open pixel, clicks)
 * for up to `maxWaitMs` or `maxBatch` events and writes each batch with `recordEvents()`, so the pixel
 * costs one INSERT per batch instead of one per request.
 */
import { sql } from 'drizzle-orm';
import { events } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { pgCode } from '../errors.js';
import { publish } from './live-bus.js';

export type EventInsert = typeof events.$inferInsert;

/** Rows per INSERT statement (10 parameters each, well under PostgreSQL's 65 535). */
export const MAX_ROWS_PER_STATEMENT = 5_000;

/** PostgreSQL codes worth retrying: deadlock detected, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Inserts `list` (in statements of at most {@link MAX_ROWS_PER_STATEMENT} rows, one transaction) and
 * publishes each event to the live stream after the commit. Retries a deadlock or serialization
 * failure up to 3 times. Pass a transaction as `db` to write inside it — then publish yourself after
 * it commits (`publishEvents`), and pass `{ publish: false }`.
 */
export async function recordEvents(
  db: Db,
  list: readonly EventInsert[],
  options: { publish?: boolean } = {},
): Promise<void> {
  if (list.length === 0) return;
  for (let attempt = 1; ; attempt++) {
    try {
      if (list.length <= MAX_ROWS_PER_STATEMENT) {
        await db.insert(events).values([...list]);
      } else {
        await db.transaction(async (tx) => {
          for (let i = 0; i < list.length; i += MAX_ROWS_PER_STATEMENT) {
            await tx.insert(events).values(list.slice(i, i + MAX_ROWS_PER_STATEMENT));
          }
        });
      }
      break;
    } catch (error) {
      if (attempt >= 3 || !RETRYABLE.has(pgCode(error) ?? '')) throw error;
      await new Promise((r) => setTimeout(r, 10 * attempt));
    }
  }
  if (options.publish !== false) await publishEvents(db, list);
}

const FIRST_COLUMN: Record<string, [human: string, machine: string]> = {
  sent: ['first_sent_at', 'first_sent_at'],
  delivered: ['first_delivered_at', 'first_delivered_at'],
  open: ['first_open_at', 'first_machine_open_at'],
  click: ['first_click_at', 'first_machine_click_at'],
  bounce: ['first_bounce_at', 'first_bounce_at'],
  complaint: ['first_complaint_at', 'first_complaint_at'],
  unsubscribe: ['first_unsubscribe_at', 'first_unsubscribe_at'],
};

const FIRST_COLUMNS = [...new Set(Object.values(FIRST_COLUMN).flat())];

/** A PostgreSQL text[] literal. */
const textArray = (values: readonly string[]) =>
  `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;

/**
 * Publishes committed engagement events to `/v1/live` (what `recordEvents` does after inserting),
 * each marked `unique` when it is its recipient's first of its kind — one indexed read per call.
 */
export async function publishEvents(db: Db, list: readonly EventInsert[]): Promise<void> {
  if (list.length === 0) return;
  const key = (e: { sendId: string; contactId: string }) => `${e.sendId}\u0000${e.contactId}`;
  const pairs = [...new Map(list.map((e) => [key(e), [e.sendId, e.contactId] as const])).values()];
  const firsts = new Map<string, Record<string, unknown>>();
  try {
    const result = await db.execute(sql`
      select r.send_id, r.contact_id,
        ${sql.raw(FIRST_COLUMNS.map((c) => `(extract(epoch from r.${c}) * 1000)::float8 as ${c}`).join(', '))}
      from unnest(${textArray(pairs.map((p) => p[0]))}::text[], ${textArray(pairs.map((p) => p[1]))}::text[])
          as k(send_id, contact_id)
        join engagement_recipients r on r.send_id = k.send_id and r.contact_id = k.contact_id`);
    for (const row of (result as unknown as { rows: Record<string, unknown>[] }).rows) {
      firsts.set(key({ sendId: String(row.send_id), contactId: String(row.contact_id) }), row);
    }
  } catch (error) {
    // The events are committed: publish them without the flag rather than not at all.
    console.error('live: could not read first events', error);
  }
  const flagged = new Set<string>();
  for (const e of list) {
    const at = e.at instanceof Date ? e.at : new Date(e.at);
    const machine = e.machine ?? false;
    const row = firsts.get(key(e));
    let unique: boolean | undefined;
    if (row) {
      const column = FIRST_COLUMN[e.type]?.[machine ? 1 : 0];
      const first = column ? row[column] : null;
      const kind = `${key(e)}\u0000${e.type}\u0000${machine}`;
      unique = first !== null && first !== undefined && Number(first) === at.getTime() && !flagged.has(kind);
      if (unique) flagged.add(kind);
    }
    publish(db, {
      brandId: e.brandId,
      partnerId: e.partnerId,
      event: {
        type: 'engagement',
        at: at.toISOString(),
        event: e.type,
        machine,
        sendId: e.sendId,
        contactId: e.contactId,
        journeyId: e.journeyId,
        partnerId: e.partnerId,
        ...(unique === undefined ? {} : { unique }),
      },
    });
  }
}

export interface EventWriterOptions {
  /** Longest an event waits for companions before its batch is written, ms. Default 10. */
  maxWaitMs?: number;
  /** A batch is written as soon as it has this many events. Default 1000 (at most 5000). */
  maxBatch?: number;
}

interface Pending {
  event: EventInsert;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Batches events from concurrent requests. `write()` resolves once the event is committed (so a
 * request can answer after its event is safe), or rejects with the batch's error. One batch is
 * written at a time; events arriving meanwhile form the next batch.
 */
export class EventWriter {
  readonly #db: Db;
  readonly #maxWaitMs: number;
  readonly #maxBatch: number;
  #pending: Pending[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> | null = null;
  /** Batches written so far (for tests and benchmarks). */
  batches = 0;

  constructor(db: Db, options: EventWriterOptions = {}) {
    this.#db = db;
    this.#maxWaitMs = Math.max(0, options.maxWaitMs ?? 10);
    this.#maxBatch = Math.min(MAX_ROWS_PER_STATEMENT, Math.max(1, options.maxBatch ?? 1_000));
  }

  /** Queues one event; resolves when its batch has been committed. */
  write(event: EventInsert): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ event, resolve, reject });
      if (this.#pending.length >= this.#maxBatch) this.#kick();
      else this.#timer ??= setTimeout(() => this.#kick(), this.#maxWaitMs);
    });
  }

  /** Writes everything queued now and resolves when it is committed (or failed). */
  async flush(): Promise<void> {
    this.#kick();
    while (this.#flushing) await this.#flushing;
  }

  get pending(): number {
    return this.#pending.length;
  }

  #kick(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // Only with something to write: on an empty queue `#loop()` would finish (clearing `#flushing`)
    // before the assignment, leaving a settled promise there that stops every later kick.
    if (this.#flushing || this.#pending.length === 0) return;
    this.#flushing = this.#loop();
  }

  async #loop(): Promise<void> {
    try {
      while (this.#pending.length) {
        const batch = this.#pending.splice(0, this.#maxBatch);
        try {
          const list = batch.map((p) => p.event);
          await recordEvents(this.#db, list, { publish: false });
          this.batches += 1;
          // Writers wait for the commit, not for the live stream; publishing still precedes the next
          // batch, so live events keep their order.
          for (const p of batch) p.resolve();
          await publishEvents(this.#db, list);
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.#flushing = null;
    }
  }
}

const writers = new WeakMap<Db, EventWriter>();

/** The shared batched writer of a database handle (created with `options` on first use). */
export function eventWriterFor(db: Db, options?: EventWriterOptions): EventWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new EventWriter(db, options);
    writers.set(db, writer);
  }
  return writer;
}

/** Writes one event through the shared batched writer of `db`; resolves once it is committed. */
export function writeEvent(db: Db, event: EventInsert): Promise<void> {
  return eventWriterFor(db).write(event);
}
