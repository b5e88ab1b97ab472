import { eq, sql, type SQL } from 'drizzle-orm';
import { brands, partners, users } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { DEMO_JOURNEYS } from './demo-journeys.js';

export const LARGE_BRAND_ID = 'brand_bench';

export interface LargeOptions {
  /** Journeys and templates (default 10,000; about 2 % drafts, 1 % archived, the rest published). */
  journeys?: number;
  /** Contacts, spread evenly over the partners (default 100,000). */
  contacts?: number;
  /** Engagement events over the last 90 days (default 1,000,000). */
  events?: number;
  /** Partners (default 50), each with one partner user. */
  partners?: number;
  now?: Date;
  /** Which engine: PostgreSQL gets one `INSERT … SELECT generate_series` per table, PGlite chunks. */
  kind?: 'pglite' | 'postgres';
  /** Rows per statement; default: all at once on PostgreSQL, 50,000 on PGlite. */
  chunk?: number;
  /** Progress lines (default: silent). */
  log?: (line: string) => void;
}

export interface LargeResult {
  generated: boolean;
  brandId: string;
  counts: { partners: number; journeys: number; contacts: number; sends: number; events: number };
  ms: number;
}

const CATEGORIES = [
  'onboarding',
  'thank_you',
  'follow_up',
  'reminder',
  'offer',
  'promotion',
  'event',
  'newsletter',
];
const WORDS = [
  'welcome',
  'service',
  'winter',
  'summer',
  'electric',
  'hybrid',
  'lease',
  'loyalty',
  'trade-in',
  'tyres',
  'launch',
  'preview',
  'festival',
  'anniversary',
  'fleet',
  'finance',
  'charging',
  'safety',
  'roadside',
  'upgrade',
  'family',
  'city',
  'adventure',
  'premium',
  'warranty',
  'inspection',
  'accessories',
  'insurance',
  'delivery',
  'club',
];
const REGIONS = [
  'north',
  'south',
  'east',
  'west',
  'berlin',
  'shanghai',
  'beijing',
  'paris',
  'milan',
  'madrid',
];
const FIRST = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Elif',
  'Finn',
  'Greta',
  'Hannah',
  'Jonas',
  'Lena',
  'Marco',
  'Nina',
  '伟',
  '静',
  '芳',
  '磊',
];
const LAST = [
  'Müller',
  'Schmidt',
  'Weber',
  'Wagner',
  'Becker',
  'Hoffmann',
  'Koch',
  'Rossi',
  'Nowak',
  'Jansen',
  '李',
  '王',
  '张',
  '陈',
];

const textArray = (items: readonly string[]) =>
  sql.raw(`array[${items.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}]::text[]`);

/**
 * Generates a large synthetic brand for benchmarks (`brand_bench`): partners, journeys, contacts, sends
 * and engagement events, with `INSERT … SELECT generate_series` so the rows never pass through Node.
 * Deterministic (row values derive from the row number); skips when the brand already exists.
 */
