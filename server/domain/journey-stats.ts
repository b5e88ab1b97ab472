import { sql, type SQL } from 'drizzle-orm';
import type { JourneyStats } from '../../src/contract/index.js';
import type { Db } from '../db/types.js';

/**
 * Small-count privacy for network roll-ups: a rate is published only when at least this many distinct
 * partners AND this many recipients contributed (see `JourneyStats` in the contract); otherwise `null`.
 */
export const MIN_PARTNERS_FOR_RATES = 5;
export const MIN_RECIPIENTS_FOR_RATES = 5;

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

const inList = (column: SQL, ids: readonly string[]): SQL =>
  ids.length > 0
    ? sql`${column} in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql`false`;

/**
 * Recomputes the `stat_*` roll-up columns of journeys from sends and engagement.
 *
 * - `stat_sends`: sends with status `sent`; `stat_recipients`: their recipients; `stat_partners`:
 *   distinct partners that sent it.
 * - rates are per delivered recipient of a send (a `(send, contact)` pair with a `delivered` event):
 *   open rate counts pairs with at least one human open (`machine = false`; Apple Mail Privacy
 *   Protection and link scanners are excluded), click rate pairs with at least one click.
 * - both rates are `null` unless `stat_partners >= 5` and `stat_recipients >= 5`, or nothing was delivered.
 *
 * Per-recipient engagement comes from `engagement_recipients` (kept by the events trigger in the same
 * transaction as each event), so the cost grows with recipients, not with events.
 *
 * Pass `brandId` to refresh one brand, `journeyIds` to refresh only those journeys.
 */
export async function refreshJourneyStats(db: Db, options: { brandId?: string; journeyIds?: string[] } = {}) {
  const scope = (brandColumn: SQL, journeyColumn: SQL): SQL =>
    sql.join(
      [
        sql`true`,
        ...(options.brandId ? [sql`${brandColumn} = ${options.brandId}`] : []),
        ...(options.journeyIds ? [inList(journeyColumn, options.journeyIds)] : []),
      ],
      sql` and `,
    );
  await db.execute(sql`
    with s as (
      select journey_id, count(*)::int as sends, coalesce(sum(recipient_count), 0)::int as recipients,
             count(distinct partner_id)::int as partners
      from sends where status = 'sent' and ${scope(sql`brand_id`, sql`journey_id`)} group by journey_id
    ),
    e as (
      select journey_id,
             count(*) filter (where first_delivered_at is not null)::int as delivered,
             count(*) filter (where first_delivered_at is not null and first_open_at is not null)::int as opened,
             count(*) filter (where first_delivered_at is not null
               and (first_click_at is not null or first_machine_click_at is not null))::int as clicked
      from engagement_recipients where ${scope(sql`brand_id`, sql`journey_id`)} group by journey_id
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
    where j2.id = j.id and ${scope(sql`j2.brand_id`, sql`j2.id`)}
  `);
}

// ---- Keeping the roll-ups fresh ----------------------------------------------------------------------

/**
 * Events are numbered by a sequence, but a transaction may commit after one that took a later number;
 * each incremental refresh therefore looks this many ids back (refreshing is idempotent).
 */
const EVENT_ID_OVERLAP = 5_000;

/** Default minimum time between two freshness checks of one brand, per process. */
export const JOURNEY_STATS_CHECK_INTERVAL_MS = 1_000;

interface Freshness {
  /** When the brand was last checked (ms since epoch); 0 forces a check. */
  checkedAt: number;
  /** Highest event id already rolled up; `null` before the first (full) refresh of this process. */
  watermark: number | null;
  running: Promise<void> | null;
}

const freshness = new WeakMap<object, Map<string, Freshness>>();

function stateOf(db: Db, brandId: string): Freshness {
  let brands = freshness.get(db);
  if (!brands) freshness.set(db, (brands = new Map()));
  let state = brands.get(brandId);
  if (!state) brands.set(brandId, (state = { checkedAt: 0, watermark: null, running: null }));
  return state;
}

/**
 * Keeps the journey roll-ups of one brand in step with engagement, cheaply enough to call on every
 * showroom read: at most once per `minIntervalMs` it compares the newest event id with the last one
 * rolled up, and refreshes only the journeys that received events since (the first call in a process
 * refreshes the whole brand). Sends become `sent` when their first delivery is recorded as an event, so
 * new events also cover new sends. Concurrent callers share one refresh; a failed refresh is reported to
 * the caller once and retried on the next check.
 */
export async function ensureFreshJourneyStats(
  db: Db,
  brandId: string,
  options: { minIntervalMs?: number; now?: number } = {},
): Promise<void> {
  const state = stateOf(db, brandId);
  if (state.running) return state.running;
  const now = options.now ?? Date.now();
  if (now - state.checkedAt < (options.minIntervalMs ?? JOURNEY_STATS_CHECK_INTERVAL_MS)) return;
  state.checkedAt = now;
  state.running = (async () => {
    const [top] = rowsOf<{ max: number | string | null }>(
      await db.execute(sql`select max(id) as max from events`),
    );
    const max = Number(top?.max ?? 0);
    if (state.watermark === null) {
      await refreshJourneyStats(db, { brandId });
    } else if (max > state.watermark) {
      const touched = rowsOf<{ journey_id: string }>(
        await db.execute(sql`
          select distinct journey_id from events
          where id > ${Math.max(0, state.watermark - EVENT_ID_OVERLAP)} and id <= ${max}
            and brand_id = ${brandId}`),
      ).map((r) => r.journey_id);
      if (touched.length > 0) await refreshJourneyStats(db, { brandId, journeyIds: touched });
    }
    state.watermark = Math.max(state.watermark ?? 0, max);
  })().finally(() => {
    state.running = null;
  });
  try {
    await state.running;
  } catch (error) {
    state.checkedAt = 0;
    throw error;
  }
}

/** Makes the next `ensureFreshJourneyStats` call check at once (e.g. right after writing events). */
export function invalidateJourneyStats(db: Db): void {
  for (const state of freshness.get(db)?.values() ?? []) state.checkedAt = 0;
}

/**
 * One partner's own results with a journey, from its sent sends and their recipients' engagement. Rates
 * are `null` below `MIN_RECIPIENTS_FOR_RATES` recipients or with nothing delivered.
 */
export async function partnerJourneyStats(
  db: Db,
  journeyId: string,
  partnerId: string,
): Promise<JourneyStats> {
  const [row] = rowsOf<{
    sends: number;
    recipients: number;
    delivered: number;
    opened: number;
    clicked: number;
  }>(
    await db.execute(sql`
      with s as (
        select count(*)::int as sends, coalesce(sum(recipient_count), 0)::int as recipients
        from sends where status = 'sent' and journey_id = ${journeyId} and partner_id = ${partnerId}
      ),
      e as (
        select count(*) filter (where first_delivered_at is not null)::int as delivered,
               count(*) filter (where first_delivered_at is not null and first_open_at is not null)::int as opened,
               count(*) filter (where first_delivered_at is not null
                 and (first_click_at is not null or first_machine_click_at is not null))::int as clicked
        from engagement_recipients where journey_id = ${journeyId} and partner_id = ${partnerId}
      )
      select s.sends, s.recipients, e.delivered, e.opened, e.clicked from s, e`),
  );
  const sends = Number(row?.sends ?? 0);
  const recipients = Number(row?.recipients ?? 0);
  const delivered = Number(row?.delivered ?? 0);
  const rate = (n: number) =>
    recipients >= MIN_RECIPIENTS_FOR_RATES && delivered > 0
      ? Math.round((n / delivered) * 10_000) / 10_000
      : null;
  return {
    sends,
    recipients,
    partners: sends > 0 ? 1 : 0,
    openRate: rate(Number(row?.opened ?? 0)),
    clickRate: rate(Number(row?.clicked ?? 0)),
  };
}
