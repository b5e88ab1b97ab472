/**
 * Load on the real server: 200 simulated partner users browsing the showroom, opening journeys,
 * listing contacts, previewing and now and then sending, for a fixed time (default 30 s), against
 * `server/main.ts` on PostgreSQL with its outbox worker delivering to a loopback SMTP sink.
 *
 * Setup: a throwaway PostgreSQL cluster (test/node/support/postgres.ts) seeded with the demo brand
 * (`seedDemo`), an SMTP sink that only counts (test/node/sending/smtp-sink.ts), and the server as its
 * own process (`node --import tsx server/main.ts`, DM_DEMO=1 for demo sessions, 127.0.0.1 only). The
 * users run in a third process (bench/load/user.ts), spread over the demo brand's partner users; see
 * there for what a user does. The peer, measured in the same run, is `GET /healthz` — a trivial route
 * through the same server — driven by the same 200 users with the same think time for a short burst.
 *
 * At the end the bench waits (with a deadline) until the outbox has nothing queued, claimed or
 * delivering for this run's sends, then checks that every send answered 201 had exactly its recipients
 * delivered: its outbox rows delivered, and in all the send recipients delivered and the messages the
 * SMTP sink accepted. It exits non-zero when a request errored (any non-2xx, or 201 expected for a send),
 * a send was lost or held for approval, a message was duplicated, the outbox did not settle in time,
 * a send was created without a 201 answer, or the run created no send at all.
 *
 *   npx tsx bench/load.bench.ts          DM_LOAD_SECONDS=15 for a shorter run
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { forkChild } from './lib/child.js';
import { freePort, launch, treeCpuMs } from './lib/process.js';
import { fmt, report, type Figure } from './lib/report.js';
import {
  ENDPOINTS,
  PEER_ENDPOINT,
  type EndpointStats,
  type PartnerView,
  type RunRequest,
  type RunResult,
  type SetupRequest,
} from './load/user.js';
import { openDatabase } from '../server/db/open.js';
import type { Db } from '../server/db/types.js';
import { DEMO_USERS, seedDemo } from '../server/seed/demo.js';
import { startSmtpSink } from '../test/node/sending/smtp-sink.js';
import { postgresInstalled, startPostgres } from '../test/node/support/postgres.js';

const SECONDS = Number(process.env.DM_LOAD_SECONDS ?? 30);
const VUS = 200;
const PEER_SECONDS = Math.min(3, Math.max(2, SECONDS / 10));
const DRAIN_DEADLINE_MS = 30_000;
const SEED = 20261127;

const root = fileURLToPath(new URL('..', import.meta.url));
const userScript = fileURLToPath(new URL('./load/user.ts', import.meta.url));

/** Undone newest first at the end, also after a failure or a signal. */
const cleanups: Array<{ what: string; undo: () => Promise<unknown> }> = [];
let cleaning = Promise.resolve();
/** Undoes everything registered so far; may run again for what was registered since. */
const cleanUp = () =>
  (cleaning = cleaning.then(async () => {
    for (let c = cleanups.pop(); c; c = cleanups.pop()) {
      await c.undo().catch((error: unknown) => console.error(`cleanup (${c!.what}):`, error));
    }
  }));
let interrupted: string | undefined;
/** Registers how to undo a step; after a signal it is undone at once and main() stops. */
async function track(what: string, undo: () => Promise<unknown>) {
  cleanups.push({ what, undo });
  if (interrupted) {
    await cleanUp();
    throw new Error(`${interrupted}: stopped`);
  }
}
// A signal tears the run down under main(), which then fails and exits through its own cleanup.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(1); // a second signal: now (exit hooks still stop PostgreSQL and the server)
    interrupted = signal;
    console.error(`${signal}: stopping`);
    void cleanUp();
    setTimeout(() => process.exit(1), 30_000).unref();
  });
}

const rows = async <T>(db: Db, query: ReturnType<typeof sql>) =>
  ((await db.execute(query)) as unknown as { rows: T[] }).rows;

/** This run's outbox rows by status. */
async function outboxByStatus(db: Db, keyPrefix: string): Promise<Record<string, number>> {
  const list = await rows<{ status: string; n: number }>(
    db,
    sql`select o.status, count(*)::int as n from outbox o join sends s on s.id = o.send_id
        where s.idempotency_key like ${`${keyPrefix}-%`} group by o.status`,
  );
  return Object.fromEntries(list.map((r) => [r.status, r.n]));
}

