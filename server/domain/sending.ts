/**
 * Sends: who may be mailed, preflight checks shared by previews and sends, creating a send (send +
 * recipients + outbox rows in one transaction), approval hooks (`releaseSend`, `rejectSend`) and cancel.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type {
  FieldError,
  Locale,
  Personalization,
  PreviewIssue,
  Send,
  SendRecipient,
  Step,
} from '../../src/contract/index.js';
import type { SendCreate as SendCreateSchema } from '../../src/contract/index.js';
import {
  brands,
  contacts,
  journeys,
  outbox,
  partners,
  sendRecipients,
  sends,
  suppressions,
  type SendSnapshot,
} from '../db/schema.js';
import type { Db } from '../db/types.js';
import type { Caller } from '../env.js';
import { ApiError, forbidden, invalid, notFound } from '../errors.js';
import {
  compileStep,
  footerIssues,
  mergeData,
  missingIssues,
  type RenderBrand,
  type RenderPartner,
} from './render.js';
import { checkPersonalization } from './rules.js';
import { canonicalJson, sha256Hex } from './tracking.js';
import { journeyVisibility } from './visibility.js';
import type { z } from 'zod';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Exec = Db | Tx;
/** The contact columns sending needs (fewer columns: faster for 10,000-recipient sends). */
const contactColumns = {
  id: contacts.id,
  email: contacts.email,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  company: contacts.company,
  consent: contacts.consent,
  status: contacts.status,
};
type ContactRow = Pick<
  typeof contacts.$inferSelect,
  'id' | 'email' | 'firstName' | 'lastName' | 'company' | 'consent' | 'status'
>;
type JourneyRow = typeof journeys.$inferSelect;
type SendRow = typeof sends.$inferSelect;
export type SendInput = z.output<typeof SendCreateSchema>;

const DAY_MS = 86_400_000;

/**
 * `column = any('{…}'::text[])` with the whole list as one parameter: binding thousands of separate
 * parameters is slow (PGlite especially), and a constant array is hashed by the planner.
 */
