import type { SendStatus } from '../contract/sends.js';

export interface DmSendSubmittedDetail {
  /** Id of the send the server created (or returned for a repeated submit of the same send). */
  readonly sendId: string;
  /** Its status: `scheduled` (queued now or at `scheduledAt`), `pending_approval`, `sending`, `sent`, … */
  readonly status: SendStatus;
}

/** The server accepted a send. Fired once per accepted submit. */
export class DmSendSubmittedEvent extends Event {
  static readonly eventName = 'dm-send-submitted';
  readonly detail: DmSendSubmittedDetail;

  constructor(detail: DmSendSubmittedDetail) {
    super(DmSendSubmittedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

export interface DmSendFailedDetail {
  /** Usually a `DmApiError` (check with `isDmApiError`); `fields` names the rejected parts of the send. */
  readonly error: unknown;
}

/** Creating a send failed (rejected by the server, or the server could not be reached). */
export class DmSendFailedEvent extends Event {
  static readonly eventName = 'dm-send-failed';
  readonly detail: DmSendFailedDetail;

  constructor(detail: DmSendFailedDetail) {
    super(DmSendFailedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

/** The user left a flow with Cancel or Escape; a host that opened the element in a dialog closes it. */
export class DmCancelEvent extends Event {
  static readonly eventName = 'dm-cancel';

  constructor() {
    super(DmCancelEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'dm-send-submitted': DmSendSubmittedEvent;
    'dm-send-failed': DmSendFailedEvent;
    'dm-cancel': DmCancelEvent;
  }
}