const IN_FLIGHT = ['queued', 'claimed', 'delivering'];

/** Polls until nothing of this run is queued, claimed or delivering; false when the deadline passed. */
async function drained(db: Db, keyPrefix: string, deadline: number) {
  for (;;) {
    const by = await outboxByStatus(db, keyPrefix);
    if (IN_FLIGHT.every((s) => !by[s])) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The pid of our child process whose command line contains `needle` (Linux /proc). */
async function childPid(needle: string): Promise<number> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) return Number(entry);
  }
  throw new Error(`no child process running ${needle}`);
}

/** CPU time of some process trees over a stretch of wall time, as shares of one core. */
async function cpuShares<T>(pids: Record<string, number>, work: () => Promise<T>) {
  const before = await Promise.all(Object.values(pids).map(treeCpuMs));
  const t0 = performance.now();
  const result = await work();
  const wall = performance.now() - t0;
  const after = await Promise.all(Object.values(pids).map(treeCpuMs));
  const shares = Object.fromEntries(
    Object.keys(pids).map((name, i) => [name, (after[i]! - before[i]!) / wall]),
  );
  return { result, shares };
}

const rate = (s: EndpointStats) => (s.count ? s.errors / s.count : 0);
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const pct0 = (x: number) => `${Math.round(x * 100)} %`;

function table(result: RunResult, peerRun: RunResult, peer: EndpointStats) {
  const line = (s: EndpointStats, seconds = result.seconds) => ({
    endpoint: s.endpoint,
    requests: s.count,
    'req/s': fmt(s.count / seconds),
    errors: s.errors,
    'error rate': pct(rate(s)),
    'p50 ms': fmt(s.p50),
    'p99 ms': fmt(s.p99),
    'max ms': fmt(s.max),
  });
  console.table([
    ...ENDPOINTS.map((e) => result.endpoints.find((s) => s.endpoint === e))
      .filter((s) => s !== undefined)
      .map((s) => line(s)),
    { ...line(result.overall), endpoint: 'all endpoints' },
    { ...line(peer, peerRun.seconds), endpoint: `${PEER_ENDPOINT} (peer burst, ${fmt(PEER_SECONDS)} s)` },
  ]);
}

