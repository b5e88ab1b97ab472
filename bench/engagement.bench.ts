/**
 * Engagement read and write speed over 1,000,000 events (the `brand_bench` brand of
 * `server/seed/large.ts`: 50 partners, 20,000 sends, events spread over 90 days), on PGlite and on
 * PostgreSQL (a throwaway cluster from test/node/support/postgres.ts, or DM_TEST_PG_URL).
 *
 * Reads: the API's summary and series (hourly roll-ups, raw events only for hours cut by a bucket edge)
 * against a plain `GROUP BY` over the raw events table for the same scope and range, and against the
 * exact raw path of the same code (same answer as the roll-ups, no roll-ups). Medians of several runs.
 * PostgreSQL runs with `jit = off` (see below). Writes: events/s through the batched EventWriter (roll-up trigger included) with 200 concurrent
 * writers, against one INSERT per event.
 *
 * The PGlite data set is generated once and reused from node_modules/.cache (see `cachedPglite`);
 * PostgreSQL generates it in about a minute each run.
 *
 * The two engines run at the same time in two processes (see `both`).
 *
 *   npx tsx bench/engagement.bench.ts [events=1000000] [runs=7]      DM_BENCH_DB=pglite|postgres for one
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import { migrationsFolder, openDatabase, type OpenedDb } from '../server/db/open.js';
import type { Db } from '../server/db/types.js';
import { countTotals, series, summary, type Scope } from '../server/domain/engagement.js';
import { EventWriter, type EventInsert } from '../server/domain/engagement-writer.js';
import { generateLarge, LARGE_BRAND_ID } from '../server/seed/large.js';
import { report, RESULT_PREFIX } from './lib/report.js';
import { createPostgresDatabase } from '../test/node/support/db.js';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 7);
const only = process.env.DM_BENCH_DB;
const DAY = 86_400_000;

interface Row {
  db: string;
  query: string;
  rollup: number;
  plain: number;
  exact: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Median of RUNS runs after a warm-up. A query slower than 1.5 s (the plain GROUP BYs over the whole
 * network) runs twice in all and reports the mean: its run-to-run spread is small against its size.
 */
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn(); // warm-up (plans, caches)
  const first = performance.now() - t;
  const runs = first > 1500 ? 1 : RUNS;
  const times: number[] = first > 1500 ? [first] : [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function scopeSql(scope: Scope): SQL {
  const parts = [sql`brand_id = ${scope.brandId}`];
  if (scope.partnerId) parts.push(sql`partner_id = ${scope.partnerId}`);
  if (scope.journeyId) parts.push(sql`journey_id = ${scope.journeyId}`);
  if (scope.sendId) parts.push(sql`send_id = ${scope.sendId}`);
  return sql.join(parts, sql` and `);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** What a dashboard without roll-ups would run: one GROUP BY over the events of the range. */
const plainTotals = (db: Db, scope: Scope, from: number, to: number) =>
  db.execute(sql`
    select type, machine, count(*) as n, count(distinct (send_id, contact_id)) as u
    from events where ${scopeSql(scope)} and at >= ${iso(from)}::timestamptz and at < ${iso(to)}::timestamptz
    group by 1, 2`);

/** The summary without roll-ups: the scope's totals, the network's (same journey) and its active partners. */
const plainSummary = (db: Db, scope: Scope, from: number, to: number) => {
  const network: Scope = {
    brandId: scope.brandId,
    partnerId: null,
    journeyId: scope.journeyId,
    sendId: null,
  };
  return Promise.all([
    plainTotals(db, scope, from, to),
    plainTotals(db, network, from, to),
    db.execute(sql`
      select count(distinct partner_id) from events where ${scopeSql(network)} and type = 'delivered'
        and at >= ${iso(from)}::timestamptz and at < ${iso(to)}::timestamptz`),
  ]);
};

const plainSeries = (db: Db, scope: Scope, from: number, to: number, unit: string, tz: string) =>
  db.execute(sql`
    select date_trunc(${unit}, at, ${tz}) as b, type, machine, count(*) as n,
      count(distinct (send_id, contact_id)) as u
    from events where ${scopeSql(scope)} and at >= ${iso(from)}::timestamptz and at < ${iso(to)}::timestamptz
    group by 1, 2, 3`);

/** One run, for the figures only quoted in notes. */
async function once(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function readBench(label: string, db: Db, now: number): Promise<Row[]> {
  const brand: Scope = { brandId: LARGE_BRAND_ID, partnerId: null, journeyId: null, sendId: null };
  const partner: Scope = { ...brand, partnerId: 'bp_0007' };
  const [busiest] = (
    (await db.execute(sql`
      select journey_id from engagement_rollups where brand_id = ${LARGE_BRAND_ID} and partner_id = ''
        and journey_id <> '' and send_id = '' group by 1 order by sum(n) desc limit 1`)) as unknown as {
      rows: { journey_id: string }[];
    }
  ).rows;
  const journey: Scope = { ...brand, journeyId: busiest!.journey_id };
  const send: Scope = { ...brand, partnerId: 'bp_0001', journeyId: 'bj_0000001', sendId: null };
  const [oneSend] = (
    (await db.execute(
      sql`select partner_id, journey_id, id from sends where brand_id = ${LARGE_BRAND_ID} order by id limit 1`,
    )) as unknown as {
      rows: { partner_id: string; journey_id: string; id: string }[];
    }
  ).rows;
  Object.assign(send, {
    partnerId: oneSend!.partner_id,
    journeyId: oneSend!.journey_id,
    sendId: oneSend!.id,
  });

  // Ranges as the element asks for them: whole local days ending tomorrow, local midnight in UTC.
  const to = Math.ceil(now / DAY) * DAY;
  const from90 = to - 90 * DAY;
  const from30 = to - 30 * DAY;
  const shanghai = { to: to - 8 * 3_600_000, from: from90 - 8 * 3_600_000 };

  const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>, () => Promise<unknown>]> = [
    [
      'summary, network, 90 d',
      () => summary(db, brand, from90, to),
      () => plainSummary(db, brand, from90, to),
      () => summary(db, brand, from90, to, { rollups: false }),
    ],
    [
      'summary, partner, 30 d',
      () => summary(db, partner, from30, to),
      () => plainSummary(db, partner, from30, to),
      () => summary(db, partner, from30, to, { rollups: false }),
    ],
    [
      'summary, journey, 90 d',
      () => summary(db, journey, from90, to),
      () => plainSummary(db, journey, from90, to),
      () => summary(db, journey, from90, to, { rollups: false }),
    ],
    [
      'summary, send, 90 d',
      () => countTotals(db, send, from90, to),
      () => plainTotals(db, send, from90, to),
      () => countTotals(db, send, from90, to, { rollups: false }),
    ],
    [
      'series, network, day, 90 d, UTC',
      () => series(db, brand, { from: from90, to, interval: 'day', tz: 'UTC' }),
      () => plainSeries(db, brand, from90, to, 'day', 'UTC'),
      () => series(db, brand, { from: from90, to, interval: 'day', tz: 'UTC' }, { rollups: false }),
    ],
    [
      'series, network, day, 90 d, Asia/Shanghai',
      () => series(db, brand, { ...shanghai, interval: 'day', tz: 'Asia/Shanghai' }),
      () => plainSeries(db, brand, shanghai.from, shanghai.to, 'day', 'Asia/Shanghai'),
      () => series(db, brand, { ...shanghai, interval: 'day', tz: 'Asia/Shanghai' }, { rollups: false }),
    ],
    [
      'series, network, day, 90 d, Asia/Kolkata (+5:30)',
      () => series(db, brand, { from: from90, to, interval: 'day', tz: 'Asia/Kolkata' }),
      () => plainSeries(db, brand, from90, to, 'day', 'Asia/Kolkata'),
      () => series(db, brand, { from: from90, to, interval: 'day', tz: 'Asia/Kolkata' }, { rollups: false }),
    ],
    [
      'series, partner, week, 90 d',
      () => series(db, partner, { from: from90, to, interval: 'week', tz: 'UTC' }),
      () => plainSeries(db, partner, from90, to, 'week', 'UTC'),
      () => series(db, partner, { from: from90, to, interval: 'week', tz: 'UTC' }, { rollups: false }),
    ],
  ];
  const rows: Row[] = [];
  // The time-zone cases run the UTC case's code with another zone; on PGlite, whose full scans take
  // 15–20 s each, they are left to PostgreSQL.
  for (const [query, rollup, plain, exact] of cases.filter(
    ([query]) => label !== 'PGlite' || !/Asia\//.test(query),
  )) {
    const row = {
      db: label,
      query,
      rollup: await time(rollup),
      plain: await time(plain),
      exact: await once(exact),
    };
    rows.push(row);
    console.log(
      `  ${query}: roll-ups ${fmt(row.rollup)} ms, plain ${fmt(row.plain)} ms, exact raw ${fmt(row.exact)} ms`,
    );
  }
  return rows;
}

interface WriteRow {
  db: string;
  mode: string;
  perSecond: number;
  batches: number;
}

function pixelEvents(n: number, now: number): EventInsert[] {
  return Array.from({ length: n }, (_, i) => {
    const s = 1 + (i % 20_000);
    const p = 1 + (s % 50);
    return {
      brandId: LARGE_BRAND_ID,
      partnerId: `bp_${String(p).padStart(4, '0')}`,
      journeyId: 'bj_0000001',
      sendId: `bs_${String(s).padStart(7, '0')}`,
      stepId: 'welcome',
      contactId: `bc_${String(1 + (i % 50_000)).padStart(8, '0')}`,
      type: 'open' as const,
      machine: i % 4 === 0,
      at: new Date(now + i),
      meta: { userAgent: 'bench' },
    };
  });
}

/** `concurrency` request loops each writing events one after another through `writer` for `ms`. */
async function writeBench(label: string, db: Db, now: number): Promise<WriteRow[]> {
  const rows: WriteRow[] = [];
  const modes: Array<[string, EventWriter, number, number]> = [
    [
      'EventWriter (≤ 10 ms / 1000 events), 200 concurrent',
      new EventWriter(db, { maxWaitMs: 10, maxBatch: 1000 }),
      200,
      4000,
    ],
    [
      'EventWriter (≤ 10 ms / 1000 events), 1000 concurrent',
      new EventWriter(db, { maxWaitMs: 10, maxBatch: 1000 }),
      1000,
      4000,
    ],
    ['one INSERT per event, 200 concurrent', new EventWriter(db, { maxWaitMs: 0, maxBatch: 1 }), 200, 4000],
  ];
  for (const [mode, writer, concurrency, ms] of modes) {
    const pool = pixelEvents(400_000, now);
    let next = 0;
    let written = 0;
    const end = performance.now() + ms;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          await writer.write(pool[next++ % pool.length]!);
          written += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    rows.push({ db: label, mode, perSecond: Math.round(written / seconds), batches: writer.batches });
    console.log(`  ${mode}: ${rows[rows.length - 1]!.perSecond} events/s`);
  }
  return rows;
}

/** Generates the `brand_bench` data set; returns the `now` it is relative to. */
async function generate(label: string, opened: OpenedDb): Promise<number> {
  const now = Date.now();
  console.log(
    `${label}: generating ${EVENTS.toLocaleString('en')} events (roll-ups maintained by the trigger)…`,
  );
  const t0 = performance.now();
  const result = await generateLarge(opened.db, {
    kind: opened.kind,
    events: EVENTS,
    journeys: 500,
    contacts: 50_000,
    partners: 50,
    now: new Date(now),
  });
  console.log(
    `${label}: generated in ${Math.round((performance.now() - t0) / 1000)} s (${result.counts.sends} sends)`,
  );
  await opened.db.execute(sql`vacuum analyze`);
  return now;
}

/**
 * The PGlite data set, generated once per machine (about 5 minutes for a million events through the
 * roll-up trigger) and kept under node_modules/.cache, keyed by the migrations, the generator and the
 * event count; each run works on a copy, as the write benchmark adds events.
 */
async function cachedPglite(): Promise<{ opened: OpenedDb; now: number; done: () => Promise<void> }> {
  const hash = createHash('sha256').update(`${EVENTS}\n`);
  for (const file of [...(await readdir(migrationsFolder, { recursive: true }))].sort()) {
    const full = path.join(migrationsFolder, file);
    if ((await stat(full)).isFile()) hash.update(file).update(await readFile(full));
  }
  hash.update(await readFile(fileURLToPath(new URL('../server/seed/large.ts', import.meta.url))));
  const cache = fileURLToPath(
    new URL(
      `../node_modules/.cache/dm-kit/engagement-pglite-${hash.digest('hex').slice(0, 16)}`,
      import.meta.url,
    ),
  );
  if (!existsSync(path.join(cache, 'now.json'))) {
    await rm(cache, { recursive: true, force: true });
    const opened = await openDatabase({ dataDir: path.join(cache, 'db') });
    const now = await generate('PGlite', opened);
    await opened.close();
    await writeFile(path.join(cache, 'now.json'), JSON.stringify({ now }));
  } else console.log(`PGlite: the generated data set is reused from ${path.relative(process.cwd(), cache)}`);
  const { now } = JSON.parse(await readFile(path.join(cache, 'now.json'), 'utf8')) as { now: number };
  const copy = await mkdtemp(path.join(tmpdir(), 'dm-engagement-bench-'));
  await cp(path.join(cache, 'db'), copy, { recursive: true });
  const opened = await openDatabase({ dataDir: copy });
  return { opened, now, done: () => rm(copy, { recursive: true, force: true }) };
}

async function measure(label: string, opened: OpenedDb, now: number) {
  const [counts] = (
    (await opened.db.execute(sql`
      select (select count(*) from events)::int as events, (select count(*) from engagement_rollups)::int as rollups,
        (select count(*) from engagement_recipients)::int as recipients`)) as unknown as {
      rows: { events: number; rollups: number; recipients: number }[];
    }
  ).rows;
  console.log(
    `${label}: ${counts!.events} events, ${counts!.rollups} roll-up rows, ${counts!.recipients} recipient rows`,
  );
  const reads = await readBench(label, opened.db, now);
  const writes = await writeBench(label, opened.db, now);
  return { reads, writes };
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms).toString());

/**
 * Both engines at once, each in its own process: PGlite computes in this machine's Node process,
 * PostgreSQL in its server processes, so on two cores neither waits for the other (in one process,
 * PGlite's synchronous WebAssembly would stall the PostgreSQL client's timings).
 */
async function both(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const engines: Array<[string, string]> = [
    ['pglite', 'PGlite'],
    ['postgres', 'PostgreSQL'],
  ];
  const codes = await Promise.all(
    engines.map(
      ([db, label]) =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', self, ...process.argv.slice(2)], {
            env: { ...process.env, DM_BENCH_DB: db },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          createInterface({ input: child.stdout }).on('line', (line) =>
            console.log(line.startsWith(RESULT_PREFIX) ? line : `[${label}] ${line}`),
          );
          child.on('close', (code) => resolve(code ?? 1));
        }),
    ),
  );
  process.exit(codes.every((c) => c === 0) ? 0 : 1);
}

