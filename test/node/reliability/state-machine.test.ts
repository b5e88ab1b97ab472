/**
 * Model-based test of the send and approval state machine, through the HTTP app on PGlite
 * (`fc.commands` / `fc.asyncModelRun`). Commands: create a send (rules never / always / edited /
 * over 3 recipients, now or tomorrow, with a fresh Idempotency-Key), replay a key (same body, another
 * body, another user), approve or reject (with the current or a stale If-Match, so also a second
 * decision), a sender deciding its own send, cancel, edit the personalization (before and after
 * approval), run the outbox worker until nothing is due, and move the clock a day. A small model says
 * what each answer and each status must be; after every command the database and the messages the
 * worker handed to its mailer (in process: SMTP is the chaos suite's business) must agree with it and
 * hold these invariants:
 *
 * - nothing of a send that needs approval is delivered unless its approval is `approved`, and what is
 *   delivered is the content that was approved;
 * - no decision is made by the send's own creator;
 * - a repeated Idempotency-Key never creates a second send (per user);
 * - cancelled recipients and rejected sends receive nothing;
 * - every recipient gets at most one message per step (mailer and `delivered` events), and a `sent` send
 *   exactly one per recipient.
 *
 * `DM_SM_RUNS` (default 25) sets the number of command sequences, `DM_SM_SEED` replays a seed,
 * `DM_SM_SHRINK=1` shrinks a failure to a minimal sequence (slow).
 */
import '../security/pglite-only.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import fc from 'fast-check';
import {
  approvalAudit,
  approvals,
  events,
  outbox,
  sendRecipients,
  sends,
  users,
} from '../../../server/db/schema.js';
import type { OutgoingMessage } from '../../../server/mail/mailer.js';
import { OutboxWorker } from '../../../server/mail/worker.js';
import {
  addContacts,
  approvalContext,
  INTRO_DEFAULT,
  journeyId,
  PUBLIC_URL,
  type ApprovalCtx,
} from '../approvals/support.js';
import { forEachDatabase, TEST_SECRET } from '../support/db.js';
import { recordingMailer, seedFrom } from './support.js';

const RUNS = Number(process.env.DM_SM_RUNS ?? 25);
const MAX_COMMANDS = 40;
const DAY = 86_400_000;
const EDITED_INTRO = 'See you at the open day next week.';
const APPROVER = 'u_manager';
const CREATORS = ['u_jana', 'u_lukas', 'u_ap_self'] as const;
const RULES = ['never', 'always', 'edited', 'over'] as const;

type Creator = (typeof CREATORS)[number];
type Rule = (typeof RULES)[number];
type SendStatus = 'pending_approval' | 'scheduled' | 'sent' | 'rejected' | 'cancelled';
type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

interface ModelSend {
  id: string;
  createdBy: Creator;
  key: string;
  body: Record<string, unknown>;
  rule: Rule;
  recipients: number;
  status: SendStatus;
  approval: { id: string; version: number; status: ApprovalStatus } | null;
  /** `scheduledAt` in app-clock milliseconds (null: now). */
  scheduledAt: number | null;
  /** The `b_intro` personalization (undefined: the journey's default). */
  intro: string | undefined;
}

interface Model {
  sends: ModelSend[];
  clock: number;
  keys: number;
}

interface Real {
  ctx: ApprovalCtx;
  worker: OutboxWorker;
  /** Every message the worker handed over. */
  sent: OutgoingMessage[];
  contacts: string[];
  run: number;
  /** Counts an outcome for the summary. */
  note(outcome: string): void;
}

type Cmd = fc.AsyncCommand<Model, Real>;

const needsApproval = (rule: Rule, intro: string | undefined, recipients: number) =>
  rule === 'always' ||
  (rule === 'edited' && intro !== undefined && intro !== INTRO_DEFAULT) ||
  (rule === 'over' && recipients > 3);

const sendBody = (
  rule: Rule,
  contactIds: string[],
  intro: string | undefined,
  scheduledAt: number | null,
) => ({
  journeyId: journeyId(rule),
  contactIds,
  personalization: intro === undefined ? {} : { b_intro: intro },
  ...(scheduledAt === null ? {} : { scheduledAt: new Date(scheduledAt).toISOString() }),
});

const pick = (m: Readonly<Model>, index: number) => m.sends[index % m.sends.length]!;

