/**
 * Chaos on PostgreSQL: sends are never lost, and never doubled except where the design says they may be.
 *
 * A throwaway cluster of its own (it is restarted mid-run, so the shared `DM_TEST_PG_URL` server is not
 * used), the fixtures of the sending suites, an in-process SMTP sink and outbox workers in child
 * processes delivering to it over real SMTP. Quick sends and journey sends (three steps, 0/3/7 days) go
 * to a few hundred recipients; then, round after round, a worker process is started and SIGKILLed after
 * a random delay, mostly counted from its first delivery of the round so the kill lands mid-batch
 * (seeded: `DM_CHAOS_SEED` replays the schedule, `DM_CHAOS_ROUNDS` sets the count). The next worker
 * loads in standby meanwhile, so a round costs little more than its kill delay. Between and
 * during rounds the app clock moves days ahead (later journey steps become due), new sends arrive, a
 * journey send is cancelled, recipients unsubscribe through their one-click links, a request is replayed
 * with its Idempotency-Key, and PostgreSQL is restarted once (`pg_ctl stop -m fast` / start) while a
 * worker is delivering. Finally one clean worker runs to completion (its clock past every lease) and
 * the sink is compared with the database: outbox rows, send_recipients, sends and `sent`/`delivered`
 * events.
 *
 * What the worker guarantees, and so what is asserted (see the module comment of server/mail/worker.ts):
 * a row is handed to SMTP only after `claimed → delivering` committed under its claim token, and marked
 * `delivered` after the server accepted it. A worker that dies (or loses its database) between the
 * server's 250 and that commit leaves the row `delivering`; after the lease the row is sent again with
 * the same Message-ID. That window cannot be closed over SMTP, so "exactly once" is asserted for every
 * row that was never left `delivering` by a kill or the restart, and for the others each extra copy
 * must be paid for by one such event (copies ≤ 1 + in-doubt events; ≤ in-doubt events for rows that end
 * cancelled or skipped). Duplicates found are counted and printed.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { count, eq, inArray } from 'drizzle-orm';
import type pg from 'pg';
import { createApp } from '../../../server/app.js';
import { signToken } from '../../../server/auth.js';
import { openDatabase, type OpenedDb } from '../../../server/db/open.js';
import { contacts, events, outbox, sendRecipients, sends } from '../../../server/db/schema.js';
import type { Db } from '../../../server/db/types.js';
import { createSmtpMailer } from '../../../server/mail/transports.js';
import { OutboxWorker } from '../../../server/mail/worker.js';
import { Prng } from '../../../server/seed/prng.js';
import {
  addContacts,
  BRAND,
  PUBLIC_URL,
  quickBody,
  SECRET,
  seedFixtures,
  USERS,
} from '../sending/support.js';
import { PG_BIN, postgresInstalled, startPostgres, type RunningPostgres } from '../support/postgres.js';
import { requestApp } from '../support/request.js';
import {
  copiesByMessageId,
  messageIdOf,
  seedFrom,
  sleep,
  startCrashSink,
  waitUntil,
  type CrashSink,
} from './support.js';

const ROUNDS = Number(process.env.DM_CHAOS_ROUNDS ?? 15);
/** Long enough that a live worker never loses a lease on a loaded machine; dead workers' leases are
 * skipped by the clock moving days ahead, and the clean worker runs past them. */
const LEASE_MS = 8000;
/** After the worker's first delivery of the round, or (one round in four) after its start. */
const KILL_DELAY_MS = [0, 1200] as const;
const EARLY_KILL_MS = [0, 400] as const;
const DAY = 86_400_000;
const WORKER_CHILD = fileURLToPath(new URL('../sending/worker-child.ts', import.meta.url));

/** Rounds with a fixed role; every other round just adds a small quick send. */
const AT = { journeyC: 3, cancelC: 5, stepTwo: 6, unsubscribe: 8, restart: 9, stepThree: 11, replay: 13 };

