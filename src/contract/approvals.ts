import { z } from 'zod';
import { Cursor, Id, Limit, Timestamp } from './common.js';
import { FieldError } from './errors.js';
import { ApprovalRule, BlockKind } from './journeys.js';
import { Personalization, PreviewIssue, Send } from './sends.js';

/** `withdrawn`: the sender cancelled the send while it was waiting. */
export const ApprovalStatus = z
  .enum(['pending', 'approved', 'rejected', 'withdrawn'])
  .meta({ id: 'ApprovalStatus' });
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/**
 * Who decides: the partner's manager (an approver attached to the send's partner) or brand compliance
 * (an approver attached to no partner). A `partner_manager` rule falls back to brand compliance when
 * the partner has no approver of its own.
 */
export const ApproverKind = z.enum(['partner_manager', 'brand_compliance']).meta({ id: 'ApproverKind' });
export type ApproverKind = z.infer<typeof ApproverKind>;

/** A user named on an approval (submitter, decider). */
export const ApprovalPerson = z.object({ id: Id, name: z.string() }).meta({ id: 'ApprovalPerson' });
export type ApprovalPerson = z.infer<typeof ApprovalPerson>;

export const Approval = z
  .object({
    id: Id,
    status: ApprovalStatus,
    /** Optimistic-concurrency version; send it back as `If-Match`. */
    version: z.number().int().nonnegative(),
    send: Send,
    /** When the current version was submitted (a resubmission after an edit restarts the clock). */
    submittedAt: Timestamp,
    decidedAt: Timestamp.nullable(),
    decidedBy: Id.nullable(),
    reason: z.string().nullable(),
    /*
     * The fields below were added after the first version of this contract; they are optional so that
     * servers implementing the earlier shape stay valid. The reference server always sends them.
     */
    /** The decider's display name, when decided. */
    decidedByName: z.string().nullable().optional(),
    /** The partner user who submitted the send. */
    submittedBy: ApprovalPerson.optional(),
    partnerName: z.string().optional(),
    approver: ApproverKind.optional(),
    /** The journey's approval rule as it was when the send was created. */
    rule: ApprovalRule.optional(),
    /** SHA-256 (hex) of the content under review; the audit trail records it with every decision. */
    contentHash: z.string().optional(),
    /** Whether the caller may decide this approval now (an approver in scope, not the submitter, pending). */
    canDecide: z.boolean().optional(),
  })
  .meta({ id: 'Approval' });
export type Approval = z.infer<typeof Approval>;

export const ApprovalView = z.enum(['queue', 'mine']).meta({ id: 'ApprovalView' });
export type ApprovalView = z.infer<typeof ApprovalView>;

export const ApprovalQuery = z
  .strictObject({
    /**
     * `queue` (default): approvals the caller may decide (brand admins: every approval of the brand).
     * `mine`: the caller's own submissions and their status (partner users).
     */
    view: ApprovalView.optional(),
    /**
     * `pending` (default for `queue`), `decided` (approved or rejected), or one status. `mine` lists every
     * status by default.
     */
    status: z.enum(['pending', 'decided', 'approved', 'rejected', 'withdrawn']).optional(),
    partnerId: Id.optional(),
    journeyId: Id.optional(),
    /** Words that must all occur in the journey name, partner name or submitter name/email. */
    q: z.string().trim().max(200).optional(),
    /** Only approvals submitted more than this many hours ago. */
    olderThan: z.coerce.number<number>().int().min(0).max(8760).optional(),
    cursor: Cursor.optional(),
    limit: Limit,
  })
  .meta({ id: 'ApprovalQuery' });
export type ApprovalQuery = z.input<typeof ApprovalQuery>;

/** One filter option with the number of approvals it matches (within the caller's scope and status). */
export const ApprovalFacet = z
  .object({ id: Id, name: z.string(), count: z.number().int().nonnegative() })
  .meta({ id: 'ApprovalFacet' });
export type ApprovalFacet = z.infer<typeof ApprovalFacet>;

/**
 * A page of approvals: pending ones oldest first (the queue order), decided ones most recently decided
 * first, `mine` most recently submitted first.
 */
export const ApprovalPage = z
  .object({
    items: z.array(Approval),
    nextCursor: z.string().nullable(),
    total: z.number().int().nonnegative(),
    /** Partners and journeys present in the caller's scope for this view and status (for filter menus). */
    facets: z.object({ partners: z.array(ApprovalFacet), journeys: z.array(ApprovalFacet) }).optional(),
  })
  .meta({ id: 'ApprovalPage' });
export type ApprovalPage = z.infer<typeof ApprovalPage>;

export const ApprovalDecision = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    reason: z.string().trim().max(2000).optional(),
  })
  .refine((d) => d.decision === 'approve' || (d.reason?.length ?? 0) > 0, {
    message: 'a reason is required to reject',
    path: ['reason'],
  })
  .meta({ id: 'ApprovalDecision' });
