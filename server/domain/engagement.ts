/**
 * Engagement figures: totals, time series and per-recipient rows for a send, a journey, a partner or
 * the whole network of a brand.
 *
 * Totals and series read `engagement_rollups` (events per UTC hour and scope level, kept current by a
 * trigger on `events`) for every whole hour of the range that lies inside one bucket, and read `events`
 * only for the hours cut by a bucket edge — the range's ends when they are not on the hour, and local
 * midnights of time zones with a half-hour offset. So the answer is exact for any range and time zone,
 * and its cost grows with the number of hours and scope levels, not with the number of events.
 *
 * Unique counts place each recipient (`(send, contact)`) at its first event of a kind
 * (`engagement_recipients.first_*_at`); the raw-hour part counts an event as unique when it is that
 * first event.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type {
  EngagementSummary,
  EngagementTotals,
  RecipientEngagement,
  RecipientMetric,
  RecipientSort,
} from '../../src/contract/index.js';
import { emptyTotals } from '../../src/contract/index.js';
import { journeys, partners, sends } from '../db/schema.js';
import type { Db } from '../db/types.js';
import type { Caller } from '../env.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { buckets, ceilHour, floorHour, HOUR_MS, type Interval } from './engagement-time.js';

/** Small-count privacy: network rates are published only from this many partners and recipients. */
export const MIN_BENCHMARK_PARTNERS = 5;
export const MIN_BENCHMARK_RECIPIENTS = 5;

/** Default range when `from` is not given. */
export const DEFAULT_RANGE_MS = 30 * 24 * HOUR_MS;

/** Whose events a query covers; `null` dimensions are not filtered. */
export interface Scope {
  brandId: string;
  partnerId: string | null;
  journeyId: string | null;
  sendId: string | null;
}

export interface ScopeQuery {
  sendId?: string | undefined;
  journeyId?: string | undefined;
  partnerId?: string | undefined;
  scope?: 'own' | 'network' | undefined;
}

/**
 * The scope a caller asked for, after the tenancy rules:
 * - `scope=network` is for brand admins (403 otherwise) and names the whole brand (a journey may narrow
 *   it; a partner or send may not: 400);
 * - callers attached to a partner (partner users, partner-manager approvers) see only that partner:
 *   another `partnerId` is 403 whether or not it exists, a send or journey outside it is 404;
 * - brand-level callers (brand admins, brand compliance approvers) see every partner of their brand.
 */
export async function resolveScope(db: Db, caller: Caller, q: ScopeQuery): Promise<Scope> {
  const brandId = caller.brand.id;
  const own = caller.partner?.id ?? null;
  if (q.scope === 'network') {
    if (caller.role !== 'brand_admin') throw forbidden('the network scope is for brand admins');
    if (q.partnerId) throw invalid('query.scope', 'network cannot be combined with partnerId');
    if (q.sendId) throw invalid('query.scope', 'network cannot be combined with sendId');
  }
  if (q.partnerId && own && q.partnerId !== own) {
    throw forbidden('partners see only their own engagement');
  }
  let partnerId = q.partnerId ?? own;
  if (q.partnerId && !own) {
    const [row] = await db
      .select({ id: partners.id })
      .from(partners)
      .where(and(eq(partners.id, q.partnerId), eq(partners.brandId, brandId)))
      .limit(1);
    if (!row) throw notFound(`partner ${q.partnerId}`);
  }
  let journeyId = q.journeyId ?? null;
  if (q.journeyId) {
    const [row] = await db
      .select({ id: journeys.id })
      .from(journeys)
      .where(and(eq(journeys.id, q.journeyId), eq(journeys.brandId, brandId)))
      .limit(1);
    if (!row) throw notFound(`journey ${q.journeyId}`);
  }
  let sendId: string | null = null;
  if (q.sendId) {
    const [row] = await db
      .select({ id: sends.id, partnerId: sends.partnerId, journeyId: sends.journeyId })
      .from(sends)
      .where(and(eq(sends.id, q.sendId), eq(sends.brandId, brandId)))
      .limit(1);
    if (
      !row ||
      (partnerId !== null && row.partnerId !== partnerId) ||
      (journeyId !== null && row.journeyId !== journeyId)
    ) {
      throw notFound(`send ${q.sendId}`);
    }
    sendId = row.id;
    partnerId = row.partnerId;
    journeyId = row.journeyId;
  }
  return { brandId, partnerId, journeyId, sendId };
}