const missing = postgresInstalled()
  ? undefined
  : `PostgreSQL binaries not found in ${PG_BIN}; the chaos suite needs a cluster of its own to restart`;
const skip = missing && !process.env.CI ? `${missing}: skipped` : undefined;
if (skip) console.log(`# chaos: ${skip}`);

/** A worker process, started in standby (modules loaded) and released with `go()`. */
class WorkerProcess {
  readonly proc: ChildProcess;
  output = '';
  exitedWith: string | null = null;
  readonly exited: Promise<void>;

  constructor(env: Record<string, string>) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', WORKER_CHILD], {
      env: { ...process.env, ...env, DM_WORKER_STANDBY: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stdout!.on('data', (d) => (this.output += d));
    this.proc.stderr!.on('data', (d) => (this.output += d));
    this.exited = new Promise((resolve) =>
      this.proc.once('exit', (code, signal) => {
        this.exitedWith = signal ?? `exit code ${code}`;
        resolve();
      }),
    );
  }

  async #waitFor(text: string, what: string) {
    await waitUntil(() => this.output.includes(text) || this.exitedWith !== null, what, 90_000);
    if (!this.output.includes(text))
      throw new Error(`worker process ended (${this.exitedWith}): ${this.output}`);
  }

  async go(clockOffsetMs: number) {
    await this.#waitFor('worker ready', 'a standby worker to load');
    this.proc.stdin!.write(`${JSON.stringify({ clockOffsetMs })}\n`);
    await this.#waitFor('worker started', 'the worker to start');
  }

  async kill() {
    if (this.exitedWith === null) this.proc.kill('SIGKILL');
    await this.exited;
  }
}

interface Created {
  id: string;
  label: string;
}

