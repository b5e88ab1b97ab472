import type { Approval } from '../contract/approvals.js';

export interface DmApprovalDecidedDetail {
  /** The approval's id. */
  readonly id: string;
  readonly decision: 'approve' | 'reject';
  /** The approval as the server returned it after the decision. */
  readonly approval: Approval;
}

/** The server accepted an approve or reject decision (one event per item, also in bulk). */
export class DmApprovalDecidedEvent extends Event {
  static readonly eventName = 'dm-approval-decided';
  readonly detail: DmApprovalDecidedDetail;

  constructor(detail: DmApprovalDecidedDetail) {
    super(DmApprovalDecidedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

export interface DmApprovalConflictDetail {
  /** The approval's id. */
  readonly id: string;
  /**
   * The approval as it is now (decided by someone else, or a newer version after an edit); `null` when
   * it could not be read back.
   */
  readonly current: Approval | null;
}

/**
 * A decision lost: another approver decided first, or the content changed since it was read (409).
 * The element has already rolled its optimistic change back and shows who or what won.
 */
export class DmApprovalConflictEvent extends Event {
  static readonly eventName = 'dm-approval-conflict';
  readonly detail: DmApprovalConflictDetail;

  constructor(detail: DmApprovalConflictDetail) {
    super(DmApprovalConflictEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'dm-approval-decided': DmApprovalDecidedEvent;
    'dm-approval-conflict': DmApprovalConflictEvent;
  }
}
