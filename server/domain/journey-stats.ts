import { sql } from 'drizzle-orm';
import type { Db } from '../db/types.js';

/**
 * Small-count privacy for network roll-ups: a rate is published only when at least this many distinct
 * partners AND this many recipients contributed (see `JourneyStats` in the contract); otherwise `null`.
 */
export const MIN_PARTNERS_FOR_RATES = 5;
export const MIN_RECIPIENTS_FOR_RATES = 5;

/**
 * Recomputes the `stat_*` roll-up columns of journeys from sends and engagement events.
 *
 * - `stat_sends`: sends with status `sent`; `stat_recipients`: their recipients; `stat_partners`:
 *   distinct partners that sent it.
 * - rates are per delivered recipient of a send (a `(send, contact)` pair with a `delivered` event):
 *   open rate counts pairs with at least one human open (`machine = false`; Apple Mail Privacy
 *   Protection and link scanners are excluded), click rate pairs with at least one click.
 * - both rates are `null` unless `stat_partners >= 5` and `stat_recipients >= 5`, or nothing was delivered.
 *
 * Pass `brandId` to refresh one brand, `journeyIds` to refresh only those journeys.
 */
export async function refreshJourneyStats(db: Db, options: { brandId?: string; journeyIds?: string[] } = {}) {
  const filter = sql.join(
    [
      sql`true`,
      ...(options.brandId ? [sql`j.brand_id = ${options.brandId}`] : []),
      ...(options.journeyIds
        ? [
            options.journeyIds.length > 0
              ? sql`j.id in (${sql.join(
                  options.journeyIds.map((id) => sql`${id}`),
                  sql`, `,
                )})`
              : sql`false`,
          ]
        : []),
    ],
    sql` and `,
  );
  await db.execute(sql`
    with s as (
      select journey_id, count(*)::int as sends, coalesce(sum(recipient_count), 0)::int as recipients,
             count(distinct partner_id)::int as partners
      from sends where status = 'sent' group by journey_id
    ),
    pairs as (
      select journey_id, send_id, contact_id,
             bool_or(type = 'delivered') as delivered,
             bool_or(type = 'open' and not machine) as opened,
             bool_or(type = 'click') as clicked
      from events where type in ('delivered', 'open', 'click') group by journey_id, send_id, contact_id
    ),
    e as (
      select journey_id, count(*) filter (where delivered)::int as delivered,
             count(*) filter (where delivered and opened)::int as opened,
             count(*) filter (where delivered and clicked)::int as clicked
      from pairs group by journey_id
    )
    update journeys j set
      stat_sends = coalesce(s.sends, 0),
      stat_recipients = coalesce(s.recipients, 0),
      stat_partners = coalesce(s.partners, 0),
      stat_open_rate = case when coalesce(s.partners, 0) >= ${MIN_PARTNERS_FOR_RATES}
          and coalesce(s.recipients, 0) >= ${MIN_RECIPIENTS_FOR_RATES} and coalesce(e.delivered, 0) > 0
        then round((e.opened::numeric / e.delivered), 4)::float8 end,
      stat_click_rate = case when coalesce(s.partners, 0) >= ${MIN_PARTNERS_FOR_RATES}
          and coalesce(s.recipients, 0) >= ${MIN_RECIPIENTS_FOR_RATES} and coalesce(e.delivered, 0) > 0
        then round((e.clicked::numeric / e.delivered), 4)::float8 end
    from journeys j2
      left join s on s.journey_id = j2.id
      left join e on e.journey_id = j2.id
    where j2.id = j.id and ${filter}
  `);
}