/** `from`/`to` with the defaults applied (to: now, from: 30 days before to); 400 when from ≥ to. */
export function resolveRange(q: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const to = q.to ? Date.parse(q.to) : now.getTime();
  const from = q.from ? Date.parse(q.from) : to - DEFAULT_RANGE_MS;
  if (!(from < to)) throw invalid(q.to ? 'query.to' : 'query.from', 'must be after from');
  return { from, to };
}

interface CountRow {
  b: number;
  type: string;
  machine: boolean;
  n: number;
  u: number;
}

function add(t: EngagementTotals, row: CountRow): void {
  const n = Number(row.n);
  const u = Number(row.u);
  switch (row.type) {
    case 'sent':
      t.sent += n;
      break;
    case 'delivered':
      t.delivered += n;
      t.uniqueDelivered += u;
      break;
    case 'open':
      if (row.machine) {
        t.machineOpens += n;
        t.uniqueMachineOpens += u;
      } else {
        t.opens += n;
        t.uniqueOpens += u;
      }
      break;
    case 'click':
      if (row.machine) t.machineClicks += n;
      else {
        t.clicks += n;
        t.uniqueClicks += u;
      }
      break;
    case 'bounce':
      t.bounces += n;
      break;
    case 'complaint':
      t.complaints += n;
      break;
    case 'unsubscribe':
      t.unsubscribes += n;
      break;
  }
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

const tsArray = (values: readonly number[]): SQL =>
  sql`${`{${values.map((v) => new Date(v).toISOString()).join(',')}}`}::timestamptz[]`;
const ts = (ms: number): SQL => sql`${new Date(ms).toISOString()}::timestamptz`;

function rollupScope(scope: Scope): SQL {
  return sql`r.brand_id = ${scope.brandId} and r.partner_id = ${scope.partnerId ?? ''}
    and r.journey_id = ${scope.journeyId ?? ''} and r.send_id = ${scope.sendId ?? ''}`;
}

function eventScope(scope: Scope, alias = 'e'): SQL {
  const a = sql.raw(alias);
  const parts = [sql`${a}.brand_id = ${scope.brandId}`];
  if (scope.partnerId !== null) parts.push(sql`${a}.partner_id = ${scope.partnerId}`);
  if (scope.journeyId !== null) parts.push(sql`${a}.journey_id = ${scope.journeyId}`);
  if (scope.sendId !== null) parts.push(sql`${a}.send_id = ${scope.sendId}`);
  return sql.join(parts, sql` and `);
}

/** The recipient's first event of the same kind as `e` (joined as `r`). */
const FIRST_OF_KIND = sql.raw(`case e.type
  when 'sent' then r.first_sent_at
  when 'delivered' then r.first_delivered_at
  when 'open' then case when e.machine then r.first_machine_open_at else r.first_open_at end
  when 'click' then case when e.machine then r.first_machine_click_at else r.first_click_at end
  when 'bounce' then r.first_bounce_at
  when 'complaint' then r.first_complaint_at
  when 'unsubscribe' then r.first_unsubscribe_at end`);

const bucketOf = (column: SQL, inner: readonly number[]): SQL =>
  inner.length ? sql`width_bucket(${column}, ${tsArray(inner)})` : sql`0`;

export interface CountOptions {
  /** `false`: read only `events` (the reference the roll-up path must equal). Default true. */
  rollups?: boolean;
}

/**
 * Counts per bucket: `edges` are `from`, the inner bucket boundaries and `to` (UTC ms); the result has
 * `edges.length - 1` totals.
 */
export async function countBuckets(
  db: Db,
  scope: Scope,
  edges: readonly number[],
  options: CountOptions = {},
): Promise<EngagementTotals[]> {
  const from = edges[0]!;
  const to = edges[edges.length - 1]!;
  const inner = edges.slice(1, -1);
  const out = Array.from({ length: edges.length - 1 }, emptyTotals);
  const rows: CountRow[] = [];

  let rawRanges: [number, number][];
  if (options.rollups === false) {
    rawRanges = [[from, to]];
  } else {
    // Hours cut by an edge are read from events; every other hour of the range from the roll-up.
    const dirty = [...new Set(edges.filter((e) => e % HOUR_MS !== 0).map(floorHour))].sort((a, b) => a - b);
    rawRanges = dirty.map((h) => [Math.max(h, from), Math.min(h + HOUR_MS, to)] as [number, number]);
    const lo = floorHour(from);
    const hi = ceilHour(to);
    if (lo < hi) {
      const result = await db.execute(sql`
        select ${bucketOf(sql`r.hour`, inner)} as b, r.type, r.machine,
          sum(r.n)::float8 as n, sum(r.u)::float8 as u
        from engagement_rollups r
        where ${rollupScope(scope)} and r.hour >= ${ts(lo)} and r.hour < ${ts(hi)}
          ${dirty.length ? sql`and r.hour <> all(${tsArray(dirty)})` : sql``}
        group by 1, 2, 3`);
      rows.push(...rowsOf<CountRow>(result));
    }
  }
  rawRanges = rawRanges.filter(([a, b]) => a < b);
  if (rawRanges.length) {
    // One index range scan per window: a LATERAL subquery kept apart (OFFSET 0), so the planner
    // cannot turn the windows into a filter over every event of the scope.
    const result = await db.execute(sql`
      select ${bucketOf(sql`e.at`, inner)} as b, e.type, e.machine, count(*)::float8 as n,
        (count(distinct (e.send_id, e.contact_id)) filter (where e.at = ${FIRST_OF_KIND}))::float8 as u
      from unnest(${tsArray(rawRanges.map((r) => r[0]))}, ${tsArray(rawRanges.map((r) => r[1]))}) as w(lo, hi)
        cross join lateral (
          select e.* from events e where ${eventScope(scope)} and e.at >= w.lo and e.at < w.hi offset 0
        ) e
        left join engagement_recipients r on r.send_id = e.send_id and r.contact_id = e.contact_id
      group by 1, 2, 3`);
    rows.push(...rowsOf<CountRow>(result));
  }
  for (const row of rows) {
    const bucket = out[Number(row.b)];
    if (bucket) add(bucket, row);
  }
  return out;
}

/** Totals over `[from, to)`. */
export async function countTotals(
  db: Db,
  scope: Scope,
  from: number,
  to: number,
  options?: CountOptions,
): Promise<EngagementTotals> {
  const [totals] = await countBuckets(db, scope, [from, to], options);
  return totals!;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

export function rates(t: EngagementTotals): EngagementSummary['rates'] {
  return {
    delivery: ratio(t.delivered, t.sent),
    open: ratio(t.uniqueOpens, t.uniqueDelivered),
    click: ratio(t.uniqueClicks, t.uniqueDelivered),
    bounce: ratio(t.bounces, t.sent),
    unsubscribe: ratio(t.unsubscribes, t.uniqueDelivered),
  };
}

/** Partners of the brand with at least one delivery in `[from, to)` (for the journey, if given). */
export async function activePartners(
  db: Db,
  brandId: string,
  journeyId: string | null,
  from: number,
  to: number,
): Promise<number> {
  const h0 = ceilHour(from);
  const h1 = floorHour(to);
  const whole = h0 < h1;
  const edges: [number, number][] = whole
    ? [
        [from, h0],
        [h1, to],
      ]
    : [[from, to]];
  const rawEdges = edges.filter(([a, b]) => a < b);
  const rollup = whole
    ? sql`exists (select 1 from engagement_rollups r where r.brand_id = p.brand_id and r.partner_id = p.id
        and r.journey_id = ${journeyId ?? ''} and r.send_id = '' and r.hour >= ${ts(h0)} and r.hour < ${ts(h1)}
        and r.type = 'delivered' and r.n > 0)`
    : sql`false`;
  const raw = rawEdges.length
    ? sql`exists (select 1 from events e where e.partner_id = p.id and e.brand_id = p.brand_id
        ${journeyId ? sql`and e.journey_id = ${journeyId}` : sql``} and e.type = 'delivered'
        and (${sql.join(
          rawEdges.map(([a, b]) => sql`(e.at >= ${ts(a)} and e.at < ${ts(b)})`),
          sql` or `,
        )}))`
    : sql`false`;
  const result = await db.execute(sql`
    select count(*)::int as partners from partners p
    where p.brand_id = ${brandId} and (${rollup} or ${raw})`);
  return Number(rowsOf<{ partners: number }>(result)[0]?.partners ?? 0);
}

/** The network benchmark for a scope: the brand (or the scope's journey) across all partners. */
export async function networkBenchmark(
  db: Db,
  scope: Scope,
  from: number,
  to: number,
  options?: CountOptions,
  /** The network's totals, when the caller has them already. */
  known?: EngagementTotals,
): Promise<NonNullable<EngagementSummary['network']>> {
  const network: Scope = {
    brandId: scope.brandId,
    partnerId: null,
    journeyId: scope.journeyId,
    sendId: null,
  };
  const [totals, partnerCount] = await Promise.all([
    known ?? countTotals(db, network, from, to, options),
    activePartners(db, scope.brandId, scope.journeyId, from, to),
  ]);
  const enough = partnerCount >= MIN_BENCHMARK_PARTNERS && totals.uniqueDelivered >= MIN_BENCHMARK_RECIPIENTS;
  const r = rates(totals);
  return { open: enough ? r.open : null, click: enough ? r.click : null, partners: partnerCount };
}

export async function summary(
  db: Db,
  scope: Scope,
  from: number,
  to: number,
  options?: CountOptions,
): Promise<EngagementSummary> {
  // A brand or journey scope is the network itself: count once. Otherwise the two run in parallel
  // on PostgreSQL's pool (PGlite runs one query at a time).
  const isNetwork = scope.partnerId === null && scope.sendId === null;
  const known = isNetwork ? await countTotals(db, scope, from, to, options) : undefined;
  const [totals, network] = await Promise.all([
    known ?? countTotals(db, scope, from, to, options),
    networkBenchmark(db, scope, from, to, options, known),
  ]);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    totals,
    rates: rates(totals),
    network,
  };
}

export async function series(
  db: Db,
  scope: Scope,
  range: { from: number; to: number; interval: Interval; tz: string },
  options?: CountOptions,
) {
  const b = buckets(range.tz, range.interval, range.from, range.to);
  if (!b) {
    throw invalid('query.interval', `too many ${range.interval}s in this range; choose a longer interval`);
  }
  const counts = await countBuckets(db, scope, b.edges, options);
  return {
    interval: range.interval,
    tz: range.tz,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    points: counts.map((t, i) => ({ at: new Date(b.starts[i]!).toISOString(), ...t })),
  };
}

/* ---------------------------------------------------------------- recipients */

const METRIC_FILTER: Record<RecipientMetric, SQL> = {
  delivered: sql`e.type = 'delivered'`,
  opened: sql`e.type = 'open' and not e.machine`,
  machineOpened: sql`e.type = 'open' and e.machine`,
  clicked: sql`e.type = 'click' and not e.machine`,
  bounced: sql`e.type = 'bounce'`,
  complained: sql`e.type = 'complaint'`,
  unsubscribed: sql`e.type = 'unsubscribe'`,
};

interface RecipientCursor {
  /** The sort it was made for. */
  s: RecipientSort;
  /** `at` (ISO, microseconds) or lower-cased email of the last row. */
  k: string;
  send: string;
  contact: string;
}

function encodeCursor(c: RecipientCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify(c));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeCursor(token: string, sort: RecipientSort): RecipientCursor {
  try {
    const binary = atob(token.replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
    const c = JSON.parse(json) as Partial<RecipientCursor>;
    if (
      c.s === sort &&
      typeof c.k === 'string' &&
      typeof c.send === 'string' &&
      typeof c.contact === 'string'
    ) {
      return c as RecipientCursor;
    }
  } catch {
    // Reported below.
  }
  throw invalid('query.cursor', 'not a cursor for this query (sort changed, or it was altered)');
}

interface RecipientRow {
  send_id: string;
  contact_id: string;
  at_key: string;
  at_ms: number;
  last_ms: number | null;
  email: string;
  email_key: string;
  name: string | null;
  delivered: boolean;
  opened: boolean;
  machine_opened: boolean;
  clicked: boolean;
  bounced: boolean;
  complained: boolean;
  unsubscribed: boolean;
  opens: number;
  machine_opens: number;
  clicks: number;
  total: number;
}

export interface RecipientQueryInput {
  from: number;
  to: number;
  metric?: RecipientMetric | undefined;
  sort: RecipientSort;
  cursor?: string | undefined;
  limit: number;
}

/**
 * Recipients with an event (of `metric`, if given) in `[from, to)`, one row per `(send, contact)`,
 * ordered by `sort` with a keyset cursor; `total` counts all matching recipients.
 */
export async function recipients(db: Db, scope: Scope, q: RecipientQueryInput) {
  const cursor = q.cursor ? decodeCursor(q.cursor, q.sort) : undefined;
  const byEmail = q.sort === 'email' || q.sort === '-email';
  const desc = q.sort.startsWith('-');
  const dir = sql.raw(desc ? 'desc' : 'asc');
  const cmp = sql.raw(desc ? '<' : '>');
  const key = byEmail ? sql`m.email_key` : sql`m.at`;
  const after = cursor
    ? sql`and (${key}, m.send_id, m.contact_id) ${cmp} (${
        byEmail ? sql`${cursor.k}` : sql`${cursor.k}::timestamptz`
      }, ${cursor.send}, ${cursor.contact})`
    : sql``;
  const result = await db.execute(sql`
    with hits as (
      select e.send_id, e.contact_id, min(e.at) as at
      from events e
      where ${eventScope(scope)} and e.at >= ${ts(q.from)} and e.at < ${ts(q.to)}
        ${q.metric ? sql`and ${METRIC_FILTER[q.metric]}` : sql``}
      group by e.send_id, e.contact_id
    ),
    m as (
      select h.send_id, h.contact_id, h.at,
        coalesce(c.email, sr.email, '') as email,
        lower(coalesce(c.email, sr.email, '')) collate "C" as email_key,
        nullif(concat_ws(' ', c.first_name, c.last_name), '') as name,
        r.first_delivered_at, r.first_open_at, r.first_machine_open_at, r.first_click_at,
        r.first_bounce_at, r.first_complaint_at, r.first_unsubscribe_at, r.last_event_at,
        coalesce(r.opens, 0) as opens, coalesce(r.machine_opens, 0) as machine_opens,
        coalesce(r.clicks, 0) as clicks,
        count(*) over () as total
      from hits h
        left join engagement_recipients r on r.send_id = h.send_id and r.contact_id = h.contact_id
        left join contacts c on c.id = h.contact_id
        left join send_recipients sr on sr.send_id = h.send_id and sr.contact_id = h.contact_id
    )
    select m.send_id, m.contact_id, m.email, m.email_key, m.name, m.opens, m.machine_opens, m.clicks,
      to_char(m.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key,
      (extract(epoch from m.at) * 1000)::float8 as at_ms,
      (extract(epoch from m.last_event_at) * 1000)::float8 as last_ms,
      m.first_delivered_at is not null as delivered, m.first_open_at is not null as opened,
      m.first_machine_open_at is not null as machine_opened, m.first_click_at is not null as clicked,
      m.first_bounce_at is not null as bounced, m.first_complaint_at is not null as complained,
      m.first_unsubscribe_at is not null as unsubscribed,
      m.total::int as total
    from m
    where true ${after}
    order by ${key} ${dir}, m.send_id ${dir}, m.contact_id ${dir}
    limit ${q.limit + 1}`);
  const rows = rowsOf<RecipientRow>(result);
  let total = Number(rows[0]?.total ?? 0);
  if (!rows.length && cursor) total = await countRecipients(db, scope, q);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > q.limit && last
      ? encodeCursor({
          s: q.sort,
          k: byEmail ? last.email_key : last.at_key,
          send: last.send_id,
          contact: last.contact_id,
        })
      : null;
  const items: RecipientEngagement[] = page.map((row) => ({
    contactId: row.contact_id,
    email: row.email,
    name: row.name,
    sendId: row.send_id,
    at: new Date(Number(row.at_ms)).toISOString(),
    delivered: row.delivered,
    opened: row.opened,
    machineOpened: row.machine_opened,
    clicked: row.clicked,
    bounced: row.bounced,
    complained: row.complained,
    unsubscribed: row.unsubscribed,
    opens: Number(row.opens),
    machineOpens: Number(row.machine_opens),
    clicks: Number(row.clicks),
    lastEventAt: row.last_ms === null ? null : new Date(Number(row.last_ms)).toISOString(),
  }));
  return { items, nextCursor, total };
}

/** The total of a query whose page came back empty (the window count is on the rows). */
async function countRecipients(db: Db, scope: Scope, q: RecipientQueryInput): Promise<number> {
  const result = await db.execute(sql`
    select count(*)::int as total from (
      select 1 from events e
      where ${eventScope(scope)} and e.at >= ${ts(q.from)} and e.at < ${ts(q.to)}
        ${q.metric ? sql`and ${METRIC_FILTER[q.metric]}` : sql``}
      group by e.send_id, e.contact_id
    ) x`);
  return Number(rowsOf<{ total: number }>(result)[0]?.total ?? 0);
}
