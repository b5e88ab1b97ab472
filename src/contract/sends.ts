import { z } from 'zod';
import { Cursor, Id, Limit, Timestamp, page } from './common.js';

/** Partner content per editable block id. */
export const Personalization = z.record(Id, z.string().max(20000)).meta({ id: 'Personalization' });
export type Personalization = z.infer<typeof Personalization>;

export const PreviewRequest = z
  .strictObject({
    journeyId: Id,
    stepId: Id.optional(),
    contactId: Id,
    personalization: Personalization.default({}),
  })
  .meta({ id: 'PreviewRequest' });
export type PreviewRequest = z.input<typeof PreviewRequest>;

export const PreviewIssue = z
  .object({
    code: z.enum([
      'missing_merge_data',
      'suppressed',
      'unsubscribed',
      'no_consent',
      'rule_violation',
      'missing_footer',
      'required',
    ]),
    severity: z.enum(['blocking', 'warning']),
    message: z.string(),
    /** Block id or merge-field key the issue belongs to. */
    field: z.string().optional(),
  })
  .meta({ id: 'PreviewIssue' });
export type PreviewIssue = z.infer<typeof PreviewIssue>;

export const Preview = z
  .object({
    subject: z.string(),
    html: z.string(),
    text: z.string(),
    issues: z.array(PreviewIssue),
    /** The `From` header the email will carry, e.g. `Nordlicht Autohaus via Aurora Motors <partners@…>`. */
    from: z.string().optional(),
    /** The partner's `Reply-To` address. */
    replyTo: z.string().optional(),
  })
  .meta({ id: 'Preview' });
export type Preview = z.infer<typeof Preview>;

/** Issues for many recipients at once (no HTML), for flipping through a large send before it goes. */
export const PreviewBatchRequest = z
  .strictObject({
    journeyId: Id,
    stepId: Id.optional(),
    contactIds: z.array(Id).min(1).max(10000),
    personalization: Personalization.default({}),
    /** Per-recipient overrides: contact id → block id → content. */
    overrides: z.record(Id, Personalization).default({}),
  })
  .meta({ id: 'PreviewBatchRequest' });
export type PreviewBatchRequest = z.input<typeof PreviewBatchRequest>;

export const PreviewBatchItem = z
  .object({
    contactId: Id,
    email: z.string(),
    name: z.string().nullable(),
    /** `blocking` when any issue blocks sending, else `warning` when any warns, else `ok`. */
    status: z.enum(['ok', 'warning', 'blocking']),
    issues: z.array(PreviewIssue),
  })
  .meta({ id: 'PreviewBatchItem' });
export type PreviewBatchItem = z.infer<typeof PreviewBatchItem>;

export const PreviewBatch = z
  .object({
    items: z.array(PreviewBatchItem),
    summary: z.object({
      recipients: z.number().int().nonnegative(),
      ok: z.number().int().nonnegative(),
      warning: z.number().int().nonnegative(),
      blocking: z.number().int().nonnegative(),
      /** Recipients affected per issue code. */
      byCode: z.record(z.string(), z.number().int().nonnegative()),
    }),
    /** Issues of the personalization itself (not tied to a recipient). */
    issues: z.array(PreviewIssue),
  })
  .meta({ id: 'PreviewBatch' });
export type PreviewBatch = z.infer<typeof PreviewBatch>;

export const SendStatus = z
  .enum(['pending_approval', 'scheduled', 'sending', 'sent', 'cancelled', 'rejected', 'failed'])
  .meta({ id: 'SendStatus' });
export type SendStatus = z.infer<typeof SendStatus>;

export const RecipientStatus = z
  .enum(['queued', 'delivered', 'bounced', 'suppressed', 'cancelled', 'left_journey', 'failed'])
  .meta({ id: 'RecipientStatus' });
export type RecipientStatus = z.infer<typeof RecipientStatus>;

export const SendCreate = z
  .strictObject({
    kind: z.enum(['quick', 'journey']).default('quick'),
    journeyId: Id,
    /** Quick sends: the step to send (default: the first). Journey sends use every step. */
    stepId: Id.optional(),
    contactIds: z.array(Id).min(1).max(10000),
    personalization: Personalization.default({}),
    /** Per-recipient overrides: contact id → block id → content. */
    overrides: z.record(Id, Personalization).default({}),
    scheduledAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({ id: 'SendCreate' });
export type SendCreate = z.input<typeof SendCreate>;

export const SendRecipient = z
  .object({ contactId: Id, email: z.string(), status: RecipientStatus, updatedAt: Timestamp })
  .meta({ id: 'SendRecipient' });
export type SendRecipient = z.infer<typeof SendRecipient>;

export const Send = z
  .object({
    id: Id,
    kind: z.enum(['quick', 'journey']),
    journeyId: Id,
    journeyName: z.string(),
    partnerId: Id,
    createdBy: Id,
    status: SendStatus,
    recipientCount: z.number().int().nonnegative(),
    createdAt: Timestamp,
    scheduledAt: Timestamp.nullable(),
    recipients: z.array(SendRecipient).optional(),
  })
  .meta({ id: 'Send' });
export type Send = z.infer<typeof Send>;

export const SendQuery = z
  .strictObject({ status: SendStatus.optional(), cursor: Cursor.optional(), limit: Limit })
  .meta({ id: 'SendQuery' });
export type SendQuery = z.input<typeof SendQuery>;

export const SendPage = page(Send, 'SendPage');
export type SendPage = z.infer<typeof SendPage>;