export async function generateLarge(db: Db, options: LargeOptions = {}): Promise<LargeResult> {
  const started = performance.now();
  const nJourneys = options.journeys ?? 10_000;
  const nContacts = options.contacts ?? 100_000;
  const nEvents = options.events ?? 1_000_000;
  const nPartners = Math.max(1, options.partners ?? 50);
  const nSends = nEvents > 0 ? Math.max(1, Math.ceil(nEvents / 50)) : 0;
  const now = (options.now ?? new Date()).toISOString();
  const chunk = options.chunk ?? (options.kind === 'postgres' ? Number.MAX_SAFE_INTEGER : 50_000);
  const log = options.log ?? (() => {});
  const brandId = LARGE_BRAND_ID;
  const counts = {
    partners: nPartners,
    journeys: nJourneys,
    contacts: nContacts,
    sends: nSends,
    events: nEvents,
  };

  const existing = await db.select({ id: brands.id }).from(brands).where(eq(brands.id, brandId)).limit(1);
  if (existing.length > 0) {
    log(`${brandId} exists; nothing generated`);
    return { generated: false, brandId, counts, ms: performance.now() - started };
  }
  if (nContacts > 0 && nContacts < nPartners) throw new Error('need at least one contact per partner');

  await db.insert(brands).values({
    id: brandId,
    name: 'Borealis Trucks (benchmark)',
    domain: 'borealis.example',
    postalAddress: 'Borealis Trucks AB, Hamngatan 1, 111 47 Stockholm, Sweden',
  });
  const partnerRows = Array.from({ length: nPartners }, (_, k) => {
    const n = k + 1;
    return {
      id: pid(n),
      brandId,
      name: `Borealis Partner ${n}`,
      tier: (['gold', 'silver', 'bronze'] as const)[k % 3]!,
      region: REGIONS[k % REGIONS.length]!,
      replyTo: `partner${n}@borealis-partners.example`,
      postalAddress: `Borealis Partner ${n}, Main Street ${n}`,
      signature: `Team Borealis Partner ${n}`,
    };
  });
  for (let i = 0; i < partnerRows.length; i += 500)
    await db.insert(partners).values(partnerRows.slice(i, i + 500));
  const userRows = [
    {
      id: 'bu_admin',
      brandId,
      partnerId: null,
      name: 'Bench Admin',
      email: 'admin@borealis.example',
      role: 'brand_admin' as const,
      description: 'Benchmark brand admin',
    },
    ...partnerRows.map((p, k) => ({
      id: uid(k + 1),
      brandId,
      partnerId: p.id,
      name: `Partner user ${k + 1}`,
      email: `user${k + 1}@borealis-partners.example`,
      role: 'partner' as const,
      description: `Benchmark partner user (${p.tier}, ${p.region})`,
    })),
  ];
  for (let i = 0; i < userRows.length; i += 500) await db.insert(users).values(userRows.slice(i, i + 500));

  const template = DEMO_JOURNEYS[0]!;
  const steps = JSON.stringify(template.steps);
  const mergeFields = JSON.stringify(template.mergeFields);

  const series = async (label: string, total: number, build: (from: number, to: number) => SQL) => {
    const t0 = performance.now();
    for (let from = 1; from <= total; from += chunk) {
      const to = Math.min(total, from + chunk - 1);
      await db.execute(build(from, to));
    }
    log(`${label}: ${total} rows in ${Math.round(performance.now() - t0)} ms`);
  };

  await series(
    'journeys',
    nJourneys,
    (from, to) => sql`
    insert into journeys (id, brand_id, kind, status, name, summary, category, channel, locale, tags, tiers,
      regions, search_text, steps, merge_fields, approval_rule, thumbnail_url, created_at, stat_sends,
      stat_recipients, stat_partners, stat_open_rate, stat_click_rate)
    select id, ${brandId}, kind, status, name, summary, category, 'email', locale, tags, tiers, regions,
      lower(name || ' ' || summary || ' ' || array_to_string(tags, ' ')),
      ${steps}::jsonb, ${mergeFields}::jsonb, approval_rule, null, created_at,
      sends, sends * (3 + i % 40), partners_used,
      case when partners_used >= 5 and sends * (3 + i % 40) >= 5 then round((0.2 + (i * 37 % 500) / 1000.0)::numeric, 4)::float8 end,
      case when partners_used >= 5 and sends * (3 + i % 40) >= 5 then round((0.02 + (i * 53 % 250) / 1000.0)::numeric, 4)::float8 end
    from (
      select i,
        'bj_' || lpad(i::text, 7, '0') as id,
        case when i % 3 = 0 then 'journey' else 'template' end as kind,
        case when i % 50 = 0 then 'draft' when i % 97 = 0 then 'archived' else 'published' end as status,
        initcap(w1) || ' ' || w2 || ' ' || c || ' #' || i as name,
        'Benchmark ' || replace(c, '_', ' ') || ' about ' || w1 || ' and ' || w2 as summary,
        c as category,
        case when i % 10 = 0 then 'zh-CN' else 'en' end as locale,
        array[w1, w2] as tags,
        case when i % 7 = 0 then array['gold'] when i % 11 = 0 then array['gold', 'silver'] else '{}'::text[] end as tiers,
        case when i % 13 = 0 then array[(${textArray(REGIONS)})[1 + i % ${REGIONS.length}]] else '{}'::text[] end as regions,
        case i % 4 when 0 then '{"mode":"never","approver":"partner_manager"}'::jsonb
          when 1 then '{"mode":"always","approver":"brand_compliance"}'::jsonb
          when 2 then '{"mode":"over_recipients","threshold":50,"approver":"partner_manager"}'::jsonb
          else '{"mode":"edited","approver":"partner_manager"}'::jsonb end as approval_rule,
        ${now}::timestamptz - (i * interval '17 minutes') as created_at,
        ((i::bigint * 7919) % 500)::int as sends,
        least(${nPartners}, (i * 13) % 12) as partners_used
      from (
        select i,
          (${textArray(WORDS)})[1 + (i * 7) % ${WORDS.length}] as w1,
          (${textArray(WORDS)})[1 + (i * 13 + 5) % ${WORDS.length}] as w2,
          (${textArray(CATEGORIES)})[1 + i % ${CATEGORIES.length}] as c
        from generate_series(${from}::int, ${to}::int) as i
      ) w
    ) j
  `,
  );

  await series(
    'contacts',
    nContacts,
    (from, to) => sql`
    insert into contacts (id, brand_id, partner_id, email, first_name, last_name, company, locale, consent,
      status, tags, search_text, created_at)
    select id, ${brandId}, partner_id, email, first_name, last_name, company, locale, consent, status, tags,
      lower(concat_ws(' ', first_name, last_name, email, company)), created_at
    from (
      select
        'bc_' || lpad(i::text, 8, '0') as id,
        'bp_' || lpad((1 + i % ${nPartners})::text, 4, '0') as partner_id,
        'contact' || i || '@bench.example' as email,
        case when i % 23 = 0 then null else (${textArray(FIRST)})[1 + (i * 7) % ${FIRST.length}] end as first_name,
        case when i % 29 = 0 then null else (${textArray(LAST)})[1 + (i * 11) % ${LAST.length}] end as last_name,
        case when i % 5 = 0 then 'Company ' || (i % 997) end as company,
        case when i % 10 = 0 then 'zh-CN' when i % 17 = 0 then null else 'en' end as locale,
        case when i % 12 = 0 then 'opted_out' when i % 4 = 0 then 'unknown' else 'opted_in' end as consent,
        case when i % 40 = 0 then 'unsubscribed' when i % 53 = 0 then 'bounced' when i % 211 = 0 then 'complained' else 'active' end as status,
        case when i % 3 = 0 then array['customer'] when i % 3 = 1 then array['prospect', 'fleet'] else '{}'::text[] end as tags,
        ${now}::timestamptz - ((i::bigint * 7919) % (720 * 86400)) * interval '1 second' as created_at
      from generate_series(${from}::int, ${to}::int) as i
    ) c
  `,
  );

  // Send s belongs to partner 1 + s % P and journey 1 + (s * 31) % J; its events use that partner's contacts.
  const journeyCount = Math.max(1, nJourneys);
  await series(
    'sends',
    nSends,
    (from, to) => sql`
    insert into sends (id, brand_id, partner_id, journey_id, created_by, kind, status, recipient_count, created_at)
    select 'bs_' || lpad(s::text, 7, '0'), ${brandId},
      'bp_' || lpad((1 + s % ${nPartners})::text, 4, '0'),
      'bj_' || lpad((1 + (s::bigint * 31) % ${journeyCount})::text, 7, '0'),
      'bu_' || lpad((1 + s % ${nPartners})::text, 4, '0'),
      case when (1 + (s::bigint * 31) % ${journeyCount}) % 3 = 0 then 'journey' else 'quick' end,
      'sent', 50,
      ${now}::timestamptz - ((s::bigint * 104729) % (90 * 86400)) * interval '1 second'
    from generate_series(${from}::int, ${to}::int) as s
  `,
  );

  const perPartner = Math.max(1, Math.floor(nContacts / nPartners));
  await series(
    'events',
    nEvents,
    (from, to) => sql`
    insert into events (brand_id, partner_id, journey_id, send_id, step_id, contact_id, type, machine, at)
    select ${brandId},
      'bp_' || lpad((1 + s % ${nPartners})::text, 4, '0'),
      'bj_' || lpad((1 + (s::bigint * 31) % ${journeyCount})::text, 7, '0'),
      'bs_' || lpad(s::text, 7, '0'),
      'welcome',
      'bc_' || lpad((((i % ${perPartner}) + (s % ${nPartners} = 0)::int) * ${nPartners} + s % ${nPartners})::text, 8, '0'),
      case when i % 20 < 6 then 'sent' when i % 20 < 12 then 'delivered' when i % 20 < 16 then 'open'
        when i % 20 < 18 then 'click' when i % 20 = 18 then 'bounce' else 'unsubscribe' end,
      i % 20 between 12 and 13 and i % 3 = 0,
      ${now}::timestamptz - ((i::bigint * 104729) % (90 * 86400)) * interval '1 second'
    from (select i, 1 + i % ${Math.max(1, nSends)} as s from generate_series(${from}::int, ${to}::int) as i) e
  `,
  );

  const ms = performance.now() - started;
  log(`done in ${Math.round(ms)} ms`);
  return { generated: true, brandId, counts, ms };
}

const pid = (n: number) => `bp_${String(n).padStart(4, '0')}`;
const uid = (n: number) => `bu_${String(n).padStart(4, '0')}`;
