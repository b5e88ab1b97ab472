import { z } from 'zod';
import { Cursor, Id, Limit, Timestamp, page } from './common.js';
import { Send } from './sends.js';

export const ApprovalStatus = z.enum(['pending', 'approved', 'rejected']).meta({ id: 'ApprovalStatus' });
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

export const Approval = z
  .object({
    id: Id,
    status: ApprovalStatus,
    /** Optimistic-concurrency version; send it back as `If-Match`. */
    version: z.number().int().nonnegative(),
    send: Send,
    submittedAt: Timestamp,
    decidedAt: Timestamp.nullable(),
    decidedBy: Id.nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'Approval' });
export type Approval = z.infer<typeof Approval>;

export const ApprovalQuery = z
  .strictObject({
    status: ApprovalStatus.optional(),
    partnerId: Id.optional(),
    journeyId: Id.optional(),
    cursor: Cursor.optional(),
    limit: Limit,
  })
  .meta({ id: 'ApprovalQuery' });
export type ApprovalQuery = z.input<typeof ApprovalQuery>;

export const ApprovalPage = page(Approval, 'ApprovalPage');
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
