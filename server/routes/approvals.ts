/**
 * Approvals: the approver's queue, one approval with everything needed to decide it, the decision
 * (optimistic concurrency through `If-Match`), and `PATCH /v1/sends/{id}`, which sends changed content
 * back to review. See `server/domain/approvals.ts` for the semantics.
 */
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  Approval,
  ApprovalConflict,
  ApprovalDecision,
  ApprovalDetail,
  ApprovalPage,
  ApprovalQuery,
  ErrorBody,
  Id,
  Send,
  SendEdit,
} from '../../src/contract/index.js';
import {
  announceForSend,
  approvalDetail,
  decide,
  editSend,
  listApprovals,
  parseIfMatch,
} from '../domain/approvals.js';
import type { App } from '../env.js';
import { errorResponses, json, jsonBody } from './shared.js';

const list = createRoute({
  method: 'get',
  path: '/v1/approvals',
  tags: ['approvals'],
  summary: 'The approval queue (or, with view=mine, the caller’s own submissions)',
  description:
    '`view=queue` (default) lists what the caller may decide: a partner manager its partner’s approvals, ' +
    'brand compliance the brand-compliance approvals, a brand admin every approval (read only); partner ' +
    'users get 403 and use `view=mine`. `status` defaults to `pending` (oldest first; a send cancelled by ' +
    'its sender leaves the queue); `decided` lists approved and rejected ones, most recently decided first. ' +
    '`q` matches every word against journey, partner and submitter; `olderThan` (hours) keeps only older ' +
    'submissions. Keyset pagination: pass `nextCursor` back as `cursor` with the same view and status.',
  request: { query: ApprovalQuery },
  responses: { 200: json(ApprovalPage, 'A page of approvals'), ...errorResponses },
});

const read = createRoute({
  method: 'get',
  path: '/v1/approvals/{id}',
  tags: ['approvals'],
  summary:
    'One approval: recipients, the rendered email, a redline per editable block, warnings, audit trail',
  request: { params: z.object({ id: Id }) },
  responses: { 200: json(ApprovalDetail, 'The approval'), ...errorResponses },
});

const decision = createRoute({
  method: 'post',
  path: '/v1/approvals/{id}/decision',
  tags: ['approvals'],
  summary: 'Approve or reject (a reason is required to reject)',
  description:
    'Send the version you read as `If-Match: "<version>"` (missing: 428). Exactly one decision wins; a ' +
    'stale version, a second decision, or content that changed since submission is a 409 whose ' +
    '`error.current` is the approval as it is now. Approving releases the held messages (due now, or at ' +
    'the scheduled time); rejecting cancels every message of the send. Nobody decides their own send ' +
    '(403); an approval outside the caller’s queue is 404. Every decision appends an immutable audit ' +
    'record with the exact content decided on and its hash.',
  request: {
    params: z.object({ id: Id }),
    headers: z.object({
      'if-match': z
        .string()
        .max(100)
        .optional()
        .meta({ description: 'Required: the approval version you read, e.g. `"0"`' }),
    }),
    body: jsonBody(ApprovalDecision),
  },
  responses: {
    200: json(Approval, 'The approval after the decision'),
    ...errorResponses,
    409: json(ApprovalConflict, 'Decided by someone else, stale version, or the content changed'),
    428: json(ErrorBody, 'If-Match is missing'),
  },
});

const edit = createRoute({
  method: 'patch',
  path: '/v1/sends/{id}',
  tags: ['sends'],
  summary: 'Change the personalization of a send that has not started delivering',
  description:
    'Only the sender, only while the send is `pending_approval` or `scheduled` and no message has been ' +
    'picked up for delivery (else 409). Blocking rule issues are 422 with one field error each. Content ' +
    'that changes goes back to review: a send with an approval gets a new approval version (pending, ' +
    'messages held again, approvers notified); a send without one is checked against its journey’s rule ' +
    'again. An unchanged body changes nothing.',
  request: { params: z.object({ id: Id }), body: jsonBody(SendEdit) },
  responses: {
    200: json(Send, 'The send after the edit'),
    ...errorResponses,
    409: json(ErrorBody, 'Delivery has started, or the send is no longer editable'),
    422: json(ErrorBody, 'Blocking rule issues'),
  },
});

/**
 * Live notifications around the sends routes: a send created as `pending_approval` is a new item in
 * approvers' queues, a cancelled one leaves them. Register before the sends routes so this wraps them.
 */
export function registerApprovalHooks(app: App) {
  app.use('/v1/sends', async (c, next) => {
    await next();
    if (c.req.method !== 'POST' || c.res.status !== 201) return;
    const body = (await c.res
      .clone()
      .json()
      .catch(() => null)) as { id?: string; status?: string } | null;
    if (body?.id && body.status === 'pending_approval') {
      const { db, clock } = c.get('deps');
      await announceForSend(db, body.id, 'pending', clock());
    }
  });
  app.use('/v1/sends/:id/cancel', async (c, next) => {
    await next();
    if (c.req.method !== 'POST' || c.res.status !== 200) return;
    const { db, clock } = c.get('deps');
    await announceForSend(db, c.req.param('id'), 'withdrawn', clock());
  });
}

export function registerApprovals(app: App) {
  app.openapi(list, async (c) => {
    const { db, clock } = c.get('deps');
    return c.json(await listApprovals(db, c.get('caller'), c.req.valid('query'), clock()), 200);
  });

  app.openapi(read, async (c) => {
    const { db, publicUrl } = c.get('deps');
    const { id } = c.req.valid('param');
    return c.json(await approvalDetail(db, c.get('caller'), id, publicUrl), 200);
  });

  app.openapi(decision, async (c) => {
    const { db, clock, notifyOutbox } = c.get('deps');
    const { id } = c.req.valid('param');
    const version = parseIfMatch(c.req.valid('header')['if-match']);
    const body = c.req.valid('json');
    const approval = await decide({
      db,
      caller: c.get('caller'),
      id,
      version,
      decision: body.decision,
      reason: body.reason,
      now: clock(),
    });
    if (approval.status === 'approved') notifyOutbox?.();
    c.header('ETag', `"${approval.version}"`);
    return c.json(approval, 200);
  });

  app.openapi(edit, async (c) => {
    const { db, clock } = c.get('deps');
    const { id } = c.req.valid('param');
    const { send } = await editSend(db, c.get('caller'), id, c.req.valid('json'), clock());
    return c.json(send, 200);
  });
}