async function approvalOf(r: Real, sendId: string) {
  const [row] = await r.ctx.db
    .select({ id: approvals.id, version: approvals.version, status: approvals.status })
    .from(approvals)
    .where(eq(approvals.sendId, sendId));
  return row ? { id: row.id, version: row.version, status: row.status as ApprovalStatus } : null;
}

const post = (r: Real, user: string, key: string, body: unknown) =>
  r.ctx.call('POST', '/v1/sends', { as: user, headers: { 'idempotency-key': key }, body });

// ---- commands -----------------------------------------------------------------------------------

function create(user: Creator, rule: Rule, picks: number[], edited: boolean, tomorrow: boolean): Cmd {
  return {
    check: () => true,
    async run(m, r) {
      const key = `sm-${r.run}-${++m.keys}`;
      const intro = edited ? EDITED_INTRO : undefined;
      const scheduledAt = tomorrow ? m.clock + DAY : null;
      const contactIds = [...new Set(picks)].map((i) => r.contacts[i]!);
      const body = sendBody(rule, contactIds, intro, scheduledAt);
      const res = await post(r, user, key, body);
      assert.equal(res.status, 201, res.text);
      const held = needsApproval(rule, intro, contactIds.length);
      assert.equal(res.body.status, held ? 'pending_approval' : 'scheduled');
      const approval = held ? await approvalOf(r, res.body.id) : null;
      if (held)
        assert.deepEqual({ ...approval, id: undefined }, { id: undefined, version: 0, status: 'pending' });
      m.sends.push({
        id: res.body.id,
        createdBy: user,
        key,
        body,
        rule,
        recipients: contactIds.length,
        status: held ? 'pending_approval' : 'scheduled',
        approval,
        scheduledAt,
        intro,
      });
    },
    toString: () =>
      `create(${user}, ${rule}, [${picks}], ${edited ? 'edited' : 'default'}${tomorrow ? ', tomorrow' : ''})`,
  };
}

function replay(index: number, variant: 'same' | 'changed' | 'other user'): Cmd {
  return {
    check: (m) => m.sends.length > 0,
    async run(m, r) {
      const s = pick(m, index);
      if (variant === 'same') {
        const res = await post(r, s.createdBy, s.key, s.body);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.id, s.id, 'the replay answers with the first send');
      } else if (variant === 'changed') {
        // The first request's body (edits since do not matter), changed.
        const first = s.body.personalization as Record<string, string>;
        const personalization = first.b_intro === undefined ? { b_intro: EDITED_INTRO } : {};
        const res = await post(r, s.createdBy, s.key, { ...s.body, personalization });
        assert.equal(res.status, 422, res.text);
        assert.equal(res.body.error.fields[0].path, 'header.idempotency-key');
      } else {
        // Keys belong to their user: the same key and body from a colleague is a send of its own
        // (created once: the colleague's own replay answers with it).
        const user = CREATORS.find((c) => c !== s.createdBy)!;
        const res = await post(r, user, s.key, s.body);
        const earlier = m.sends.find((o) => o.createdBy === user && o.key === s.key);
        if (earlier) {
          assert.equal(res.status, 200, res.text);
          return assert.equal(res.body.id, earlier.id);
        }
        assert.equal(res.status, 201, res.text);
        assert.notEqual(res.body.id, s.id);
        const intro = (s.body.personalization as Record<string, string>).b_intro;
        const held = needsApproval(s.rule, intro, s.recipients);
        m.sends.push({
          ...s,
          id: res.body.id,
          createdBy: user,
          intro,
          status: held ? 'pending_approval' : 'scheduled',
          approval: held ? await approvalOf(r, res.body.id) : null,
        });
      }
    },
    toString: () => `replay(#${index}, ${variant})`,
  };
}

function decide(index: number, decision: 'approve' | 'reject', stale: number, pending: boolean): Cmd {
  return {
    check: (m) => m.sends.some((s) => s.approval),
    async run(m, r) {
      const withApproval = m.sends.filter((s) => s.approval);
      const open = withApproval.filter((s) => s.approval!.status === 'pending');
      const list = pending && open.length ? open : withApproval;
      const s = list[index % list.length]!;
      const a = s.approval!;
      const version = stale === 0 ? a.version : a.version + stale < 0 ? a.version + 2 : a.version + stale;
      const res = await r.ctx.call('POST', `/v1/approvals/${a.id}/decision`, {
        as: APPROVER,
        headers: { 'if-match': `"${version}"` },
        body: decision === 'approve' ? { decision } : { decision, reason: 'Not this time' },
      });
      r.note(`${decision} ${res.status}`);
      if (stale === 0 && a.status === 'pending' && s.status === 'pending_approval') {
        assert.equal(res.status, 200, res.text);
        a.status = decision === 'approve' ? 'approved' : 'rejected';
        a.version++;
        s.status = decision === 'approve' ? 'scheduled' : 'rejected';
        assert.equal(res.body.version, a.version);
      } else {
        assert.equal(res.status, 409, res.text);
        assert.equal(res.body.error.current.version, a.version, 'a losing decision changes nothing');
      }
    },
    toString: () => `${decision}(#${index}${stale ? `, If-Match ${stale > 0 ? '+' : ''}${stale}` : ''})`,
  };
}