async function main() {
  if (!Number.isFinite(SECONDS) || SECONDS <= 0)
    throw new Error(`DM_LOAD_SECONDS must be > 0, got ${SECONDS}`);
  if (!postgresInstalled()) throw new Error('PostgreSQL binaries not found (PG_BIN)');
  const t0 = performance.now();
  const since = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

  // The simulated users' process starts (tsx) while PostgreSQL is set up.
  const forked = forkChild<'ready'>(userScript, ['--users']);
  const pg = await startPostgres();
  await track('PostgreSQL', pg.stop);
  const users = await forked;
  await track('simulated users', () => users.close());
  const postmaster = Number((await readFile(path.join(pg.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const opened = await openDatabase({ url: pg.url });
  await track('database pool', opened.close);
  const { db } = opened;
  const seeded = await seedDemo(db);
  console.log(
    `# PostgreSQL 127.0.0.1:${pg.port}, demo brand seeded (${JSON.stringify(seeded.counts)}) at ${since()}`,
  );

  const sink = await startSmtpSink();
  sink.countOnly = true;
  await track('SMTP sink', sink.close);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dm-load-bench-'));
  await track(dataDir, () => rm(dataDir, { recursive: true, force: true }));

  const port = await freePort();
  const server = await launch(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: pg.url,
      SMTP_URL: sink.url,
      DM_DEMO: '1',
      DM_SECRET: randomBytes(32).toString('base64url'),
      DM_DATA_DIR: dataDir,
    },
    urls: [`http://127.0.0.1:${port}/healthz`],
    timeoutMs: 60_000,
  }).catch(async (error: unknown) => {
    // launch() stopped what it started; the data directory the server made may be back.
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  // The server creates its data directory on start, so it goes (again) once the server is gone.
  await track('server', async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  // The load stops before the server (whose shutdown waits for open connections): close the users again
  // first (closing twice is harmless).
  await track('simulated users', () => users.close());
  const serverPid = await childPid('server/main.ts');
  console.log(
    `# server/main.ts (pid ${serverPid}) on 127.0.0.1:${port} answered in ${Math.round(server.ms)} ms (at ${since()})`,
  );

  const partnerUsers = DEMO_USERS.filter((u) => u.role === 'partner').map((u) => u.id);
  const views = await users.call<PartnerView[]>({
    setup: { port, users: partnerUsers } satisfies SetupRequest,
  });
  for (const v of views) {
    console.log(
      `#   ${v.partner}: users ${v.users.join(', ')}; ${v.journeys} journeys visible, ` +
        `sends without approval to ${v.sendable.join(', ')}; ${v.mailable} mailable contacts`,
    );
  }
  console.log(`# ${partnerUsers.length} partner users signed in, ${VUS} virtual users (at ${since()})`);

  const keyPrefix = `load-${Date.now().toString(36)}`;
  const drive = (mode: RunRequest['mode'], seconds: number) =>
    users.call<RunResult>({
      run: { mode, vus: VUS, durationMs: seconds * 1000, seed: SEED, keyPrefix } satisfies RunRequest,
    });
  const pids = { server: serverPid, postgres: postmaster, users: users.process.pid! };
  const busy = (shares: Record<string, number>) =>
    `busy (share of one core): server ${pct0(shares.server!)}, PostgreSQL ${pct0(shares.postgres!)}, ` +
    `simulated users ${pct0(shares.users!)}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on a ${availableParallelism()}-core machine`;
  const { result: peerRun, shares: peerShares } = await cpuShares(pids, () => drive('healthz', PEER_SECONDS));
  const peerBusy = busy(peerShares);
  const peer = peerRun.endpoints.find((s) => s.endpoint === PEER_ENDPOINT)!;
  console.log(
    `# peer burst: ${PEER_ENDPOINT}, ${VUS} users, ${fmt(PEER_SECONDS)} s (at ${since()}); ${peerBusy}`,
  );
  const { result: ours, shares: loadShares } = await cpuShares(pids, () => drive('users', SECONDS));
  const loadBusy = busy(loadShares);
  console.log(`# load: ${VUS} users for ${fmt(ours.seconds)} s (at ${since()}); ${loadBusy}`);

  // Delivery: wait until the worker has settled every row of this run, then count.
  const settled = await drained(db, keyPrefix, performance.now() + DRAIN_DEADLINE_MS);
  console.log(
    `# outbox ${settled ? 'settled' : `NOT settled within ${DRAIN_DEADLINE_MS / 1000} s`} at ${since()}`,
  );
  const expected = ours.sends.reduce((n, s) => n + s.recipients, 0);
  const byStatus = await outboxByStatus(db, keyPrefix);
  const [created] = await rows<{ sends: number; recipients: number; delivered: number }>(
    db,
    sql`select count(distinct s.id)::int as sends, count(r.contact_id)::int as recipients,
          count(r.contact_id) filter (where r.status = 'delivered')::int as delivered
        from sends s left join send_recipients r on r.send_id = s.id
        where s.idempotency_key like ${`${keyPrefix}-%`}`,
  );
  const sendStatuses = await rows<{ status: string; n: number }>(
    db,
    sql`select status, count(*)::int as n from sends where idempotency_key like ${`${keyPrefix}-%`} group by status`,
  );
  // Per send: every send answered 201 must have exactly its recipients' rows delivered.
  const perSend = new Map(
    (
      await rows<{ id: string; delivered: number }>(
        db,
        sql`select s.id, count(o.id) filter (where o.status = 'delivered')::int as delivered
            from sends s left join outbox o on o.send_id = s.id
            where s.idempotency_key like ${`${keyPrefix}-%`} group by s.id`,
      )
    ).map((r) => [r.id, r.delivered]),
  );
  const lostSends = ours.sends.filter((s) => perSend.get(s.id) !== s.recipients);
  const delivered = byStatus.delivered ?? 0;
  // Messages short of the recipients answered 201, by each count: outbox rows, send recipients, the sink.
  const missing = Math.max(0, expected - delivered, expected - sink.accepted, expected - created!.delivered);
  const lost = lostSends.length;
  const held = ours.sends.filter((s) => s.status === 'pending_approval').length;
  const unanswered = created!.sends - ours.sends.length;
  const duplicates = Math.max(0, sink.accepted - delivered);

  console.log(`\nload: ${VUS} simulated partner users, ${fmt(ours.seconds)} s, PostgreSQL`);
  table(ours, peerRun, peer);
  const all = ours.overall;
  const errors = all.errors + peer.errors;
  for (const s of [...ours.endpoints, peer]) {
    for (const sample of s.samples) console.log(`  error (${s.endpoint}): ${sample}`);
  }
  console.log(
    `sends: ${ours.sends.length} answered 201 with ${expected} recipients; in the database ${created!.sends} sends ` +
      `of this run with ${created!.recipients} recipients, ${created!.delivered} recipients delivered; ` +
      `sends by status ${JSON.stringify(Object.fromEntries(sendStatuses.map((r) => [r.status, r.n])))}`,
  );
  console.log(
    `outbox rows of this run by status ${JSON.stringify(byStatus)}; SMTP sink accepted ${sink.accepted} messages`,
  );
  if (held) console.log(`held for approval although the journey needs none: ${held}`);
  if (unanswered) console.log(`sends created without a 201 answer (a request that errored): ${unanswered}`);
  if (duplicates)
    console.log(`messages accepted by the sink beyond the delivered rows (duplicates): ${duplicates}`);
  console.log(`errors: ${errors} (${pct(all.count ? all.errors / all.count : 0)} of ${all.count} requests)`);
  for (const s of lostSends.slice(0, 10)) {
    console.log(`  lost: send ${s.id}, ${s.recipients} recipients, ${perSend.get(s.id) ?? 'no'} delivered`);
  }
  console.log(`lost sends: ${lost} (messages missing: ${missing})`);

  // What the server printed that looks like trouble.
  const trouble = server
    .output()
    .split('\n')
    .filter((l) => /error|unhandled|lost|warning/i.test(l));
  console.log(
    trouble.length
      ? `server printed ${trouble.length} error or warning lines, first:\n  ${trouble.slice(0, 10).join('\n  ')}`
      : 'server printed no errors',
  );

  const figures: Figure[] = [
    {
      name: `requests/s, ${VUS} simulated partner users (browse, preview, send)`,
      unit: 'req/s',
      better: 'higher',
      ours: all.count / ours.seconds,
      peer: peer.count / peerRun.seconds,
      peerName: `${PEER_ENDPOINT}, same ${VUS} users and think time`,
      note:
        `${fmt(ours.seconds)} s; ${all.count} requests, ${all.errors} errors (${pct(rate(all))}); ` +
        `p50 ${fmt(all.p50)} ms, p99 ${fmt(all.p99)} ms over all endpoints; ${ours.sends.length} sends, lost ${lost}. Users think ` +
        '50–200 ms between requests, so the rate is bounded by think time plus latency. During the load: ' +
        `${loadBusy}; during the peer burst: ${peerBusy}.`,
    },
    {
      name: `p99 latency, all endpoints (${VUS} users)`,
      unit: 'ms',
      better: 'lower',
      ours: all.p99,
      peer: peer.p99,
      peerName: `${PEER_ENDPOINT}, same ${VUS} users`,
      note: `p50 ${fmt(all.p50)} ms (peer ${fmt(peer.p50)} ms), max ${fmt(all.max)} ms (peer ${fmt(peer.max)} ms)`,
    },
    ...ENDPOINTS.flatMap((endpoint) => {
      const s = ours.endpoints.find((e) => e.endpoint === endpoint);
      if (!s) return [];
      return [
        {
          name: `p99 latency, ${endpoint} (${VUS} users)`,
          unit: 'ms',
          better: 'lower' as const,
          ours: s.p99,
          peer: peer.p99,
          peerName: `${PEER_ENDPOINT}, same ${VUS} users`,
          note: `${s.count} requests, ${s.errors} errors, p50 ${fmt(s.p50)} ms (peer p50 ${fmt(peer.p50)} ms)`,
        },
      ];
    }),
  ];
  report('load', figures);

  const noSends = ours.sends.length === 0;
  if (noSends) console.log('no send was created: the delivery check had nothing to check');
  const failed =
    errors > 0 ||
    lost > 0 ||
    missing > 0 ||
    held > 0 ||
    unanswered !== 0 ||
    duplicates > 0 ||
    !settled ||
    noSends;
  console.log(
    failed
      ? `load: FAILED (errors ${errors}, lost sends ${lost}, messages missing ${missing}, held ${held}, unanswered ${unanswered}, duplicates ${duplicates}, settled ${settled}, sends ${ours.sends.length})`
      : 'load: ok — no errors, no lost sends',
  );
  return failed;
}

let code = 1;
try {
  code = (await main()) || interrupted ? 1 : 0;
} catch (error) {
  // After a signal the run was torn down under main(); its errors are only the echo of that.
  console.error(interrupted ? `load: interrupted (${interrupted})` : error);
} finally {
  await cleanUp();
  console.log(`# done, exit ${code}`);
}
process.exit(code);
