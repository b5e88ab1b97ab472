/**
 * Approvals, server side:
 * - redlines/s: our redline diff (`server/domain/diff.ts`: our tokens, jsdiff's `diffArrays`, semantic
 *   clean-up) against jsdiff's own `diffWords` on the same partner edits of a brand paragraph.
 *   Target ≥ 0.5 × jsdiff.
 * - the first page of a 10,000-item queue through `GET /v1/approvals` (scope, count, facets, mapping,
 *   in-process app on PGlite) against the bare keyset query it wraps. Target: within 3× of the bare query.
 *
 *   npx tsx bench/approval-queue.bench.ts
 */
import { sql } from 'drizzle-orm';
import { report, spread } from './lib/report.js';
import { createApp } from '../server/app.js';
import { signToken } from '../server/auth.js';
import { openDatabase } from '../server/db/open.js';
import { diffWords as jsdiffWords } from 'diff';
import { diffWords } from '../server/domain/diff.js';
import { seedDemo } from '../server/seed/demo.js';

const ROUNDS = 7;

// ---- redlines ------------------------------------------------------------------------------------------

const original =
  'Thank you for visiting us last week. We hope you enjoyed the test drive of the new Aurora E-Line and ' +
  'that all your questions were answered. Our service team is here for you from Monday to Saturday, ' +
  'and you can book your next appointment online at any time. We look forward to seeing you again soon.';
const edits = Array.from({ length: 200 }, (_, i) => {
  const words = original.split(' ');
  // A few word changes, an insertion and a deletion at positions that vary per edit.
  words[(i * 7) % words.length] = `changed${i}`;
  words.splice((i * 13) % words.length, 0, 'really');
  words.splice((i * 5) % words.length, 1);
  return words.join(' ');
});

function redlinesPerSecond(fn: (a: string, b: string) => unknown): number {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 400) {
    for (const edit of edits) fn(original, edit);
    n += edits.length;
  }
  return n / ((performance.now() - start) / 1000);
}

redlinesPerSecond(diffWords);
redlinesPerSecond(jsdiffWords);
const ours: number[] = [];
const theirs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  ours.push(redlinesPerSecond(diffWords));
  theirs.push(redlinesPerSecond(jsdiffWords));
}
const diffOurs = spread(ours);

// ---- a 10,000-item queue ------------------------------------------------------------------------------

const opened = await openDatabase();
const db = opened.db;
await seedDemo(db, { now: new Date() });
const SECRET = 'bench-secret-0123456789-abcdefghijklmnop';
const app = createApp({ db, secret: SECRET });
// Held sends inserted directly; the `sends_open_approval` trigger opens an approval for each.
await db.execute(sql`
  insert into sends (id, brand_id, partner_id, journey_id, created_by, kind, status, personalization,
    overrides, recipient_count, created_at, step_id, snapshot)
  select 'snd_bench_' || g, 'brand_aurora', 'partner_north', j.id, 'u_jana', 'quick', 'pending_approval',
    '{}'::jsonb, '{}'::jsonb, 1 + g % 50, now() - (g || ' minutes')::interval, j.steps->0->>'id',
    jsonb_build_object('name', j.name, 'steps', j.steps, 'mergeFields', j.merge_fields,
      'approvalRule', jsonb_build_object('mode', 'always', 'approver', 'partner_manager'))
  from generate_series(1, 10000) as g,
    lateral (select * from journeys where brand_id = 'brand_aurora' and status = 'published' order by id limit 1) as j`);
const token = await signToken(SECRET, {
  sub: 'u_manager',
  brand: 'brand_aurora',
  partner: 'partner_north',
  role: 'approver',
});

async function apiPage(): Promise<number> {
  const start = performance.now();
  const res = await app.request('/v1/approvals?limit=100', { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { items: unknown[]; total: number };
  if (res.status !== 200 || body.items.length !== 100 || body.total < 10_000) throw new Error('bad page');
  return performance.now() - start;
}

async function rawPage(): Promise<number> {
  const start = performance.now();
  await db.execute(sql`
    select a.*, s.* from approvals a join sends s on s.id = a.send_id
    where a.brand_id = 'brand_aurora' and a.partner_id = 'partner_north' and a.approver_kind = 'partner_manager'
      and a.status = 'pending' and s.status = 'pending_approval'
    order by a.submitted_at, a.id limit 101`);
  return performance.now() - start;
}

await apiPage();
await rawPage();
const api: number[] = [];
const raw: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  api.push(await apiPage());
  raw.push(await rawPage());
}
await opened.close();
const page = spread(api);

report('approval-queue', [
  {
    name: 'redlines/s (a 300-character paragraph, 3 edits)',
    unit: '1/s',
    better: 'higher',
    ours: diffOurs.value,
    min: diffOurs.min,
    max: diffOurs.max,
    peer: spread(theirs).value,
    peerName: 'jsdiff diffWords',
    target: { ratio: 0.5 },
  },
  {
    name: 'first page of a 10,000-item queue (GET /v1/approvals, PGlite)',
    unit: 'ms',
    better: 'lower',
    ours: page.value,
    min: page.min,
    max: page.max,
    peer: spread(raw).value,
    peerName: 'bare keyset SELECT',
    target: { ratio: 0.33 },
    note: 'ours adds the total count, facets, names and the response mapping; PGlite is the trial store',
  },
]);