export const inTextArray = (column: AnyPgColumn, values: string[]): SQL =>
  sql`${column} = any(${`{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`}::text[])`;

/** The partner a caller acts for; only partner users send and preview (their own contacts). */
export function senderPartnerId(caller: Caller): string {
  if (!caller.partner) {
    throw forbidden(
      'contacts belong to partners; this user is not attached to a partner, so it cannot preview or send',
    );
  }
  if (caller.role !== 'partner') throw forbidden('only partner users preview and send');
  return caller.partner.id;
}

/** A published journey the caller may use, or 404. */
export async function loadJourney(db: Exec, caller: Caller, journeyId: string): Promise<JourneyRow> {
  const [row] = await db
    .select()
    .from(journeys)
    .where(and(eq(journeys.id, journeyId), journeyVisibility(caller)))
    .limit(1);
  if (!row)
    throw new ApiError(404, 'not_found', 'journey not found', [
      { path: 'body.journeyId', message: 'unknown journey' },
    ]);
  return row;
}

/** Brand and partner as the renderer needs them. */
export async function loadParties(db: Exec, brandId: string, partnerId: string) {
  const [row] = await db
    .select({ brand: brands, partner: partners })
    .from(partners)
    .innerJoin(brands, eq(brands.id, partners.brandId))
    .where(and(eq(partners.id, partnerId), eq(brands.id, brandId)))
    .limit(1);
  if (!row) throw notFound('partner');
  const brand: RenderBrand = {
    id: row.brand.id,
    name: row.brand.name,
    domain: row.brand.domain,
    postalAddress: row.brand.postalAddress,
  };
  const partner: RenderPartner = {
    id: row.partner.id,
    name: row.partner.name,
    replyTo: row.partner.replyTo,
    postalAddress: row.partner.postalAddress,
    signature: row.partner.signature,
  };
  return { brand, partner };
}

export interface Recipient {
  contact: ContactRow;
  /** Reason on the brand's suppression list, if any. */
  suppressed: string | null;
}

/**
 * The caller's partner's contacts for `ids`, with suppression status. Ids of other partners' (or
 * unknown) contacts come back in `missing` with their index.
 */
export async function loadRecipients(db: Exec, brandId: string, partnerId: string, ids: string[]) {
  const rows: ContactRow[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 5000) {
    rows.push(
      ...(await db
        .select(contactColumns)
        .from(contacts)
        .where(
          and(
            eq(contacts.brandId, brandId),
            eq(contacts.partnerId, partnerId),
            inTextArray(contacts.id, unique.slice(i, i + 5000)),
          ),
        )),
    );
  }
  const suppressed = await suppressionsFor(
    db,
    brandId,
    rows.map((r) => r.email),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const recipients: Recipient[] = [];
  const missing: number[] = [];
  ids.forEach((id, index) => {
    const contact = byId.get(id);
    if (!contact) missing.push(index);
    else recipients.push({ contact, suppressed: suppressed.get(contact.email.toLowerCase()) ?? null });
  });
  return { recipients, missing };
}

/** Suppression reasons by lower-cased email. */
export async function suppressionsFor(db: Exec, brandId: string, emails: string[]) {
  const out = new Map<string, string>();
  const lower = [...new Set(emails.map((e) => e.toLowerCase()))];
  for (let i = 0; i < lower.length; i += 5000) {
    const rows = await db
      .select({ email: suppressions.email, reason: suppressions.reason })
      .from(suppressions)
      .where(
        and(eq(suppressions.brandId, brandId), inTextArray(suppressions.email, lower.slice(i, i + 5000))),
      );
    for (const r of rows) out.set(r.email, r.reason);
  }
  return out;
}

/** Deliverability and consent issues of one recipient (all blocking except unknown consent). */
export function recipientIssues({ contact, suppressed }: Recipient): PreviewIssue[] {
  const issues: PreviewIssue[] = [];
  const field = contact.id;
  if (contact.status === 'unsubscribed' || suppressed === 'unsubscribe') {
    issues.push({
      code: 'unsubscribed',
      severity: 'blocking',
      field,
      message: `${contact.email} has unsubscribed`,
    });
  } else if (contact.status !== 'active' || suppressed) {
    const why = contact.status !== 'active' ? contact.status : suppressed;
    issues.push({
      code: 'suppressed',
      severity: 'blocking',
      field,
      message: `${contact.email} is suppressed (${why})`,
    });
  }
  if (contact.consent === 'opted_out') {
    issues.push({
      code: 'no_consent',
      severity: 'blocking',
      field,
      message: `${contact.email} opted out of email`,
    });
  } else if (contact.consent === 'unknown') {
    issues.push({
      code: 'no_consent',
      severity: 'warning',
      field,
      message: `consent of ${contact.email} is unknown; make sure you may email this contact`,
    });
  }
  return issues;
}

/** True when the contact may be mailed now. */
export const mailable = (r: Recipient) =>
  r.contact.status === 'active' && r.contact.consent !== 'opted_out' && !r.suppressed;

export const renderContact = (c: ContactRow) => ({
  id: c.id,
  email: c.email,
  firstName: c.firstName,
  lastName: c.lastName,
  company: c.company,
});

/** The steps a send uses: one for a quick send, all for a journey send. */
export function stepsInScope(
  journeySteps: Step[],
  kind: 'quick' | 'journey',
  stepId: string | undefined,
  path = 'body.stepId',
): Step[] {
  if (kind === 'journey') {
    if (stepId) throw invalid(path, 'journey sends use every step; stepId is for quick sends');
    return journeySteps;
  }
  const step = stepId ? journeySteps.find((s) => s.id === stepId) : journeySteps[0];
  if (!step) throw invalid(path, 'no such step in this journey');
  return [step];
}

export const effectivePersonalization = (base: Personalization, override: Personalization | undefined) =>
  override ? { ...base, ...override } : base;

/** Missing-merge-data warnings for a recipient over the given steps. */
export function mergeWarnings(
  steps: Step[],
  personalization: Personalization,
  locale: Locale,
  input: Parameters<typeof mergeData>[0],
): PreviewIssue[] {
  const keys = new Set<string>();
  for (const step of steps) for (const k of compileStep(step, personalization, locale).keys) keys.add(k);
  return missingIssues(mergeData(input, [...keys]).missing);
}

/** Which approval the journey's rule asks for, if any. */
export function needsApproval(
  journey: { approvalRule: SendSnapshot['approvalRule']; steps: Step[] },
  recipients: number,
  personalization: Personalization,
  overrides: Record<string, Personalization>,
  hasWarnings: boolean,
): boolean {
  const rule = journey.approvalRule;
  switch (rule.mode) {
    case 'never':
      return false;
    case 'always':
      return true;
    case 'over_recipients':
      return recipients > (rule.threshold ?? 0);
    case 'warnings':
      return hasWarnings;
    case 'edited': {
      const defaults = new Map(
        journey.steps.flatMap((s) => s.blocks.map((b) => [b.id, b.content.trim()] as const)),
      );
      const differs = (p: Personalization) =>
        Object.entries(p).some(([id, v]) => v.trim() !== defaults.get(id));
      return differs(personalization) || Object.values(overrides).some(differs);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading sends

export function toSend(row: SendRow, journeyName: string, recipients?: SendRecipient[]): Send {
  return {
    id: row.id,
    kind: row.kind,
    journeyId: row.journeyId,
    journeyName,
    partnerId: row.partnerId,
    createdBy: row.createdBy,
    status: row.status as Send['status'],
    recipientCount: row.recipientCount,
    createdAt: row.createdAt.toISOString(),
    scheduledAt: row.scheduledAt ? row.scheduledAt.toISOString() : null,
    ...(recipients ? { recipients } : {}),
  };
}

export async function readSend(db: Exec, id: string, withRecipients = true): Promise<Send> {
  const [row] = await db
    .select({ send: sends, journeyName: journeys.name })
    .from(sends)
    .innerJoin(journeys, eq(journeys.id, sends.journeyId))
    .where(eq(sends.id, id))
    .limit(1);
  if (!row) throw notFound('send');
  let recipients: SendRecipient[] | undefined;
  if (withRecipients) {
    const rows = await db
      .select()
      .from(sendRecipients)
      .where(eq(sendRecipients.sendId, id))
      .orderBy(sendRecipients.email, sendRecipients.contactId);
    recipients = rows.map((r) => ({
      contactId: r.contactId,
      email: r.email,
      status: r.status as SendRecipient['status'],
      updatedAt: r.updatedAt.toISOString(),
    }));
  }
  return toSend(row.send, row.send.snapshot?.name ?? row.journeyName, recipients);
}

/** Who may see a send: its partner's users, and brand-level users of its brand. */
export function sendScope(caller: Caller) {
  return caller.partner
    ? and(eq(sends.brandId, caller.brand.id), eq(sends.partnerId, caller.partner.id))!
    : eq(sends.brandId, caller.brand.id);
}

// ---------------------------------------------------------------------------------------------------
// Creating a send

const MAX_FIELD_ERRORS = 200;

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export interface CreateSendOptions {
  db: Db;
  caller: Caller;
  body: SendInput;
  idempotencyKey: string;
  now: Date;
}

/** Returns the send and whether this call created it (false: an idempotent replay). */
export async function createSend({ db, caller, body, idempotencyKey, now }: CreateSendOptions): Promise<{
  send: Send;
  created: boolean;
}> {
  const partnerId = senderPartnerId(caller);
  const requestHash = await sha256Hex(canonicalJson(body));
  const replay = async () => {
    const [existing] = await db
      .select({ id: sends.id, requestHash: sends.requestHash })
      .from(sends)
      .where(and(eq(sends.createdBy, caller.userId), eq(sends.idempotencyKey, idempotencyKey)))
      .limit(1);
    if (!existing) return null;
    if (existing.requestHash !== requestHash) {
      throw new ApiError(422, 'validation', 'Idempotency-Key reused with a different request', [
        { path: 'header.idempotency-key', message: 'already used for a different request' },
      ]);
    }
    return { send: await readSend(db, existing.id), created: false };
  };
  const earlier = await replay();
  if (earlier) return earlier;

  const journey = await loadJourney(db, caller, body.journeyId);
  const steps = stepsInScope(journey.steps, body.kind, body.stepId);
  const locale = journey.locale as Locale;
  const fields: FieldError[] = [];

  const seen = new Map<string, number>();
  body.contactIds.forEach((id, i) => {
    if (seen.has(id))
      fields.push({ path: `body.contactIds.${i}`, message: `duplicate of contactIds.${seen.get(id)}` });
    else seen.set(id, i);
  });
  if (fields.length) throw validation(fields);

  const { recipients, missing } = await loadRecipients(db, caller.brand.id, partnerId, body.contactIds);
  if (missing.length) {
    throw new ApiError(
      404,
      'not_found',
      `${missing.length} contact(s) not found`,
      missing
        .slice(0, MAX_FIELD_ERRORS)
        .map((i) => ({ path: `body.contactIds.${i}`, message: 'unknown contact' })),
    );
  }
  const parties = await loadParties(db, caller.brand.id, partnerId);

  // Preflight: every blocking issue is a field error; nothing is written when there is one.
  for (const issue of checkPersonalization(steps, body.personalization, journey.steps)) {
    if (issue.severity === 'blocking')
      fields.push({ path: `body.personalization.${issue.field}`, message: issue.message });
  }
  for (const [contactId, override] of Object.entries(body.overrides)) {
    if (!seen.has(contactId)) {
      fields.push({ path: `body.overrides.${contactId}`, message: 'not a recipient of this send' });
      continue;
    }
    const merged = effectivePersonalization(body.personalization, override);
    for (const issue of checkPersonalization(steps, merged, journey.steps)) {
      if (issue.severity === 'blocking' && issue.field !== undefined && issue.field in override) {
        fields.push({ path: `body.overrides.${contactId}.${issue.field}`, message: issue.message });
      }
    }
  }
  for (const issue of footerIssues(parties.brand, parties.partner))
    fields.push({ path: 'body', message: issue.message });
  let hasWarnings = false;
  recipients.forEach((r, i) => {
    for (const issue of recipientIssues(r)) {
      if (issue.severity === 'blocking')
        fields.push({ path: `body.contactIds.${i}`, message: issue.message });
      else hasWarnings = true;
    }
  });
  if (fields.length) throw validation(fields);
  if (!hasWarnings && journey.approvalRule.mode === 'warnings') {
    hasWarnings = recipients.some(
      (r) =>
        mergeWarnings(
          steps,
          effectivePersonalization(body.personalization, body.overrides[r.contact.id]),
          locale,
          {
            ...parties,
            senderName: caller.name,
            contact: renderContact(r.contact),
            mergeFields: journey.mergeFields,
          },
        ).length > 0,
    );
  }

  const snapshot: SendSnapshot = {
    name: journey.name,
    steps: journey.steps,
    mergeFields: journey.mergeFields,
    approvalRule: journey.approvalRule,
  };
  const held = needsApproval(snapshot, recipients.length, body.personalization, body.overrides, hasWarnings);
  const sendId = `snd_${crypto.randomUUID().replace(/-/g, '')}`;
  const start = body.scheduledAt ? new Date(body.scheduledAt) : now;
  try {
    await db.transaction(async (tx) => {
      await tx.insert(sends).values({
        id: sendId,
        brandId: caller.brand.id,
        partnerId,
        journeyId: journey.id,
        createdBy: caller.userId,
        kind: body.kind,
        status: held ? 'pending_approval' : 'scheduled',
        personalization: body.personalization,
        overrides: body.overrides,
        recipientCount: recipients.length,
        idempotencyKey,
        requestHash,
        scheduledAt: body.scheduledAt ? start : null,
        createdAt: now,
        stepId: body.kind === 'quick' ? steps[0]!.id : null,
        snapshot,
      });
      for (let i = 0; i < recipients.length; i += 1000) {
        await tx.insert(sendRecipients).values(
          recipients.slice(i, i + 1000).map((r) => ({
            sendId,
            contactId: r.contact.id,
            email: r.contact.email,
            status: 'queued',
            updatedAt: now,
          })),
        );
      }
      const rows = recipients.flatMap((r) =>
        steps.map((step) => ({
          id: `ob_${crypto.randomUUID().replace(/-/g, '')}`,
          sendId,
          contactId: r.contact.id,
          stepId: step.id,
          stepIndex: journey.steps.indexOf(step),
          delayDays: body.kind === 'journey' ? step.delayDays : 0,
          brandId: caller.brand.id,
          partnerId,
          journeyId: journey.id,
          status: held ? ('held' as const) : ('queued' as const),
          dueAt: new Date(start.getTime() + (body.kind === 'journey' ? step.delayDays * DAY_MS : 0)),
          messageId: `${sendId}.${step.id}.${r.contact.id}@${parties.brand.domain}`,
          updatedAt: now,
        })),
      );
      for (let i = 0; i < rows.length; i += 1000) await tx.insert(outbox).values(rows.slice(i, i + 1000));
    });
  } catch (error) {
    // A concurrent request with the same key won the unique index: answer with its send.
    if (isUniqueViolation(error)) {
      const winner = await replay();
      if (winner) return winner;
    }
    throw error;
  }
  return { send: await readSend(db, sendId), created: true };
}

function validation(fields: FieldError[]): ApiError {
  const first = fields[0]!;
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
  return new ApiError(
    422,
    'validation',
    `${first.path}: ${first.message}${more}`,
    fields.slice(0, MAX_FIELD_ERRORS),
  );
}

// ---------------------------------------------------------------------------------------------------
// Approval hooks and cancel

/**
 * Approval granted: held outbox rows become due (steps keep their offsets from the later of the
 * scheduled start and now) and the send is `scheduled`. Returns false when the send was not waiting.
 */
export async function releaseSend(tx: Exec, sendId: string, now = new Date()): Promise<boolean> {
  const [send] = await tx
    .update(sends)
    .set({ status: 'scheduled' })
    .where(and(eq(sends.id, sendId), eq(sends.status, 'pending_approval')))
    .returning({ scheduledAt: sends.scheduledAt });
  if (!send) return false;
  const start = send.scheduledAt && send.scheduledAt > now ? send.scheduledAt : now;
  await tx
    .update(outbox)
    .set({
      status: 'queued',
      dueAt: sql`${start.toISOString()}::timestamptz + ${outbox.delayDays} * interval '1 day'`,
      updatedAt: now,
    })
    .where(and(eq(outbox.sendId, sendId), eq(outbox.status, 'held')));
  return true;
}

/** Approval refused: nothing of the send ever goes out. Returns false when it was not waiting. */
export async function rejectSend(tx: Exec, sendId: string, now = new Date()): Promise<boolean> {
  const [send] = await tx
    .update(sends)
    .set({ status: 'rejected' })
    .where(and(eq(sends.id, sendId), eq(sends.status, 'pending_approval')))
    .returning({ id: sends.id });
  if (!send) return false;
  await tx
    .update(outbox)
    .set({ status: 'cancelled', updatedAt: now })
    .where(and(eq(outbox.sendId, sendId), eq(outbox.status, 'held')));
  await tx
    .update(sendRecipients)
    .set({ status: 'cancelled', updatedAt: now })
    .where(and(eq(sendRecipients.sendId, sendId), eq(sendRecipients.status, 'queued')));
  return true;
}

/**
 * Stops everything of a send that has not started delivering (held, queued or claimed rows; a worker
 * holding a claimed row re-checks its claim before delivering). 409 when nothing is left to stop.
 */
export async function cancelSend(db: Db, caller: Caller, sendId: string, now: Date): Promise<Send> {
  const [row] = await db
    .select({ id: sends.id, status: sends.status })
    .from(sends)
    .where(and(eq(sends.id, sendId), sendScope(caller)))
    .limit(1);
  if (!row) throw notFound('send');
  if (caller.role === 'approver') throw forbidden('approvers decide sends; they do not cancel them');
  const cancelled = await db.transaction(async (tx) => {
    const stopped = await tx
      .update(outbox)
      .set({ status: 'cancelled', claimToken: null, updatedAt: now })
      .where(and(eq(outbox.sendId, sendId), inArray(outbox.status, ['held', 'queued', 'claimed'])))
      .returning({ contactId: outbox.contactId });
    if (!stopped.length) return 0;
    // Only recipients whose messages were stopped here, and none with a message in flight: that one
    // goes out, and the worker records the recipient as delivered.
    await tx.execute(sql`
      update ${sendRecipients} as r set status = 'cancelled', updated_at = ${now.toISOString()}::timestamptz
      where r.send_id = ${sendId} and r.status = 'queued'
        and exists (select 1 from ${outbox} o
          where o.send_id = r.send_id and o.contact_id = r.contact_id and o.status = 'cancelled')
        and not exists (select 1 from ${outbox} o
          where o.send_id = r.send_id and o.contact_id = r.contact_id and o.status = 'delivering')`);
    await tx
      .update(sends)
      .set({ status: 'cancelled' })
      .where(and(eq(sends.id, sendId), inArray(sends.status, ['pending_approval', 'scheduled', 'sending'])));
    return stopped.length;
  });
  if (!cancelled)
    throw new ApiError(
      409,
      'conflict',
      'nothing left to cancel: every message of this send has gone out or stopped',
    );
  return readSend(db, sendId);
}
