import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { events } from '../db/schema.js';
import type { Db } from '../db/types.js';

/** Multi-row inserts of `size` rows at a time (PGlite's per-statement cost makes single rows slow). */
export async function insertBatched<T extends PgTable>(
  db: Db,
  table: T,
  rows: readonly T['$inferInsert'][],
  size = 500,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    await db.insert(table).values(rows.slice(i, i + size) as T['$inferInsert'][]);
  }
}

type EventInsert = typeof events.$inferInsert;

/**
 * Inserts engagement events with one statement per `size` rows, the rows travelling as one JSON
 * parameter. Statement-level triggers on `events` then run once per statement instead of once per
 * small batch, which matters for seeding thousands of historical events.
 */
export async function insertEvents(db: Db, rows: readonly EventInsert[], size = 20_000): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    const json = JSON.stringify(
      rows.slice(i, i + size).map((e) => ({
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
    await db.execute(sql`
      insert into events (brand_id, partner_id, journey_id, send_id, step_id, contact_id, type, machine, at, meta)
      select brand_id, partner_id, journey_id, send_id, step_id, contact_id, type, machine, at, meta
      from jsonb_to_recordset(${json}::jsonb) as r(brand_id text, partner_id text, journey_id text,
        send_id text, step_id text, contact_id text, type text, machine boolean, at timestamptz, meta jsonb)
      order by at
    `);
  }
}
