import { and, eq, inArray, sql } from 'drizzle-orm';
import { contacts, outbox, sendRecipients, sends, suppressions } from '../db/schema.js';
import type { Tx } from './sending.js';

/**
 * Unsubscribes a contact everywhere in its brand: contact status, a brand-level suppression row,
 * pending outbox rows of every contact with that address skipped (journey recipients leave the
 * journey). Returns true when something changed (so the event is recorded once).
 */
export async function unsubscribe(
  tx: Tx,
  input: { brandId: string; contactId: string; email: string; now: Date },
): Promise<boolean> {
  const email = input.email.toLowerCase();
  const changed = await tx
    .update(contacts)
    .set({ status: 'unsubscribed' })
    .where(and(eq(contacts.id, input.contactId), inArray(contacts.status, ['active', 'bounced'])))
    .returning({ id: contacts.id });
  const inserted = await tx
    .insert(suppressions)
    .values({ brandId: input.brandId, email, reason: 'unsubscribe', createdAt: input.now })
    .onConflictDoUpdate({
      target: [suppressions.brandId, suppressions.email],
      set: { reason: 'unsubscribe' },
      setWhere: sql`${suppressions.reason} <> 'unsubscribe'`,
    })
    .returning({ email: suppressions.email });
  await stopPendingFor(tx, input.brandId, email, input.now, 'left_journey');
  return changed.length > 0 || inserted.length > 0;
}

/**
 * Skips every not-yet-delivering outbox row for an address in the brand. Recipients of journey sends
 * get `journeyStatus` (`left_journey`); quick-send recipients still queued become `cancelled`.
 */
export async function stopPendingFor(
  tx: Tx,
  brandId: string,
  email: string,
  now: Date,
  journeyStatus: 'left_journey' | 'bounced',
): Promise<void> {
  const stopped = await tx
    .update(outbox)
    .set({
      status: 'skipped',
      claimToken: null,
      updatedAt: now,
      lastError: 'contact unsubscribed or bounced',
    })
    .where(
      and(
        eq(outbox.brandId, brandId),
        inArray(outbox.status, ['held', 'queued', 'claimed']),
        inArray(
          outbox.contactId,
          tx
            .select({ id: contacts.id })
            .from(contacts)
            .where(and(eq(contacts.brandId, brandId), sql`lower(${contacts.email}) = ${email}`)),
        ),
      ),
    )
    .returning({ sendId: outbox.sendId, contactId: outbox.contactId });
  if (!stopped.length) return;
  const sendIds = [...new Set(stopped.map((s) => s.sendId))];
  // A send with nothing left to deliver is over: sent if anything went out, failed otherwise (the
  // worker settles only the sends of its own batch).
  await tx.execute(sql`
    update ${sends} as s set status = case
      when exists (select 1 from ${outbox} o where o.send_id = s.id and o.status = 'delivered') then 'sent'
      else 'failed' end
    where s.id in (${sql.join(
      sendIds.map((id) => sql`${id}`),
      sql`, `,
    )}) and s.status in ('scheduled', 'sending')
      and not exists (select 1 from ${outbox} o
        where o.send_id = s.id and o.status in ('held', 'queued', 'claimed', 'delivering'))`);
  const kinds = await tx
    .select({ id: sends.id, kind: sends.kind })
    .from(sends)
    .where(inArray(sends.id, sendIds));
  for (const { id, kind } of kinds) {
    const contactIds = [...new Set(stopped.filter((s) => s.sendId === id).map((s) => s.contactId))];
    await tx
      .update(sendRecipients)
      .set({ status: kind === 'journey' ? journeyStatus : 'cancelled', updatedAt: now })
      .where(
        and(
          eq(sendRecipients.sendId, id),
          inArray(sendRecipients.contactId, contactIds),
          inArray(sendRecipients.status, kind === 'journey' ? ['queued', 'delivered'] : ['queued']),
        ),
      );
  }
}