function selfDecide(index: number): Cmd {
  const mine = (m: Readonly<Model>) => m.sends.filter((s) => s.createdBy === 'u_ap_self' && s.approval);
  return {
    check: (m) => mine(m).length > 0,
    async run(m, r) {
      // Mostly a pending approval (where the 403 is all that stops it), sometimes a decided one.
      const open = mine(m).filter((s) => s.approval!.status === 'pending');
      const list = open.length && index % 4 ? open : mine(m);
      const s = list[index % list.length]!;
      // The sender is made an approver of its own partner, then tries to approve its own send.
      await r.ctx.db.update(users).set({ role: 'approver' }).where(eq(users.id, 'u_ap_self'));
      try {
        const res = await r.ctx.call('POST', `/v1/approvals/${s.approval!.id}/decision`, {
          as: 'u_ap_self',
          headers: { 'if-match': `"${s.approval!.version}"` },
          body: { decision: 'approve' },
        });
        assert.equal(res.status, 403, res.text);
      } finally {
        await r.ctx.db.update(users).set({ role: 'partner' }).where(eq(users.id, 'u_ap_self'));
      }
    },
    toString: () => `self-approve(#${index})`,
  };
}

function cancel(index: number, byColleague: boolean): Cmd {
  return {
    check: (m) => m.sends.length > 0,
    async run(m, r) {
      const s = pick(m, index);
      const as = byColleague ? CREATORS.find((c) => c !== s.createdBy)! : s.createdBy;
      const res = await r.ctx.call('POST', `/v1/sends/${s.id}/cancel`, { as });
      r.note(`cancel ${res.status}`);
      if (s.status === 'pending_approval' || s.status === 'scheduled') {
        assert.equal(res.status, 200, res.text);
        if (s.status === 'pending_approval') {
          s.approval!.status = 'withdrawn';
          s.approval!.version++;
        }
        s.status = 'cancelled';
      } else {
        assert.equal(res.status, 409, res.text);
      }
    },
    toString: () => `cancel(#${index}${byColleague ? ', by a colleague' : ''})`,
  };
}

function edit(index: number, edited: boolean, byColleague: boolean): Cmd {
  return {
    check: (m) => m.sends.length > 0,
    async run(m, r) {
      const s = pick(m, index);
      const intro = edited ? EDITED_INTRO : undefined;
      const as = byColleague ? CREATORS.find((c) => c !== s.createdBy)! : s.createdBy;
      const res = await r.ctx.call('PATCH', `/v1/sends/${s.id}`, {
        as,
        body: { personalization: intro === undefined ? {} : { b_intro: intro } },
      });
      r.note(`edit ${res.status}`);
      if (byColleague) return assert.equal(res.status, 403, res.text);
      if (s.status !== 'pending_approval' && s.status !== 'scheduled')
        return assert.equal(res.status, 409, res.text);
      assert.equal(res.status, 200, res.text);
      if (intro !== s.intro) {
        s.intro = intro;
        if (s.approval) {
          // Changed content goes back to review: a new version, pending again, rows held.
          s.approval.status = 'pending';
          s.approval.version++;
          s.status = 'pending_approval';
        } else if (needsApproval(s.rule, intro, s.recipients)) {
          s.approval = await approvalOf(r, s.id);
          assert.deepEqual(
            { ...s.approval, id: undefined },
            { id: undefined, version: 0, status: 'pending' },
          );
          s.status = 'pending_approval';
        }
      }
      assert.equal(res.body.status, s.status);
    },
    toString: () =>
      `edit(#${index}, ${edited ? 'edited' : 'default'}${byColleague ? ', by a colleague' : ''})`,
  };
}

