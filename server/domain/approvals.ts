/**
 * Approvals: who sees and decides which held sends, the queue listing, the reviewer's detail (recipients,
 * rendered email, redline, warnings, audit trail), decisions with optimistic concurrency, and edits that
 * send content back to review.
 *
 * Invariants
 * - Every send inserted as `pending_approval` has an approval (version 0): the `sends_open_approval`
 *   trigger opens it in the inserting transaction (migration `approvals`), freezing the content under
 *   review (`dm_approval_content`) and its SHA-256 (`dm_content_hash`).
 * - A decision is one conditional `UPDATE … WHERE id AND version AND status = 'pending' AND content_hash
 *   = hash(current send content) RETURNING`: exactly one of any number of concurrent decisions wins;
 *   the others (and any decision on content that changed) get 409 with the approval as it is now.
 * - The winning decision releases the send's held outbox rows (`releaseSend`) or rejects the send and
 *   cancels its rows (`rejectSend`) in the same transaction, and appends an audit row with the exact
 *   content decided on. Audit rows are append-only (a trigger rejects UPDATE, DELETE and TRUNCATE).
 * - Content that changes after submission (`editSend`) bumps the version, reopens the approval and holds
 *   the outbox rows again, so what is delivered is always what was approved.
 */
import { and, asc, count, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type {
  ApprovalQuery as ApprovalQuerySchema,
  SendEdit as SendEditSchema,
} from '../../src/contract/index.js';
import type {
  Approval,
  ApprovalAuditEntry,
  ApprovalDetail,
  ApprovalFacet,
  ApprovalReason,
  ApprovalRule,
  ApprovalWarning,
  FieldError,
  Locale,
  PreviewIssue,
  RedlineBlock,
  Send,
} from '../../src/contract/index.js';
import {
  approvalAudit,
  approvals,
  journeys,
  outbox,
  partners,
  sendRecipients,
  sends,
  users,
  type ApprovalContent,
} from '../db/schema.js';
import type { Db } from '../db/types.js';
import type { Caller } from '../env.js';
import { ApiError, forbidden, invalid, notFound } from '../errors.js';
import { CursorTimestamp, decodeCursor, encodeCursor } from './cursor.js';
import { diffWords } from './diff.js';
import { isoMicros, keysetAfter, keysetOrder, type KeyPart } from './keyset.js';
import { publish } from './live-bus.js';
import { renderMessage } from './render.js';
import { checkPersonalization } from './rules.js';
import { htmlToText, renderPartnerContent, sanitizeBrandHtml } from './sanitize.js';
import { matchAllWords } from './search.js';
import {
  effectivePersonalization,
  loadParties,
  loadRecipients,
  mergeWarnings,
  needsApproval,
  readSend,
  recipientIssues,
  releaseSend,
  rejectSend,
  renderContact,
  sendScope,
  type Tx,
} from './sending.js';

type Exec = Db | Tx;
type ApprovalRow = typeof approvals.$inferSelect;
type SendRow = typeof sends.$inferSelect;

export type ApprovalListQuery = z.output<typeof ApprovalQuerySchema>;
export type SendEditInput = z.output<typeof SendEditSchema>;

const decider = alias(users, 'decider');

/**
 * Columns every approval listing and read selects: no content or journey snapshot (large jsonb), only
 * the snapshot's name and approval rule.
 */
const approvalColumns = {
  approval: {
    id: approvals.id,
    sendId: approvals.sendId,
    brandId: approvals.brandId,
    partnerId: approvals.partnerId,
    journeyId: approvals.journeyId,
    submittedBy: approvals.submittedBy,
    status: approvals.status,
    version: approvals.version,
    approverKind: approvals.approverKind,
    submittedAt: approvals.submittedAt,
    decidedAt: approvals.decidedAt,
    decidedBy: approvals.decidedBy,
    reason: approvals.reason,
    contentHash: approvals.contentHash,
  },
  send: {
    id: sends.id,
    brandId: sends.brandId,
    partnerId: sends.partnerId,
    journeyId: sends.journeyId,
    createdBy: sends.createdBy,
    kind: sends.kind,
    status: sends.status,
    recipientCount: sends.recipientCount,
    createdAt: sends.createdAt,
    scheduledAt: sends.scheduledAt,
  },
  snapshotName: sql<string | null>`${sends.snapshot}->>'name'`,
  rule: sql<ApprovalRule | null>`${sends.snapshot}->'approvalRule'`,
  journeyName: journeys.name,
  partnerName: partners.name,
  submitterName: users.name,
  deciderName: decider.name,
  submittedKey: isoMicros(approvals.submittedAt),
  decidedKey: isoMicros(approvals.decidedAt),
};

type ApprovalHead = Omit<ApprovalRow, 'content' | 'searchText'>;
type SendHead = Pick<
  SendRow,
  | 'id'
  | 'brandId'
  | 'partnerId'
  | 'journeyId'
  | 'createdBy'
  | 'kind'
  | 'status'
  | 'recipientCount'
  | 'createdAt'
  | 'scheduledAt'
>;

interface JoinedRow {
  approval: ApprovalHead;
  send: SendHead;
  snapshotName: string | null;
  rule: ApprovalRule | null;
  journeyName: string;
  partnerName: string;
  submitterName: string;
  deciderName: string | null;
  submittedKey: string;
  decidedKey: string | null;
}

const joined = (db: Exec) =>
  db
    .select(approvalColumns)
    .from(approvals)
    .innerJoin(sends, eq(sends.id, approvals.sendId))
    .innerJoin(journeys, eq(journeys.id, approvals.journeyId))
    .innerJoin(partners, eq(partners.id, approvals.partnerId))
    .innerJoin(users, eq(users.id, approvals.submittedBy))
    .leftJoin(decider, eq(decider.id, approvals.decidedBy));

// ---------------------------------------------------------------------------------------------------
// Scope

/**
 * Approvals the caller works on (`queue`): partner managers see their partner's `partner_manager`
 * approvals, brand compliance (an approver without a partner) the brand's `brand_compliance` ones,
 * brand admins every approval of the brand (read only). Partner users have no queue (`null`).
 */
export function queueScope(caller: Caller): SQL | null {
  const brand = eq(approvals.brandId, caller.brand.id);
  if (caller.role === 'brand_admin') return brand;
  if (caller.role !== 'approver') return null;
  return caller.partner
    ? and(brand, eq(approvals.approverKind, 'partner_manager'), eq(approvals.partnerId, caller.partner.id))!
    : and(brand, eq(approvals.approverKind, 'brand_compliance'))!;
}

/** The caller's own submissions. */
export const mineScope = (caller: Caller): SQL =>
  and(eq(approvals.brandId, caller.brand.id), eq(approvals.submittedBy, caller.userId))!;

/** Everything the caller may read: its queue and its own submissions. */
export function visibleScope(caller: Caller): SQL {
  const queue = queueScope(caller);
  return queue ? or(queue, mineScope(caller))! : mineScope(caller);
}

/** Whether the caller's queue covers an approval (the decision check, in code). */
function inQueue(caller: Caller, row: ApprovalHead): boolean {
  if (row.brandId !== caller.brand.id) return false;
  if (caller.role === 'brand_admin') return true;
  if (caller.role !== 'approver') return false;
  return caller.partner
    ? row.approverKind === 'partner_manager' && row.partnerId === caller.partner.id
    : row.approverKind === 'brand_compliance';
}

function canDecide(caller: Caller, row: JoinedRow): boolean {
  return (
    caller.role === 'approver' &&
    inQueue(caller, row.approval) &&
    row.approval.status === 'pending' &&
    row.send.status === 'pending_approval' &&
    row.send.createdBy !== caller.userId
  );
}

const ruleOf = (row: JoinedRow): ApprovalRule =>
  row.rule ?? { mode: 'always', approver: row.approval.approverKind };

const toSendHead = (row: JoinedRow): Send => ({
  id: row.send.id,
  kind: row.send.kind,
  journeyId: row.send.journeyId,
  journeyName: row.snapshotName ?? row.journeyName,
  partnerId: row.send.partnerId,
  createdBy: row.send.createdBy,
  status: row.send.status as Send['status'],
  recipientCount: row.send.recipientCount,
  createdAt: row.send.createdAt.toISOString(),
  scheduledAt: row.send.scheduledAt ? row.send.scheduledAt.toISOString() : null,
});

export function toApproval(caller: Caller, row: JoinedRow): Approval {
  const a = row.approval;
  return {
    id: a.id,
    status: a.status,
    version: a.version,
    send: toSendHead(row),
    submittedAt: a.submittedAt.toISOString(),
    decidedAt: a.decidedAt ? a.decidedAt.toISOString() : null,
    decidedBy: a.decidedBy,
    reason: a.reason,
    decidedByName: row.deciderName,
    submittedBy: { id: a.submittedBy, name: row.submitterName },
    partnerName: row.partnerName,
    approver: a.approverKind,
    rule: ruleOf(row),
    contentHash: a.contentHash,
    canDecide: canDecide(caller, row),
  };
}

/** An approval the caller may read, or 404. */
async function loadVisible(db: Exec, caller: Caller, id: string): Promise<JoinedRow> {
  const [row] = await joined(db)
    .where(and(eq(approvals.id, id), visibleScope(caller)))
    .limit(1);
  if (!row) throw notFound('approval');
  return row as JoinedRow;
}

/** The approval as the caller sees it now (after a conflict). */
export async function readApproval(db: Exec, caller: Caller, id: string): Promise<Approval> {
  return toApproval(caller, await loadVisible(db, caller, id));
}

// ---------------------------------------------------------------------------------------------------
// Listing

type Order = 'pending' | 'decided' | 'submitted';

const ORDERS: Record<Order, { scope: string; parts: KeyPart[]; key: (r: JoinedRow) => string | null }> = {
  pending: {
    scope: 'approvals:pending',
    parts: [
      { expr: sql`${approvals.submittedAt}`, dir: 'asc', cast: 'timestamptz' },
      { expr: sql`${approvals.id}`, dir: 'asc' },
    ],
    key: (r) => r.submittedKey,
  },
  decided: {
    scope: 'approvals:decided',
    parts: [
      { expr: sql`${approvals.decidedAt}`, dir: 'desc', cast: 'timestamptz' },
      { expr: sql`${approvals.id}`, dir: 'desc' },
    ],
    key: (r) => r.decidedKey,
  },
  submitted: {
    scope: 'approvals:submitted',
    parts: [
      { expr: sql`${approvals.submittedAt}`, dir: 'desc', cast: 'timestamptz' },
      { expr: sql`${approvals.id}`, dir: 'desc' },
    ],
    key: (r) => r.submittedKey,
  },
};

function statusFilter(status: ApprovalListQuery['status']): SQL | undefined {
  switch (status) {
    case 'decided':
      return inArray(approvals.status, ['approved', 'rejected']);
    case 'pending':
    case 'approved':
    case 'rejected':
    case 'withdrawn':
      return eq(approvals.status, status);
    default:
      return undefined;
  }
}

export async function listApprovals(db: Db, caller: Caller, query: ApprovalListQuery, now: Date) {
  const view = query.view ?? 'queue';
  let scope: SQL;
  if (view === 'mine') scope = mineScope(caller);
  else {
    const queue = queueScope(caller);
    if (!queue)
      throw forbidden('partner users have no approval queue; list your own submissions with view=mine');
    scope = queue;
  }
  const status = query.status ?? (view === 'queue' ? 'pending' : undefined);
  const order: Order =
    view === 'queue' && status === 'pending'
      ? 'pending'
      : status === 'decided' || status === 'approved' || status === 'rejected' || status === 'withdrawn'
        ? 'decided'
        : 'submitted';
  const base = and(scope, statusFilter(status));
  const filters = [
    query.partnerId ? eq(approvals.partnerId, query.partnerId) : undefined,
    query.journeyId ? eq(approvals.journeyId, query.journeyId) : undefined,
    matchAllWords(approvals.searchText, query.q),
    query.olderThan !== undefined
      ? sql`${approvals.submittedAt} < ${new Date(now.getTime() - query.olderThan * 3600_000).toISOString()}::timestamptz`
      : undefined,
  ].filter((f) => f !== undefined);
  const where = filters.length ? and(base, ...filters) : base;
  const { scope: cursorScope, parts, key } = ORDERS[order];
  const position = query.cursor
    ? decodeCursor(query.cursor, cursorScope, z.tuple([CursorTimestamp]))
    : undefined;
  const pageWhere = position ? and(where, keysetAfter(parts, [...position.key, position.id])) : where;
  // Facets (filter menus) come with the first page only; later pages reuse them. One scan answers
  // both facets and, when no filter narrows the scope, the total (the grand-total grouping set).
  const facets = async () => {
    const grouped = await db
      .select({
        partnerId: approvals.partnerId,
        partnerName: partners.name,
        journeyId: approvals.journeyId,
        journeyName: journeys.name,
        count: count(),
        byPartner: sql<number>`grouping(${approvals.partnerId})`,
        byJourney: sql<number>`grouping(${approvals.journeyId})`,
      })
      .from(approvals)
      .innerJoin(partners, eq(partners.id, approvals.partnerId))
      .innerJoin(journeys, eq(journeys.id, approvals.journeyId))
      .where(base)
      .groupBy(
        sql`grouping sets ((${approvals.partnerId}, ${partners.name}), (${approvals.journeyId}, ${journeys.name}), ())`,
      )
      // Each facet by name (one of the two names is null in every facet row).
      .orderBy(sql`coalesce(${partners.name}, ${journeys.name})`);
    const list = (rows: { id: string; name: string; count: number }[]): ApprovalFacet[] =>
      rows.slice(0, 200).map((f) => ({ id: f.id, name: f.name, count: Number(f.count) }));
    const partnerRows = grouped.filter((g) => Number(g.byPartner) === 0);
    const journeyRows = grouped.filter((g) => Number(g.byJourney) === 0);
    return {
      total: Number(grouped.find((g) => Number(g.byPartner) === 1 && Number(g.byJourney) === 1)?.count ?? 0),
      lists: {
        partners: list(partnerRows.map((g) => ({ id: g.partnerId, name: g.partnerName, count: g.count }))),
        journeys: list(journeyRows.map((g) => ({ id: g.journeyId, name: g.journeyName, count: g.count }))),
      },
    };
  };
  const counted = async () =>
    Number((await db.select({ n: count() }).from(approvals).where(where))[0]?.n ?? 0);
  const [rows, facetLists, filteredTotal] = await Promise.all([
    joined(db)
      .where(pageWhere)
      .orderBy(keysetOrder(parts))
      .limit(query.limit + 1)
      .then((r) => r as JoinedRow[]),
    query.cursor ? undefined : facets(),
    query.cursor || filters.length ? counted() : undefined,
  ]);
  const total = filteredTotal ?? facetLists!.total;
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > query.limit && last ? encodeCursor(cursorScope, [key(last)], last.approval.id) : null;
  return {
    items: items.map((r) => toApproval(caller, r)),
    nextCursor,
    total,
    ...(facetLists ? { facets: facetLists.lists } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Detail

const SAMPLE_SIZE = 10;

/** Brand block HTML (a Liquid template) as the text a reader compares. */
const brandText = (html: string) => htmlToText(sanitizeBrandHtml(html));

/** Partner content in the same text form as {@link brandText}. */
function partnerText(value: string, format: 'plain' | 'basic', image: boolean): string {
  const { html } = renderPartnerContent(value, {
    format,
    image,
    linkAllowed: () => true,
    imageAllowed: () => true,
  });
  return htmlToText(html);
}

/** Redline per editable block of the content under review. */
export function redline(content: ApprovalContent, emails: Map<string, string>): RedlineBlock[] {
  const out: RedlineBlock[] = [];
  for (const step of content.steps) {
    for (const block of step.blocks) {
      if (block.locked) continue;
      const format = block.rules?.format ?? 'plain';
      const image = block.kind === 'image';
      const original = brandText(block.content);
      const value = content.personalization[block.id];
      const edit = value === undefined ? null : partnerText(value, format, image);
      const overrides = Object.entries(content.overrides).filter(([, o]) => o[block.id] !== undefined);
      out.push({
        stepId: step.id,
        stepName: step.name,
        blockId: block.id,
        label: block.label,
        kind: block.kind,
        edited: edit !== null && edit !== original,
        original,
        edit,
        segments: diffWords(original, edit ?? original),
        overrides: overrides.slice(0, 10).map(([contactId, o]) => {
          const text = partnerText(o[block.id]!, format, image);
          return {
            contactId,
            email: emails.get(contactId) ?? '',
            edit: text,
            segments: diffWords(original, text),
          };
        }),
        overrideCount: overrides.length,
      });
    }
  }
  return out;
}

interface Findings {
  warnings: ApprovalWarning[];
  /** Recipients with at least one warning (not counting blocking findings). */
  warned: number;
}

/**
 * Preflight findings over every recipient, as they stand now: consent and suppression (from the contact
 * and the brand's suppression list) and merge data that falls back to brand defaults; aggregated by
 * issue code and severity.
 */
async function findings(
  db: Exec,
  send: Pick<SendRow, 'id' | 'brandId' | 'partnerId'>,
  content: ApprovalContent,
  locale: Locale,
  senderName: string,
): Promise<Findings> {
  const ids = (
    await db
      .select({ id: sendRecipients.contactId })
      .from(sendRecipients)
      .where(eq(sendRecipients.sendId, send.id))
  ).map((r) => r.id);
  const { recipients } = await loadRecipients(db, send.brandId, send.partnerId, ids);
  const parties = await loadParties(db, send.brandId, send.partnerId);
  const groups = new Map<string, ApprovalWarning>();
  const add = (issue: PreviewIssue, message: string) => {
    const key = `${issue.code}\u0000${issue.severity}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { code: issue.code, severity: issue.severity, message, count: 1 });
  };
  let warned = 0;
  for (const r of recipients) {
    const issues = [
      ...recipientIssues(r),
      ...mergeWarnings(
        content.steps,
        effectivePersonalization(content.personalization, content.overrides[r.contact.id]),
        locale,
        { ...parties, senderName, contact: renderContact(r.contact), mergeFields: content.mergeFields },
      ),
    ];
    if (issues.some((i) => i.severity === 'warning')) warned += 1;
    const seen = new Set<string>();
    for (const issue of issues) {
      const key = `${issue.code}\u0000${issue.severity}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(issue, SUMMARY[issue.code]?.(issue.severity) ?? issue.message);
    }
  }
  const warnings = [...groups.values()];
  for (const issue of checkPersonalization(content.steps, content.personalization)) {
    warnings.push({ ...issue, count: recipients.length });
  }
  return { warnings, warned };
}

const SUMMARY: Partial<Record<PreviewIssue['code'], (severity: PreviewIssue['severity']) => string>> = {
  no_consent: (s) =>
    s === 'warning'
      ? 'recipients whose consent is unknown'
      : 'recipients who opted out (they will be skipped)',
  missing_merge_data: () => 'recipients with missing merge data (brand defaults are used)',
  unsubscribed: () => 'recipients who have unsubscribed since (they will be skipped)',
  suppressed: () => 'recipients who are suppressed (they will be skipped)',
};

function reasonsFor(
  content: ApprovalContent,
  rule: NonNullable<SendRow['snapshot']>['approvalRule'],
  recipients: number,
  blocks: RedlineBlock[],
  warned: number,
): ApprovalReason[] {
  switch (rule.mode) {
    case 'always':
      return [{ code: 'always', message: 'this journey always needs approval' }];
    case 'over_recipients':
      return [
        {
          code: 'over_recipients',
          message: `${recipients} recipients, more than the threshold of ${rule.threshold ?? 0}`,
          threshold: rule.threshold ?? 0,
          recipients,
        },
      ];
    case 'edited': {
      const edited = blocks.filter((b) => b.edited || b.overrideCount > 0).length;
      return [
        {
          code: 'edited',
          message: `${edited} editable block(s) differ from the brand original`,
          blocks: edited,
        },
      ];
    }
    case 'warnings':
      return [
        {
          code: 'warnings',
          message: `${warned} recipient(s) with preflight warnings`,
          recipients: warned,
        },
      ];
    default:
      void content;
      return [];
  }
}

export async function approvalDetail(
  db: Db,
  caller: Caller,
  id: string,
  publicUrl: string,
): Promise<ApprovalDetail> {
  const row = await loadVisible(db, caller, id);
  const approval = toApproval(caller, row);
  const { send } = row;
  const [{ content } = { content: undefined }] = await db
    .select({ content: approvals.content })
    .from(approvals)
    .where(eq(approvals.id, id));
  if (!content) throw notFound('approval');
  const [journey] = await db
    .select({ locale: journeys.locale })
    .from(journeys)
    .where(eq(journeys.id, send.journeyId))
    .limit(1);
  const locale: Locale = journey?.locale === 'zh-CN' ? 'zh-CN' : 'en';

  const sample = await db
    .select({
      contactId: sendRecipients.contactId,
      email: sendRecipients.email,
    })
    .from(sendRecipients)
    .where(eq(sendRecipients.sendId, send.id))
    .orderBy(sendRecipients.email, sendRecipients.contactId)
    .limit(SAMPLE_SIZE);
  const overrideIds = Object.keys(content.overrides);
  const emailRows = overrideIds.length
    ? await db
        .select({ id: sendRecipients.contactId, email: sendRecipients.email })
        .from(sendRecipients)
        .where(
          and(
            eq(sendRecipients.sendId, send.id),
            inArray(sendRecipients.contactId, overrideIds.slice(0, 500)),
          ),
        )
    : [];
  const emails = new Map(emailRows.map((r) => [r.id, r.email]));

  const senderName = row.submitterName;
  const { recipients: sampleContacts } = await loadRecipients(
    db,
    send.brandId,
    send.partnerId,
    sample.map((s) => s.contactId),
  );
  const byId = new Map(sampleContacts.map((r) => [r.contact.id, r.contact]));

  let preview: ApprovalDetail['preview'] = null;
  const first = sample[0] ? byId.get(sample[0].contactId) : undefined;
  const step = content.steps[0];
  if (first && step) {
    const parties = await loadParties(db, send.brandId, send.partnerId);
    const rendered = await renderMessage({
      step,
      mergeFields: content.mergeFields,
      personalization: effectivePersonalization(content.personalization, content.overrides[first.id]),
      locale,
      ...parties,
      senderName,
      contact: renderContact(first),
      publicUrl,
      tracking: null,
    });
    preview = {
      contactId: first.id,
      stepId: step.id,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      from: `${rendered.from.name} <${rendered.from.address}>`,
      replyTo: rendered.replyTo,
    };
  }

  const blocks = redline(content, emails);
  const { warnings, warned } = await findings(db, send, content, locale, senderName);
  const rule = ruleOf(row);
  const history = await db
    .select()
    .from(approvalAudit)
    .where(eq(approvalAudit.approvalId, id))
    .orderBy(asc(approvalAudit.id));

  return {
    ...approval,
    recipients: {
      count: send.recipientCount,
      sample: sample.map((s) => {
        const c = byId.get(s.contactId);
        const name = c ? [c.firstName, c.lastName].filter(Boolean).join(' ') || null : null;
        return { contactId: s.contactId, email: s.email, name };
      }),
    },
    preview,
    redline: blocks,
    reasons: reasonsFor(content, rule, send.recipientCount, blocks, warned),
    warnings,
    history: history.map((h): ApprovalAuditEntry => ({
      version: h.version,
      action: h.action,
      actor: { id: h.actorId, name: h.actorName },
      at: h.at.toISOString(),
      reason: h.reason,
      contentHash: h.contentHash,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------
// Deciding

/** A stale or second decision: 409 with the approval as it is now in `error.current`. */
export class ApprovalConflictError extends ApiError {
  constructor(
    message: string,
    readonly current: Approval,
  ) {
    super(409, 'conflict', message);
  }

  override toBody() {
    const body = super.toBody();
    return { error: { ...body.error, current: this.current } } as ReturnType<ApiError['toBody']>;
  }
}

/** Parses `If-Match: "3"` (also `3` and `W/"3"`); missing is 428, malformed 400 (`header.if-match`). */
export function parseIfMatch(header: string | undefined): number {
  if (header === undefined || header.trim() === '') {
    throw new ApiError(
      428,
      'validation',
      'header.if-match: required: send the approval version you read, e.g. If-Match: "0"',
      [{ path: 'header.if-match', message: 'required: the approval version you read, e.g. "0"' }],
    );
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw invalid('header.if-match', 'must be the approval version in quotes, e.g. "0"');
  return Number(match[1]);
}

/** The SHA-256 of a send's current content, computed by the same SQL as the approval's. */
const currentHash = sql`(select dm_content_hash(dm_approval_content(s)) from sends s where s.id = ${approvals.sendId})`;

class SendNotWaiting extends Error {}

export interface DecideInput {
  db: Db;
  caller: Caller;
  id: string;
  version: number;
  decision: 'approve' | 'reject';
  reason: string | undefined;
  now: Date;
}

/** Decides an approval; see the module comment. Returns the approval after the decision. */
export async function decide({
  db,
  caller,
  id,
  version,
  decision,
  reason,
  now,
}: DecideInput): Promise<Approval> {
  if (caller.role !== 'approver') {
    // Partners and brand admins may read approvals but never decide them.
    await loadVisible(db, caller, id);
    throw forbidden('only approvers decide approvals');
  }
  const [row] = await joined(db)
    .where(and(eq(approvals.id, id), queueScope(caller)!))
    .limit(1);
  if (!row) throw notFound('approval');
  if (row.send.createdBy === caller.userId) throw forbidden('nobody approves their own send');

  const status = decision === 'approve' ? 'approved' : 'rejected';
  let won: ApprovalRow | undefined;
  try {
    won = await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(approvals)
        .set({
          status,
          version: sql`${approvals.version} + 1`,
          decidedAt: now,
          decidedBy: caller.userId,
          reason: reason?.trim() || null,
        })
        .where(
          and(
            eq(approvals.id, id),
            eq(approvals.version, version),
            eq(approvals.status, 'pending'),
            sql`${approvals.contentHash} = ${currentHash}`,
          ),
        )
        .returning();
      if (!updated) return undefined;
      const applied =
        decision === 'approve'
          ? await releaseSend(tx, updated.sendId, now)
          : await rejectSend(tx, updated.sendId, now);
      if (!applied) throw new SendNotWaiting();
      await tx.insert(approvalAudit).values({
        approvalId: updated.id,
        sendId: updated.sendId,
        brandId: updated.brandId,
        version: updated.version,
        action: status,
        actorId: caller.userId,
        actorName: caller.name,
        actorRole: caller.role,
        reason: updated.reason,
        contentHash: updated.contentHash,
        content: updated.content,
        at: now,
      });
      return updated;
    });
  } catch (error) {
    if (!(error instanceof SendNotWaiting)) throw error;
    const current = await readApproval(db, caller, id);
    throw new ApprovalConflictError(
      `the send is no longer waiting for approval (it is ${current.send.status})`,
      current,
    );
  }
  const current = await readApproval(db, caller, id);
  if (!won) {
    const message =
      current.status === 'withdrawn'
        ? 'the sender withdrew this send; there is nothing to decide'
        : current.status !== 'pending'
          ? `already ${current.status}${current.decidedByName ? ` by ${current.decidedByName}` : ''}`
          : current.version !== version
            ? `stale version: the approval is at version ${current.version}; reload and decide again`
            : 'the content changed since it was submitted; reload and decide again';
    throw new ApprovalConflictError(message, current);
  }
  announce(db, won, status, now);
  publish(db, {
    brandId: won.brandId,
    partnerId: won.partnerId,
    event: { type: 'send', at: now.toISOString(), sendId: won.sendId, status: current.send.status },
  });
  return current;
}

/** Publishes an approval change to live streams (call after the commit). */
export function announce(
  db: Db,
  row: Pick<ApprovalRow, 'id' | 'brandId' | 'partnerId'>,
  status: string,
  at: Date,
): void {
  publish(db, {
    brandId: row.brandId,
    partnerId: row.partnerId,
    event: { type: 'approval', at: at.toISOString(), approvalId: row.id, status },
  });
}

/** Announces the approval of a send, if it has one (after `POST /v1/sends` or a cancel). */
export async function announceForSend(db: Db, sendId: string, status: string, at: Date): Promise<void> {
  const [row] = await db
    .select({ id: approvals.id, brandId: approvals.brandId, partnerId: approvals.partnerId })
    .from(approvals)
    .where(eq(approvals.sendId, sendId))
    .limit(1);
  if (row) announce(db, row, status, at);
}

// ---------------------------------------------------------------------------------------------------
// Editing a send: content that changes goes back to review

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
};

class NotEditable extends Error {}

/**
 * `PATCH /v1/sends/{id}`: replaces the personalization and/or overrides of a send that has not started
 * delivering (`pending_approval` or `scheduled`, no outbox row ever claimed). When the content changes:
 * a send with an approval gets a new approval version (pending again, outbox rows held); a send without
 * one is checked against its journey's rule again and held for approval when the rule now asks for it.
 */
export async function editSend(
  db: Db,
  caller: Caller,
  sendId: string,
  edit: SendEditInput,
  now: Date,
): Promise<{ send: Send; reopened: string | null }> {
  const [send] = await db
    .select()
    .from(sends)
    .where(and(eq(sends.id, sendId), sendScope(caller)))
    .limit(1);
  if (!send) throw notFound('send');
  if (caller.role !== 'partner') throw forbidden('only partner users edit sends');
  if (send.createdBy !== caller.userId) throw forbidden('only the sender edits a send');
  if (send.status !== 'pending_approval' && send.status !== 'scheduled') {
    throw new ApiError(409, 'conflict', `a ${send.status} send cannot be edited`);
  }
  const snapshot = send.snapshot;
  if (!snapshot) throw new ApiError(409, 'conflict', 'this send has no content snapshot to edit');

  const personalization = edit.personalization ?? send.personalization;
  const overrides = edit.overrides ?? send.overrides;
  const steps = send.stepId ? snapshot.steps.filter((s) => s.id === send.stepId) : snapshot.steps;

  // The same preflight as creating a send: blocking issues are field errors, nothing changes.
  const fields: FieldError[] = [];
  for (const issue of checkPersonalization(steps, personalization, snapshot.steps)) {
    if (issue.severity === 'blocking')
      fields.push({ path: `body.personalization.${issue.field}`, message: issue.message });
  }
  const recipientRows = await db
    .select({ id: sendRecipients.contactId })
    .from(sendRecipients)
    .where(eq(sendRecipients.sendId, sendId));
  const recipientIds = new Set(recipientRows.map((r) => r.id));
  for (const [contactId, override] of Object.entries(overrides)) {
    if (!recipientIds.has(contactId)) {
      fields.push({ path: `body.overrides.${contactId}`, message: 'not a recipient of this send' });
      continue;
    }
    const merged = effectivePersonalization(personalization, override);
    for (const issue of checkPersonalization(steps, merged, snapshot.steps)) {
      if (issue.severity === 'blocking' && issue.field !== undefined && issue.field in override)
        fields.push({ path: `body.overrides.${contactId}.${issue.field}`, message: issue.message });
    }
  }
  if (fields.length) {
    const first = fields[0]!;
    throw new ApiError(
      422,
      'validation',
      `${first.path}: ${first.message}${fields.length > 1 ? ` (and ${fields.length - 1} more)` : ''}`,
      fields.slice(0, 200),
    );
  }
  if (
    canonical(personalization) === canonical(send.personalization) &&
    canonical(overrides) === canonical(send.overrides)
  ) {
    return { send: await readSend(db, sendId), reopened: null };
  }

  const [existing] = await db
    .select({ id: approvals.id })
    .from(approvals)
    .where(eq(approvals.sendId, sendId))
    .limit(1);
  let hold = Boolean(existing);
  if (!hold) {
    let hasWarnings = false;
    if (snapshot.approvalRule.mode === 'warnings') {
      const [journey] = await db
        .select({ locale: journeys.locale })
        .from(journeys)
        .where(eq(journeys.id, send.journeyId));
      const content: ApprovalContent = {
        name: snapshot.name,
        kind: send.kind,
        stepId: send.stepId,
        steps,
        mergeFields: snapshot.mergeFields,
        personalization,
        overrides,
      };
      hasWarnings =
        (await findings(db, send, content, journey?.locale === 'zh-CN' ? 'zh-CN' : 'en', caller.name))
          .warned > 0;
    }
    hold = needsApproval(
      { approvalRule: snapshot.approvalRule, steps: snapshot.steps },
      send.recipientCount,
      personalization,
      overrides,
      hasWarnings,
    );
  }

  let reopened: ApprovalRow | undefined;
  try {
    reopened = await db.transaction(async (tx) => {
      // Lock the rows a worker would claim (claims skip locked rows), then make sure none has ever been
      // claimed: a worker caches a send's content from its first claim, and nothing may have gone out.
      await tx
        .update(outbox)
        .set(hold ? { status: 'held', updatedAt: now } : { updatedAt: now })
        .where(
          and(eq(outbox.sendId, sendId), inArray(outbox.status, ['queued', 'held']), eq(outbox.attempts, 0)),
        );
      const [started] = await tx
        .select({ n: count() })
        .from(outbox)
        .where(
          and(
            eq(outbox.sendId, sendId),
            or(
              sql`${outbox.status} not in ('queued', 'held', 'cancelled')`,
              sql`${outbox.attempts} > 0 and ${outbox.status} <> 'cancelled'`,
            ),
          ),
        );
      if (Number(started?.n ?? 0) > 0) throw new NotEditable();
      const [updated] = await tx
        .update(sends)
        .set({ personalization, overrides, ...(hold ? { status: 'pending_approval' } : {}) })
        .where(and(eq(sends.id, sendId), inArray(sends.status, ['pending_approval', 'scheduled'])))
        .returning({ id: sends.id });
      if (!updated) throw new NotEditable();
      if (!hold) return undefined;
      if (!existing) {
        await tx.execute(sql`select dm_open_approval(${sendId}, ${now.toISOString()}::timestamptz)`);
        const [opened] = await tx.select().from(approvals).where(eq(approvals.sendId, sendId));
        return opened;
      }
      const [row] = await tx
        .update(approvals)
        .set({
          status: 'pending',
          version: sql`${approvals.version} + 1`,
          submittedAt: now,
          decidedAt: null,
          decidedBy: null,
          reason: null,
          content: sql`(select dm_approval_content(s) from sends s where s.id = ${sendId})`,
          contentHash: sql`(select dm_content_hash(dm_approval_content(s)) from sends s where s.id = ${sendId})`,
        })
        .where(eq(approvals.id, existing.id))
        .returning();
      await tx.insert(approvalAudit).values({
        approvalId: row!.id,
        sendId,
        brandId: row!.brandId,
        version: row!.version,
        action: 'resubmitted',
        actorId: caller.userId,
        actorName: caller.name,
        actorRole: caller.role,
        reason: null,
        contentHash: row!.contentHash,
        content: row!.content,
        at: now,
      });
      return row;
    });
  } catch (error) {
    if (error instanceof NotEditable)
      throw new ApiError(409, 'conflict', 'delivery of this send has started; it can no longer be edited');
    throw error;
  }
  if (reopened) announce(db, reopened, 'pending', now);
  return { send: await readSend(db, sendId), reopened: reopened?.id ?? null };
}