export type ApprovalDecision = z.input<typeof ApprovalDecision>;

/** A piece of a word-level diff. */
export const RedlineSegment = z
  .object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() })
  .meta({ id: 'RedlineSegment' });
export type RedlineSegment = z.infer<typeof RedlineSegment>;

/** One editable block: the brand original against the partner's edit, as text. */
export const RedlineBlock = z
  .object({
    stepId: Id,
    stepName: z.string(),
    blockId: Id,
    label: z.string(),
    kind: BlockKind,
    /** True when the partner's content differs from the brand original. */
    edited: z.boolean(),
    original: z.string(),
    /** The partner's text; `null` when the brand original is used unchanged. */
    edit: z.string().nullable(),
    segments: z.array(RedlineSegment),
    /** Per-recipient overrides of this block (the first 10), each diffed against the brand original. */
    overrides: z.array(
      z.object({ contactId: Id, email: z.string(), edit: z.string(), segments: z.array(RedlineSegment) }),
    ),
    /** How many recipients override this block in total. */
    overrideCount: z.number().int().nonnegative(),
  })
  .meta({ id: 'RedlineBlock' });
export type RedlineBlock = z.infer<typeof RedlineBlock>;

/** Why a send needed approval. */
export const ApprovalReason = z
  .object({
    code: z.enum(['always', 'over_recipients', 'edited', 'warnings']),
    message: z.string(),
    /** `over_recipients`: the rule's threshold. */
    threshold: z.number().int().optional(),
    /** `over_recipients`: the send's recipient count; `warnings`: recipients with a warning. */
    recipients: z.number().int().optional(),
    /** `edited`: editable blocks that differ from the brand original. */
    blocks: z.number().int().optional(),
  })
  .meta({ id: 'ApprovalReason' });
export type ApprovalReason = z.infer<typeof ApprovalReason>;

/** A preflight finding over the whole send, with the number of recipients it concerns. */
export const ApprovalWarning = PreviewIssue.extend({
  count: z.number().int().nonnegative(),
}).meta({ id: 'ApprovalWarning' });
export type ApprovalWarning = z.infer<typeof ApprovalWarning>;

/** One immutable audit record. */
export const ApprovalAuditEntry = z
  .object({
    version: z.number().int().nonnegative(),
    action: z.enum(['submitted', 'resubmitted', 'approved', 'rejected']),
    actor: ApprovalPerson,
    at: Timestamp,
    reason: z.string().nullable(),
    contentHash: z.string(),
  })
  .meta({ id: 'ApprovalAuditEntry' });
export type ApprovalAuditEntry = z.infer<typeof ApprovalAuditEntry>;

/** One approval with everything an approver reads before deciding. */
export const ApprovalDetail = Approval.extend({
  recipients: z.object({
    count: z.number().int().nonnegative(),
    /** The first 10 recipients by email. */
    sample: z.array(z.object({ contactId: Id, email: z.string(), name: z.string().nullable() })),
  }),
  /** The email as the first sample recipient gets it (first step), rendered by the server. */
  preview: z
    .object({
      contactId: Id,
      stepId: Id,
      subject: z.string(),
      /** A full HTML document; show it in a sandboxed iframe (`sandbox=""`, `srcdoc`). */
      html: z.string(),
      text: z.string(),
      from: z.string(),
      replyTo: z.string(),
    })
    .nullable(),
  redline: z.array(RedlineBlock),
  reasons: z.array(ApprovalReason),
  warnings: z.array(ApprovalWarning),
  history: z.array(ApprovalAuditEntry),
}).meta({ id: 'ApprovalDetail' });
export type ApprovalDetail = z.infer<typeof ApprovalDetail>;

/** The 409 body of a stale or second decision: the usual error plus the approval as it is now. */
export const ApprovalConflict = z
  .object({
    error: z.object({
      code: z.literal('conflict'),
      message: z.string(),
      fields: z.array(FieldError).optional(),
      current: Approval,
    }),
  })
  .meta({ id: 'ApprovalConflict' });
export type ApprovalConflict = z.infer<typeof ApprovalConflict>;

/**
 * Edits to a send that has not started delivering. Content that changes after approval (or while
 * pending) goes back to review: a new approval version, outbox rows held again.
 */
export const SendEdit = z
  .strictObject({
    personalization: Personalization.optional(),
    /** Per-recipient overrides: contact id → block id → content (replaces all overrides). */
    overrides: z.record(Id, Personalization).optional(),
  })
  .refine((e) => e.personalization !== undefined || e.overrides !== undefined, {
    message: 'nothing to change: send personalization or overrides',
  })
  .meta({ id: 'SendEdit' });
export type SendEdit = z.input<typeof SendEdit>;