const drain: Cmd = {
  check: () => true,
  async run(m, r) {
    r.note(`delivered ${(await r.worker.drain()).delivered}`.replace(/ [1-9]\d*$/, ' some'));
    for (const s of m.sends) {
      if (s.status === 'scheduled' && (s.scheduledAt ?? 0) <= m.clock) s.status = 'sent';
    }
  },
  toString: () => 'run the worker',
};

const nextDay: Cmd = {
  check: () => true,
  async run(m, r) {
    r.ctx.advance(DAY);
    m.clock += DAY;
  },
  toString: () => 'a day later',
};

const createArb = fc
  .tuple(
    fc.constantFrom(...CREATORS),
    fc.constantFrom(...RULES),
    fc.array(fc.nat(5), { minLength: 1, maxLength: 5 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map((a) => create(...a));
const decideArb = fc
  .tuple(
    fc.nat(),
    fc.constantFrom('approve' as const, 'approve' as const, 'reject' as const),
    fc.constantFrom(0, 0, 0, 1, -1),
    fc.boolean(),
  )
  .map((a) => decide(...a));
/** Creating and deciding twice as often as the rest. */
const commandArbs = [
  createArb,
  createArb,
  fc
    .tuple(fc.nat(), fc.constantFrom('same' as const, 'changed' as const, 'other user' as const))
    .map((a) => replay(...a)),
  decideArb,
  decideArb,
  fc.nat().map(selfDecide),
  fc.tuple(fc.nat(), fc.boolean()).map((a) => cancel(...a)),
  fc.tuple(fc.nat(), fc.boolean(), fc.constantFrom(false, false, true)).map((a) => edit(...a)),
  fc.constant(drain),
  fc.constant(nextDay),
];

// ---- invariants ---------------------------------------------------------------------------------

/** The database and the mailer agree with the model and keep the invariants (after every command). */
async function invariants(m: Model, r: Real) {
  const { db } = r.ctx;
  const ids = m.sends.map((s) => s.id);
  if (!ids.length) return;
  const [sendRows, approvalRows, outboxRows, recipientRows, events_, audit, keyed] = await Promise.all([
    db
      .select({ id: sends.id, status: sends.status, createdBy: sends.createdBy })
      .from(sends)
      .where(inArray(sends.id, ids)),
    db
      .select({
        sendId: approvals.sendId,
        status: approvals.status,
        version: approvals.version,
        decidedBy: approvals.decidedBy,
      })
      .from(approvals)
      .where(inArray(approvals.sendId, ids)),
    db.select().from(outbox).where(inArray(outbox.sendId, ids)),
    db.select().from(sendRecipients).where(inArray(sendRecipients.sendId, ids)),
    db
      .select({ sendId: events.sendId, stepId: events.stepId, contactId: events.contactId })
      .from(events)
      .where(and(inArray(events.sendId, ids), eq(events.type, 'delivered'))),
    db
      .select({ sendId: approvalAudit.sendId, action: approvalAudit.action, actorId: approvalAudit.actorId })
      .from(approvalAudit)
      .where(inArray(approvalAudit.sendId, ids)),
    db
      .select({ id: sends.id })
      .from(sends)
      .where(inArray(sends.idempotencyKey, [...new Set(m.sends.map((s) => s.key))])),
  ]);
  // The model: every send's status and approval.
  const actual = new Map(sendRows.map((s) => [s.id, s]));
  const approvalBySend = new Map(approvalRows.map((a) => [a.sendId, a]));
  for (const s of m.sends) {
    assert.equal(actual.get(s.id)?.status, s.status, `status of ${s.id}`);
    const a = approvalBySend.get(s.id);
    assert.deepEqual(
      a ? { status: a.status, version: a.version } : null,
      s.approval && { status: s.approval.status, version: s.approval.version },
      `approval of ${s.id}`,
    );
  }
  // A repeated key never made a second send: every send with this run's keys is one the model knows.
  assert.deepEqual(keyed.map((k) => k.id).sort(), [...ids].sort(), 'sends with this run’s keys');

  const messages = new Map<string, number>();
  const html = new Map<string, string>();
  const mine = new Set(ids);
  for (const msg of r.sent) {
    const id = msg.messageId;
    if (!mine.has(id.split('.')[0]!)) continue;
    messages.set(id, (messages.get(id) ?? 0) + 1);
    html.set(id, msg.html);
  }
  const deliveredEvents = new Map<string, number>();
  for (const e of events_) {
    const k = `${e.sendId}|${e.stepId}|${e.contactId}`;
    deliveredEvents.set(k, (deliveredEvents.get(k) ?? 0) + 1);
  }

  const byId = new Map(m.sends.map((s) => [s.id, s]));
  for (const row of outboxRows) {
    const s = byId.get(row.sendId)!;
    const copies = messages.get(row.messageId) ?? 0;
    assert.ok(copies <= 1, `${row.messageId} arrived ${copies} times`);
    const recorded = deliveredEvents.get(`${row.sendId}|${row.stepId}|${row.contactId}`) ?? 0;
    assert.equal(recorded, row.status === 'delivered' ? 1 : 0, `${row.id}: ${recorded} delivered events`);
    assert.equal(
      copies,
      row.status === 'delivered' ? 1 : 0,
      `${row.messageId} is ${row.status}, handed over ${copies} times`,
    );
    if (copies) {
      // Delivered: approved if it needed approval, with the content that was approved.
      const a = approvalBySend.get(row.sendId);
      assert.ok(!needsApproval(s.rule, s.intro, s.recipients) || a, `${s.id} needed approval`);
      if (a) assert.equal(a.status, 'approved', `${s.id} delivered while its approval is ${a.status}`);
      assert.ok(
        html.get(row.messageId)!.includes(s.intro ?? INTRO_DEFAULT),
        `${row.messageId} carries the approved text`,
      );
      assert.notEqual(s.status, 'rejected');
    }
    if (s.status === 'sent') assert.equal(row.status, 'delivered', `${row.id} of sent ${s.id}`);
  }
  for (const rec of recipientRows) {
    if (rec.status !== 'cancelled') continue;
    const row = outboxRows.find((o) => o.sendId === rec.sendId && o.contactId === rec.contactId)!;
    assert.equal(
      messages.get(row.messageId) ?? 0,
      0,
      `cancelled recipient ${rec.contactId} of ${rec.sendId} got mail`,
    );
    assert.notEqual(row.status, 'delivered');
  }
  // Nobody decided their own send.
  for (const a of approvalRows) {
    if (a.decidedBy) assert.notEqual(a.decidedBy, actual.get(a.sendId)!.createdBy, 'self-decided');
  }
  for (const e of audit) {
    if (e.action === 'approved' || e.action === 'rejected') {
      assert.notEqual(e.actorId, actual.get(e.sendId)!.createdBy, 'self-decided (audit)');
    }
  }
}

forEachDatabase('reliability: send and approval state machine', (base) => {
  let ctx: ApprovalCtx;
  let worker: OutboxWorker;
  const { mailer, sent } = recordingMailer();
  before(async () => {
    ctx = await approvalContext(base());
    worker = new OutboxWorker({
      db: ctx.db,
      mailer,
      secret: TEST_SECRET,
      publicUrl: PUBLIC_URL,
      clock: ctx.now,
    });
  });
  after(() => ctx.close());

  it('random command sequences keep the model and the invariants', { timeout: 600_000 }, async (t) => {
    const seed = seedFrom('DM_SM_SEED', 'state machine');
    let run = 0;
    const ran = new Map<string, number>();
    const outcomes = new Map<string, number>();
    const note = (o: string) => outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbs, { maxCommands: MAX_COMMANDS, size: 'max' }), async (cmds) => {
        const contacts = await addContacts(ctx.db, 'partner_north', 6);
        const real: Real = { ctx, worker, sent, contacts, run: ++run, note };
        const checked = [...cmds].map((c): Cmd => ({
          check: (m) => c.check(m),
          async run(m, r) {
            await c.run(m, r);
            const name = c.toString().replace(/\(.*$/, '');
            ran.set(name, (ran.get(name) ?? 0) + 1);
            await invariants(m, r);
          },
          toString: () => c.toString(),
        }));
        await fc.asyncModelRun(
          async () => ({ model: { sends: [], clock: ctx.now().getTime(), keys: 0 }, real }),
          checked,
        );
      }),
      { numRuns: RUNS, seed, endOnFailure: process.env.DM_SM_SHRINK !== '1', includeErrorInReport: true },
    );
    const total = [...ran.values()].reduce((a, b) => a + b, 0);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    t.diagnostic(`seed ${seed}: ${RUNS} sequences, ${total} commands in ${seconds} s`);
    t.diagnostic(`commands run: ${JSON.stringify(Object.fromEntries([...ran].sort()))}`);
    t.diagnostic(`outcomes: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
  });
});
