export interface DmErrorDetail {
  /** Usually a `DmApiError` (check with `isDmApiError`); anything thrown while loading otherwise. */
  readonly error: unknown;
}

/** Loading failed. The element also shows the error; listen to log or report it. Not fired for aborts. */
export class DmErrorEvent extends Event {
  static readonly eventName = 'dm-error';
  readonly detail: DmErrorDetail;

  constructor(detail: DmErrorDetail) {
    super(DmErrorEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'dm-error': DmErrorEvent;
  }
}