async function main() {
  if (!only) return both();
  const reads: Row[] = [];
  const writes: WriteRow[] = [];
  if (only === 'pglite') {
    const { opened, now, done } = await cachedPglite();
    try {
      const r = await measure('PGlite', opened, now);
      reads.push(...r.reads);
      writes.push(...r.writes);
    } finally {
      await opened.close();
      await done();
    }
  }
  if (only === 'postgres') {
    const created = await createPostgresDatabase();
    // JIT off (DM_BENCH_JIT=1 keeps it on): compiling a plan costs 0.1–4 s here, more than most of
    // these queries take; a server answering dashboards should run with jit = off.
    const url = new URL(created.url);
    if (!process.env.DM_BENCH_JIT) url.searchParams.set('options', '-c jit=off');
    const opened = await openDatabase({ url: url.toString() });
    try {
      const r = await measure('PostgreSQL', opened, await generate('PostgreSQL', opened));
      reads.push(...r.reads);
      writes.push(...r.writes);
    } finally {
      await opened.close();
      await created.drop();
    }
  }

  console.log(`\nReads over ${EVENTS.toLocaleString('en')} events, median of ${RUNS} runs (ms)`);
  console.table(
    reads.map((r) => ({
      db: r.db,
      query: r.query,
      'roll-ups': fmt(r.rollup),
      'plain GROUP BY': fmt(r.plain),
      'speed-up': `${(r.plain / r.rollup).toFixed(1)}×`,
      'exact raw path': fmt(r.exact),
    })),
  );
  console.log('\nWrites: events/s into events (+ roll-up trigger)');
  console.table(
    writes.map((w) => ({ db: w.db, mode: w.mode, 'events/s': w.perSecond, statements: w.batches })),
  );
  const perEvent = (db: string) => writes.find((w) => w.db === db && w.mode.startsWith('one INSERT'));
  report('engagement', [
    ...reads.map((r) => ({
      name: `${r.query} over ${EVENTS.toLocaleString('en')} events (${r.db})`,
      unit: 'ms',
      better: 'lower' as const,
      ours: r.rollup,
      peer: r.plain,
      peerName: 'plain GROUP BY over the events',
      note: `the exact raw path of the same code (one run): ${fmt(r.exact)} ms`,
    })),
    ...writes
      .filter((w) => !w.mode.startsWith('one INSERT'))
      .map((w) => ({
        name: `events/s written, ${w.mode} (${w.db})`,
        unit: 'events/s',
        better: 'higher' as const,
        ours: w.perSecond,
        peer: perEvent(w.db)?.perSecond ?? 0,
        peerName: 'one INSERT per event, 200 concurrent',
      })),
  ]);
  process.exit(0);
}

await main();