describe('chaos: worker processes killed at random, PostgreSQL restarted', { skip }, () => {
  let cluster: RunningPostgres | undefined;
  let opened: OpenedDb | undefined;
  let db: Db;
  let sink: CrashSink;
  let app: ReturnType<typeof createApp>;
  /** The app's and the workers' clock run this far ahead of the real one. */
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const processes: WorkerProcess[] = [];
  /** What the PostgreSQL restart did to the live worker. */
  let restart: { delivering: number[]; survived: string; deliveredAfter: number; output: string } | undefined;

  before(
    async () => {
      if (missing) throw new Error(`${missing} (CI is set, so this suite must run)`);
      if (!(ROUNDS > AT.replay)) throw new Error(`DM_CHAOS_ROUNDS must be at least ${AT.replay + 1}`);
      cluster = await startPostgres();
      opened = await openDatabase({ url: cluster.url });
      db = opened.db;
      // The restart terminates idle connections of this process too; they are replaced on the next query.
      (db as unknown as { $client: pg.Pool }).$client.on('error', () => undefined);
      await seedFixtures(db);
      sink = await startCrashSink();
      app = createApp({ db, secret: SECRET, publicUrl: PUBLIC_URL, clock: now });
    },
    { timeout: 120_000 },
  );

  after(async () => {
    for (const p of processes) await p.kill();
    await sink?.close();
    await opened?.close();
    await cluster?.stop();
  });

  async function call(
    method: string,
    path: string,
    o: { body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const u = USERS.north;
    const token = await signToken(
      SECRET,
      { sub: u.id, brand: BRAND, partner: u.partnerId, role: u.role },
      3600,
      now(),
    );
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...o.headers };
    const res = await requestApp(app, db, method, path, { headers, body: o.body });
    return { status: res.status, text: res.text, json: typeof res.body === 'string' ? null : res.body };
  }

  it('every (recipient, step) is delivered, once unless a crash left it in doubt; the database agrees', async (t) => {
    const started = Date.now();
    const seed = seedFrom('DM_CHAOS_SEED', 'chaos');
    const rng = new Prng(seed);
    const log = (line: string) => console.log(`# chaos: ${line}`);

    const people = await addContacts(db, 320);
    const created: Created[] = [];
    const requests = new Map<string, { key: string; body: unknown }>();
    const createSend = async (label: string, body: Record<string, unknown>) => {
      const key = `chaos-${label}-${seed}`;
      const res = await call('POST', '/v1/sends', { headers: { 'idempotency-key': key }, body });
      assert.equal(res.status, 201, res.text);
      created.push({ id: res.json.id, label });
      requests.set(label, { key, body });
      return res.json.id as string;
    };
    const journeyBody = (ids: string[]) => ({ kind: 'journey', journeyId: 'j_journey', contactIds: ids });

    await createSend('A quick', quickBody(people.slice(0, 120)));
    const sendB = await createSend('B journey', journeyBody(people.slice(120, 270)));
    let sendC = '';
    const unsubscribed: string[] = [];

    /**
     * The in-doubt ledger: each time a kill (or the restart) leaves a row `delivering`, that delivery
     * attempt (its claim token) may have reached the SMTP server without being recorded. Per row, the
     * number of distinct such attempts is how many extra copies a crash can explain.
     */
    const inDoubt = new Map<string, Set<string>>();
    const doubt = () =>
      db
        .select({ id: outbox.id, token: outbox.claimToken, messageId: outbox.messageId })
        .from(outbox)
        .where(eq(outbox.status, 'delivering'));
    /** Records the rows; returns how many attempts are new and how many of those the sink already has. */
    const addDoubt = (rows: { id: string; token: string | null; messageId: string }[]) => {
      const received = new Set(copiesByMessageId(sink).keys());
      let added = 0;
      let accepted = 0;
      for (const { id, token, messageId } of rows) {
        const tokens = inDoubt.get(id) ?? new Set<string>();
        if (!tokens.has(token ?? '')) {
          added++;
          if (received.has(messageId)) accepted++;
        }
        inDoubt.set(id, tokens.add(token ?? ''));
      }
      return { added, accepted };
    };

    const spawnWorker = () => {
      const p = new WorkerProcess({
        DATABASE_URL: cluster!.url,
        SMTP_URL: sink.url,
        DM_SECRET: SECRET,
        DM_PUBLIC_URL: PUBLIC_URL,
        DM_LEASE_MS: String(LEASE_MS),
      });
      processes.push(p);
      return p;
    };

    /** Unsubscribes 20 journey-B recipients with the one-click link of a message they received. */
    const unsubscribeSome = async () => {
      const bSet = new Set(people.slice(120, 270));
      const links = new Map<string, string>();
      const emails = await db
        .select({ id: contacts.id, email: contacts.email })
        .from(contacts)
        .where(inArray(contacts.id, [...bSet]));
      const byEmail = new Map(emails.map((c) => [c.email, c.id]));
      for (const m of sink.messages) {
        const id = byEmail.get(m.to[0] ?? '');
        const link = /<(https:\/\/[^>]+\/u\/[^>]+)>/.exec(m.headers.get('list-unsubscribe') ?? '')?.[1];
        if (id && link && messageIdOf(m.headers).startsWith(sendB)) links.set(id, link);
      }
      // Only people who got a message can click its link: up to 20 of them.
      const chosen = rng.sample([...links.keys()].sort(), 20);
      for (const id of chosen) {
        const res = await call('POST', new URL(links.get(id)!).pathname, {
          body: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        assert.equal(res.status, 200, res.text);
        unsubscribed.push(id);
      }
    };

    let next = spawnWorker();
    let kills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const notes: string[] = [];
      // Between rounds: no worker is alive.
      if (round > 0) {
        const mailable = people.filter((id) => !unsubscribed.includes(id));
        const ids = rng.sample(mailable, round === AT.restart ? 150 : 25);
        await createSend(`Q${round}`, quickBody(ids));
        notes.push(`+${ids.length} quick`);
      }
      if (round === AT.journeyC) {
        sendC = await createSend('C journey', journeyBody(people.slice(260, 320)));
        notes.push('+journey C');
      }
      // Cancelled between rounds: a cancel racing a live delivery is delivery-edges.test.ts's subject.
      if (round === AT.cancelC) {
        const res = await call('POST', `/v1/sends/${sendC}/cancel`);
        assert.equal(res.status, 200, res.text);
        notes.push('cancelled C');
      }
      if (round === AT.stepTwo || round === AT.stepThree) {
        offset = (round === AT.stepTwo ? 3 : 7) * DAY + round * 60_000;
        notes.push(`clock +${Math.round(offset / DAY)} days`);
      }
      if (round === AT.replay) {
        const first = requests.get('Q1')!;
        const again = await call('POST', '/v1/sends', {
          headers: { 'idempotency-key': first.key },
          body: first.body,
        });
        assert.equal(again.status, 200, 'a replayed Idempotency-Key answers with the first send');
        assert.equal(again.json.id, created.find((c) => c.label === 'Q1')!.id);
        const changed = await call('POST', '/v1/sends', {
          headers: { 'idempotency-key': first.key },
          body: quickBody(people.slice(0, 1)),
        });
        assert.equal(changed.status, 422, 'the same key with another body is refused');
        assert.equal(changed.json.error.fields[0].path, 'header.idempotency-key');
        notes.push('replayed Q1');
      }

      const worker = next;
      next = spawnWorker(); // loads while this one works
      const acceptedBefore = sink.accepted;
      await worker.go(offset);
      // The kill lands at a random point: mostly a random delay after the worker's first delivery of
      // the round (mid-batch, whatever the machine's speed), sometimes a random delay after its start.
      const early = rng.chance(0.25) && round !== AT.restart;
      const delay = early ? rng.int(...EARLY_KILL_MS) : rng.int(...KILL_DELAY_MS);
      if (!early) {
        await waitUntil(
          () => sink.accepted > acceptedBefore || worker.exitedWith !== null,
          'the worker to deliver',
          30_000,
        ).catch(() => notes.push('no delivery within 30 s'));
      }
      const unsubscribeAt = round === AT.unsubscribe ? rng.int(0, delay) : -1;
      if (unsubscribeAt >= 0) {
        await sleep(unsubscribeAt);
        await unsubscribeSome();
        notes.push(`${unsubscribed.length} unsubscribed`);
      }
      if (round === AT.restart) {
        const pre = await doubt();
        await cluster!.restart();
        const post = await doubt();
        addDoubt([...pre, ...post]);
        const atRestart = sink.accepted;
        // A live worker reconnects and goes on; wait for its next delivery (or for the process to end).
        await waitUntil(
          () => sink.accepted > atRestart || worker.exitedWith !== null,
          'the worker to deliver after the restart',
          20_000,
        ).catch(() => undefined);
        restart = {
          delivering: [pre.length, post.length],
          survived: worker.exitedWith === null ? 'yes' : `no (${worker.exitedWith})`,
          deliveredAfter: sink.accepted - atRestart,
          output: worker.output,
        };
        notes.push(`PostgreSQL restarted (${pre.length}/${post.length} delivering before/after)`);
        if (worker.exitedWith !== null) {
          const last = worker.output.trim().split('\n').slice(-8).join(' | ');
          notes.push(`the worker process died with the restart (${worker.exitedWith}): ${last}`);
        }
      }
      await sleep(Math.max(0, delay - Math.max(unsubscribeAt, 0))); // the deliberate random kill delay
      await worker.kill();
      kills++;
      const left = addDoubt(await doubt());
      log(
        `round ${round + 1}/${ROUNDS}: killed ${delay} ms after its ${early ? 'start' : 'first delivery'}, ` +
          `${sink.accepted - acceptedBefore} accepted, ${left.added} newly in doubt ` +
          `(${left.accepted} of them already in the sink: sent, not recorded)` +
          `${notes.length ? `; ${notes.join('; ')}` : ''}`,
      );
    }
    await next.kill();
    log(`rounds done after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // One clean worker until nothing is pending. Its clock runs past the journey's last step and past
    // every lease the killed workers left (theirs are 8 s), so it takes over all in-doubt rows at once;
    // its own lease is the default, far longer than any of its batches.
    const mailer = createSmtpMailer(sink.url, { maxConnections: 3, timeoutMs: 10_000 });
    let skew = Math.max(offset, 8 * DAY) - offset + LEASE_MS + 60_000;
    try {
      await waitUntil(
        async () => {
          await new OutboxWorker({
            db,
            mailer,
            secret: SECRET,
            publicUrl: PUBLIC_URL,
            clock: () => new Date(Date.now() + offset + skew),
            backoffMs: 100,
          }).drain();
          skew += 60_000; // past any retry backoff
          const [pending] = await db
            .select({ n: count() })
            .from(outbox)
            .where(inArray(outbox.status, ['held', 'queued', 'claimed', 'delivering']));
          return pending!.n === 0;
        },
        'the clean worker to finish',
        60_000,
        0,
      );
    } finally {
      await mailer.close?.();
    }

    // ---- the sink against the database ----------------------------------------------------------
    const rows = await db.select().from(outbox);
    const emailOf = new Map(
      (await db.select({ id: contacts.id, email: contacts.email }).from(contacts)).map((c) => [
        c.id,
        c.email,
      ]),
    );
    const byMessageId = new Map(rows.map((r) => [r.messageId, r]));
    const copies = copiesByMessageId(sink);
    const statuses: Record<string, number> = {};
    for (const r of rows) statuses[r.status] = (statuses[r.status] ?? 0) + 1;

    for (const m of sink.messages) {
      const row = byMessageId.get(messageIdOf(m.headers));
      assert.ok(row, `a message the outbox does not know: ${m.headers.get('message-id')}`);
      assert.deepEqual(m.to, [emailOf.get(row.contactId)], 'sent to the row’s contact');
      const subject = m.headers.get('subject') ?? '';
      assert.ok(
        row.stepId === 's_main' ? subject.startsWith('Hello ') : subject.startsWith(`Step ${row.stepId} `),
        `subject of step ${row.stepId}: ${subject}`,
      );
    }

    let duplicates = 0; // extra copies of delivered rows
    let unrecorded = 0; // copies of rows that ended cancelled or skipped
    let exactlyOnce = 0;
    const problems: string[] = [];
    for (const r of rows) {
      const n = copies.get(r.messageId) ?? 0;
      const doubtful = inDoubt.get(r.id)?.size ?? 0;
      assert.ok(['delivered', 'cancelled', 'skipped'].includes(r.status), `row ${r.id} ended ${r.status}`);
      const expected = r.status === 'delivered' ? 1 : 0;
      if (r.status === 'delivered' && n === 0) problems.push(`lost: ${r.id} is delivered but never arrived`);
      if (n > expected + doubtful) {
        problems.push(`${r.id} (${r.status}) arrived ${n}× with ${doubtful} in-doubt attempt(s)`);
      }
      if (expected) duplicates += Math.max(0, n - 1);
      else unrecorded += n;
      if (n === expected) exactlyOnce++;
    }
    assert.deepEqual(problems, [], 'lost messages, or copies beyond what crashes explain');

    // Cancelled and unsubscribed recipients: nothing after the cancel / unsubscribe (unless in doubt).
    const cancelledRows = rows.filter((r) => r.status === 'cancelled');
    const skippedRows = rows.filter((r) => r.status === 'skipped');
    assert.ok(
      cancelledRows.length >= 120,
      `journey C's later steps were cancelled (${cancelledRows.length})`,
    );
    assert.ok(skippedRows.length >= unsubscribed.length, 'unsubscribed recipients’ later steps were skipped');
    for (const r of [...cancelledRows, ...skippedRows]) {
      if (!inDoubt.has(r.id)) assert.equal(copies.get(r.messageId) ?? 0, 0, `${r.status} ${r.id} arrived`);
    }
    const unsubRows = rows.filter((r) => r.sendId === sendB && unsubscribed.includes(r.contactId));
    assert.ok(
      unsubRows.every((r) => r.stepId !== 's3' || r.status === 'skipped'),
      'no third step for anyone who unsubscribed before it was due',
    );

    // Events: exactly one `sent` and one `delivered` per delivered row, none for the others.
    const evs = await db
      .select({
        sendId: events.sendId,
        stepId: events.stepId,
        contactId: events.contactId,
        type: events.type,
      })
      .from(events)
      .where(inArray(events.type, ['sent', 'delivered']));
    const evCount = new Map<string, number>();
    for (const e of evs) {
      const k = `${e.type}|${e.sendId}|${e.stepId}|${e.contactId}`;
      evCount.set(k, (evCount.get(k) ?? 0) + 1);
    }
    const eventProblems: string[] = [];
    for (const r of rows) {
      for (const type of ['sent', 'delivered']) {
        const n = evCount.get(`${type}|${r.sendId}|${r.stepId}|${r.contactId}`) ?? 0;
        if (n !== (r.status === 'delivered' ? 1 : 0))
          eventProblems.push(`${r.id} (${r.status}): ${n} ${type}`);
      }
    }
    assert.deepEqual(eventProblems, [], 'one sent and one delivered event per delivered row');
    assert.equal(evs.length, 2 * (statuses.delivered ?? 0));

    // Recipients: what their rows say.
    const recipients = await db.select().from(sendRecipients);
    const kindOf = new Map(created.map((c) => [c.id, c.label.includes('journey') ? 'journey' : 'quick']));
    const recipientProblems: string[] = [];
    for (const rec of recipients) {
      const kind = kindOf.get(rec.sendId);
      if (!kind) continue;
      const mine = rows.filter((r) => r.sendId === rec.sendId && r.contactId === rec.contactId);
      // A quick send's skipped recipient is `cancelled` when the unsubscribe stopped its row, `suppressed`
      // when the worker found the suppression; a journey recipient leaves the journey either way.
      const allowed = mine.some((r) => r.status === 'skipped')
        ? kind === 'journey'
          ? ['left_journey']
          : ['cancelled', 'suppressed']
        : mine.some((r) => r.status === 'delivered')
          ? ['delivered']
          : ['cancelled'];
      if (!allowed.includes(rec.status)) {
        recipientProblems.push(
          `${rec.sendId}/${rec.contactId}: ${rec.status}, expected ${allowed.join(' or ')}`,
        );
      }
    }
    assert.deepEqual(recipientProblems, [], 'send_recipients agree with the outbox');
    const sendRows = await db.select({ id: sends.id, status: sends.status }).from(sends);
    assert.equal(sendRows.length, created.length, 'one send per Idempotency-Key');
    for (const s of sendRows) assert.equal(s.status, s.id === sendC ? 'cancelled' : 'sent', `send ${s.id}`);
    assert.ok(unsubscribed.length > 0, 'someone unsubscribed');

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const summary =
      `seed ${seed}: ${ROUNDS} rounds, ${kills} kills, ${rows.length} outbox rows (${JSON.stringify(statuses)}), ` +
      `${sink.messages.length} messages accepted, ${exactlyOnce} rows exactly once, ${inDoubt.size} rows ever in ` +
      `doubt, ${duplicates} duplicate copies, ${unrecorded} copies of rows that ended cancelled/skipped, ` +
      `${sink.resets} SMTP sessions reset mid-transaction; restart: ${JSON.stringify({ ...restart, output: undefined })}; ${seconds} s`;
    log(summary);
    t.diagnostic(summary);
  });

  // The worker process listens for errors of the pool's connections and settles every outcome of a
  // failed batch, so a PostgreSQL restart costs it a few failed statements, not its life.
  it('a live worker process survives the PostgreSQL restart and keeps delivering', () => {
    assert.ok(restart, 'the restart round ran');
    assert.equal(restart.survived, 'yes', restart.output.split('\n').slice(0, 8).join('\n'));
    assert.ok(restart.deliveredAfter > 0);
  });
});
